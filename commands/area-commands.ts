/**
 * Commands over many organs of one year: /排行, /合计 (across organs; 「一共」 about one organ is
 * a /查询), /未发布. Each row carries its report's own problems; ties are shown as 并列.
 */
import { z } from "zod";
import type { Organ, ReportStore } from "../index/store.ts";
import { inArea } from "../index/organs.ts";
import { LEVEL_LABELS, type OrganLevel, placeCore } from "../parser/index.ts";
import { type Answer, type Cell, choiceAnswer, errorAnswer, fmt, issueSummary, makeAnswer, numberAnswer } from "./answer.ts";
import { type CommandContext, define } from "./command.ts";
import { figureFromKey, figureKey, figureLabel, figureValue, summable } from "./figures.ts";
import { unreadProblem } from "./query.ts";
import { figureKeySchema, yearSchema } from "./schemas.ts";
import { namedOrgans, type Question, understand, yearsNamed } from "./understand.ts";

const scopeArgs = {
  level: z.enum(["province", "city", "county", "township", "department"]).optional(),
  /** A place: organs in it (its own government and everything under it). */
  area: z.string().max(40, "地区名太长").optional(),
};

/** Which organs a question is about: a level (乡镇, 部门) and an area (宁海县). */
export function readScope(q: Question): { level?: OrganLevel; area?: string } {
  const out: { level?: OrganLevel; area?: string } = {};
  // Only words nobody read as an organ or a figure: 「西店镇」 is an organ, 「办理结果」 a figure.
  const words = q.unread.split(" ");
  if (/乡镇|街道|各镇|各乡/.test(q.unread) || words.some((w) => /^(?:镇|乡|镇街)$/.test(w))) out.level = "township";
  else if (/部门|各局|委办局|单位部门/.test(q.unread) || words.some((w) => /^(?:局|委|办)$/.test(w))) out.level = "department";
  else if (/县区政府|区县政府|县级政府|县区/.test(q.unread)) out.level = "county";
  const place = namedOrgans(q).find((o) => !o.body);
  if (place) out.area = place.places[place.places.length - 1];
  else {
    const written = /([\p{Script=Han}]{2,8}?(?:省|市|县|区|旗|州))/u.exec(q.unread.replace(/全[县区市省]/g, ""))?.[1];
    if (written) out.area = written;
  }
  return out;
}

/**
 * The scope of an area question; 「全县」 with no county named is the library's one county, or
 * the user picks which (never every county added up).
 */
function scopeOrChoice<A extends Record<string, unknown>>(command: string, q: Question, ctx: CommandContext, args: A): { args: A & ReturnType<typeof readScope> } | { answer: Answer } {
  const scope = readScope(q);
  const whole = /全([县区市省旗])/.exec(q.text);
  if (!whole || scope.area) return { args: { ...args, ...scope } };
  const areas = [...new Set(ctx.store.organs.flatMap((o) => o.places.filter((p) => p.endsWith(whole[1]))))].sort();
  if (areas.length === 1) return { args: { ...args, ...scope, area: areas[0] } };
  if (!areas.length) return { answer: errorAnswer(command, `资料库里没有哪个${whole[1]}的单位，请说明地区`, [`已收录 ${ctx.store.organs.length} 个单位`]) };
  return { answer: choiceAnswer(command, `「全${whole[1]}」指哪个${whole[1]}？请选一个`, areas.slice(0, 12).map((area) => ({ label: area, command, args: { ...args, ...scope, area } }))) };
}

export function inScope(o: Organ, scope: { level?: OrganLevel; area?: string }): boolean {
  if (scope.level && o.level !== scope.level) return false;
  return !scope.area || inArea(o, scope.area);
}

/** The area's own government (平潭综合实验区 for 「平潭全区」), not a unit inside it. */
function isAreaGovernment(o: Organ, area: string): boolean {
  const own = o.places.at(-1);
  return !o.body && o.level !== "township" && own !== undefined && placeCore(own) === placeCore(area);
}

const scopeLabel = (s: { level?: OrganLevel; area?: string }) => `${s.area ?? ""}${s.level ? LEVEL_LABELS[s.level] : "各单位"}`;

function latestYear(store: ReportStore, now: Date): number {
  const ys = store.years();
  return ys[ys.length - 1] ?? now.getFullYear() - 1;
}

