/**
 * Loading REPORTS_DIR into a ReportStore, with the parsed reports and the search index
 * persisted in DATA_DIR: unchanged files are reused, changed ones reparsed, and everything
 * is rebuilt (with a log line) when the format version or the tokenizer options differ.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { extname, join, relative, resolve } from "node:path";
import MiniSearch from "minisearch";
import { z } from "zod";
import { isReport, type ParseResult, parseReport, type Report } from "../parser/index.ts";
import { TEMPLATES } from "../parser/template.ts";
import { APPLICANT_COLUMNS, TABLE_C_CELLS } from "../parser/template.ts";
import { ReportStore } from "./store.ts";
import { DEFAULT_TOKENIZER, type TokenizerOptions } from "./tokenize.ts";

/** Bump when the parser's output or the cache layout changes: old caches are then rebuilt. */
export const FORMAT_VERSION = 3;
export const SUPPORTED = new Set([".txt", ".md", ".html", ".htm"]);

/** Every cell id either template can produce, in a fixed order: cached cells are stored as one array. */
export const ALL_CELLS: string[] = [
  ...new Set(
    (["2019", "2021"] as const).flatMap((t) => [
      ...TEMPLATES[t].tableA.flatMap((d) => d.columns.map((c) => `active.${d.id}.${c}`)),
      ...TEMPLATES[t].tableB.flatMap((d) => APPLICANT_COLUMNS.map((c) => `applications.${d.id}.${c}`)),
    ]),
  ),
  ...TABLE_C_CELLS,
];
const CELL_INDEX = new Map(ALL_CELLS.map((c, i) => [c, i]));

/** A report with its cells packed into an array (false: not in the text; null: undetermined). */
type PackedReport = Omit<Report, "cells"> & { cells: (number | null | false)[] };

export function pack(r: Report): PackedReport {
  const cells: (number | null | false)[] = ALL_CELLS.map(() => false);
  for (const [id, v] of Object.entries(r.cells)) {
    const i = CELL_INDEX.get(id);
    if (i !== undefined) cells[i] = v;
  }
  return { ...r, cells };
}

export function unpack(p: PackedReport): Report {
  const cells: Record<string, number | null> = {};
  p.cells.forEach((v, i) => {
    if (v !== false) cells[ALL_CELLS[i]] = v;
  });
  return { ...p, cells };
}

const cacheSchema = z.object({
  version: z.number(),
  tokenizer: z.object({ mode: z.string() }),
  files: z.record(
    z.string(),
    z.object({ size: z.number(), mtimeMs: z.number(), sha1: z.string(), report: z.any().optional(), error: z.string().optional() }),
  ),
  index: z.string().nullable(),
});
type Cache = z.infer<typeof cacheSchema>;

export interface LoadOptions {
  reportsDir: string;
  dataDir: string;
  tokenizer?: TokenizerOptions;
  log?: (line: string) => void;
}

export interface LoadResult {
  store: ReportStore;
  /** Files that are not reports, with why. */
  rejected: { file: string; error: string }[];
  stats: { files: number; reused: number; parsed: number; removed: number; rebuilt: boolean; ms: number };
}

/** Every supported file under a folder (and its subfolders), sorted. */
export function listReportFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name.startsWith(".")) continue;
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (SUPPORTED.has(extname(e.name).toLowerCase())) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

function readCache(path: string, tokenizer: TokenizerOptions, log: (l: string) => void): Cache | null {
  if (!existsSync(path)) return null;
  try {
    const parsed = cacheSchema.safeParse(JSON.parse(readFileSync(path, "utf8")));
    if (!parsed.success) {
      log("缓存文件格式不对，重新解析全部年报");
      return null;
    }
    const c = parsed.data;
    if (c.version !== FORMAT_VERSION || c.tokenizer.mode !== tokenizer.mode) {
      log(`缓存版本或分词设置已变化（v${c.version}/${c.tokenizer.mode} → v${FORMAT_VERSION}/${tokenizer.mode}），重新解析并重建索引`);
      return null;
    }
    return c;
  } catch {
    log("缓存文件无法读取，重新解析全部年报");
    return null;
  }
}

export function loadReports(opts: LoadOptions): LoadResult {
  const t0 = performance.now();
  const log = opts.log ?? (() => {});
  const tokenizer = opts.tokenizer ?? DEFAULT_TOKENIZER;
  // One cache per reports folder, so switching folders does not throw the other's away.
  const dirHash = createHash("sha1").update(resolve(opts.reportsDir)).digest("hex").slice(0, 10);
  const cachePath = join(opts.dataDir, `reports-${dirHash}.json`);
  const old = readCache(cachePath, tokenizer, log);
  const files = listReportFiles(opts.reportsDir);
  const next: Cache = { version: FORMAT_VERSION, tokenizer, files: {}, index: null };
  let reused = 0;
  let parsed = 0;
  const showProgress = files.length >= 200;
  files.forEach((path, n) => {
    const key = relative(opts.reportsDir, path);
    const st = statSync(path);
    const prev = old?.files[key];
    if (prev && prev.size === st.size && prev.mtimeMs === st.mtimeMs) {
      next.files[key] = prev;
      reused++;
      return;
    }
    const bytes = readFileSync(path);
    const sha1 = createHash("sha1").update(bytes).digest("hex");
    if (prev && prev.sha1 === sha1) {
      next.files[key] = { ...prev, size: st.size, mtimeMs: st.mtimeMs };
      reused++;
      return;
    }
    const r: ParseResult = parseReport(bytes, { file: path });
    parsed++;
    next.files[key] = isReport(r)
      ? { size: st.size, mtimeMs: st.mtimeMs, sha1, report: pack(r) }
      : { size: st.size, mtimeMs: st.mtimeMs, sha1, error: r.error };
    if (showProgress && (n + 1) % 500 === 0) log(`已处理 ${n + 1}/${files.length} 个文件`);
  });
  const removed = old ? Object.keys(old.files).filter((k) => !(k in next.files)).length : 0;
  const reports: Report[] = [];
  const rejected: { file: string; error: string }[] = [];
  for (const [key, f] of Object.entries(next.files)) {
    if (f.report) reports.push({ ...unpack(f.report as PackedReport), file: join(opts.reportsDir, key) });
    else rejected.push({ file: key, error: f.error ?? "无法解析" });
  }
  const rebuilt = !old || parsed > 0 || removed > 0 || !old.index;
  let store: ReportStore;
  if (!rebuilt && old?.index) {
    const json = old.index;
    store = new ReportStore(reports, { tokenizer, searchIndex: () => MiniSearch.loadJSON(json, ReportStore.searchOptions(tokenizer)) });
    next.index = json;
  } else {
    store = new ReportStore(reports, { tokenizer });
    next.index = JSON.stringify(store.search);
  }
  if (rebuilt || removed > 0 || reused !== files.length) {
    mkdirSync(opts.dataDir, { recursive: true });
    const tmp = `${cachePath}.tmp`;
    writeFileSync(tmp, JSON.stringify(next));
    renameSync(tmp, cachePath);
  }
  const ms = performance.now() - t0;
  log(`年报 ${reports.length} 份（${store.organs.length} 个单位），复用 ${reused}，新解析 ${parsed}，移除 ${removed}${rejected.length ? `，无法识别 ${rejected.length}` : ""}，用时 ${Math.round(ms)} ms`);
  return { store, rejected, stats: { files: files.length, reused, parsed, removed, rebuilt, ms } };
}
