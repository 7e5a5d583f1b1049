/**
 * npm run --silent ask -- --reports DIR [--data DIR] [--now ISO] [--json] [QUESTION]
 * One question, or one per line on standard input. With --json, one JSON object per line.
 */
import { createInterface } from "node:readline";
import { loadReports } from "../index/cache.ts";
import { route } from "../commands/index.ts";
import { type CliOptions, parseCliArgs } from "./cli-args.ts";

function output(question: string, opts: CliOptions, ask: (q: string) => ReturnType<typeof route>) {
  const a = ask(question);
  if (opts.json) {
    process.stdout.write(
      `${JSON.stringify({ query: question, kind: a.kind, title: a.title, answers: a.answers, suggestions: a.suggestions, lines: a.lines, table: a.table })}\n`,
    );
  } else process.stdout.write(`${a.text}\n\n`);
}

async function main() {
  const opts = parseCliArgs(process.argv.slice(2));
  if ("error" in opts) {
    process.stderr.write(`${opts.error}\n用法：npm run --silent ask -- --reports 目录 [--json] [问题]\n`);
    process.exitCode = 2;
    return;
  }
  const { store } = await loadReports({ reportsDir: opts.reports, dataDir: opts.data, log: (l) => process.stderr.write(`${l}\n`) });
  const ask = (q: string) => route(q, { store, now: opts.now });
  if (opts.question) {
    output(opts.question, opts, ask);
    return;
  }
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of rl) if (line.trim()) output(line.trim(), opts, ask);
}

main();
