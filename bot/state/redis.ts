/**
 * The state shared by several replicas of the bot, in one Redis (REDIS_URL), keys under
 * `nianbao:`:
 * - work — the work journal as a Stream with a consumer group (./redis-work.ts); `dedupe:<key>`
 *   the event dedupe (SET NX PX, 8 h);
 * - `card:<button>` — card-button claims (SET NX PX), so a second click on any replica waits;
 * - `subscriptions`, `deadlines` — hashes of reminder subscriptions and local deadlines, one
 *   field per chat and scope (per date and scope), the value JSON;
 * - `reminder:claim:<key>`, `reminder:sent:<key>`, `reminder:failures:<key>` — a due reminder is
 *   claimed by one replica (SET NX), marked sent after the send, its failures counted;
 * - `reports:version` — bumped when a replica adds a report; the others poll it every second
 *   and read REPORTS_DIR (a shared volume) again.
 * Uploads waiting for 加入资料库 are files in UPLOADS_DIR, a folder every replica mounts
 * (REPORTS_DIR/.uploads by default: REPORTS_DIR is shared already, and dot folders are not read
 * as reports).
 *
 * Every value read back is checked with zod; what does not fit is logged and left out.
 */
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { localDeadlineSchema, subscriptionSchema } from "../../commands/reminders.ts";
import { errText, type Logger } from "../log.ts";
import { FolderUploads } from "./embedded.ts";
import { RedisLink } from "./redis-link.ts";
import { RedisWork } from "./redis-work.ts";
import type { BotState, ClaimStore, ReminderSettingsData, ReminderStore, ReportsSignal } from "./state.ts";

export interface RedisStateOptions {
  url: string;
  log: Logger;
  /** The shared folder where checked files wait for 加入资料库. */
  uploadsDir: string;
  /** How long an event key is kept for dedupe (8 h by default). */
  dedupeTtlMs?: number;
  /** A replica silent this long has its unfinished work taken over by another (20 s by default). */
  takeOverAfterMs?: number;
  /** How often a replica looks for a REPORTS_DIR change made by another (1 s by default). */
  reportsPollMs?: number;
  /** Key namespace (tests share one Redis). */
  prefix?: string;
}

/** Sent reminders are remembered this long (a reminder is only ever due on its own day). */
const SENT_TTL_MS = 40 * 86400_000;
/** A replica that died mid-send frees its reminder after this long; the retry carries the same uuid. */
const SEND_CLAIM_MS = 10 * 60_000;
const FAILURES_TTL_MS = 2 * 86400_000;

export async function openRedisState(o: RedisStateOptions): Promise<BotState & { consumer: string }> {
  const log = o.log.child({ component: "redis" });
  const link = await RedisLink.open(o.url, { prefix: o.prefix ?? "nianbao:", log });
  // One consumer per process: a restarted replica is a new consumer, and takes over its old self's work like any other's.
  const consumer = `${hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`;
  const work = new RedisWork({ link, consumer, log: o.log.child({ component: "work" }), dedupeTtlMs: o.dedupeTtlMs, takeOverAfterMs: o.takeOverAfterMs });
  await work.ensureGroup();
  const reports = new VersionSignal(link, o.reportsPollMs ?? 1000, log);
  await reports.init();
  log.info({ consumer }, `已连接 Redis，多副本模式（本副本：${consumer}）`);
  return {
    consumer,
    work,
    cards: new RedisClaims(link, consumer, log),
    reminders: new RedisReminders(link, consumer, o.log.child({ component: "reminders" })),
    uploads: new FolderUploads(o.uploadsDir, o.log.child({ component: "uploads" })),
    reports,
    async health() {
      const ms = await link.ping();
      return { ok: ms !== null, state: "redis", redis: ms === null ? "unreachable" : "reachable", ...(ms === null ? {} : { redis_ms: Math.round(ms * 10) / 10 }), replica: consumer, held: work.size };
    },
    async close() {
      reports.stop();
      await work.close().catch((e) => log.warn({ err: errText(e) }, `交出手头的工作失败（其他副本 ${work.takeOverAfterMs / 1000} 秒后接手）：${errText(e)}`));
      await link.close();
    },
  };
}

export class RedisClaims implements ClaimStore {
  constructor(
    private readonly link: RedisLink,
    private readonly owner: string,
    private readonly log: Logger,
  ) {}

  async claim(key: string, ttlMs: number): Promise<boolean> {
    const { link } = this;
    return (await link.unavailableIfLost(() => link.command(["SET", link.key(key), this.owner, "NX", "PX", ttlMs]))) !== null;
  }

  /** Never throws: the work is done either way, and the claim expires on its own. */
  async release(key: string): Promise<void> {
    await this.link.command(["DEL", this.link.key(key)]).catch((e) => this.log.warn({ err: errText(e) }, `释放按钮占用失败（到期后自动释放）：${errText(e)}`));
  }
}

// -------------------------------------------------------------------- reminders

const CLAIM_SEND = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
if tonumber(redis.call('GET', KEYS[2]) or '0') >= tonumber(ARGV[1]) then return 0 end
if redis.call('SET', KEYS[3], ARGV[3], 'NX', 'PX', ARGV[2]) then return 1 end
return 0
`;
const MARK_SENT = `
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('DEL', KEYS[2], KEYS[3])
return 1
`;
const MARK_FAILED = `
local n = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
redis.call('DEL', KEYS[2])
return n
`;
/** Delete the hash fields whose JSON value matches every given field (ARGV: name, value, …). */
const HDEL_WHERE = `
local n = 0
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  local ok, v = pcall(cjson.decode, all[i + 1])
  local match = ok and type(v) == 'table'
  for j = 1, #ARGV, 2 do
    if match and v[ARGV[j]] ~= ARGV[j + 1] then match = false end
  end
  if match then
    redis.call('HDEL', KEYS[1], all[i])
    n = n + 1
  end
