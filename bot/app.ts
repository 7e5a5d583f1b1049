/**
 * The listeners: what the bot does with a verified Feishu event or callback, whichever transport
 * brought it (bot/transport/http.ts for the webhook, bot/transport/ws.ts for the long
 * connection). `receive` answers at once — Feishu waits 3 s for an event's ack and for a card
 * callback's response (feishu-cards/handle-card-callbacks), and re-sends what is not acked — and
 * every piece of work goes to the per-chat queue. Deduplication, the stale-message window and
 * "never silent" replies live here, so both transports get them.
 */
import { type ChatContext, type CommandContext, findCommand, invoke, invokeText, type Invocation, menuItems, route, slashCommand, stripMentions } from "../commands/index.ts";
import type { Attachment } from "../commands/answer.ts";
import type { ReportStore } from "../index/store.ts";
import { attachmentFiles } from "./attachments.ts";
import { type CardButton, type El, errorCard, progressCard, renderCard, welcomeCard } from "./cards.ts";
import type { SeenStore } from "./dedupe.ts";
import { FeishuApiError, type FeishuApi, type Receiver } from "./feishu/api.ts";
import { botMembership, type CardAction, cardAction, type Envelope, fileOf, menuEvent, type MessageEvent, messageEvent, messageText } from "./feishu/events.ts";
import type { ChatQueue } from "./queue.ts";
import { type IngestResult, PENDING_DAYS, unsupportedType, type Uploads } from "./uploads.ts";

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
  seen: SeenStore;
  queue: ChatQueue;
  log: (line: string) => void;
  /** Report files sent for checking; without it the bot says it takes text only. */
  uploads?: Uploads;
  /** Subscriptions, local deadlines and the calendar, for the reminder commands. */
  reminders?: CommandContext["reminders"];
  staleMessageMs?: number;
}

/** The response body for the transport: {} for an event, {toast} for a card callback. */
export type Ack = Record<string, unknown>;

export interface Listeners {
  /** One authenticated 2.0 envelope; returns at once, the work is queued. */
  receive(env: Envelope): Ack;
}

type Target = { replyTo: string } | { to: Receiver };

const toast = (type: "info" | "success" | "error" | "warning", content: string): Ack => ({ toast: { type, content } });
const uuidOf = (prefix: string, id: string) => `${prefix}-${id}`.slice(0, 50);
/** "检查" written as a reply to a file message asks the bot to check that file. */
const CHECK_REQUEST = /^[/／]?(检查|校验|核对|检查一下|帮我检查|check)[。.!！]?$/i;

