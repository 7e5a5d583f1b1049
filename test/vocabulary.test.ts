import { describe, expect, it } from "vitest";
import { cellFigure, type Figure, figureFromKey, figureKey, figureLabel } from "../commands/figures.ts";
import { normalizeQuestion } from "../commands/understand.ts";
import { composeFigure, scanTerms } from "../commands/vocabulary.ts";
import { APPLICANT_COLUMNS, TABLE_C_CELLS, TEMPLATES, type TemplateId } from "../parser/template.ts";

/** The figure the words of a name (or a question without organ and year) are read as. */
const read = (text: string) => composeFigure(scanTerms(normalizeQuestion(text)));

const allCells = (t: TemplateId) => [
  ...TEMPLATES[t].tableA.flatMap((d) => d.columns.map((c) => `active.${d.id}.${c}`)),
  ...TEMPLATES[t].tableB.flatMap((d) => APPLICANT_COLUMNS.map((c) => `applications.${d.id}.${c}`)),
  ...TABLE_C_CELLS,
];

describe("every cell has a name that reads back to it", () => {
  for (const t of ["2019", "2021"] as const) {
    it.each(allCells(t))(`${t}: %s`, (cell) => {
      const figure = cellFigure(cell)!;
      const label = figureLabel(figure, t);
      const back = read(label);
      expect(back.kind, `${label} → ${JSON.stringify(back)}`).toBe("figure");
      expect(back.kind === "figure" && figureKey(back.figure)).toBe(figureKey(figure));
    });
  }
});

describe("derived figures read back from the name the bot shows", () => {
  const figures: Figure[] = [
    { kind: "B", row: "denied", column: "total" },
    { kind: "B", row: "unable", column: "org" },
    { kind: "B", row: "not_processed", column: "natural_person" },
    { kind: "B", row: "other_handling", column: "total" },
    { kind: "C", group: "litigation", result: "total" },
    { kind: "C", group: "litigation", result: "corrected" },
    { kind: "openRate" },
    { kind: "share", part: { kind: "B", row: "new", column: "natural_person" }, whole: { kind: "B", row: "new", column: "total" } },
    { kind: "share", part: { kind: "C", group: "review", result: "corrected" }, whole: { kind: "C", group: "review", result: "total" } },
    { kind: "share", part: { kind: "C", group: "litigation", result: "corrected" }, whole: { kind: "C", group: "litigation", result: "total" } },
    { kind: "sum", parts: [{ kind: "C", group: "review", result: "total" }, { kind: "C", group: "litigation", result: "total" }] },
    { kind: "sum", parts: [{ kind: "B", row: "granted", column: "total" }, { kind: "B", row: "partial", column: "total" }] },
  ];
  it.each(figures.map((f) => [figureLabel(f), f] as const))("%s", (label, f) => {
    const back = read(label);
    expect(back.kind === "figure" && figureKey(back.figure)).toBe(figureKey(f));
    expect(figureFromKey(figureKey(f))).toEqual(f);
  });
});

