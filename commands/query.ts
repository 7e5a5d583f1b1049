/**
 * /查询: one figure of one organ's report of one year — with where it was printed, how it is
 * made when it is not one cell, and the report's own problems. A change against another year
 * (同比, 比2023年增长了百分之多少, 比去年多了几件) is the same figure in two reports.
 */
import { z } from "zod";
import type { Organ } from "../index/store.ts";
import type { Report } from "../parser/index.ts";
import { type Action, type Answer, choiceAnswer, errorAnswer, fmt, makeAnswer, type NumberAnswer, numberAnswer, sourceOf } from "./answer.ts";
import { type CommandContext, define } from "./command.ts";
import { aColumns, type Figure, figureCells, figureFromKey, figureKey, figureLabel, figureValue, percent } from "./figures.ts";
import { organKeySchema, figureKeySchema, yearSchema } from "./schemas.ts";
import { pickOrgan, pickReport, pickYear } from "./select.ts";
import { namedOrgans, type Question, understand, yearsNamed } from "./understand.ts";

/** A place written somewhere in the question (宁海县, 江苏省): it says where, not which figure. */
const PLACE_WORD = /^[\p{Script=Han}]{1,10}(?:省|市|县|区|旗|州|盟)$|^(?:北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南|四川|贵州|云南|陕西|甘肃|青海|内蒙古|广西|西藏|宁夏|新疆)$/u;

/** Words that would change the figure if the bot ignored them: a question with one left unread gets no number. */
const QUALIFIERS = /率|占|比例|平均|每[个件年月]|增|减|同比|环比|差|最|排|变化|以上|以下|超过|不到|月份|[一二三四]季度|上半年|下半年|前\d|第[一二三四五六七八九十\d]/;

export const queryArgs = z.object({
  organ: organKeySchema,
  year: yearSchema.optional(),
  figure: figureKeySchema,
  /** A change against another year: growth in percent, or the difference. */
  change: z.enum(["growth", "diff"]).optional(),
  /** The year compared with; absent: the year before. */
  base: yearSchema.optional(),
  /** The change was asked as a fall (下降了百分之几): the answer is its size, earlier less later. */
  decline: z.boolean().optional(),
});
export type QueryArgs = z.infer<typeof queryArgs>;

export const queryAction = (label: string, args: QueryArgs, primary = false): Action => ({ label, command: "查询", args, primary });

/** Buttons under a number: the whole report, the figure over the years, the report's checks. */
export function followUps(organ: Organ, year: number, figure: string, displayName: string): Action[] {
  return [
    { label: "查看完整报告", command: "报告", args: { organ: organ.key, year }, primary: true },
    { label: "近年趋势", command: "趋势", args: { organ: organ.key, figure } },
    { label: "校验", command: "校验", args: { organ: organ.key, year } },
  ].map((a) => ({ ...a, label: a.label === "近年趋势" ? `${displayName} 近年趋势` : a.label }));
}

/** Why a question cannot be answered with one number, or null when it can. */
export function unreadProblem(q: Question): string | null {
  if (q.unknownWords.length) return `没看懂「${q.unknownWords.join(" ")}」，请用中文说明要查的单位和指标`;
  const m = QUALIFIERS.exec(q.unread);
  if (m) return `问题里的「${q.unread.split(" ").find((w) => w.includes(m[0])) ?? m[0]}」还不会计算`;
  // Any other word the bot did not read may change the figure (「驳回」, 「按时」): no number for it.
  // Place names say where, not what, and stay allowed (西店镇（宁海县）).
  const word = q.unread.split(" ").find((w) => w && !PLACE_WORD.test(w));
  if (word) return `没看懂「${word}」，为免答错，请换个说法（例如用年报表格里的名称）`;
  return null;
}