/** Year and figure of a question over many organs, or the answer that says what is missing. */
function readYearAndFigure(command: string, text: string, ctx: CommandContext, requireFigure: boolean): { answer: Answer } | { q: Question; year: number; figure: string } {
  const q = understand(text, ctx.store, ctx.now);
  const years = yearsNamed(q);
  const problem = q.unknownWords.length ? unreadProblem(q) : null;
  if (problem) return { answer: errorAnswer(command, problem) };
  if (years.length > 1) return { answer: errorAnswer(command, "一次问到了几个年份，请只说一个", [`例如：/${command} ${years[0]} 依申请数`]) };
  // No year named: the latest year with a report of the organs asked about (乡镇 may have none this year yet).
  const scope = readScope(q);
  const perYear = new Map<number, number>();
  for (const o of ctx.store.organs) if (inScope(o, scope)) for (const y of o.reports.keys()) perYear.set(y, (perYear.get(y) ?? 0) + 1);
  const latestInScope = Math.max(0, ...perYear.keys());
  // A ranking needs two reports of one year: with no year named and only one in the latest, the user picks the year.
  if (!years.length && command === "排行" && (perYear.get(latestInScope) ?? 0) < 2) {
    const rankable = [...perYear].filter(([, n]) => n >= 2).map(([y]) => y).sort((a, b) => b - a);
    return { answer: errorAnswer(command, `请说明年份：${scopeLabel(scope)}最近一年（${latestInScope || "无"}）只有 ${perYear.get(latestInScope) ?? 0} 份年报，排不了名`, rankable.length ? rankable.slice(0, 3).map((y) => `${y}年${text.replace(/\s+/g, "")}`) : [`已有年份：${ctx.store.years().join("、")}`]) };
  }
  const year = years[0] ?? (latestInScope || latestYear(ctx.store, ctx.now));
  if (q.figure.kind === "choice") {
    return {
      answer: choiceAnswer(command, `${q.figure.why}，请选一项`, q.figure.options.map((f) => ({ label: `${year} 年 ${figureLabel(f)}${command}`, command, args: { year, figure: figureKey(f), ...readScope(q) } }))),
    };
  }
  let figure = q.figure.kind === "figure" ? figureKey(q.figure.figure) : "";
  if (!figure && /申请/.test(q.text)) figure = "B:new:total";
  if (!figure && requireFigure) return { answer: errorAnswer(command, "请说明要看哪个指标", [`例如：/${command} ${year} 依申请数`, "可用指标：依申请数、予以公开、不予公开、行政复议、行政诉讼……"]) };
  return { q, year, figure };
}

// ---------------------------------------------------------------- /排行

const rankingArgs = z.object({ year: yearSchema, figure: figureKeySchema, top: z.number().int().min(1).max(200).default(10), ascending: z.boolean().default(false), ...scopeArgs });

export const ranking = define({
  name: "排行",
  aliases: ["排名", "rank"],
  summary: "某年某指标各单位从高到低排序（可限定乡镇、部门或地区）",
  usage: "/排行 <年份> <指标> [前N] [乡镇|部门] [地区]",
  example: "/排行 2025 依申请数 前10",
  schema: rankingArgs,
  read: (text, ctx) => {
    const r = readYearAndFigure("排行", text, ctx, true);
    if ("answer" in r) return r;
    const top = /前\s*(\d+)|top\s*(\d+)/i.exec(text);
    const args = { year: r.year, figure: r.figure, top: top ? Number(top[1] ?? top[2]) : undefined, ascending: /最少|最低|倒数/.test(text) };
    return scopeOrChoice("排行", r.q, ctx, args);
  },
  run: ({ year, figure: fk, top, ascending, level, area }, ctx) => {
    const figure = figureFromKey(fk)!;
    const label = figureLabel(figure);
    const scope = { level, area };
    const rows: { organ: Organ; value: number; note: string; r: ReturnType<Organ["reports"]["get"]> }[] = [];
    const unknown: string[] = [];
    for (const o of ctx.store.organs) {
      const r = o.reports.get(year);
      if (!r || !inScope(o, scope)) continue;
      const v = figureValue(r, figure);
      if (v.value === null) unknown.push(`${ctx.store.displayName(o)}（${v.missing}）`);
      else rows.push({ organ: o, value: v.value, note: issueSummary(r, v.cells), r });
    }
    if (rows.length === 0) return errorAnswer("排行", `${year} 年没有可排序的${scopeLabel(scope)}年报`, [`已有年份：${ctx.store.years().join("、")}`]);
    rows.sort((a, b) => (ascending ? a.value - b.value : b.value - a.value));
    // Equal values share a place: 1, 2, 2, 4.
    const places = rows.map((x, i) => (i > 0 && x.value === rows[i - 1].value ? -1 : i + 1));
    for (let i = 0; i < places.length; i++) if (places[i] === -1) places[i] = places[i - 1];
    const shown = rows.slice(0, Math.max(top, places.filter((p) => p <= top).length));
    const firsts = rows.filter((_, i) => places[i] === 1).map((x) => ctx.store.displayName(x.organ));
    const unit = figureValue(rows[0].r!, figure).unit;
    const lines = [`${ascending ? "最少" : "最多"}：${firsts.join("、")}${firsts.length > 1 ? "（并列）" : ""}，${fmt(rows[0].value, unit)}`];
    if (unknown.length) lines.push(`数字无法确定、未参与排序：${unknown.join("、")}`);
    const withIssues = shown.filter((x) => x.note).length;
    if (withIssues) lines.push(`⚠ ${withIssues} 个单位的年报自身校验有问题，见「说明」列`);
    return makeAnswer({
      kind: "ranking",
      command: "排行",
      title: `${year} 年${scopeLabel(scope)}${label}排行${shown.length < rows.length ? `（前 ${shown.length}，共 ${rows.length} 个）` : `（共 ${rows.length} 个）`}`,
      answers: shown.map((x) => numberAnswer(x.r!, x.organ, ctx.store.displayName(x.organ), { key: fk, label }, figureValue(x.r!, figure))),
      table: { columns: ["名次", "单位", label, "说明"], rows: shown.map((x, i) => [places[i] === places[i - 1] || places[i] === places[i + 1] ? `${places[i]}（并列）` : places[i], ctx.store.displayName(x.organ), x.value, x.note]) },
      lines,
      tone: withIssues ? "warn" : "ok",
    });
  },
});

