/**
 * Webhook ack latency under load on loopback. The bot's Hono app runs in this process; the
 * fake Feishu Open API and the load generator run in their own processes, so they do not
 * share this event loop. Reports p50/p99 ack latency, failures, and whether every event was
 * answered exactly once.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { serve } from "@hono/node-server";
import { createBot } from "../bot/bot.ts";
import { createFeishuApi } from "../bot/feishu/api.ts";
import { silentLogger } from "../bot/log.ts";
import type { ReportStore } from "../index/store.ts";
import { APP_ID, ENCRYPT_KEY, TOKEN } from "../test/helpers/events.ts";
import { testConfig } from "../test/helpers/bot.ts";

function child(root: string, script: string, args: string[]) {
  const p = spawn(process.execPath, ["--import", "tsx", join(root, "bench", script), ...args], { cwd: root, stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: p.stdout! });
  const next = () => new Promise<string>((resolve) => lines.once("line", resolve));
  return { p, next };
}

/**
 * The bot as `npm start` wires it (webhook mode, dedupe persisted in dataDir — or, with
 * `redisUrl`, in Redis as a replica would keep it), against the fake Open API.
 */
export async function benchWebhook(root: string, store: ReportStore, dataDir: string, rate = 500, seconds = 6, warmupSeconds = 2, o: { redisUrl?: string } = {}) {
  const fake = child(root, "webhook-fake.ts", []);
  const fakeUrl = await fake.next();
  const config = testConfig({
    FEISHU_APP_ID: APP_ID,
    FEISHU_APP_SECRET: "secret-xyz",
    FEISHU_VERIFICATION_TOKEN: TOKEN,
    FEISHU_ENCRYPT_KEY: ENCRYPT_KEY,
    FEISHU_DOMAIN: fakeUrl,
    DATA_DIR: dataDir,
    REDIS_URL: o.redisUrl,
  });
  const api = createFeishuApi({ appId: APP_ID, appSecret: "secret-xyz", domain: fakeUrl });
  const bot = await createBot(config, store, { api, botOpenId: "ou_bot", log: silentLogger() });
  const server = await new Promise<ReturnType<typeof serve>>((r) => {
    const s = serve({ fetch: bot.http.fetch, port: 0, hostname: "127.0.0.1" }, () => r(s));
  });
  const addr = server.address();
  const url = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}/feishu/events`;
  const load = child(root, "webhook-load.ts", [url, fakeUrl, String(rate), String(seconds), String(warmupSeconds)]);
  // The bot's own CPU per event (acks and answers): steadier than latency on a shared machine.
  const cpu0 = process.cpuUsage();
  const result = JSON.parse(await load.next()) as { total: number; unique: number; failed: number; seconds: number; measured: number; latencies: number[] };
  await bot.work.idle();
  const cpu = process.cpuUsage(cpu0);
  await bot.close();
  const stats = (await (await fetch(`${fakeUrl}/__stats`)).json()) as { replies: number; uniqueReplies: number };
  server.close();
  fake.p.stdin!.end();
  const lat = result.latencies.sort((a, b) => a - b);
  const pct = (p: number) => lat[Math.min(lat.length - 1, Math.floor((lat.length * p) / 100))];
  return {
    sent: result.total,
    measured: result.measured,
    warmupSeconds,
    unique: result.unique,
    rate: Math.round(result.total / result.seconds),
    p50: pct(50),
    p99: pct(99),
    failed: result.failed,
    replies: stats.replies,
    cpuMsPerEvent: (cpu.user + cpu.system) / 1000 / result.total,
    answeredOnce: stats.replies === result.unique && stats.uniqueReplies === result.unique,
  };
}
