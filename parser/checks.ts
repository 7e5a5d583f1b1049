/**
 * The 勾稽 checks of REPORT-MODEL.md over parsed cells. Printed values are never changed
 * here; a failed check says where (row, column, expected, printed).
 */
import { compact } from "./normalize.ts";
import { type CheckId, type Severity, severityOf } from "./review/rules.ts";
import {
  APPLICANT_COLUMN_LABELS,
  APPLICANT_COLUMNS,
  applicationCell,
  REVIEW_GROUP_LABELS,
  REVIEW_GROUPS,
  REVIEW_KEYS,
  resultRows,
  reviewCell,
  rowCells,
  SINGLE_OTHER_HANDLING,
  type TemplateDef,
} from "./template.ts";

export type { CheckId, Severity } from "./review/rules.ts";

export interface Failure {
  /** Where: the table (二 A, 三 B, 四 C) if the failure is in one, its row and column labels ("" if none). */
  table?: "A" | "B" | "C";
  row: string;
  column: string;
  /** Cell ids the failure touches. */
  cells: string[];
  expected: number | null;
  printed: number | null;
  message: string;
  /** Where in the text, when the place is a sentence or paragraph rather than a cell. */
  sentence?: string;
}

export interface Check {
  id: CheckId;
  /** 错误 or 提醒, fixed per rule (parser/review/rules.ts). */
  severity: Severity;
  ok: boolean;
  detail: string;
  failures: Failure[];
}

export interface NarrativeClaim {
  what: "applications" | "review" | "litigation";
  value: number;
  quote: string;
}

type Cells = Record<string, number | null>;
const get = (cells: Cells, id: string): number | null => {
  // One lookup: the reviews ask for hundreds of cells by id.
  const v = cells[id];
  return typeof v === "number" ? v : null;
};

// ---------------------------------------------------------------- the equations

/** The checks that are equations between cells (the others compare text or count rows). */
export type EquationCheck = "balance" | "row_sum" | "result_sum" | "review_sum";

/**
 * One 勾稽 equation: the cells on the left add up to the cells on the right. Written here once;
 * the checks report on them and the table reader (tables.ts) uses them to choose among the
 * readings of glued or shifted rows.
 */
export interface Equation {
  check: EquationCheck;
  /** Where the equation sits, for messages: the row (or rows) and the column. */
  row: string;
  column: string;
  left: string[];
  right: string[];
}

const B = applicationCell;

/**
 * Every equation of a report's tables. Which result rows （七）总计 sums depends on whether
 * （六）其他处理 was printed as one row or as three sub-rows: `present` says which rows the
 * report has.
 */
export function tableEquations(template: TemplateDef, present: (rowId: string) => boolean): readonly Equation[] {
  // Only the form of （六） changes the equations: two lists per template, built once.
  const single = present(SINGLE_OTHER_HANDLING);
  const key = `${template.id}:${single}`;
  let eqs = equationCache.get(key);
  if (!eqs) {
    eqs = buildEquations(template, () => single);
    equationCache.set(key, eqs);
  }
  return eqs;
}

const equationCache = new Map<string, readonly Equation[]>();

function buildEquations(template: TemplateDef, present: (rowId: string) => boolean): Equation[] {
  const out: Equation[] = [];
  const results = resultRows(template, present);
  for (const col of APPLICANT_COLUMNS) {
    const column = APPLICANT_COLUMN_LABELS[col];
    // 一 + 二 = 三(七) + 四, printed in the table's corner.
    out.push({ check: "balance", row: "一+二 vs 三(七)+四", column, left: [B("new", col), B("carried_over", col)], right: [B("total", col), B("carried_forward", col)] });
    out.push({ check: "result_sum", row: "（七）总计", column, left: results.map((r) => B(r.id, col)), right: [B("total", col)] });
  }
  for (const def of template.tableB) {
    const cells = rowCells("B", def);
    out.push({ check: "row_sum", row: def.label, column: "总计", left: cells.slice(0, -1), right: cells.slice(-1) });
  }
  return [...out, ...TABLE_C_EQUATIONS];
}

