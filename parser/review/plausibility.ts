/**
 * Plausibility (domain.md §3.2): numbers that satisfy every equation but are unlikely to be
 * right. All 提醒: each has real exceptions, so the reason says what to look at.
 *
 * 「全部为 0 而正文说收到申请」 and the reverse are the `narrative` check (parser/checks.ts).
 */
import { check, type Check, type Failure } from "../checks.ts";
import type { Report } from "../index.ts";
import type { OrganLevel } from "../organ-name.ts";
import { COLUMN_LABELS, TEMPLATES } from "../template.ts";
import type { OrganInfo, SingleReview } from "./context.ts";
import { isNumberText } from "../tokens.ts";

type Cells = Record<string, number | null>;

/** Table 二's column names (COLUMN_LABELS names `total` for table 三, where it is 总计). */
const activeColumn = (column: string) => (column === "total" ? "对外公开总数量" : COLUMN_LABELS[column] ?? column);
const num = (cells: Cells, id: string): number | null => {
  // One lookup: the reviews ask for hundreds of cells by id.
  const v = cells[id];
  return typeof v === "number" ? v : null;
};

/** Governments that make 规章 (立法法 art. 93): provinces and 设区的市/自治州, and their departments. */
const MAKES_RULES: ReadonlySet<OrganLevel> = new Set(["province", "city"]);

const LEVEL_WORDS: Record<OrganLevel, string> = {
  township: "乡镇（街道）",
  county: "县级人民政府",
  department: "部门",
  city: "市级人民政府",
  province: "省级人民政府",
};

/** 规章 > 0 at an organ that cannot make 规章 (township, county, or a department of either). */
export function rulesLevelCheck(report: Pick<Report, "cells" | "template">, organ: OrganInfo | null): Check {
  const failures: Failure[] = [];
  const place = organ?.placeLevel ?? null;
  if (organ && place && !MAKES_RULES.has(place)) {
    const columns = TEMPLATES[report.template].tableA.find((d) => d.id === "rules")!.columns;
    const ids = columns.map((c) => `active.rules.${c}`);
    const printed = ids.filter((id) => (num(report.cells, id) ?? 0) > 0);
    if (printed.length) {
      const who = organ.level === "department" ? `${LEVEL_WORDS[place].replace("人民政府", "")}部门` : LEVEL_WORDS[organ.level];
      failures.push({
        table: "A",
        row: "规章",
        column: printed.map((id) => activeColumn(id.split(".").pop()!)).join("、"),
        cells: printed,
        expected: 0,
        printed: Math.max(...printed.map((id) => num(report.cells, id)!)),
        message: `规章填了 ${printed.map((id) => `${activeColumn(id.split(".").pop()!)} ${num(report.cells, id)}`).join("、")}；${who}不制定规章（只有国务院部门、省级和设区的市级人民政府制定），多半是把规范性文件或其他文件填进了规章行`,
      });
    }
  }
  return check("rules_level", failures, place ? "规章数与机关层级相符" : "未能确定机关层级", place ? 1 : 0);
}

/** 2021 format: what was issued this year is either still in force or repealed (制发 ≤ 现行有效 + 废止). */
export function issuedInForceCheck(report: Pick<Report, "cells" | "template">): Check {
  const failures: Failure[] = [];
  let checked = 0;
  if (report.template === "2021") {
    for (const row of TEMPLATES["2021"].tableA.filter((d) => d.id === "rules" || d.id === "normative")) {
      const [issued, repealed, inForce] = ["issued", "repealed", "in_force"].map((c) => num(report.cells, `active.${row.id}.${c}`));
      if (issued === null || repealed === null || inForce === null) continue;
      checked++;
      if (issued > inForce + repealed) {
        failures.push({
          table: "A",
          row: row.label,
          column: "本年制发件数",
          cells: ["issued", "repealed", "in_force"].map((c) => `active.${row.id}.${c}`),
          expected: inForce + repealed,
          printed: issued,
          message: `「${row.label}」本年制发 ${issued} 件，多于现行有效 ${inForce} 件与本年废止 ${repealed} 件之和；本年制发的文件应仍有效或已废止，请核对现行有效件数`,
        });
      }
    }
  }
  return check("issued_in_force", failures, `${checked} 行制发件数不多于现行有效与废止之和`, checked);
}

