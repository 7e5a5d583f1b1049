/**
 * The durable work journal of the embedded state: one append-only file of JSON lines in
 * DATA_DIR, on disk before `accept` resolves, so an event is acked only once its work would
 * survive kill -9: the file is opened with O_DSYNC, so a write returns once its data is on disk
 * (fdatasync's guarantee, in one call instead of two). Appends that arrive while a write is
 * running are written together by the next one (group commit): one write per batch, not per event.
 *
 * Records: {a: key, k, c, p, t, n?} accepted (n: runs started before a rewrite), {s: key} a run
 * started, {f: key, o, t} finished, {x: key, e} a finished key kept for dedupe until e.
 * The in-memory map of keys is the dedupe set; the file is rewritten (temporary file, flushed,
 * renamed, folder flushed) at open and whenever it holds several times more lines than live keys.
 *
 * Damage: a torn last line (the process died mid-write; that event was never acked) is dropped;
 * any other unreadable line, or a folder where the file should be, is set aside as
 * `<file>.corrupt-<time>` and logged with how many records were lost; the readable ones are kept.
 */
import { constants } from "node:fs";
import { copyFile, type FileHandle, mkdir, open, readFile, rename, stat } from "node:fs/promises";
import { dirname } from "node:path";
import { z } from "zod";
import { corruptPath } from "../../index/files.ts";
import { errText, type Logger } from "../log.ts";
import type { Job, Outcome, WorkStore } from "./state.ts";

/** Feishu re-sends an unacknowledged event for about 7.1 hours: keys are kept 8. */
export const DEDUPE_TTL_MS = 8 * 60 * 60 * 1000;

/** Append, and each write on disk when it returns. */
const APPEND_DURABLE = constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND | constants.O_DSYNC;

const record = z.union([
  z.object({ a: z.string(), k: z.string(), c: z.string(), p: z.unknown(), t: z.number(), n: z.number().optional() }),
  z.object({ s: z.string() }),
  z.object({ f: z.string(), o: z.enum(["done", "gave_up"]), t: z.number() }),
  z.object({ x: z.string(), e: z.number() }),
]);

interface Entry {
  expires: number;
  /** Present while the job is unfinished. */
  job?: Job;
  /** Resolves once the accept record is on disk. */
  durable?: Promise<void>;
}

export interface JournalOptions {
  now: () => number;
  log: Logger;
  ttlMs?: number;
}

export class WorkJournal implements WorkStore {
  private readonly entries = new Map<string, Entry>();
  private fh: FileHandle | null = null;
  private linesInFile = 0;
  private pendingLines: string[] = [];
  private waiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  private flushing: Promise<void> | null = null;
  private readonly ttlMs: number;

  private constructor(
    readonly path: string,
    private readonly o: JournalOptions,
  ) {
    this.ttlMs = o.ttlMs ?? DEDUPE_TTL_MS;
  }

  static async open(path: string, o: JournalOptions): Promise<WorkJournal> {
    const j = new WorkJournal(path, o);
    await mkdir(dirname(path), { recursive: true });
    await j.load();
    await j.rewrite();
    return j;
  }

  // ---------------------------------------------------------------- WorkStore

  async accept(job: Job): Promise<boolean> {
    const prior = this.entries.get(job.key);
    if (prior && (prior.job || prior.expires > this.o.now())) {
      // A repeat that arrives while the first is being written is acked only once the first is durable.
      if (prior.durable) await prior.durable.catch(() => {});
      if (this.entries.get(job.key) === prior) return false;
      return this.accept(job);
    }
    const entry: Entry = { expires: job.acceptedAt + this.ttlMs, job: { ...job, starts: 0 } };
    this.entries.set(job.key, entry);
    entry.durable = this.append({ a: job.key, k: job.kind, c: job.chat, p: job.payload, t: job.acceptedAt });
    try {
      await entry.durable;
    } catch (e) {
      // Not on disk: forget it, so Feishu's re-delivery (it gets no ack) is accepted again.
      if (this.entries.get(job.key) === entry) this.entries.delete(job.key);
      throw e;
    } finally {
      entry.durable = undefined;
    }
    return true;
  }

  async started(key: string): Promise<void> {
    const e = this.entries.get(key);
    if (!e?.job) return;
    e.job.starts = (e.job.starts ?? 0) + 1;
    // Not waited for: losing it only loses one count.
    this.append({ s: key }).catch(() => {});
  }

  async finish(key: string, outcome: Outcome): Promise<void> {
    const e = this.entries.get(key);
    if (e) e.job = undefined;
    await this.append({ f: key, o: outcome, t: this.o.now() });
  }

  async unfinished(): Promise<Job[]> {
    return [...this.entries.values()].filter((e) => e.job).map((e) => ({ ...e.job! })).sort((a, b) => a.acceptedAt - b.acceptedAt);
  }

  /** Keys held for dedupe (finished or not). */
  get size(): number {
    return this.entries.size;
  }

