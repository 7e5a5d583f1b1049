import { spawnSync } from "node:child_process";
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { ruleName } from "../parser/review/index.ts";
import {
  buildWorkbook,
  displayWidth,
  exportFileName,
  type ExportInput,
  exportInput,
  NOTES,
  severityLabel,
  SHEET_NAMES,
  splitByRegion,
  TOTAL_LABEL,
} from "../export/summary.ts";
import { exportWorkbooks, headerLayout } from "../export/xlsx.ts";
import { ReportStore } from "../index/store.ts";
import { isReport, parseReport } from "../parser/index.ts";
import { cellLabel, REVIEW_GROUP_LABELS, REVIEW_KEY_LABELS, TEMPLATES } from "../parser/template.ts";
import { balancedCells, renderReport } from "./helpers/render.ts";
import { tempDirs } from "./helpers/tmp.ts";

const SEEDS = join(import.meta.dirname, "fixtures", "seeds");
const tempDir = tempDirs("export");

/** Reports of 2020 beside the seeds: a 2021-format township with a 规章 count, a 街道 whose table breaks `balance`. */
const RENDERED: Record<string, string> = {
  "qiangjiao-2020.txt": renderReport({
    organ: "宁海县强蛟镇人民政府",
    year: 2020,
    template: "2021",
    cells: { ...balancedCells(5), "active.rules.issued": 2 },
    published: "2021年1月25日",
  }),
  "qiaotouhu-2020.txt": renderReport({
    organ: "宁海县桥头胡街道办事处",
    year: 2020,
    template: "2021",
    cells: { ...balancedCells(3), "applications.carried_forward.total": 1, "applications.carried_forward.natural_person": 1 },
  }),
};

function loadStore(): ReportStore {
  const seeds = readdirSync(SEEDS).map((f) => parseReport(readFileSync(join(SEEDS, f)), { file: f }));
  const rendered = Object.entries(RENDERED).map(([f, text]) => parseReport(text, { file: f }));
  return new ReportStore([...seeds, ...rendered].filter(isReport));
}

/** A finding of a check id the exporter has never heard of, with a severity: shown as it comes. */
const RULES_AT_TOWNSHIP = {
  id: "plausibility.rules_at_township",
  ok: false,
  detail: "乡镇不制定规章",
  severity: "warning",
  failures: [
    { row: "规章", column: "本年制发件数", cells: ["active.rules.issued"], expected: 0, printed: 2, message: "乡镇不制定规章，规章却是 2" },
  ],
};

function withFinding(input: ExportInput, organ: string): ExportInput {
  return {
    ...input,
    organs: input.organs.map((o) =>
      o.name === organ && o.report ? { ...o, report: { ...o.report, checks: [...o.report.checks, RULES_AT_TOWNSHIP] } } : o,
    ),
  };
}

async function open(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  // exceljs types its input as an ArrayBuffer.
  await wb.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  return wb;
}

function sheet(wb: ExcelJS.Workbook, name: string): ExcelJS.Worksheet {
  const ws = wb.getWorksheet(name);
  if (!ws) throw new Error(`no sheet ${name}`);
  return ws;
}

/** The row whose first cell is `name`. */
function rowOf(ws: ExcelJS.Worksheet, name: string): ExcelJS.Row {
  for (let r = 1; r <= ws.rowCount; r++) if (ws.getRow(r).getCell(1).value === name) return ws.getRow(r);
  throw new Error(`no row ${name} in ${ws.name}`);
}

/** The column whose header reads `label` (under `group` when given), 1-based. */
function colOf(ws: ExcelJS.Worksheet, label: string, group?: string, headerRow = 1): number {
  for (let c = 1; c <= ws.columnCount; c++) {
    const top = ws.getRow(headerRow).getCell(c).value;
    const below = ws.getRow(headerRow + 1).getCell(c).value;
    if (group === undefined ? top === label : top === group && below === label) return c;
  }
  throw new Error(`no column ${group ?? ""}/${label} in ${ws.name}`);
}

const RED = "FFFFC7CE";
const fillOf = (cell: ExcelJS.Cell) => (cell.fill?.type === "pattern" ? cell.fill.fgColor?.argb : undefined);
const noteOf = (cell: ExcelJS.Cell) => (typeof cell.note === "string" ? cell.note : (cell.note?.texts ?? []).map((t) => t.text).join(""));

const B = (row: string) => TEMPLATES["2021"].tableB.find((d) => d.id === row)!.label;
const APPS = "收到和处理政府信息公开申请情况";

