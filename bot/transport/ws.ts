/**
 * The long-connection transport: the SDK's WSClient opens a WebSocket to Feishu (after POST
 * {domain}/callback/ws/endpoint with the App ID and Secret) and delivers events and card
 * callbacks as protobuf frames; each is acked with the handler's result, base64-encoded.
 *
 * Per the docs (event-subscription-configure-/request-url-configuration-case, "使用长连接接收事件"):
 * self-built apps only; authentication happens once when the connection opens and events then
 * arrive in plain text, so there is no decryption, signature or token to check; the 3-second
 * rule and re-delivery still apply; with several clients each event goes to one of them.
 * The server needs outbound access to open.feishu.cn only — no public address.
 * Card callbacks arrive as ordinary event frames with event_type card.action.trigger.
 */
import * as lark from "@larksuiteoapi/node-sdk";
import type { Listeners } from "../app.ts";
import { SELF_BUILT_APP_ID } from "../config.ts";
import { envelope } from "../feishu/events.ts";

export interface LongConnectionOptions {
  appId: string;
  appSecret: string;
  domain: string;
  listeners: Listeners;
  log: (line: string) => void;
  /** Seconds without any frame after a ping before the socket counts as dead and reconnects. */
  pingTimeoutSeconds?: number;
  /** How long start-up waits for the first connection before going on (the SDK keeps retrying). */
  readyTimeoutMs?: number;
}

export interface LongConnection {
  /** idle | connecting | connected | reconnecting | failed */
  state(): string;
  close(): void;
}

/**
 * WSClient hands every merged frame to `eventDispatcher.invoke(data, {needCheck:false})` and
 * sends back what it returns. The stock EventDispatcher flattens header and event into one
 * object — where event.token (the card's update token) overwrites header.token — so this one
 * passes the envelope through untouched to the same listeners the webhook uses.
 */
class EnvelopeDispatcher extends lark.EventDispatcher {
  constructor(
    private readonly listeners: Listeners,
    private readonly log: (line: string) => void,
  ) {
    super({ logger: sdkLogger(() => {}) });
  }

  override async invoke(data: unknown): Promise<unknown> {
    const env = envelope.safeParse(data);
    if (!env.success) {
      this.log("长连接收到的不是 2.0 版事件，已忽略");
      return undefined;
    }
    return this.listeners.receive(env.data);
  }
}

/** The SDK's logger interface, writing warnings and errors to our log. */
function sdkLogger(log: (line: string) => void) {
  const line = (level: string) => (...args: unknown[]) => log(`飞书长连接 ${level}：${args.map((a) => (a instanceof Error ? a.message : typeof a === "string" ? a : JSON.stringify(a))).join(" ")}`);
  return { error: line("错误"), warn: line("警告"), info() {}, debug() {}, trace() {} };
}

/**
 * Connect, and resolve once connected — or, after `readyTimeoutMs` of passing failures, while
 * the SDK keeps retrying in the background. Refused credentials reject. (WSClient.start() itself
 * returns before connecting; onReady/onError tell how the first attempt went.)
 */
export async function startLongConnection(o: LongConnectionOptions): Promise<LongConnection> {
  // The SDK silently does nothing for an App ID of another shape.
  if (!SELF_BUILT_APP_ID.test(o.appId)) throw new Error(`FEISHU_APP_ID「${o.appId}」不是自建应用的 App ID（cli_ 加 16 位十六进制字符）`);
  let settle: { ready: () => void; failed: (e: Error) => void } | null = null;
  const first = new Promise<void>((ready, failed) => (settle = { ready, failed }));
  const client = new lark.WSClient({
    appId: o.appId,
    appSecret: o.appSecret,
    domain: o.domain,
    logger: sdkLogger(o.log),
    loggerLevel: lark.LoggerLevel.warn,
    // Without a ping timeout a half-dead socket (sleep/wake, NAT timeout) never reconnects.
    wsConfig: { pingTimeout: o.pingTimeoutSeconds ?? 10 },
    onReady: () => {
      o.log("飞书长连接已建立");
      settle?.ready();
    },
    onReconnecting: () => o.log("飞书长连接断开，正在重连"),
    onReconnected: () => o.log("飞书长连接已恢复"),
    onError: (e) => {
      o.log(`飞书长连接失败：${e.message}`);
      settle?.failed(e);
    },
  });
  await client.start({ eventDispatcher: new EnvelopeDispatcher(o.listeners, o.log) });
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<"timeout">((r) => (timer = setTimeout(() => r("timeout"), o.readyTimeoutMs ?? 15_000)));
  try {
    if ((await Promise.race([first, waited])) === "timeout") o.log("飞书长连接暂未建立，将在后台重试");
  } catch (e) {
    client.close({ force: true });
    throw new Error(`无法建立飞书长连接，请检查 FEISHU_APP_ID、FEISHU_APP_SECRET，并确认是企业自建应用：${(e as Error).message}`);
  } finally {
    clearTimeout(timer);
    settle = null;
  }
  return { state: () => client.getConnectionStatus().state, close: () => client.close({ force: true }) };
}
