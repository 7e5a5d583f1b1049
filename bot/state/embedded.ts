/**
 * The embedded state, for one process (what `npm start` uses), all under DATA_DIR:
 * - journal.jsonl — the work journal and event dedupe (./journal.ts);
 * - reminders.json — subscriptions and local deadlines;
 * - reminders-sent.json — reminders sent (and failed attempts);
 * - uploads/<id>/ — checked files waiting for 加入资料库, with meta.json (UPLOADS_DIR if set).
 * Card-button claims live in memory: a claim only guards work in this process. REPORTS_DIR has
 * one reader, which watches it itself: the reload signal has no one else to tell.
 *
 * Every file is validated when read; a damaged one is moved aside (`*.corrupt-<time>`), logged
 * with what was lost, and a safe default taken. Write failures are logged, never thrown from a
 * timer.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { localDeadlineSchema, subscriptionSchema } from "../../commands/reminders.ts";
import { readStateFile, tryWriteFileAtomic, writeFileAtomic } from "../../index/files.ts";
import { errText, lines, type Logger } from "../log.ts";
import { WorkJournal } from "./journal.ts";
import type { BotState, ClaimStore, PendingUpload, ReminderSettingsData, ReminderStore, UploadMeta, UploadStore } from "./state.ts";

export interface EmbeddedOptions {
  dataDir: string;
  log: Logger;
  now?: () => number;
  /** How long an event key is kept for dedupe (8 h by default: Feishu re-sends for about 7.1 h). */
  dedupeTtlMs?: number;
  /** Where checked files wait for 加入资料库; DATA_DIR/uploads by default. */
  uploadsDir?: string;
}

export async function openEmbeddedState(o: EmbeddedOptions): Promise<BotState & { journal: WorkJournal }> {
  const now = o.now ?? Date.now;
  mkdirSync(o.dataDir, { recursive: true });
  const journal = await WorkJournal.open(join(o.dataDir, "journal.jsonl"), { now, log: o.log.child({ component: "journal" }), ttlMs: o.dedupeTtlMs });
  return {
    journal,
    work: journal,
    cards: new MemoryClaims(now),
    reminders: new FileReminders(o.dataDir, o.log.child({ component: "reminders" }), now),
    uploads: new FolderUploads(o.uploadsDir ?? join(o.dataDir, "uploads"), o.log.child({ component: "uploads" })),
    reports: { changed: async () => {}, onChange: () => () => {} },
    health: async () => ({ state: "embedded", journal: journal.size }),
    close: () => journal.close(),
  };
}

export class MemoryClaims implements ClaimStore {
  private readonly held = new Map<string, number>();
  constructor(private readonly now: () => number) {}
  async claim(key: string, ttlMs: number) {
    const until = this.held.get(key);
    if (until !== undefined && until > this.now()) return false;
    this.held.set(key, this.now() + ttlMs);
    return true;
  }
  async release(key: string) {
    this.held.delete(key);
  }
}

// -------------------------------------------------------------------- reminders

const settingsSchema = z.object({
  subscriptions: z.array(subscriptionSchema).default([]),
  deadlines: z.array(localDeadlineSchema).default([]),
});

const sentSchema = z.object({
  sent: z.record(z.string(), z.string()).default({}),
  failures: z.record(z.string(), z.number()).default({}),
  /** Reminders due before this time (ms) count as sent: set when the file was found damaged. */
  sentBefore: z.number().optional(),
});

const countOf = (raw: unknown, field: string) => {
  const v = (raw as Record<string, unknown>)?.[field];
  return Array.isArray(v) ? v.length : v && typeof v === "object" ? Object.keys(v).length : 0;
};

/** The end of the Beijing day that `ms` falls in. */
export const endOfBeijingDay = (ms: number) => {
  const day = new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
  return Date.parse(`${day}T00:00:00+08:00`) + 86400_000;
};

export class FileReminders implements ReminderStore {
  private settingsData: ReminderSettingsData;
  private sent: z.infer<typeof sentSchema>;
  private readonly claimed = new Set<string>();
  private readonly settingsPath: string;
  private readonly sentPath: string;

  constructor(
    dataDir: string,
    private readonly log: Logger,
    now: () => number,
  ) {
    this.settingsPath = join(dataDir, "reminders.json");
    this.sentPath = join(dataDir, "reminders-sent.json");
    const logLine = lines(log, "error");
    const clock = () => new Date(now());
    this.settingsData = readStateFile(this.settingsPath, settingsSchema, {
      what: "提醒订阅",
      lost: (raw) => `${countOf(raw, "subscriptions")} 项订阅、${countOf(raw, "deadlines")} 个本地截止日期`,
      fallbackNote: "各群需重新 /订阅提醒",
      fallback: { subscriptions: [], deadlines: [] },
      log: logLine,
      now: clock,
    }).data;
    const sentBefore = endOfBeijingDay(now());
    const read = readStateFile(this.sentPath, sentSchema, {
      what: "已发送提醒记录",
      lost: (raw) => `${countOf(raw, "sent")} 条发送记录`,
      // Re-sending a whole day's reminders to every group is worse than missing today's.
      fallbackNote: `今天（截至 ${new Date(sentBefore).toISOString()}）到期的提醒一律视为已发送，不再补发`,
      fallback: { sent: {}, failures: {} },
      log: logLine,
      now: clock,
    });
    this.sent = read.damaged ? { ...read.data, sentBefore } : read.data;
    if (read.damaged) this.saveSent();
  }