// ---------------------------------------------------------------- /合计

const totalArgs = z.object({ year: yearSchema, figure: figureKeySchema, ...scopeArgs });

export const total = define({
  name: "合计",
  aliases: ["汇总", "总计", "sum"],
  summary: "某年某指标多个单位的合计（可限定乡镇、部门或地区）",
  usage: "/合计 <年份> <指标> [乡镇|部门] [地区]",
  example: "/合计 2025 依申请数 宁海县",
  schema: totalArgs,
  read: (text, ctx) => {
    const r = readYearAndFigure("合计", text, ctx, true);
    if ("answer" in r) return r;
    return scopeOrChoice("合计", r.q, ctx, { year: r.year, figure: r.figure });
  },
  run: ({ year, figure: fk, level, area }, ctx) => {
    const figure = figureFromKey(fk)!;
    if (!summable(figure)) return errorAnswer("合计", `${figureLabel(figure)}不能相加`, [`可以用 /排行 ${year} ${figureLabel(figure)} 查看各单位`]);
    const scope = { level, area };
    const organs = ctx.store.organs.filter((o) => o.reports.has(year) && inScope(o, scope));
    if (organs.length === 0) return errorAnswer("合计", `${year} 年没有${scopeLabel(scope)}的年报`, [`已有年份：${ctx.store.years().join("、")}`]);
    const label = figureLabel(figure);
    let sum = 0;
    const unknown: string[] = [];
    const rows: Cell[][] = [];
    let unit = "件";
    for (const o of organs) {
      const r = o.reports.get(year)!;
      const v = figureValue(r, figure);
      unit = v.unit || unit;
      rows.push([ctx.store.displayName(o), v.value, v.value === null ? v.missing ?? "" : issueSummary(r, v.cells)]);
      if (v.value === null) unknown.push(ctx.store.displayName(o));
      else sum += v.value;
    }
    const sure = unknown.length === 0;
    const withIssues = rows.filter((r) => r[2] && r[1] !== null).length;
    const lines = sure ? [] : [`以下单位的数字无法确定，合计不完整：${unknown.join("、")}`];
    if (withIssues) lines.push(`⚠ ${withIssues} 个单位的年报自身校验有问题，见「说明」列`);
    if (organs.length === 1 && scope.area && isAreaGovernment(organs[0], scope.area)) {
      // 「平潭全区共收到多少申请」 where the data holds only the zone's own report: that report's number, said so.
      const [only] = organs;
      const r = only.reports.get(year)!;
      const v = figureValue(r, figure);
      const name = ctx.store.displayName(only);
      return makeAnswer({
        kind: "total",
        command: "合计",
        title: `${year} 年${name}${label}：${v.value === null ? "不确定" : fmt(v.value, v.unit || unit)}`,
        answers: [numberAnswer(r, only, name, { key: fk, label }, v)],
        lines: [`资料库里${scopeLabel(scope)}只有「${name}」一份年报，以上是这份年报里的数字，不是多个单位相加`, ...lines],
        table: { columns: ["单位", label, "说明"], rows },
        tone: withIssues || !sure ? "warn" : "ok",
      });
    }
    return makeAnswer({
      kind: "total",
      command: "合计",
      title: `${year} 年${scopeLabel(scope)}（${organs.length} 个）${label}合计：${sure ? fmt(Math.round(sum * 1e6) / 1e6, unit) : `不确定（已知部分 ${fmt(sum, unit)}）`}`,
      table: { columns: ["单位", label, "说明"], rows },
      lines,
      tone: withIssues || !sure ? "warn" : "ok",
    });
  },
});

