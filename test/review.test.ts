import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isReport, parseReport, type Report } from "../parser/index.ts";
import { reviewReport, reviewYear } from "../review/index.ts";
import { balancedCells, type ReportSpec, renderReport } from "./helpers/render.ts";

const FIX = join(import.meta.dirname, "fixtures");
const SAMPLES = join(import.meta.dirname, "fixtures", "seeds");

function parseFile(path: string): Report {
  const r = parseReport(readFileSync(path), { file: path });
  if (!isReport(r)) throw new Error(`${path}: ${r.error}`);
  return r;
}
const render = (spec: Partial<ReportSpec> & { organ: string }): Report => {
  const r = parseReport(renderReport({ year: 2022, ...spec }), { file: `${spec.organ}.txt` });
  if (!isReport(r)) throw new Error(r.error);
  return r;
};

describe("the five seeds' known problems are all reported", () => {
  it.each([
    ["000_300c643672395d3d.txt", "rules_level", "提醒", "规章填了 本年新公开数量 26"],
    ["002_108787ae7295ae56.txt", "amount_unit", "提醒", "123604.14元"],
    ["003_7e7c3c6ca613bff5.txt", "incomplete", "错误", "依申请表缺少 19 行"],
    ["004_e2e8df88f0911129.txt", "narrative", "错误", "收到并办理1起"],
  ])("%s: %s (%s)", (file, id, severity, words) => {
    const review = reviewReport(parseFile(join(SAMPLES, file)), { lastYear: null });
    const f = review.findings.find((c) => c.id === id)!;
    expect(f).toBeDefined();
    expect(f.severity).toBe(severity);
    expect(f.detail).toContain(words);
    expect(review.verdict).toMatch(severity === "错误" ? /\d+ 个错误/ : /\d+ 个提醒/);
  });

  it("seed 001 (a sound 2023 township report) has no error", () => {
    expect(reviewReport(parseFile(join(SAMPLES, "001_5f25c15575702d27.txt"))).counts.错误).toBe(0);
  });
});

interface Gold {
  file: string;
  organ: string;
  region: string;
  year: number;
  truncated: boolean;
  checks: { balance: boolean };
  narrative_claims: { mismatch: boolean };
}

describe("dev layouts: the review of each year, last year's report found by organ and county", () => {
  const golds = JSON.parse(readFileSync(join(FIX, "dev", "gold.json"), "utf8")) as Gold[];
  const reports = new Map(golds.map((g) => [g.file, parseFile(join(FIX, "dev", g.file))]));
  const goldOf = new Map([...reports].map(([f, r]) => [r, golds.find((g) => g.file === f)!]));
  const key = (g: Gold, year: number) => `${g.region}|${g.organ}|${year}`;
  const byKey = new Map([...goldOf].map(([r, g]) => [key(g, g.year), r]));
  const years = [...new Set(golds.map((g) => g.year))];
  const rows = years.flatMap((year) =>
    reviewYear({ year, reports: [...reports.values()].filter((r) => r.year === year), lastYearOf: (r) => byKey.get(key(goldOf.get(r)!, year - 1)) ?? null }).rows,
  );
  const sound = rows.filter((row) => {
    const g = goldOf.get(row.report!)!;
    return g.checks.balance && !g.truncated && !g.narrative_claims.mismatch;
  });

  it("reviews every report once", () => expect(rows).toHaveLength(golds.length));
  it("no 错误 on a sound report", () => {
    expect(sound.length).toBeGreaterThan(15);
    expect(sound.filter((row) => row.counts.错误 > 0).map((row) => `${row.report!.file}: ${row.findings.map((c) => c.id)}`)).toEqual([]);
  });
  it("every deliberate balance break is still an error", () => {
    const broken = rows.filter((row) => !goldOf.get(row.report!)!.checks.balance);
    expect(broken.length).toBeGreaterThan(5);
    for (const row of broken) expect(row.findings.filter((c) => c.severity === "错误").map((c) => c.id)).toContain("balance");
  });
  it("every cut-off table is an error", () => {
    for (const row of rows.filter((r) => goldOf.get(r.report!)!.truncated)) expect(row.findings.map((c) => c.id)).toContain("incomplete");
  });
});

describe("reviewYear: one row per organ, worst first", () => {
  const ok = render({ organ: "于都县永丰镇人民政府", cells: balancedCells(2) });
  const reminder = render({ organ: "于都县黄土镇人民政府", cells: { ...balancedCells(0), "active.rules.issued": 2, "active.rules.in_force": 2 } });
  const error = render({ organ: "于都县罗坳镇人民政府", cells: { ...balancedCells(2), "applications.total.total": 3 } });
  const lastOfOk = render({ organ: "于都县永丰镇人民政府", year: 2021, cells: balancedCells(2) });
  const review = reviewYear({
    year: 2022,
    reports: [ok, reminder, error],
    lastYearOf: (r) => (r === ok ? lastOfOk : null),
    missing: ["于都县银坑镇人民政府", "于都县岭背镇人民政府"],
    today: "2023-02-10",
  });

  it("orders by 错误, then 提醒, then name, with missing reports after their deadline as errors", () => {
    expect(review.rows.map((r) => [r.organ, r.verdict])).toEqual([
      ["于都县罗坳镇人民政府", "3 个错误"],
      ["于都县岭背镇人民政府", "1 个错误"],
      ["于都县银坑镇人民政府", "1 个错误"],
      ["于都县黄土镇人民政府", "1 个提醒"],
      ["于都县永丰镇人民政府", "未发现问题"],
    ]);
    expect(review.counts).toEqual({ 错误: 5, 提醒: 1, reports: 3, missing: 2, withErrors: 3 });
  });

  it("a row's findings say where and why", () => {
    const f = review.rows[0].findings.find((c) => c.id === "balance")!;
    expect(f.failures[0]).toMatchObject({ table: "B", column: "总计" });
    expect(review.rows[1].findings[0].detail).toContain("已过");
    expect(review.rows.at(-1)!.review!.checks.find((c) => c.id === "carry_over")!.detail).toContain("7 列上年结转与 2021 年年报的结转下年度一致");
  });

  it("before the deadline a missing report is listed without a finding", () => {
    const early = reviewYear({ year: 2022, reports: [ok], lastYearOf: () => null, missing: ["于都县银坑镇人民政府"], today: "2023-01-10" });
    expect(early.rows.find((r) => r.report === null)).toMatchObject({ verdict: "尚未发布，截止日 2023-01-31", findings: [] });
  });
});
