/**
 * The events the bot handles, validated with zod. Unknown fields pass through; missing ones
 * are errors: a malformed envelope is refused by the transport (HTTP 400), a malformed event
 * body is logged and ignored by its listener, and no handler ever sees an unchecked shape.
 */
import { z } from "zod";

export const urlVerification = z.object({ type: z.literal("url_verification"), challenge: z.string(), token: z.string().optional() });

export const envelope = z.object({
  schema: z.literal("2.0"),
  header: z.object({
    event_id: z.string().min(1),
    event_type: z.string().min(1),
    /** The Verification Token; checked by the HTTP transport (the long connection is authenticated when it opens). */
    token: z.string().optional(),
    create_time: z.string().optional(),
    app_id: z.string().optional(),
    tenant_key: z.string().optional(),
  }),
  event: z.record(z.string(), z.unknown()),
});
export type Envelope = z.infer<typeof envelope>;

const ids = z.object({ open_id: z.string().optional(), user_id: z.string().optional(), union_id: z.string().optional() });

export const messageEvent = z.object({
  sender: z.object({ sender_id: ids, sender_type: z.string().optional() }),
  message: z.object({
    message_id: z.string().min(1),
    /** The message this one replies to ("reply to the file with @机器人 检查"). */
    parent_id: z.string().optional(),
    root_id: z.string().optional(),
    chat_id: z.string().min(1),
    chat_type: z.string(),
    message_type: z.string(),
    content: z.string(),
    /** Milliseconds since the epoch, as a string. */
    create_time: z.string().optional(),
    mentions: z.array(z.object({ key: z.string(), id: ids, name: z.string().optional() })).optional(),
  }),
});
export type MessageEvent = z.infer<typeof messageEvent>;

export const menuEvent = z.object({
  operator: z.object({ operator_id: ids, operator_name: z.string().optional() }),
  event_key: z.string().min(1),
});

/** card.action.trigger (feishu-cards/card-callback-communication). */
export const cardAction = z.object({
  operator: ids,
  /** Delayed-update token: 30 minutes, at most 2 uses. */
  token: z.string().optional(),
  action: z.object({ value: z.record(z.string(), z.unknown()).default({}), tag: z.string().optional() }),
  context: z.object({ open_message_id: z.string().optional(), open_chat_id: z.string().optional() }).optional(),
});
export type CardAction = z.infer<typeof cardAction>;

/** im.chat.member.bot.added_v1 / deleted_v1 (im-v1/chat-member-bot/events/added, …/deleted). */
export const botMembership = z.object({
  chat_id: z.string().min(1),
  operator_id: ids.optional(),
  name: z.string().optional(),
  external: z.boolean().optional(),
});

/** The content of a file message (im-v1/message/events/message_content). */
export const fileContent = z.object({ file_key: z.string().min(1), file_name: z.string().min(1) });

/** A file message's key and name, or null if its content is not one. */
export function fileOf(content: string): z.infer<typeof fileContent> | null {
  try {
    const r = fileContent.safeParse(JSON.parse(content));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

/** Text of a text or post message, with @ placeholders removed. */
export function messageText(m: MessageEvent["message"]): string | null {
  let content: unknown;
  try {
    content = JSON.parse(m.content);
  } catch {
    return null;
  }
  const c = content as { text?: unknown; content?: unknown; title?: unknown };
  if (m.message_type === "text" && typeof c.text === "string") return c.text;
  if (m.message_type === "post" && Array.isArray(c.content)) {
    const parts: string[] = [];
    for (const line of c.content as unknown[]) {
      if (!Array.isArray(line)) continue;
      for (const node of line as { tag?: string; text?: string }[]) if (node?.tag === "text" && typeof node.text === "string") parts.push(node.text);
    }
    return parts.join(" ");
  }
  return null;
}
