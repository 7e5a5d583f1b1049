/**
 * One pipeline for every way a command arrives: a typed slash command or free-text question is
 * read into a command with structured arguments (an Invocation); a button or menu item carries
 * one already. Either way the arguments are checked by the command's schema, then it runs.
 */
import { splitPlaces } from "../parser/index.ts";
import { type Answer, errorAnswer, makeAnswer } from "./answer.ts";
import type { CommandContext, CommandDef, Invocation } from "./command.ts";
import { readScope } from "./area-commands.ts";
import { COMMANDS, EXAMPLE_QUESTIONS, findCommand, menuActions } from "./table.ts";
import { INTENTS, namedOrgans, type Question, questionOfMessage, understand } from "./understand.ts";

export type { Action, Answer, NumberAnswer, Source, Tone } from "./answer.ts";
export type { ChatContext, CommandContext, CommandDef, Invocation } from "./command.ts";
export { COMMANDS, findCommand, menuActions, menuItems } from "./table.ts";

/** Remove @-mentions at the start (`@_user_1`, `@年报助手`) that chat clients put before a question. */
export function stripMentions(text: string): string {
  return text.replace(/^(?:\s*@\S+)+\s*/u, "").replace(/@_user_\d+/g, " ").trim();
}

/** `/name args` at the start of a message (after @-mentions), or null for free text. */
export function slashCommand(message: string): { name: string; args: string } | null {
  const m = /^[/／]\s*(\S+?)(?:\s+([\s\S]*))?$/.exec(stripMentions(message.normalize("NFKC")));
  return m ? { name: m[1], args: m[2] ?? "" } : null;
}

/** Run a command with structured arguments (from a button, a menu item, or read from text). */
export function invoke(inv: Invocation, ctx: CommandContext, notes: string[] = []): Answer {
  const cmd = findCommand(inv.command);
  if (!cmd) return errorAnswer("帮助", `没有「/${inv.command}」这个命令`, ["/帮助"]);
  // Changing a chat's settings needs the right person; outside a chat the command only explains.
  if (ctx.chat?.chatId && cmd.permission === "admin" && !ctx.chat.isAdmin) return errorAnswer(cmd.name, `只有管理员（BOT_ADMINS）可以使用 /${cmd.name}`);
  if (ctx.chat?.chatId && cmd.permission === "owner" && !ctx.chat.isAdmin && !ctx.chat.isOwner) return errorAnswer(cmd.name, `只有群主或管理员可以使用 /${cmd.name}`);
  const parsed = cmd.schema.safeParse(inv.args);
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => i.message).join("；");
    return errorAnswer(cmd.name, `参数不对：${why}`, [`用法：${cmd.usage}`, `例如：${cmd.example}`]);
  }
  try {
    return cmd.run(parsed.data, ctx, notes);
  } catch (e) {
    // A bug must not become a silent wrong number: say so and keep the bot alive.
    return errorAnswer(cmd.name, "处理这条消息时出错了，请换个说法再试", [`例如：${cmd.example}`], [String((e as Error).message ?? e)]);
  }
}

/** Read a command's words into arguments and run it. */
export function invokeText(cmd: CommandDef, text: string, ctx: CommandContext): Answer {
  let read;
  try {
    read = cmd.read(text, ctx);
  } catch (e) {
    return errorAnswer(cmd.name, "没能读懂这条消息，请换个说法再试", [`例如：${cmd.example}`], [String((e as Error).message ?? e)]);
  }
  if ("answer" in read) return read.answer;
  return invoke({ command: cmd.name, args: read.args as Record<string, unknown> }, ctx, read.notes ?? []);
}

const WHOLE_AREA = /全[县区市省旗]|各单位|所有单位|全部单位/;

/**
 * Words that only say which organs (宁海县 各乡镇, 部门): a sum over them is still one figure. A
 * place alone is not (「宁海县依申请数合计」 asks for 宁海县's own report, which may be missing).
 */
function onlyScopeWords(unread: string): boolean {
  const words = unread.split(" ").filter(Boolean);
  const scope = words.filter((w) => SCOPE_WORD.test(w));
  return words.every((w) => SCOPE_WORD.test(w) || splitPlaces(w) !== null) && (scope.length > 0 || words.length === 0);
}
const SCOPE_WORD = /^(?:各|全|所有|全部)?(?:乡镇|街道|镇|乡|部门|单位|县区|区县)$/;

