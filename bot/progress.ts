/**
 * Progress of long work (reading a large reports folder) for people watching: a bar with count
 * and time left on a terminal (cli-progress), a plain line every few seconds otherwise (logs,
 * pipes). Small jobs that finish within a second show nothing.
 */
import { SingleBar } from "cli-progress";
import { type LoadOptions, loadReports } from "../index/cache.ts";

export interface ProgressOptions {
  stream: NodeJS.WriteStream | NodeJS.WritableStream;
  /** What is being counted, e.g. 「读取年报」. */
  label: string;
  /** Show nothing until this much time has passed (a small folder is done before anyone waits). */
  quietMs?: number;
  /** Without a terminal: one line at most this often. */
  lineEveryMs?: number;
  now?: () => number;
}

export function progressReporter(opts: ProgressOptions): { update: (done: number, total: number) => void; stop: () => void } {
  const now = opts.now ?? Date.now;
  const start = now();
  const quiet = opts.quietMs ?? 1000;
  const every = opts.lineEveryMs ?? 5000;
  const tty = (opts.stream as { isTTY?: boolean }).isTTY === true;
  let bar: SingleBar | null = null;
  let lastLine = 0;
  let last = { done: 0, total: 0 };
  return {
    update(done, total) {
      last = { done, total };
      const t = now();
      if (t - start < quiet && done < total) return;
      if (tty) {
        if (!bar) {
          bar = new SingleBar({
            format: `${opts.label} |{bar}| {value}/{total} 个文件 · 用时 {duration_formatted} · 剩余约 {eta_formatted}`,
            stream: opts.stream as NodeJS.WriteStream,
            hideCursor: true,
            etaBuffer: 200,
          });
          bar.start(total, done);
        } else bar.update(done);
        return;
      }
      if (t - lastLine < every && done < total) return;
      lastLine = t;
      const elapsed = (t - start) / 1000;
      const left = done > 0 ? Math.round((elapsed / done) * (total - done)) : 0;
      opts.stream.write(`${opts.label}：${done}/${total} 个文件${done < total ? `，约 ${left} 秒后完成` : "，完成"}\n`);
    },
    stop() {
      if (bar) {
        bar.update(last.done);
        bar.stop();
      }
    },
  };
}

/** Load REPORTS_DIR as the CLIs and `npm start` do: progress on standard error. */
export async function loadReportsWithProgress(opts: Omit<LoadOptions, "progress">, stream: NodeJS.WritableStream = process.stderr) {
  const progress = progressReporter({ stream, label: "读取年报" });
  try {
    return await loadReports({ ...opts, progress: progress.update });
  } finally {
    progress.stop();
  }
}
