/**
 * The 勾稽 checks of REPORT-MODEL.md over parsed cells. Printed values are never changed
 * here; a failed check says where (row, column, expected, printed).
 */
import { compact } from "./normalize.ts";
import { type CheckId, type Severity, severityOf } from "./review/rules.ts";
import {
  APPLICANT_COLUMN_LABELS,
  APPLICANT_COLUMNS,
  REVIEW_GROUP_LABELS,
  REVIEW_GROUPS,
  REVIEW_KEYS,
  resultRows,
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
const get = (cells: Cells, id: string): number | null => (typeof cells[id] === "number" ? (cells[id] as number) : null);
const B = (row: string, col: string) => `applications.${row}.${col}`;

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

export function balanceCheck(cells: Cells): Check {
  const failures: Failure[] = [];
  let checked = 0;
  for (const col of APPLICANT_COLUMNS) {
    const ids = ["new", "carried_over", "total", "carried_forward"].map((r) => B(r, col));
    const [n, co, t, cf] = ids.map((id) => get(cells, id));
    if (n === null || co === null || t === null || cf === null) continue;
    checked++;
    if (n + co !== t + cf) {
      failures.push({
        table: "B",
        row: "一+二 vs 三(七)+四",
        column: APPLICANT_COLUMN_LABELS[col],
        cells: ids,
        expected: n + co,
        printed: t + cf,
        message: `「${APPLICANT_COLUMN_LABELS[col]}」列：一(${n})+二(${co})=${n + co}，但三(七)总计(${t})+四(${cf})=${t + cf}`,
      });
    }
  }
  return check("balance", failures, `${checked} 列均满足 一+二=三(七)+四`, checked);
}

export function rowSumCheck(cells: Cells, template: TemplateDef): Check {
  const failures: Failure[] = [];
  let checked = 0;
  for (const def of template.tableB) {
    const vs = APPLICANT_COLUMNS.map((c) => get(cells, B(def.id, c)));
    if (vs.some((v) => v === null)) continue;
    checked++;
    const s = (vs.slice(0, 6) as number[]).reduce((a, b) => a + b, 0);
    if (s !== vs[6]) {
      failures.push({
        table: "B",
        row: def.label,
        column: "总计",
        cells: APPLICANT_COLUMNS.map((c) => B(def.id, c)),
        expected: s,
        printed: vs[6],
        message: `「${def.label}」行：六类申请人合计 ${s}，总计列却是 ${vs[6]}`,
      });
    }
  }
  return check("row_sum", failures, `${checked} 行的总计列均等于六类申请人之和`, checked);
}

export function resultSumCheck(cells: Cells, template: TemplateDef): Check {
  const failures: Failure[] = [];
  let checked = 0;
  const rows = resultRows(template, (id) => B(id, "total") in cells);
  for (const col of APPLICANT_COLUMNS) {
    const t = get(cells, B("total", col));
    const vs = rows.map((r) => get(cells, B(r.id, col)));
    if (t === null || vs.some((v) => v === null)) continue;
    checked++;
    const s = (vs as number[]).reduce((a, b) => a + b, 0);
    if (s !== t) {
      failures.push({
        table: "B",
        row: "（七）总计",
        column: APPLICANT_COLUMN_LABELS[col],
        cells: [B("total", col), ...rows.map((r) => B(r.id, col))],
        expected: s,
        printed: t,
        message: `「${APPLICANT_COLUMN_LABELS[col]}」列：办理结果（一）至（六）合计 ${s}，（七）总计却是 ${t}`,
      });
    }
  }
  return check("result_sum", failures, `${checked} 列的（七）总计均等于各项办理结果之和`, checked);
}

export function reviewSumCheck(cells: Cells): Check {
  const failures: Failure[] = [];
  let checked = 0;
  for (const g of REVIEW_GROUPS) {
    const ids = REVIEW_KEYS.map((k) => `${g}.${k}`);
    const vs = ids.map((id) => get(cells, id));
    if (vs.some((v) => v === null)) continue;
    checked++;
    const s = (vs.slice(0, 4) as number[]).reduce((a, b) => a + b, 0);
    if (s !== vs[4]) {
      failures.push({
        table: "C",
        row: REVIEW_GROUP_LABELS[g],
        column: "总计",
        cells: ids,
        expected: s,
        printed: vs[4],
        message: `${REVIEW_GROUP_LABELS[g]}：维持+纠正+其他+未审结=${s}，总计却是 ${vs[4]}`,
      });
    }
  }
  return check("review_sum", failures, `${checked} 组复议/诉讼总计均等于分项之和`, checked);
}

const CN_DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };

function claimNumber(s: string): number | null {
  if (/^\d+$/.test(s)) return Number(s);
  if (s in CN_DIGITS) return CN_DIGITS[s];
  return null;
}

/** Counts the prose states (总体情况 and elsewhere outside the tables). */
export function narrativeClaims(prose: string): NarrativeClaim[] {
  const c = compact(prose);
  const out: NarrativeClaim[] = [];
  const num = "(\\d+|[一二两三四五六七八九十])";
  const apps = [
    new RegExp(`(?:收到|受理|新收|接收|接到)(?:并办理)?(?:各类|群众|公民)?(?:政府信息公开|依申请公开|信息公开)?(?:申请)?(?:共|总计|合计)?${num}(?:件|个|条|起|份|人次)(?:政府信息公开)?(?:申请)?`, "g"),
    new RegExp(`(?:依申请公开|政府信息公开申请)(?:共|总计|合计)?(?:数量|数)?(?:为)?${num}(?:件|个|条|起|份)`, "g"),
  ];
  for (const re of apps) {
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
  const review = new RegExp(`(?:行政复议(?:案件)?(?:共|数为|数)?${num}(?:件|起|宗))|(?:${num}(?:件|起|宗)[^。,，]{0,16}?行政复议)`, "g");
  for (const m of c.matchAll(review)) {
    const v = claimNumber(m[1] ?? m[2]);
    if (v !== null) {
      out.push({ what: "review", value: v, quote: m[0] });
      break;
    }
  }
  const lit = new RegExp(`行政诉讼(?:案件)?(?:数)?(?:共|为)?${num}(?:件|起|宗)`, "g");
  for (const m of c.matchAll(lit)) {
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
      ids = ["review.total"];
      label = "行政复议总计";
    } else {
      ids = ["litigation.direct.total", "litigation.after_review.total"];
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

