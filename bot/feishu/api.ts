/**
 * The Feishu Open API calls the bot makes, through @larksuiteoapi/node-sdk, with the retries
 * the SDK lacks: HTTP 200 with code != 0 is an error; a rejected tenant token is invalidated
 * once; rate limits and server errors back off. Failures are logged without secrets.
 */
import * as lark from "@larksuiteoapi/node-sdk";

export class FeishuApiError extends Error {
  constructor(
    readonly method: string,
    readonly code: number | null,
    readonly status: number | null,
    message: string,
  ) {
    super(`飞书接口 ${method} 失败：${code !== null ? `code ${code}` : status !== null ? `HTTP ${status}` : "网络错误"} ${message}`);
  }
}

export type Receiver = { chat_id: string } | { open_id: string };

export interface FeishuApi {
  botOpenId(): Promise<string>;
  reply(messageId: string, card: object, uuid: string): Promise<string>;
  send(to: Receiver, card: object, uuid: string): Promise<string>;
  download(messageId: string, fileKey: string): Promise<Buffer>;
  /** open_id of a group's owner. */
  chatOwner(chatId: string): Promise<string | null>;
}

const TOKEN_INVALID = new Set([99991663, 99991661, 99991668]);
const RATE_LIMITED = new Set([99991400, 230020, 11232]);
const quietLogger = { error() {}, warn() {}, info() {}, debug() {}, trace() {} };

export interface FeishuApiOptions {
  appId: string;
  appSecret: string;
  domain: string;
  log?: (line: string) => void;
  /** Injected so tests do not wait for real back-off. */
  sleep?: (ms: number) => Promise<void>;
  maxAttempts?: number;
}

type Res = { code?: number; msg?: string; data?: unknown; bot?: { open_id?: string } };

export function createFeishuApi(opts: FeishuApiOptions): FeishuApi {
  const cache = new lark.DefaultCache();
  const client = new lark.Client({ appId: opts.appId, appSecret: opts.appSecret, domain: opts.domain, cache, logger: quietLogger });
  const log = opts.log ?? (() => {});
  const sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  const maxAttempts = opts.maxAttempts ?? 4;

  async function call<T extends Res>(method: string, fn: () => Promise<T>): Promise<T> {
    let invalidated = false;
    let last: FeishuApiError | null = null;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      let code: number | null = null;
      let status: number | null = null;
      let msg = "";
      try {
        const res = await fn();
        if (res.code === undefined || res.code === 0) return res;
        code = res.code;
        msg = res.msg ?? "";
      } catch (e) {
        const err = e as { response?: { status?: number; data?: { code?: number; msg?: string } }; message?: string };
        status = err.response?.status ?? null;
        code = err.response?.data?.code ?? null;
        msg = err.response?.data?.msg ?? err.message ?? String(e);
      }
      last = new FeishuApiError(method, code, status, msg);
      if (code !== null && TOKEN_INVALID.has(code) && !invalidated) {
        // Feishu rejected the cached tenant token: drop it so the SDK fetches a new one, once.
        invalidated = true;
        await cache.set(lark.CTenantAccessToken, "", undefined, { namespace: opts.appId });
        log(`飞书 ${method}：tenant token 被拒（${code}），已刷新后重试`);
        continue;
      }
      const retryable = (code !== null && RATE_LIMITED.has(code)) || status === 429 || (status !== null && status >= 500) || (code === null && status === null);
      if (!retryable || attempt === maxAttempts) break;
      const wait = 500 * 3 ** (attempt - 1);
      log(`飞书 ${method}：${last.message}，${wait} ms 后第 ${attempt + 1} 次尝试`);
      await sleep(wait);
    }
    log(last!.message);
    throw last!;
  }

  const messageId = (r: Res) => ((r.data as { message_id?: string } | undefined)?.message_id ?? "") as string;

  return {
    async botOpenId() {
      const r = await call<Res>("bot.info", () => client.request({ method: "GET", url: "/open-apis/bot/v3/info" }));
      const id = r.bot?.open_id;
      if (!id) throw new FeishuApiError("bot.info", null, null, "没有返回机器人的 open_id");
      return id;
    },
    async reply(message_id, card, uuid) {
      const r = await call<Res>("im.message.reply", () =>
        client.im.message.reply({ path: { message_id }, data: { msg_type: "interactive", content: JSON.stringify(card), uuid } }) as Promise<Res>,
      );
      return messageId(r);
    },
    async send(to, card, uuid) {
      const [type, id] = "chat_id" in to ? (["chat_id", to.chat_id] as const) : (["open_id", to.open_id] as const);
      const r = await call<Res>("im.message.create", () =>
        client.im.message.create({ params: { receive_id_type: type }, data: { receive_id: id, msg_type: "interactive", content: JSON.stringify(card), uuid } }) as Promise<Res>,
      );
      return messageId(r);
    },
    async chatOwner(chat_id) {
      const r = await call<Res>("im.chat.get", () =>
        client.im.chat.get({ path: { chat_id }, params: { user_id_type: "open_id" } }) as Promise<Res>,
      );
      return ((r.data as { owner_id?: string } | undefined)?.owner_id ?? null) || null;
    },
    async download(message_id, file_key) {
      let buf: Buffer | null = null;
      await call<Res>("im.messageResource.get", async () => {
        const res = await client.im.messageResource.get({ params: { type: "file" }, path: { message_id, file_key } });
        const chunks: Buffer[] = [];
        for await (const c of res.getReadableStream()) chunks.push(Buffer.from(c));
        buf = Buffer.concat(chunks);
        return { code: 0 };
      });
      return buf!;
    },
  };
}
