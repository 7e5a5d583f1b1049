import { describe, expect, it } from "vitest";
import { isReport, parseReport, type Report } from "../parser/index.ts";
import { countyAggregateCheck, levelComparison, LevelIndex } from "../review/levels.ts";
import { balancedCells, type ReportSpec, renderReport } from "./helpers/render.ts";

function report(spec: Partial<ReportSpec> & { organ: string }): Report {
  const r = parseReport(renderReport({ year: 2022, ...spec }), { file: `${spec.organ}.txt` });
  if (!isReport(r)) throw new Error(r.error);
  return r;
}
const AGGREGATES = ["本报告数据汇总了全县各乡镇人民政府和县直各部门的年度报告。"];
const under = [
  report({ organ: "于都县永丰镇人民政府", cells: balancedCells(3) }),
  report({ organ: "于都县黄土镇人民政府", cells: balancedCells(2) }),
  report({ organ: "于都县农业农村局", cells: balancedCells(4) }),
  report({ organ: "于都县住房和城乡建设局", cells: balancedCells(1) }),
];
const elsewhere = [report({ organ: "宁海县西店镇人民政府", cells: balancedCells(7) }), report({ organ: "于都县永丰镇人民政府", year: 2021, cells: balancedCells(50) })];
const siblings = [...under, ...elsewhere];

describe("across levels: a county against the reports under it (H1)", () => {
  const index = new LevelIndex(siblings);
  it("finds the county's townships and departments of the year, not another county's nor another year's", () => {
    expect(index.under("于都县", 2022).map((r) => r.organ)).toEqual(under.map((r) => r.organ));
    expect(index.under("于都县", 2021).map((r) => r.organ)).toEqual(["于都县永丰镇人民政府"]);
  });

  it.each([
    ["says it aggregates them, and its total is their sum", AGGREGATES, 10, true, "一致"],
    ["says it aggregates them, but its total is not their sum", AGGREGATES, 12, false, "本报告为 12，资料库中下属 4 个单位的年报合计 10"],
    ["reports only its own office: a comparison, not a finding", [], 12, true, "仅作对照"],
  ] as const)("%s", (_n, prose, own, ok, words) => {
    const county = report({ organ: "于都县人民政府", prose: [...prose], cells: balancedCells(own) });
    const cmp = levelComparison(county, index)!;
    expect(cmp.rows.find((r) => r.cell === "applications.new.total")).toMatchObject({ own, sum: 10, reports: 4 });
    const c = countyAggregateCheck(cmp);
    expect(c.severity).toBe("提醒");
    expect(c.ok).toBe(ok);
    expect(c.detail).toContain(words);
  });

  it("no comparison for a township, or for a county with nothing under it in the data", () => {
    expect(levelComparison(under[0], index)).toBeNull();
    expect(levelComparison(report({ organ: "费县人民政府" }), index)).toBeNull();
  });
});
