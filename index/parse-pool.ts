/**
 * Documents are parsed in worker threads, never on the thread that answers Feishu: a hostile
 * file (a zip bomb, a PDF of 200,000 pages, text that makes a regular expression backtrack) costs
 * at most one worker for at most `timeoutMs`, and never the server or the `parse` command.
 *
 * Each parse has a time limit (the worker is terminated and replaced), a heap limit
 * (resourceLimits: V8 ends the worker, not the process), and — because decoded PDF streams and
 * unzipped data live in ArrayBuffers, which resourceLimits do not count — a limit on how much
 * the process's resident memory may grow while it runs. Page and size limits are checked in the
 * worker before reading (./parse-worker.ts). Every failure is a ParseResult with a clear `error`.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { ParseResult } from "../parser/index.ts";

export interface ParseLimits {
  timeoutMs: number;
  /** V8 heap of a worker (resourceLimits.maxOldGenerationSizeMb). */
  heapMb: number;
  /** How far the process's RSS may grow over what it was when the parse started. */
  extraRssMb: number;
  maxPdfPages: number;
  /** A Word file's declared decompressed size, all parts together. */
  maxUnzippedBytes: number;
  /** Decompressed / compressed, for a part over 1 MB. */
  maxZipRatio: number;
  maxTextBytes: number;
}

export const DEFAULT_PARSE_LIMITS: ParseLimits = {
  timeoutMs: 60_000,
  heapMb: 512,
  extraRssMb: 512,
  maxPdfPages: 500,
  maxUnzippedBytes: 100 * 1024 * 1024,
  maxZipRatio: 100,
  maxTextBytes: 20 * 1024 * 1024,
};

interface Task {
  id: number;
  bytes: Uint8Array;
  file: string;
  resolve: (r: ParseResult) => void;
}

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  task: Task | null;
  timer: NodeJS.Timeout | null;
  /** Set when the pool ended the worker on purpose: the message its task gets. */
  ending: string | null;
}

export interface ParsePoolOptions {
  size?: number;
  limits?: Partial<ParseLimits>;
  /** Told when a worker is ended (time, memory) — a log line. */
  onLimit?: (file: string, why: string) => void;
}

export class ParsePool {
  readonly limits: ParseLimits;
  private readonly size: number;
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private seq = 0;
  private closed = false;
  private rssTimer: NodeJS.Timeout | null = null;
  private rssBase = 0;
  /** Parses finished, and how they ended (for the benchmark and the tests). */
  readonly stats = { parsed: 0, timedOut: 0, outOfMemory: 0, crashed: 0 };

  constructor(private readonly o: ParsePoolOptions = {}) {
    this.limits = { ...DEFAULT_PARSE_LIMITS, ...o.limits };
    this.size = Math.max(1, o.size ?? Math.min(2, availableParallelism() - 1));
  }

  /** Parse one document; never rejects. */
  parse(bytes: Uint8Array, file: string): Promise<ParseResult> {
    if (this.closed) return Promise.resolve({ file, error: "解析服务已停止" });
    return new Promise((resolve) => {
      this.queue.push({ id: ++this.seq, bytes, file, resolve });
      this.pump();
    });
  }

  /** Tasks waiting or running. */
  get busy(): number {
    return this.queue.length + this.slots.filter((s) => s.task).length;
  }

  private pump() {
    while (this.queue.length) {
      let slot = this.slots.find((s) => !s.task);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      this.start(slot, this.queue.shift()!);
    }
  }

