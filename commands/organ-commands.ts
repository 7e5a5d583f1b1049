/**
 * Commands about one organ: /报告 (a report's key figures and failed checks), /趋势 (a figure
 * over the years) and /对比 (organs side by side).
 */
import { ruleName } from "../parser/index.ts";
import { z } from "zod";
import type { Organ } from "../index/store.ts";
import { type Action, type Cell, choiceAnswer, errorAnswer, issueSummary, makeAnswer, type NumberAnswer, numberAnswer } from "./answer.ts";
import { define } from "./command.ts";
import { type Figure, figureFromKey, figureKey, figureLabel, figureValue, keyFigures } from "./figures.ts";
import { reviewInLibrary } from "./review-commands.ts";
import { unreadProblem } from "./query.ts";
import { figureKeySchema, organKeySchema, yearSchema } from "./schemas.ts";
import { latestYear, pickOrgan, pickReport, pickYear } from "./select.ts";
import { namedOrgans, understand, yearsNamed } from "./understand.ts";

const NEW_APPLICATIONS = "B:new:total";

const missingOrgan = (command: string) => errorAnswer(command, "这个单位已不在资料库中", ["/帮助"]);

// ---------------------------------------------------------------- /报告

const reportArgs = z.object({ organ: organKeySchema, year: yearSchema.optional() });

export const report = define({
  name: "报告",
  aliases: ["年报", "摘要", "report"],
  summary: "一份年报的关键数字和未通过的校验",
  usage: "/报告 <单位> [年份]",
  example: "/报告 西店镇 2019",
  schema: reportArgs,
  read: (text, ctx) => {
    const q = understand(text, ctx.store, ctx.now);
    const year = pickYear("报告", q, (y) => ({ label: `${y} 年`, command: "报告", args: { organ: "", year: y } }));
    const y = "args" in year ? year.args.year : undefined;
    const picked = pickOrgan("报告", q, ctx.store, (o) => ({ label: ctx.store.displayName(o), command: "报告", args: { organ: o.key, year: y } }), y);
    if ("answer" in picked) return picked;
    if ("answer" in year) return { answer: choiceAnswer("报告", "一次问到了几个年份，请选一个", yearsNamed(q).map((x) => ({ label: `${ctx.store.displayName(picked.organ)} ${x} 年`, command: "报告", args: { organ: picked.organ.key, year: x } }))) };
    return { args: { organ: picked.organ.key, year: y }, notes: picked.notes };
  },
  run: ({ organ: key, year }, ctx, notes) => {
    const organ = ctx.store.organByKey(key);
    if (!organ) return missingOrgan("报告");
    const picked = pickReport("报告", organ, year, ctx.store);
    if ("answer" in picked) return picked.answer;
    const r = picked.report;
    const review = reviewInLibrary(ctx, organ, r);
    const name = ctx.store.displayName(organ);
    return makeAnswer({
      kind: "report",
      command: "报告",
      title: `${r.organ} ${r.year} 年政府信息公开工作年度报告`,
      table: { columns: ["指标", "数值"], rows: keyFigures(r).map((f) => [f.label, f.value]) },
      lines: [
        `格式：${r.template === "2021" ? "2021版（国办公开办函〔2021〕30号）" : "2019版（国办公开办函〔2019〕60号）"}${r.published ? `；发布日期：${r.published}` : ""}`,
        `审查：${review.verdict}`,
        ...review.findings.slice(0, 8).map((c) => `${c.severity === "错误" ? "✗" : "⚠"} ${c.severity}·${ruleName(c.id)}：${c.detail}`),
        ...(review.findings.length > 8 ? [`另有 ${review.findings.length - 8} 项，见 /校验`] : []),
        ...notes,
        ...picked.notes,
      ],
      actions: [
        { label: `${name} 近年趋势`, command: "趋势", args: { organ: organ.key, figure: NEW_APPLICATIONS } },
        { label: "校验详情", command: "校验", args: { organ: organ.key, year: r.year! } },
      ],
      tone: review.counts.错误 ? "warn" : "ok",
    });
  },
});


// ---------------------------------------------------------------- /趋势

