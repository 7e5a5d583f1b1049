/**
 * The webhook transport: the Hono app Feishu POSTs to. Transport only — size limit, JSON,
 * decryption, the signature over the raw body and its timestamp, the Verification Token, the
 * URL check — then the 2.0 envelope goes to the listeners and their answer is the response.
 *
 * Protocol (server-docs/event-subscription-guide/…/encrypt-key-encryption-configuration-case):
 * the body is {"encrypt": base64} when an Encrypt Key is set; X-Lark-Signature is
 * sha256(timestamp + nonce + key + raw body); the URL check (url_verification) carries no
 * signature and must be answered with its challenge within 1 s.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { Hono } from "hono";
import type { Listeners } from "../app.ts";
import { decryptEvent, SIGNATURE_WINDOW_MS, signatureOk, timestampFresh, tokenOk } from "../feishu/crypto.ts";
import { envelope } from "../feishu/events.ts";
import { errText, type Logger } from "../log.ts";
import { Draining } from "../work.ts";

export const MAX_BODY_BYTES = 1024 * 1024;

export interface WebhookAuth {
  verificationToken: string;
  encryptKey?: string;
}

export interface HttpTransportOptions {
  listeners: Listeners;
  /** Without it (long-connection mode) only GET /healthz is served. */
  webhook?: WebhookAuth;
  now: () => Date;
  log: Logger;
  /** What GET /healthz reports; `ok: false` answers 503. */
  health: () => Promise<Record<string, unknown>>;
}

type Verified = { ok: true; body: Record<string, unknown> } | { ok: false; status: 400 | 401 | 413; message: string };

/** What @hono/node-server passes as the app's env: the Node request under the Fetch one. */
type NodeBindings = { incoming?: IncomingMessage };

/**
 * The body, counted while it streams: past `max` bytes reading stops (the rest is never
 * buffered) and null is returned — whether or not a Content-Length was sent. Served by
 * @hono/node-server, the Node request is read directly: building the Fetch Request's body
 * stream costs more than everything else the ack does.
 */
export async function readBody(req: Request, max: number, incoming?: IncomingMessage): Promise<Uint8Array | null> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > max) {
    if (!incoming) await req.body?.cancel().catch(() => {});
    return null;
  }
  return incoming ? readIncoming(incoming, max) : readStream(req, max);
}

function readIncoming(incoming: IncomingMessage, max: number): Promise<Uint8Array | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const done = (v: Uint8Array | null) => {
      incoming.off("data", onData).off("end", onEnd).off("error", onError);
      resolve(v);
    };
    const onData = (chunk: Buffer) => {
      total += chunk.length;
      if (total > max) {
        // Stop reading: the 413 closes the connection, so the rest is never pulled off the socket.
        incoming.pause();
        done(null);
      } else chunks.push(chunk);
    };
    const onEnd = () => done(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total));
    const onError = (e: Error) => {
      incoming.off("data", onData).off("end", onEnd).off("error", onError);
      reject(e);
    };
    incoming.on("data", onData).on("end", onEnd).on("error", onError);
  });
}

