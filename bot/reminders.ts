/**
 * Reminder subscriptions and local deadlines (persisted in DATA_DIR), and the scheduler that
 * sends due reminders: clock and sender injected; a reminder missed earlier the same day is
 * sent after a restart, older ones are not; each is sent at most once (its key is also the
 * Feishu uuid); failed sends are retried on later ticks and logged.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { createCalendar, holidayOverrides, type WorkCalendar } from "../commands/calendar.ts";
import { dueAt, type LocalDeadline, localDeadlineSchema, type Reminder, type Subscription, subscriptionSchema } from "../commands/reminders.ts";
import { readJsonOr, writeFileAtomic } from "../index/files.ts";
import type { ReportStore } from "../index/store.ts";

const writeFileAtomicJson = (path: string, data: unknown) => writeFileAtomic(path, JSON.stringify(data, null, 1));

const fileSchema = z.object({
  subscriptions: z.array(subscriptionSchema).default([]),
  deadlines: z.array(localDeadlineSchema).default([]),
});

/** Subscriptions and local deadlines, in DATA_DIR/reminders.json. */
export class ReminderSettings {
  private data: z.infer<typeof fileSchema>;
  private readonly path: string;

  constructor(dataDir: string, log: (l: string) => void = () => {}) {
    this.path = join(dataDir, "reminders.json");
    this.data = readJsonOr(this.path, fileSchema, { subscriptions: [], deadlines: [] }, log);
  }

  get subscriptions(): Subscription[] {
    return this.data.subscriptions;
  }
  get deadlines(): LocalDeadline[] {
    return this.data.deadlines;
  }

  subscribe(s: Subscription) {
    this.data.subscriptions = [...this.data.subscriptions.filter((x) => !(x.chatId === s.chatId && x.scope === s.scope)), s];
    writeFileAtomicJson(this.path, this.data);
  }

  unsubscribe(chatId: string): number {
    const before = this.data.subscriptions.length;
    this.data.subscriptions = this.data.subscriptions.filter((x) => x.chatId !== chatId);
    writeFileAtomicJson(this.path, this.data);
    return before - this.data.subscriptions.length;
  }

  addDeadline(d: LocalDeadline) {
    this.data.deadlines = [...this.data.deadlines.filter((x) => !(x.date === d.date && x.scope === d.scope)), d];
    writeFileAtomicJson(this.path, this.data);
  }

  removeDeadline(date: string, scope?: string): number {
    const before = this.data.deadlines.length;
    this.data.deadlines = this.data.deadlines.filter((x) => !(x.date === date && (scope === undefined || x.scope === scope)));
    writeFileAtomicJson(this.path, this.data);
    return before - this.data.deadlines.length;
  }
}

/** The holiday calendar with DATA_DIR/holidays.json overrides (years not yet in chinese-days). */
export function loadCalendar(dataDir: string, log: (l: string) => void = () => {}): WorkCalendar {
  return createCalendar(readJsonOr(join(dataDir, "holidays.json"), holidayOverrides, {}, log));
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
  calendar: WorkCalendar;
  roster: string[];
  now: () => number;
  send: (r: Reminder) => Promise<void>;
  /** DATA_DIR/reminders-sent.json */
  statePath: string;
  log: (l: string) => void;
  maxAttempts?: number;
}

const stateSchema = z.object({ sent: z.record(z.string(), z.string()).default({}), failures: z.record(z.string(), z.number()).default({}) });

export class ReminderScheduler {
  private state: z.infer<typeof stateSchema>;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly deps: SchedulerDeps) {
    this.state = readJsonOr(deps.statePath, stateSchema, { sent: {}, failures: {} }, deps.log);
  }

  wasSent(key: string): boolean {
    return key in this.state.sent;
  }

  /** Send whatever is due now and not yet sent. Safe to call at any interval. */
  tick(): Promise<void> {
    this.running ??= this.run().finally(() => (this.running = null));
    return this.running;
  }

  private async run() {
    const { deps } = this;
    const now = deps.now();
    const due = dueAt({ store: deps.store(), subscriptions: deps.settings.subscriptions, locals: deps.settings.deadlines, calendar: deps.calendar, roster: deps.roster }, now);
    const max = deps.maxAttempts ?? 5;
    for (const r of due) {
      if (this.wasSent(r.key) || (this.state.failures[r.key] ?? 0) >= max) continue;
      try {
        await deps.send(r);
        this.state.sent[r.key] = new Date(now).toISOString();
        delete this.state.failures[r.key];
        deps.log(`已发送提醒 ${r.key.slice(0, 8)} → ${r.chatId}（${r.deadline} 截止，还有 ${r.daysLeft} 天）`);
      } catch (e) {
        this.state.failures[r.key] = (this.state.failures[r.key] ?? 0) + 1;
        deps.log(`提醒 ${r.key.slice(0, 8)} → ${r.chatId} 发送失败（第 ${this.state.failures[r.key]} 次）：${(e as Error).message}`);
      }
      writeFileAtomicJson(deps.statePath, this.state);
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
