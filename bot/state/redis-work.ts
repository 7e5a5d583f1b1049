/**
 * The work journal on Redis, shared by the replicas: one Redis Stream with one consumer group,
 * each replica a consumer.
 *
 * - accept: `SET <dedupe key> NX PX 8h`, then XADD the job and XREADGROUP it at once, all in one
 *   script, so the job is in this replica's pending list (PEL) before the event is acked; a repeat
 *   (the key is set) adds nothing. If the stream refuses the job, the key is deleted again, so
 *   Feishu's re-delivery is not taken for a repeat.
 * - While a replica holds a job (queued, running, waiting to retry), it renews the job's idle time
 *   every few seconds (XCLAIM to itself, only while the entry is still its own).
 * - takeOver: XAUTOCLAIM takes the entries idle longer than `takeOverAfterMs` — those of a replica
 *   that died or lost Redis — for this one; each entry goes to one replica.
 * - finish: XACK and XDEL (the stream keeps unfinished work only); the dedupe key stays until it expires.
 * - close: what is still held is marked idle for `takeOverAfterMs` (XCLAIM … IDLE), so another
 *   replica (or this one, restarted) takes it over at once.
 * - A job's `starts` is its delivery count less one: how many replicas went silent holding it.
 *
 * Everything read back is checked with zod; an entry that is not a job is logged and dropped.
 */
import { z } from "zod";
import { errText, type Logger } from "../log.ts";
import { DEDUPE_TTL_MS } from "./journal.ts";
import type { RedisLink } from "./redis-link.ts";
import type { Job, Outcome, WorkStore } from "./state.ts";

/** A replica silent this long has its jobs taken over: with Work's check every 2 s, within 30 s of going silent. */
export const TAKE_OVER_AFTER_MS = 20_000;
const GROUP = "replicas";
/** Consumers that left nothing pending are removed from the group after this long. */
const FORGET_CONSUMER_MS = 60 * 60_000;

const ACCEPT = `
if not redis.call('SET', KEYS[1], ARGV[3], 'NX', 'PX', ARGV[1]) then return false end
redis.pcall('XGROUP', 'CREATE', KEYS[2], ARGV[2], '0', 'MKSTREAM')
local id = redis.pcall('XADD', KEYS[2], '*', 'k', ARGV[4], 'kind', ARGV[5], 'chat', ARGV[6], 'p', ARGV[7], 't', ARGV[8])
if type(id) == 'table' then
  redis.call('DEL', KEYS[1])
  return id
end
local got = redis.pcall('XREADGROUP', 'GROUP', ARGV[2], ARGV[3], 'COUNT', 1000, 'STREAMS', KEYS[2], '>')
if type(got) ~= 'table' or got.err then
  redis.call('XDEL', KEYS[2], id)
  redis.call('DEL', KEYS[1])
  return got
end
return id
`;

const FINISH = `
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[2])
return 1
`;

/** How many times each entry was delivered (to the replica that accepted it, then to each that took it over). */
const DELIVERIES = `
local out = {}
for i = 2, #ARGV do
  local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1)
  out[i - 1] = p[1] and p[1][4] or 0
end
return out
`;

/** Renew the idle time of entries still this consumer's; returns those another replica took. */
const TOUCH = `
local lost = {}
for i = 3, #ARGV do
  local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1)
  if p[1] and p[1][2] == ARGV[2] then
    redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[i], 'IDLE', 0, 'JUSTID')
  else
    table.insert(lost, ARGV[i])
  end
end
return lost
`;

/**
 * Entries still this consumer's are marked idle for ARGV[3] ms, so the next takeOver anywhere
 * takes them; their delivery count is taken back by one, as a handover is not a crash.
 */
const RELEASE = `
for i = 4, #ARGV do
  local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1)
  if p[1] and p[1][2] == ARGV[2] then
    redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[i], 'IDLE', ARGV[3], 'RETRYCOUNT', math.max(0, p[1][4] - 1), 'JUSTID')
  end
end
return 1
`;

