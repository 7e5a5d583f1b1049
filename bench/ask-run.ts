// tsx bench/ask-run.ts [--reports 10000] — the index, cold-start, answer-latency and memory figures alone.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { askFigures, benchAsk } from "./ask.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const n = Number(process.argv[process.argv.indexOf("--reports") + 1]) || 10000;
for (const line of askFigures(await benchAsk(n, root))) console.log(line);