// ---------------------------------------------------------------- /未发布

const unpublishedArgs = z.object({ year: yearSchema, ...scopeArgs });

export const unpublished = define({
  name: "未发布",
  aliases: ["未报", "缺报", "missing"],
  summary: "上一年有年报、这一年还没有的单位",
  usage: "/未发布 <年份> [乡镇|部门] [地区]",
  example: "/未发布 2025",
  menuKey: "unpublished",
  schema: unpublishedArgs,
  read: (text, ctx) => {
    const q = understand(text, ctx.store, ctx.now);
    const year = q.years.find((y) => y.kind === "year");
    return { args: { year: year?.kind === "year" ? year.year : ctx.now.getFullYear() - 1, ...readScope(q) } };
  },
  run: ({ year, level, area }, ctx) => {
    const scope = { level, area };
    const expected = ctx.store.organs.filter((o) => o.reports.has(year - 1) && inScope(o, scope));
    const missing = expected.filter((o) => !o.reports.has(year));
    return makeAnswer({
      kind: "unpublished",
      command: "未发布",
      title: expected.length
        ? `${year} 年报：${scopeLabel(scope)}应发布 ${expected.length} 个，已发布 ${expected.length - missing.length} 个，未发布 ${missing.length} 个`
        : `没有 ${year - 1} 年的年报，无法判断 ${year} 年谁还没发布`,
      table: missing.length ? { columns: ["未发布单位", `${year - 1} 年报`], rows: missing.map((o) => [ctx.store.displayName(o), "有"]) } : undefined,
      lines: expected.length ? ["判断依据：上一年有年报的单位，本年应当发布"] : [`已有年份：${ctx.store.years().join("、")}`],
      tone: missing.length ? "warn" : "ok",
    });
  },
});

// ---------------------------------------------------------------- /导出

const exportArgs = z.object({ year: yearSchema, areas: z.array(z.string().min(1).max(40)).max(20, "一次最多 20 个地区或单位") });

/** Areas a question names: an organ (its place when it is a government) or a place word the data has. */
function readAreas(q: Question): string[] {
  const out: string[] = [];
  for (const m of q.mentions) if (m.kind === "organ") out.push(m.organ.body ? m.organ.name : m.organ.places[m.organ.places.length - 1] ?? m.organ.name);
  for (const w of q.unread.split(" ")) if (/^[\p{Script=Han}]{2,10}(?:省|市|县|区|旗|州|镇|乡|街道)$/u.test(w)) out.push(w);
  return [...new Set(out)];
}

export const exportSummary = define({
  name: "导出",
  aliases: ["汇总表", "导出表格", "export"],
  summary: "把某年（某地区）的年报数字导出为 Excel 汇总表",
  usage: "/导出 <年份> [地区或单位…]",
  example: "/导出 2025 宁海县",
  schema: exportArgs,
  read: (text, ctx) => {
    const q = understand(text, ctx.store, ctx.now);
    const year = q.years.find((y) => y.kind === "year");
    return { args: { year: year?.kind === "year" ? year.year : latestYear(ctx.store, ctx.now), areas: readAreas(q) } };
  },
  run: ({ year, areas }, ctx) => {
    const unknown = areas.filter((a) => !ctx.store.organs.some((o) => inArea(o, a)));
    if (unknown.length) return errorAnswer("导出", `资料库中没有「${unknown.join("、")}」的单位`, [`已有年份：${ctx.store.years().join("、")}`]);
    const organs = ctx.store.organs.filter((o) => (o.reports.has(year) || o.reports.has(year - 1)) && (!areas.length || areas.some((a) => inArea(o, a))));
    if (!organs.length) return errorAnswer("导出", `没有${areas.length ? `「${areas.join("、")}」` : ""}${year} 年的年报`, [`已有年份：${ctx.store.years().join("、")}`]);
    const published = organs.filter((o) => o.reports.has(year)).length;
    return makeAnswer({
      kind: "export",
      command: "导出",
      title: `${year} 年${areas.length ? ` ${areas.join("、")} ` : ""}政府信息公开年报汇总表`,
      lines: [`${organs.length} 个单位：${published} 份 ${year} 年报，${organs.length - published} 个上一年有年报、本年未发布`, "工作表：汇总、依申请、主动公开、复议诉讼、校验、未发布"],
      attachment: { kind: "workbook", year, areas },
    });
  },
});