describe("export workbook", () => {
  let store: ReportStore;
  let wb2020: ExcelJS.Workbook;
  let wb2019: ExcelJS.Workbook;
  let files2020: Awaited<ReturnType<typeof exportWorkbooks>>;

  beforeAll(async () => {
    store = loadStore();
    files2020 = await exportWorkbooks(withFinding(exportInput(store.organs, 2020), "宁海县强蛟镇人民政府"));
    wb2020 = await open(files2020[0].bytes);
    wb2019 = await open((await exportWorkbooks(exportInput(store.organs, 2019)))[0].bytes);
  });

  it("is one file named by year, with the six sheets in order", () => {
    expect(files2020.map((f) => f.fileName)).toEqual(["2020年 政府信息公开年报汇总.xlsx"]);
    expect(files2020[0]).toMatchObject({ reports: 5, unpublished: 1 });
    expect(wb2020.worksheets.map((w) => w.name)).toEqual([...SHEET_NAMES]);
  });

  it.each([
    // sheet, frozen header rows (主动公开 has a caption line: both formats are present in 2020)
    ["汇总", 2],
    ["依申请", 2],
    ["主动公开", 3],
    ["复议诉讼", 2],
    ["校验", 1],
    ["未发布", 1],
  ])("%s keeps its %i header rows and the organ column in view", (name, rows) => {
    expect(sheet(wb2020, name).views[0]).toMatchObject({ state: "frozen", ySplit: rows, xSplit: 1 });
  });

  it.each([
    // sheet, merged range, the text it shows
    ["复议诉讼", "C1:G1", REVIEW_GROUP_LABELS.review],
    ["复议诉讼", "H1:L1", REVIEW_GROUP_LABELS["litigation.direct"]],
    ["复议诉讼", "M1:Q1", REVIEW_GROUP_LABELS["litigation.after_review"]],
    ["复议诉讼", "A1:A2", "单位"],
    ["依申请", "D1:J1", B("new")],
    ["依申请", "K1:Q1", B("carried_over")],
    ["汇总", "F1:O1", APPS],
  ])("%s merges %s under 「%s」", (name, range, text) => {
    const ws = sheet(wb2020, name);
    expect(ws.model.merges).toContain(range);
    expect(ws.getCell(range.split(":")[0]).value).toBe(text);
  });

  it("shows table C's 15 columns under the three groups, labelled by the template", () => {
    const ws = sheet(wb2020, "复议诉讼");
    const labels = Array.from({ length: 15 }, (_, i) => ws.getRow(2).getCell(3 + i).value);
    expect(labels).toEqual([0, 1, 2].flatMap(() => Object.values(REVIEW_KEY_LABELS)));
  });

  it.each([
    // sheet, organ, column label, group, value (seed 002: 西店镇 2019)
    ["汇总", B("new"), APPS, 21],
    ["汇总", B("granted"), APPS, 16],
    ["汇总", B("carried_forward"), APPS, 4],
    ["汇总", cellLabel("review.corrected"), "政府信息公开行政复议、行政诉讼情况", 1],
    ["依申请", "自然人", B("partial"), 1],
    ["主动公开", "处理决定数量", "行政许可", 21538],
    ["主动公开", "金额", "政府集中采购", 123604.14],
  ])("a seed's figure is a number in its cell: %s %s", (name, label, group, value) => {
    const ws = sheet(wb2019, name);
    const cell = rowOf(ws, "西店镇").getCell(colOf(ws, label as string, group as string));
    expect(cell.value).toBe(value);
    expect(typeof cell.value).toBe("number");
  });

  it("notes the unit a money figure was printed in", () => {
    const ws = sheet(wb2019, "主动公开");
    expect(noteOf(rowOf(ws, "西店镇").getCell(colOf(ws, "金额", "政府集中采购")))).toContain("原文单位：元");
  });

  it("ends a sheet with a total row: a SUM formula over the organs, its result, and how many organs lack the number", () => {
    const ws = sheet(wb2020, "汇总");
    const total = rowOf(ws, TOTAL_LABEL);
    expect(total.getCell(2).value).toBe("5 个单位");
    const col = colOf(ws, B("new"), APPS);
    const values = [3, 4, 5, 6, 7].map((r) => ws.getRow(r).getCell(col).value as number);
    const letter = ws.getColumn(col).letter;
    expect(total.getCell(col).value).toEqual({ formula: `SUM(${letter}3:${letter}7)`, result: values.reduce((a, b) => a + b, 0) });
    expect(values.reduce((a, b) => a + b, 0)).toBe(8); // 强蛟镇 5 + 桥头胡街道 3 + three seeds with 0
    // 敬仲镇 (seed 003) lost most of table B: its 总计 is not in the sum, and the total says so.
    const totalCol = colOf(ws, B("total"), APPS);
    expect(noteOf(total.getCell(totalCol))).toBe("1 个单位缺少此项，合计不含这些单位");
  });

  it("does not total what does not add up (dates, money in mixed units)", () => {
    const ws = sheet(wb2020, "汇总");
    const total = rowOf(ws, TOTAL_LABEL);
    expect(total.getCell(colOf(ws, "发布日期")).value).toBeNull();
    expect(total.getCell(colOf(ws, cellLabel("active.fees.amount"), "主动公开政府信息情况")).value).toBeNull();
  });

  it.each([
    // sheet, organ, column label, group, the check's name in the note
    ["汇总", "李楼镇", B("new"), APPS, ruleName("narrative")],
    ["依申请", "宁海县桥头胡街道办事处", "自然人", B("carried_forward"), ruleName("balance")],
    ["依申请", "宁海县桥头胡街道办事处", "总计", B("new"), ruleName("balance")],
    ["汇总", "宁海县强蛟镇人民政府", cellLabel("active.rules.issued"), "主动公开政府信息情况", "提醒·plausibility.rules_at_township：乡镇不制定规章"],
    // 主动公开's headers start on row 2, under the caption of its 2021 block.
    ["主动公开", "宁海县强蛟镇人民政府", "本年制发件数", "规章", "乡镇不制定规章", 2],
  ])("a cell that fails a check is highlighted and says why: %s %s", (name, organ, label, group, why, headerRow = 1) => {
    const ws = sheet(wb2020, name);
    const cell = rowOf(ws, organ).getCell(colOf(ws, label, group, headerRow));
    expect(fillOf(cell)).toBe(RED);
    expect(noteOf(cell)).toContain(why);
  });

  it("leaves a cell that passes every check unmarked", () => {
    const ws = sheet(wb2020, "依申请");
    const cell = rowOf(ws, "宁海县强蛟镇人民政府").getCell(colOf(ws, "自然人", B("new")));
    expect(cell.value).toBe(5);
    expect(fillOf(cell)).toBeUndefined();
    expect(cell.note).toBeUndefined();
  });

  it("leaves missing numbers empty, with a note saying why", () => {
    const review = sheet(wb2020, "复议诉讼");
    // Seed 003 (敬仲镇) has no table C at all.
    const row = rowOf(review, "临淄区敬仲镇人民政府");
    for (let c = 3; c <= 17; c++) {
      expect(row.getCell(c).value).toBeNull();
      expect(noteOf(row.getCell(c))).toBe(NOTES.notPrinted);
    }
    // Seed 000 (悦来镇) left cells blank that the table's rules determine.
    const summary = sheet(wb2020, "汇总");
    const derived = rowOf(summary, "桦川县悦来镇").getCell(colOf(summary, B("granted"), APPS));
    expect(derived.value).toBe(0);
    expect(noteOf(derived)).toBe(NOTES.derived);
  });

  it("shades a cell the report's format does not have, without a number", () => {
    const ws = sheet(wb2020, "汇总");
    const cell = rowOf(ws, "李楼镇").getCell(colOf(ws, cellLabel("active.rules.issued"), "主动公开政府信息情况"));
    expect(cell.value).toBeNull();
    expect(fillOf(cell)).toBe("FFEDEDED");
  });

  it("gives table A one block per format, each under its own headers", () => {
    const ws = sheet(wb2020, "主动公开");
    expect(ws.getCell("A1").value).toBe("2021版格式的年报");
    expect(rowOf(ws, "宁海县强蛟镇人民政府").getCell(colOf(ws, "本年制发件数", "规章", 2)).value).toBe(2);
    const caption2019 = rowOf(ws, "2019版格式的年报").number;
    expect(ws.getRow(caption2019 + 1).getCell(3).value).toBe(TEMPLATES["2019"].tableA[0].label);
    expect(rowOf(ws, "李楼镇").number).toBeGreaterThan(caption2019);
  });

  it("lists one row per finding in 校验, with the severity, and counts them in 汇总", () => {
    const ws = sheet(wb2020, "校验");
    const rows = ws.getRows(2, ws.rowCount - 1)!.map((r) => [1, 3, 4, 5, 6, 7, 8].map((c) => r.getCell(c).value));
    expect(rows).toContainEqual(["李楼镇", ruleName("narrative"), "错误", "一、本年新收申请（总计）", "总计", 1, 0]);
    expect(rows).toContainEqual(["宁海县强蛟镇人民政府", "plausibility.rules_at_township", "提醒", "规章", "本年制发件数", 0, 2]);
    expect(rows.filter((r) => r[0] === "宁海县桥头胡街道办事处" && r[1] === ruleName("balance"))).toHaveLength(2);
    const summary = sheet(wb2020, "汇总");
    const counts = (organ: string) => [colOf(summary, "错误", "校验"), colOf(summary, "提醒", "校验")].map((c) => rowOf(summary, organ).getCell(c).value);
    // The added finding, and the parser's own 提醒: 规章 at a township, 制发 > 现行有效 + 废止, a 2020 report in the 2021 format.
    expect(counts("宁海县强蛟镇人民政府")).toEqual([0, 4]);
    expect(counts("宁海县桥头胡街道办事处")).toEqual([2, 1]); // …and a 2020 report in the 2021 format
    expect(counts("桦川县悦来镇")).toEqual([0, 1]); // seed 000: 26 规章 at a township
  });

  it("lists in 未发布 the organs with last year's report and none this year", () => {
    const ws = sheet(wb2020, "未发布");
    expect(ws.rowCount).toBe(2);
    expect(ws.getRow(2).getCell(1).value).toBe("西店镇");
    expect(ws.getRow(2).getCell(4).value).toBe("2019年有年报，资料库中没有2020年的年报");
    expect(sheet(wb2019, "未发布").rowCount).toBe(1);
  });

  it("writes dates as dates and sizes columns for their Chinese labels and names", () => {
    const ws = sheet(wb2020, "汇总");
    expect(rowOf(ws, "宁海县强蛟镇人民政府").getCell(colOf(ws, "发布日期")).value).toEqual(new Date(Date.UTC(2021, 0, 25)));
    expect(ws.getColumn(1).width).toBeGreaterThanOrEqual(displayWidth("宁海县桥头胡街道办事处"));
    // A label wider than its column wraps onto a taller header row.
    const col = colOf(ws, B("new"), APPS);
    expect(displayWidth(B("new"))).toBeGreaterThan(ws.getColumn(col).width!);
    expect(ws.getRow(2).height).toBeGreaterThan(20);
  });
});

