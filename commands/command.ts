/**
 * What a command is: one entry of the command table (commands/table.ts). A command reads its
 * structured arguments from free text (`read`) or receives them from a button or menu item,
 * checks them with its zod schema, and turns them into an Answer (`run`).
 */
import type { z } from "zod";
import type { ReportStore } from "../index/store.ts";
import type { Answer } from "./answer.ts";
import type { WorkCalendar } from "./calendar.ts";
import type { ReminderSettingsPort } from "./reminders.ts";

/** Who is asking, where: set by the Feishu layer (absent in the console and CLIs). */
export interface ChatContext {
  /** The chat the message came from; a menu event has none (it is answered in private). */
  chatId?: string;
  chatType: "p2p" | "group" | "menu";
  openId: string;
  isAdmin: boolean;
  isOwner: boolean;
}

export interface ReminderContext {
  /** Where a chat's subscriptions live; absent outside Feishu (the console shows what would happen). */
  settings?: ReminderSettingsPort;
  calendar: WorkCalendar;
  roster: string[];
}

export interface CommandContext {
  store: ReportStore;
  now: Date;
  chat?: ChatContext;
  reminders?: ReminderContext;
}

/** A command with its arguments, as a button or menu item carries it. */
export interface Invocation {
  command: string;
  args: Record<string, unknown>;
}

/** The words after a command (or a whole question) read into arguments, or an answer when they cannot be. */
export type Read<A> = { args: A; notes?: string[] } | { answer: Answer };

export interface CommandDef<S extends z.ZodType<Record<string, unknown>> = z.ZodType<Record<string, unknown>>> {
  name: string;
  aliases: string[];
  summary: string;
  usage: string;
  example: string;
  /** Key of the bot menu item that runs this command with no arguments, if any. */
  menuKey?: string;
  /** Who may run it: group owner or BOT_ADMINS ("owner"), BOT_ADMINS only ("admin"). */
  permission?: "owner" | "admin";
  /** Changes a chat's settings, so it needs a group or private chat (not the console, not a menu). */
  needsChat?: boolean;
  schema: S;
  read: (text: string, ctx: CommandContext) => Read<z.input<S>>;
  run: (args: z.output<S>, ctx: CommandContext, notes: string[]) => Answer;
}

export const define = <S extends z.ZodType<Record<string, unknown>>>(c: CommandDef<S>): CommandDef<S> => c;

export const isAnswer = (x: unknown): x is Answer => typeof x === "object" && x !== null && "kind" in x && "text" in x;
