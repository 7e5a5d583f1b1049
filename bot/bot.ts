/**
 * The bot, wired once: state store, library, reminders, uploads, durable work, queue and
 * listeners, plus the HTTP app (webhook routes in webhook mode, /healthz in both). `npm start`
 * (bot/server.ts), the tests and the benchmark all build the bot here; they differ only in what
 * they pass in (the Feishu API client, the clock, the state store, the retry policy).
 */
import type { ReportStore } from "../index/store.ts";
import { parseInWorker } from "../index/parse-pool.ts";
import type { ParseResult } from "../parser/index.ts";
import { createListeners, type Listeners } from "./app.ts";
import { reminderCard } from "./cards.ts";
import { type Config, feishuMode, uploadsDir } from "./config.ts";
import { type FeishuApi, isOutOfChat } from "./feishu/api.ts";
import { lines, type Logger } from "./log.ts";
import { Library } from "./library.ts";
import { ChatQueue } from "./queue.ts";
import { loadCalendar, ReminderScheduler, ReminderSettings, readRoster } from "./reminders.ts";
import { openEmbeddedState } from "./state/embedded.ts";
import { openRedisState } from "./state/redis.ts";
import type { BotState } from "./state/state.ts";
import { createHttpApp } from "./transport/http.ts";
import { createUploads } from "./uploads.ts";
import { type RetryPolicy, Work } from "./work.ts";

export interface BotOptions {
  api: FeishuApi;
  botOpenId: string;
  log: Logger;
  now?: () => Date;
  /** Where work, dedupe, reminders and uploads are kept; by default Redis if REDIS_URL is set, else the embedded store under DATA_DIR. */
  state?: BotState;
  concurrency?: number;
  retry?: RetryPolicy;
  /** How uploads and REPORTS_DIR files are parsed; the worker pool by default. */
  parse?: (bytes: Uint8Array, file: string) => Promise<ParseResult>;
}

/** SIGTERM: in-flight work gets this long to finish; what is left stays journaled for the next start. */
export const DRAIN_MS = 10_000;

export async function createBot(config: Config, store: ReportStore, o: BotOptions) {
  const now = o.now ?? (() => new Date());
  const { api, log } = o;
  const parse = o.parse ?? parseInWorker;
  const state =
    o.state ??
    (config.REDIS_URL
      ? await openRedisState({ url: config.REDIS_URL, log, uploadsDir: uploadsDir(config), takeOverAfterMs: config.REDIS_TAKEOVER_MS })
      : await openEmbeddedState({ dataDir: config.DATA_DIR, log, now: () => now().getTime(), uploadsDir: config.UPLOADS_DIR }));
  const library = new Library(store, { reportsDir: config.REPORTS_DIR, dataDir: config.DATA_DIR, log: log.child({ component: "library" }), parse });
  const settings = await ReminderSettings.load(state.reminders, log.child({ component: "reminders" }));
  const reminders = { settings, calendar: loadCalendar(config.DATA_DIR, lines(log, "warn")), roster: readRoster(config.ROSTER_FILE) };
  const scheduler = new ReminderScheduler({
    store: () => library.store,
    ...reminders,
    sent: state.reminders,
    now: () => now().getTime(),
    // The reminder's key doubles as Feishu's uuid: a retried send never posts twice.
    send: async (r) => void (await api.send({ chat_id: r.chatId }, { card: reminderCard(r) }, `rm-${r.key}`.slice(0, 50))),
    gone: isOutOfChat,
    log: log.child({ component: "reminders" }),
  });
  const uploads = createUploads({
    admins: config.BOT_ADMINS,
    reportsDir: config.REPORTS_DIR,
    pending: state.uploads,
    store: () => library.store,
    // The other replicas read REPORTS_DIR again when told; a failed signal leaves them to their own watch.
    reload: async () => {
      await library.reload();
      await state.reports.changed().catch((e) => log.warn(`没能通知其他副本重新载入资料库：${(e as Error).message}`));
    },
    parse,
    now,
    log: log.child({ component: "uploads" }),
  });
  const queue = new ChatQueue(o.concurrency ?? 8, (e) => log.error(`处理任务出错：${(e as Error).message ?? e}`));
  let work: Work | null = null;
  const listeners: Listeners = createListeners({
    admins: config.BOT_ADMINS,
    store: () => library.store,
    api,
    botOpenId: o.botOpenId,
    now,
    accept: (job) => work!.accept(job),
    cards: state.cards,
    log,
    uploads,
    reminders,
  });
  work = new Work({ store: state.work, queue, handlers: listeners.handlers, log, retry: o.retry });
  const stopReloadSignal = state.reports.onChange(() => void library.reload().catch((e) => log.error(`重新载入年报失败：${(e as Error).message}`)));
  const mode = feishuMode(config);
  /** The long connection, once started, so /healthz can report it. */
  let connection: { state(): string } | null = null;
  const http = createHttpApp({
    listeners,
    webhook: mode === "webhook" ? { verificationToken: config.FEISHU_VERIFICATION_TOKEN!, encryptKey: config.FEISHU_ENCRYPT_KEY } : undefined,
    now,
    log,
    health: async () => {
      const s = library.store;
      const { ok: stateOk, ...stateHealth } = await state.health();
      return {
        // Without its state (Redis lost) the bot takes no new work: 503, and the load balancer looks elsewhere.
        ok: work!.isAccepting && stateOk !== false,
        mode,
        ...(connection ? { connection: connection.state() } : {}),
        reports: s.reports.length,
        organs: s.organs.length,
        work: work!.inFlight,
        ...stateHealth,
      };
    },
  });

  /**
   * Stop: no new work (the transport answers 503 and Feishu re-sends); running work gets `ms` to
   * finish, the rest stays in the journal for the next start.
   */
  async function close(ms = DRAIN_MS) {
    scheduler.stop();
    stopReloadSignal();
    library.close();
    const left = await work!.drain(ms);
    if (left) log.info({ jobs: left }, `停止时还有 ${left} 项工作未完成，已留在工作日志，下次启动时续做`);
    await settings.settled();
    await state.close();
  }

  const attachConnection = (c: { state(): string }) => void (connection = c);

  return { mode, listeners, http, queue, work, state, library, scheduler, uploads, reminders, attachConnection, resume: () => work!.resume(), close };
}

export type Bot = Awaited<ReturnType<typeof createBot>>;