describe("export input and names", () => {
  it.each([
    [[], ["宁海县强蛟镇人民政府", "宁海县桥头胡街道办事处", "桦川县悦来镇", "临淄区敬仲镇人民政府", "李楼镇", "西店镇"]],
    // 西店镇's name says no county; the division list puts it in 宁海县 (it has 2019's report, not 2020's).
    [["宁海县"], ["宁海县强蛟镇人民政府", "宁海县桥头胡街道办事处", "西店镇"]],
    [["临淄区", "李楼镇"], ["临淄区敬仲镇人民政府", "李楼镇"]],
    [["象山县"], []],
  ])("areas %j select %j", (areas, names) => {
    const input = exportInput(loadStore().organs, 2020, areas);
    expect(input.organs.map((o) => o.name).sort()).toEqual([...names].sort());
  });

  it.each([
    [2025, ["宁海县"], undefined, "2025年 宁海县 政府信息公开年报汇总.xlsx"],
    [2025, [], undefined, "2025年 政府信息公开年报汇总.xlsx"],
    [2025, ["宁海县", "象山县"], undefined, "2025年 宁海县、象山县 政府信息公开年报汇总.xlsx"],
    [2025, ["宁海县"], 2, "2025年 宁海县 政府信息公开年报汇总（第2部分）.xlsx"],
    [2025, ["a/b"], undefined, "2025年 a_b 政府信息公开年报汇总.xlsx"],
  ])("year %i, areas %j, part %s → %s", (year, areas, part, name) => {
    expect(exportFileName(year, areas, part)).toBe(name);
  });

  it.each([
    [undefined, "错误"],
    ["error", "错误"],
    ["错误", "错误"],
    ["warning", "提醒"],
    ["提醒", "提醒"],
    ["严重", "严重"],
  ])("severity %s reads %s", (severity, label) => {
    expect(severityLabel(severity)).toBe(label);
  });

  it.each([
    // columns (group/label), header rows, cells as [text, row, col, rows, cols]
    [[["", "单位"], ["", "说明"]], 1, [["单位", 0, 1, 1, 1], ["说明", 0, 2, 1, 1]]],
    [
      [["", "单位"], ["G", "a"], ["G", "b"], ["H", "c"]],
      2,
      [["单位", 0, 1, 2, 1], ["G", 0, 2, 1, 2], ["a", 1, 2, 1, 1], ["b", 1, 3, 1, 1], ["H", 0, 4, 1, 1], ["c", 1, 4, 1, 1]],
    ],
  ])("header layout %j", (cols, rows, cells) => {
    const columns = (cols as string[][]).map(([group, label]) => ({ label, kind: "text" as const, width: 8, ...(group ? { group } : {}) }));
    const layout = headerLayout(columns);
    expect(layout.rows).toBe(rows);
    expect(layout.cells.map((h) => [h.text, h.row, h.col, h.rows, h.cols])).toEqual(cells);
  });

  it("builds the same sheets whatever the order organs come in", () => {
    const input = exportInput(loadStore().organs, 2020);
    const names = (i: ExportInput) => [...buildWorkbook(i).sheets[0].blocks[0].rows()].map((r) => r[0].value);
    expect(names({ ...input, organs: [...input.organs].reverse() })).toEqual(names(input));
  });
});