  private spawn(): Slot {
    const worker = new Worker(new URL("./parse-worker.mjs", import.meta.url), {
      resourceLimits: { maxOldGenerationSizeMb: this.limits.heapMb, maxYoungGenerationSizeMb: 64, stackSizeMb: 8 },
    });
    // Idle workers do not keep a CLI run alive.
    worker.unref();
    const slot: Slot = { worker, ready: Promise.resolve(), task: null, timer: null, ending: null };
    slot.ready = new Promise<void>((resolve) => {
      const onReady = (m: { ready?: boolean }) => {
        if (m?.ready) {
          worker.off("message", onReady);
          resolve();
        }
      };
      worker.on("message", onReady);
    });
    worker.on("message", (m: { id?: number; result?: ParseResult }) => {
      if (m?.id === undefined || !slot.task || slot.task.id !== m.id) return;
      this.done(slot, m.result!);
    });
    worker.on("error", (e: Error & { code?: string }) => {
      if ((e as { code?: string }).code === "ERR_WORKER_OUT_OF_MEMORY") {
        slot.ending ??= `解析时占用内存超过 ${this.limits.heapMb} MB 的上限，已停止（文件可能过大或被构造成压缩炸弹）`;
        this.stats.outOfMemory++;
      } else slot.ending ??= "解析时出错，已停止";
    });
    worker.on("exit", () => this.exited(slot));
    this.slots.push(slot);
    return slot;
  }

  private start(slot: Slot, task: Task) {
    slot.task = task;
    slot.worker.ref();
    this.watchRss();
    // The clock starts when the worker can take the task: its own start-up is not the file's fault.
    void slot.ready.then(() => {
      if (slot.task !== task) return;
      slot.timer = setTimeout(() => {
        this.stats.timedOut++;
        this.end(slot, `解析超过 ${Math.round(this.limits.timeoutMs / 1000)} 秒，已停止（文件可能过大或已损坏）`);
      }, this.limits.timeoutMs);
      slot.worker.postMessage({ id: task.id, bytes: task.bytes, file: task.file, limits: this.limits });
    });
  }

  private done(slot: Slot, result: ParseResult) {
    const task = slot.task!;
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.task = null;
    slot.worker.unref();
    this.stats.parsed++;
    task.resolve(result);
    this.unwatchRssIfIdle();
    this.pump();
  }

  /** End a worker on purpose; its task gets `why`. */
  private end(slot: Slot, why: string) {
    slot.ending ??= why;
    if (slot.task) this.o.onLimit?.(slot.task.file, why);
    void slot.worker.terminate();
  }

  private exited(slot: Slot) {
    if (slot.timer) clearTimeout(slot.timer);
    this.slots.splice(this.slots.indexOf(slot), 1);
    const task = slot.task;
    if (task) {
      if (!slot.ending) this.stats.crashed++;
      task.resolve({ file: task.file, error: slot.ending ?? "解析进程意外退出，文件无法读取" });
    }
    this.unwatchRssIfIdle();
    if (!this.closed) this.pump();
  }

  private watchRss() {
    if (this.rssTimer) return;
    this.rssBase = process.memoryUsage.rss();
    this.rssTimer = setInterval(() => {
      const extra = (process.memoryUsage.rss() - this.rssBase) / 1024 / 1024;
      if (extra <= this.limits.extraRssMb) return;
      // Which worker grew is not known: every running parse is ended (one parse runs at a time by default).
      for (const s of this.slots) {
        if (s.task) {
          this.stats.outOfMemory++;
          this.end(s, `解析时占用内存超过 ${this.limits.extraRssMb} MB 的上限，已停止（文件可能被构造成压缩炸弹）`);
        }
      }
    }, 100);
    this.rssTimer.unref();
  }

  private unwatchRssIfIdle() {
    if (this.rssTimer && !this.slots.some((s) => s.task)) {
      clearInterval(this.rssTimer);
      this.rssTimer = null;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.queue.splice(0)) t.resolve({ file: t.file, error: "解析服务已停止" });
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}

let shared: ParsePool | null = null;

/** One pool for the process (the library's reloads, uploads, the `parse` command). */
export function sharedParsePool(): ParsePool {
  shared ??= new ParsePool();
  return shared;
}

/** Parse a document in the shared pool: bounded in time and memory, never rejects. */
export const parseInWorker = (bytes: Uint8Array, file: string) => sharedParsePool().parse(bytes, file);
