import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { silentLogger } from "../bot/log.ts";
import { describe, expect, it } from "vitest";
import { writeFileSync } from "node:fs";
import { bar, runConsole } from "../bot/console.ts";
import { Library } from "../bot/library.ts";
import { loadReports } from "../index/cache.ts";
import { ReportStore } from "../index/store.ts";
import { isReport, parseReport } from "../parser/index.ts";
import { balancedCells, renderReport } from "./helpers/render.ts";
import { tempDirs } from "./helpers/tmp.ts";

const tmp = tempDirs("console");

const store = new ReportStore(
  [
    { organ: "李楼镇", year: 2023, n: 2 },
    { organ: "李楼镇", year: 2024, n: 8 },
    { organ: "西店镇", year: 2024, n: 4 },
  ]
    .map((s, i) => parseReport(renderReport({ organ: s.organ, year: s.year, cells: balancedCells(s.n) }), { file: `r${i}.txt` }))
    .filter(isReport),
  { rejected: [{ file: "坏文件.pdf", error: "PDF 文件已损坏或不完整，无法读取" }] },
);

/** Type lines into the console and collect what it prints. */
async function session(lines: string[], exportsDir = tmp()): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let out = "";
  output.on("data", (d) => (out += String(d)));
  const done = runConsole({ store }, { input, output, now: () => new Date("2026-11-21T10:00:00+08:00"), exportsDir });
  for (const l of lines) input.write(`${l}\n`);
  input.end();
  await done;
  return out;
}

describe("console", () => {
  it.each([
    [8, 8, 20, "████████████████████"],
    [4, 8, 20, "██████████"],
    [1, 8, 4, "▌"],
    [0, 8, 20, ""],
  ])("bar(%d of %d, %d wide)", (v, max, width, expected) => {
    expect(bar(v, max, width)).toBe(expected);
  });

  it("draws bars beside a trend and a ranking", async () => {
    const out = await session(["李楼镇 历年 依申请数", "/排行 2024 依申请数"]);
    expect(out).toMatch(/2023 █████ +2/);
    expect(out).toMatch(/1 李楼镇 ████████████████████ +8/);
  });

  it("/资料库 names the files it could not read, and why", async () => {
    const out = await session(["/资料库"]);
    expect(out).toMatch(/1 个文件无法识别/);
    expect(out).toMatch(/坏文件\.pdf：PDF 文件已损坏/);
  });

  it("/导出 writes the workbook and says where", async () => {
    const dir = join(tmp(), "exports");
    const out = await session(["/导出 2024"], dir);
    expect(out).toMatch(/已写入 .*2024年 政府信息公开年报汇总\.xlsx/);
    expect(existsSync(dir) && readdirSync(dir)).toEqual(["2024年 政府信息公开年报汇总.xlsx"]);
  });
});

describe("console reload", () => {
  it("answers from reports added to REPORTS_DIR while it runs", async () => {
    const reportsDir = tmp();
    const dataDir = tmp();
    writeFileSync(join(reportsDir, "a.txt"), renderReport({ organ: "李楼镇", year: 2024, cells: balancedCells(3) }));
    const { store: first } = await loadReports({ reportsDir, dataDir });
    const library = new Library(first, { reportsDir, dataDir, log: silentLogger() });
    const input = new PassThrough();
    const output = new PassThrough();
    let out = "";
    output.on("data", (d) => (out += String(d)));
    const done = runConsole(library, { input, output, now: () => new Date("2026-11-21T10:00:00+08:00") });
    input.write("西店镇 2024 依申请数\n");
    for (let i = 0; i < 100 && !/没有找到「西店镇」/.test(out); i++) await new Promise((r) => setTimeout(r, 10));
    expect(out).toMatch(/没有找到「西店镇」/);
    writeFileSync(join(reportsDir, "b.txt"), renderReport({ organ: "西店镇", year: 2024, cells: balancedCells(7) }));
    // What the watcher does a second after the file appears.
    await library.reload();
    input.write("西店镇 2024 依申请数\n");
    input.end();
    await done;
    expect(out).toMatch(/西店镇 2024 年 本年新收申请：7件/);
  });
});
