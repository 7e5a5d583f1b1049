import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { progressReporter } from "../bot/progress.ts";
import { balancedCells, renderReport } from "./helpers/render.ts";
import { tempDirs } from "./helpers/tmp.ts";

const tmp = tempDirs("cli");
const ROOT = join(import.meta.dirname, "..");
const SEEDS = join(import.meta.dirname, "fixtures", "seeds");

/** Run one of the command-line tools as a user would, with standard input given or closed. */
function cli(tool: string, args: string[], input = "") {
  const r = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "bot", tool), ...args], { cwd: ROOT, input, encoding: "utf8", env: { ...process.env, FORCE_COLOR: "0" } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("npm run parse", () => {
  const dir = tmp();
  const good = join(dir, "李楼镇.txt");
  writeFileSync(good, renderReport({ organ: "李楼镇", year: 2024, cells: balancedCells(2) }));
  const broken = join(dir, "坏文件.pdf");
  writeFileSync(broken, "%PDF-1.7 not really a pdf");

  it.each([
    ["every file read", [good], 0, /审查：/, ""],
    ["one file failed", [good, broken], 1, /审查：/, "1 个文件无法读取或不是年报（共 2 个）"],
    ["with --json, one of two failed: the JSON is the answer", ["--json", good, broken], 0, /"error"/, "1 个文件无法读取或不是年报（共 2 个）"],
    ["with --json, every file failed", ["--json", broken], 1, /"error"/, "1 个文件无法读取或不是年报（共 1 个）"],
  ])("%s → exit %d", (_what, args, status, out, err) => {
    const r = cli("cli-parse.ts", args as string[]);
    expect(r.status).toBe(status);
    expect(r.stdout).toMatch(out);
    if (err) expect(r.stderr).toContain(err);
  });

  it("a real PDF: pdf.js keeps its own warnings to itself", () => {
    const r = cli("cli-parse.ts", [join(import.meta.dirname, "fixtures", "pdf", "huaian-hongze-2024.pdf")]);
    expect(r.status).toBe(0);
    expect(r.stderr).not.toMatch(/Warning|Indexing all PDF objects/);
  });

  it.each([
    ["坏文件.pdf", "garbage\u0000\u0001", /文件名是 \.pdf，但内容不是 PDF（可能已损坏或改过扩展名）；可以读取 PDF、Word（\.docx）、网页（\.html）或文本（\.txt、\.md）格式的年报/],
    ["坏文件.docx", "not a zip at all", /文件名是 \.docx，但内容不是 Word（\.docx）/],
    ["二进制.txt", "\u0000\u0001\u0002\u0003binary", /看起来是二进制文件）；可以读取 PDF、Word（\.docx）、网页（\.html）或文本（\.txt、\.md）格式的年报/],
  ])("%s that is not what its name says is told which formats are read", (name, content, message) => {
    const path = join(tmp(), name);
    writeFileSync(path, content);
    expect(cli("cli-parse.ts", [path]).stdout).toMatch(message);
  });

  it("names failed checks in Chinese, not by their ids", () => {
    const r = cli("cli-parse.ts", [join(SEEDS, "004_e2e8df88f0911129.txt")]);
    expect(r.stdout).toMatch(/错误·正文与表格一致/);
    expect(r.stdout).not.toMatch(/\bnarrative\b|\bbalance\b|\brow_sum\b/);
  });
});

describe("npm run ask", () => {
  it("with no question and nothing on standard input prints how to ask", () => {
    const r = cli("cli-ask.ts", ["--reports", SEEDS, "--data", tmp()]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/标准输入里没有问题。\n用法：npm run --silent ask/);
  });

  it("answers a question given on the command line", () => {
    const r = cli("cli-ask.ts", ["--reports", SEEDS, "--data", tmp(), "西店镇 2019 依申请数"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/西店镇 2019 年 本年新收申请：21件/);
  });
});

describe("npm run remind", () => {
  it.each([
    [["--from", "garbage", "--to", "2027-04-01T00:00:00+08:00"], /--from 需要 ISO 时间/],
    [["--from", "2027-04-01T00:00:00+08:00"], /还需要 --to/],
    [["--from", "2027-04-01T00:00:00+08:00", "--to", "2026-12-01T00:00:00+08:00"], /--from（2027-04-01T00:00:00\+08:00）晚于 --to/],
    [["--now", "2027-01-01T09:30:00+08:00", "--from", "2026-12-01T00:00:00+08:00", "--to", "2027-04-01T00:00:00+08:00"], /--now 与 --from\/--to 只能二选一/],
  ])("%j is refused with what is wrong", (args, message) => {
    const r = cli("cli-remind.ts", ["--reports", SEEDS, "--data", tmp(), ...args]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it("a preview says it is one chat subscribed to everything, not 「→ all」", () => {
    const r = cli("cli-remind.ts", ["--reports", SEEDS, "--data", tmp(), "--from", "2021-01-01T00:00:00+08:00", "--to", "2021-02-01T00:00:00+08:00"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/（预览：假设有一个群订阅了全部单位）/);
    expect(r.stdout).not.toMatch(/→ all/);
  });
});

describe("progress of long work", () => {
  function stream(tty: boolean) {
    let out = "";
    const s = new Writable({
      write(chunk, _enc, cb) {
        out += String(chunk);
        cb();
      },
    }) as Writable & { isTTY?: boolean; columns?: number; cursorTo?: unknown; clearLine?: unknown; moveCursor?: unknown };
    if (tty) Object.assign(s, { isTTY: true, columns: 100, cursorTo: (_x: number, _y?: number, cb?: () => void) => (cb?.(), true), clearLine: (_d: number, cb?: () => void) => (cb?.(), true), moveCursor: (_x: number, _y: number, cb?: () => void) => (cb?.(), true) });
    return { s, out: () => out };
  }

  it("on a terminal: a bar with the count and time left", () => {
    const { s, out } = stream(true);
    let t = 0;
    const p = progressReporter({ stream: s as unknown as NodeJS.WriteStream, label: "读取年报", now: () => t });
    for (let i = 1; i <= 500; i++) {
      t += 20;
      p.update(i, 500);
    }
    p.stop();
    expect(out()).toMatch(/读取年报 \|.*\| 500\/500 个文件 · 用时 .* · 剩余约/);
  });

  it("without a terminal: a plain line every few seconds, and the last one", () => {
    const { s, out } = stream(false);
    let t = 0;
    const p = progressReporter({ stream: s, label: "读取年报", now: () => t });
    for (let i = 1; i <= 1000; i++) {
      t += 20;
      p.update(i, 1000);
    }
    p.stop();
    const lines = out().trim().split("\n");
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines.length).toBeLessThanOrEqual(6);
    expect(lines[0]).toMatch(/^读取年报：\d+\/1000 个文件，约 \d+ 秒后完成$/);
    expect(lines[lines.length - 1]).toBe("读取年报：1000/1000 个文件，完成");
  });

  it("a small job done within a second shows nothing", () => {
    const { s, out } = stream(false);
    let t = 0;
    const p = progressReporter({ stream: s, label: "读取年报", now: () => t });
    for (let i = 1; i < 20; i++) {
      t += 10;
      p.update(i, 20);
    }
    p.stop();
    expect(out()).toBe("");
  });
});