async function readStream(req: Request, max: number): Promise<Uint8Array | null> {
  if (!req.body) return new Uint8Array();
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** Read, size-check, decrypt and authenticate one Feishu POST. */
async function verify(req: Request, incoming: IncomingMessage | undefined, o: WebhookAuth, now: () => Date): Promise<Verified | { challenge: string }> {
  const raw = await readBody(req, MAX_BODY_BYTES, incoming);
  if (!raw) return { ok: false, status: 413, message: "请求体超过 1 MB" };
  let body: Record<string, unknown>;
  try {
    const parsed = JSON.parse(new TextDecoder().decode(raw));
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("not an object");
    body = parsed;
  } catch {
    return { ok: false, status: 400, message: "请求体不是 JSON 对象" };
  }
  const encrypted = typeof body.encrypt === "string";
  if (o.encryptKey) {
    if (!encrypted) return { ok: false, status: 401, message: "已配置 Encrypt Key，但请求未加密" };
    try {
      body = JSON.parse(decryptEvent(o.encryptKey, body.encrypt as string));
    } catch {
      return { ok: false, status: 400, message: "无法解密请求" };
    }
    // The URL check carries no signature; every other request must be signed over its raw bytes.
    if (body.type !== "url_verification") {
      const h = req.headers;
      const timestamp = h.get("x-lark-request-timestamp") ?? undefined;
      const signed = signatureOk({ timestamp, nonce: h.get("x-lark-request-nonce") ?? undefined, signature: h.get("x-lark-signature") ?? undefined }, o.encryptKey, raw);
      if (!signed) return { ok: false, status: 401, message: "签名校验失败" };
      // A valid signature replayed later is still refused (replay window; Feishu retries are new requests).
      if (!timestampFresh(timestamp, now().getTime())) {
        return { ok: false, status: 401, message: `请求时间戳与服务器时间相差超过 ${SIGNATURE_WINDOW_MS / 60000} 分钟` };
      }
    }
  } else if (encrypted) {
    return { ok: false, status: 400, message: "收到加密请求，但未配置 FEISHU_ENCRYPT_KEY" };
  }
  if (body.type === "url_verification") {
    if (!tokenOk(o.verificationToken, body.token)) return { ok: false, status: 401, message: "Verification Token 不匹配" };
    return { challenge: String(body.challenge ?? "") };
  }
  const token = (body.header as { token?: unknown } | undefined)?.token ?? body.token;
  if (!tokenOk(o.verificationToken, token)) return { ok: false, status: 401, message: "Verification Token 不匹配" };
  return { ok: true, body };
}

export function createHttpApp(o: HttpTransportOptions) {
  const app = new Hono();
  const json = (data: unknown, status = 200) => new Response(JSON.stringify(data), { status, headers: { "content-type": "application/json; charset=utf-8" } });

  /**
   * Events and card callbacks are handled alike (the listeners dispatch on event_type), so the
   * console's 事件配置 and 回调配置 may point at either path.
   */
  const feishuRoute = (path: string, auth: WebhookAuth) =>
    app.post(path, async (c) => {
      const log = o.log.child({ req: randomUUID().slice(0, 8), path });
      const v = await verify(c.req.raw, (c.env as NodeBindings | undefined)?.incoming, auth, o.now);
      if ("challenge" in v) return c.json({ challenge: v.challenge });
      if (!v.ok) {
        log.warn({ status: v.status }, `拒绝 ${path}：${v.message}`);
        // An oversized body is left unread: closing the connection is the only way to stop it.
        return c.json({ error: v.message }, v.status, v.status === 413 ? { connection: "close" } : undefined);
      }
      const env = envelope.safeParse(v.body);
      if (!env.success) {
        log.warn("拒绝：不是 2.0 版事件");
        return json({ error: "不是 2.0 版事件" }, 400);
      }
      try {
        return json(await o.listeners.receive(env.data));
      } catch (e) {
        // Not journaled, so not acked: Feishu re-sends the event.
        const draining = e instanceof Draining;
        (draining ? log.info.bind(log) : log.error.bind(log))({ event_id: env.data.header.event_id, event_type: env.data.header.event_type }, `未确认事件：${errText(e)}`);
        return json({ error: draining ? "服务正在停止，请稍后重试" : "服务器暂时无法处理" }, draining ? 503 : 500);
      }
    });
  if (o.webhook) {
    feishuRoute("/feishu/events", o.webhook);
    feishuRoute("/feishu/card", o.webhook);
  }

  app.get("/healthz", async (c) => {
    const h = await o.health();
    return c.json(h, h.ok === false ? 503 : 200);
  });

  app.onError((err, c) => {
    o.log.error({ err: err.message }, `处理请求出错：${err.message}`);
    return c.json({ error: "服务器内部错误" }, 500);
  });

  return app;
}
