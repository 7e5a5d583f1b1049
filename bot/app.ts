/**
 * The listeners: what the bot does with a verified Feishu event or callback, whichever transport
 * brought it (bot/transport/http.ts for the webhook, bot/transport/ws.ts for the long
 * connection). `receive` answers as soon as the event's work is journaled (a flush to disk,
 * milliseconds) — Feishu waits 3 s for an event's ack and for a card callback's response
 * (feishu-cards/handle-card-callbacks), and re-sends what is not acked — and the work runs
 * later as a durable job (bot/work.ts), which these listeners also know how to run. The
 * stale-message window, the per-button claim and "never silent" replies live here, so both
 * transports get them.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { z } from "zod";
import { type ChatContext, type CommandContext, findCommand, invoke, invokeText, type Invocation, menuItems, route, slashCommand, stripMentions } from "../commands/index.ts";
import type { Attachment } from "../commands/answer.ts";
import { MAX_QUESTION_CHARS } from "../commands/understand.ts";
import type { ReportStore } from "../index/store.ts";
import { attachmentFiles } from "./attachments.ts";
import { type CardButton, type El, errorCard, progressCard, renderCard, welcomeCard } from "./cards.ts";
import { FeishuApiError, type FeishuApi, FILE_TOO_LARGE, isTransient, type Outgoing, type Receiver } from "./feishu/api.ts";
import { botMembership, type CardAction, cardAction, type Envelope, fileOf, menuEvent, type MessageEvent, messageEvent, messageText } from "./feishu/events.ts";
import { errText, type Logger } from "./log.ts";
import type { ReminderSettings } from "./reminders.ts";
import type { ClaimStore, Job } from "./state/state.ts";
import { type IngestResult, PENDING_DAYS, unsupportedType, type Uploads } from "./uploads.ts";
import type { JobHandlers } from "./work.ts";

/**
 * Message events older than this are dropped: Feishu re-sends an unacked event after 15 s,
 * 5 min, 1 h and 6 h, and a burst of queued messages arrives after a long-connection outage;
 * an answer hours late is wrong. The SDK's own LarkChannel uses the same 30 minutes.
 */
export const STALE_MESSAGE_MS = 30 * 60 * 1000;

export interface BotDeps {
  admins: string[];
  /** The store may be replaced while running (new reports); read it through this. */
  store: () => ReportStore;
  api: FeishuApi;
  botOpenId: string;
  now: () => Date;
  /** Journal a job and queue it (Work.accept): resolves once durable; false for a repeat. */
  accept: (job: Job) => Promise<boolean>;
  /** Card buttons being worked on: a second click on the same button waits for the first. */
  cards: ClaimStore;
  log: Logger;
  /** Report files sent for checking; without it the bot says it takes text only. */
  uploads?: Uploads;
  /** Subscriptions, local deadlines and the calendar, for the reminder commands. */
  reminders?: CommandContext["reminders"] & { settings?: ReminderSettings };
  staleMessageMs?: number;
}

/** The response body for the transport: {} for an event, {toast} for a card callback. */
export type Ack = Record<string, unknown>;

export interface Listeners {
  /**
   * One authenticated 2.0 envelope; resolves once its work is journaled and queued (then the
   * transport acks). Rejects when the work could not be journaled: the transport must not ack.
   */
  receive(env: Envelope): Promise<Ack>;
  /** How the durable work runs each kind of job. */
  handlers: JobHandlers;
}

/** A card button is held this long at most (a crash releases it in memory anyway). */
const CARD_CLAIM_MS = 10 * 60_000;

type Target = { replyTo: string } | { to: Receiver };

const toast = (type: "info" | "success" | "error" | "warning", content: string): Ack => ({ toast: { type, content } });
const uuidOf = (prefix: string, id: string) => `${prefix}-${id}`.slice(0, 50);
/** "检查" written as a reply to a file message asks the bot to check that file. */
const CHECK_REQUEST = /^[/／]?(检查|校验|核对|检查一下|帮我检查|check)[。.!！]?$/i;

