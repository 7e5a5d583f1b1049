/**
 * The Feishu Open API calls the bot makes, through @larksuiteoapi/node-sdk's Client, with what
 * the SDK leaves to us:
 * - HTTP 200 with code != 0 is an error, and a non-2xx answer's {code, msg} is read from the body;
 * - a rejected tenant token is invalidated once (99991663/99991661/99991668);
 * - a rate limit (HTTP 429, or 99991400/230020) waits what `x-ogw-ratelimit-reset` says
 *   (server-docs/api-call-guide/frequency-control: 使用该响应头延迟请求是解除限频的最好方法);
 *   server errors and timeouts back off;
 * - a missing scope (99991672) names the scope, from `error.permission_violations`
 *   (trouble-shooting/how-to-fix-the-99991672-error), so the log and the user can be told which.
 * Every request has a deadline (an abort signal over the whole exchange, not only an idle
 * socket), so a call that never answers frees its slot. A download is counted while it streams
 * and stopped at MAX_DOWNLOAD_BYTES. Failures are logged without secrets.
 */
import { Readable } from "node:stream";
import * as lark from "@larksuiteoapi/node-sdk";
import { type Logger, silentLogger } from "../log.ts";
import { feishuHttpInstance, type HttpInstance } from "./http.ts";

/** What the chat is told when a call fails, and why. */
export class FeishuApiError extends Error {
  constructor(
    readonly method: string,
    readonly code: number | null,
    readonly status: number | null,
    readonly detail: string,
    /** Scopes of which the app needs any one, when Feishu refused for a missing scope. */
    readonly missingScopes: string[] = [],
  ) {
    const what = code !== null ? `code ${code}` : status !== null ? `HTTP ${status}` : "网络错误或超时";
    const scopes = missingScopes.length ? `；缺少权限：${missingScopes.join(" 或 ")}` : "";
    super(`飞书接口 ${method} 失败：${what} ${detail}${scopes}`);
  }

  /** One sentence for the person in the chat. */
  get userMessage(): string {
    if (this.missingScopes.length) {
      return `机器人缺少飞书权限 ${this.missingScopes.join(" 或 ")}，请管理员在飞书开放平台「权限管理」中开通后发布新版本`;
    }
    switch (this.code) {
      case 230002:
        return "机器人不在这个会话里，无法发送";
      case 230025:
        return "回答内容超过了飞书的消息大小限制";
      case 230099:
        return "卡片内容被飞书拒绝（格式不符合要求）";
      case 230020:
      case 99991400:
        return "发送太频繁，被飞书限流";
      case 234003:
        return "在这条消息里找不到文件";
      case FILE_TOO_LARGE:
        return `文件超过 ${MAX_DOWNLOAD_BYTES / 1024 / 1024} MB，没有下载`;
    }
    if (this.code === null && this.status === null) return "连接飞书超时或网络出错";
    if (this.status === 429) return "发送太频繁，被飞书限流";
    return `飞书返回错误（${this.code ?? `HTTP ${this.status}`}）`;
  }
}

/** Files larger than this are not downloaded: a report is a few MB even with images. */
export const MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024;
/** Our code for a download stopped at MAX_DOWNLOAD_BYTES (not a Feishu code). */
export const FILE_TOO_LARGE = -413;

/**
 * Worth trying again later: the server failed (5xx), the rate limit (429, 99991400, 230020,
 * 11232), or no answer at all (network error, timeout). Refusals (4xx with a code) are not.
 */
export function isTransient(e: unknown): boolean {
  if (!(e instanceof FeishuApiError)) return false;
  if (e.code === FILE_TOO_LARGE) return false;
  if (e.status === 429 || (e.code !== null && RATE_LIMITED.has(e.code))) return true;
  if (e.status !== null && e.status >= 500) return true;
  return e.code === null && e.status === null;
}

/**
 * Feishu refused because the bot is not in that chat (230002, Bot/User can NOT be out of the
 * chat: it was removed, or the group was disbanded). Sending there again can only fail.
 */
export const isOutOfChat = (e: unknown): boolean => e instanceof FeishuApiError && e.code === 230002;

