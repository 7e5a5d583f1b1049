/**
 * Events built exactly as Feishu builds them: schema 2.0 envelopes, optionally encrypted
 * with the Encrypt Key and signed over the raw body.
 */
import { randomBytes } from "node:crypto";
import { encryptEvent, signature } from "../../bot/feishu/crypto.ts";

export const TOKEN = "verify-token-123";
export const ENCRYPT_KEY = "encrypt-key-456";

let seq = 0;
const id = (p: string) => `${p}${(++seq).toString(16).padStart(8, "0")}${randomBytes(8).toString("hex")}`;

export interface MessageSpec {
  text?: string;
  chatType?: "p2p" | "group";
  chatId?: string;
  messageId?: string;
  eventId?: string;
  mentions?: { key: string; open_id: string; name?: string }[];
  messageType?: string;
  content?: string;
  token?: string;
}

export function messageEvent(s: MessageSpec = {}) {
  const messageId = s.messageId ?? id("om_");
  return {
    schema: "2.0",
    header: { event_id: s.eventId ?? id(""), event_type: "im.message.receive_v1", create_time: String(Date.now()), token: s.token ?? TOKEN, app_id: "cli_test", tenant_key: "tk" },
    event: {
      sender: { sender_id: { open_id: "ou_user", user_id: "u1", union_id: "on_1" }, sender_type: "user", tenant_key: "tk" },
      message: {
        message_id: messageId,
        chat_id: s.chatId ?? "oc_chat1",
        chat_type: s.chatType ?? "p2p",
        message_type: s.messageType ?? "text",
        content: s.content ?? JSON.stringify({ text: s.text ?? "李楼镇 2020 依申请数" }),
        create_time: String(Date.now()),
        mentions: (s.mentions ?? []).map((m) => ({ key: m.key, id: { open_id: m.open_id, user_id: "x", union_id: "y" }, name: m.name ?? "bot", tenant_key: "tk" })),
      },
    },
  };
}

export function menuEvent(eventKey: string, openId = "ou_user") {
  return {
    schema: "2.0",
    header: { event_id: id(""), event_type: "application.bot.menu_v6", create_time: String(Date.now()), token: TOKEN, app_id: "cli_test", tenant_key: "tk" },
    event: { operator: { operator_name: "张三", operator_id: { open_id: openId, user_id: "u", union_id: "n" } }, event_key: eventKey, timestamp: Math.floor(Date.now() / 1000) },
  };
}

export function cardActionEvent(value: Record<string, unknown>, openId = "ou_user") {
  return {
    schema: "2.0",
    header: { event_id: id(""), event_type: "card.action.trigger", create_time: String(Date.now()), token: TOKEN, app_id: "cli_test", tenant_key: "tk" },
    event: {
      operator: { open_id: openId, user_id: "u", union_id: "n", tenant_key: "tk" },
      token: "c-123",
      action: { tag: "button", value },
      host: "im_message",
      context: { open_message_id: "om_card", open_chat_id: "oc_chat1" },
    },
  };
}

/** The HTTP request Feishu sends: body (encrypted when a key is given) and signature headers. */
export function feishuRequest(payload: unknown, opts: { encryptKey?: string; badSignature?: boolean; noSignature?: boolean } = {}): RequestInit {
  const body = opts.encryptKey ? JSON.stringify({ encrypt: encryptEvent(opts.encryptKey, JSON.stringify(payload)) }) : JSON.stringify(payload);
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (opts.encryptKey && !opts.noSignature) {
    const ts = String(Math.floor(Date.now() / 1000));
    const nonce = randomBytes(8).toString("hex");
    headers["x-lark-request-timestamp"] = ts;
    headers["x-lark-request-nonce"] = nonce;
    headers["x-lark-signature"] = opts.badSignature ? "0".repeat(64) : signature(ts, nonce, opts.encryptKey, Buffer.from(body));
  }
  return { method: "POST", headers, body };
}
