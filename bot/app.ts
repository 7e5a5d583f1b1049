/**
 * The Hono app Feishu talks to: POST /feishu/events, POST /feishu/card, GET /healthz.
 * Transport only here — decrypt, verify, dedupe, ack — then the work goes to a queue that
 * turns messages into commands and answers into cards.
 */
import { Hono } from "hono";
import type { ZodType } from "zod";
import { type ChatContext, type CommandContext, findCommand, invoke, invokeText, menuItems, route, slashCommand, stripMentions } from "../commands/index.ts";
import type { ReportStore } from "../index/store.ts";
import { errorCard, renderCard } from "./cards.ts";
import type { SeenStore } from "./dedupe.ts";
import type { FeishuApi } from "./feishu/api.ts";
import { decryptEvent, signatureOk, tokenOk } from "./feishu/crypto.ts";
import { cardAction, type Envelope, envelope, menuEvent, type MessageEvent, messageEvent, messageText } from "./feishu/events.ts";
import type { ChatQueue } from "./queue.ts";

export const MAX_BODY_BYTES = 1024 * 1024;

export interface BotDeps {
  verificationToken: string;
  encryptKey?: string;
  admins: string[];
  /** The store may be replaced while running (new reports); read it through this. */
  store: () => ReportStore;
  api: FeishuApi;
  botOpenId: string;
  now: () => Date;
  seen: SeenStore;
  queue: ChatQueue;
  log: (line: string) => void;
  /** File messages (reports uploaded for checking); without it the bot says it takes text only. */
  onFile?: (ev: MessageEvent, reply: (card: object) => Promise<void>) => Promise<void>;
  /** Subscriptions, local deadlines and the calendar, for the reminder commands. */
  reminders?: CommandContext["reminders"];
  /** Card buttons other than commands (e.g. 加入资料库); returns the new card and a toast. */
  onCardAction?: (value: Record<string, unknown>, operatorOpenId: string) => Promise<{ toast: string; card: object } | null>;
}

type Verified = { ok: true; body: Record<string, unknown> } | { ok: false; status: 400 | 401 | 413; message: string };

/** Read, size-check, decrypt and authenticate one Feishu POST. */
async function verify(req: Request, deps: BotDeps): Promise<Verified | { challenge: string }> {
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
  if (deps.encryptKey) {
    if (!encrypted) return { ok: false, status: 401, message: "已配置 Encrypt Key，但请求未加密" };
    try {
      body = JSON.parse(decryptEvent(deps.encryptKey, body.encrypt as string));
    } catch {
      return { ok: false, status: 400, message: "无法解密请求" };
    }
    // The URL check carries no signature; every other request must be signed over its raw bytes.
    if (body.type !== "url_verification") {
      const h = req.headers;
      const signed = signatureOk(
        { timestamp: h.get("x-lark-request-timestamp") ?? undefined, nonce: h.get("x-lark-request-nonce") ?? undefined, signature: h.get("x-lark-signature") ?? undefined },
        deps.encryptKey,
        raw,
      );
      if (!signed) return { ok: false, status: 401, message: "签名校验失败" };
    }
  } else if (encrypted) {
    return { ok: false, status: 400, message: "收到加密请求，但未配置 FEISHU_ENCRYPT_KEY" };
  }
  if (body.type === "url_verification") {
    if (!tokenOk(deps.verificationToken, body.token)) return { ok: false, status: 401, message: "Verification Token 不匹配" };
    return { challenge: String(body.challenge ?? "") };
  }
  const token = (body.header as { token?: unknown } | undefined)?.token ?? body.token;
  if (!tokenOk(deps.verificationToken, token)) return { ok: false, status: 401, message: "Verification Token 不匹配" };
  return { ok: true, body };
}

function parse<T>(schema: ZodType<T>, data: unknown): T | null {
  const r = schema.safeParse(data);
  return r.success ? r.data : null;
}

