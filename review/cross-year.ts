/**
 * Across years (domain.md §3.3): a report against last year's report of the same organ, and its
 * prose against the other organs' reports of the same year.
 */
import { activeCell, APPLICANT_COLUMN_LABELS, APPLICANT_COLUMNS, applicationCell, check, type Check, type Failure, litigationWithoutReviewCheck, type Report, TABLE_C_CELLS, type TemplateId, TEMPLATES, textFailure } from "../parser/index.ts";
import { containment, MIN_PROSE, paragraphName, type ProseIndex, proseOf, repeatedParagraphs, SAME_TEXT } from "./similarity.ts";

type Cells = Record<string, number | null>;
const num = (cells: Cells, id: string): number | null => {
  const v = cells[id];
  return typeof v === "number" ? v : null;
};
const pct = (x: number) => `${Math.round(x * 100)}%`;
const NO_LAST_YEAR = "资料库中没有上年年报，无法核对";

/** Last year's report, when it is the year before this one. */
const previous = (r: Report, last: Report | null | undefined) => (last && r.year !== null && last.year === r.year - 1 ? last : null);

// Cell ids built once: a lookup with a freshly built key string costs more than the check itself
// when a year of 10,000 reports is reviewed.
const CARRY_PAIRS = APPLICANT_COLUMNS.map((col) => ({ col, id: applicationCell("carried_over", col), lastId: applicationCell("carried_forward", col) }));
const DOCUMENT_ROWS = TEMPLATES["2021"].tableA
  .filter((d) => d.id === "rules" || d.id === "normative")
  .map((row) => ({ label: row.label, issued: activeCell(row.id, "issued"), repealed: activeCell(row.id, "repealed"), inForce: activeCell(row.id, "in_force") }));

/**
 * 二、上年结转 = last year's 四、结转下年度继续办理, per column — 错误 when both are printed (a value
 * the parser derived from a rule is not printed and is not compared).
 */
export function carryOverCheck(r: Report, last: Report | null | undefined): Check {
  const failures: Failure[] = [];
  let checked = 0;
  const prev = previous(r, last);
  if (prev) {
    for (const { col, id, lastId } of CARRY_PAIRS) {
      const now = num(r.cells, id);
      const before = num(prev.cells, lastId);
      if (now === null || before === null || r.derived.includes(id) || prev.derived.includes(lastId)) continue;
      checked++;
      if (now !== before) {
        failures.push({
          table: "B",
          row: "二、上年结转政府信息公开申请数量",
          column: APPLICANT_COLUMN_LABELS[col],
          cells: [id],
          expected: before,
          printed: now,
          message: `「${APPLICANT_COLUMN_LABELS[col]}」列：本年「二、上年结转」为 ${now}，${prev.year} 年年报「四、结转下年度继续办理」为 ${before}`,
        });
      }
    }
  }
  return check("carry_over", failures, `${checked} 列上年结转与 ${prev?.year} 年年报的结转下年度一致`, checked, NO_LAST_YEAR);
}

/** 2021 format both years: 现行有效 = last year's 现行有效 + 制发 − 废止, and 废止 ≤ last year's 现行有效 + 制发 (提醒). */
export function inForceChainCheck(r: Report, last: Report | null | undefined): Check {
  const failures: Failure[] = [];
  let checked = 0;
  const prev = previous(r, last);
  if (prev && r.template === "2021" && prev.template === "2021") {
    for (const row of DOCUMENT_ROWS) {
      const [issued, repealed, inForce] = [row.issued, row.repealed, row.inForce].map((id) => num(r.cells, id));
      const lastInForce = num(prev.cells, row.inForce);
      if (issued === null || repealed === null || inForce === null || lastInForce === null) continue;
      checked++;
      const expected = lastInForce + issued - repealed;
      const base = { table: "A" as const, row: row.label, cells: [row.inForce, row.issued, row.repealed], printed: inForce };
      if (repealed > lastInForce + issued) {
        failures.push({
          ...base,
          column: "本年废止件数",
          expected: lastInForce + issued,
          printed: repealed,
          message: `「${row.label}」本年废止 ${repealed} 件，多于 ${prev.year} 年现行有效 ${lastInForce} 件与本年制发 ${issued} 件之和`,
        });
      } else if (inForce !== expected) {
        failures.push({
          ...base,
          column: "现行有效件数",
          expected,
          message: `「${row.label}」现行有效 ${inForce} 件，按 ${prev.year} 年现行有效 ${lastInForce} + 本年制发 ${issued} − 废止 ${repealed} 应为 ${expected} 件（集中清理或修订可造成差异，请核对）`,
        });
      }
    }
  }
  return check("in_force_chain", failures, `${checked} 行现行有效件数与上年衔接`, checked, prev ? "两年不都是 2021 版格式或未填写，无法核对" : NO_LAST_YEAR);
}

