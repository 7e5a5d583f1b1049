/**
 * The command table. Each command is one entry: its name, Chinese aliases, a summary, the
 * zod schema of its arguments, how to read them from a chat message, and what it does.
 * Routing, /帮助 and the Feishu bot menu are all derived from this one table.
 */
import { z } from "zod";
import type { Organ, ReportStore } from "../index/store.ts";
import type { Report } from "../parser/index.ts";
import {
  type Answer,
  checkName,
  errorAnswer,
  fmt,
  makeAnswer,
  type NumberAnswer,
  numberAnswer,
} from "./answer.ts";
import { keyFigures } from "./format.ts";
import { METRICS, type Metric, metricLabel, metricValue } from "./metrics.ts";
import { parseMetric, parseYear, type Question, understand } from "./understand.ts";
import type { WorkCalendar } from "./calendar.ts";
import { type ReminderSettingsPort, remindersBetween } from "./reminders.ts";

/** Who is asking, where: set by the Feishu layer (absent in the console and CLIs). */
export interface ChatContext {
  chatId: string;
  openId: string;
  isAdmin: boolean;
  isOwner: boolean;
}

export interface CommandContext {
  store: ReportStore;
  now: Date;
  chat?: ChatContext;
  reminders?: { settings: ReminderSettingsPort; calendar: WorkCalendar; roster: string[] };
}

export interface CommandDef<S extends z.ZodTypeAny = z.ZodTypeAny> {
  name: string;
  aliases: string[];
  summary: string;
  usage: string;
  example: string;
  /** Key of the bot menu item that runs this command with no arguments, if any. */
  menuKey?: string;
  /** Who may run it: group owner or BOT_ADMINS ("owner"), BOT_ADMINS only ("admin"). */
  permission?: "owner" | "admin";
  /** Only makes sense inside a Feishu chat. */
  chatOnly?: boolean;
  schema: S;
  /** The words after the command → raw arguments, checked by `schema`. */
  read: (argText: string, ctx: CommandContext) => unknown;
  run: (args: z.infer<S>, ctx: CommandContext) => Answer;
}

const define = <S extends z.ZodTypeAny>(c: CommandDef<S>): CommandDef<S> => c;

/** Commands that read their words as a question (organ, year, figure in any order). */
function freeText(required?: string) {
  return {
    schema: z.object({ text: required ? z.string().trim().min(1, required) : z.string().trim().default("") }),
    read: (argText: string) => ({ text: argText }),
  };
}

const yearSchema = z.number().int().min(2008, "年份太早：年报从 2008 年开始").max(2100, "年份不对");
const metricSchema = z.string().min(1, "请说明要查的指标，例如：依申请数、予以公开、行政复议");
const metricOf = (key: string) => METRICS.find((m) => m.key === key)!;
const TOWNSHIP = /(?:镇|乡|街道)(?:人民政府|办事处)?$/;

// ---------------------------------------------------------------- helpers

function organNotFound(command: string, q: Question, store: ReportStore): Answer {
  const name = q.unknownName;
  if (!name) return errorAnswer(command, "请说明要查哪个单位，例如：李楼镇 2020 依申请数", exampleSuggestions(store));
  const similar = store.similarOrgans(name);
  if (similar.length) {
    return errorAnswer(
      command,
      `没有找到「${name}」的年报`,
      similar.map((o) => `您是不是要找：${store.displayName(o)}？`),
    );
  }
  return errorAnswer(command, `没有找到「${name}」的年报`, [`已收录 ${store.organs.length} 个单位，可以输入 /报告 单位名 查看`]);
}

function exampleSuggestions(store: ReportStore): string[] {
  const o = store.organs[0];
  if (!o) return [];
  const y = Math.max(...o.reports.keys());
  return [`${store.displayName(o)} ${y} 依申请数`, `/报告 ${store.displayName(o)} ${y}`];
}