/** Table C: in each group, 总计 = 维持 + 纠正 + 其他结果 + 尚未审结. */
export const TABLE_C_EQUATIONS: readonly Equation[] = REVIEW_GROUPS.map((g) => {
  const cells = REVIEW_KEYS.map((k) => reviewCell(g, k));
  return { check: "review_sum", row: REVIEW_GROUP_LABELS[g], column: "总计", left: cells.slice(0, -1), right: cells.slice(-1) };
});

/** The equations inside one row, with cells as positions in `rowCellIds` (for reading a row). */
export function rowEquations(equations: readonly Equation[], rowCellIds: readonly string[]): { left: number[]; right: number[] }[] {
  const at = new Map(rowCellIds.map((id, i) => [id, i]));
  return equations
    .filter((e) => [...e.left, ...e.right].every((id) => at.has(id)))
    .map((e) => ({ left: e.left.map((id) => at.get(id)!), right: e.right.map((id) => at.get(id)!) }));
}

const total = (vs: (number | null)[]) => vs.reduce<number>((a, v) => a + (v ?? 0), 0);

/** Whether the equation holds: true or false when every cell has a value, null when one is missing. */
export function holds<T>(eq: { left: T[]; right: T[] }, value: (cell: T) => number | null): boolean | null {
  // Plain loops: the reading search calls this for every partial reading of a glued row.
  let l = 0;
  let r = 0;
  for (const c of eq.left) {
    const v = value(c);
    if (v === null) return null;
    l += v;
  }
  for (const c of eq.right) {
    const v = value(c);
    if (v === null) return null;
    r += v;
  }
  return l === r;
}

/** The value of the one unknown cell that makes the equation hold (others must all be known). */
export function solve<T>(eq: { left: T[]; right: T[] }, unknown: T, value: (cell: T) => number | null): number | undefined {
  const onLeft = eq.left.includes(unknown);
  if (!onLeft && !eq.right.includes(unknown)) return undefined;
  const others = (side: T[]) => side.filter((c) => c !== unknown).map(value);
  const same = others(onLeft ? eq.left : eq.right);
  const other = (onLeft ? eq.right : eq.left).map(value);
  if (same.some((v) => v === null) || other.some((v) => v === null)) return undefined;
  return total(other) - total(same);
}

// ---------------------------------------------------------------- checks

/** A failure whose place is the text (a part, a sentence, the date), not table cells. */
export function textFailure(row: string, message: string, sentence?: string): Failure {
  return { row, column: "", cells: [], expected: null, printed: null, message, ...(sentence ? { sentence } : {}) };
}

/** A check from its failures: failed if there is any, else passed with `okDetail`, or `nothingDetail` when nothing could be checked. */
export function check(id: CheckId, failures: Failure[], okDetail: string, checked: number, nothingDetail = "无可核对的数据"): Check {
  const severity = severityOf(id);
  if (failures.length > 0) return { id, severity, ok: false, detail: failures.map((f) => f.message).join("；"), failures };
  return { id, severity, ok: true, detail: checked > 0 ? okDetail : nothingDetail, failures };
}

/** What a failed equation says, in the words of its check. */
function failureMessage(eq: Equation, l: number[], r: number[]): string {
  const sumL = l.reduce((a, b) => a + b, 0);
  const sumR = r.reduce((a, b) => a + b, 0);
  switch (eq.check) {
    case "balance":
      return `「${eq.column}」列：一(${l[0]})+二(${l[1]})=${sumL}，但三(七)总计(${r[0]})+四(${r[1]})=${sumR}`;
    case "row_sum":
      return `「${eq.row}」行：六类申请人合计 ${sumL}，总计列却是 ${sumR}`;
    case "result_sum":
      return `「${eq.column}」列：办理结果（一）至（六）合计 ${sumL}，（七）总计却是 ${sumR}`;
    case "review_sum":
      return `${eq.row}：维持+纠正+其他+未审结=${sumL}，总计却是 ${sumR}`;
  }
}

const OK_DETAIL: Record<EquationCheck, (n: number) => string> = {
  balance: (n) => `${n} 列均满足 一+二=三(七)+四`,
  row_sum: (n) => `${n} 行的总计列均等于六类申请人之和`,
  result_sum: (n) => `${n} 列的（七）总计均等于各项办理结果之和`,
  review_sum: (n) => `${n} 组复议/诉讼总计均等于分项之和`,
};

