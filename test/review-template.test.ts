import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isReport, parseReport, type Report } from "../parser/index.ts";
import { SpacedText } from "../parser/normalize.ts";
import { outline } from "../parser/review/outline.ts";
import { yearCues } from "../parser/review/template-date.ts";
import { type ReportSpec, renderReport } from "./helpers/render.ts";

const SAMPLES = join(import.meta.dirname, "fixtures", "seeds");
const ORGAN = "桦川县悦来镇人民政府";

function parse(text: string): Report {
  const r = parseReport(text, { file: "t.txt" });
  if (!isReport(r)) throw new Error(r.error);
  return r;
}
const render = (spec: Partial<ReportSpec>, edit: (t: string) => string = (t) => t) => edit(renderReport({ organ: ORGAN, year: 2022, ...spec }));
const finding = (r: Report, id: string) => r.checks.find((c) => c.id === id)!;

const PREAMBLE = "本报告所列数据统计期限";
const insertPreamble = (words: string) => (t: string) => t.replace(PREAMBLE, `${words}${PREAMBLE}`);

// [case, text, rule, fails?, words of the reason]
const cases: [string, string, string, boolean, string[]][] = [
  ["2022 report in the 2019 format", render({ template: "2019" }), "template_year", true, ["2022 年", "2019 版", "〔2021〕30号"]],
  ["2022 report in the 2021 format", render({}), "template_year", false, []],
  ["2020 report in the 2019 format", render({ year: 2020, template: "2019" }), "template_year", false, []],
  ["2022 report still prints 第二十条第（九）项", render({}, (t) => t.replace("第二十条第（一）项", "第二十条第（九）项\n政府集中采购\t0\t0\n第二十条第（一）项")), "template_mixed", true, ["第二十条第（九）项"]],
  ["2021 table but the preamble cites 60号", render({}, insertPreamble("根据国办公开办函〔2019〕60号要求编制。")), "template_mixed", true, ["〔2019〕60号"]],
  ["2021 table citing 30号", render({}, insertPreamble("根据国办公开办函〔2021〕30号要求编制。")), "template_mixed", false, []],
  ["2020 report in the 2021 format", render({ year: 2020 }), "template_mixed", true, ["2020 年", "2021 版"]],
  ["title 2022, 统计期限 2021", render({}, (t) => t.replace("自2022年1月1日至2022年12月31日", "自2021年1月1日至2021年12月31日")), "year_mismatch", true, ["标题为 2022 年", "统计期限为 2021 年"]],
  ["the cited notice is last year's", render({}, insertPreamble("根据《关于做好2021年政府信息公开工作年度报告编制发布工作的通知》要求，")), "year_mismatch", true, ["引用的年报通知为 2021 年"]],
  ["title, period and notice agree", render({}, insertPreamble("根据《关于做好2022年政府信息公开工作年度报告编制发布工作的通知》要求，")), "year_mismatch", false, []],
  ["section 五 heading missing", render({}, (t) => t.replace("五、存在的主要问题及改进情况", "")), "section_order", true, ["第五部分"]],
  ["sections 五 and 六 swapped", render({}, (t) => t.replace("五、存在的主要问题及改进情况\n\n公开内容的全面性有待提高。\n\n六、其他需要报告的事项\n\n无。", "六、其他需要报告的事项\n\n无。\n\n五、存在的主要问题及改进情况\n\n公开内容的全面性有待提高。")), "section_order", true, ["顺序"]],
  ["six sections in order", render({}), "section_order", false, []],
  ["a numbered list of the sections in the preamble", render({}, insertPreamble("本报告包括：一、总体情况；二、主动公开政府信息情况；三、收到和处理政府信息公开申请情况；四、政府信息公开行政复议、行政诉讼情况；五、存在的主要问题及改进情况；六、其他需要报告的事项。")), "section_order", false, []],
];

describe("template and date rules", () => {
  it.each(cases)("%s", (_name, text, id, fails, words) => {
    const c = finding(parse(text), id);
    expect(c.ok).toBe(!fails);
    for (const w of words) expect(c.detail).toContain(w);
  });

  it("severities: an outdated format or a wrong year is an error, a leftover or a lost heading a reminder", () => {
    const r = parse(render({}));
    expect([finding(r, "template_year"), finding(r, "year_mismatch"), finding(r, "template_mixed"), finding(r, "section_order")].map((c) => c.severity)).toEqual(["错误", "错误", "提醒", "提醒"]);
  });

  it("the format notices' numbers (〔2021〕30号) are not year cues", () => {
    const text = "2023年度政府信息公开工作年度报告\n根据国办公开办函〔2021〕30号要求，本报告所列数据统计期限自2023年1月1日至2023年12月31日。";
    expect(yearCues(text, new SpacedText(text).compact).map((c) => [c.where, c.year])).toEqual([["标题", 2023], ["统计期限", 2023]]);
  });

  it("seed 003: the preamble names the six parts, the headings are found after it, and the cut-off table loses part 四", () => {
    const r = parseReport(readFileSync(join(SAMPLES, "003_7e7c3c6ca613bff5.txt")), { file: "003.txt" });
    if (!isReport(r)) throw new Error(r.error);
    expect(r.narrative[0].text).toMatch(/^2020\s*年[,，]敬仲镇/);
    expect(r.narrative[4].text).toContain("主动公开内容的全面性还需进一步完善");
    expect(finding(r, "section_order").detail).toContain("第四部分");
  });

  it("real crawled page (平潭 2022): headings inside one long line, one with a typo (行政法复议)", () => {
    const text = readFileSync(join(import.meta.dirname, "fixtures", "real", "pingtan-2022.txt"), "utf8");
    expect(outline(new SpacedText(text).compact).map((h) => h?.numbered)).toEqual([true, true, true, true, true, true]);
  });
});
