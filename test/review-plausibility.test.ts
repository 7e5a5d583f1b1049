import { describe, expect, it } from "vitest";
import { isReport, parseReport, type Report } from "../parser/index.ts";
import { litigationWithoutReviewCheck } from "../parser/review/plausibility.ts";
import { balancedCells, type ReportSpec, renderReport } from "./helpers/render.ts";

function parse(spec: ReportSpec): Report {
  const r = parseReport(renderReport(spec), { file: "t.txt" });
  if (!isReport(r)) throw new Error(r.error);
  return r;
}
const finding = (r: Report, id: string) => r.checks.find((c) => c.id === id)!;

const TOWNSHIP = "桦川县悦来镇人民政府";
const CITY = "淮安市人民政府";
const COUNTY_DEPT = "于都县农业农村局";
const CITY_DEPT = "淮安市交通运输局";

// [case, report, rule, fails?, words the reason must contain]
const cases: [string, ReportSpec, string, boolean, string[]][] = [
  ["seed 000: 26 规章 newly published at a township", { organ: TOWNSHIP, year: 2020, template: "2019", cells: { "active.rules.published": 26, "active.rules.total": 26 } }, "rules_level", true, ["规章", "26", "乡镇"]],
  ["规章 in force at a county department", { organ: COUNTY_DEPT, year: 2022, cells: { "active.rules.in_force": 4 } }, "rules_level", true, ["现行有效件数 4", "县级部门"]],
  ["规章 at a city government", { organ: CITY, year: 2022, cells: { "active.rules.issued": 3, "active.rules.in_force": 40 } }, "rules_level", false, []],
  ["规章 at a city department", { organ: CITY_DEPT, year: 2022, cells: { "active.rules.in_force": 2 } }, "rules_level", false, []],
  ["no 规章 at a township", { organ: TOWNSHIP, year: 2022 }, "rules_level", false, []],
  ["2021: 5 issued, 2 in force, 1 repealed", { organ: TOWNSHIP, year: 2022, cells: { "active.normative.issued": 5, "active.normative.repealed": 1, "active.normative.in_force": 2 } }, "issued_in_force", true, ["行政规范性文件", "5", "现行有效 2"]],
  ["2021: 5 issued, 10 in force", { organ: TOWNSHIP, year: 2022, cells: { "active.normative.issued": 5, "active.normative.in_force": 10 } }, "issued_in_force", false, []],
  ["2021 fees written in 元", { organ: COUNTY_DEPT, year: 2022, printed: { "active.fees.amount": "123604.14元" } }, "amount_unit", true, ["123604.14元", "万元", "12.360414"]],
  ["2021 fees with 6 decimals", { organ: COUNTY_DEPT, year: 2022, printed: { "active.fees.amount": "24252.311082" } }, "amount_unit", true, ["6 位小数"]],
  ["2021 fees of 5 亿元 at a township", { organ: TOWNSHIP, year: 2022, printed: { "active.fees.amount": "50000" } }, "amount_unit", true, ["5 亿元", "乡镇"]],
  ["2021 fees of 60.8 万元", { organ: COUNTY_DEPT, year: 2022, printed: { "active.fees.amount": "60.8" } }, "amount_unit", false, []],
  ["seed 002: 采购总金额 in 元", { organ: "宁海县西店镇人民政府", year: 2019, template: "2019", printed: { "active.procurement.amount": "123604.14元" } }, "amount_unit", true, ["采购总金额", "123604.14元"]],
  ["采购总金额 without a unit", { organ: "宁海县西店镇人民政府", year: 2019, template: "2019", printed: { "active.procurement.amount": "12.36" } }, "amount_unit", false, []],
  ["复议后起诉 without any 复议", { organ: TOWNSHIP, year: 2022, cells: { "litigation.after_review.upheld": 1, "litigation.after_review.total": 1 } }, "litigation_without_review", true, ["复议后起诉 1 件", "行政复议为 0"]],
  ["复议后起诉 after a 复议 the same year", { organ: TOWNSHIP, year: 2022, cells: { "litigation.after_review.upheld": 1, "litigation.after_review.total": 1, "review.upheld": 1, "review.total": 1 } }, "litigation_without_review", false, []],
  ["「/」 where a number is wanted", { organ: TOWNSHIP, year: 2022, printed: { "active.licensing.decisions": "/", "active.penalty.decisions": "—" } }, "placeholder", true, ["行政许可", "「/」"]],
  ["every cell a number", { organ: TOWNSHIP, year: 2022 }, "placeholder", false, []],
];

describe("plausibility rules (提醒)", () => {
  it.each(cases)("%s", (_name, spec, id, fails, words) => {
    const c = finding(parse({ ...spec, cells: { ...balancedCells(0), ...spec.cells } }), id);
    expect(c.severity).toBe("提醒");
    expect(c.ok).toBe(!fails);
    for (const w of words) expect(c.detail).toContain(w);
  });

  it("a placeholder row names the table and the blank cells", () => {
    const c = finding(parse({ organ: TOWNSHIP, year: 2022, printed: { "active.licensing.decisions": "/" } }), "placeholder");
    expect(c.failures[0]).toMatchObject({ table: "A", row: "行政许可", cells: ["active.licensing.decisions"] });
  });

  it.each([
    ["every number 0, the text says one application was handled (seed 004)", { prose: ["本年度收到并办理1起依申请公开事项，均已按时答复。"] }, false],
    ["5 applications in the table, the text says none was received", { cells: balancedCells(5), prose: ["本年度未收到政府信息公开申请。"] }, false],
    ["every number 0, the text says none was received", { prose: ["本年度未收到政府信息公开申请。"] }, true],
  ] as const)("zero table against the text is the narrative check (错误): %s", (_n, spec, ok) => {
    const c = finding(parse({ organ: TOWNSHIP, year: 2022, ...spec, prose: [...spec.prose] }), "narrative");
    expect(c.severity).toBe("错误");
    expect(c.ok).toBe(ok);
  });

  it.each([
    ["last year had a 复议: the suit follows it", { "review.total": 2 }, true, ""],
    ["last year had none either", { "review.total": 0 }, false, "上年年报的行政复议也为 0"],
    ["last year's report is not in the library", null, false, "上年年报不在资料库中"],
  ] as const)("复议后起诉 with last year's report: %s", (_n, last, ok, words) => {
    const c = litigationWithoutReviewCheck({ "litigation.after_review.total": 1, "review.total": 0 }, last);
    expect(c.ok).toBe(ok);
    expect(c.detail).toContain(words);
  });
});
