/**
 * A fake Feishu Open API on loopback, as strict as Feishu where the bot could go wrong:
 * - scopes are configured per test; a call without one of its scopes answers 99991672 with
 *   `error.permission_violations` naming them (trouble-shooting/how-to-fix-the-99991672-error);
 *   the scope lists are those of each API's doc page (im-v1/message/create, …/reply, …/patch,
 *   …/get, message-resource/get, chat/get);
 * - a card is validated against card JSON 2.0 (./card-schema.ts) → 230099; a card or post body
 *   over 30 KB → 230025, a text body over 150 KB → 230025 (message/create 使用限制);
 * - a message resource must belong to the message → 400/234003; reading a group message needs
 *   im:message.group_msg as well (message/get); chat.get gives no owner unless one is set;
 * - the same uuid within 1 hour sends nothing new and returns the first message_id;
 * - with `holdToRates` on, at most 5 messages a second to one chat (shared by the bots in a
 *   group) or one user, and 5 updates a second to one card (message/create and message/reply
 *   使用限制, message/patch 使用限制); the 6th within the second answers 230020;
 * - a card can be patched only if the bot sent it, within 14 days, with update_multi on both;
 * - scripted failures and rate limits (HTTP 429 — or 400 for older APIs — with 99991400 and
 *   x-ogw-ratelimit-* headers, server-docs/api-call-guide/frequency-control);
 * - the long connection: POST /callback/ws/endpoint and a WebSocket speaking the SDK's frames
 *   (./ws-frame.ts); `pushEvent` delivers an event and resolves with the bot's ack.
 * Codes the docs do not give for a case are marked "assumed".
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { type WebSocket, WebSocketServer } from "ws";
import { cardProblems } from "./card-schema.ts";
import { decodeFrame, encodeFrame, type Frame, header } from "./ws-frame.ts";

export interface Recorded {
  method: string;
  path: string;
  query: Record<string, string>;
  auth: string | undefined;
  body: Record<string, unknown> | null;
  bytes: number;
  status: number;
  code: number;
}

/** A message the bot made Feishu post. */
export interface Delivered {
  messageId: string;
  via: "reply" | "send";
  chatId: string | null;
  parentId: string | null;
  receiveId: string | null;
  receiveIdType: string | null;
  msgType: "text" | "interactive" | "file";
  /** Current card (after patches) or null for text. */
  card: Record<string, unknown> | null;
  text: string | null;
  /** The uploaded file a file message carries. */
  file: UploadedFile | null;
  uuid: string | null;
  sentAt: number;
}

/** A message a user sent, known to the fake so the bot can reply to it, read it, download from it. */
export interface UserMessage {
  messageId: string;
  chatId: string;
  chatType: "p2p" | "group";
  msgType: string;
  content: string;
  files?: Map<string, Buffer>;
}

/** A file the bot uploaded with im.file.create. */
export interface UploadedFile {
  key: string;
  fileType: string;
  fileName: string;
  bytes: Buffer;
}

export type Kind = "token" | "bot" | "send" | "reply" | "patch" | "get" | "resource" | "upload" | "chat" | "ws-endpoint" | "other";
type Scripted = { status: number; body: unknown; headers?: Record<string, string> };

/** What the README tells an admin to enable; tests take scopes away to see what breaks. */
export const DEFAULT_SCOPES = ["im:message.p2p_msg:readonly", "im:message.group_at_msg:readonly", "im:message:send_as_bot", "im:message:readonly", "im:chat:readonly"];