const fields = z.array(z.string()).transform((kv) => Object.fromEntries(kv.flatMap((v, i) => (i % 2 ? [] : [[v, kv[i + 1]]]))));
const jobFields = z.object({ k: z.string().min(1), kind: z.string(), chat: z.string(), p: z.string(), t: z.coerce.number() });
const autoclaimReply = z.tuple([z.string(), z.array(z.union([z.null(), z.tuple([z.string(), fields])])), z.array(z.string()).optional()]).rest(z.unknown());
const consumersReply = z.array(z.object({ name: z.string(), pending: z.number(), idle: z.number() }).loose());

export interface RedisWorkOptions {
  link: RedisLink;
  /** This replica's consumer name in the group. */
  consumer: string;
  log: Logger;
  dedupeTtlMs?: number;
  takeOverAfterMs?: number;
}

export class RedisWork implements WorkStore {
  /** Jobs this replica holds (accepted or taken over, not finished): key → stream entry id. */
  private readonly held = new Map<string, string>();
  /** Jobs finished here whose finish could not be written (Redis was away): written again on the next heartbeat. */
  private readonly unrecorded = new Map<string, string>();
  private readonly heartbeat: NodeJS.Timeout;
  private lastForget = 0;
  private readonly stream: string;
  readonly takeOverAfterMs: number;

  constructor(private readonly o: RedisWorkOptions) {
    this.stream = o.link.key("work");
    this.takeOverAfterMs = o.takeOverAfterMs ?? TAKE_OVER_AFTER_MS;
    this.heartbeat = setInterval(() => void this.touch(), Math.max(200, Math.floor(this.takeOverAfterMs / 4)));
    this.heartbeat.unref();
  }

  /** Jobs held here (/healthz). */
  get size(): number {
    return this.held.size;
  }

  async accept(job: Job): Promise<boolean> {
    const { link } = this.o;
    const id = await link.unavailableIfLost(() =>
      link.eval(
        ACCEPT,
        [link.key(`dedupe:${job.key}`), this.stream],
        [this.o.dedupeTtlMs ?? DEDUPE_TTL_MS, GROUP, this.o.consumer, job.key, job.kind, job.chat, JSON.stringify(job.payload), job.acceptedAt],
      ),
    );
    if (id === null) return false;
    this.held.set(job.key, z.string().parse(id));
    return true;
  }

  /**
   * Nothing to write: the stream counts deliveries — one when accepted, one more each time a
   * silent replica's job is taken over — and a job taken over from MAX_STARTS replicas that each
   * went silent holding it is given up (Work). Retries within a live replica do not count.
   */
  async started(_key: string): Promise<void> {}

  async finish(key: string, _outcome: Outcome): Promise<void> {
    const id = this.held.get(key);
    if (id === undefined) return;
    this.held.delete(key);
    try {
      await this.o.link.eval(FINISH, [this.stream], [GROUP, id]);
    } catch (e) {
      // Done here, not yet recorded: no longer renewed, and recorded by a later heartbeat.
      this.unrecorded.set(key, id);
      throw e;
    }
  }

  /** At start: whatever a silent replica (or this one before a restart) left. */
  unfinished(): Promise<Job[]> {
    return this.takeOver();
  }

  /** The group (and stream), if Redis lost them (restarted empty, flushed). */
  async ensureGroup(): Promise<void> {
    await this.o.link.command(["XGROUP", "CREATE", this.stream, GROUP, "0", "MKSTREAM"]).catch((e) => {
      if (!/BUSYGROUP/.test(errText(e))) throw e;
    });
  }

  async takeOver(): Promise<Job[]> {
    try {
      return await this.claimIdle();
    } catch (e) {
      if (!/NOGROUP|no such key/i.test(errText(e))) throw e;
      await this.ensureGroup();
      return [];
    }
  }