  /** The settings as read (synchronously: they are in memory). */
  snapshot(): ReminderSettingsData {
    return { subscriptions: [...this.settingsData.subscriptions], deadlines: [...this.settingsData.deadlines] };
  }

  async settings(): Promise<ReminderSettingsData> {
    return this.snapshot();
  }

  async subscribe(s: ReminderSettingsData["subscriptions"][number]) {
    this.settingsData.subscriptions = [...this.settingsData.subscriptions.filter((x) => !(x.chatId === s.chatId && x.scope === s.scope)), s];
    this.saveSettings();
  }

  async unsubscribe(chatId: string) {
    const before = this.settingsData.subscriptions.length;
    this.settingsData.subscriptions = this.settingsData.subscriptions.filter((x) => x.chatId !== chatId);
    this.saveSettings();
    return before - this.settingsData.subscriptions.length;
  }

  async addDeadline(d: ReminderSettingsData["deadlines"][number]) {
    this.settingsData.deadlines = [...this.settingsData.deadlines.filter((x) => !(x.date === d.date && x.scope === d.scope)), d];
    this.saveSettings();
  }

  async removeDeadline(date: string, scope?: string) {
    const before = this.settingsData.deadlines.length;
    this.settingsData.deadlines = this.settingsData.deadlines.filter((x) => !(x.date === date && (scope === undefined || x.scope === scope)));
    this.saveSettings();
    return before - this.settingsData.deadlines.length;
  }

  async wasSent(key: string, atMs: number) {
    return key in this.sent.sent || (this.sent.sentBefore !== undefined && atMs < this.sent.sentBefore);
  }

  async claimSend(key: string, maxFailures: number) {
    if (key in this.sent.sent || this.claimed.has(key) || (this.sent.failures[key] ?? 0) >= maxFailures) return false;
    this.claimed.add(key);
    return true;
  }

  async markSent(key: string, atIso: string) {
    this.claimed.delete(key);
    this.sent.sent[key] = atIso;
    delete this.sent.failures[key];
    this.saveSent();
  }

  async markFailed(key: string) {
    this.claimed.delete(key);
    const n = (this.sent.failures[key] ?? 0) + 1;
    this.sent.failures[key] = n;
    this.saveSent();
    return n;
  }

  private saveSettings() {
    // Thrown to the command, which answers that the change was not saved.
    writeFileAtomic(this.settingsPath, JSON.stringify(this.settingsData, null, 1));
  }

  private saveSent() {
    // Kept in memory either way: this process will not send it twice; the log says the file is behind.
    tryWriteFileAtomic(this.sentPath, JSON.stringify(this.sent, null, 1), lines(this.log, "error"));
  }
}

// -------------------------------------------------------------------- uploads

const META = "meta.json";
const metaSchema = z.object({
  fileName: z.string(),
  organ: z.string().nullable(),
  organShort: z.string().nullable(),
  region: z.string().nullable(),
  year: z.number().nullable(),
  checkedAt: z.string(),
  passed: z.boolean(),
  answer: z.custom<UploadMeta["answer"]>((v) => typeof v === "object" && v !== null && typeof (v as { title?: unknown }).title === "string" && Array.isArray((v as { lines?: unknown }).lines)),
});

export class FolderUploads implements UploadStore {
  constructor(
    private readonly dir: string,
    private readonly log: Logger,
  ) {}

  /** One folder per upload, named by its message id made safe for the file system. */
  private folder(uploadId: string) {
    return join(this.dir, uploadId.replace(/[^\w-]/g, "_"));
  }

  async put(uploadId: string, name: string, bytes: Buffer, meta: UploadMeta) {
    const d = this.folder(uploadId);
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, name), bytes);
    writeFileAtomic(join(d, META), JSON.stringify(meta));
  }

  async get(uploadId: string): Promise<PendingUpload | null> {
    const d = this.folder(uploadId);
    if (!existsSync(d)) return null;
    const read = readStateFile(join(d, META), metaSchema.nullable(), { what: "待加入资料库的上传", fallback: null, log: lines(this.log, "error") });
    const name = readdirSync(d).find((x) => x !== META && !x.endsWith(".tmp") && !x.includes(".corrupt-"));
    if (!read.data || !name) return null;
    return { bytes: readFileSync(join(d, name)), name, meta: read.data };
  }

  async remove(uploadId: string) {
    rmSync(this.folder(uploadId), { recursive: true, force: true });
  }

  async prune(cutoffMs: number) {
    if (!existsSync(this.dir)) return;
    for (const d of readdirSync(this.dir)) {
      const path = join(this.dir, d);
      try {
        if (statSync(path).mtimeMs < cutoffMs) rmSync(path, { recursive: true, force: true });
      } catch (e) {
        this.log.warn({ path }, `清理过期上传失败：${errText(e)}`);
      }
    }
  }
}
