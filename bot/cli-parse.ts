/**
 * npm run --silent parse -- [--json] FILE...
 * Parses each file; a file that cannot be read or is not a report gets an `error` object,
 * and the other files are still parsed.
 */
import { readFileSync } from "node:fs";
import { parseDocument } from "../parser/documents.ts";
import { isReport, type ParseResult } from "../parser/index.ts";
import { countFindings, ruleName, verdict } from "../parser/review/index.ts";
import { keyFigures } from "../commands/format.ts";

async function parseFile(path: string): Promise<ParseResult> {
  try {
    return await parseDocument(readFileSync(path), { file: path });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const error = code === "ENOENT" ? "文件不存在" : code === "EISDIR" ? "这是一个文件夹，不是文件" : `无法读取文件：${(e as Error).message}`;
    return { file: path, error };
  }
}

function summary(r: ParseResult): string {
  if (!isReport(r)) return `${r.file}\n  ✗ ${r.error}`;
  // Errors first, then reminders, each with the rule's name and where/why.
  const failed = r.checks.filter((c) => !c.ok).sort((a, b) => (a.severity === b.severity ? 0 : a.severity === "错误" ? -1 : 1));
  const lines = [
    `${r.file}`,
    `  单位：${r.organ ?? "（未识别）"}  年度：${r.year ?? "（未识别）"}  格式：${r.template === "2021" ? "2021版（国办公开办函〔2021〕30号）" : "2019版（国办公开办函〔2019〕60号）"}${r.published ? `  发布：${r.published}` : ""}`,
    ...keyFigures(r).map((f) => `  ${f.label}：${f.value ?? "—"}`),
    `  校验：${verdict(countFindings(r.checks))}`,
    ...failed.map((c) => `    ${c.severity === "错误" ? "✗" : "△"} ${c.severity} ${ruleName(c.id)}（${c.id}）：${c.detail}`),
    ...r.warnings.slice(0, 8).map((w) => `  ⚠ ${w}`),
  ];
  return lines.join("\n");
}

async function main(argv: string[]) {
  const json = argv.includes("--json");
  const files = argv.filter((a) => a !== "--json");
  if (files.length === 0) {
    process.stderr.write("用法：npm run --silent parse -- [--json] 文件...\n");
    process.exitCode = 2;
    return;
  }
  const results: ParseResult[] = [];
  for (const f of files) results.push(await parseFile(f));
  if (json) process.stdout.write(`${JSON.stringify(results, null, 1)}\n`);
  else process.stdout.write(`${results.map(summary).join("\n\n")}\n`);
}

void main(process.argv.slice(2));
