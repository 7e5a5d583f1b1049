/**
 * A bot wired exactly as `npm start` wires it (bot/bot.ts), talking to the fake Open API, and a
 * way to send it what a user sends in Feishu: the message is first known to Feishu (so the bot
 * may reply to it, read it, download from it), then its event is POSTed to the webhook.
 */
import { createBot } from "../../bot/bot.ts";
import { type Config, loadConfig } from "../../bot/config.ts";
import { createFeishuApi } from "../../bot/feishu/api.ts";
import { createLogger, type Logger } from "../../bot/log.ts";
import type { RetryPolicy } from "../../bot/work.ts";
import type { ReportStore } from "../../index/store.ts";
import type { ParseResult } from "../../parser/index.ts";
import type { FakeFeishu } from "../fakes/feishu.ts";
import { APP_ID, feishuRequest, fileEvent, type MessageEnvelope, TOKEN } from "./events.ts";

export function testConfig(env: Record<string, string | undefined>): Config {
  const loaded = loadConfig(env);
  if ("errors" in loaded) throw new Error(loaded.errors.join("; "));
  return loaded.config;
}

/** A logger that keeps its lines: `logs` the messages, `records` the whole JSON lines. */
export function memoryLog(): { log: Logger; logs: string[]; records: Record<string, unknown>[]; raw: string[] } {
  const logs: string[] = [];
  const records: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const stream = {
    write(line: string) {
      raw.push(line);
      const r = JSON.parse(line) as Record<string, unknown>;
      records.push(r);
      logs.push(String(r.msg ?? ""));
    },
  };
  return { log: createLogger({ level: "debug", stream }), logs, records, raw };
}

/** Retries in milliseconds, not minutes: the same schedule, scaled down. */
export const FAST_RETRY: RetryPolicy = { firstDelayMs: 5, maxDelayMs: 40, giveUpAfterMs: 300, runTimeoutMs: 20_000 };

export interface TestBotOptions {
  store: ReportStore;
  dataDir: string;
  reportsDir?: string;
  encryptKey?: string;
  admins?: string[];
  now?: () => Date;
  mode?: "webhook" | "ws";
  appId?: string;
  /** Per Open API request (the client's default is 15 s). */
  apiTimeoutMs?: number;
  /** Stands in for the client's back-off and rate-limit waits. */
  sleep?: (ms: number) => Promise<void>;
  retry?: RetryPolicy;
  parse?: (bytes: Uint8Array, file: string) => Promise<ParseResult>;
  /** More configuration (REDIS_URL, …). */
  env?: Record<string, string>;
}

/** Make a user's message known to Feishu (the bot may then reply to it, read it). */
export function userSent(fake: FakeFeishu, ev: MessageEnvelope, files?: Map<string, Buffer>) {
  const m = ev.event.message;
  fake.userSent({ messageId: m.message_id, chatId: m.chat_id, chatType: m.chat_type as "p2p" | "group", msgType: m.message_type, content: m.content, files });
  return ev;
}

export async function testBot(fake: FakeFeishu, o: TestBotOptions) {
  const { log, logs, records, raw } = memoryLog();
  const config = testConfig({
    FEISHU_APP_ID: o.appId ?? APP_ID,
    FEISHU_APP_SECRET: fake.appSecret,
    FEISHU_MODE: o.mode ?? "webhook",
    FEISHU_VERIFICATION_TOKEN: o.mode === "ws" ? undefined : TOKEN,
    FEISHU_ENCRYPT_KEY: o.encryptKey,
    FEISHU_DOMAIN: fake.url,
    DATA_DIR: o.dataDir,
    REPORTS_DIR: o.reportsDir ?? o.dataDir,
    BOT_ADMINS: (o.admins ?? []).join(","),
    ...o.env,
  });
  const api = createFeishuApi({ appId: config.FEISHU_APP_ID!, appSecret: config.FEISHU_APP_SECRET!, domain: fake.url, sleep: o.sleep ?? (async () => {}), timeoutMs: o.apiTimeoutMs, log });
  const bot = await createBot(config, o.store, { api, botOpenId: fake.botOpenId, log, now: o.now, retry: o.retry ?? FAST_RETRY, parse: o.parse });
  await bot.resume();
  const post = (path: string, payload: unknown, opts: Parameters<typeof feishuRequest>[1] = {}) => bot.http.request(path, feishuRequest(payload, { encryptKey: o.encryptKey, ...opts }));

  /** A user's message: known to Feishu, then delivered to the webhook. */
  const send = (ev: MessageEnvelope, opts: Parameters<typeof feishuRequest>[1] = {}) => {
    if (!fake.userMessages.has(ev.event.message.message_id)) userSent(fake, ev);
    return post("/feishu/events", ev, opts);
  };

  /** A file posted in a chat (Feishu keeps its bytes); returns its event, not yet delivered. */
  const postFile = (s: Parameters<typeof fileEvent>[0] & { bytes: Buffer }) => userSent(fake, fileEvent(s), new Map([[s.fileKey, s.bytes]]));

  return { bot, config, log, post, send, postFile, logs, records, raw, idle: () => bot.work.idle() };
}
