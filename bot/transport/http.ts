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
import { Hono } from "hono";
import type { Listeners } from "../app.ts";
import { decryptEvent, SIGNATURE_WINDOW_MS, signatureOk, timestampFresh, tokenOk } from "../feishu/crypto.ts";
import { envelope } from "../feishu/events.ts";

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
  log: (line: string) => void;
  /** What GET /healthz reports. */
  health: () => Record<string, unknown>;
}

type Verified = { ok: true; body: Record<string, unknown> } | { ok: false; status: 400 | 401 | 413; message: string };

/** Read, size-check, decrypt and authenticate one Feishu POST. */
async function verify(req: Request, o: WebhookAuth, now: () => Date): Promise<Verified | { challenge: string }> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) return { ok: false, status: 413, message: "请求体超过 1 MB" };
  const raw = new Uint8Array(await req.arrayBuffer());
  if (raw.byteLength > MAX_BODY_BYTES) return { ok: false, status: 413, message: "请求体超过 1 MB" };
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
      const v = await verify(c.req.raw, auth, o.now);
      if ("challenge" in v) return c.json({ challenge: v.challenge });
      if (!v.ok) {
        o.log(`拒绝 ${path}：${v.message}`);
        return c.json({ error: v.message }, v.status);
      }
      const env = envelope.safeParse(v.body);
      if (!env.success) return json({ error: "不是 2.0 版事件" }, 400);
      return json(o.listeners.receive(env.data));
    });
  if (o.webhook) {
    feishuRoute("/feishu/events", o.webhook);
    feishuRoute("/feishu/card", o.webhook);
  }

  app.get("/healthz", (c) => c.json(o.health()));

  app.onError((err, c) => {
    o.log(`处理请求出错：${err.message}`);
    return c.json({ error: "服务器内部错误" }, 500);
  });

  return app;
}
