/**
 * Reminder commands: subscriptions of a chat and local deadlines. Outside a chat (the console,
 * or the bot menu, which has no chat) they say what they would do and show the schedule.
 */
import { z } from "zod";
import { type Answer, type Cell, errorAnswer, makeAnswer } from "./answer.ts";
import { type CommandContext, define } from "./command.ts";
import { remindersBetween, statutoryDeadlines, type Subscription } from "./reminders.ts";

/** The statutory deadlines ahead: in January to March, last year's reports; later, this year's (due next year). */
function statutoryLines(now: Date): string[] {
  const reportYear = now.getMonth() <= 2 ? now.getFullYear() - 1 : now.getFullYear();
  return statutoryDeadlines(reportYear).map((d) => `法定截止：${d.date}（${d.label}，${reportYear} 年年报）`);
}

const NEXT_COLUMNS = ["提醒时间", "截止日期", "剩余天数", "已发布/应发布"];
const OFFSETS_LINE = "截止日前 30、14、7、3、1 天及当天 9:30 提醒，遇周末节假日提前到上一个工作日";

/** The next reminders a chat with these subscriptions would get. */
function nextReminders(ctx: CommandContext, subs: Subscription[], limit = 6): Cell[][] {
  const r = ctx.reminders;
  if (!r) return [];
  const list = remindersBetween({
    store: ctx.store,
    subscriptions: subs,
    locals: r.settings?.deadlines ?? [],
    calendar: r.calendar,
    roster: r.roster,
    fromMs: ctx.now.getTime(),
    toMs: ctx.now.getTime() + 400 * 86400000,
  });
  return list.slice(0, limit).map((x) => [x.at.slice(0, 16).replace("T", " "), `${x.deadline}（${x.deadlineLabel}）`, x.daysLeft, `${x.published.length}/${x.expected.length}`]);
}

/** Outside a chat: what the command does in a group, with the schedule it would follow. */
function outsideChat(ctx: CommandContext, command: string, what: string, scope = ""): Answer {
  const rows = nextReminders(ctx, [{ chatId: "preview", scope, by: "", at: "" }]);
  return makeAnswer({
    kind: "reminders",
    command,
    title: `/${command} 需要在飞书群聊（或与机器人的单聊）中发送`,
    table: rows.length ? { columns: NEXT_COLUMNS, rows } : undefined,
    lines: [
      what,
      rows.length ? `在群里订阅${scope ? `「${scope}」` : ""}后，接下来的提醒如上（${OFFSETS_LINE}）` : "",
      "预览全部提醒：npm run --silent remind -- --reports 目录 --from 2026-12-01T00:00:00+08:00 --to 2027-04-01T00:00:00+08:00",
    ].filter(Boolean),
  });
}

export const subscribe = define({
  name: "订阅提醒",
  aliases: ["订阅"],
  summary: "本群订阅年报截止提醒（可限定地区或单位；群主或管理员）",
  usage: "/订阅提醒 [地区或单位]",
  example: "/订阅提醒 宁海县",
  permission: "owner",
  needsChat: true,
  schema: z.object({ scope: z.string().trim().max(60, "范围太长") }),
  read: (text) => ({ args: { scope: text } }),
  run: ({ scope }, ctx) => {
    const chatId = ctx.chat?.chatId;
    if (!chatId || !ctx.reminders?.settings) return outsideChat(ctx, "订阅提醒", "在群里发送后，本群会在截止日前收到未发布名单和校验问题。", scope);
    ctx.reminders.settings.subscribe({ chatId, scope, by: ctx.chat!.openId, at: ctx.now.toISOString() });
    const rows = nextReminders(ctx, ctx.reminders.settings.subscriptions.filter((s) => s.chatId === chatId));
    return makeAnswer({
      kind: "reminders",
      command: "订阅提醒",
      title: `已订阅年报截止提醒${scope ? `（范围：${scope}）` : "（全部单位）"}`,
      table: rows.length ? { columns: NEXT_COLUMNS, rows } : undefined,
      lines: [rows.length ? OFFSETS_LINE : `范围「${scope}」内还没有需要提醒的单位（上一年没有年报）`],
    });
  },
});

export const unsubscribe = define({
  name: "取消提醒",
  aliases: ["退订"],
  summary: "取消本群的全部年报提醒（群主或管理员）",
  usage: "/取消提醒",
  example: "/取消提醒",
  permission: "owner",
  needsChat: true,
  schema: z.object({}),
  read: () => ({ args: {} }),
  run: (_a, ctx) => {
    const chatId = ctx.chat?.chatId;
    if (!chatId || !ctx.reminders?.settings) return outsideChat(ctx, "取消提醒", "在群里发送后，本群不再收到年报提醒。");
    const n = ctx.reminders.settings.unsubscribe(chatId);
    return makeAnswer({ kind: "reminders", command: "取消提醒", title: n ? `已取消本群的 ${n} 项提醒订阅` : "本群没有订阅提醒" });
  },
});

