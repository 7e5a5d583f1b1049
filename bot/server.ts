/**
 * `npm start` with Feishu credentials: the bot over a webhook on HOST:PORT, or over the SDK's
 * long connection (FEISHU_MODE=ws, the default without a Verification Token), plus the reminder
 * scheduler and the library watcher. Unfinished work from the last run is resumed once serving.
 * SIGTERM/SIGINT: stop accepting (the webhook answers 503, so Feishu re-sends), give running work
 * DRAIN_MS to finish — what is left stays journaled for the next start — then exit.
 */
import { serve } from "@hono/node-server";
import type { Server } from "node:http";
import type { ReportStore } from "../index/store.ts";
import { sharedParsePool } from "../index/parse-pool.ts";
import { createBot, DRAIN_MS } from "./bot.ts";
import { type Config, DEFAULT_PORT } from "./config.ts";
import { createFeishuApi } from "./feishu/api.ts";
import { errText, type Logger } from "./log.ts";
import { startLongConnection } from "./transport/ws.ts";

export interface RunningServer {
  mode: "webhook" | "ws";
  /** The HTTP port, if one is served (always in webhook mode; with PORT set in ws mode). */
  port: number | null;
  close: () => Promise<void>;
}

export async function startServer(config: Config, store: ReportStore, log: Logger, o: { handleSignals?: boolean } = {}): Promise<RunningServer> {
  const api = createFeishuApi({ appId: config.FEISHU_APP_ID!, appSecret: config.FEISHU_APP_SECRET!, domain: config.FEISHU_DOMAIN, log: log.child({ component: "feishu-api" }) });
  let botOpenId: string;
  try {
    botOpenId = await api.botOpenId();
  } catch (e) {
    throw new Error(`无法获取机器人信息（/open-apis/bot/v3/info），请检查 FEISHU_APP_ID、FEISHU_APP_SECRET 和 FEISHU_DOMAIN：${errText(e)}`);
  }
  const bot = await createBot(config, store, { api, botOpenId, log });

  const connection =
    bot.mode === "ws"
      ? await startLongConnection({ appId: config.FEISHU_APP_ID!, appSecret: config.FEISHU_APP_SECRET!, domain: config.FEISHU_DOMAIN, listeners: bot.listeners, log: log.child({ component: "ws" }) })
      : null;
  if (connection) bot.attachConnection(connection);

  const wantedPort = bot.mode === "webhook" ? (config.PORT ?? DEFAULT_PORT) : config.PORT;
  const server =
    wantedPort === undefined
      ? null
      : await new Promise<Server>((resolve, reject) => {
          const s = serve({ fetch: bot.http.fetch, port: wantedPort, hostname: config.HOST }, () => resolve(s as Server)) as Server;
          s.once("error", reject);
          // A body trickled in slowly must not hold a connection for ever.
          s.requestTimeout = 30_000;
          s.headersTimeout = 15_000;
        });
  const address = server?.address();
  const port = server ? (typeof address === "object" && address ? address.port : (wantedPort ?? null)) : null;
  const where = (p: number) => `http://${config.HOST.includes(":") ? `[${config.HOST}]` : config.HOST}:${p}`;

  bot.scheduler.start(60_000);
  bot.library.watch();
  if (bot.mode === "webhook") {
    log.info({ host: config.HOST, port }, `年报助手已启动（webhook），监听 ${where(port!)}（事件与卡片回调 /feishu/events，也可用 /feishu/card；健康检查 /healthz）`);
  } else {
    log.info({ host: config.HOST, port }, `年报助手已启动（长连接）${port !== null ? `；健康检查 ${where(port)}/healthz` : ""}`);
  }
  await bot.resume();

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      // New connections are refused at once; events on open ones are answered 503 while draining.
      server?.close();
      server?.closeIdleConnections();
      connection?.close();
      await bot.close(DRAIN_MS);
      server?.closeAllConnections();
      await sharedParsePool().close();
    })());
  if (o.handleSignals ?? true) {
    for (const sig of ["SIGINT", "SIGTERM"] as const) {
      process.once(sig, () => {
        log.info(`收到 ${sig}，停止接收新事件，最多等待 ${DRAIN_MS / 1000} 秒完成手头的工作`);
        // Whatever happens, the process exits: a stuck close must not keep it up.
        setTimeout(() => process.exit(1), DRAIN_MS + 5000).unref();
        void close().then(
          () => {
            log.info("已停止");
            process.exit(0);
          },
          (e) => {
            log.error(`停止时出错：${errText(e)}`);
            process.exit(1);
          },
        );
      });
    }
  }
  return { mode: bot.mode, port, close };
}