/** The failure of an equation over `value`, or null when it holds or a cell has no value. */
export function equationFailure(eq: Equation, value: (cell: string) => number | null, note: (cells: string[]) => string = () => ""): Failure | null {
  if (holds(eq, value) !== false) return null;
  const l = eq.left.map(value) as number[];
  const r = eq.right.map(value) as number[];
  return {
    table: eq.check === "review_sum" ? "C" : "B",
    row: eq.row,
    column: eq.column,
    cells: eq.check === "result_sum" ? [...eq.right, ...eq.left] : [...eq.left, ...eq.right],
    expected: l.reduce((a, b) => a + b, 0),
    printed: r.reduce((a, b) => a + b, 0),
    message: failureMessage(eq, l, r) + note([...eq.left, ...eq.right]),
  };
}

/**
 * What the printed text of rows left unread still shows (tables.ts): a glued row that no cut
 * makes add up is not read, but that it does not add up is the report's own finding, and a total
 * every cut reads alike still counts in the column equations.
 */
export interface UnreadFindings {
  /** Cells not emitted (their row is unread) whose printed value is the same in every reading. */
  values: Record<string, number>;
  failures: { check: EquationCheck; failure: Failure }[];
}

/**
 * The equation checks over a report's cells, in the order balance, row_sum, result_sum,
 * review_sum: every equation whose cells all have values (or were printed blank) is checked.
 */
export function equationChecks(cells: Cells, template: TemplateDef, blanks: ReadonlySet<string> = new Set(), unread?: UnreadFindings): Check[] {
  const present = (rowId: string) => B(rowId, "total") in cells;
  const shown = unread?.values ?? {};
  // A cell printed blank counts as 0 in the equations (domain.md W6), though its value stays unknown.
  const value = (c: string) => get(cells, c) ?? shown[c] ?? (blanks.has(c) ? 0 : null);
  const note = (ids: string[]) =>
    (ids.some((c) => get(cells, c) === null && !(c in shown)) ? "（原文空白的格按 0 计）" : "") + (ids.some((c) => c in shown) ? "（粘连未读取的一行，其总计按原文唯一可能的读法核对）" : "");
  const ids: EquationCheck[] = ["balance", "row_sum", "result_sum", "review_sum"];
  const failures = new Map<EquationCheck, Failure[]>(ids.map((id) => [id, []]));
  const checked = new Map<EquationCheck, number>(ids.map((id) => [id, 0]));
  for (const eq of tableEquations(template, present)) {
    const ok = holds(eq, value);
    if (ok === null) continue;
    checked.set(eq.check, checked.get(eq.check)! + 1);
    if (ok) continue;
    failures.get(eq.check)!.push(equationFailure(eq, value, note)!);
  }
  for (const { check: id, failure } of unread?.failures ?? []) {
    checked.set(id, checked.get(id)! + 1);
    failures.get(id)!.push(failure);
  }
  return ids.map((id) => check(id, failures.get(id)!, OK_DETAIL[id](checked.get(id)!), checked.get(id)!));
}

const CN_DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };

function claimNumber(s: string): number | null {
  if (/^\d+$/.test(s)) return Number(s);
  if (s in CN_DIGITS) return CN_DIGITS[s];
  return null;
}

// A number starts where digits start: without (?<!\d), a pattern that begins with the number
// retries every suffix of a long run of digits (quadratic: 128 KB of digits took 15 s).
const CLAIM_NUMBER = "((?<!\\d)\\d+|[一二两三四五六七八九十])";
// The claim patterns, compiled once (matchAll works on a copy: their lastIndex is never shared).
const APPLICATION_CLAIMS = [
  new RegExp(`(?:收到|受理|新收|接收|接到)(?:并办理)?(?:各类|群众|公民)?(?:政府信息公开|依申请公开|信息公开)?(?:申请)?(?:共|总计|合计)?${CLAIM_NUMBER}(?:件|个|条|起|份|人次)(?:政府信息公开)?(?:申请)?`, "g"),
  new RegExp(`(?:依申请公开|政府信息公开申请)(?:共|总计|合计)?(?:数量|数)?(?:为)?${CLAIM_NUMBER}(?:件|个|条|起|份)`, "g"),
];
const REVIEW_CLAIM = new RegExp(`(?:行政复议(?:案件)?(?:共|数为|数)?${CLAIM_NUMBER}(?:件|起|宗))|(?:${CLAIM_NUMBER}(?:件|起|宗)[^。,，]{0,16}?行政复议)`, "g");
const LITIGATION_CLAIM = new RegExp(`行政诉讼(?:案件)?(?:数)?(?:共|为)?${CLAIM_NUMBER}(?:件|起|宗)`, "g");

