/**
 * Events built exactly as Feishu builds them: schema 2.0 envelopes (im-v1/message/events/receive,
 * application-v6/bot/events/menu, im-v1/chat-member-bot/events/added|deleted,
 * feishu-cards/card-callback-communication), optionally encrypted with the Encrypt Key and
 * signed over the raw body.
 */
import { randomBytes } from "node:crypto";
import { encryptEvent, signature } from "../../bot/feishu/crypto.ts";

export const TOKEN = "verify-token-123";
export const ENCRYPT_KEY = "encrypt-key-456";
/** A self-built app's App ID, as the SDK's long connection requires. */
export const APP_ID = "cli_a1b2c3d4e5f60718";

let seq = 0;
const id = (p: string) => `${p}${(++seq).toString(16).padStart(8, "0")}${randomBytes(8).toString("hex")}`;

export interface MessageSpec {
  text?: string;
  chatType?: "p2p" | "group";
  chatId?: string;
  messageId?: string;
  eventId?: string;
  parentId?: string;
  mentions?: { key: string; open_id: string; name?: string }[];
  messageType?: string;
  content?: string;
  token?: string;
  sender?: string;
  /** When the message was sent (ms); now by default. */
  createTime?: number;
}

const header = (eventType: string, o: { eventId?: string; token?: string; createTime?: number } = {}) => ({
  event_id: o.eventId ?? id(""),
  event_type: eventType,
  create_time: String(o.createTime ?? Date.now()),
  token: o.token ?? TOKEN,
  app_id: APP_ID,
  tenant_key: "tk",
});

export function messageEvent(s: MessageSpec = {}) {
  const messageId = s.messageId ?? id("om_");
  const created = s.createTime ?? Date.now();
  return {
    schema: "2.0",
    header: header("im.message.receive_v1", { eventId: s.eventId, token: s.token, createTime: created }),
    event: {
      sender: { sender_id: { open_id: s.sender ?? "ou_user", user_id: "u1", union_id: "on_1" }, sender_type: "user", tenant_key: "tk" },
      message: {
        message_id: messageId,
        ...(s.parentId ? { parent_id: s.parentId, root_id: s.parentId } : {}),
        chat_id: s.chatId ?? "oc_chat1",
        chat_type: s.chatType ?? "p2p",
        message_type: s.messageType ?? "text",
        content: s.content ?? JSON.stringify({ text: s.text ?? "李楼镇 2020 依申请数" }),
        create_time: String(created),
        mentions: (s.mentions ?? []).map((m) => ({ key: m.key, id: { open_id: m.open_id, user_id: "x", union_id: "y" }, name: m.name ?? "bot", tenant_key: "tk" })),
      },
    },
  };
}
export type MessageEnvelope = ReturnType<typeof messageEvent>;

/** A file message: p2p by default; in a group it carries no @-mention (a file cannot). */
export function fileEvent(s: { fileKey: string; fileName: string; sender?: string; chatType?: "p2p" | "group"; chatId?: string }) {
  return messageEvent({ messageType: "file", content: JSON.stringify({ file_key: s.fileKey, file_name: s.fileName }), sender: s.sender, chatType: s.chatType, chatId: s.chatId });
}

/** "@机器人 检查" as a reply to another message in a group. */
export function mentionReply(parentId: string, text = "检查", s: { chatId?: string; sender?: string } = {}) {
  return messageEvent({ chatType: "group", chatId: s.chatId ?? "oc_group", parentId, text: `@_user_1 ${text}`, mentions: [{ key: "@_user_1", open_id: "ou_bot" }], sender: s.sender });
}

export function menuEvent(eventKey: string, openId = "ou_user") {
  return {
    schema: "2.0",
    header: header("application.bot.menu_v6"),
    event: { operator: { operator_name: "张三", operator_id: { open_id: openId, user_id: "u", union_id: "n" } }, event_key: eventKey, timestamp: Math.floor(Date.now() / 1000) },
  };
}

export function botMembershipEvent(kind: "added" | "deleted", chatId: string) {
  return {
    schema: "2.0",
    header: header(`im.chat.member.bot.${kind}_v1`),
    event: { chat_id: chatId, operator_id: { open_id: "ou_owner", user_id: "u", union_id: "n" }, external: false, operator_tenant_key: "tk", name: "年报工作群" },
  };
}

export function cardActionEvent(value: Record<string, unknown>, o: { openId?: string; messageId?: string; chatId?: string; eventId?: string } = {}) {
  return {
    schema: "2.0",
    header: header("card.action.trigger", { eventId: o.eventId }),
    event: {
      operator: { open_id: o.openId ?? "ou_user", user_id: "u", union_id: "n", tenant_key: "tk" },
      token: "c-123",
      action: { tag: "button", value },
      host: "im_message",
      context: { open_message_id: o.messageId ?? "om_card", open_chat_id: o.chatId ?? "oc_chat1" },
    },
  };
}

/** The HTTP request Feishu sends: body (encrypted when a key is given) and signature headers. */
export function feishuRequest(
  payload: unknown,
  opts: { encryptKey?: string; badSignature?: boolean; noSignature?: boolean; timestampMs?: number } = {},
): RequestInit {
  const body = opts.encryptKey ? JSON.stringify({ encrypt: encryptEvent(opts.encryptKey, JSON.stringify(payload)) }) : JSON.stringify(payload);
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (opts.encryptKey && !opts.noSignature) {
    const ts = String(Math.floor((opts.timestampMs ?? Date.now()) / 1000));
    const nonce = randomBytes(8).toString("hex");
    headers["x-lark-request-timestamp"] = ts;
    headers["x-lark-request-nonce"] = nonce;
    headers["x-lark-signature"] = opts.badSignature ? "0".repeat(64) : signature(ts, nonce, opts.encryptKey, Buffer.from(body));
  }
  return { method: "POST", headers, body };
}
