/**
 * Run in a fresh process by bench/ask.ts: cold start from DATA_DIR, answer latency, memory.
 *   tsx bench/cold.ts REPORTS_DIR DATA_DIR QUESTIONS_FILE
 */
import { readFileSync } from "node:fs";
import { PerformanceObserver } from "node:perf_hooks";
import { route } from "../commands/index.ts";
import { loadReports } from "../index/cache.ts";

const [reportsDir, dataDir, questionsFile] = process.argv.slice(2);
const questions = readFileSync(questionsFile, "utf8").split("\n").filter(Boolean);
const heap0 = process.memoryUsage().heapUsed;
const t0 = performance.now();
const { store } = await loadReports({ reportsDir, dataDir });
const coldStartMs = performance.now() - t0;
const now = new Date("2026-11-21T10:00:00+08:00");
for (const q of questions.slice(0, 300)) route(q, { store, now }); // warm-up
// Garbage collections while the questions are answered (a pause lands in the question it interrupts).
const gcs: { start: number; ms: number }[] = [];
const gcObserver = new PerformanceObserver((list) => list.getEntries().forEach((e) => gcs.push({ start: e.startTime, ms: e.duration })));
gcObserver.observe({ entryTypes: ["gc"] });
const times: number[] = [];
let answered = 0;
const q0 = performance.now();
for (const q of questions) {
  const s = performance.now();
  const a = route(q, { store, now });
  times.push(performance.now() - s);
  if (a.answers.length) answered++;
}
const q1 = performance.now();
await new Promise((r) => setTimeout(r, 10));
gcObserver.disconnect();
const gcDuring = gcs.filter((g) => g.start >= q0 && g.start <= q1);
times.sort((a, b) => a - b);
const pct = (p: number) => times[Math.min(times.length - 1, Math.floor((times.length * p) / 100))];
const mem = process.memoryUsage();
console.log(
  JSON.stringify({
    reports: store.reports.length,
    coldStartMs,
    p50: pct(50),
    p99: pct(99),
    answered: `${answered}/${questions.length}`,
    gcPauses: gcDuring.length,
    gcMs: gcDuring.reduce((s, g) => s + g.ms, 0),
    heapMB: Math.round(mem.heapUsed / 2 ** 20),
    storeMB: Math.round((mem.heapUsed - heap0) / 2 ** 20),
    rssMB: Math.round(mem.rss / 2 ** 20),
  }),
);
