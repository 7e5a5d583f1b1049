/**
 * route(): a chat message → an Answer. Slash commands by name or alias; free text by what
 * it asks (a trend, a ranking, a total, who is missing) and otherwise the query command.
 */
import { errorAnswer, type Answer } from "./answer.ts";
import { type CommandContext, type CommandDef, COMMANDS, findCommand } from "./registry.ts";

export type { Answer, NumberAnswer, Source } from "./answer.ts";
export { COMMANDS, findCommand, type ChatContext, type CommandContext, type CommandDef } from "./registry.ts";

/** Remove @-mentions at the start (`@_user_1`, `@年报助手`) that chat clients put before a question. */
export function stripMentions(text: string): string {
  return text.replace(/^(?:\s*@\S+)+\s*/u, "").replace(/@_user_\d+/g, " ").trim();
}

/** Which command a free-text question is. */
function intentOf(text: string): string {
  if (/哪些.*(没|未|还没).*(发布|公开|报送)|(没|未)发布|未报/.test(text)) return "未发布";
  if (/近[一二两三四五六七八九十\d]+年|历年|趋势|逐年|这几年/.test(text)) return "趋势";
  if (/哪个|哪些|排名|排行|最多|最高|最少|前\s*\d+/.test(text)) return "排行";
  if (/一共|总共|合计|全县|全区|全市|加起来/.test(text)) return "合计";
  if (/对比|比较|相比/.test(text)) return "对比";
  if (/校验|勾稽|对得上|有没有错/.test(text)) return "校验";
  return "查询";
}

export function runCommand(cmd: CommandDef, argText: string, ctx: CommandContext): Answer {
  if (cmd.chatOnly && (!ctx.chat || !ctx.reminders)) return errorAnswer(cmd.name, `/${cmd.name} 只能在飞书群聊或单聊中使用`, ["/帮助"]);
  if (cmd.permission === "admin" && !ctx.chat?.isAdmin) return errorAnswer(cmd.name, `只有管理员（BOT_ADMINS）可以使用 /${cmd.name}`);
  if (cmd.permission === "owner" && !ctx.chat?.isAdmin && !ctx.chat?.isOwner) return errorAnswer(cmd.name, `只有群主或管理员可以使用 /${cmd.name}`);
  const parsed = cmd.schema.safeParse(cmd.read(argText, ctx));
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => i.message).join("；");
    return errorAnswer(cmd.name, `参数不对：${why}`, [`用法：${cmd.usage}`, `例如：${cmd.example}`]);
  }
  try {
    return cmd.run(parsed.data, ctx);
  } catch (e) {
    // A bug must not become a silent wrong number: say so and keep the bot alive.
    return errorAnswer(cmd.name, "处理这条消息时出错了，请换个说法再试", [`例如：${cmd.example}`], [String((e as Error).message ?? e)]);
  }
}

/** `/name args` at the start of a message (after @-mentions), or null for free text. */
export function slashCommand(message: string): { name: string; args: string } | null {
  const m = /^[/／]\s*(\S+?)(?:\s+([\s\S]*))?$/.exec(stripMentions(message.normalize("NFKC")));
  return m ? { name: m[1], args: m[2] ?? "" } : null;
}

export function route(message: string, ctx: CommandContext): Answer {
  const text = stripMentions(message.normalize("NFKC"));
  if (!text) return runCommand(findCommand("帮助")!, "", ctx);
  const slash = slashCommand(text);
  if (slash) {
    const cmd = findCommand(slash.name);
    if (!cmd) {
      return errorAnswer("帮助", `没有「/${slash.name}」这个命令`, COMMANDS.slice(0, 6).map((c) => c.example).concat("/帮助"));
    }
    return runCommand(cmd, slash.args, ctx);
  }
  if (/^(帮助|help|菜单)$/i.test(text)) return runCommand(findCommand("帮助")!, "", ctx);
  return runCommand(findCommand(intentOf(text))!, text, ctx);
}

/** The bot menu (Feishu application menu), derived from the command table. */
export function menuItems(): { key: string; command: string; label: string }[] {
  return COMMANDS.filter((c) => c.menuKey).map((c) => ({ key: c.menuKey!, command: c.name, label: c.summary }));
}
