/**
 * No regular expression in the parser may take super-linear time: every regex literal under
 * parser/ is run over ~1 MB of adversarial text (digits, spaces, labels, digits and spaces, …),
 * and the whole parser over the same texts. Patterns run in a worker thread with a budget per
 * pattern that a linear pattern never gets near (1 MB is a few ms); one that backtracks
 * quadratically would need minutes and is ended, and named. The parser runs in the parse pool,
 * under its own time limit. Timings are in `npm run bench`, not here.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { Worker } from "node:worker_threads";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import { ParsePool } from "../index/parse-pool.ts";

const ROOT = join(import.meta.dirname, "..");
const MB = 1_000_000;

/** Every regex literal under parser/, with where it is. */
function parserRegexes(): { where: string; source: string; flags: string }[] {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith(".ts")) files.push(p);
    }
  };
  walk(join(ROOT, "parser"));
  const out: { where: string; source: string; flags: string }[] = [];
  for (const f of files) {
    const sf = ts.createSourceFile(f, readFileSync(f, "utf8"), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node) => {
      if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
        const lit = node.getText(sf);
        const end = lit.lastIndexOf("/");
        out.push({ where: `${relative(ROOT, f)}:${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1}`, source: lit.slice(1, end), flags: lit.slice(end + 1) });
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return out;
}

const repeat = (unit: string) => unit.repeat(Math.ceil(MB / unit.length)).slice(0, MB);
/** Text a report never has, shaped to make a careless pattern retry: long runs of what patterns look for. */
const ADVERSARIAL: Record<string, string> = {
  digits: repeat("1"),
  spaces: repeat(" "),
  "digits and spaces": repeat("1 "),
  "digits and tabs": repeat("12\t"),
  "digits and newlines": repeat("1\n"),
  "Chinese numerals": repeat("一"),
  labels: repeat("本年新收政府信息公开申请数量"),
  "labels and numbers": repeat("收到申请12件行政复议"),
  "numbered items": repeat("（一）1."),
  "dots and digits": repeat("1.1."),
  letters: repeat("a"),
  "full-width digits": repeat("１２"),
  // One long run, then what a pattern wants after it: the case that makes `\d+件` retry every suffix.
  "a run of digits, then 件": `${"1".repeat(MB - 1)}件`,
  "a run of digits, then 年": `${"2".repeat(MB - 1)}年`,
  "a run of spaces, then a digit": `${" ".repeat(MB - 1)}1`,
  "a run of Chinese numerals, then 件": `${"一".repeat(MB - 1)}件`,
};

/** Runs patterns over texts; reports each pattern as it starts and ends. */
const RUNNER = `
const { parentPort, workerData } = require("node:worker_threads");
const { patterns, texts } = workerData;
for (const [i, p] of patterns.entries()) {
  parentPort.postMessage({ start: i });
  for (const text of texts) {
    const re = new RegExp(p.source, p.flags);
    if (re.global || re.sticky) { let n = 0; for (const _ of text.matchAll(new RegExp(p.source, p.flags.includes("g") ? p.flags : p.flags + "g"))) if (++n > 2e6) break; }
    else re.test(text);
  }
  parentPort.postMessage({ done: i });
}
`;

/** Budget per pattern over all the texts; a linear pattern takes milliseconds. */
const PATTERN_BUDGET_MS = 20_000;

describe("regular expressions of the parser on 1 MB of adversarial text", () => {
  const patterns = parserRegexes();
  const pool = new ParsePool({ size: 1, limits: { timeoutMs: 60_000 } });
  afterAll(() => pool.close());

  it("finds the parser's patterns", () => {
    expect(patterns.length).toBeGreaterThan(50);
  });

  it("every pattern finishes within its budget on every text", async () => {
    const texts = Object.values(ADVERSARIAL);
    const w = new Worker(RUNNER, { eval: true, workerData: { patterns, texts } });
    const finished = new Set<number>();
    const slow = await new Promise<number | null>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      w.on("message", (m: { start?: number; done?: number }) => {
        if (m.start !== undefined) {
          clearTimeout(timer);
          timer = setTimeout(() => resolve(m.start!), PATTERN_BUDGET_MS);
        }
        if (m.done !== undefined) {
          finished.add(m.done);
          if (finished.size === patterns.length) {
            clearTimeout(timer);
            resolve(null);
          }
        }
      });
      w.on("error", () => resolve(-1));
    });
    await w.terminate();
    const p = slow !== null && slow >= 0 ? patterns[slow] : null;
    expect(p ? `${p.where} /${p.source}/${p.flags}` : slow, "a pattern that did not finish").toBeNull();
    expect(finished.size).toBe(patterns.length);
  }, 5 * 60_000);

  it("the narrative counts (patterns built at run time) read every text within the budget", async () => {
    const code = `
      const { parentPort, workerData } = require("node:worker_threads");
      import("tsx/esm/api").then(async ({ tsImport }) => {
        const { narrativeClaims } = await tsImport(workerData.module, workerData.from);
        for (const text of workerData.texts) narrativeClaims(text);
        parentPort.postMessage("done");
      });`;
    const w = new Worker(code, { eval: true, workerData: { module: join(ROOT, "parser", "checks.ts"), from: import.meta.url, texts: Object.values(ADVERSARIAL) } });
    const outcome = await new Promise<string>((resolve) => {
      const timer = setTimeout(() => resolve("over budget"), PATTERN_BUDGET_MS);
      w.on("message", (m) => (clearTimeout(timer), resolve(String(m))));
      w.on("error", (e) => (clearTimeout(timer), resolve(e.message)));
    });
    await w.terminate();
    expect(outcome).toBe("done");
  }, 60_000);

  it.each(Object.keys(ADVERSARIAL))("the whole parser reads 1 MB of %s within the pool's time limit", async (name) => {
    const r = await pool.parse(Buffer.from(ADVERSARIAL[name]), `${name}.txt`);
    expect("error" in r ? r.error : "").not.toMatch(/解析超过|内存/);
  }, 120_000);
});