const trendArgs = z.object({
  organ: organKeySchema,
  figure: figureKeySchema,
  /** The last N reports; absent: all. */
  last: z.number().int().min(1).max(30).optional(),
  from: yearSchema.optional(),
  to: yearSchema.optional(),
});

/** Figures whose meaning changed between the 2019 and 2021 templates. */
const changedMeaning = (f: Figure) => f.kind === "A";

export const trend = define({
  name: "趋势",
  aliases: ["历年", "trend"],
  summary: "一个单位某个指标的历年数字",
  usage: "/趋势 <单位> <指标>",
  example: "/趋势 西店镇 依申请数",
  schema: trendArgs,
  read: (text, ctx) => {
    const { store } = ctx;
    const q = understand(text, store, ctx.now);
    const fig = q.figure.kind === "figure" ? figureKey(q.figure.figure) : NEW_APPLICATIONS;
    const picked = pickOrgan("趋势", q, store, (o) => ({ label: `${store.displayName(o)} 近年趋势`, command: "趋势", args: { organ: o.key, figure: fig } }));
    if ("answer" in picked) return picked;
    const problem = unreadProblem(q);
    if (problem) return { answer: errorAnswer("趋势", problem) };
    const name = store.displayName(picked.organ);
    if (q.figure.kind === "choice") {
      return { answer: choiceAnswer("趋势", `${name}：${q.figure.why}，请选一项`, q.figure.options.map((f) => ({ label: `${name} ${figureLabel(f)} 趋势`, command: "趋势", args: { organ: picked.organ.key, figure: figureKey(f) } }))) };
    }
    const notes = [...picked.notes];
    if (q.figure.kind === "none") notes.push("未指定指标，按依申请数（本年新收申请）显示");
    const span = q.years.find((y) => y.kind === "lastN" || y.kind === "range");
    const args = { organ: picked.organ.key, figure: fig } as z.input<typeof trendArgs>;
    if (span?.kind === "lastN" && span.n > 0) args.last = span.n;
    if (span?.kind === "range") [args.from, args.to] = [span.from, span.to];
    return { args, notes };
  },
  run: ({ organ: key, figure: fk, last, from, to }, ctx, notes) => {
    const organ = ctx.store.organByKey(key);
    if (!organ) return missingOrgan("趋势");
    const figure = figureFromKey(fk)!;
    const name = ctx.store.displayName(organ);
    let years = [...organ.reports.keys()].sort((a, b) => a - b);
    if (from !== undefined) years = years.filter((y) => y >= from && y <= (to ?? 9999));
    if (last) years = years.slice(-last);
    if (!years.length) return errorAnswer("趋势", `${name} 没有这些年份的年报`, [`已有：${[...organ.reports.keys()].sort().join("、")} 年`]);
    const label = figureLabel(figure, organ.reports.get(years[years.length - 1])!.template);
    const answers: NumberAnswer[] = [];
    const rows: Cell[][] = [];
    for (const y of years) {
      const r = organ.reports.get(y)!;
      const v = figureValue(r, figure);
      rows.push([y, v.value, v.value === null ? v.missing ?? "" : issueSummary(r, v.cells)]);
      if (v.value !== null) answers.push(numberAnswer(r, organ, name, { key: fk, label }, v));
    }
    const lines = [...notes];
    const templates = new Set(years.map((y) => organ.reports.get(y)!.template));
    if (templates.size > 1 && changedMeaning(figure)) lines.push("注意：2019版与2021版表格口径不同，跨 2020→2021 年的变化不可直接比较");
    const withIssues = rows.filter((r) => r[2] && r[1] !== null).length;
    if (withIssues) lines.push(`⚠ ${withIssues} 年的年报自身校验有问题，见「说明」列`);
    return makeAnswer({
      kind: "trend",
      command: "趋势",
      title: `${name} ${label}（${years[0]}–${years[years.length - 1]}）`,
      answers,
      table: { columns: ["年份", label, "说明"], rows },
      lines,
      actions: [{ label: `查看 ${name} ${years[years.length - 1]} 年报`, command: "报告", args: { organ: organ.key, year: years[years.length - 1] } }],
      tone: withIssues ? "warn" : "ok",
    });
  },
});

