/**
 * The Feishu server: webhook routes on PORT, the Open API client, dedupe and work queue.
 */
import { join } from "node:path";
import { serve } from "@hono/node-server";
import type { ReportStore } from "../index/store.ts";
import { createApp } from "./app.ts";
import type { Config } from "./config.ts";
import { SeenStore } from "./dedupe.ts";
import { createFeishuApi } from "./feishu/api.ts";
import { ChatQueue } from "./queue.ts";
import { reminderCard } from "./cards.ts";
import { loadCalendar, ReminderScheduler, ReminderSettings, readRoster } from "./reminders.ts";
import { Library } from "./library.ts";
import { createUploads } from "./uploads.ts";

export interface RunningServer {
  port: number;
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
  const seen = new SeenStore(join(config.DATA_DIR, "dedupe.json"));
  const queue = new ChatQueue(8, (e) => log(`处理消息失败：${(e as Error).message ?? e}`));
  const library = new Library(store, { reportsDir: config.REPORTS_DIR, dataDir: config.DATA_DIR, log });
  const settings = new ReminderSettings(config.DATA_DIR, log);
  const calendar = loadCalendar(config.DATA_DIR, log);
  const roster = readRoster(config.ROSTER_FILE);
  const scheduler = new ReminderScheduler({
    store: () => library.store,
    settings,
    calendar,
    roster,
    now: () => Date.now(),
    // The reminder's key doubles as Feishu's uuid: a retried send never posts twice.
    send: async (r) => void (await api.send({ chat_id: r.chatId }, reminderCard(r), `rm-${r.key}`.slice(0, 50))),
    statePath: join(config.DATA_DIR, "reminders-sent.json"),
    log,
  });
  const uploads = createUploads({
    api,
    admins: config.BOT_ADMINS,
    reportsDir: config.REPORTS_DIR,
    dataDir: config.DATA_DIR,
    store: () => library.store,
    reload: () => library.reload(),
    now: () => new Date(),
    log,
  });
  const app = createApp({
    reminders: { settings, calendar, roster },
    onFile: uploads.onFile,
    onCardAction: uploads.onCardAction,
    verificationToken: config.FEISHU_VERIFICATION_TOKEN!,
    encryptKey: config.FEISHU_ENCRYPT_KEY,
    admins: config.BOT_ADMINS,
    store: () => library.store,
    api,
    botOpenId,
    now: () => new Date(),
    seen,
    queue,
    log,
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: config.PORT }, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.PORT;
  scheduler.start(60_000);
  library.watch();
  log(`年报助手已启动：http://0.0.0.0:${port}（事件 /feishu/events，卡片回调 /feishu/card，健康检查 /healthz）`);
  const close = async () => {
    scheduler.stop();
    library.close();
    await queue.idle();
    seen.flush();
    await new Promise<void>((r) => server.close(() => r()));
  };
  for (const sig of ["SIGINT", "SIGTERM"] as const) process.once(sig, () => void close().then(() => process.exit(0)));
  return { port, close };
}