/** An id as one URL path segment: slashes and dots encoded too, so "../" never walks the path. */
export const pathSegment = (id: string) => encodeURIComponent(id).replace(/\./g, "%2E");

export type Receiver = { chat_id: string } | { open_id: string };
/** A card, a short text (used when a card could not be sent), or a file uploaded with uploadFile. */
export type Outgoing = { card: object } | { text: string } | { file: string };

export interface MessageInfo {
  messageId: string;
  chatId: string;
  msgType: string;
  /** The message content, a JSON string (e.g. {"file_key":…,"file_name":…} for a file). */
  content: string;
}

export interface FeishuApi {
  botOpenId(): Promise<string>;
  reply(messageId: string, msg: Outgoing, uuid: string): Promise<string>;
  send(to: Receiver, msg: Outgoing, uuid: string): Promise<string>;
  /** Replace a card the bot sent (shared cards: everyone sees the new one). */
  patch(messageId: string, card: object): Promise<void>;
  getMessage(messageId: string): Promise<MessageInfo>;
  download(messageId: string, fileKey: string): Promise<Buffer>;
  /** Upload a file to send in a message (im-v1/file/create: at most 30 MB, not empty); returns its file_key. */
  uploadFile(fileName: string, bytes: Buffer, fileType: "xls" | "pdf" | "doc" | "stream"): Promise<string>;
  /** open_id of a group's owner; null when Feishu gives none (e.g. the owner is not a user). */
  chatOwner(chatId: string): Promise<string | null>;
}

const TOKEN_INVALID = new Set([99991663, 99991661, 99991668]);
const RATE_LIMITED = new Set([99991400, 230020, 11232]);
const MISSING_SCOPE = 99991672;
const quietLogger = { error() {}, warn() {}, info() {}, debug() {}, trace() {} };

export interface FeishuApiOptions {
  appId: string;
  appSecret: string;
  domain: string;
  log?: Logger;
  /** Injected so tests do not wait for real back-off. */
  sleep?: (ms: number) => Promise<void>;
  maxAttempts?: number;
  /** Per request, the whole exchange; downloads and uploads get four times as long. */
  timeoutMs?: number;
  /** Downloads stop past this many bytes. */
  maxDownloadBytes?: number;
  /** Longest wait honoured from x-ogw-ratelimit-reset. */
  maxRateLimitWaitMs?: number;
}

type Res = { code?: number; msg?: string; data?: unknown; bot?: { open_id?: string } };
/** The JSON body of an error response, whatever shape axios left it in. */
function errorBody(data: unknown): { code?: number; msg?: string; error?: { permission_violations?: { subject?: string }[] } } {
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) {
    try {
      return JSON.parse(Buffer.from(data as ArrayBuffer).toString("utf8"));
    } catch {
      return {};
    }
  }
  return data && typeof data === "object" ? (data as ReturnType<typeof errorBody>) : {};
}

/** Scopes named by a 99991672 answer: permission_violations, else the list in msg. */
function scopesOf(body: ReturnType<typeof errorBody>): string[] {
  const fromViolations = (body.error?.permission_violations ?? []).map((v) => v.subject).filter((s): s is string => typeof s === "string");
  if (fromViolations.length) return fromViolations;
  const m = /\[([^\]]+)\]/.exec(body.msg ?? "");
  return m ? m[1].split(/\s*,\s*/).filter(Boolean) : [];
}