// ---------------------------------------------------------------- /对比

const compareArgs = z.object({
  organs: z.array(organKeySchema).min(2, "请给出至少两个单位").max(10, "一次最多对比 10 个单位"),
  year: yearSchema.optional(),
  figure: figureKeySchema,
});

export const compare = define({
  name: "对比",
  aliases: ["比较", "compare"],
  summary: "几个单位同一指标的对比",
  usage: "/对比 <单位A> <单位B> [年份] <指标>",
  example: "/对比 李楼镇 西店镇 依申请数",
  schema: compareArgs,
  read: (text, ctx) => {
    const { store } = ctx;
    const q = understand(text, store, ctx.now);
    const organs = namedOrgans(q);
    if (organs.length < 2) {
      const picked = pickOrgan("对比", q, store, (o) => ({ label: store.displayName(o), command: "报告", args: { organ: o.key } }));
      if ("answer" in picked && organs.length === 0) return picked;
      return { answer: errorAnswer("对比", "请给出两个单位", ["/对比 李楼镇 西店镇 依申请数"]) };
    }
    const problem = unreadProblem(q);
    if (problem) return { answer: errorAnswer("对比", problem) };
    const year = pickYear("对比", q, (y) => ({ label: `${y} 年`, command: "对比", args: { organs: organs.map((o) => o.key), year: y, figure: NEW_APPLICATIONS } }));
    if ("answer" in year) return year;
    if (q.figure.kind === "choice") {
      return { answer: choiceAnswer("对比", `${q.figure.why}，请选一项`, q.figure.options.map((f) => ({ label: `对比 ${figureLabel(f)}`, command: "对比", args: { organs: organs.map((o) => o.key), year: year.args.year, figure: figureKey(f) } }))) };
    }
    const notes = q.figure.kind === "none" ? ["未指定指标，按依申请数（本年新收申请）对比"] : [];
    return { args: { organs: organs.map((o) => o.key), year: year.args.year, figure: q.figure.kind === "figure" ? figureKey(q.figure.figure) : NEW_APPLICATIONS }, notes };
  },
  run: ({ organs: keys, year, figure: fk }, ctx, notes) => {
    const figure = figureFromKey(fk)!;
    const organs = keys.map((k) => ctx.store.organByKey(k));
    if (organs.some((o) => !o)) return missingOrgan("对比");
    const label = figureLabel(figure);
    const answers: NumberAnswer[] = [];
    const rows: Cell[][] = [];
    const usedYears = new Set<number>();
    const actions: Action[] = [];
    for (const organ of organs as Organ[]) {
      const name = ctx.store.displayName(organ);
      const y = year ?? latestYear(organ);
      const r = organ.reports.get(y);
      if (!r) {
        rows.push([name, y, null, `没有 ${y} 年的年报`]);
        continue;
      }
      usedYears.add(y);
      const v = figureValue(r, figure);
      rows.push([name, y, v.value, v.value === null ? v.missing ?? "" : issueSummary(r, v.cells)]);
      if (v.value !== null) answers.push(numberAnswer(r, organ, name, { key: fk, label }, v));
      actions.push({ label: `${name} 近年趋势`, command: "趋势", args: { organ: organ.key, figure: fk } });
    }
    const lines = [...notes];
    if (usedYears.size > 1) lines.push(`注意：比较的是不同年份的年报（${[...usedYears].sort().join("、")} 年），未指定年份时各取最新一期`);
    const withIssues = rows.filter((r) => r[3] && r[2] !== null).length;
    if (withIssues) lines.push("⚠ 有单位的年报自身校验有问题，见「说明」列");
    return makeAnswer({
      kind: "compare",
      command: "对比",
      title: `${label}对比${year ? `（${year} 年）` : ""}`,
      answers,
      table: { columns: ["单位", "年份", label, "说明"], rows },
      lines,
      actions,
      tone: withIssues || usedYears.size > 1 ? "warn" : "ok",
    });
  },
});