export const reminders = define({
  name: "提醒",
  aliases: ["提醒列表"],
  summary: "本群的提醒订阅和接下来的提醒",
  usage: "/提醒",
  example: "/提醒",
  menuKey: "reminders",
  schema: z.object({}),
  read: () => ({ args: {} }),
  run: (_a, ctx) => {
    const chatId = ctx.chat?.chatId;
    const settings = ctx.reminders?.settings;
    if (!chatId || !settings) {
      // The menu and the console have no chat: the schedule for every organ, and how to subscribe.
      const rows = nextReminders(ctx, [{ chatId: "all", scope: "", by: "", at: "" }]);
      return makeAnswer({
        kind: "reminders",
        command: "提醒",
        title: "接下来的年报截止提醒（全部单位）",
        table: rows.length ? { columns: NEXT_COLUMNS, rows } : undefined,
        lines: [
          ...statutoryLines(ctx.now),
          rows.length ? OFFSETS_LINE : "还没有需要提醒的单位（资料库里没有上一年的年报）",
          "在群里发送 /订阅提醒 [地区或单位]，本群就会按时收到提醒",
          ...(settings?.deadlines ?? []).map((d) => `本地截止日：${d.date} ${d.label}（${d.scope || "全部"}）`),
        ],
        actions: [{ label: "查看未发布名单", command: "未发布", args: { year: ctx.now.getFullYear() - 1 } }],
      });
    }
    const subs = settings.subscriptions.filter((s) => s.chatId === chatId);
    if (subs.length === 0) return makeAnswer({ kind: "reminders", command: "提醒", title: "本群还没有订阅年报提醒", suggestions: ["/订阅提醒", "/订阅提醒 宁海县"] });
    const rows = nextReminders(ctx, subs);
    return makeAnswer({
      kind: "reminders",
      command: "提醒",
      title: `本群订阅了 ${subs.length} 项年报提醒`,
      table: rows.length ? { columns: NEXT_COLUMNS, rows } : undefined,
      lines: [`订阅范围：${subs.map((s) => s.scope || "全部单位").join("、")}`, ...statutoryLines(ctx.now), ...settings.deadlines.map((d) => `本地截止日：${d.date} ${d.label}（${d.scope || "全部"}）`)],
    });
  },
});

const dateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "日期格式应为 YYYY-MM-DD")
  .refine((d) => !Number.isNaN(Date.parse(d)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), "日期不存在");

export const setDeadline = define({
  name: "设置截止",
  aliases: ["截止日期"],
  summary: "添加本地截止日期，例如县政务公开办通知（管理员）",
  usage: "/设置截止 <YYYY-MM-DD> <地区或单位> [说明]",
  example: "/设置截止 2027-01-20 宁海县 县政务公开办通知",
  permission: "admin",
  needsChat: true,
  schema: z.object({ date: dateSchema, scope: z.string(), label: z.string().min(1) }),
  read: (text) => {
    const [date = "", scope = "", ...label] = text.trim().split(/\s+/);
    return { args: { date, scope: scope === "全部" ? "" : scope, label: label.join(" ") || "本地截止日期" } };
  },
  run: (d, ctx) => {
    const settings = ctx.reminders?.settings;
    if (!settings) return outsideChat(ctx, "设置截止", `在群里由管理员发送后，${d.date}（${d.label}）会加入提醒日程。`, d.scope);
    settings.addDeadline(d);
    return makeAnswer({ kind: "reminders", command: "设置截止", title: `已添加截止日期 ${d.date}（${d.label}，范围：${d.scope || "全部"}）` });
  },
});

export const removeDeadline = define({
  name: "删除截止",
  aliases: [],
  summary: "删除一个本地截止日期（管理员）",
  usage: "/删除截止 <YYYY-MM-DD>",
  example: "/删除截止 2027-01-20",
  permission: "admin",
  needsChat: true,
  schema: z.object({ date: dateSchema }),
  read: (text) => ({ args: { date: text.trim() } }),
  run: ({ date }, ctx) => {
    const settings = ctx.reminders?.settings;
    if (!settings) return errorAnswer("删除截止", "/删除截止 需要在飞书群聊中由管理员发送");
    const n = settings.removeDeadline(date);
    return makeAnswer({ kind: "reminders", command: "删除截止", title: n ? `已删除 ${date} 的截止日期` : `没有 ${date} 的本地截止日期` });
  },
});