/** Counts the prose states (总体情况 and elsewhere outside the tables). */
export function narrativeClaims(prose: string): NarrativeClaim[] {
  const c = compact(prose);
  const out: NarrativeClaim[] = [];
  for (const re of APPLICATION_CLAIMS) {
    for (const m of c.matchAll(re)) {
      const quote = c.slice(Math.max(0, m.index! - 12), m.index! + m[0].length + 10);
      if (!/申请/.test(quote)) continue;
      if (/结转|主动公开|办结|答复|复议|诉讼/.test(m[0])) continue;
      const v = claimNumber(m[1]);
      if (v !== null) out.push({ what: "applications", value: v, quote });
    }
    if (out.length) break;
  }
  if (!out.length && /(?:未|没有)(?:收到|受理|接到)(?:任何)?(?:政府信息公开|依申请公开)?申请/.test(c)) {
    out.push({ what: "applications", value: 0, quote: /(?:未|没有)(?:收到|受理|接到)[^。,，]{0,12}申请/.exec(c)![0] });
  }
  // (Tried only when the text names 行政复议 / 行政诉讼 at all.)
  for (const m of c.includes("行政复议") ? c.matchAll(REVIEW_CLAIM) : []) {
    const v = claimNumber(m[1] ?? m[2]);
    if (v !== null) {
      out.push({ what: "review", value: v, quote: m[0] });
      break;
    }
  }
  for (const m of c.includes("行政诉讼") ? c.matchAll(LITIGATION_CLAIM) : []) {
    const v = claimNumber(m[1]);
    if (v !== null) {
      out.push({ what: "litigation", value: v, quote: m[0] });
      break;
    }
  }
  return out;
}

export function narrativeCheck(claims: NarrativeClaim[], cells: Cells): Check {
  const failures: Failure[] = [];
  let checked = 0;
  for (const claim of claims) {
    let ids: string[];
    let label: string;
    if (claim.what === "applications") {
      ids = [B("new", "total")];
      label = "一、本年新收申请（总计）";
    } else if (claim.what === "review") {
      ids = [reviewCell("review", "total")];
      label = "行政复议总计";
    } else {
      ids = [reviewCell("litigation.direct", "total"), reviewCell("litigation.after_review", "total")];
      label = "行政诉讼总计（直接起诉+复议后起诉）";
    }
    const vs = ids.map((id) => get(cells, id));
    if (vs.some((v) => v === null)) continue;
    checked++;
    const table = (vs as number[]).reduce((a, b) => a + b, 0);
    if (table !== claim.value) {
      failures.push({
        table: claim.what === "applications" ? "B" : "C",
        sentence: claim.quote,
        row: label,
        column: "总计",
        cells: ids,
        expected: claim.value,
        printed: table,
        message: `正文说「${claim.quote}」（${claim.value}），表格${label}为 ${table}`,
      });
    }
  }
  return check("narrative", failures, `正文中的 ${checked} 个数字与表格一致`, checked);
}

/** Rows not found, by their printed labels. */
export function incompleteCheck(found: { a: boolean; b: boolean; c: boolean }, missing: { a: string[]; b: string[] }): Check {
  const failures: Failure[] = [];
  const add = (table: "A" | "B" | "C", row: string, message: string) => failures.push({ table, row, column: "", cells: [], expected: null, printed: null, message });
  if (!found.a) add("A", "二、主动公开", "未找到主动公开情况表（第二十条）");
  else if (missing.a.length) add("A", "二、主动公开", `主动公开表缺少：${missing.a.join("、")}`);
  if (!found.b) add("B", "三、依申请", "未找到收到和处理政府信息公开申请情况表");
  else if (missing.b.length) add("B", "三、依申请", `依申请表缺少 ${missing.b.length} 行：${missing.b.join("、")}`);
  if (!found.c) add("C", "四、复议诉讼", "未找到行政复议、行政诉讼情况表");
  return check("incomplete", failures, "三张表均完整", 1);
}