/** For each Open API the bot calls, the scopes of which its doc page wants any one. */
export const SCOPES: Partial<Record<Kind, string[]>> = {
  send: ["im:message", "im:message:send_as_bot", "im:message:send"],
  reply: ["im:message", "im:message:send_as_bot", "im:message:send"],
  patch: ["im:message", "im:message:send_as_bot", "im:message:update"],
  get: ["im:message", "im:message:readonly", "im:message.history:readonly"],
  resource: ["im:message", "im:message:readonly", "im:message.history:readonly"],
  // im-v1/file/create: 获取与上传图片或文件资源 (im:resource) or 上传文件V2 (im:resource:upload).
  upload: ["im:resource", "im:resource:upload"],
  chat: ["im:chat", "im:chat:read", "im:chat:readonly"],
};
const CARD_LIMIT = 30 * 1024;
/** im-v1/file/create 使用限制: 文件大小不得超过 30 MB，且不允许上传空文件. */
const FILE_LIMIT = 30 * 1024 * 1024;
const FILE_TYPES = new Set(["opus", "mp4", "pdf", "doc", "xls", "ppt", "stream"]);
const TEXT_LIMIT = 150 * 1024;
const UUID_TTL_MS = 60 * 60 * 1000;
/** message/create, message/reply: 向同一用户发送消息的限频为 5 QPS、向同一群组发送消息的限频为群内机器人共享 5 QPS; message/patch: 单条消息更新频控为 5 QPS. */
const PER_TARGET_QPS = 5;
const PATCH_WINDOW_MS = 14 * 86400000;

export class FakeFeishu {
  /**
   * @param validateCards Check every card against the 2.0 schema (always, in tests). The load
   *   benchmark turns it off: there the fake shares two cores with the bot it measures.
   */
  constructor(private readonly validateCards = true) {}

  readonly calls: Recorded[] = [];
  readonly messages: Delivered[] = [];
  readonly patches: { messageId: string; card: Record<string, unknown> }[] = [];
  readonly userMessages = new Map<string, UserMessage>();
  readonly uploads = new Map<string, UploadedFile>();
  /** Groups and their owner's open_id; a group not listed exists with no owner Feishu reports. */
  readonly chatOwners = new Map<string, string>();
  readonly removedFrom = new Set<string>();
  scopes = new Set(DEFAULT_SCOPES);
  /**
   * Hold each chat, user and card to 5 messages or updates a second, as Feishu does. Off unless
   * a test turns it on (reset() turns it off): most tests stand in a no-op sleep for the bot's
   * back-off against this fake's real clock, so a burst would be given up before the second
   * passed; a test of the limit sets `now` to a clock the bot's sleep advances.
   */
  holdToRates = false;
  botOpenId = "ou_bot";
  appSecret = "secret-xyz";
  /** The fake's clock (uuid window, 14-day patch window). */
  now: () => number = Date.now;
  url = "";
  private server: Server | null = null;
  private wss: WebSocketServer | null = null;
  private readonly sockets = new Set<WebSocket>();
  private readonly acks = new Map<string, (f: Frame) => void>();
  private tokens = 0;
  private readonly validTokens = new Set<string>();
  private readonly uuids = new Map<string, { messageId: string; at: number }>();
  private readonly script = new Map<Kind, Scripted[]>();
  private readonly delays = new Map<Kind, number[]>();
  /** When messages went to each chat or user, and updates to each card, within the last second. */
  private readonly recent = new Map<string, number[]>();
  private seq = 0;

  /** Back to a fresh tenant: default scopes, no messages, no scripts. Tokens stay valid. */
  reset() {
    this.calls.length = 0;
    this.messages.length = 0;
    this.patches.length = 0;
    this.userMessages.clear();
    this.uploads.clear();
    this.chatOwners.clear();
    this.removedFrom.clear();
    this.uuids.clear();
    this.recent.clear();
    this.script.clear();
    this.delays.clear();
    this.bigFiles.clear();
    this.streamed = 0;
    this.uuidRepeats = 0;
    this.scopes = new Set(DEFAULT_SCOPES);
    this.holdToRates = false;
    this.now = Date.now;
  }

  /** The next `times` calls of a kind answer this instead. */
  fail(kind: Kind, status: number, body: unknown, times = 1, headers?: Record<string, string>) {
    const list = this.script.get(kind) ?? [];
    for (let i = 0; i < times; i++) list.push({ status, body, headers });
    this.script.set(kind, list);
  }

  /** The next `times` calls of a kind are answered, as usual, only after `ms`. */
  stall(kind: Kind, ms: number, times = 1) {
    const list = this.delays.get(kind) ?? [];
    for (let i = 0; i < times; i++) list.push(ms);
    this.delays.set(kind, list);
  }