/** A money amount written in 元, with more than 4 decimals, or too large to be 万元. */
export function amountUnitCheck(report: Pick<Report, "cells" | "units" | "template">, organ: OrganInfo | null): Check {
  const failures: Failure[] = [];
  let checked = 0;
  const fees = num(report.cells, "active.fees.amount");
  if (report.template === "2021" && fees !== null) {
    checked++;
    const cells = ["active.fees.amount"];
    const base = { table: "A" as const, row: "行政事业性收费", column: "本年收费金额（万元）", cells, expected: null, printed: fees };
    const decimals = (String(fees).split(".")[1] ?? "").length;
    const tooLarge = organ?.level === "township" ? 10000 : 100000;
    if (report.units["active.fees.amount"] === "元") {
      failures.push({ ...base, message: `本年收费金额写的是「${fees}元」，表格单位为万元：应填 ${+(fees / 10000).toFixed(6)}` });
    } else if (decimals > 4) {
      failures.push({ ...base, message: `本年收费金额 ${fees} 万元有 ${decimals} 位小数（万元的第 4 位小数已是 1 元）；请确认单位是万元，不是元` });
    } else if (fees >= tooLarge) {
      failures.push({ ...base, message: `本年收费金额 ${fees} 万元即 ${+(fees / 10000).toFixed(2)} 亿元，${organ?.level === "township" ? "对乡镇（街道）" : ""}大得不合常理，看起来是按元填写的` });
    }
  }
  const procurement = num(report.cells, "active.procurement.amount");
  if (procurement !== null) {
    checked++;
    if (report.units["active.procurement.amount"] === "元") {
      failures.push({
        table: "A",
        row: "政府集中采购",
        column: "采购总金额",
        cells: ["active.procurement.amount"],
        expected: null,
        printed: procurement,
        message: `采购总金额写的是「${procurement}元」；其他单位多按万元填写，汇总比较前请统一为万元（${+(procurement / 10000).toFixed(6)} 万元）`,
      });
    }
  }
  return check("amount_unit", failures, "金额单位无异常", checked);
}

/**
 * 复议后起诉 without any 行政复议 this year, nor last year when last year's report is known
 * (`lastYear`; the cross-year review passes it). A suit after review needs a review first.
 */
export function litigationWithoutReviewCheck(cells: Cells, lastYear?: Cells | null): Check {
  const failures: Failure[] = [];
  const after = num(cells, "litigation.after_review.total");
  const review = num(cells, "review.total");
  const lastReview = lastYear ? num(lastYear, "review.total") : null;
  const checked = after !== null && review !== null ? 1 : 0;
  if (after !== null && review !== null && after > 0 && review === 0 && !(lastReview !== null && lastReview > 0)) {
    const last = lastYear === undefined ? "如复议在上年，可忽略" : lastReview === 0 ? "上年年报的行政复议也为 0" : "上年年报不在资料库中";
    failures.push({
      table: "C",
      row: "行政诉讼（复议后起诉）",
      column: "总计",
      cells: ["litigation.after_review.total", "review.total"],
      expected: null,
      printed: after,
      message: `复议后起诉 ${after} 件，但本年行政复议为 0（${last}）；复议后起诉须先有复议，请核对是否填错了组`,
    });
  }
  return check("litigation_without_review", failures, "复议后起诉与行政复议相符", checked);
}


/** Printed tokens that are all plain whole numbers (each is then isNumberText). */
const PLAIN_NUMBERS = /^\d+(?: \d+)*$/;

/** Cells printed as blank, 「/」 or 「—」 where the template wants a number (0 if nothing happened). */
export function placeholderCheck(report: Pick<Report, "cells" | "provenance" | "derived">): Check {
  const failures: Failure[] = [];
  let checked = 0;
  // The report's cell ids, listed once (only rows with a placeholder need them).
  let ids: string[] | null = null;
  for (const rowKey of Object.keys(report.provenance)) {
    const p = report.provenance[rowKey];
    checked++;
    // Most rows print nothing but whole numbers, one space apart: every token is a number then.
    if (PLAIN_NUMBERS.test(p.printed)) continue;
    const tokens = p.printed.split(" ");
    // A printed number (「3,985,758」, 「81件」), or numbers glued together (「33123,604.14」); the
    // rest are placeholders: blank, /, —, 无 ….
    const holders = tokens.filter((t) => !isNumberText(t) && !/\d/.test(t));
    if (holders.length === 0) continue;
    const prefix = rowKey === "review" ? "" : `${rowKey}.`;
    const cells = (ids ??= Object.keys(report.cells)).filter(
      (id) => (prefix ? id.startsWith(prefix) && !id.slice(prefix.length).includes(".") : /^(review|litigation)\./.test(id)) && (report.cells[id] === null || report.derived.includes(id)),
    );
    // Every cell has its number: the blanks were filler beside the row's cells (an empty label
    // cell, the merged columns of a label), not cells.
    if (cells.length === 0) continue;
    const shown = [...new Set(holders.map((t) => (t === "" ? "空白" : `「${t}」`)))].join("、");
    failures.push({
      table: p.table,
      row: p.row,
      column: "",
      cells,
      expected: null,
      printed: null,
      message: `「${p.row}」行有 ${holders.length} 格是${shown}而不是数字；没有发生的请填 0，否则无法区分“没有”和“未填”`,
    });
  }
  return check("placeholder", failures, "应填数字处均有数字", checked);
}

export function plausibilityFamily(r: SingleReview): Check[] {
  return [
    rulesLevelCheck(r.report, r.organ),
    issuedInForceCheck(r.report),
    amountUnitCheck(r.report, r.organ),
    litigationWithoutReviewCheck(r.report.cells),
    placeholderCheck(r.report),
  ];
}