export function createFeishuApi(opts: FeishuApiOptions): FeishuApi {
  const cache = new lark.DefaultCache();
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const client = new lark.Client({
    appId: opts.appId,
    appSecret: opts.appSecret,
    domain: opts.domain,
    cache,
    logger: quietLogger,
    // The SDK's instance unwraps response data in an interceptor, which its own type does not show.
    httpInstance: feishuHttpInstance(lark.defaultHttpInstance as unknown as HttpInstance, timeoutMs),
  });
  const log = opts.log ?? silentLogger();
  const sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  const maxAttempts = opts.maxAttempts ?? 4;
  const maxWait = opts.maxRateLimitWaitMs ?? 120_000;
  const maxDownload = opts.maxDownloadBytes ?? MAX_DOWNLOAD_BYTES;

  async function call<T extends Res>(method: string, fn: () => Promise<T>): Promise<T> {
    let invalidated = false;
    let last: FeishuApiError | null = null;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      let code: number | null = null;
      let status: number | null = null;
      let msg = "";
      let scopes: string[] = [];
      let resetSeconds: number | null = null;
      try {
        const res = await fn();
        if (res.code === undefined || res.code === 0) return res;
        code = res.code;
        msg = res.msg ?? "";
        if (code === MISSING_SCOPE) scopes = scopesOf(res as ReturnType<typeof errorBody>);
      } catch (e) {
        if (e instanceof FeishuApiError) {
          log.warn({ api: method }, e.message);
          throw e;
        }
        const err = e as { response?: { status?: number; data?: unknown; headers?: Record<string, unknown> }; message?: string };
        const body = errorBody(err.response?.data);
        status = err.response?.status ?? null;
        code = typeof body.code === "number" ? body.code : null;
        msg = body.msg ?? err.message ?? String(e);
        if (code === MISSING_SCOPE) scopes = scopesOf(body);
        const reset = Number(err.response?.headers?.["x-ogw-ratelimit-reset"]);
        if (Number.isFinite(reset) && reset >= 0) resetSeconds = reset;
      }
      last = new FeishuApiError(method, code, status, msg, scopes);
      if (code !== null && TOKEN_INVALID.has(code) && !invalidated) {
        // Feishu rejected the cached tenant token: drop it so the SDK fetches a new one, once.
        invalidated = true;
        await cache.set(lark.CTenantAccessToken, "", undefined, { namespace: opts.appId });
        log.warn({ api: method, code }, `飞书 ${method}：tenant token 被拒（${code}），已刷新后重试`);
        continue;
      }
      const rateLimited = status === 429 || (code !== null && RATE_LIMITED.has(code));
      const retryable = rateLimited || (status !== null && status >= 500) || (code === null && status === null);
      if (!retryable || attempt === maxAttempts) break;
      const wait = rateLimited && resetSeconds !== null ? Math.min(maxWait, resetSeconds * 1000) : 500 * 3 ** (attempt - 1);
      log.warn({ api: method, code, status, attempt }, `飞书 ${method}：${last.message}，${wait} ms 后第 ${attempt + 1} 次尝试${rateLimited && resetSeconds !== null ? "（按 x-ogw-ratelimit-reset）" : ""}`);
      await sleep(wait);
    }
    log.warn({ api: method, code: last!.code, status: last!.status }, last!.message);
    throw last!;
  }

  const request = <T extends Res>(method: string, config: Parameters<typeof client.request>[0]) => call<T>(method, () => client.request<T>(config));
  const messageId = (r: Res) => ((r.data as { message_id?: string } | undefined)?.message_id ?? "") as string;
  const body = (msg: Outgoing) =>
    "card" in msg
      ? { msg_type: "interactive", content: JSON.stringify(msg.card) }
      : "file" in msg
        ? { msg_type: "file", content: JSON.stringify({ file_key: msg.file }) }
        : { msg_type: "text", content: JSON.stringify({ text: msg.text }) };

  return {
    async botOpenId() {
      const r = await request("bot.info", { method: "GET", url: "/open-apis/bot/v3/info" });
      const id = r.bot?.open_id;
      if (!id) throw new FeishuApiError("bot.info", null, null, "没有返回机器人的 open_id");
      return id;
    },
    async reply(message_id, msg, uuid) {
      const r = await request("im.message.reply", { method: "POST", url: `/open-apis/im/v1/messages/${pathSegment(message_id)}/reply`, data: { ...body(msg), uuid } });
      return messageId(r);
    },
    async send(to, msg, uuid) {
      const [type, id] = "chat_id" in to ? (["chat_id", to.chat_id] as const) : (["open_id", to.open_id] as const);
      const r = await request("im.message.create", { method: "POST", url: "/open-apis/im/v1/messages", params: { receive_id_type: type }, data: { receive_id: id, ...body(msg), uuid } });
      return messageId(r);
    },
    async patch(message_id, card) {
      await request("im.message.patch", { method: "PATCH", url: `/open-apis/im/v1/messages/${pathSegment(message_id)}`, data: { content: JSON.stringify(card) } });
    },
    async getMessage(message_id) {
      const r = await request("im.message.get", { method: "GET", url: `/open-apis/im/v1/messages/${pathSegment(message_id)}` });
      const item = (r.data as { items?: { message_id?: string; chat_id?: string; msg_type?: string; body?: { content?: string } }[] } | undefined)?.items?.[0];
      if (!item) throw new FeishuApiError("im.message.get", null, null, "没有返回消息");
      return { messageId: item.message_id ?? message_id, chatId: item.chat_id ?? "", msgType: item.msg_type ?? "", content: item.body?.content ?? "" };
    },
    async chatOwner(chat_id) {
      const r = await request("im.chat.get", { method: "GET", url: `/open-apis/im/v1/chats/${pathSegment(chat_id)}`, params: { user_id_type: "open_id" } });
      const d = (r.data ?? {}) as { owner_id?: string; owner_id_type?: string };
      // A group owned by a bot reports its app_id; only a user's open_id can match a sender.
      return d.owner_id && (d.owner_id_type ?? "open_id") === "open_id" ? d.owner_id : null;
    },
    async uploadFile(fileName, bytes, fileType) {
      // The SDK copies `data` into a plain object (a FormData or a Buffer body would arrive empty);
      // axios turns a plain object into multipart/form-data when told to, and a stream with a
      // `path` gives the part its file name. A fresh stream per attempt: a retry reads it again.
      const r = await call<Res>("im.file.create", () =>
        client.request<Res>({
          method: "POST",
          url: "/open-apis/im/v1/files",
          data: { file_type: fileType, file_name: fileName, file: Object.assign(Readable.from([bytes]), { path: fileName }) },
          headers: { "Content-Type": "multipart/form-data" },
          timeout: timeoutMs * 4,
        }),
      );
      const key = (r.data as { file_key?: string } | undefined)?.file_key;
      if (!key) throw new FeishuApiError("im.file.create", null, null, "没有返回 file_key");
      return key;
    },
    async download(message_id, file_key) {
      let buf: Buffer | null = null;
      await call<Res>("im.messageResource.get", async () => {
        const controller = new AbortController();
        const deadline = setTimeout(() => controller.abort(new Error(`下载超过 ${(timeoutMs * 4) / 1000} 秒`)), timeoutMs * 4);
        try {
          const stream = await client.request<Readable>({
            method: "GET",
            url: `/open-apis/im/v1/messages/${pathSegment(message_id)}/resources/${pathSegment(file_key)}`,
            params: { type: "file" },
            responseType: "stream",
            timeout: timeoutMs * 4,
            signal: controller.signal,
          });
          buf = await readCapped(stream, maxDownload, controller.signal);
        } catch (e) {
          // An error answer's body is a stream too: read its {code, msg} (a few bytes) for the error.
          const res = (e as { response?: { data?: unknown } }).response;
          if (res?.data instanceof Readable) res.data = await readCapped(res.data, 64 * 1024, controller.signal).catch(() => Buffer.alloc(0));
          throw e;
        } finally {
          clearTimeout(deadline);
        }
        return { code: 0 };
      });
      return buf!;
    },
  };
}

/**
 * A response body read while counting: past `max` bytes the stream is destroyed (the connection
 * closes, nothing more is read) and FILE_TOO_LARGE is thrown.
 */
async function readCapped(stream: Readable, max: number, signal: AbortSignal): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream) {
      total += (chunk as Buffer).length;
      if (total > max) {
        stream.destroy();
        throw new FeishuApiError("im.messageResource.get", FILE_TOO_LARGE, null, `文件超过 ${max} 字节，已停止下载`);
      }
      chunks.push(chunk as Buffer);
    }
  } catch (e) {
    stream.destroy();
    if (e instanceof FeishuApiError) throw e;
    throw new Error(signal.aborted ? String(signal.reason ?? "下载超时") : (e as Error).message);
  }
  return Buffer.concat(chunks);
}
