/**
 * Run in a fresh process by bench/export.ts: load the reports from DATA_DIR, then export a year.
 *   node --expose-gc --import tsx bench/export-run.ts REPORTS_DIR DATA_DIR YEAR
 */
import { loadReports } from "../index/cache.ts";
import { exportInput } from "../export/summary.ts";
import { exportWorkbooks } from "../export/xlsx.ts";
import type { ExportRun } from "./export.ts";

const [reportsDir, dataDir, year] = process.argv.slice(2);
const { store } = await loadReports({ reportsDir, dataDir });
const MB = 2 ** 20;
(globalThis as { gc?: () => void }).gc?.();
const rssBefore = process.memoryUsage().rss;
const peakBefore = process.resourceUsage().maxRSS * 1024;
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const input = exportInput(store.organs, Number(year));
const files = await exportWorkbooks(input);
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const peakAfter = process.resourceUsage().maxRSS * 1024;
const run: ExportRun = {
  reports: files.reduce((s, f) => s + f.reports, 0),
  unpublished: files.reduce((s, f) => s + f.unpublished, 0),
  files: files.length,
  bytes: files.reduce((s, f) => s + f.bytes.length, 0),
  ms,
  cpuMs: (cpu.user + cpu.system) / 1000,
  rssBeforeMB: Math.round(rssBefore / MB),
  extraMB: Math.round((Math.max(peakAfter, peakBefore) - rssBefore) / MB),
  extraIsBound: peakAfter <= peakBefore,
};
console.log(JSON.stringify(run));
