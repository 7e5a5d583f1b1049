/**
 * npm run --silent ask -- --reports DIR [--data DIR] [--now ISO] [--json] [QUESTION]
 * One question, or one per line on standard input. With --json, one JSON object per line.
 */
import { createInterface } from "node:readline";
import { route } from "../commands/index.ts";
import { type CliOptions, parseCliArgs } from "./cli-args.ts";
import { loadReportsWithProgress } from "./progress.ts";

function output(question: string, opts: CliOptions, ask: (q: string) => ReturnType<typeof route>) {
  const a = ask(question);
  if (opts.json) {
    process.stdout.write(
      `${JSON.stringify({ query: question, kind: a.kind, title: a.title, answers: a.answers, suggestions: a.suggestions, lines: a.lines, table: a.table })}\n`,
    );
  } else process.stdout.write(`${a.text}\n\n`);
}

const USAGE = "用法：npm run --silent ask -- [--reports 目录] [--json] 问题\n或者每行一个问题从标准输入读入：npm run --silent ask -- --json < 问题.txt";

function usage(why?: string) {
  process.stderr.write(`${why ? `${why}\n` : ""}${USAGE}\n`);
  process.exitCode = 2;
}

async function main() {
  const opts = parseCliArgs(process.argv.slice(2));
  if ("error" in opts) return usage(opts.error);
  // No question and nobody typing into a pipe: say how to ask instead of waiting in silence.
  if (!opts.question && process.stdin.isTTY) return usage("没有给出问题。");
  const { store } = await loadReportsWithProgress({ reportsDir: opts.reports, dataDir: opts.data, log: (l) => process.stderr.write(`${l}\n`) });
  const ask = (q: string) => route(q, { store, now: opts.now });
  if (opts.question) {
    output(opts.question, opts, ask);
    return;
  }
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let asked = 0;
  for await (const line of rl) {
    if (!line.trim()) continue;
    asked++;
    output(line.trim(), opts, ask);
  }
  if (asked === 0) usage("标准输入里没有问题。");
}

main();
