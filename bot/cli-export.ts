/**
 * npm run --silent export -- --reports DIR --year 2025 [--area 宁海县[,象山县]] [--out FILE|DIR] [--data DIR]
 * Writes the 汇总 workbook of a year (issue 14): the same files the chat command sends, so an
 * export over Feishu's 30 MB limit is written as one file per region.
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { z } from "zod";
import { exportInput, inArea } from "../export/summary.ts";
import { exportWorkbooks, FEISHU_FILE_LIMIT } from "../export/xlsx.ts";
import { parseCliArgs } from "./cli-args.ts";
import { loadReportsWithProgress } from "./progress.ts";

const USAGE = "用法：npm run --silent export -- --reports 年报目录 --year 2025 [--area 宁海县] [--out 文件或目录]";

const exportFlags = z.object({
  year: z
    .string({ error: "--year 需要年份，例如 --year 2025" })
    .regex(/^\d{4}$/, { message: "--year 需要四位年份，例如 --year 2025" })
    .transform(Number),
  // 「宁海县,象山县」 or 「宁海县、象山县」: several areas or organs in one workbook.
  area: z
    .string()
    .optional()
    .transform((s) => (s ?? "").split(/[,，、]/).map((a) => a.trim()).filter(Boolean)),
  out: z.string().min(1, { message: "--out 需要文件名或目录" }).optional(),
});

async function main(argv: string[]): Promise<number> {
  const usage = (why: string) => {
    process.stderr.write(`${why}\n${USAGE}\n`);
    return 2;
  };
  const opts = parseCliArgs(argv);
  if ("error" in opts) return usage(opts.error);
  const flags = exportFlags.safeParse(opts.flags);
  if (!flags.success) return usage(flags.error.issues.map((i) => i.message).join("；"));
  const { year, area: areas, out } = flags.data;
  const { store } = await loadReportsWithProgress({ reportsDir: opts.reports, dataDir: opts.data, log: (l) => process.stderr.write(`${l}\n`) });
  const unmatched = areas.filter((a) => !store.organs.some((o) => inArea(o, a)));
  if (unmatched.length) {
    process.stderr.write(`资料库中没有「${unmatched.join("、")}」的单位，未导出\n`);
    return 1;
  }
  const input = exportInput(store.organs, year, areas);
  if (input.organs.length === 0) {
    process.stderr.write(`资料库中没有${areas.length ? `「${areas.join("、")}」` : ""}${year}年的年报，也没有${year - 1}年有年报的单位，未导出\n`);
    return 1;
  }
  const files = await exportWorkbooks(input);
  // A directory (existing, or written with a trailing slash) takes the standard file names;
  // a file name is used as given when the export is one file.
  const intoDir = out !== undefined && (/[\\/]$/.test(out) || (existsSync(out) && statSync(out).isDirectory()));
  const dir = out === undefined ? "." : intoDir ? out : dirname(out);
  mkdirSync(dir, { recursive: true });
  if (files.length > 1) process.stderr.write(`超过飞书 ${FEISHU_FILE_LIMIT / 2 ** 20} MB 的文件上限，按地区分成 ${files.length} 个文件\n`);
  for (const f of files) {
    const path = out !== undefined && !intoDir && files.length === 1 ? out : join(dir, f.fileName);
    writeFileSync(path, f.bytes);
    process.stdout.write(`${path}（${f.reports} 份年报${f.unpublished ? `，${f.unpublished} 个单位未发布` : ""}，${Math.ceil(f.bytes.length / 1024)} KB）\n`);
  }
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
