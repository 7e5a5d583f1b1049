import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isReport, parseReport, type Report } from "../parser/index.ts";
import { APPLICANT_COLUMNS } from "../parser/template.ts";
import { carryOverCheck, inForceChainCheck, tableRepeatedCheck, textCopiedCheck, textRepeatedCheck } from "../review/cross-year.ts";
import { reviewReport } from "../review/index.ts";
import { ProseIndex } from "../review/similarity.ts";
import { balancedCells, type ReportSpec, renderReport } from "./helpers/render.ts";

const FIX = join(import.meta.dirname, "fixtures");
const PROSE = JSON.parse(readFileSync(join(FIX, "review", "prose.json"), "utf8")) as { a: string[]; b: string[] };

function parse(text: string | Uint8Array, file = "t.txt"): Report {
  const r = parseReport(text, { file });
  if (!isReport(r)) throw new Error(r.error);
  return r;
}
const report = (spec: Partial<ReportSpec>) => parse(renderReport({ organ: "于都县永丰镇人民政府", year: 2022, ...spec }));
const withCells = (r: Report, cells: Record<string, number>): Report => ({ ...r, cells: { ...r.cells, ...cells } });

describe("平潭综合实验区 2019–2025: each year's 上年结转 against the year before's 结转下年度", () => {
  const series = [2019, 2020, 2021, 2022, 2023, 2024, 2025].map((y) => parse(readFileSync(join(FIX, "real", `pingtan-${y}.txt`)), `pingtan-${y}.txt`));
  const pairs = series.slice(1).map((r, i) => [r.year, series[i], r] as const);

  it.each(pairs)("%i: all seven printed pairs agree", (_y, last, r) => {
    const c = carryOverCheck(r, last);
    expect(c.ok).toBe(true);
    expect(c.severity).toBe("错误");
    expect(c.detail).toContain(`7 列上年结转与 ${last.year} 年年报的结转下年度一致`);
  });

  it("the printed pairs: 2021 carried 1 application (自然人) into 2022, 2025 carries 6 forward", () => {
    expect(series[2].cells["applications.carried_forward.total"]).toBe(1);
    expect(series[3].cells["applications.carried_over.natural_person"]).toBe(1);
    expect(series[6].cells["applications.carried_forward.total"]).toBe(6);
  });

  it("a 2022 that printed 2 in 上年结转 (总计) is an error naming the column and last year's figure", () => {
    const c = carryOverCheck(withCells(series[3], { "applications.carried_over.total": 2 }), series[2]);
    expect(c.ok).toBe(false);
    expect(c.failures).toHaveLength(1);
    expect(c.failures[0]).toMatchObject({ table: "B", column: "总计", expected: 1, printed: 2 });
    expect(c.detail).toContain("2021 年年报「四、结转下年度继续办理」为 1");
  });

  it("the real prose of consecutive years is not called a repeat", () => {
    for (const [, last, r] of pairs) expect(textRepeatedCheck(r, last).ok).toBe(true);
  });
});