/** Pick the organ (and its report) a question means; several same-named organs need a year or region. */
function pickReport(
  command: string,
  q: Question,
  store: ReportStore,
): { organ: Organ; report: Report; note?: string } | Answer {
  if (!q.organ) return organNotFound(command, q, store);
  const organs = q.organ.organs;
  const year = q.year?.year;
  if (year !== undefined) {
    const withYear = organs.filter((o) => o.reports.has(year));
    if (withYear.length === 1) return { organ: withYear[0], report: withYear[0].reports.get(year)! };
    if (withYear.length > 1) {
      return errorAnswer(command, `有 ${withYear.length} 个「${q.organ.alias}」，请加上所属地区`, withYear.map((o) => `${o.region ?? ""}${o.short} ${year}`));
    }
    const years = organs.flatMap((o) => [...o.reports.keys()].map((y) => `${store.displayName(o)} ${y}`));
    return errorAnswer(command, `没有「${q.organ.alias}」${year} 年的年报`, years.slice(0, 6).map((s) => `已有：${s}`));
  }
  if (organs.length > 1) {
    return errorAnswer(command, `有 ${organs.length} 个「${q.organ.alias}」，请加上所属地区或年份`, organs.map((o) => `${o.region ?? ""}${o.short}`));
  }
  const organ = organs[0];
  const latest = Math.max(...organ.reports.keys());
  return { organ, report: organ.reports.get(latest)!, note: `未指定年份，按最新一期（${latest} 年）回答` };
}

const isAnswer = (x: unknown): x is Answer => typeof x === "object" && x !== null && "kind" in x && "text" in x;

function metricByName(text: string): { metric: Metric; column: string } | null {
  const m = parseMetric(text.replace(/\s+/g, ""));
  return m.metric ? { metric: m.metric, column: m.column } : null;
}

// ---------------------------------------------------------------- commands

const query = define({
  name: "查询",
  aliases: ["查", "query"],
  summary: "查一个单位某年的一个数字，并给出出处和年报自身的校验问题",
  usage: "/查询 <单位> <年份> <指标>",
  example: "/查询 李楼镇 2020 依申请数",
  ...freeText("请输入要查询的内容，例如：李楼镇 2020 依申请数"),
  run: ({ text }, ctx) => {
    const q = understand(text, ctx.store, ctx.now);
    if (q.year?.lastN && q.organ && q.metric.metric) return trend.run({ text }, ctx);
    // Two organs in one question (「西店镇和李楼镇 2020 依申请数」) is a comparison.
    if (q.organ && q.metric.metric) {
      const other = ctx.store.findOrgan(text.normalize("NFKC").replace(/\s+/g, "").replace(q.organ.alias, " "));
      if (other && !other.organs.some((o) => q.organ!.organs.includes(o))) return compare.run({ text }, ctx);
    }
    if (q.metric.ambiguous) {
      const who = `${q.organ?.alias ?? ""} ${q.year?.year ?? ""}`.trim();
      return errorAnswer(
        "查询",
        `这个问题同时问到了${q.metric.ambiguous.map((m) => `「${m.label}」`).join("和")}，请一次问一项`,
        q.metric.ambiguous.map((m) => `${who} ${m.phrases[0]}`.trim()),
      );
    }
    if (!q.metric.metric) {
      if (q.organ) return report.run({ text }, ctx);
      return organNotFound("查询", q, ctx.store);
    }
    const picked = pickReport("查询", q, ctx.store);
    if (isAnswer(picked)) return picked;
    const { organ, report: r, note } = picked;
    const metric = q.metric.metric;
    const v = metricValue(r, metric, q.metric.column);
    const label = metricLabel(metric, q.metric.column);
    const title = `${ctx.store.displayName(organ)} ${r.year} 年 ${label}`;
    if (v.value === null) {
      return errorAnswer("查询", `${title}：无法给出数字`, [`/报告 ${ctx.store.displayName(organ)} ${r.year}`], [`原因：${v.missing}`]);
    }
    const a = numberAnswer(r, organ, { key: metric.key, label }, v);
    return makeAnswer({
      kind: "number",
      command: "查询",
      title,
      answers: [a],
      lines: note ? [note] : [],
      context: { organ: ctx.store.displayName(organ), year: r.year!, metric: label },
    });
  },
});