  /**
   * The next `times` calls of a kind are rate-limited, as Feishu does it: HTTP 429, or 400 for
   * some older APIs, with the same code and headers (frequency-control: 对于部分旧版 OpenAPI …
   * HTTP 状态码为 400).
   */
  rateLimit(kind: Kind, resetSeconds: number, times = 1, status: 429 | 400 = 429) {
    this.fail(kind, status, { code: 99991400, msg: "request trigger frequency limit" }, times, { "x-ogw-ratelimit-limit": "50", "x-ogw-ratelimit-reset": String(resetSeconds) });
  }

  /**
   * Counts one more message to a chat or user, or update to a card; false when 5 went there in
   * the last second already (the refused call is not counted).
   */
  private withinRate(target: string): boolean {
    if (!this.holdToRates) return true;
    const now = this.now();
    const times = (this.recent.get(target) ?? []).filter((t) => now - t < 1000);
    if (times.length >= PER_TARGET_QPS) {
      this.recent.set(target, times);
      return false;
    }
    times.push(now);
    this.recent.set(target, times);
    return true;
  }

  /** A message a user posted (what Feishu knows before the event reaches the bot). */
  userSent(m: UserMessage) {
    this.userMessages.set(m.messageId, m);
  }

  /** Requests of a kind (accepted or not). */
  sent(kind?: "reply" | "send"): Recorded[] {
    return this.calls.filter((c) => (kind ? kindOf(c) === kind : kindOf(c) === "reply" || kindOf(c) === "send"));
  }

  /** Cards Feishu posted (one per message; a retried uuid posts nothing new), as they look now. */
  cards(via?: "reply" | "send"): Record<string, unknown>[] {
    return this.messages.filter((m) => m.card && (!via || m.via === via)).map((m) => m.card!);
  }

  texts(): string[] {
    return this.messages.filter((m) => m.text !== null).map((m) => m.text!);
  }

  message(id: string): Delivered | undefined {
    return this.messages.find((m) => m.messageId === id);
  }