/** Prose that repeats last year's (提醒), naming the repeated paragraphs. */
export function textRepeatedCheck(r: Report, last: Report | null | undefined): Check {
  const failures: Failure[] = [];
  const prev = previous(r, last);
  let checked = 0;
  const mine = proseOf(r);
  if (prev && mine.length >= MIN_PROSE) {
    checked = 1;
    const theirs = proseOf(prev);
    const share = containment(mine.shingles, theirs.shingles);
    if (share >= SAME_TEXT) {
      const repeated = repeatedParagraphs(mine, theirs);
      const named = repeated.length ? `，相同的段落：${repeated.slice(0, 5).map(paragraphName).join("、")}${repeated.length > 5 ? ` 等 ${repeated.length} 段` : ""}` : "";
      failures.push(textFailure("正文", `正文有 ${pct(share)} 与 ${prev.year} 年年报相同${named}；年报应写本年的情况`, repeated[0]?.text));
    }
  }
  return check("text_repeated", failures, "正文与上年年报不同", checked, prev ? "正文太短，不作比较" : NO_LAST_YEAR);
}

/** Cells that move every year in table 二 (stock figures such as 现行有效 may stay the same). */
const FLOW_COLUMNS = new Set(["made", "published", "issued", "repealed", "change", "decisions", "count", "amount"]);

/** Every cell of each table of a template, in table order. */
const TABLES: Record<TemplateId, { table: "A" | "B" | "C"; name: string; cells: string[] }[]> = Object.fromEntries(
  (["2019", "2021"] as const).map((id) => [
    id,
    [
      { table: "A", name: "表二（主动公开）", cells: TEMPLATES[id].tableA.flatMap((d) => d.columns.map((c) => activeCell(d.id, c))) },
      { table: "B", name: "表三（依申请）", cells: TEMPLATES[id].tableB.flatMap((d) => APPLICANT_COLUMNS.map((c) => applicationCell(d.id, c))) },
      { table: "C", name: "表四（复议诉讼）", cells: TABLE_C_CELLS },
    ],
  ]),
) as Record<TemplateId, { table: "A" | "B" | "C"; name: string; cells: string[] }[]>;

/** Tables identical to last year's, with numbers in them (提醒: the data may have been copied). */
export function tableRepeatedCheck(r: Report, last: Report | null | undefined): Check {
  const failures: Failure[] = [];
  const prev = previous(r, last);
  let checked = 0;
  if (prev && prev.template === r.template) {
    for (const t of TABLES[r.template]) {
      // One pass over the table's cells: stop at the first difference (most reports differ early).
      let compared = 0;
      let same = true;
      const moving: string[] = [];
      for (const id of t.cells) {
        const a = r.cells[id];
        const b = prev.cells[id];
        if (typeof a !== "number" || typeof b !== "number") continue;
        compared++;
        if (a !== b) {
          same = false;
          break;
        }
        if (a !== 0) moving.push(id);
      }
      if (compared === 0) continue;
      checked++;
      if (!same) continue;
      // Identical small numbers are a coincidence (1 application both years); many are not.
      const informative =
        t.table === "A" ? moving.filter((id) => FLOW_COLUMNS.has(id.slice(id.lastIndexOf(".") + 1))).length >= 3 : t.table === "B" ? (num(r.cells, "applications.new.total") ?? 0) >= 5 : moving.length >= 3;
      if (informative) {
        failures.push({ table: t.table, row: t.name, column: "", cells: moving, expected: null, printed: null, message: `${t.name}与 ${prev.year} 年年报的数字完全相同（${moving.length} 个非零数），请核对是否沿用了上年数据` });
      }
    }
  }
  return check("table_repeated", failures, "表格数字与上年年报不同，或相同的只是少量小数字", checked, prev ? "两年格式不同，不作比较" : NO_LAST_YEAR);
}

/** Prose that is another organ's report of the same year (提醒), naming that organ. */
export function textCopiedCheck(r: Report, index: ProseIndex | null): Check {
  const failures: Failure[] = [];
  const copy = index?.copyOf(r) ?? null;
  if (copy) {
    const named = copy.paragraphs.length ? `，如${copy.paragraphs.slice(0, 3).map(paragraphName).join("、")}` : "";
    failures.push(textFailure("正文", `正文有 ${pct(copy.share)} 与「${copy.other.organ ?? copy.other.file}」的 ${copy.other.year ?? ""} 年年报相同（单位名称和数字不计）${named}`, copy.paragraphs[0]?.text));
  }
  return check("text_copied", failures, index ? "正文与同年其他单位的年报不同" : "没有同年其他单位的年报可比较", index ? 1 : 0);
}

/** Every cross-year check of a report; `last` undefined means last year was not looked up. */
export function crossYearFamily(r: Report, last: Report | null | undefined, index: ProseIndex | null): Check[] {
  const out = [carryOverCheck(r, last), inForceChainCheck(r, last), textRepeatedCheck(r, last), tableRepeatedCheck(r, last), textCopiedCheck(r, index)];
  // With last year's report known, 复议后起诉 is judged against last year's 复议 as well.
  if (last !== undefined) out.push(litigationWithoutReviewCheck(r.cells, previous(r, last)?.cells ?? null));
  return out;
}