const report = define({
  name: "报告",
  aliases: ["年报", "摘要", "report"],
  summary: "一份年报的关键数字和未通过的校验",
  usage: "/报告 <单位> [年份]",
  example: "/报告 西店镇 2019",
  ...freeText("请说明单位，例如：/报告 西店镇 2019"),
  run: ({ text }, ctx) => {
    const q = understand(text, ctx.store, ctx.now);
    const picked = pickReport("报告", q, ctx.store);
    if (isAnswer(picked)) return picked;
    const { organ, report: r, note } = picked;
    const failed = r.checks.filter((c) => !c.ok);
    return makeAnswer({
      kind: "report",
      command: "报告",
      title: `${r.organ} ${r.year} 年政府信息公开工作年度报告`,
      table: { columns: ["指标", "数值"], rows: keyFigures(r).map((f) => [f.label, f.value]) },
      lines: [
        `格式：${r.template === "2021" ? "2021版（国办公开办函〔2021〕30号）" : "2019版（国办公开办函〔2019〕60号）"}${r.published ? `；发布日期：${r.published}` : ""}；文件：${r.file.split("/").pop()}`,
        failed.length ? `校验未通过 ${failed.length} 项：` : "勾稽校验：全部通过",
        ...failed.map((c) => `✗ ${checkName(c.id)}：${c.detail}`),
        ...(note ? [note] : []),
      ],
      context: { organ: ctx.store.displayName(organ), year: r.year! },
    });
  },
});

const trend = define({
  name: "趋势",
  aliases: ["历年", "trend"],
  summary: "一个单位某个指标的历年数字",
  usage: "/趋势 <单位> <指标>",
  example: "/趋势 西店镇 依申请数",
  ...freeText("请说明单位和指标，例如：/趋势 西店镇 依申请数"),
  run: ({ text }, ctx) => {
    const q = understand(text, ctx.store, ctx.now);
    if (!q.organ) return organNotFound("趋势", q, ctx.store);
    const metric = q.metric.metric ?? metricOf("new");
    if (q.organ.organs.length > 1) {
      return errorAnswer("趋势", `有 ${q.organ.organs.length} 个「${q.organ.alias}」，请加上所属地区`, q.organ.organs.map((o) => `/趋势 ${o.region ?? ""}${o.short} ${metric.label}`));
    }
    const organ = q.organ.organs[0];
    let years = [...organ.reports.keys()].sort((a, b) => a - b);
    if (q.year?.lastN) years = years.slice(-q.year.lastN);
    const label = metricLabel(metric, q.metric.column);
    const answers: NumberAnswer[] = [];
    const rows: (string | number | null)[][] = [];
    for (const y of years) {
      const r = organ.reports.get(y)!;
      const v = metricValue(r, metric, q.metric.column);
      rows.push([y, v.value, v.value === null ? v.missing ?? "" : ""]);
      if (v.value !== null) answers.push(numberAnswer(r, organ, { key: metric.key, label }, v));
    }
    const lines: string[] = [];
    if (metric.key === "fees" || metric.key.startsWith("normative")) lines.push("注意：2019版与2021版表格口径不同，跨 2020→2021 年的变化不可直接比较");
    return makeAnswer({
      kind: "trend",
      command: "趋势",
      title: `${ctx.store.displayName(organ)} ${label}（${years[0]}–${years[years.length - 1]}）`,
      answers,
      table: { columns: ["年份", label, "说明"], rows },
      lines,
      context: { organ: ctx.store.displayName(organ), metric: label },
    });
  },
});