  tokenRequests(): number {
    return this.calls.filter((c) => kindOf(c) === "token").length;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.wss = new WebSocketServer({ noServer: true });
    this.server.on("upgrade", (req, socket, head) => {
      if (!req.url?.startsWith("/ws")) return socket.destroy();
      this.wss!.handleUpgrade(req, socket, head, (ws) => this.onSocket(ws));
    });
    await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", () => r()));
    const addr = this.server.address();
    this.url = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`;
    return this.url;
  }

  async stop() {
    for (const s of this.sockets) s.terminate();
    this.wss?.close();
    // Calls held by stall() are cut, as a dead server would.
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  /**
   * A file of `bytes` bytes that Feishu streams in chunks (a 100 MB upload, say); `streamed`
   * counts what it actually wrote before the bot stopped reading.
   */
  bigFile(messageId: string, chatId: string, fileKey: string, fileName: string, bytes: number) {
    this.userSent({ messageId, chatId, chatType: "p2p", msgType: "file", content: JSON.stringify({ file_key: fileKey, file_name: fileName }) });
    this.bigFiles.set(`${messageId}/${fileKey}`, bytes);
  }
  private readonly bigFiles = new Map<string, number>();
  /** Sends that reused a uuid seen within the hour (Feishu posted nothing new). */
  uuidRepeats = 0;
  streamed = 0;

  // ---------------------------------------------------------------- long connection

  get connections(): number {
    return this.sockets.size;
  }

  /** Deliver an event over the long connection, split into `fragments` frames; resolves with the ack. */
  pushEvent(event: unknown, fragments = 1): Promise<{ code: number; data?: unknown }> {
    const socket = [...this.sockets][0];
    if (!socket) return Promise.reject(new Error("no long connection"));
    const messageId = randomUUID();
    const bytes = Buffer.from(JSON.stringify(event));
    const size = Math.ceil(bytes.length / fragments);
    const acked = new Promise<Frame>((resolve) => this.acks.set(messageId, resolve));
    for (let i = 0; i < fragments; i++) {
      socket.send(
        encodeFrame({
          SeqID: ++this.seq,
          LogID: this.seq,
          service: 7,
          method: 1,
          headers: [
            { key: "type", value: "event" },
            { key: "message_id", value: messageId },
            { key: "sum", value: String(fragments) },
            { key: "seq", value: String(i) },
            { key: "trace_id", value: `trace-${this.seq}` },
          ],
          payload: bytes.subarray(i * size, (i + 1) * size),
        }),
      );
    }
    return acked.then((f) => {
      const ack = JSON.parse(Buffer.from(f.payload ?? []).toString("utf8")) as { code: number; data?: string };
      return { code: ack.code, data: ack.data ? JSON.parse(Buffer.from(ack.data, "base64").toString("utf8")) : undefined };
    });
  }

  /** Close every long connection (the client should reconnect). */
  dropConnections() {
    for (const s of this.sockets) s.terminate();
  }

  private onSocket(ws: WebSocket) {
    this.sockets.add(ws);
    ws.on("close", () => this.sockets.delete(ws));
    ws.on("message", (data: Buffer) => {
      const f = decodeFrame(data);
      if (f.method === 0 && header(f, "type") === "ping") {
        const pong = Buffer.from(JSON.stringify({ PingInterval: 120, ReconnectCount: -1, ReconnectInterval: 1, ReconnectNonce: 0 }));
        ws.send(encodeFrame({ ...f, headers: [{ key: "type", value: "pong" }], payload: pong }));
        return;
      }
      const id = header(f, "message_id");
      if (f.method === 1 && id) this.acks.get(id)?.(f);
    });
  }

  // ---------------------------------------------------------------- HTTP

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://x");
    const raw = await readRaw(req);
    let body: Record<string, unknown> | null = null;
    try {
      body = raw.length ? JSON.parse(raw.toString("utf8")) : null;
    } catch {
      body = null;
    }
    const rec: Recorded = { method: req.method ?? "", path: url.pathname, query: Object.fromEntries(url.searchParams), auth: req.headers.authorization, body, bytes: raw.length, status: 0, code: 0 };
    this.calls.push(rec);
    const reply = (status: number, payload: unknown, headers: Record<string, string> = {}, binary?: Buffer) => {
      rec.status = status;
      rec.code = binary ? 0 : ((payload as { code?: number })?.code ?? 0);
      res.writeHead(status, { "content-type": binary ? "application/octet-stream" : "application/json", ...headers });
      res.end(binary ?? JSON.stringify(payload));
    };
    const kind = kindOf(rec);

    if (rec.path === "/__stats") {
      const replies = this.messages.filter((m) => m.via === "reply");
      // uuidRepeats: sends Feishu absorbed because their uuid was already used (a resumed or retried reply).
      return reply(200, { replies: replies.length, uniqueReplies: new Set(replies.map((r) => r.parentId)).size, uuidRepeats: this.uuidRepeats });
    }
    if (rec.path === "/__stall" && rec.method === "POST") {
      this.stall((body?.kind as Kind) ?? "reply", Number(body?.ms ?? 0), Number(body?.times ?? 1));
      return reply(200, { code: 0 });
    }
    if (rec.path === "/__messages" && rec.method === "POST") {
      for (const m of (body?.messages ?? []) as UserMessage[]) this.userSent(m);
      return reply(200, { code: 0 });
    }

    const delay = this.delays.get(kind)?.shift();
    if (delay) await new Promise((r) => setTimeout(r, delay).unref());
    const scripted = this.script.get(kind)?.shift();
    if (scripted) return reply(scripted.status, scripted.body, scripted.headers);

    if (kind === "token") {
      if (body?.app_secret !== this.appSecret) return reply(200, { code: 10014, msg: "app secret invalid" });
      const token = `t-${++this.tokens}`;
      this.validTokens.add(token);
      return reply(200, { code: 0, tenant_access_token: token, expire: 7200 });
    }
    if (kind === "ws-endpoint") {
      // ErrorCode.auth_failed in the SDK: not retried.
      if (body?.AppSecret !== this.appSecret) return reply(200, { code: 514, msg: "auth failed", data: {} });
      const wsUrl = `${this.url.replace(/^http/, "ws")}/ws?device_id=fake-device&service_id=7`;
      return reply(200, { code: 0, msg: "ok", data: { URL: wsUrl, ClientConfig: { PingInterval: 120, ReconnectCount: -1, ReconnectInterval: 1, ReconnectNonce: 0 } } });
    }

    const token = /^Bearer (.+)$/.exec(rec.auth ?? "")?.[1];
    if (!token || !this.validTokens.has(token)) return reply(400, { code: 99991663, msg: "Invalid access token for authorization" });
    const required = SCOPES[kind];
    if (required && !required.some((s) => this.scopes.has(s))) return reply(400, missingScope(required));

    switch (kind) {
      case "bot":
        return reply(200, { code: 0, msg: "ok", bot: { open_id: this.botOpenId, app_name: "年报助手" } });
      case "send":
      case "reply":
        return this.post(kind, rec, url, raw, reply);
      case "patch":
        return this.patch(rec, raw, reply);
      case "get":
        return this.getMessage(rec, reply);
      case "resource": {
        const [, , , , , id, , key] = rec.path.split("/");
        const m = this.userMessages.get(decodeURIComponent(id));
        const file = m?.files?.get(decodeURIComponent(key));
        if (rec.query.type !== "file" && rec.query.type !== "image") return reply(400, { code: 234001, msg: "invalid param type (assumed code)" });
        const big = this.bigFiles.get(`${decodeURIComponent(id)}/${decodeURIComponent(key)}`);
        if (big !== undefined) return this.stream(res, big, rec);
        if (!m || !file) return reply(400, { code: 234003, msg: "File not in msg." });
        return reply(200, null, {}, file);
      }
      case "upload":
        return this.upload(req, raw, reply);
      case "chat": {
        const chatId = decodeURIComponent(rec.path.split("/").pop()!);
        const owner = this.chatOwners.get(chatId);
        // Outside the group (or without an owner Feishu reports) there is no owner_id (chat/get 使用限制).
        const full = owner && !this.removedFrom.has(chatId);
        return reply(200, { code: 0, msg: "ok", data: { name: "测试群", chat_mode: "group", ...(full ? { owner_id: owner, owner_id_type: "open_id" } : {}) } });
      }
      default:
        return reply(404, { code: 404, msg: `no route ${rec.method} ${rec.path}` });
    }
  }

  /** Write `total` bytes in 64 KB chunks, honouring back-pressure, until done or the client goes. */
  private async stream(res: ServerResponse, total: number, rec: Recorded) {
    rec.status = 200;
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(total) });
    const chunk = Buffer.alloc(64 * 1024, 0x25);
    let sent = 0;
    while (sent < total && !res.destroyed) {
      const n = Math.min(chunk.length, total - sent);
      sent += n;
      this.streamed += n;
      if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) await new Promise((r) => (res.once("drain", r), res.once("close", r)));
    }
    res.end();
  }

  private post(kind: "send" | "reply", rec: Recorded, url: URL, raw: Buffer, reply: (s: number, p: unknown) => void) {
    const b = rec.body ?? {};
    const invalid = (msg: string) => reply(400, { code: 230001, msg: `${msg} (assumed code)` });
    if (typeof b.content !== "string" || (b.msg_type !== "text" && b.msg_type !== "interactive" && b.msg_type !== "file")) return invalid("invalid msg_type or content");
    if (b.uuid !== undefined && (typeof b.uuid !== "string" || b.uuid.length > 50)) return invalid("uuid longer than 50 characters");
    const problem = contentProblem(b.msg_type, b.content, raw.length, this.validateCards, (key) => this.uploads.has(key));
    if (problem) return reply(400, problem);

    let chatId: string | null = null;
    let parentId: string | null = null;
    if (kind === "reply") {
      parentId = decodeURIComponent(rec.path.split("/")[5]);
      const parent = this.userMessages.get(parentId) ?? this.message(parentId);
      if (!parent) return reply(400, { code: 230011, msg: "The message is not found or has been recalled. (assumed code)" });
      chatId = parent.chatId;
    } else if (url.searchParams.get("receive_id_type") === "chat_id") {
      chatId = String(b.receive_id ?? "");
    } else if (url.searchParams.get("receive_id_type") !== "open_id" || typeof b.receive_id !== "string") {
      return invalid("receive_id_type must be chat_id or open_id");
    }
    if (chatId && this.removedFrom.has(chatId)) return reply(400, { code: 230002, msg: "Bot/User can NOT be out of the chat." });

    const uuid = typeof b.uuid === "string" ? b.uuid : null;
    const prior = uuid ? this.uuids.get(uuid) : undefined;
    if (prior && this.now() - prior.at < UUID_TTL_MS) {
      this.uuidRepeats++;
      return reply(200, { code: 0, msg: "success", data: { message_id: prior.messageId } });
    }
    const target = chatId ? `chat:${chatId}` : `user:${String(b.receive_id)}`;
    if (!this.withinRate(target)) return reply(400, { code: 230020, msg: "This operation triggers the frequency limit (5 messages a second to one chat or user)." });

    const messageId = `om_sent_${this.messages.length + 1}_${randomUUID().slice(0, 8)}`;
    const content = JSON.parse(b.content);
    this.messages.push({
      messageId,
      via: kind,
      chatId,
      parentId,
      receiveId: kind === "send" ? String(b.receive_id) : null,
      receiveIdType: url.searchParams.get("receive_id_type"),
      msgType: b.msg_type,
      card: b.msg_type === "interactive" ? content : null,
      text: b.msg_type === "text" ? content.text : null,
      file: b.msg_type === "file" ? this.uploads.get(content.file_key)! : null,
      uuid,
      sentAt: this.now(),
    });
    if (uuid) this.uuids.set(uuid, { messageId, at: this.now() });
    return reply(200, { code: 0, msg: "success", data: { message_id: messageId, chat_id: chatId ?? undefined, msg_type: b.msg_type } });
  }

  /** im.file.create: multipart form with file_type, file_name and file. */
  private upload(req: IncomingMessage, raw: Buffer, reply: (s: number, p: unknown) => void) {
    const form = multipart(String(req.headers["content-type"] ?? ""), raw);
    if (!form) return reply(400, { code: 234001, msg: "Invalid request param: multipart/form-data expected (assumed code)" });
    const fileType = form.fields.get("file_type") ?? "";
    const fileName = form.fields.get("file_name") ?? "";
    const file = form.files.get("file");
    if (!FILE_TYPES.has(fileType) || !fileName || !file) return reply(400, { code: 234001, msg: "Invalid request param: file_type, file_name and file are required (assumed code)" });
    if (file.length === 0) return reply(400, { code: 234010, msg: "File's size can't be 0. (assumed code)" });
    if (file.length > FILE_LIMIT) return reply(400, { code: 234006, msg: "The file size exceed the max value. (assumed code)" });
    const key = `file_v3_${randomUUID().slice(0, 12)}`;
    this.uploads.set(key, { key, fileType, fileName, bytes: file });
    return reply(200, { code: 0, msg: "success", data: { file_key: key } });
  }

  private patch(rec: Recorded, raw: Buffer, reply: (s: number, p: unknown) => void) {
    const id = decodeURIComponent(rec.path.split("/").pop()!);
    const m = this.message(id);
    if (!m || m.msgType !== "interactive") return reply(400, { code: 230001, msg: "only cards the app sent can be patched (assumed code)" });
    if (this.now() - m.sentAt > PATCH_WINDOW_MS) return reply(400, { code: 230001, msg: "message older than 14 days (assumed code)" });
    const content = rec.body?.content;
    if (typeof content !== "string") return reply(400, { code: 230001, msg: "content required (assumed code)" });
    const problem = contentProblem("interactive", content, raw.length, this.validateCards, () => false);
    if (problem) return reply(400, problem);
    const card = JSON.parse(content) as { config?: { update_multi?: unknown } };
    // patch doc: 你需在更新前后卡片的 config 属性中，均显式声明 "update_multi":true
    if (card.config?.update_multi !== true || (m.card as { config?: { update_multi?: unknown } })?.config?.update_multi !== true) {
      return reply(400, { code: 230099, msg: "Failed to update card content: update_multi must be true on both cards" });
    }
    if (!this.withinRate(`card:${id}`)) return reply(400, { code: 230020, msg: "This operation triggers the frequency limit (5 updates a second to one card; assumed code)." });
    m.card = card as Record<string, unknown>;
    this.patches.push({ messageId: id, card: m.card });
    return reply(200, { code: 0, msg: "success", data: {} });
  }

  private getMessage(rec: Recorded, reply: (s: number, p: unknown) => void) {
    const id = decodeURIComponent(rec.path.split("/").pop()!);
    const m = this.userMessages.get(id);
    if (!m) return reply(400, { code: 230011, msg: "The message is not found or has been recalled. (assumed code)" });
    // message/get: 获取群聊消息 … 此外应用还必须开启 获取群组中所有消息（im:message.group_msg）
    if (m.chatType === "group" && !this.scopes.has("im:message.group_msg")) return reply(400, missingScope(["im:message.group_msg"]));
    return reply(200, {
      code: 0,
      msg: "success",
      data: { items: [{ message_id: m.messageId, msg_type: m.msgType, chat_id: m.chatId, body: { content: m.content }, sender: { id: "ou_user", id_type: "open_id", sender_type: "user" } }] },
    });
  }
}

function missingScope(scopes: string[]) {
  return {
    code: 99991672,
    msg: `Access denied. One of the following scopes is required: [${scopes.join(", ")}].应用尚未开通所需的应用身份权限：[${scopes.join(", ")}]`,
    error: {
      permission_violations: scopes.map((subject) => ({ type: "action_scope_required", subject })),
      helps: [{ url: `https://open.feishu.cn/app/cli_x/auth?q=${scopes.join(",")}`, description: "Learn more about scopes and how to add them" }],
    },
  };
}