describe("a qualifier is never dropped", () => {
  it.each([
    ["复议后起诉尚未审结", "C:litigation.after_review:pending"],
    ["未经复议直接起诉其他结果", "C:litigation.direct:other"],
    ["行政复议结果维持", "C:review:upheld"],
    ["行政诉讼", "C:litigation:total"],
    ["败诉", "C:litigation:corrected"],
    ["复议被纠错", "C:review:corrected"],
    ["律师事务所的申请予以公开", "B:granted:legal_service"],
    ["上年结转的法人或其他组织申请", "B:carried_over:org"],
    ["法人申请", "B:new:org"],
    ["企业申请部分公开", "B:partial:commercial"],
    ["个人隐私不予公开", "B:denied.third_party:total"],
    ["属于国家秘密不予公开", "B:denied.state_secret:total"],
    ["其他处理中其他一项", "B:other_handling.misc:total"],
    ["其他处理", "B:other_handling:total"],
    ["规章本年新公开数量", "A:rules:published"],
    ["规范性文件对外公开总数", "A:normative:total"],
    ["现行有效规章", "A:rules:in_force"],
    ["废止了多少行政规范性文件", "A:normative:repealed"],
    ["行政许可上一年项目数量", "A:licensing:prev_items"],
    ["行政事业性收费项目本年增减", "A:fees:change"],
    ["政府集中采购项目数量", "A:procurement:count"],
    ["政府集中采购总金额", "A:procurement:amount"],
    ["行政事业性收费金额", "A:fees:amount"],
    ["行政处罚", "A:penalty:decisions"],
    ["罚了多少", "A:penalty:decisions"],
    ["批了多少许可", "A:licensing:decisions"],
    ["被告了几次", "C:litigation:total"],
    ["没办完", "B:carried_forward:total"],
    ["转到明年办的", "B:carried_forward:total"],
    ["查无此信息", "B:unable.not_held:total"],
    ["公开率", "rate:open"],
    ["自然人申请占比", "share(B:new:natural_person/B:new:total)"],
    ["复议纠错率", "share(C:review:corrected/C:review:total)"],
    ["行政诉讼败诉率", "share(C:litigation:corrected/C:litigation:total)"],
    ["行政复议和行政诉讼合计", "sum(C:review:total+C:litigation:total)"],
    ["本年新收加上年结转一共", "sum(B:new:total+B:carried_over:total)"],
    ["依申请合计", "B:new:total"],
    ["new applications", "B:new:total"],
    ["fully disclosed", "B:granted:total"],
    ["carried forward to next year", "B:carried_forward:total"],
    ["law firms 申请", "B:new:legal_service"],
    ["penalty decisions", "A:penalty:decisions"],
  ])("%s → %s", (text, key) => {
    const r = read(text);
    expect(r.kind, JSON.stringify(r)).toBe("figure");
    expect(r.kind === "figure" && figureKey(r.figure)).toBe(key);
  });
});

describe("ambiguity gets a choice, never one figure", () => {
  it.each([
    ["规范性文件", "没有说明是哪一列"],
    ["规章", "没有说明是哪一列"],
    ["尚未审结", "没有说明是行政复议还是哪一类行政诉讼"],
    ["其他", "「其他」指哪一项不清楚"],
    ["行政复议和行政诉讼各多少", "一次问到了几项"],
    ["予以公开、部分公开分别是多少", "一次问到了几项"],
    ["行政许可和行政处罚决定数各是多少", "一次问到了几项"],
    ["政府集中采购", "没有说明是哪一列"],
    ["行政处罚现行有效", "「行政处罚」没有这一列（现行有效件数）"],
    ["行政许可金额", "「行政许可」没有这一列（金额）"],
  ])("%s", (text, why) => {
    const r = read(text);
    expect(r.kind).toBe("choice");
    expect(r.kind === "choice" && r.why).toBe(why);
  });
});

describe("change against another year is the same figure, marked", () => {
  it.each([
    ["依申请数同比增长", "growth"],
    ["依申请数增长了百分之多少", "growth"],
    ["依申请数比去年多了几件", "diff"],
  ])("%s", (text, change) => {
    const r = read(text);
    expect(r.kind === "figure" && [figureKey(r.figure), r.change]).toEqual(["B:new:total", change]);
  });
});

describe("a result taken of all results, the whole named after 占", () => {
  it.each([
    // The 公开率 spelt out by its definition.
    ["予以公开和部分公开占办结量的百分比", "openRate"],
    ["予以公开加部分公开，占办理结果总数的百分之多少", "openRate"],
    ["不予公开占办理结果总数的比例", "share:B:denied:total/B:total:total"],
    // Named against something else than all results: no figure is made up.
    ["予以公开占新收申请的比例", "none-or-choice"],
  ])("%s", (text, want) => {
    const r = read(text);
    const got = r.kind !== "figure" ? "none-or-choice" : r.figure.kind === "share" ? `share:${figureKey(r.figure.part)}/${figureKey(r.figure.whole)}` : r.figure.kind;
    expect(got).toBe(want);
  });
});