function scopeFilter(text: string): { test: (o: Organ) => boolean; label: string } {
  if (/乡镇|街道|镇/.test(text)) return { test: (o) => TOWNSHIP.test(o.name) || TOWNSHIP.test(o.short), label: "乡镇（街道）" };
  if (/部门|局|委/.test(text)) return { test: (o) => !TOWNSHIP.test(o.name), label: "部门" };
  return { test: () => true, label: "单位" };
}

const ranking = define({
  name: "排行",
  aliases: ["排名", "rank"],
  summary: "某年某指标各单位从高到低排序",
  usage: "/排行 <年份> <指标> [前N]",
  example: "/排行 2025 依申请数 前10",
  schema: z.object({
    year: yearSchema,
    metric: metricSchema,
    top: z.number().int().min(1).max(200).default(10),
    scope: z.string().default(""),
  }),
  read: (argText, ctx) => {
    const y = parseYear(argText, ctx.now);
    const top = /前\s*(\d+)|top\s*(\d+)/i.exec(argText);
    const m = metricByName(argText.replace(y?.text ?? "", ""));
    const most = /最多|最高|第一/.test(argText) && !top ? 1 : undefined;
    return { year: y?.year ?? latestYear(ctx), metric: m?.metric.key ?? (/申请/.test(argText) ? "new" : ""), top: top ? Number(top[1] ?? top[2]) : most, scope: argText };
  },
  run: ({ year, metric: key, top, scope }, ctx) => {
    const metric = METRICS.find((m) => m.key === key);
    if (!metric) return errorAnswer("排行", `不认识的指标「${key}」`, ["可用指标：依申请数、予以公开、不予公开、行政复议、行政诉讼……"]);
    const column = parseMetric(scope).column;
    const filter = scopeFilter(scope.replace(/申请|公开/g, ""));
    const rows: { organ: Organ; r: Report; v: ReturnType<typeof metricValue> }[] = [];
    const unknown: string[] = [];
    for (const o of ctx.store.organs) {
      const r = o.reports.get(year);
      if (!r || !filter.test(o)) continue;
      const v = metricValue(r, metric, column);
      if (v.value === null) unknown.push(ctx.store.displayName(o));
      else rows.push({ organ: o, r, v });
    }
    if (rows.length === 0) return errorAnswer("排行", `${year} 年没有可排序的${filter.label}年报`, [`已有年份：${ctx.store.years().join("、")}`]);
    rows.sort((a, b) => b.v.value! - a.v.value!);
    const label = metricLabel(metric, column);
    const shown = rows.slice(0, top);
    return makeAnswer({
      kind: "ranking",
      command: "排行",
      title: `${year} 年${filter.label}${label}排行${top < rows.length ? `（前 ${top}，共 ${rows.length} 个）` : `（共 ${rows.length} 个）`}`,
      answers: shown.map((x) => numberAnswer(x.r, x.organ, { key: metric.key, label }, x.v)),
      table: { columns: ["名次", "单位", label], rows: shown.map((x, i) => [i + 1, ctx.store.displayName(x.organ), x.v.value]) },
      lines: unknown.length ? [`数字无法确定、未参与排序：${unknown.join("、")}`] : [],
      context: { year, metric: label },
    });
  },
});

function latestYear(ctx: CommandContext): number {
  const ys = ctx.store.years();
  return ys[ys.length - 1] ?? ctx.now.getFullYear() - 1;
}

