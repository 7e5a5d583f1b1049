/**
 * Parser throughput: reports parsed per second on one core, over the dev corpus
 * (../shared/corpus/dev when present, else the copies in test/fixtures/dev).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseReport } from "../parser/index.ts";

export function benchParse(root: string): { files: number; reportsPerSecond: number; msPerReport: number } {
  const shared = join(root, "..", "shared", "corpus", "dev");
  const dir = existsSync(shared) ? shared : join(root, "test", "fixtures", "dev");
  const files = readdirSync(dir)
    .filter((f) => /\.(txt|md|html?)$/.test(f))
    .map((f) => ({ name: f, bytes: readFileSync(join(dir, f)) }));
  for (let r = 0; r < 3; r++) for (const f of files) parseReport(f.bytes, { file: f.name }); // warm-up
  // Five passes over the corpus; the median pass is reported (this machine is shared and noisy).
  const passes = Array.from({ length: 5 }, () => {
    const t0 = performance.now();
    for (let r = 0; r < 5; r++) for (const f of files) parseReport(f.bytes, { file: f.name });
    return (performance.now() - t0) / (5 * files.length);
  }).sort((a, b) => a - b);
  const msPerReport = passes[2];
  return { files: files.length, reportsPerSecond: Math.round(1000 / msPerReport), msPerReport };
}
