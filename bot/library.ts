/**
 * The report library while the bot runs: REPORTS_DIR loaded into a store, reloaded when files
 * are added, changed or removed (a log line per file), with DATA_DIR's cache making a reload
 * cost only the files that changed. Files are parsed in the worker pool, so a reload never
 * blocks the answers.
 */
import { watch, type FSWatcher } from "node:fs";
import { loadReports } from "../index/cache.ts";
import type { ReportStore } from "../index/store.ts";
import type { ParseResult } from "../parser/index.ts";
import { errText, lines, type Logger } from "./log.ts";

export class Library {
  private current: ReportStore;
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;
  private poll: NodeJS.Timeout | null = null;
  private reloading: Promise<void> | null = null;
  private again = false;

  constructor(
    store: ReportStore,
    private readonly opts: { reportsDir: string; dataDir: string; log: Logger; parse?: (bytes: Uint8Array, file: string) => Promise<ParseResult> },
  ) {
    this.current = store;
  }

  get store(): ReportStore {
    return this.current;
  }

  /** Re-read REPORTS_DIR; concurrent calls coalesce into one more pass. */
  reload(): Promise<void> {
    if (this.reloading) {
      this.again = true;
      return this.reloading;
    }
    const log = this.opts.log;
    this.reloading = (async () => {
      do {
        this.again = false;
        const r = await loadReports({ reportsDir: this.opts.reportsDir, dataDir: this.opts.dataDir, parse: this.opts.parse, log: lines(log) });
        const { added, changed, removed } = r.changes;
        for (const f of added) log.info({ file: f }, `新增年报文件：${f}`);
        for (const f of changed) log.info({ file: f }, `年报文件已更新：${f}`);
        for (const f of removed) log.info({ file: f }, `年报文件已移除：${f}`);
        for (const x of r.rejected.filter((x) => added.includes(x.file) || changed.includes(x.file))) log.warn({ file: x.file }, `无法识别 ${x.file}：${x.error}`);
        this.current = r.store;
      } while (this.again);
    })().finally(() => (this.reloading = null));
    return this.reloading;
  }

  /** Watch REPORTS_DIR (and its subfolders); also rescan every few minutes in case events are missed. */
  watch(pollMs = 5 * 60_000) {
    const schedule = () => {
      if (this.timer) clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.reload().catch((e) => this.opts.log.error(`重新载入年报失败：${errText(e)}`)), 1000);
      this.timer.unref();
    };
    try {
      this.watcher = watch(this.opts.reportsDir, { recursive: true }, (_e, name) => {
        if (name && !String(name).split(/[\\/]/).some((p) => p.startsWith("."))) schedule();
      });
    } catch (e) {
      this.opts.log.warn(`无法监视 ${this.opts.reportsDir}（${errText(e)}），改为定时扫描`);
    }
    this.poll = setInterval(schedule, pollMs);
    this.poll.unref();
  }

  close() {
    this.watcher?.close();
    if (this.timer) clearTimeout(this.timer);
    if (this.poll) clearInterval(this.poll);
  }
}