  private async claimIdle(): Promise<Job[]> {
    const { link, log } = this.o;
    const claimed: { id: string; fields: Record<string, string> }[] = [];
    let cursor = "0-0";
    // A bounded sweep: the rest waits for the next one, a few seconds later.
    for (let round = 0; round < 10; round++) {
      const reply = autoclaimReply.parse(await link.command(["XAUTOCLAIM", this.stream, GROUP, this.o.consumer, String(this.takeOverAfterMs), cursor, "COUNT", "100"]));
      for (const e of reply[1]) if (e) claimed.push({ id: e[0], fields: e[1] });
      cursor = reply[0];
      if (cursor === "0-0") break;
    }
    await this.forgetGoneConsumers();
    if (!claimed.length) return [];
    const deliveries = z.array(z.number()).parse(await link.eval(DELIVERIES, [this.stream], [GROUP, ...claimed.map((c) => c.id)]));
    const jobs: Job[] = [];
    for (const [i, c] of claimed.entries()) {
      const f = jobFields.safeParse(c.fields);
      let payload: unknown;
      try {
        if (!f.success) throw new Error(f.error.issues.map((x) => `${x.path.join(".")} ${x.message}`).join("；"));
        payload = JSON.parse(f.data.p);
      } catch (e) {
        log.error({ entry: c.id }, `工作队列里的记录 ${c.id} 不是有效的任务（${errText(e)}），已丢弃`);
        await link.eval(FINISH, [this.stream], [GROUP, c.id]);
        continue;
      }
      const { k, kind, chat, t } = f.data;
      // Already running here (its renewals failed while Redis was away): not run a second time.
      const mine = this.held.has(k);
      this.held.set(k, c.id);
      if (mine) continue;
      // Every delivery before this one was to a replica that went silent holding it.
      jobs.push({ key: k, kind, chat, payload, acceptedAt: t, starts: Math.max(0, (deliveries[i] ?? 1) - 1) });
    }
    return jobs.sort((a, b) => a.acceptedAt - b.acceptedAt);
  }

  /** Renew what is held; a job another replica took is no longer renewed here (its reply uuid keeps it posted once). */
  private async touch() {
    for (const [key, id] of this.unrecorded) {
      try {
        await this.o.link.eval(FINISH, [this.stream], [GROUP, id]);
        this.unrecorded.delete(key);
      } catch {
        break;
      }
    }
    const ids = [...this.held.values()];
    if (!ids.length) return;
    try {
      for (let i = 0; i < ids.length; i += 500) {
        const lost = new Set(z.array(z.string()).parse(await this.o.link.eval(TOUCH, [this.stream], [GROUP, this.o.consumer, ...ids.slice(i, i + 500)])));
        if (!lost.size) continue;
        for (const [key, id] of this.held) if (lost.has(id)) this.held.delete(key);
        this.o.log.warn({ jobs: lost.size }, `${lost.size} 项工作已被其他副本接手（本副本曾与 Redis 失联）`);
      }
    } catch (e) {
      this.o.log.warn({ err: errText(e) }, `续期手头的工作失败：${errText(e)}`);
    }
  }

  /** Consumers of replicas long gone that left nothing pending are removed from the group. */
  private async forgetGoneConsumers() {
    const now = Date.now();
    if (now - this.lastForget < 60_000) return;
    this.lastForget = now;
    const consumers = consumersReply.parse(await this.o.link.command(["XINFO", "CONSUMERS", this.stream, GROUP]));
    for (const c of consumers) {
      if (c.name !== this.o.consumer && c.pending === 0 && c.idle > FORGET_CONSUMER_MS) await this.o.link.command(["XGROUP", "DELCONSUMER", this.stream, GROUP, c.name]);
    }
  }

  /** Stop renewing; hand what is still held to whichever replica looks next. */
  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    const ids = [...this.held.values()];
    for (let i = 0; i < ids.length; i += 500) {
      await this.o.link.eval(RELEASE, [this.stream], [GROUP, this.o.consumer, this.takeOverAfterMs, ...ids.slice(i, i + 500)]);
    }
    if (ids.length) this.o.log.info({ jobs: ids.length }, `${ids.length} 项未完成的工作已交出，其他副本（或本副本重启后）随即接手`);
    this.held.clear();
  }
}
