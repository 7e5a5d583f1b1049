/**
 * Index and answer figures on a synthetic corpus: first ingest, index build, then (in a fresh
 * process) cold start from DATA_DIR, answer latency for organ + year questions, and memory.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadReports } from "../index/cache.ts";
import { ReportStore } from "../index/store.ts";
import { synthReports } from "./synth.ts";

interface ColdRun {
  reports: number;
  coldStartMs: number;
  p50: number;
  p99: number;
  answered: string;
  /** Garbage collections during the questions, and their total pause. */
  gcPauses: number;
  gcMs: number;
  heapMB: number;
  storeMB: number;
  rssMB: number;
}

export async function benchAsk(n: number, root: string) {
  const tmp = mkdtempSync(join(tmpdir(), "nianbao-bench-"));
  try {
    const reportsDir = join(tmp, "reports");
    const dataDir = join(tmp, "data");
    mkdirSync(reportsDir);
    const questions: string[] = [];
    for (const r of synthReports(n)) {
      writeFileSync(join(reportsDir, r.file), r.text);
      if (questions.length < 2000 && /[37]\./.test(r.file)) questions.push(`${r.organ.replace(/人民政府|办事处/, "")} ${r.year} 依申请数`);
    }
    const qFile = join(tmp, "questions.txt");
    writeFileSync(qFile, questions.join("\n"));
    const first = await loadReports({ reportsDir, dataDir });
    const t0 = performance.now();
    const built = new ReportStore(first.store.reports);
    void built.search.documentCount;
    const buildMs = performance.now() - t0;
    // Three fresh processes; the median run is reported (the first one also pays for the
    // page cache still flushing the files just written).
    const runs = [0, 1, 2].map(() => {
      const out = execFileSync(process.execPath, ["--import", "tsx", join(root, "bench", "cold.ts"), reportsDir, dataDir, qFile], { cwd: root, encoding: "utf8" });
      return JSON.parse(out.trim().split("\n").pop()!) as ColdRun;
    });
    const cold = runs.sort((a, b) => a.coldStartMs - b.coldStartMs)[1];
    return { ingestMs: first.stats.ms, buildMs, coldRuns: runs.map((r) => Math.round(r.coldStartMs)), ...cold };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The figures as `npm run bench` prints them. */
export function askFigures(a: Awaited<ReturnType<typeof benchAsk>>): string[] {
  return [
    `index: ${a.reports} synthetic reports; first ingest (parse + cache) ${Math.round(a.ingestMs)} ms; store + search index build ${Math.round(a.buildMs)} ms`,
    `cold start from DATA_DIR: ${Math.round(a.coldStartMs)} ms (median of 3 fresh processes: ${a.coldRuns.join(", ")} ms)`,
    `answer latency (organ + year + figure): p50 ${a.p50.toFixed(3)} ms, p99 ${a.p99.toFixed(3)} ms, answered ${a.answered}; ${a.gcPauses} GC pauses (${a.gcMs.toFixed(1)} ms) during the questions`,
    `memory after cold start and ${a.answered.split("/")[1]} questions: heap ${a.heapMB} MB (store ${a.storeMB} MB), rss ${a.rssMB} MB`,
  ];
}
