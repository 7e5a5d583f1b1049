import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Library } from "../bot/library.ts";
import { nestedArrayPdf, repeatedPagePdf } from "./helpers/hostile.ts";
import { memoryLog } from "./helpers/bot.ts";
import { route } from "../commands/index.ts";
import { loadReports } from "../index/cache.ts";
import { ACCEPTED_EXTENSIONS, documentKind, isReport, MAX_FILE_BYTES, parseDocument, type Report } from "../parser/index.ts";
import { scannedPdf } from "./helpers/pdf.ts";
import { tempDirs } from "./helpers/tmp.ts";
import { balancedCells, renderReport } from "./helpers/render.ts";

const FIX = join(import.meta.dirname, "fixtures");
const tmp = tempDirs("docs");

interface Gold {
  file: string;
  organ: string;
  organ_short: string;
  year: number;
  template: string;
  cells: Record<string, number>;
}

async function parsed(path: string): Promise<Report> {
  const r = await parseDocument(readFileSync(path), { file: path });
  if (!isReport(r)) throw new Error(`${path}: ${r.error}`);
  return r;
}

describe.each([
  ["word-processor PDFs", join(FIX, "docs")],
  ["real published PDFs", join(FIX, "pdf")],
])("%s: every labelled cell, organ and year", (_n, dir) => {
  const golds: Gold[] = JSON.parse(readFileSync(join(dir, "gold.json"), "utf8"));
  it.each(golds.map((g) => [g.file, g] as const))("%s", async (_f, g) => {
    const r = await parsed(join(dir, g.file));
    expect((r.organ ?? "").includes(g.organ_short) || r.organ === g.organ).toBe(true);
    expect(r.year).toBe(g.year);
    expect(r.template).toBe(g.template);
    for (const [id, want] of Object.entries(g.cells)) expect(r.cells[id], id).toBeCloseTo(want, 6);
  });
});

describe("PDF, Word and text of the same report agree", () => {
  it.each(["r202-000", "r202-003"])("%s.pdf and %s.docx give the same cells", async (name) => {
    const pdf = await parsed(join(FIX, "docs", `${name}.pdf`));
    const docx = await parsed(join(FIX, "docs", `${name}.docx`));
    expect(docx.cells).toEqual(pdf.cells);
    expect(docx.organ).toBe(pdf.organ);
    expect(docx.checks.map((c) => c.ok)).toEqual(pdf.checks.map((c) => c.ok));
  });
});

describe("one door into the parser, told what each document is", () => {
  const page = readFileSync(join(FIX, "classes", "word-export-bureau-2021.html"));
  it.each([
    ["a Word-exported page, known by its extension", page, { file: "bureau.htm" }],
    ["the same page saved as .txt, said to be HTML", page, { file: "bureau.txt", textKind: "html" as const }],
    ["a PDF whatever its name says", readFileSync(join(FIX, "docs", "r202-000.pdf")), { file: "report.html" }],
  ])("%s", async (_n, bytes, options) => {
    const r = await parseDocument(bytes, options);
    expect(isReport(r), JSON.stringify(r).slice(0, 200)).toBe(true);
    const rep = r as Report;
    expect(rep.file).toBe(options.file);
    expect(rep.checks.find((c) => c.id === "incomplete")!.ok).toBe(true);
  });

  it("accepts the file types the bot and REPORTS_DIR take, up to 20 MB", () => {
    expect([...ACCEPTED_EXTENSIONS].sort()).toEqual([".doc", ".docx", ".htm", ".html", ".md", ".pdf", ".txt"]);
    expect(MAX_FILE_BYTES).toBe(20 * 1024 * 1024);
  });
});

/** A one-page PDF with a drawing and no text layer, as a scanner makes (minus the image). */

describe("documents that cannot be read get a clear answer", () => {
  it.each([
    ["a scan (PDF without a text layer)", () => scannedPdf(), "scan.pdf", /扫描件/],
    ["a damaged PDF", () => readFileSync(join(FIX, "docs", "r202-000.pdf")).subarray(0, 2000), "broken.pdf", /损坏/],
    ["an old .doc", () => Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]), "old.doc", /\.docx/],
    ["a damaged .docx", () => Buffer.from("PK\u0003\u0004not really a zip"), "x.docx", /Word 文件已损坏/],
  ])("%s", async (_n, make, file, msg) => {
    const r = await parseDocument(make(), { file });
    expect(isReport(r)).toBe(false);
    expect((r as { error: string }).error).toMatch(msg);
  });

  it("tells file kinds by their bytes", () => {
    expect(documentKind(scannedPdf(), "x.txt")).toBe("pdf");
    expect(documentKind(readFileSync(join(FIX, "docs", "r202-000.docx")), "r.docx")).toBe("docx");
    expect(documentKind(Buffer.from("李楼镇"), "r.txt")).toBe("text");
  });
});

describe("npm run parse on documents", () => {
  it("accepts .pdf and .docx and keeps going past a file that is not a report", () => {
    const bad = join(tmp(), "scan.pdf");
    writeFileSync(bad, scannedPdf());
    const out = execFileSync(
      process.execPath,
      ["--import", "tsx", join(import.meta.dirname, "..", "bot", "cli-parse.ts"), "--json", join(FIX, "docs", "r202-000.pdf"), bad, join(FIX, "docs", "r202-000.docx")],
      { encoding: "utf8" },
    );
    const arr = JSON.parse(out);
    expect(arr).toHaveLength(3);
    expect(arr[0].organ).toBe(arr[2].organ);
    expect(arr[1].error).toMatch(/扫描件/);
  });
});

describe("REPORTS_DIR while running", () => {
  it("picks up added, changed and removed files, with a log line per file", async () => {
    const root = tmp();
    const reportsDir = join(root, "reports");
    mkdirSync(reportsDir);
    writeFileSync(join(reportsDir, "a.txt"), renderReport({ organ: "李楼镇", year: 2024, cells: balancedCells(3) }));
    const opts = { reportsDir, dataDir: join(root, "data") };
    const { log, logs: lines } = memoryLog();
    const lib = new Library((await loadReports(opts)).store, { ...opts, log });
    const ask = () => route("李楼镇 2024 依申请数", { store: lib.store, now: new Date() }).answers[0]?.value;
    expect(ask()).toBe(3);
    copyFileSync(join(FIX, "docs", "r202-000.pdf"), join(reportsDir, "b.pdf"));
    writeFileSync(join(reportsDir, "a.txt"), renderReport({ organ: "李楼镇", year: 2024, cells: balancedCells(8) }));
    await lib.reload();
    expect(ask()).toBe(8);
    expect(lib.store.reports).toHaveLength(2);
    rmSync(join(reportsDir, "b.pdf"));
    await lib.reload();
    expect(lib.store.reports).toHaveLength(1);
    expect(lines.join("\n")).toMatch(/新增年报文件：b\.pdf[\s\S]*年报文件已更新：a\.txt[\s\S]*年报文件已移除：b\.pdf/);
  });
});

describe("PDFs that break pdf.js", () => {
  it.each([
    ["arrays nested 100,000 deep", () => nestedArrayPdf(100_000), /PDF 第 1 页无法读取/],
    ["more pages than the limit", () => repeatedPagePdf(600), /PDF 有 600 页，超过 500 页的上限/],
  ])("%s: an error that says what, never an exception", async (_n, make, error) => {
    const r = await parseDocument(make(), { file: "x.pdf", maxPdfPages: 500 });
    expect("error" in r && r.error).toMatch(error);
  });
});