export function createListeners(deps: BotDeps): Listeners {
  const { api } = deps;
  const staleMs = deps.staleMessageMs ?? STALE_MESSAGE_MS;
  /** The logger of the job being run, with its event's ids on every line (jobs run concurrently). */
  const jobLog = new AsyncLocalStorage<Logger>();
  const log = () => jobLog.getStore() ?? deps.log;
  const send = (target: Target, msg: Outgoing, uuid: string) => ("replyTo" in target ? api.reply(target.replyTo, msg, uuid) : api.send(target.to, msg, uuid));

  // ------------------------------------------------------------------ sending, never silent

  /**
   * Send a card. A passing failure (5xx, 429, timeout) is thrown: the job is run again later
   * with the same uuid. A refusal (bad card, too big, no scope) is said in a short text and
   * logged with its code.
   */
  async function deliver(target: Target, card: El, uuid: string): Promise<string | null> {
    try {
      return await send(target, { card }, uuid);
    } catch (e) {
      if (isTransient(e)) throw e;
      const err = asApiError(e, "send");
      log().warn({ code: err.code, status: err.status }, `发送卡片失败（${err.code ?? err.status ?? "无响应"}）：${err.message}`);
      return say(target, `抱歉，这次的回答没能发出：${err.userMessage}。请稍后再试。`, uuidOf("t", uuid));
    }
  }

  /** A short text; a refusal is logged (nothing else can be said), a passing failure thrown. */
  async function say(target: Target, text: string, uuid: string): Promise<string | null> {
    try {
      return await send(target, { text }, uuid);
    } catch (e) {
      if (isTransient(e)) throw e;
      const err = asApiError(e, "send");
      log().error({ code: err.code, status: err.status }, `连说明文字也没能发出（${err.code ?? err.status ?? "无响应"}）：${err.message}`);
      return null;
    }
  }

  /**
   * An answer's file (the /导出 workbook): built, uploaded (im.file.create, needs im:resource)
   * and sent as file messages; a failure is said in a short text, never silent.
   */
  async function sendAttachment(target: Target, attachment: Attachment, uuid: string) {
    let files;
    try {
      files = await attachmentFiles(deps.store(), attachment);
    } catch (e) {
      log().error(`生成汇总表失败：${errText(e)}`);
      return void (await say(target, "抱歉，汇总表没能生成，请稍后再试或联系管理员查看日志。", uuidOf("t", uuid)));
    }
    for (const [i, f] of files.entries()) {
      try {
        const key = await api.uploadFile(f.fileName, f.bytes, "xls");
        await send(target, { file: key }, uuidOf(`x${i}`, uuid));
      } catch (e) {
        if (isTransient(e)) throw e;
        const err = asApiError(e, "im.file.create");
        log().warn({ code: err.code, status: err.status }, `发送汇总表 ${f.fileName} 失败（${err.code ?? err.status ?? "无响应"}）：${err.message}`);
        return void (await say(target, `抱歉，汇总表「${f.fileName}」没能发出：${err.userMessage}。也可以在服务器上运行 npm run export 生成。`, uuidOf("t", uuid)));
      }
    }
  }

  /** Update a card in place (paging, 正在检查…, 加入资料库); if Feishu refuses, answer with a new card. */
  async function update(messageId: string, card: El, fallback: Target, uuid: string) {
    try {
      await api.patch(messageId, card);
    } catch (e) {
      if (isTransient(e)) throw e;
      const err = asApiError(e, "patch");
      log().warn({ code: err.code, status: err.status }, `更新卡片 ${messageId} 失败（${err.code ?? err.status ?? "无响应"}），改为发送新卡片：${err.message}`);
      await deliver(fallback, card, uuid);
    }
  }

  // ------------------------------------------------------------------ messages

  const mentionsBot = (m: MessageEvent["message"]) => (m.mentions ?? []).some((x) => x.id.open_id === deps.botOpenId);

  async function onMessage(ev: MessageEvent) {
    const m = ev.message;
    // In groups the bot answers only when it is @-mentioned itself; in private chats, always.
    if (m.chat_type !== "p2p" && !mentionsBot(m)) return;
    const here: Target = { replyTo: m.message_id };
    const reply = (card: El) => deliver(here, card, uuidOf("r", m.message_id));
    const sender = ev.sender.sender_id.open_id ?? "";
    if (m.message_type === "file") return checkFile({ fileMessageId: m.message_id, content: m.content, sender, replyTo: m.message_id });
    const text = messageText(m);
    if (text === null) return void (await reply(errorCard("这类消息还看不懂", ["请发送文字问题，例如：李楼镇 2020 依申请数", "要检查年报文件，请发送文件"])));
    const question = stripMentions(text);
    // Read before understanding: a 200,000-character message must not block the bot.
    if (question.length > MAX_QUESTION_CHARS) {
      return void (await reply(errorCard(`问题太长（${question.length} 字），没有读`, [`请把问题控制在 ${MAX_QUESTION_CHARS} 字以内，例如：李楼镇 2020 依申请数`, "要检查年报全文，请发送文件"])));
    }
    if (m.parent_id && CHECK_REQUEST.test(question)) return checkRepliedFile(m.parent_id, sender, m.message_id);
    const chat = await chatContext({ chatId: m.chat_id, chatType: m.chat_type, openId: sender }, question);
    if (chat instanceof FeishuApiError) return void (await reply(errorCard(`无法确认你是否为群主：${chat.userMessage}`, ["群主或管理员才能使用这个命令"])));
    const answer = await withSettings(() => route(question, { store: deps.store(), now: deps.now(), chat, reminders: deps.reminders }));
    await reply(renderCard(answer, { query: question }));
    if (answer.attachment) await sendAttachment(here, answer.attachment, uuidOf("f", m.message_id));
  }

  /**
   * Who is asking; the group owner is looked up only for commands that need it. A lookup Feishu
   * refuses (e.g. the app lacks im:chat:readonly) comes back as the error, to be shown.
   */
  async function chatContext(who: { chatId: string; chatType: string; openId: string }, question: string): Promise<ChatContext | FeishuApiError> {
    const isAdmin = deps.admins.includes(who.openId);
    let isOwner = false;
    const name = slashCommand(question)?.name;
    if (!isAdmin && name && findCommand(name)?.permission === "owner") {
      if (who.chatType === "p2p") isOwner = true;
      else {
        try {
          isOwner = (await api.chatOwner(who.chatId)) === who.openId;
        } catch (e) {
          if (isTransient(e)) throw e;
          return asApiError(e, "im.chat.get");
        }
      }
    }
    return { chatId: who.chatId, chatType: who.chatType === "p2p" ? "p2p" : "group", openId: who.openId, isAdmin, isOwner };
  }

  /**
   * A file in a group cannot carry an @-mention, so the bot (with the @-message scope only)
   * never receives it; the user replies to it with "@机器人 检查" and the bot reads the parent
   * message to find the file. Reading a group message needs im:message.group_msg
   * (im-v1/message/get); without it Feishu's 99991672 names the scope and the user is told.
   */
  async function checkRepliedFile(parentId: string, sender: string, replyTo: string) {
    let parent;
    try {
      parent = await api.getMessage(parentId);
    } catch (e) {
      if (isTransient(e)) throw e;
      const err = asApiError(e, "im.message.get");
      return void (await deliver({ replyTo }, errorCard(`无法读取你回复的那条消息：${err.userMessage}`, ["也可以单聊把年报文件发给机器人"]), uuidOf("r", replyTo)));
    }
    if (parent.msgType !== "file") {
      return void (await deliver({ replyTo }, errorCard("你回复的不是文件消息", ["请回复一条年报文件消息，并 @机器人 写「检查」"]), uuidOf("r", replyTo)));
    }
    await checkFile({ fileMessageId: parent.messageId, content: parent.content, sender, replyTo });
  }

  /** Download, parse once, answer with the check card (shown first as 正在检查…, then updated). */
  async function checkFile(f: { fileMessageId: string; content: string; sender: string; replyTo: string }) {
    const target: Target = { replyTo: f.replyTo };
    const uuid = uuidOf("c", f.replyTo);
    if (!deps.uploads) return void (await deliver(target, errorCard("目前只能回答文字问题", ["直接输入问题，例如：李楼镇 2020 依申请数", "输入 /帮助 查看全部命令"]), uuid));
    const file = fileOf(f.content);
    if (!file) return void (await deliver(target, errorCard("无法识别这个文件消息", ["请重新发送年报文件"]), uuid));
    const bad = unsupportedType(file.file_name);
    if (bad) return void (await deliver(target, errorCard(bad.title, bad.hints), uuid));
    const progressId = await deliver(target, progressCard(file.file_name), uuidOf("p", f.replyTo));
    const finish = (card: El) => (progressId ? update(progressId, card, target, uuid) : deliver(target, card, uuid));
    let bytes: Buffer;
    try {
      bytes = await api.download(f.fileMessageId, file.file_key);
    } catch (e) {
      if (isTransient(e)) throw e;
      const err = asApiError(e, "im.messageResource.get");
      log().warn({ code: err.code, status: err.status }, `下载文件失败：${err.message}`);
      return void (await finish(errorCard(`文件下载失败：${err.userMessage}`, err.code === FILE_TOO_LARGE ? ["请压缩图片或只保留年报正文后再发送"] : ["请稍后重新发送"])));
    }
    const r = await deps.uploads.check({ uploadId: f.fileMessageId, fileName: file.file_name, bytes });
    if (!r.ok) return void (await finish(errorCard(r.title, r.hints)));
    const buttons: CardButton[] = r.uploadId && deps.uploads.isAdmin(f.sender) ? [{ label: "加入资料库", value: { cmd: "ingest", upload: r.uploadId }, type: "primary" }] : [];
    await finish(renderCard(r.answer, { buttons, template: r.passed ? "green" : "red" }));
  }

  // ------------------------------------------------------------------ menu, membership

  async function onMenu(eventKey: string, openId: string, eventId: string) {
    const item = menuItems().find((x) => x.key === eventKey);
    const card = item
      ? renderCard(
          invokeText(findCommand(item.command)!, "", {
            store: deps.store(),
            now: deps.now(),
            // A menu event has no chat: commands that change a chat's settings explain instead.
            chat: { chatType: "menu", openId, isAdmin: deps.admins.includes(openId), isOwner: false },
            reminders: deps.reminders,
          }),
          { query: `/${item.command}` },
        )
      : errorCard(`菜单项「${eventKey}」没有对应的命令`, menuItems().map((x) => `${x.key} → /${x.command}`));
    await deliver({ to: { open_id: openId } }, card, uuidOf("m", eventId));
  }

  // ------------------------------------------------------------------ card callbacks

  /** What a button does: the toast shown at once, and the work done after. */
  function cardJob(ev: CardAction, eventId: string): { toast: Ack; run?: () => Promise<void> } {
    const value = ev.action.value;
    const messageId = ev.context?.open_message_id;
    const chatId = ev.context?.open_chat_id ?? "";
    const operator = ev.operator.open_id ?? "";
    if (!messageId) return { toast: toast("error", "这个按钮已失效") };
    const here: Target = { replyTo: messageId };
    const uuid = uuidOf("a", eventId);

    // Paging replaces the shared card everyone in the chat sees, in place.
    if (value.cmd === "page" && (typeof value.q === "string" || isInvocation(value.inv))) {
      const page = Math.max(0, Number(value.page) || 0);
      const ctx = () => ({ store: deps.store(), now: deps.now(), reminders: deps.reminders });
      const again = isInvocation(value.inv)
        ? { answer: () => invoke(value.inv as Invocation, ctx()), card: { invocation: value.inv as Invocation } }
        : { answer: () => route(value.q as string, ctx()), card: { query: value.q as string } };
      return {
        toast: toast("info", `正在翻到第 ${page + 1} 页`),
        run: async () => update(messageId, renderCard(again.answer(), { ...again.card, page }), here, uuid),
      };
    }
    if (value.cmd === "ingest" && typeof value.upload === "string") {
      const uploads = deps.uploads;
      if (!uploads) return { toast: toast("error", "这个按钮已失效") };
      // Refused before any work: only admins add reports to the library.
      if (!uploads.isAdmin(operator)) return { toast: toast("error", "只有管理员（BOT_ADMINS）可以加入资料库") };
      const upload = value.upload;
      return {
        toast: toast("info", "正在加入资料库…"),
        run: async () => update(messageId, ingestCard(upload, await uploads.ingest(upload, operator, value.confirm === true)), here, uuid),
      };
    }
    // Other buttons run a command with the structured arguments they carry (or the words of a
    // menu button): the answer is a new card, the shared one stays.
    const cmd = typeof value.cmd === "string" ? findCommand(value.cmd) : undefined;
    if (cmd && (isArgs(value.args) || typeof value.text === "string")) {
      return {
        toast: toast("info", "正在查询…"),
        run: async () => {
          const chat = await chatContext({ chatId, chatType: chatId ? "group" : "p2p", openId: operator }, `/${cmd.name}`);
          if (chat instanceof FeishuApiError) return void (await deliver(here, errorCard(`无法确认你是否为群主：${chat.userMessage}`, []), uuid));
          const ctx = { store: deps.store(), now: deps.now(), chat, reminders: deps.reminders };
          const inv: Invocation = { command: cmd.name, args: isArgs(value.args) ? value.args : {} };
          const answer = await withSettings(() => (isArgs(value.args) ? invoke(inv, ctx) : invokeText(cmd, value.text as string, ctx)));
          await deliver(here, renderCard(answer, isArgs(value.args) ? { invocation: inv } : { query: `/${cmd.name} ${value.text}`.trim() }), uuid);
        },
      };
    }
    return { toast: toast("error", "这个按钮已失效") };
  }

  function ingestCard(uploadId: string, r: IngestResult): El {
    const template = (a: { passed: boolean }) => (a.passed ? "green" : "red");
    switch (r.status) {
      case "not_admin":
        return errorCard("只有管理员可以加入资料库", []);
      case "expired":
        return errorCard("找不到这次上传的文件", [`文件超过 ${PENDING_DAYS} 天或已加入资料库；如需加入，请重新发送年报文件`]);
      case "failed":
        return errorCard(`加入资料库失败：${r.reason}`, ["请联系管理员查看日志"]);
      case "confirm":
        return renderCard(r.answer, {
          template: template(r),
          note: { text: `资料库里已有 ${r.existing}。确认后用这份替换，旧文件会保留。`, color: "orange" },
          buttons: [{ label: "确认替换", value: { cmd: "ingest", upload: uploadId, confirm: true }, type: "danger" }],
        });
      case "added":
        return renderCard(r.answer, { template: template(r), note: { text: `已加入资料库${r.replaced ? "（已替换旧年报，旧文件已保留）" : ""}`, color: "green" } });
    }
  }

  /**
   * A command that may change reminder settings runs on a fresh copy of them, and its changes
   * are written before the answer is sent.
   */
  async function withSettings<T>(run: () => T): Promise<T> {
    const settings = deps.reminders?.settings;
    await settings?.refresh();
    const out = run();
    await settings?.settled();
    return out;
  }

  // ------------------------------------------------------------------ jobs

  /** The payload each kind of job keeps in the journal, checked again when it is resumed. */
  const payloads = {
    message: messageEvent,
    menu: z.object({ eventKey: z.string(), openId: z.string(), eventId: z.string() }),
    welcome: z.object({ chatId: z.string(), eventId: z.string() }),
    left: z.object({ chatId: z.string(), name: z.string().optional() }),
    card: z.object({ ev: cardAction, eventId: z.string(), claim: z.string() }),
  };
  type Kind = keyof typeof payloads;
  type Payload<K extends Kind> = z.infer<(typeof payloads)[K]>;

  const runners: { [K in Kind]: (p: Payload<K>) => Promise<void> } = {
    message: (ev) => onMessage(ev),
    menu: (p) => onMenu(p.eventKey, p.openId, p.eventId),
    welcome: async (p) => void (await deliver({ to: { chat_id: p.chatId } }, welcomeCard(), uuidOf("w", p.eventId))),
    left: async (p) => {
      // Nothing can be sent to a chat the bot has left; its reminders would only fail.
      const settings = deps.reminders?.settings;
      const n = settings ? await withSettings(() => settings.unsubscribe(p.chatId)) : 0;
      log().info({ chat_id: p.chatId }, `机器人已被移出群 ${p.chatId}${p.name ? `（${p.name}）` : ""}，取消该群 ${n} 项提醒订阅`);
    },
    card: async (p) => {
      try {
        await cardJob(p.ev, p.eventId).run?.();
      } finally {
        await deps.cards.release(p.claim);
      }
    },
  };

  /** Where the chat is told that a job was given up. */
  function giveUpTarget(kind: Kind, p: unknown): { target: Target; uuid: string } | null {
    if (kind === "message") {
      // A new message in the chat, not a reply: replying is what kept failing.
      const m = (p as Payload<"message">).message;
      return { target: { to: { chat_id: m.chat_id } }, uuid: uuidOf("g", m.message_id) };
    }
    if (kind === "menu") return { target: { to: { open_id: (p as Payload<"menu">).openId } }, uuid: uuidOf("g", (p as Payload<"menu">).eventId) };
    if (kind === "card") {
      const { ev, eventId } = p as Payload<"card">;
      return ev.context?.open_message_id ? { target: { replyTo: ev.context.open_message_id }, uuid: uuidOf("g", eventId) } : null;
    }
    if (kind === "welcome") return null;
    return null;
  }

  function parsePayload(job: Job): { kind: Kind; payload: unknown } {
    if (!Object.hasOwn(payloads, job.kind)) throw new Error(`未知的任务类型 ${job.kind}`);
    const kind = job.kind as Kind;
    return { kind, payload: payloads[kind].parse(job.payload) };
  }

  const handlers: JobHandlers = {
    run(job, logger) {
      const { kind, payload } = parsePayload(job);
      return jobLog.run(logger, () => (runners[kind] as (p: unknown) => Promise<void>)(payload));
    },
    async gaveUp(job, logger, why) {
      const { kind, payload } = parsePayload(job);
      if (kind === "card") await deps.cards.release((payload as Payload<"card">).claim);
      const to = giveUpTarget(kind, payload);
      if (!to) return;
      await jobLog.run(logger, async () => {
        await send(to.target, { text: `抱歉，这条消息没能回答（${why}），请稍后重新发送。` }, to.uuid);
        logger.info("已告诉用户这条消息放弃处理");
      });
    },
    transient: isTransient,
  };

  // ------------------------------------------------------------------ the table of listeners

  const parseOr = <T>(schema: { safeParse: (x: unknown) => { success: true; data: T } | { success: false } }, env: Envelope, what: string): T | null => {
    const r = schema.safeParse(env.event);
    if (!r.success) deps.log.warn({ event_id: env.header.event_id, event_type: env.header.event_type }, `事件 ${env.header.event_id}：${what}格式不对，已忽略`);
    return r.success ? r.data : null;
  };
  const accept = <K extends Kind>(key: string, kind: K, chat: string, payload: Payload<K>) => deps.accept({ key, kind, chat, payload, acceptedAt: deps.now().getTime() });

  // A Map, not an object: an event_type of "constructor" or "__proto__" finds nothing.
  const listeners = new Map<string, (env: Envelope) => Promise<Ack>>([
    [
      "im.message.receive_v1",
      async (env) => {
        const ev = parseOr(messageEvent, env, "消息");
        if (!ev) return {};
        const created = Number(ev.message.create_time ?? env.header.create_time);
        const age = deps.now().getTime() - created;
        if (Number.isFinite(created) && age > staleMs) {
          deps.log.info({ msg_id: ev.message.message_id }, `丢弃 ${Math.round(age / 60000)} 分钟前的消息 ${ev.message.message_id}（重新投递或断线期间积压）`);
          return {};
        }
        // Feishu may re-send a message under a new event_id: dedupe messages by message_id
        // (im-v1/message/events/receive: 使用 message_id 去重).
        await accept(`msg:${ev.message.message_id}`, "message", ev.message.chat_id, ev);
        return {};
      },
    ],
    [
      "application.bot.menu_v6",
      async (env) => {
        const ev = parseOr(menuEvent, env, "菜单事件");
        const openId = ev?.operator.operator_id.open_id;
        if (!ev || !openId) return {};
        // The menu event carries no chat_id; the answer goes to the operator's private chat.
        await accept(`evt:${env.header.event_id}`, "menu", `menu:${openId}`, { eventKey: ev.event_key, openId, eventId: env.header.event_id });
        return {};
      },
    ],
    [
      "im.chat.member.bot.added_v1",
      async (env) => {
        const ev = parseOr(botMembership, env, "进群事件");
        if (ev) await accept(`evt:${env.header.event_id}`, "welcome", ev.chat_id, { chatId: ev.chat_id, eventId: env.header.event_id });
        return {};
      },
    ],
    [
      "im.chat.member.bot.deleted_v1",
      async (env) => {
        const ev = parseOr(botMembership, env, "出群事件");
        if (ev) await accept(`evt:${env.header.event_id}`, "left", ev.chat_id, { chatId: ev.chat_id, name: ev.name });
        return {};
      },
    ],
    [
      "card.action.trigger",
      async (env) => {
        const ev = parseOr(cardAction, env, "卡片回调");
        if (!ev) return toast("error", "这个按钮已失效");
        const job = cardJob(ev, env.header.event_id);
        if (!job.run) return job.toast;
        const claim = `card:${ev.context?.open_message_id ?? ""}:${JSON.stringify(ev.action.value)}`;
        if (!(await deps.cards.claim(claim, CARD_CLAIM_MS))) return toast("info", "正在处理，请稍候");
        let fresh = false;
        try {
          fresh = await accept(`evt:${env.header.event_id}`, "card", ev.context?.open_chat_id ?? `card:${ev.context?.open_message_id}`, { ev, eventId: env.header.event_id, claim });
        } finally {
          if (!fresh) await deps.cards.release(claim);
        }
        return fresh ? job.toast : {};
      },
    ],
  ]);

  return {
    async receive(env) {
      return (await listeners.get(env.header.event_type)?.(env)) ?? {};
    },
    handlers,
  };
}

const isArgs = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);
const isInvocation = (x: unknown): x is Invocation => isArgs(x) && typeof x.command === "string" && isArgs(x.args);

/** Anything thrown by a Feishu call, as the error type that knows what to tell the user. */
function asApiError(e: unknown, method: string): FeishuApiError {
  return e instanceof FeishuApiError ? e : new FeishuApiError(method, null, null, (e as Error)?.message ?? String(e));
}

