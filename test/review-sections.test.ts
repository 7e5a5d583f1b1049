import { describe, expect, it } from "vitest";
import { isReport, parseReport, type Report } from "../parser/index.ts";
import { balancedCells, type ReportSpec, renderReport } from "./helpers/render.ts";

const ORGAN = "于都县农业农村局";
const FIVE = "公开内容的全面性有待提高。";

function parse(spec: Partial<ReportSpec>, five: string, six: string): Report {
  const r = parseReport(renderReport({ organ: ORGAN, year: 2022, ...spec, five, six }), { file: "t.txt" });
  if (!isReport(r)) throw new Error(r.error);
  return r;
}
const finding = (r: Report, id: string) => r.checks.find((c) => c.id === id)!;

const unpaid = { ...balancedCells(1), "applications.granted.natural_person": 0, "applications.granted.total": 0, "applications.other_handling.unpaid_fee.natural_person": 1, "applications.other_handling.unpaid_fee.total": 1 };

// [case, report, 五, 六, rule, fails?, words]
const cases: [string, Partial<ReportSpec>, string, string, string, boolean, string[]][] = [
  ["五 says only 「无」", {}, "无。", "无。", "problems_boilerplate", true, ["只写了「无」"]],
  ["五 has only plans", {}, "下一步，我局将继续深化政务公开，加强队伍建设。", "无。", "problems_boilerplate", true, ["没有写出存在的问题"]],
  ["五 names problems only in general words", {}, "我局政务公开工作还存在一些不足，与群众的期待仍有差距。下一步将认真改进。", "无。", "problems_boilerplate", true, ["笼统"]],
  ["五 names concrete problems", {}, "政策解读形式单一，部分栏目更新不够及时。下一步将丰富解读形式。", "无。", "problems_boilerplate", false, []],
  ["fees collected, 六 silent", { printed: { "active.fees.amount": "5.2" } }, FIVE, "无。", "fee_report", true, ["5.2 万元", "信息处理费"]],
  ["fees collected, 六 says no processing fee was charged", { printed: { "active.fees.amount": "5.2" } }, FIVE, "本年度未收取信息处理费。", "fee_report", false, []],
  ["an application lapsed unpaid, 六 silent", { cells: unpaid }, FIVE, "无。", "fee_report", true, ["逾期未缴费"]],
  ["no fee anywhere", {}, FIVE, "无。", "fee_report", false, []],
  ["2020 report (before 信息处理费)", { year: 2020, template: "2019" }, FIVE, "无。", "fee_report", false, []],
];

describe("sections 五 and 六 (提醒)", () => {
  it.each(cases)("%s", (_name, spec, five, six, id, fails, words) => {
    const c = finding(parse(spec, five, six), id);
    expect(c.severity).toBe("提醒");
    expect(c.ok).toBe(!fails);
    for (const w of words) expect(c.detail).toContain(w);
  });
});