const total = define({
  name: "合计",
  aliases: ["汇总", "总计", "sum"],
  summary: "某年某指标的合计（可限定地区）",
  usage: "/合计 <年份> <指标> [地区]",
  example: "/合计 2025 依申请数 宁海县",
  schema: z.object({ year: yearSchema, metric: metricSchema, region: z.string().default(""), column: z.string().default("total") }),
  read: (argText, ctx) => {
    const y = parseYear(argText, ctx.now);
    let rest = argText.replace(y?.text ?? "", " ");
    const m = parseMetric(rest.replace(/\s+/g, ""));
    for (const t of m.text) rest = rest.replace(t, " ");
    const region = rest.replace(/[\s，,]|全部|所有|一共|总共|合计|乡镇|街道|部门|各/g, "");
    return { year: y?.year ?? latestYear(ctx), metric: m.metric?.key ?? "", region, column: m.column };
  },
  run: ({ year, metric: key, region, column }, ctx) => {
    const metric = METRICS.find((m) => m.key === key);
    if (!metric) return errorAnswer("合计", `不认识的指标「${key}」`, ["例如：/合计 2025 依申请数 宁海县"]);
    if (metric.ratio) return errorAnswer("合计", "公开率不能相加", ["可以用 /排行 查看各单位公开率"]);
    const organs = ctx.store.organs.filter((o) => o.reports.has(year) && (!region || (o.region ?? "").includes(region) || o.name.includes(region)));
    if (organs.length === 0) return errorAnswer("合计", `${year} 年${region ? `「${region}」` : ""}没有年报`, [`已有年份：${ctx.store.years().join("、")}`]);
    let sum = 0;
    const unknown: string[] = [];
    const rows: (string | number | null)[][] = [];
    for (const o of organs) {
      const v = metricValue(o.reports.get(year)!, metric, column);
      rows.push([ctx.store.displayName(o), v.value]);
      if (v.value === null) unknown.push(ctx.store.displayName(o));
      else sum += v.value;
    }
    const label = metricLabel(metric, column);
    const sure = unknown.length === 0;
    return makeAnswer({
      kind: "total",
      command: "合计",
      title: `${year} 年${region || "全部"}${organs.length} 个单位 ${label} 合计：${sure ? fmt(Math.round(sum * 1e6) / 1e6) : `不确定（已知部分 ${fmt(sum)}）`}`,
      table: { columns: ["单位", label], rows },
      lines: sure ? [] : [`以下单位的数字无法确定，合计不完整：${unknown.join("、")}`],
      context: { year, metric: label },
    });
  },
});

const compare = define({
  name: "对比",
  aliases: ["比较", "compare"],
  summary: "两个单位同一指标的对比",
  usage: "/对比 <单位A> <单位B> [年份] <指标>",
  example: "/对比 李楼镇 西店镇 依申请数",
  ...freeText("请说明两个单位和指标，例如：/对比 李楼镇 西店镇 依申请数"),
  run: ({ text }, ctx) => {
    const first = understand(text, ctx.store, ctx.now);
    if (!first.organ) return organNotFound("对比", first, ctx.store);
    const restText = text.normalize("NFKC").replace(/\s+/g, "").replace(first.organ.alias, " ");
    const second = understand(restText, ctx.store, ctx.now);
    if (!second.organ) return errorAnswer("对比", "请给出两个单位", ["/对比 李楼镇 西店镇 依申请数"]);
    const metric = first.metric.metric ?? metricOf("new");
    const column = first.metric.column;
    const label = metricLabel(metric, column);
    const answers: NumberAnswer[] = [];
    const rows: (string | number | null)[][] = [];
    for (const q of [first, second]) {
      const qq = { ...q, year: first.year };
      const picked = pickReport("对比", qq, ctx.store);
      if (isAnswer(picked)) return picked;
      const v = metricValue(picked.report, metric, column);
      rows.push([ctx.store.displayName(picked.organ), picked.report.year, v.value]);
      if (v.value !== null) answers.push(numberAnswer(picked.report, picked.organ, { key: metric.key, label }, v));
    }
    return makeAnswer({ kind: "compare", command: "对比", title: `${label}对比`, answers, table: { columns: ["单位", "年份", label], rows } });
  },
});