/** The command a free-text question is. */
export function intentOf(text: string, q: Question): string {
  const organs = namedOrgans(q);
  const organNamed = q.mentions.length > 0 || q.nearMisses.length > 0;
  const figure = q.figure.kind !== "none";
  if (INTENTS.help.test(text)) return "帮助";
  if (INTENTS.search.test(text)) return "搜索";
  if (INTENTS.export.test(text)) return "导出";
  if (INTENTS.greeting.test(text) && !organNamed && !figure) return "greeting";
  if (INTENTS.unpublished.test(text)) return "未发布";
  // 「截止日期是哪天」: the statutory schedule, as 提醒 shows it.
  if (INTENTS.deadline.test(text) && !figure) return "提醒";
  // 信息处理费 is told in part 六's prose, not in a table: where the reports say it.
  if (INTENTS.processingFee.test(text)) return "信息处理费";
  // 「哪些年报有问题」: the checks of every report, not of one.
  if ((INTENTS.audit.test(text) || (INTENTS.checks.test(text) && /哪些|哪个|哪几|哪家|谁/.test(text))) && !organNamed) return "审查";
  if (INTENTS.checks.test(text)) return "校验";
  // 「近三年」 asks for a trend; 「2021年到2023年」 without 趋势 is several years of one figure, asked like two years are.
  if (INTENTS.trend.test(text) || q.years.some((y) => y.kind === "lastN")) return "趋势";
  if (organs.length >= 2 && (INTENTS.compare.test(text) || q.terms.some((m) => m.terms.some((t) => t.t === "versus")))) return "对比";
  // An area with 乡镇/部门 (「宁海县哪个乡镇申请最多」) is a scope, not the organ asked about.
  // So is a government with 全县/各单位 (「沭阳县全县依申请数合计」): the area, not its own report.
  // 「淮安市政府」 names the government's own report, never the area's units added up.
  const asGovernment = q.mentions.some((m) => m.kind === "organ" && /(?:政府|管委会?|府)$/.test(m.text));
  const scoped = organs.length === 1 && !organs[0].body && !asGovernment && (readScope(q).level !== undefined || WHOLE_AREA.test(text));
  if (INTENTS.ranking.test(text) && (organs.length === 0 || scoped)) return "排行";
  if (INTENTS.total.test(text) && (organs.length === 0 || scoped)) return "合计";
  if (organs.length === 0 && !organNamed && figure && /一共|总共|合计|加起来|共计/.test(text) && onlyScopeWords(q.unread)) return "合计";
  if (organNamed && !figure && !q.baseYear) return "报告";
  if (!organNamed && !figure) return "unknown";
  return "查询";
}

function greeting(ctx: CommandContext): Answer {
  return makeAnswer({
    kind: "help",
    command: "帮助",
    title: "您好，我是年报助手",
    lines: [`可以直接问年报里的数字，例如：${EXAMPLE_QUESTIONS.slice(0, 3).join("、")}；输入 /帮助 查看全部命令`],
    actions: menuActions(ctx),
  });
}

function notUnderstood(ctx: CommandContext, q: Question): Answer {
  return makeAnswer({
    kind: "error",
    command: "帮助",
    title: q.unknownWords.length ? `没看懂「${q.unknownWords.join(" ")}」` : "这个问题我回答不了",
    lines: ["年报助手只回答政府信息公开工作年度报告里的数字、校验和发布情况"],
    suggestions: EXAMPLE_QUESTIONS.slice(0, 3),
    actions: menuActions(ctx),
    tone: "error",
  });
}

export function route(message: string, ctx: CommandContext): Answer {
  const text = stripMentions(message.normalize("NFKC"));
  const help = findCommand("帮助")!;
  if (!text) return invokeText(help, "", ctx);
  const slash = slashCommand(text);
  if (slash) {
    const cmd = findCommand(slash.name);
    if (!cmd) return errorAnswer("帮助", `没有「/${slash.name}」这个命令`, COMMANDS.slice(0, 6).map((c) => c.example).concat("/帮助"));
    return invokeText(cmd, slash.args, ctx);
  }
  // Search words are taken as typed; any other message is read for its question.
  const asked = INTENTS.search.test(text) ? text : questionOfMessage(text, ctx.store, ctx.now);
  const q = understand(asked, ctx.store, ctx.now);
  const intent = intentOf(asked.toLowerCase(), q);
  if (intent === "greeting") return greeting(ctx);
  if (intent === "unknown") return notUnderstood(ctx, q);
  if (intent === "搜索") return invokeText(findCommand(intent)!, INTENTS.search.exec(text)![1], ctx);
  if (intent === "信息处理费") return invokeText(findCommand("搜索")!, "信息处理费", ctx);
  return invokeText(findCommand(intent)!, asked, ctx);
}
