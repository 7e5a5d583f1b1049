/**
 * Export figures: 10,000 synthetic reports of one year (and organs that published only the
 * year before, for 未发布) exported as the 汇总 workbook, in a fresh process that loads them
 * from DATA_DIR the way the bot does: time, file size, and memory added by the export.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadReports } from "../index/cache.ts";
import { synthReports } from "./synth.ts";

export interface ExportRun {
  reports: number;
  unpublished: number;
  files: number;
  bytes: number;
  ms: number;
  /** CPU time of the export (user + system, all threads): less noisy than ms on a shared machine. */
  cpuMs: number;
  rssBeforeMB: number;
  /** Peak RSS during the export minus RSS before it. */
  extraMB: number;
  /** True when the process's peak RSS was reached before the export (loading): extraMB is then an upper bound. */
  extraIsBound: boolean;
}

export async function benchExport(n: number, root: string, year = 2025): Promise<ExportRun> {
  const tmp = mkdtempSync(join(tmpdir(), "nianbao-export-"));
  try {
    const reportsDir = join(tmp, "reports");
    const dataDir = join(tmp, "data");
    mkdirSync(reportsDir);
    const lastYearOnly = Math.ceil(n / 20);
    let i = 0;
    for (const r of synthReports(n + lastYearOnly, [year])) {
      // The last organs published only last year: the same text a year earlier.
      const text = i++ < n ? r.text : r.text.replaceAll(String(year), String(year - 1)).replaceAll(String(year + 1), String(year));
      writeFileSync(join(reportsDir, r.file), text);
    }
    await loadReports({ reportsDir, dataDir });
    const out = execFileSync(process.execPath, ["--expose-gc", "--import", "tsx", join(root, "bench", "export-run.ts"), reportsDir, dataDir, String(year)], {
      cwd: root,
      encoding: "utf8",
    });
    return JSON.parse(out.trim().split("\n").pop()!) as ExportRun;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