const checks = define({
  name: "校验",
  aliases: ["检查", "勾稽", "check"],
  summary: "年报的勾稽校验结果（不给单位则列出所有未通过的年报）",
  usage: "/校验 [单位] [年份]",
  example: "/校验 李楼镇 2020",
  menuKey: "checks",
  ...freeText(),
  run: ({ text }, ctx) => {
    const q = understand(text, ctx.store, ctx.now);
    if (q.organ || q.unknownName) {
      const picked = pickReport("校验", q, ctx.store);
      if (isAnswer(picked)) return picked;
      const r = picked.report;
      return makeAnswer({
        kind: "checks",
        command: "校验",
        title: `${r.organ} ${r.year} 年报勾稽校验`,
        table: { columns: ["校验", "结果", "说明"], rows: r.checks.map((c) => [checkName(c.id), c.ok ? "通过" : "未通过", c.detail]) },
        lines: r.warnings.slice(0, 10).map((w) => `⚠ ${w}`),
        context: { organ: ctx.store.displayName(picked.organ), year: r.year! },
      });
    }
    const year = q.year?.year;
    const rows: (string | number | null)[][] = [];
    for (const o of ctx.store.organs) {
      for (const [y, r] of [...o.reports].sort((a, b) => b[0] - a[0])) {
        if (year !== undefined && y !== year) continue;
        for (const c of r.checks.filter((c) => !c.ok)) rows.push([ctx.store.displayName(o), y, checkName(c.id), c.detail]);
      }
    }
    return makeAnswer({
      kind: "checks",
      command: "校验",
      title: rows.length ? `${year ?? "全部"}年报中未通过的校验：${rows.length} 项` : `${year ?? "全部"}年报的勾稽校验全部通过`,
      table: rows.length ? { columns: ["单位", "年份", "校验", "说明"], rows } : undefined,
    });
  },
});

function snippet(text: string, words: string[], width = 40): string {
  const at = Math.max(0, ...words.map((w) => text.indexOf(w)).filter((i) => i >= 0).slice(0, 1));
  const start = Math.max(0, at - width / 2);
  return `${start > 0 ? "…" : ""}${text.slice(start, start + width * 2).replace(/\s+/g, " ")}…`;
}

const search = define({
  name: "搜索",
  aliases: ["检索", "search"],
  summary: "在年报正文中全文搜索",
  usage: "/搜索 <词>",
  example: "/搜索 信息处理费",
  schema: z.object({ words: z.string().trim().min(1, "请输入要搜索的词，例如：/搜索 信息处理费").max(100, "搜索词太长") }),
  read: (argText) => ({ words: argText }),
  run: ({ words }, ctx) => {
    const hits = ctx.store.fullText(words, 10);
    const parts = words.split(/\s+/).filter(Boolean);
    const exact = hits.filter((h) => h.report.narrative.some((s) => parts.every((p) => s.text.includes(p))));
    const shown = exact.length ? exact : hits;
    if (shown.length === 0) return errorAnswer("搜索", `正文中没有找到「${words}」`);
    return makeAnswer({
      kind: "search",
      command: "搜索",
      title: `「${words}」出现在 ${shown.length} 份年报中`,
      table: {
        columns: ["单位", "年份", "章节", "片段"],
        rows: shown.map((h) => {
          const sec = h.report.narrative.find((s) => parts.some((p) => s.text.includes(p))) ?? h.report.narrative[0];
          return [h.report.organShort ?? h.report.organ, h.report.year, sec.title, snippet(sec.text, parts)];
        }),
      },
    });
  },
});

