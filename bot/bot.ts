/**
 * The bot, wired once: library, reminders, uploads, dedupe, queue and listeners, plus the HTTP
 * app (webhook routes in webhook mode, /healthz in both). `npm start` (bot/server.ts), the
 * tests and the benchmark all build the bot here; they differ only in what they pass in
 * (the Feishu API client, the clock, where dedupe is kept).
 */
import { join } from "node:path";
import type { ReportStore } from "../index/store.ts";
import { createListeners, type Listeners } from "./app.ts";
import { reminderCard } from "./cards.ts";
import { type Config, feishuMode } from "./config.ts";
import { SeenStore } from "./dedupe.ts";
import type { FeishuApi } from "./feishu/api.ts";
import { Library } from "./library.ts";
import { ChatQueue } from "./queue.ts";
import { loadCalendar, ReminderScheduler, ReminderSettings, readRoster } from "./reminders.ts";
import { createHttpApp } from "./transport/http.ts";
import { createUploads } from "./uploads.ts";

export interface BotOptions {
  api: FeishuApi;
  botOpenId: string;
  log: (line: string) => void;
  now?: () => Date;
  /** Where handled message ids are kept across restarts; null keeps them in memory only. */
  seenPath?: string | null;
  concurrency?: number;
}

export function createBot(config: Config, store: ReportStore, o: BotOptions) {
  const now = o.now ?? (() => new Date());
  const { api, log } = o;
  const library = new Library(store, { reportsDir: config.REPORTS_DIR, dataDir: config.DATA_DIR, log });
  const settings = new ReminderSettings(config.DATA_DIR, log);
  const reminders = { settings, calendar: loadCalendar(config.DATA_DIR, log), roster: readRoster(config.ROSTER_FILE) };
  const scheduler = new ReminderScheduler({
    store: () => library.store,
    ...reminders,
    now: () => now().getTime(),
    // The reminder's key doubles as Feishu's uuid: a retried send never posts twice.
    send: async (r) => void (await api.send({ chat_id: r.chatId }, { card: reminderCard(r) }, `rm-${r.key}`.slice(0, 50))),
    statePath: join(config.DATA_DIR, "reminders-sent.json"),
    log,
  });
  const uploads = createUploads({
    admins: config.BOT_ADMINS,
    reportsDir: config.REPORTS_DIR,
    dataDir: config.DATA_DIR,
    store: () => library.store,
    reload: () => library.reload(),
    now,
    log,
  });
  const seen = new SeenStore(o.seenPath === undefined ? join(config.DATA_DIR, "dedupe.json") : o.seenPath, () => now().getTime());
  const queue = new ChatQueue(o.concurrency ?? 8, (e) => log(`处理消息失败：${(e as Error).message ?? e}`));
  const listeners: Listeners = createListeners({
    admins: config.BOT_ADMINS,
    store: () => library.store,
    api,
    botOpenId: o.botOpenId,
    now,
    seen,
    queue,
    log,
    uploads,
    reminders,
  });
  const mode = feishuMode(config);
  /** The long connection, once started, so /healthz can report it. */
  let connection: { state(): string } | null = null;
  const http = createHttpApp({
    listeners,
    webhook: mode === "webhook" ? { verificationToken: config.FEISHU_VERIFICATION_TOKEN!, encryptKey: config.FEISHU_ENCRYPT_KEY } : undefined,
    now,
    log,
    health: () => {
      const s = library.store;
      return { ok: true, mode, ...(connection ? { connection: connection.state() } : {}), reports: s.reports.length, organs: s.organs.length };
    },
  });

  /** Finish queued work and persist what must survive a restart. */
  async function close() {
    scheduler.stop();
    library.close();
    await queue.idle();
    seen.flush();
  }

  const attachConnection = (c: { state(): string }) => void (connection = c);

  return { mode, listeners, http, queue, seen, library, scheduler, uploads, reminders, attachConnection, close };
}

export type Bot = ReturnType<typeof createBot>;