end
return n
`;

const hashReply = z.record(z.string(), z.string());
const jsonOrUndefined = (raw: string): unknown => {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
};

export class RedisReminders implements ReminderStore {
  private readonly subs: string;
  private readonly deadlines: string;

  constructor(
    private readonly link: RedisLink,
    private readonly owner: string,
    private readonly log: Logger,
  ) {
    this.subs = link.key("subscriptions");
    this.deadlines = link.key("deadlines");
  }

  /** Read before every command and reminder check: without Redis the job waits and runs again (RedisUnavailable). */
  async settings(): Promise<ReminderSettingsData> {
    const { link } = this;
    const [subs, deadlines] = await link.unavailableIfLost(() => Promise.all([link.command(["HGETALL", this.subs]), link.command(["HGETALL", this.deadlines])]));
    return {
      subscriptions: this.values(subs, subscriptionSchema, "提醒订阅").sort((a, b) => a.at.localeCompare(b.at) || a.chatId.localeCompare(b.chatId) || a.scope.localeCompare(b.scope)),
      deadlines: this.values(deadlines, localDeadlineSchema, "本地截止日期").sort((a, b) => a.date.localeCompare(b.date) || a.scope.localeCompare(b.scope)),
    };
  }

  /** The hash's values that are valid JSON of the schema; the others are logged and left out. */
  private values<T>(reply: unknown, schema: z.ZodType<T>, what: string): T[] {
    const out: T[] = [];
    for (const [field, raw] of Object.entries(hashReply.parse(reply))) {
      const parsed = schema.safeParse(jsonOrUndefined(raw));
      if (parsed.success) out.push(parsed.data);
      else this.log.error({ field }, `Redis 里的一项${what}格式不对，已忽略：${raw.slice(0, 200)}`);
    }
    return out;
  }

  async subscribe(s: ReminderSettingsData["subscriptions"][number]) {
    await this.link.command(["HSET", this.subs, JSON.stringify([s.chatId, s.scope]), JSON.stringify(s)]);
  }

  async unsubscribe(chatId: string) {
    return z.number().parse(await this.link.eval(HDEL_WHERE, [this.subs], ["chatId", chatId]));
  }

  async addDeadline(d: ReminderSettingsData["deadlines"][number]) {
    await this.link.command(["HSET", this.deadlines, JSON.stringify([d.date, d.scope]), JSON.stringify(d)]);
  }

  async removeDeadline(date: string, scope?: string) {
    return z.number().parse(await this.link.eval(HDEL_WHERE, [this.deadlines], ["date", date, ...(scope === undefined ? [] : ["scope", scope])]));
  }

  private keys(key: string) {
    const k = (what: string) => this.link.key(`reminder:${what}:${key}`);
    return { sent: k("sent"), failures: k("failures"), claim: k("claim") };
  }

  async wasSent(key: string) {
    return z.number().parse(await this.link.command(["EXISTS", this.keys(key).sent])) === 1;
  }

  async claimSend(key: string, maxFailures: number) {
    const k = this.keys(key);
    return z.number().parse(await this.link.eval(CLAIM_SEND, [k.sent, k.failures, k.claim], [maxFailures, SEND_CLAIM_MS, this.owner])) === 1;
  }

  async markSent(key: string, atIso: string) {
    const k = this.keys(key);
    await this.link.eval(MARK_SENT, [k.sent, k.claim, k.failures], [atIso, SENT_TTL_MS]);
  }

  async markFailed(key: string) {
    const k = this.keys(key);
    return z.number().parse(await this.link.eval(MARK_FAILED, [k.failures, k.claim], [FAILURES_TTL_MS]));
  }
}

// -------------------------------------------------------------------- reports

/** REPORTS_DIR's version number in Redis: bumped by the replica that changed it, polled by the others. */
class VersionSignal implements ReportsSignal {
  private seen = "0";
  private timers = new Set<NodeJS.Timeout>();
  private readonly versionKey: string;

  constructor(
    private readonly link: RedisLink,
    private readonly pollMs: number,
    private readonly log: Logger,
  ) {
    this.versionKey = link.key("reports:version");
  }

  private async read(): Promise<string> {
    return z.string().nullable().parse(await this.link.command(["GET", this.versionKey])) ?? "0";
  }

  async init() {
    this.seen = await this.read();
  }

  async changed() {
    const n = z.number().parse(await this.link.command(["INCR", this.versionKey]));
    // Another replica's change in between is not taken as seen: the next poll reads the folder again.
    if (Number(this.seen) + 1 === n) this.seen = String(n);
  }

  onChange(reload: () => void) {
    let busy = false;
    const timer = setInterval(() => {
      if (busy) return;
      busy = true;
      this.read()
        .then((v) => {
          if (v === this.seen) return;
          this.seen = v;
          this.log.info("另一副本更新了资料库，重新载入 REPORTS_DIR");
          reload();
        })
        // Redis being away is logged by the connection; the next poll tries again.
        .catch(() => {})
        .finally(() => (busy = false));
    }, this.pollMs);
    timer.unref();
    this.timers.add(timer);
    return () => {
      clearInterval(timer);
      this.timers.delete(timer);
    };
  }

  stop() {
    for (const t of this.timers) clearInterval(t);
    this.timers.clear();
  }
}