const unpublished = define({
  name: "未发布",
  aliases: ["未报", "缺报", "missing"],
  summary: "上一年有年报、这一年还没有的单位",
  usage: "/未发布 <年份>",
  example: "/未发布 2025",
  menuKey: "unpublished",
  schema: z.object({ year: yearSchema }),
  read: (argText, ctx) => ({ year: parseYear(argText, ctx.now)?.year ?? ctx.now.getFullYear() - 1 }),
  run: ({ year }, ctx) => {
    const expected = ctx.store.organs.filter((o) => o.reports.has(year - 1));
    const missing = expected.filter((o) => !o.reports.has(year));
    return makeAnswer({
      kind: "unpublished",
      command: "未发布",
      title: expected.length
        ? `${year} 年报：应发布 ${expected.length} 个，已发布 ${expected.length - missing.length} 个，未发布 ${missing.length} 个`
        : `没有 ${year - 1} 年的年报，无法判断 ${year} 年谁还没发布`,
      table: missing.length ? { columns: ["未发布单位", `${year - 1} 年报`], rows: missing.map((o) => [ctx.store.displayName(o), "有"]) } : undefined,
      lines: expected.length ? ["判断依据：上一年有年报的单位，本年应当发布"] : [],
      context: { year },
    });
  },
});

const help = define({
  name: "帮助",
  aliases: ["help", "?", "？"],
  summary: "列出全部命令",
  usage: "/帮助",
  example: "/帮助",
  menuKey: "help",
  schema: z.object({}),
  read: () => ({}),
  run: (_args, ctx) =>
    makeAnswer({
      kind: "help",
      command: "帮助",
      title: "年报助手可以这样问",
      table: { columns: ["命令", "说明", "例子"], rows: COMMANDS.map((c) => [c.usage, c.summary, c.example]) },
      lines: [
        "直接发问也可以，例如：李楼镇 2020 依申请数、西店镇2019年行政复议几件、去年哪个乡镇申请最多、李楼镇 近三年 依申请数",
        `已收录 ${ctx.store.organs.length} 个单位、${ctx.store.reports.length} 份年报（${ctx.store.years().join("、")} 年）`,
      ],
    }),
});

// ---------------------------------------------------------------- reminders

function nextReminders(ctx: CommandContext, chatId: string, limit = 6): (string | number | null)[][] {
  const r = ctx.reminders!;
  const subs = r.settings.subscriptions.filter((s) => s.chatId === chatId);
  const list = remindersBetween({
    store: ctx.store,
    subscriptions: subs,
    locals: r.settings.deadlines,
    calendar: r.calendar,
    roster: r.roster,
    fromMs: ctx.now.getTime(),
    toMs: ctx.now.getTime() + 400 * 86400000,
  });
  return list.slice(0, limit).map((x) => [x.at.slice(0, 16).replace("T", " "), `${x.deadline}（${x.deadlineLabel}）`, x.daysLeft, `${x.published.length}/${x.expected.length}`]);
}

const NEXT_COLUMNS = ["提醒时间", "截止日期", "剩余天数", "已发布/应发布"];

const subscribe = define({
  name: "订阅提醒",
  aliases: ["订阅"],
  summary: "本群订阅年报截止提醒（可限定地区或单位；群主或管理员）",
  usage: "/订阅提醒 [地区或单位]",
  example: "/订阅提醒 宁海县",
  permission: "owner",
  chatOnly: true,
  schema: z.object({ scope: z.string().trim().max(60, "范围太长") }),
  read: (argText) => ({ scope: argText }),
  run: ({ scope }, ctx) => {
    const chat = ctx.chat!;
    ctx.reminders!.settings.subscribe({ chatId: chat.chatId, scope, by: chat.openId, at: ctx.now.toISOString() });
    const rows = nextReminders(ctx, chat.chatId);
    return makeAnswer({
      kind: "reminders",
      command: "订阅提醒",
      title: `已订阅年报截止提醒${scope ? `（范围：${scope}）` : "（全部单位）"}`,
      table: rows.length ? { columns: NEXT_COLUMNS, rows } : undefined,
      lines: [rows.length ? "截止日前 30、14、7、3、1 天及当天 9:30 提醒，遇周末节假日提前到上一个工作日" : `范围「${scope}」内还没有需要提醒的单位（上一年没有年报）`],
    });
  },
});

