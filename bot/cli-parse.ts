/**
 * npm run --silent parse -- [--json] FILE...
 * Parses each file; a file that cannot be read or is not a report gets an `error` object,
 * and the other files are still parsed.
 */
import { readFileSync } from "node:fs";
import { parseInWorker, sharedParsePool } from "../index/parse-pool.ts";
import { isReport, type ParseResult } from "../parser/index.ts";
import { basename } from "node:path";
import { uploadCheckAnswer } from "../commands/upload-check.ts";

async function parseFile(path: string): Promise<ParseResult> {
  try {
    // In a worker: a hostile file is answered with an error, it never takes the command down.
    return await parseInWorker(readFileSync(path), path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const error = code === "ENOENT" ? "文件不存在" : code === "EISDIR" ? "这是一个文件夹，不是文件" : `无法读取文件：${(e as Error).message}`;
    return { file: path, error };
  }
}

/** The same check answer a report file gets in Feishu, as text. */
function summary(r: ParseResult): string {
  if (!isReport(r)) return `${r.file}\n  ✗ ${r.error}`;
  return uploadCheckAnswer(r, { fileName: basename(r.file) }).text;
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
  // A failure is an exit status, and said; with --json (read by programs, each result with its
  // own `error`) only a run in which no file could be read fails.
  const failed = results.filter((r) => !isReport(r)).length;
  if (failed) process.stderr.write(`${failed} 个文件无法读取或不是年报（共 ${results.length} 个）\n`);
  process.exitCode = failed && (!json || failed === results.length) ? 1 : 0;
  await sharedParsePool().close();
}

void main(process.argv.slice(2));