/** What Feishu says about a message body, or null if it is accepted. */
function contentProblem(msgType: unknown, content: string, bodyBytes: number, validateCards: boolean, uploaded: (key: string) => boolean): { code: number; msg: string } | null {
  const limit = msgType === "text" ? TEXT_LIMIT : CARD_LIMIT;
  if (bodyBytes > limit) return { code: 230025, msg: `The length of the message content reaches its limit (${bodyBytes} > ${limit} bytes).` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    return { code: 230001, msg: "content is not JSON (assumed code)" };
  }
  if (msgType === "text") return typeof (parsed as { text?: unknown })?.text === "string" ? null : { code: 230001, msg: "text content needs {text} (assumed code)" };
  if (msgType === "file") {
    const key = (parsed as { file_key?: unknown })?.file_key;
    return typeof key === "string" && uploaded(key) ? null : { code: 230001, msg: "file content needs the file_key of an uploaded file (assumed code)" };
  }
  const problems = validateCards ? cardProblems(parsed) : [];
  return problems.length ? { code: 230099, msg: `Failed to create card content, ext=ErrCode: 200621; ErrMsg: ${problems.slice(0, 3).join("; ")}` } : null;
}

function kindOf(r: { method: string; path: string }): Kind {
  if (r.path.endsWith("/tenant_access_token/internal")) return "token";
  if (r.path === "/callback/ws/endpoint") return "ws-endpoint";
  if (r.path === "/open-apis/bot/v3/info") return "bot";
  if (/^\/open-apis\/im\/v1\/messages\/[^/]+\/reply$/.test(r.path)) return "reply";
  if (r.path === "/open-apis/im/v1/messages" && r.method === "POST") return "send";
  if (/^\/open-apis\/im\/v1\/messages\/[^/]+\/resources\/[^/]+$/.test(r.path)) return "resource";
  if (/^\/open-apis\/im\/v1\/messages\/[^/]+$/.test(r.path)) return r.method === "PATCH" ? "patch" : r.method === "GET" ? "get" : "other";
  if (/^\/open-apis\/im\/v1\/chats\/[^/]+$/.test(r.path)) return "chat";
  if (r.path === "/open-apis/im/v1/files" && r.method === "POST") return "upload";
  return "other";
}

async function readRaw(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** A multipart/form-data body: its text fields and its file parts (enough for im.file.create). */
function multipart(contentType: string, raw: Buffer): { fields: Map<string, string>; files: Map<string, Buffer> } | null {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!/^multipart\/form-data/i.test(contentType) || !boundary) return null;
  const sep = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const fields = new Map<string, string>();
  const files = new Map<string, Buffer>();
  let at = raw.indexOf(sep);
  while (at >= 0) {
    const next = raw.indexOf(sep, at + sep.length);
    if (next < 0) break;
    const part = raw.subarray(at + sep.length + 2, next - 2);
    const split = part.indexOf("\r\n\r\n");
    if (split >= 0) {
      const head = part.subarray(0, split).toString("utf8");
      const data = part.subarray(split + 4);
      const name = /name="([^"]*)"/.exec(head)?.[1];
      if (name && /filename=/.test(head)) files.set(name, Buffer.from(data));
      else if (name) fields.set(name, data.toString("utf8"));
    }
    at = next;
  }
  return { fields, files };
}
