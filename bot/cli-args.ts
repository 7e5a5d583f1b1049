/**
 * Command-line arguments shared by the CLIs, validated with zod.
 */
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";

export const BUNDLED_REPORTS = join(import.meta.dirname, "..", "samples", "reports");

export interface CliOptions {
  reports: string;
  data: string;
  json: boolean;
  now: Date;
  question: string;
  /** Every --name value flag as given, for options only one CLI has. */
  flags: Record<string, string>;
}

export const isoTime = (name: string) =>
  z.string().refine((s) => !Number.isNaN(Date.parse(s)), { message: `${name} 需要 ISO 时间，例如 2026-01-20T09:30:00+08:00` });

const schema = z.object({
  reports: z.string().superRefine((p, ctx) => {
    if (!existsSync(p) || !statSync(p).isDirectory()) ctx.addIssue({ code: "custom", message: `年报目录不存在：${p}` });
  }),
  data: z.string().min(1),
  json: z.boolean(),
  now: isoTime("--now").transform((s) => new Date(s)),
  question: z.string(),
});

export function parseCliArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): CliOptions | { error: string } {
  const flags: Record<string, string> = {};
  const words: string[] = [];
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--json") json = true;
    else if (a.startsWith("--")) flags[a.slice(2)] = argv[++i] ?? "";
    else words.push(a);
  }
  const parsed = schema.safeParse({
    reports: flags.reports ?? (env.REPORTS_DIR || BUNDLED_REPORTS),
    data: flags.data ?? (env.DATA_DIR || "data"),
    json,
    now: flags.now ?? new Date().toISOString(),
    question: words.join(" "),
  });
  if (!parsed.success) return { error: parsed.error.issues.map((i) => i.message).join("；") };
  return { ...parsed.data, flags };
}