describe("export over the upload limit", () => {
  it("splits by region, each file holding only its region's organs", async () => {
    const input = exportInput(loadStore().organs, 2020);
    const [whole] = await exportWorkbooks(input);
    const files = await exportWorkbooks(input, { maxBytes: whole.bytes.length - 1 });
    const regions = splitByRegion(input).map((p) => p.areas[0]);
    expect(files.map((f) => f.fileName)).toEqual(regions.map((r) => `2020年 ${r} 政府信息公开年报汇总.xlsx`));
    expect(files.map((f) => f.fileName)).toContain("2020年 宁海县 政府信息公开年报汇总.xlsx");
    expect(files.reduce((s, f) => s + f.reports, 0)).toBe(whole.reports);
    const ninghai = await open(files.find((f) => f.fileName.includes("宁海县"))!.bytes);
    const names = sheet(ninghai, "汇总").getColumn(1).values.slice(3);
    expect(names).toEqual(["宁海县强蛟镇人民政府", "宁海县桥头胡街道办事处", TOTAL_LABEL]);
  });

  it("halves a region that alone is over the limit, numbering the parts", async () => {
    const input = exportInput(loadStore().organs, 2020, ["宁海县"]);
    const files = await exportWorkbooks(input, { maxBytes: 1 });
    // Three organs, one per part; 西店镇 (no 2020 report) is listed in its part's 未发布.
    expect(files.map((f) => f.fileName)).toEqual([1, 2, 3].map((n) => `2020年 宁海县 政府信息公开年报汇总（第${n}部分）.xlsx`));
    expect(files.reduce((s, f) => s + f.reports, 0)).toBe(2);
  });
});