describe("cross-year rules", () => {
  const carried = (n: number) => Object.fromEntries(APPLICANT_COLUMNS.map((c) => [`applications.carried_forward.${c}`, c === "natural_person" || c === "total" ? n : 0]));
  const over = (n: number) => Object.fromEntries(APPLICANT_COLUMNS.map((c) => [`applications.carried_over.${c}`, c === "natural_person" || c === "total" ? n : 0]));
  const last2021 = withCells(report({ year: 2021 }), carried(3));

  it.each([
    ["上年结转 3 = last year's 结转 3", withCells(report({}), over(3)), last2021, true, 7],
    ["上年结转 0, last year carried 3", report({}), last2021, false, 7],
    ["no report of last year", report({}), null, true, 0],
    ["the report found is two years old", report({ year: 2023 }), last2021, true, 0],
  ] as const)("carry_over: %s", (_n, r, last, ok, checked) => {
    const c = carryOverCheck(r, last);
    expect(c.ok).toBe(ok);
    if (checked === 0) expect(c.detail).toMatch(/没有上年年报/);
    else expect(c.failures.length).toBe(ok ? 0 : 2);
  });

  it("carry_over: a 上年结转 the parser derived from a rule is not printed and not compared", () => {
    const r = { ...report({}), derived: ["applications.carried_over.total"] };
    expect(carryOverCheck(withCells(r, over(0)), last2021).failures.map((f) => f.column)).toEqual(["自然人"]);
  });

  const active = (inForce: number, issued: number, repealed: number) => ({ "active.normative.in_force": inForce, "active.normative.issued": issued, "active.normative.repealed": repealed });
  it.each([
    ["10 + 2 − 1 = 11", active(11, 2, 1), true, ""],
    ["10 + 2 − 1 ≠ 15", active(15, 2, 1), false, "应为 11 件"],
    ["12 repealed of 10 + 1", active(0, 1, 12), false, "本年废止 12 件"],
  ] as const)("in_force_chain: %s", (_n, cells, ok, words) => {
    const c = inForceChainCheck(withCells(report({}), cells), withCells(last2021, { "active.normative.in_force": 10 }));
    expect(c.severity).toBe("提醒");
    expect(c.ok).toBe(ok);
    expect(c.detail).toContain(words);
  });

  it("in_force_chain: not across the 2020→2021 change of format", () => {
    const last = report({ year: 2020, template: "2019" });
    const c = inForceChainCheck(report({ year: 2021, cells: { "active.normative.in_force": 99 } }), last);
    expect(c.ok).toBe(true);
    expect(c.detail).toContain("2021 版格式");
  });

  it.each([
    ["the same prose as last year", PROSE.a, PROSE.a, false, ["与 2021 年年报相同", "总体情况「"]],
    ["last year's prose with this year's numbers and one paragraph new", PROSE.a, [...PROSE.a.slice(0, 4), PROSE.b[0]], true, []],
    ["different prose", PROSE.a, PROSE.b, true, []],
  ] as const)("text_repeated: %s", (_n, before, now, ok, words) => {
    const c = textRepeatedCheck(report({ prose: [...now] }), report({ year: 2021, prose: [...before] }));
    expect(c.severity).toBe("提醒");
    expect(c.ok).toBe(ok);
    for (const w of words) expect(c.detail).toContain(w);
  });

  const busy = { ...balancedCells(8), "active.licensing.decisions": 120, "active.penalty.decisions": 14, "active.enforcement.decisions": 3 };
  it.each([
    ["tables with 8 applications and 137 decisions, as last year", busy, busy, false, ["表二", "表三"]],
    ["a small township's tables, all 0 both years", balancedCells(0), balancedCells(0), true, []],
    ["one application both years, nothing else", balancedCells(1), balancedCells(1), true, []],
    ["different numbers", busy, { ...busy, "active.licensing.decisions": 121 }, false, ["表三"]],
  ] as const)("table_repeated: %s", (_n, before, now, ok, words) => {
    const c = tableRepeatedCheck(report({ cells: { ...now } }), report({ year: 2021, cells: { ...before } }));
    expect(c.ok).toBe(ok);
    for (const w of words) expect(c.detail).toContain(w);
  });

  it("table_repeated: 表二 differs, so only 表三 is named", () => {
    const c = tableRepeatedCheck(report({ cells: { ...busy, "active.licensing.decisions": 121 } }), report({ year: 2021, cells: busy }));
    expect(c.failures.map((f) => f.table)).toEqual(["B"]);
  });

  it.each([
    ["another township's text with its own name", ["于都县永丰镇人民政府", "于都县黄土镇人民政府"], [PROSE.a, PROSE.a], [false, false], "于都县黄土镇人民政府"],
    ["different texts", ["于都县永丰镇人民政府", "于都县黄土镇人民政府"], [PROSE.a, PROSE.b], [true, true], ""],
    ["the county's template shared by every township is not one township's copy", Array.from({ length: 12 }, (_, i) => `于都县${"甲乙丙丁戊己庚辛壬癸子丑"[i]}村镇人民政府`), Array.from({ length: 12 }, () => PROSE.a), Array(12).fill(true), ""],
  ] as const)("text_copied: %s", (_n, organs, prose, ok, other) => {
    const reports = organs.map((organ, i) => report({ organ, prose: [...prose[i]] }));
    const index = new ProseIndex(reports);
    const checks = reports.map((r) => textCopiedCheck(r, index));
    expect(checks.map((c) => c.ok)).toEqual(ok);
    if (other) expect(checks[0].detail).toContain(other);
  });

  it("复议后起诉 without a 复议 this year is fine when last year's report had one", () => {
    const suit = { ...balancedCells(0), "litigation.after_review.upheld": 1, "litigation.after_review.total": 1 };
    const r = report({ cells: suit });
    expect(r.checks.find((c) => c.id === "litigation_without_review")!.ok).toBe(false);
    const last = report({ year: 2021, cells: { ...balancedCells(0), "review.upheld": 1, "review.total": 1 } });
    const reviewed = reviewReport(r, { lastYear: last });
    expect(reviewed.checks.filter((c) => c.id === "litigation_without_review")).toMatchObject([{ ok: true }]);
    expect(reviewReport(r, { lastYear: null }).findings.find((c) => c.id === "litigation_without_review")!.detail).toContain("上年年报不在资料库中");
  });
});