  async close(): Promise<void> {
    await this.flushing;
    await this.fh?.close();
    this.fh = null;
  }

  // ---------------------------------------------------------------- writing

  private append(rec: z.infer<typeof record>): Promise<void> {
    if (!this.fh) return Promise.reject(new Error("工作日志已关闭"));
    return new Promise((resolve, reject) => {
      this.pendingLines.push(`${JSON.stringify(rec)}\n`);
      this.waiters.push({ resolve, reject });
      this.flushing ??= this.flushLoop().finally(() => (this.flushing = null));
    });
  }

  private async flushLoop() {
    while (this.pendingLines.length) {
      const batch = this.pendingLines.splice(0);
      const waiters = this.waiters.splice(0);
      try {
        if (!this.fh) throw new Error("工作日志已关闭");
        await this.fh.write(batch.join(""));
        this.linesInFile += batch.length;
        for (const w of waiters) w.resolve();
      } catch (e) {
        this.o.log.error({ err: errText(e), records: batch.length }, `写入工作日志 ${this.path} 失败：这些事件不确认，飞书会重新推送`);
        for (const w of waiters) w.reject(e);
      }
      if (this.linesInFile > 10_000 && this.linesInFile > 4 * this.entries.size) {
        await this.rewrite().catch((e) => this.o.log.error({ err: errText(e) }, `整理工作日志 ${this.path} 失败，继续追加写入`));
      }
    }
  }

  /** The file anew with only the live records: temporary file, flushed, renamed, folder flushed. */
  private async rewrite() {
    const now = this.o.now();
    const out: string[] = [];
    for (const [key, e] of this.entries) {
      if (e.job) out.push(JSON.stringify({ a: key, k: e.job.kind, c: e.job.chat, p: e.job.payload, t: e.job.acceptedAt, n: e.job.starts ?? 0 }));
      else if (e.expires > now) out.push(JSON.stringify({ x: key, e: e.expires }));
      else this.entries.delete(key);
    }
    const tmp = `${this.path}.tmp`;
    const t = await open(tmp, "w");
    try {
      await t.write(out.length ? `${out.join("\n")}\n` : "");
      await t.datasync();
    } finally {
      await t.close();
    }
    await rename(tmp, this.path);
    const dir = await open(dirname(this.path), "r");
    await dir.sync().finally(() => dir.close());
    await this.fh?.close();
    this.fh = await open(this.path, APPEND_DURABLE);
    this.linesInFile = out.length;
  }

  // ---------------------------------------------------------------- reading

  private async load() {
    const log = this.o.log;
    let text: string;
    try {
      const st = await stat(this.path).catch(() => null);
      if (!st) return;
      if (!st.isFile()) throw new Error("不是文件");
      text = await readFile(this.path, "utf8");
    } catch (e) {
      const to = corruptPath(this.path, new Date(this.o.now()));
      await rename(this.path, to).catch(() => {});
      log.error({ file: this.path, moved_to: to }, `工作日志 ${this.path} 无法读取（${errText(e)}），已移到 ${to}；丢失其中全部记录：已确认未回答的消息不会续答，去重记录从头开始（同一 uuid 的回答飞书 1 小时内不会重复发出）`);
      return;
    }
    const lines = text.split("\n");
    // The last piece is "" after a final newline; anything else there is a torn write.
    const torn = lines.pop();
    if (torn) log.warn({ file: this.path }, "工作日志最后一行不完整（上次写入时进程退出），该事件当时未确认，已忽略");
    let bad = 0;
    for (const line of lines) {
      if (!line) continue;
      let r: z.infer<typeof record>;
      try {
        r = record.parse(JSON.parse(line));
      } catch {
        bad++;
        continue;
      }
      this.apply(r);
    }
    if (bad) {
      const to = corruptPath(this.path, new Date(this.o.now()));
      await copyFile(this.path, to).catch(() => {});
      log.error({ file: this.path, copied_to: to, lost: bad }, `工作日志 ${this.path} 有 ${bad} 条记录无法读取，已丢失（原文件已复制到 ${to}）；其余 ${this.entries.size} 条保留`);
    }
    const now = this.o.now();
    for (const [key, e] of this.entries) if (!e.job && e.expires <= now) this.entries.delete(key);
  }

  private apply(r: z.infer<typeof record>) {
    if ("a" in r) this.entries.set(r.a, { expires: r.t + this.ttlMs, job: { key: r.a, kind: r.k, chat: r.c, payload: r.p, acceptedAt: r.t, starts: r.n ?? 0 } });
    else if ("s" in r) {
      const job = this.entries.get(r.s)?.job;
      if (job) job.starts = (job.starts ?? 0) + 1;
    } else if ("f" in r) {
      const e = this.entries.get(r.f);
      if (e) e.job = undefined;
    } else this.entries.set(r.x, { expires: r.e });
  }
}
