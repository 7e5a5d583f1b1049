/**
 * The command table: one entry per command. Routing, /帮助 and the bot menu are all derived
 * from it.
 */
import { z } from "zod";
import { type Action, makeAnswer } from "./answer.ts";
import { type CommandContext, type CommandDef, define } from "./command.ts";
import { exportSummary, ranking, total, unpublished } from "./area-commands.ts";
import { checks, library, search } from "./library-commands.ts";
import { compare, report, trend } from "./organ-commands.ts";
import { query } from "./query.ts";
import { reminders, removeDeadline, setDeadline, subscribe, unsubscribe } from "./reminder-commands.ts";
import { audit } from "./review-commands.ts";

export const EXAMPLE_QUESTIONS = ["李楼镇 2020 依申请数", "西店镇2019年行政复议几件", "去年哪个乡镇申请最多", "李楼镇 近三年 依申请数", "哪些年报有问题"];

const help = define({
  name: "帮助",
  aliases: ["help", "?", "？", "菜单"],
  summary: "列出全部命令",
  usage: "/帮助",
  example: "/帮助",
  menuKey: "help",
  schema: z.object({}),
  read: () => ({ args: {} }),
  run: (_args, ctx) =>
    makeAnswer({
      kind: "help",
      command: "帮助",
      title: "年报助手可以这样问",
      table: { columns: ["命令", "说明", "例子"], rows: COMMANDS.map((c) => [c.usage, c.summary, c.example]) },
      lines: [
        `直接发问也可以，例如：${EXAMPLE_QUESTIONS.join("、")}`,
        `已收录 ${ctx.store.organs.length} 个单位、${ctx.store.reports.length} 份年报（${ctx.store.years().join("、")} 年）${ctx.store.rejected.length ? `；${ctx.store.rejected.length} 个文件无法识别，输入 /资料库 查看原因` : ""}`,
      ],
      actions: menuActions(ctx),
    }),
});

export const COMMANDS: readonly CommandDef[] = Object.freeze([
  query, report, trend, ranking, total, compare, checks, audit, search, unpublished, exportSummary, library, subscribe, unsubscribe, reminders, setDeadline, removeDeadline, help,
] as CommandDef[]);

/** Every command by its name and aliases (the first command listed wins a name two would share). */
const BY_NAME = new Map<string, CommandDef>();
for (const c of COMMANDS) for (const n of [c.name, ...c.aliases]) if (!BY_NAME.has(n)) BY_NAME.set(n, c);

export function findCommand(name: string): CommandDef | undefined {
  return BY_NAME.get(name);
}

/** The bot menu (Feishu application menu), derived from the command table. */
export function menuItems(): { key: string; command: string; label: string }[] {
  return COMMANDS.filter((c) => c.menuKey).map((c) => ({ key: c.menuKey!, command: c.name, label: c.summary }));
}

/** The menu as buttons (for /帮助 and greetings): each command with the arguments it reads from nothing. */
export function menuActions(ctx: CommandContext): Action[] {
  const out: Action[] = [];
  for (const c of COMMANDS) {
    if (!c.menuKey || c.name === "帮助") continue;
    const read = c.read("", ctx);
    if ("args" in read) out.push({ label: `/${c.name}`, command: c.name, args: read.args as Record<string, unknown> });
  }
  return out;
}