export function createApp(deps: BotDeps) {
  const app = new Hono();
  const { api, log } = deps;

  const mentionsBot = (m: MessageEvent["message"]) => (m.mentions ?? []).some((x) => x.id.open_id === deps.botOpenId);

  async function onMessage(env: Envelope) {
    const ev = parse(messageEvent, env.event);
    if (!ev) return log(`事件 ${env.header.event_id}：消息格式不对，已忽略`);
    const m = ev.message;
    // In groups the bot answers only when it is @-mentioned itself; in private chats, always.
    if (m.chat_type !== "p2p" && !mentionsBot(m)) return;
    const reply = async (card: object) => {
      await api.reply(m.message_id, card, `r-${m.message_id}`.slice(0, 50));
    };
    if (m.message_type === "file") {
      if (deps.onFile) return deps.onFile(ev, reply);
      return reply(errorCard("目前只能回答文字问题", ["直接输入问题，例如：李楼镇 2020 依申请数", "输入 /帮助 查看全部命令"]));
    }
    const text = messageText(m);
    if (text === null) return reply(errorCard("这类消息还看不懂", ["请发送文字问题，例如：李楼镇 2020 依申请数"]));
    const question = stripMentions(text);
    const chat = await chatContext(ev, question);
    const answer = route(question, { store: deps.store(), now: deps.now(), chat, reminders: deps.reminders });
    await reply(renderCard(answer, { query: question }));
  }

  /** Who is asking; the group owner is looked up only for commands that need it. */
  async function chatContext(ev: MessageEvent, question: string): Promise<ChatContext> {
    const openId = ev.sender.sender_id.open_id ?? "";
    const isAdmin = deps.admins.includes(openId);
    let isOwner = false;
    const name = slashCommand(question)?.name;
    if (!isAdmin && name && findCommand(name)?.permission === "owner") {
      isOwner = ev.message.chat_type === "p2p" || (await api.chatOwner(ev.message.chat_id).catch(() => null)) === openId;
    }
    return { chatId: ev.message.chat_id, chatType: ev.message.chat_type === "p2p" ? "p2p" : "group", openId, isAdmin, isOwner };
  }

  async function onMenu(env: Envelope) {
    const ev = parse(menuEvent, env.event);
    const openId = ev?.operator.operator_id.open_id;
    if (!ev || !openId) return log(`事件 ${env.header.event_id}：菜单事件格式不对，已忽略`);
    const item = menuItems().find((x) => x.key === ev.event_key);
    const card = item
      ? renderCard(
          invokeText(findCommand(item.command)!, "", {
            store: deps.store(),
            now: deps.now(),
            chat: { chatType: "menu", openId, isAdmin: deps.admins.includes(openId), isOwner: false },
            reminders: deps.reminders,
          }),
          { query: `/${item.command}` },
        )
      : errorCard(`菜单项「${ev.event_key}」没有对应的命令`, menuItems().map((x) => `${x.key} → /${x.command}`));
    await api.send({ open_id: openId }, card, `m-${env.header.event_id}`.slice(0, 50));
  }

  const handlers: Record<string, { key: (env: Envelope) => string; chat: (env: Envelope) => string; run: (env: Envelope) => Promise<void> }> = {
    // Feishu may re-send a message under a new event_id: dedupe messages by message_id.
    "im.message.receive_v1": {
      key: (env) => `msg:${(env.event as { message?: { message_id?: string } }).message?.message_id ?? env.header.event_id}`,
      chat: (env) => (env.event as { message?: { chat_id?: string } }).message?.chat_id ?? "?",
      run: onMessage,
    },
    "application.bot.menu_v6": {
      key: (env) => `evt:${env.header.event_id}`,
      chat: (env) => `menu:${(env.event as { operator?: { operator_id?: { open_id?: string } } }).operator?.operator_id?.open_id ?? "?"}`,
      run: onMenu,
    },
  };

  /** A Feishu POST route: the URL check is answered, anything unauthenticated refused, the rest handled. */
  const feishuRoute = (path: string, handle: (body: Record<string, unknown>) => Promise<Response> | Response) =>
    app.post(path, async (c) => {
      const v = await verify(c.req.raw, deps);
      if ("challenge" in v) return c.json({ challenge: v.challenge });
      if (!v.ok) {
        log(`拒绝 ${path}：${v.message}`);
        return c.json({ error: v.message }, v.status);
      }
      return handle(v.body);
    });

  const json = (data: unknown, status = 200) => new Response(JSON.stringify(data), { status, headers: { "content-type": "application/json; charset=utf-8" } });

  feishuRoute("/feishu/events", (body) => {
    const env = parse(envelope, body);
    if (!env) return json({ error: "不是 2.0 版事件" }, 400);
    const h = handlers[env.header.event_type];
    if (!h) return json({});
    // Ack at once (Feishu re-sends anything not acked within 3 s); the work happens after.
    if (deps.seen.firstTime(h.key(env))) {
      deps.queue.push(h.chat(env), () => h.run(env));
    }
    return json({});
  });

  feishuRoute("/feishu/card", async (body) => {
    const ev = parse(cardAction, (body as { event?: unknown }).event);
    if (!ev) return json({ error: "不是卡片回调" }, 400);
    const value = ev.action.value;
    const store = deps.store();
    const now = deps.now();
    let card: object;
    let toast = "已更新";
    if (value.cmd === "page" && typeof value.q === "string") {
      const page = Number(value.page) || 0;
      card = renderCard(route(value.q, { store, now }), { query: value.q, page });
      toast = `第 ${page + 1} 页`;
    } else if (typeof value.cmd === "string" && typeof value.args === "object" && value.args !== null && !Array.isArray(value.args)) {
      // Buttons carry a command and its structured arguments, checked by the command's schema.
      card = renderCard(invoke({ command: value.cmd, args: value.args as Record<string, unknown> }, { store, now }), { query: `/${value.cmd}` });
    } else if (deps.onCardAction) {
      const r = await deps.onCardAction(value, ev.operator.open_id ?? "");
      if (!r) return json({ toast: { type: "error", content: "这个按钮已失效" } });
      ({ card, toast } = r);
    } else {
      return json({ toast: { type: "error", content: "这个按钮已失效" } });
    }
    return json({ toast: { type: "info", content: toast }, card: { type: "raw", data: card } });
  });

  app.get("/healthz", (c) => {
    const s = deps.store();
    return c.json({ ok: true, reports: s.reports.length, organs: s.organs.length });
  });

  app.onError((err, c) => {
    log(`处理请求出错：${err.message}`);
    return c.json({ error: "服务器内部错误" }, 500);
  });

  return app;
}