export function readQuery(text: string, ctx: CommandContext, q: Question = understand(text, ctx.store, ctx.now)) {
  const { store } = ctx;
  const problem = unreadProblem(q);
  const figureRead = q.figure;
  const firstFigure = figureRead.kind === "figure" ? figureRead.figure : null;
  const yearRead = pickYear("查询", q, (y) => queryAction(`${y} 年`, { organ: "", year: y, figure: firstFigure ? figureKey(firstFigure) : "B:new:total" }));
  const year = "args" in yearRead ? yearRead.args.year : undefined;
  const organPick = pickOrgan("查询", q, store, (o) =>
    queryAction(`${store.displayName(o)}${year ? ` ${year} 年` : ""}${firstFigure ? ` ${figureLabel(firstFigure)}` : ""}`, {
      organ: o.key,
      year,
      figure: firstFigure ? figureKey(firstFigure) : "B:new:total",
    }),
    year,
  );
  if ("answer" in organPick) return organPick;
  const { organ } = organPick;
  const notes = [...organPick.notes, ...(q.assumed ?? [])];
  const named = namedOrgans(q);
  const name = store.displayName(organ);
  if (named.length > 1) {
    const fig = firstFigure ? figureKey(firstFigure) : "B:new:total";
    return {
      answer: choiceAnswer("查询", `一次问到了 ${named.length} 个单位，请选一个，或者对比`, [
        ...named.map((o) => queryAction(`${store.displayName(o)}${year ? ` ${year} 年` : ""} ${firstFigure ? figureLabel(firstFigure) : "依申请数"}`, { organ: o.key, year, figure: fig })),
        { label: "对比这几个单位", command: "对比", args: { organs: named.map((o) => o.key), year, figure: fig } },
      ]),
    };
  }
  if ("answer" in yearRead) {
    const fig = firstFigure ? figureKey(firstFigure) : "B:new:total";
    const years = yearsNamed(q);
    return {
      answer: choiceAnswer("查询", `一次问到了 ${new Set(years).size} 个年份，请选一个`, [
        ...[...new Set(years)].map((y) => queryAction(`${name} ${y} 年 ${firstFigure ? figureLabel(firstFigure) : ""}`.trim(), { organ: organ.key, year: y, figure: fig })),
        { label: `${name} 历年趋势`, command: "趋势", args: { organ: organ.key, figure: fig } },
      ]),
    };
  }
  if (problem) return { answer: errorAnswer("查询", problem, [`例如：${name} ${year ?? ""} 依申请数`.replace(/\s+/g, " ")]) };
  if (figureRead.kind === "choice" && figureRead.options.length === 0) {
    return { answer: errorAnswer("查询", `${name}${year ? ` ${year} 年` : ""}：${figureRead.why}`, [`请换个说法，例如：${name} ${year ?? ""} 依申请数`.replace(/\s+/g, " ")]) };
  }
  if (figureRead.kind === "choice") {
    const report = organ.reports.get(year ?? Math.max(...organ.reports.keys()));
    const options = report ? figureRead.options.filter((f) => !("absent" in figureCells(f, report.template, report))) : figureRead.options;
    // 「行政许可多少」 of a 2021 report: its template has one column, so that is the one asked.
    if (figureRead.oneOf && options.length === 1) return { args: { organ: organ.key, year, figure: figureKey(options[0]) }, notes };
    return {
      answer: choiceAnswer(
        "查询",
        `${name}${year ? ` ${year} 年` : ""}：${figureRead.why}，请选一项`,
        (options.length ? options : figureRead.options).map((f) => queryAction(figureLabel(f, report?.template), { organ: organ.key, year, figure: figureKey(f) })),
      ),
    };
  }
  if (figureRead.kind === "none") {
    return { answer: errorAnswer("查询", `请说明要查${name}的哪个数字`, [`${name} ${year ?? ""} 依申请数`.replace(/\s+/g, " "), `/报告 ${name}${year ? ` ${year}` : ""}`]) };
  }
  const change = figureRead.change ?? (q.baseYear !== undefined ? "diff" : undefined);
  const base = change && q.baseYear !== undefined && q.baseYear > 0 ? q.baseYear : undefined;
  const decline = figureRead.decline && change ? true : undefined;
  return { args: { organ: organ.key, year, figure: figureKey(figureRead.figure), change, base, ...(decline ? { decline } : {}) }, notes };
}

function organNotInLibrary(key: string): Answer {
  return errorAnswer("查询", "这个单位已不在资料库中", [`（${key}）`, "/帮助"]);
}

export function runQuery(args: QueryArgs, ctx: CommandContext, notes: string[]): Answer {
  const { store } = ctx;
  const organ = store.organByKey(args.organ);
  if (!organ) return organNotInLibrary(args.organ);
  const name = store.displayName(organ);
  const picked = pickReport("查询", organ, args.year, store);
  if ("answer" in picked) return picked.answer;
  const r = picked.report;
  const allNotes = [...notes, ...picked.notes];
  const figure = figureFromKey(args.figure)!;
  const label = figureLabel(figure, r.template);
  const title = `${name} ${r.year} 年 ${label}`;
  const v = figureValue(r, figure);
  if (v.value === null) return noValue(title, v.missing ?? "", organ, r, figure, name, allNotes);
  if (args.change) return changeAnswer(args, organ, name, r, figure, label, allNotes);
  const a = numberAnswer(r, organ, name, { key: args.figure, label }, v);
  return makeAnswer({
    kind: "number",
    command: "查询",
    title,
    answers: [a],
    lines: allNotes,
    actions: followUps(organ, r.year!, args.figure, name),
    tone: a.issues.length || notes.length ? "warn" : "ok",
  });
}