export function createListeners(deps: BotDeps): Listeners {
  const { api, log } = deps;
  const staleMs = deps.staleMessageMs ?? STALE_MESSAGE_MS;
  /** Card actions being worked on: a second click on the same button waits for the first. */
  const inFlight = new Set<string>();

  // ------------------------------------------------------------------ sending, never silent

  /** Send a card; if Feishu refuses it, say so in a short text and log the code. */
  async function deliver(target: Target, card: El, uuid: string): Promise<string | null> {
    try {
      return "replyTo" in target ? await api.reply(target.replyTo, { card }, uuid) : await api.send(target.to, { card }, uuid);
    } catch (e) {
      const err = asApiError(e, "send");
      log(`发送卡片失败（${err.code ?? err.status ?? "无响应"}）：${err.message}`);
      const text = `抱歉，这次的回答没能发出：${err.userMessage}。请稍后再试。`;
      try {
        return "replyTo" in target ? await api.reply(target.replyTo, { text }, uuidOf("t", uuid)) : await api.send(target.to, { text }, uuidOf("t", uuid));
      } catch (e2) {
        log(`连说明文字也没能发出（${asApiError(e2, "send").code ?? "无响应"}）`);
        return null;
      }
    }
  }

  /**
   * An answer's file (the /导出 workbook): built, uploaded (im.file.create, needs im:resource)
   * and sent as file messages; a failure is said in a short text, never silent.
   */
  async function sendAttachment(target: Target, attachment: Attachment, uuid: string) {
    const say = (text: string) =>
      ("replyTo" in target ? api.reply(target.replyTo, { text }, uuidOf("t", uuid)) : api.send(target.to, { text }, uuidOf("t", uuid))).catch((e) =>
        log(`说明文字没能发出（${asApiError(e, "send").code ?? "无响应"}）`),
      );
    let files;
    try {
      files = await attachmentFiles(deps.store(), attachment);
    } catch (e) {
      log(`生成汇总表失败：${(e as Error).message}`);
      return void (await say("抱歉，汇总表没能生成，请稍后再试或联系管理员查看日志。"));
    }
    for (const [i, f] of files.entries()) {
      try {
        const key = await api.uploadFile(f.fileName, f.bytes, "xls");
        const fileUuid = uuidOf(`x${i}`, uuid);
        await ("replyTo" in target ? api.reply(target.replyTo, { file: key }, fileUuid) : api.send(target.to, { file: key }, fileUuid));
      } catch (e) {
        const err = asApiError(e, "im.file.create");
        log(`发送汇总表 ${f.fileName} 失败（${err.code ?? err.status ?? "无响应"}）：${err.message}`);
        return void (await say(`抱歉，汇总表「${f.fileName}」没能发出：${err.userMessage}。也可以在服务器上运行 npm run export 生成。`));
      }
    }
  }

  /** Update a card in place (paging, 正在检查…, 加入资料库); if that fails, answer with a new card. */
  async function update(messageId: string, card: El, fallback: Target, uuid: string) {
    try {
      await api.patch(messageId, card);
    } catch (e) {
      const err = asApiError(e, "patch");
      log(`更新卡片 ${messageId} 失败（${err.code ?? err.status ?? "无响应"}），改为发送新卡片：${err.message}`);
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
    if (m.parent_id && CHECK_REQUEST.test(question)) return checkRepliedFile(m.parent_id, sender, m.message_id);
    const chat = await chatContext({ chatId: m.chat_id, chatType: m.chat_type, openId: sender }, question);
    if (chat instanceof FeishuApiError) return void (await reply(errorCard(`无法确认你是否为群主：${chat.userMessage}`, ["群主或管理员才能使用这个命令"])));
    const answer = route(question, { store: deps.store(), now: deps.now(), chat, reminders: deps.reminders });
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
      const err = asApiError(e, "im.messageResource.get");
      return void (await finish(errorCard(`文件下载失败：${err.userMessage}`, ["请稍后重新发送"])));
    }
    const r = await deps.uploads.check({ uploadId: f.fileMessageId, fileName: file.file_name, bytes });
    if (!r.ok) return void (await finish(errorCard(r.title, r.hints)));
    const buttons: CardButton[] = deps.uploads.isAdmin(f.sender) ? [{ label: "加入资料库", value: { cmd: "ingest", upload: r.uploadId }, type: "primary" }] : [];
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
          const answer = isArgs(value.args) ? invoke(inv, ctx) : invokeText(cmd, value.text as string, ctx);
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

  // ------------------------------------------------------------------ the table of listeners

  const parseOr = <T>(schema: { safeParse: (x: unknown) => { success: true; data: T } | { success: false } }, env: Envelope, what: string): T | null => {
    const r = schema.safeParse(env.event);
    if (!r.success) log(`事件 ${env.header.event_id}：${what}格式不对，已忽略`);
    return r.success ? r.data : null;
  };

  const listeners: Record<string, (env: Envelope) => Ack> = {
    "im.message.receive_v1": (env) => {
      const ev = parseOr(messageEvent, env, "消息");
      if (!ev) return {};
      const created = Number(ev.message.create_time ?? env.header.create_time);
      const age = deps.now().getTime() - created;
      if (Number.isFinite(created) && age > staleMs) {
        log(`丢弃 ${Math.round(age / 60000)} 分钟前的消息 ${ev.message.message_id}（重新投递或断线期间积压）`);
        return {};
      }
      // Feishu may re-send a message under a new event_id: dedupe messages by message_id
      // (im-v1/message/events/receive: 使用 message_id 去重).
      if (deps.seen.firstTime(`msg:${ev.message.message_id}`)) deps.queue.push(ev.message.chat_id, () => onMessage(ev));
      return {};
    },
    "application.bot.menu_v6": (env) => {
      const ev = parseOr(menuEvent, env, "菜单事件");
      const openId = ev?.operator.operator_id.open_id;
      if (!ev || !openId) return {};
      // The menu event carries no chat_id; the answer goes to the operator's private chat.
      if (deps.seen.firstTime(`evt:${env.header.event_id}`)) deps.queue.push(`menu:${openId}`, () => onMenu(ev.event_key, openId, env.header.event_id));
      return {};
    },
    "im.chat.member.bot.added_v1": (env) => {
      const ev = parseOr(botMembership, env, "进群事件");
      if (ev && deps.seen.firstTime(`evt:${env.header.event_id}`)) {
        deps.queue.push(ev.chat_id, async () => void (await deliver({ to: { chat_id: ev.chat_id } }, welcomeCard(), uuidOf("w", env.header.event_id))));
      }
      return {};
    },
    "im.chat.member.bot.deleted_v1": (env) => {
      const ev = parseOr(botMembership, env, "出群事件");
      if (ev && deps.seen.firstTime(`evt:${env.header.event_id}`)) {
        deps.queue.push(ev.chat_id, async () => {
          // Nothing can be sent to a chat the bot has left; its reminders would only fail.
          const n = deps.reminders?.settings?.unsubscribe(ev.chat_id) ?? 0;
          log(`机器人已被移出群 ${ev.chat_id}${ev.name ? `（${ev.name}）` : ""}，取消该群 ${n} 项提醒订阅`);
        });
      }
      return {};
    },
    "card.action.trigger": (env) => {
      const ev = parseOr(cardAction, env, "卡片回调");
      if (!ev) return toast("error", "这个按钮已失效");
      if (!deps.seen.firstTime(`evt:${env.header.event_id}`)) return {};
      const key = `card:${ev.context?.open_message_id ?? ""}:${JSON.stringify(ev.action.value)}`;
      if (inFlight.has(key)) return toast("info", "正在处理，请稍候");
      const job = cardJob(ev, env.header.event_id);
      if (job.run) {
        const run = job.run;
        inFlight.add(key);
        deps.queue.push(ev.context?.open_chat_id ?? `card:${ev.context?.open_message_id}`, async () => {
          try {
            await run();
          } finally {
            inFlight.delete(key);
          }
        });
      }
      return job.toast;
    },
  };

  return {
    receive(env) {
      return listeners[env.header.event_type]?.(env) ?? {};
    },
  };
}

const isArgs = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);
const isInvocation = (x: unknown): x is Invocation => isArgs(x) && typeof x.command === "string" && isArgs(x.args);

/** Anything thrown by a Feishu call, as the error type that knows what to tell the user. */
function asApiError(e: unknown, method: string): FeishuApiError {
  return e instanceof FeishuApiError ? e : new FeishuApiError(method, null, null, (e as Error)?.message ?? String(e));
}