const unsubscribe = define({
  name: "取消提醒",
  aliases: ["退订"],
  summary: "取消本群的全部年报提醒（群主或管理员）",
  usage: "/取消提醒",
  example: "/取消提醒",
  permission: "owner",
  chatOnly: true,
  schema: z.object({}),
  read: () => ({}),
  run: (_a, ctx) => {
    const n = ctx.reminders!.settings.unsubscribe(ctx.chat!.chatId);
    return makeAnswer({ kind: "reminders", command: "取消提醒", title: n ? `已取消本群的 ${n} 项提醒订阅` : "本群没有订阅提醒" });
  },
});

const reminders = define({
  name: "提醒",
  aliases: ["提醒列表"],
  summary: "本群的提醒订阅和接下来的提醒",
  usage: "/提醒",
  example: "/提醒",
  menuKey: "reminders",
  chatOnly: true,
  schema: z.object({}),
  read: () => ({}),
  run: (_a, ctx) => {
    const subs = ctx.reminders!.settings.subscriptions.filter((s) => s.chatId === ctx.chat!.chatId);
    if (subs.length === 0) return makeAnswer({ kind: "reminders", command: "提醒", title: "本群还没有订阅年报提醒", suggestions: ["/订阅提醒", "/订阅提醒 宁海县"] });
    const rows = nextReminders(ctx, ctx.chat!.chatId);
    return makeAnswer({
      kind: "reminders",
      command: "提醒",
      title: `本群订阅了 ${subs.length} 项年报提醒`,
      table: rows.length ? { columns: NEXT_COLUMNS, rows } : undefined,
      lines: [
        `订阅范围：${subs.map((s) => s.scope || "全部单位").join("、")}`,
        ...ctx.reminders!.settings.deadlines.map((d) => `本地截止日：${d.date} ${d.label}（${d.scope || "全部"}）`),
      ],
    });
  },
});

const setDeadline = define({
  name: "设置截止",
  aliases: ["截止日期"],
  summary: "添加本地截止日期，例如县政务公开办通知（管理员）",
  usage: "/设置截止 <YYYY-MM-DD> <地区或单位> [说明]",
  example: "/设置截止 2027-01-20 宁海县 县政务公开办通知",
  permission: "admin",
  chatOnly: true,
  schema: z.object({
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "日期格式应为 YYYY-MM-DD").refine((d) => !Number.isNaN(Date.parse(d)), "日期不存在"),
    scope: z.string(),
    label: z.string().min(1),
  }),
  read: (argText) => {
    const [date = "", scope = "", ...label] = argText.trim().split(/\s+/);
    return { date, scope: scope === "全部" ? "" : scope, label: label.join(" ") || "本地截止日期" };
  },
  run: (d, ctx) => {
    ctx.reminders!.settings.addDeadline(d);
    return makeAnswer({ kind: "reminders", command: "设置截止", title: `已添加截止日期 ${d.date}（${d.label}，范围：${d.scope || "全部"}）` });
  },
});

const removeDeadline = define({
  name: "删除截止",
  aliases: [],
  summary: "删除一个本地截止日期（管理员）",
  usage: "/删除截止 <YYYY-MM-DD>",
  example: "/删除截止 2027-01-20",
  permission: "admin",
  chatOnly: true,
  schema: z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "日期格式应为 YYYY-MM-DD") }),
  read: (argText) => ({ date: argText.trim() }),
  run: ({ date }, ctx) => {
    const n = ctx.reminders!.settings.removeDeadline(date);
    return makeAnswer({ kind: "reminders", command: "删除截止", title: n ? `已删除 ${date} 的截止日期` : `没有 ${date} 的本地截止日期` });
  },
});

export const COMMANDS: readonly CommandDef[] = Object.freeze([
  query, report, trend, ranking, total, compare, checks, search, unpublished, subscribe, unsubscribe, reminders, setDeadline, removeDeadline, help,
]);

export function findCommand(name: string): CommandDef | undefined {
  return COMMANDS.find((c) => c.name === name || c.aliases.includes(name));
}