describe("npm run export", () => {
  const cli = (args: string[]) =>
    spawnSync(process.execPath, ["--import", "tsx", join(import.meta.dirname, "..", "bot", "cli-export.ts"), ...args], { encoding: "utf8" });

  function reportsDir(): string {
    const dir = tempDir();
    cpSync(SEEDS, dir, { recursive: true });
    for (const [f, text] of Object.entries(RENDERED)) writeFileSync(join(dir, f), text);
    return dir;
  }

  it("writes the workbook of an area to --out", async () => {
    const reports = reportsDir();
    const out = join(tempDir(), "宁海.xlsx");
    const run = cli(["--reports", reports, "--data", join(tempDir(), "data"), "--year", "2020", "--area", "宁海县", "--out", out]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("2 份年报");
    const wb = await open(readFileSync(out));
    expect(sheet(wb, "汇总").getColumn(1).values.slice(3)).toEqual(["宁海县强蛟镇人民政府", "宁海县桥头胡街道办事处", TOTAL_LABEL]);
  });

  it("names the file by year and area when --out is a folder", () => {
    const reports = reportsDir();
    const dir = tempDir();
    const run = cli(["--reports", reports, "--data", join(tempDir(), "data"), "--year", "2020", "--area", "临淄区", "--out", dir]);
    expect(run.status).toBe(0);
    expect(existsSync(join(dir, "2020年 临淄区 政府信息公开年报汇总.xlsx"))).toBe(true);
  });

  it.each([
    [["--year", "二〇二〇"], 2, "--year 需要四位年份"],
    [[], 2, "--year 需要年份"],
    [["--year", "2020", "--area", "象山县"], 1, "资料库中没有「象山县」的单位"],
    [["--year", "2030"], 1, "资料库中没有2030年的年报"],
  ])("answers %j with exit %i and a clear message", (args, status, message) => {
    const dir = tempDir();
    const run = cli(["--reports", SEEDS, "--data", join(dir, "data"), "--out", dir, ...args]);
    expect(run.status).toBe(status);
    expect(run.stderr).toContain(message);
    expect(readdirSync(dir).filter((f) => f.endsWith(".xlsx"))).toEqual([]);
  });
});
