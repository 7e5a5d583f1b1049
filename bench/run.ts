/**
 * npm run bench — prints the project's performance figures (never run as a test).
 *   npm run bench [-- --reports 10000]
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { askFigures, benchAsk } from "./ask.ts";
import { benchExport } from "./export.ts";
import { benchParse } from "./parse.ts";
import { benchPdf } from "./pdf.ts";
import { benchReview } from "./review.ts";
import { benchWebhook } from "./webhook.ts";
import { loadReports } from "../index/cache.ts";
import { BUNDLED_REPORTS } from "../bot/cli-args.ts";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const n = Number(process.argv[process.argv.indexOf("--reports") + 1]) || 10000;

const p = benchParse(root);
console.log(`parse: ${p.files} dev reports, ${p.reportsPerSecond} reports/s on one core (${p.msPerReport.toFixed(3)} ms/report, median of 5 passes)`);

const pdf = await benchPdf(root);
console.log(`pdf: ${pdf.files} PDFs, ${pdf.pages} pages, ${pdf.pagesPerSecond} pages/s (text layer + parse)`);

for (const line of askFigures(await benchAsk(n, root))) console.log(line);

const e = await benchExport(n, root);
console.log(
  `export: ${e.reports} reports of one year (+${e.unpublished} organs in 未发布) → ${e.files} xlsx file(s), ${(e.bytes / 2 ** 20).toFixed(1)} MB, in ${Math.round(e.ms)} ms (CPU ${Math.round(e.cpuMs)} ms); peak RSS +${e.extraMB} MB over ${e.rssBeforeMB} MB before the export${e.extraIsBound ? " (upper bound)" : ""}`,
);

const rv = benchReview(n);
console.log(
  `审查 (reviewYear): one year of ${rv.reports} synthetic reports with last year's, every rule: ${Math.round(rv.ms)} ms (median of 3: ${rv.runs.join(", ")} ms); first run, also reading every report's prose: ${Math.round(rv.coldMs)} ms; ${rv.errors} 错误 and ${rv.reminders} 提醒 in ${rv.withErrors} reports with errors`,
);

const whData = mkdtempSync(join(tmpdir(), "nianbao-wh-"));
const { store } = await loadReports({ reportsDir: BUNDLED_REPORTS, dataDir: whData });
const w = await benchWebhook(root, store, whData, 500, 10);
console.log(
  `webhook: ${w.sent} encrypted+signed events at ${w.rate}/s on loopback (${w.sent - w.unique} re-deliveries; ack latency of the ${w.measured} after ${w.warmupSeconds} s of warm-up): ack p50 ${w.p50.toFixed(2)} ms, p99 ${w.p99.toFixed(2)} ms, failed ${w.failed}, bot CPU ${w.cpuMsPerEvent.toFixed(2)} ms per event, replies ${w.replies} for ${w.unique} unique events (${w.answeredOnce ? "each answered once" : "NOT each answered once"})`,
);

const { hasRedisServer, startRedis } = await import("../test/helpers/redis.ts");
if (hasRedisServer()) {
  const redis = await startRedis();
  const wr = await benchWebhook(root, store, mkdtempSync(join(tmpdir(), "nianbao-wh-redis-")), 500, 10, 2, { redisUrl: redis.url() });
  await redis.close();
  console.log(
    `webhook on Redis (REDIS_URL, redis-server on loopback): ${wr.sent} events at ${wr.rate}/s (${wr.sent - wr.unique} re-deliveries; ack latency of the ${wr.measured} after ${wr.warmupSeconds} s of warm-up): ack p50 ${wr.p50.toFixed(2)} ms, p99 ${wr.p99.toFixed(2)} ms, failed ${wr.failed}, bot CPU ${wr.cpuMsPerEvent.toFixed(2)} ms per event, replies ${wr.replies} for ${wr.unique} unique events (${wr.answeredOnce ? "each answered once" : "NOT each answered once"})`,
  );
} else console.log("webhook on Redis: skipped, redis-server is not installed (apt-get install -y redis-server)");

const { benchKill9 } = await import("./kill9.ts");
const k = await benchKill9(root);
console.log(
  `kill -9 under load: ${k.events} events at 500/s to the bot in its own process (Open API slowed to ~270 answers/s), SIGKILL after ${k.ackedBeforeKill} acked with ${k.answeredBeforeKill} answered; after a restart on the same DATA_DIR and Feishu re-sending the ${k.redelivered} unacked or re-delivered ones: acked events lost: ${k.ackedLost}, answered twice: ${k.answeredTwice} (${k.uuidRepeats} replies re-sent after the crash with their event's uuid, posted once by Feishu)`,
);

const { benchHostile } = await import("./hostile.ts");
const hz = await benchHostile();
for (const f of hz.files) console.log(`hostile file: ${f.what} → answered in ${Math.round(f.ms)} ms, main thread never stalled more than ${Math.round(f.stallMs)} ms: 「${f.error}」`);
console.log(`narrative counts over 1 MB of digits then 件: ${hz.narrativeMs.toFixed(1)} ms (the old pattern: 5 s at 64 KB, quadratic)`);
