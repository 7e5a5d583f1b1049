// tsx bench/webhook-run.ts [--redis] — the webhook ack-latency figure alone (embedded state, or Redis on loopback).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { BUNDLED_REPORTS } from "../bot/cli-args.ts";
import { loadReports } from "../index/cache.ts";
import { startRedis } from "../test/helpers/redis.ts";
import { benchWebhook } from "./webhook.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dataDir = mkdtempSync(join(tmpdir(), "nianbao-wh-"));
const { store } = await loadReports({ reportsDir: BUNDLED_REPORTS, dataDir });
const redis = process.argv.includes("--redis") ? await startRedis() : null;
const w = await benchWebhook(root, store, dataDir, 500, 10, 2, { redisUrl: redis?.url() });
await redis?.close();
const { p50, p99, ...rest } = w;
console.log({ state: redis ? "redis" : "embedded", p50: p50.toFixed(2), p99: p99.toFixed(2), ...rest });
