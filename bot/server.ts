/**
 * `npm start` with Feishu credentials: the bot over a webhook on PORT, or over the SDK's long
 * connection (FEISHU_MODE=ws, the default without a Verification Token), plus the reminder
 * scheduler and the library watcher.
 */
import { serve } from "@hono/node-server";
import type { ReportStore } from "../index/store.ts";
import { createBot } from "./bot.ts";
import { type Config, DEFAULT_PORT } from "./config.ts";
import { createFeishuApi } from "./feishu/api.ts";
import { startLongConnection } from "./transport/ws.ts";

export interface RunningServer {
  mode: "webhook" | "ws";
  /** The HTTP port, if one is served (always in webhook mode; with PORT set in ws mode). */
  port: number | null;
  close: () => Promise<void>;
}

export async function startServer(config: Config, store: ReportStore, log: (line: string) => void): Promise<RunningServer> {
  const api = createFeishuApi({ appId: config.FEISHU_APP_ID!, appSecret: config.FEISHU_APP_SECRET!, domain: config.FEISHU_DOMAIN, log });
  let botOpenId: string;
  try {
    botOpenId = await api.botOpenId();
  } catch (e) {
    throw new Error(`无法获取机器人信息（/open-apis/bot/v3/info），请检查 FEISHU_APP_ID、FEISHU_APP_SECRET 和 FEISHU_DOMAIN：${(e as Error).message}`);
  }
  const bot = createBot(config, store, { api, botOpenId, log });

  const connection =
    bot.mode === "ws"
      ? await startLongConnection({ appId: config.FEISHU_APP_ID!, appSecret: config.FEISHU_APP_SECRET!, domain: config.FEISHU_DOMAIN, listeners: bot.listeners, log })
      : null;
  if (connection) bot.attachConnection(connection);

  const wantedPort = bot.mode === "webhook" ? (config.PORT ?? DEFAULT_PORT) : config.PORT;
  const server =
    wantedPort === undefined
      ? null
      : await new Promise<ReturnType<typeof serve>>((resolve) => {
          const s = serve({ fetch: bot.http.fetch, port: wantedPort }, () => resolve(s));
        });
  const address = server?.address();
  const port = server ? (typeof address === "object" && address ? address.port : (wantedPort ?? null)) : null;

  bot.scheduler.start(60_000);
  bot.library.watch();
  if (bot.mode === "webhook") {
    log(`年报助手已启动（webhook）：http://0.0.0.0:${port}（事件与卡片回调 /feishu/events，也可用 /feishu/card；健康检查 /healthz）`);
  } else {
    log(`年报助手已启动（长连接）${port !== null ? `；健康检查 http://0.0.0.0:${port}/healthz` : ""}`);
  }

  const close = async () => {
    connection?.close();
    await bot.close();
    if (server) await new Promise<void>((r) => server.close(() => r()));
  };
  for (const sig of ["SIGINT", "SIGTERM"] as const) process.once(sig, () => void close().then(() => process.exit(0)));
  return { mode: bot.mode, port, close };
}