function noValue(title: string, missing: string, organ: Organ, r: Report, figure: Figure, name: string, notes: string[]): Answer {
  const lines = [`原因：${missing}`, ...notes];
  // A figure the template does not have: offer the ones of the same item it does have.
  const near: Action[] = [];
  if (figure.kind === "A" && "absent" in figureCells(figure, r.template)) {
    for (const column of aColumns(figure.item)) {
      const f: Figure = { kind: "A", item: figure.item, column };
      if (!("absent" in figureCells(f, r.template))) near.push(queryAction(figureLabel(f, r.template), { organ: organ.key, year: r.year!, figure: figureKey(f) }));
    }
  }
  return errorAnswer("查询", `${title}：无法给出数字`, [], lines, [...near, { label: `查看 ${name} ${r.year} 年报`, command: "报告", args: { organ: organ.key, year: r.year! } }]);
}

function changeAnswer(args: QueryArgs, organ: Organ, name: string, r: Report, figure: Figure, label: string, notes: string[]): Answer {
  const year = r.year!;
  const baseYear = args.base ?? year - 1;
  const baseReport = organ.reports.get(baseYear);
  const what = args.change === "growth" ? (args.decline ? "下降幅度" : "增长率") : args.decline ? "减少" : "增减";
  const title = `${name} ${year} 年 ${label}${what}（与 ${baseYear} 年相比）`;
  if (!baseReport) return errorAnswer("查询", `${title}：无法计算`, [], [`没有 ${name} ${baseYear} 年的年报`, ...notes]);
  const now = figureValue(r, figure);
  const before = figureValue(baseReport, figure);
  if (before.value === null) return errorAnswer("查询", `${title}：无法计算`, [], [`${baseYear} 年：${before.missing}`, ...notes]);
  if (r.template !== baseReport.template && figure.kind === "A") notes.push(`注意：${baseYear} 年与 ${year} 年的表格格式不同，口径可能不可比`);
  const diff = Math.round((now.value! - before.value) * 1e6) / 1e6;
  if (args.change === "growth" && before.value === 0) return errorAnswer("查询", `${title}：无法计算`, [], [`${baseYear} 年为 0，增长率没有意义（增加了 ${fmt(diff, now.unit)}）`, ...notes]);
  // Asked as a fall, the answer is its size: earlier less later (negative when it rose, said so).
  const signed = args.decline ? -diff : diff;
  const value = args.change === "growth" ? percent(signed, before.value) : signed;
  if (args.decline && diff > 0) notes.push(`注意：${year} 年比 ${baseYear} 年没有减少，反而增加了 ${fmt(diff, now.unit)}`);
  const a: NumberAnswer = {
    ...numberAnswer(r, organ, name, { key: args.figure, label: `${label}${what}（${year} 比 ${baseYear}）` }, { ...now, value }),
    unit: args.change === "growth" ? "%" : now.unit,
    definition:
      args.decline
        ? args.change === "growth"
          ? `下降幅度 =（${baseYear} 年 ${fmt(before.value, now.unit)} − ${year} 年 ${fmt(now.value, now.unit)}）÷ ${baseYear} 年，保留一位小数`
          : `减少 = ${baseYear} 年 ${fmt(before.value, now.unit)} − ${year} 年 ${fmt(now.value, now.unit)}`
        : args.change === "growth"
          ? `增长率 =（${year} 年 ${fmt(now.value, now.unit)} − ${baseYear} 年 ${fmt(before.value, now.unit)}）÷ ${baseYear} 年，保留一位小数`
          : `增减 = ${year} 年 ${fmt(now.value, now.unit)} − ${baseYear} 年 ${fmt(before.value, now.unit)}`,
    cells: [...now.cells],
  };
  a.provenance = [...a.provenance, ...before.cells.map((c) => sourceOf(baseReport, name, c))];
  const issues = [...a.issues, ...numberAnswer(baseReport, organ, name, { key: args.figure, label }, before).issues.map((i) => `${baseYear} 年：${i}`)];
  a.issues = issues;
  return makeAnswer({
    kind: "number",
    command: "查询",
    title,
    answers: [a],
    lines: notes,
    actions: followUps(organ, year, args.figure, name),
    tone: issues.length || notes.length ? "warn" : "ok",
  });
}

export const query = define({
  name: "查询",
  aliases: ["查", "query"],
  summary: "查一个单位某年的一个数字，并给出出处和年报自身的校验问题",
  usage: "/查询 <单位> <年份> <指标>",
  example: "/查询 李楼镇 2020 依申请数",
  schema: queryArgs,
  read: (text, ctx) => readQuery(text, ctx),
  run: runQuery,
});
