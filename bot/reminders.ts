/**
 * Reminder subscriptions and local deadlines (kept by the state store), and the scheduler that
 * sends due reminders: clock and sender injected; a reminder missed earlier the same day is
 * sent after a restart, older ones are not; each is claimed before it is sent and marked sent
 * after (its key is also the Feishu uuid, so a retried send never posts twice); failed sends are
 * retried on later ticks and logged.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createCalendar, holidayOverrides, type WorkCalendar } from "../commands/calendar.ts";
import { dueAt, type LocalDeadline, type Reminder, type ReminderSettingsPort, type Subscription } from "../commands/reminders.ts";
import type { ReportStore } from "../index/store.ts";
import { readStateFile } from "../index/files.ts";
import { errText, type Logger, silentLogger } from "./log.ts";
import { FileReminders } from "./state/embedded.ts";
import type { ReminderSettingsData, ReminderStore } from "./state/state.ts";

/**
 * The commands' synchronous view of subscriptions and deadlines, over the (async) state store:
 * a snapshot, refreshed before use; a change applies to the snapshot at once and is written
 * through to the store (a failed write is logged; `settled()` waits for the writes).
 */
export class ReminderSettings implements ReminderSettingsPort {
  private writes: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: ReminderStore,
    private data: ReminderSettingsData,
    private readonly log: Logger = silentLogger(),
  ) {}

  static async load(store: ReminderStore, log?: Logger): Promise<ReminderSettings> {
    return new ReminderSettings(store, await store.settings(), log);
  }

  /** Settings kept in a DATA_DIR (the CLI, tests): read synchronously. */
  static inDataDir(dataDir: string, log: Logger = silentLogger()): ReminderSettings {
    const store = new FileReminders(dataDir, log, Date.now);
    return new ReminderSettings(store, store.snapshot(), log);
  }

  get subscriptions(): Subscription[] {
    return this.data.subscriptions;
  }
  get deadlines(): LocalDeadline[] {
    return this.data.deadlines;
  }

  /** Read again from the store (another process may have changed it). */
  async refresh(): Promise<void> {
    await this.settled();
    this.data = await this.store.settings();
  }

  /** Resolves when every change so far has been written (or its failure logged). */
  settled(): Promise<void> {
    return this.writes.then(() => {});
  }

  /** Started at once (in order), waited for by settled(). */
  private write(what: string, op: () => Promise<unknown>) {
    const done = op().catch((e) => this.log.error({ err: errText(e) }, `保存${what}失败（本次运行内仍有效，重启后丢失）：${errText(e)}`));
    this.writes = Promise.all([this.writes, done]);
  }

  subscribe(s: Subscription) {
    this.data = { ...this.data, subscriptions: [...this.data.subscriptions.filter((x) => !(x.chatId === s.chatId && x.scope === s.scope)), s] };
    this.write("提醒订阅", () => this.store.subscribe(s));
  }

  unsubscribe(chatId: string): number {
    const before = this.data.subscriptions.length;
    this.data = { ...this.data, subscriptions: this.data.subscriptions.filter((x) => x.chatId !== chatId) };
    this.write("取消订阅", () => this.store.unsubscribe(chatId));
    return before - this.data.subscriptions.length;
  }

  addDeadline(d: LocalDeadline) {
    this.data = { ...this.data, deadlines: [...this.data.deadlines.filter((x) => !(x.date === d.date && x.scope === d.scope)), d] };
    this.write("本地截止日期", () => this.store.addDeadline(d));
  }

  removeDeadline(date: string, scope?: string): number {
    const before = this.data.deadlines.length;
    this.data = { ...this.data, deadlines: this.data.deadlines.filter((x) => !(x.date === date && (scope === undefined || x.scope === scope))) };
    this.write("删除截止日期", () => this.store.removeDeadline(date, scope));
    return before - this.data.deadlines.length;
  }
}

/** The holiday calendar with DATA_DIR/holidays.json overrides (years not yet in chinese-days). */
export function loadCalendar(dataDir: string, log: (l: string) => void = () => {}): WorkCalendar {
  return createCalendar(readStateFile(join(dataDir, "holidays.json"), holidayOverrides, { what: "节假日补充", fallback: {}, fallbackNote: "按 chinese-days 自带的节假日计算", log }).data);
}

/** Optional roster: one organ per line (「宁海县 西店镇」 or 「西店镇」); # starts a comment. */
export function readRoster(path: string | undefined): string[] {
  if (!path || !existsSync(path)) return [];
  return readFileSync(path, "utf8")
    .split(/\r?\n/)
    .map((l) => l.replace(/#.*/, "").trim())
    .filter(Boolean);
}

export interface SchedulerDeps {
  store: () => ReportStore;
  settings: ReminderSettings;
  /** Where sent reminders are recorded. */
  sent: ReminderStore;
  calendar: WorkCalendar;
  roster: string[];
  now: () => number;
  send: (r: Reminder) => Promise<void>;
  /**
   * The send failed because the chat will never take a message (the bot is no longer in it):
   * its subscriptions are dropped instead of failing at every reminder. The bot-removed event
   * does the same, but it is lost if it came while the bot was down for longer than Feishu re-sends.
   */
  gone?: (e: unknown) => boolean;
  log: Logger;
  maxAttempts?: number;
}

export class ReminderScheduler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly deps: SchedulerDeps) {}

  /** Send whatever is due now and not yet sent. Safe to call at any interval. */
  tick(): Promise<void> {
    this.running ??= this.run()
      .catch((e) => this.deps.log.error({ err: errText(e) }, `提醒检查出错：${errText(e)}`))
      .finally(() => (this.running = null));
    return this.running;
  }

  private async run() {
    const { deps } = this;
    await deps.settings.refresh();
    const now = deps.now();
    const due = dueAt({ store: deps.store(), subscriptions: deps.settings.subscriptions, locals: deps.settings.deadlines, calendar: deps.calendar, roster: deps.roster }, now);
    const max = deps.maxAttempts ?? 5;
    const gone = new Set<string>();
    for (const r of due) {
      if (gone.has(r.chatId)) continue;
      if (await deps.sent.wasSent(r.key, r.atMs)) continue;
      if (!(await deps.sent.claimSend(r.key, max))) continue;
      const log = deps.log.child({ reminder: r.key.slice(0, 12), chat_id: r.chatId });
      try {
        await deps.send(r);
      } catch (e) {
        if (deps.gone?.(e)) {
          gone.add(r.chatId);
          const n = deps.settings.unsubscribe(r.chatId);
          await deps.settings.settled();
          log.warn({ err: errText(e) }, `提醒发不到群 ${r.chatId}：机器人已不在该群，取消该群 ${n} 项提醒订阅（${errText(e)}）`);
          continue;
        }
        const n = await deps.sent.markFailed(r.key);
        log.warn({ attempt: n, err: errText(e) }, `提醒发送失败（第 ${n} 次${n >= max ? "，不再重试" : ""}）：${errText(e)}`);
        continue;
      }
      await deps.sent.markSent(r.key, new Date(now).toISOString());
      log.info(`已发送提醒 → ${r.chatId}（${r.deadline} 截止，还有 ${r.daysLeft} 天）`);
    }
  }

  start(intervalMs = 60_000) {
    void this.tick();
    this.timer = setInterval(() => void this.tick(), intervalMs);
    this.timer.unref();
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
  }
}

