/**
 * Loading REPORTS_DIR into a ReportStore, with the parsed reports and the search index
 * persisted in DATA_DIR: unchanged files are reused, changed ones reparsed, and everything
 * is rebuilt (with a log line) when the format version or the tokenizer options differ.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join, relative, resolve } from "node:path";
import MiniSearch from "minisearch";
import { z } from "zod";
import {
  ACCEPTED_EXTENSIONS,
  ALL_CELLS,
  type CheckId,
  isReport,
  MAX_FILE_BYTES,
  type ParseResult,
  type Report,
  rowKey,
  rowLabel,
  RULES,
  severityOf,
  tableOf,
} from "../parser/index.ts";
import { moveAside, readJsonFile, readJsonOr, tryWriteFileAtomic } from "./files.ts";
import { parseInWorker } from "./parse-pool.ts";
import { ReportStore } from "./store.ts";
import { DEFAULT_TOKENIZER, type TokenizerOptions } from "./tokenize.ts";

/** Bump when the parser's output or the cache layout changes: old caches are then rebuilt. */
/** Files sent to the parse pool before the oldest is waited for. */
const PARSES_IN_FLIGHT = 4;

export const FORMAT_VERSION = 9;

const CELL_INDEX = new Map(ALL_CELLS.map((c, i) => [c, i]));
/** Every row that can have provenance, in a fixed order, with the cells it holds. */
const ROW_KEYS = [...new Set(ALL_CELLS.map(rowKey))];
const ROW_INDEX = new Map(ROW_KEYS.map((k, i) => [k, i]));
const ROW_CELLS = ROW_KEYS.map((k) => ALL_CELLS.flatMap((c, i) => (rowKey(c) === k ? [i] : [])));
/** Every rule id, in a fixed order: a passed check is cached as its index. */
const RULE_IDS = Object.keys(RULES) as CheckId[];
const RULE_INDEX = new Map(RULE_IDS.map((id, i) => [id, i]));
/**
 * A passed check says nothing of its report: one frozen object per rule serves every report
 * (seventeen objects and arrays per report were 15 MB over 10,000 reports).
 */
const PASSED: readonly Report["checks"][number][] = RULE_IDS.map((id) =>
  Object.freeze({ id, severity: severityOf(id), ok: true, detail: "通过", failures: Object.freeze([]) as unknown as Report["checks"][number]["failures"] }),
);

/** Provenance of a row cached as its printed text, AS_READ when that is its values joined by spaces, NO_ROW when it has none. */
const AS_READ = 1;
const NO_ROW = 0;

/**
 * A report as cached: cells as one array in ALL_CELLS order (false: not in the text; null:
 * undetermined), provenance as one entry per row in a fixed order (the row's label and table
 * follow from its key; most rows print exactly their values), passed checks as rule indices.
 * Keeps a 10,000-report cache small enough to load in well under a second. The organ's reading
 * (organInfo) is not kept: it follows from the organ's name and region.
 */
type PackedReport = Omit<Report, "cells" | "provenance" | "checks" | "narrative" | "organInfo"> & {
  cells: (number | null | false)[];
  provenance: (string | typeof AS_READ | typeof NO_ROW)[];
  checks: (Report["checks"][number] | number)[];
};

export function pack(r: Report): PackedReport {
  const cells: (number | null | false)[] = ALL_CELLS.map(() => false);
  for (const [id, v] of Object.entries(r.cells)) {
    const i = CELL_INDEX.get(id);
    if (i !== undefined) cells[i] = v;
  }
  const provenance: PackedReport["provenance"] = ROW_KEYS.map(() => NO_ROW);
  for (const [key, p] of Object.entries(r.provenance)) {
    const i = ROW_INDEX.get(key);
    if (i === undefined) continue;
    provenance[i] = p.printed === readAs(cells, i) ? AS_READ : p.printed;
  }
  while (provenance.length && provenance[provenance.length - 1] === NO_ROW) provenance.pop();
  const { narrative: _narrative, organInfo: _organInfo, ...rest } = r;
  return { ...rest, cells, provenance, checks: r.checks.map((c) => (c.ok && RULE_INDEX.has(c.id) ? RULE_INDEX.get(c.id)! : c)) };
}

/** A row's values as they would print, one token each (a row read exactly as printed). */
function readAs(cells: (number | null | false)[], row: number): string {
  return ROW_CELLS[row].map((i) => (cells[i] === false || cells[i] === null ? "" : String(cells[i]))).join(" ");
}

/**
 * Back to a Report. Cells and provenance are read through views of the packed arrays: a question
 * reads one or two rows of one or two reports, and building 10,000 cell maps up front is most of
 * a cold start (and building a report's every provenance row for one answer, then keeping it,
 * made each first question about a report allocate ~20 KB that stayed for good).
 */
export function unpack(p: PackedReport, narrative: () => Report["narrative"]): Report {
  const checks = p.checks.map((c) => (typeof c === "number" ? PASSED[c] : c));
  const { cells: packedCells, provenance: packedProvenance, ...rest } = p;
  const report = { ...rest, checks } as Report;
  lazy(report, "narrative", narrative);
  report.cells = cellsView(packedCells);
  report.provenance = provenanceView({ packed: packedProvenance, cells: packedCells, template: p.template });
  return report;
}

type Packed = { packed: (number | null | false)[] };

const presentAt = (t: Packed, key: string | symbol): number | undefined => {
  const i = typeof key === "string" ? CELL_INDEX.get(key) : undefined;
  return i !== undefined && t.packed[i] !== false ? i : undefined;
};

/** One handler for every report's cells (a handler per report would cost more than the record it replaces). */
const CELLS_VIEW: ProxyHandler<Packed> = {
  get: (t, key) => {
    const i = presentAt(t, key);
    return i === undefined ? undefined : t.packed[i];
  },
  has: (t, key) => presentAt(t, key) !== undefined,
  ownKeys: (t) => ALL_CELLS.filter((_, i) => t.packed[i] !== false),
  getOwnPropertyDescriptor: (t, key) => {
    const i = presentAt(t, key);
    return i === undefined ? undefined : { value: t.packed[i], enumerable: true, configurable: true, writable: false };
  },
  set: () => false,
  defineProperty: () => false,
  deleteProperty: () => false,
};

/**
 * The packed cell array read as the `cells` record, without building one: a record of ~200 keys
 * per report costs about 12 KB, which over 10,000 reports is most of the server's memory.
 */
function cellsView(packed: (number | null | false)[]): Record<string, number | null> {
  return new Proxy({ packed }, CELLS_VIEW) as unknown as Record<string, number | null>;
}

type PackedRows = { packed: PackedReport["provenance"]; cells: (number | null | false)[]; template: Report["template"] };

const rowAt = (t: PackedRows, key: string | symbol): number | undefined => {
  const i = typeof key === "string" ? ROW_INDEX.get(key) : undefined;
  return i !== undefined && i < t.packed.length && t.packed[i] !== NO_ROW ? i : undefined;
};

/** A row's provenance, made when asked for (its label and table follow from its key). */
function provenanceAt(t: PackedRows, i: number): Report["provenance"][string] {
  const key = ROW_KEYS[i];
  const printed = t.packed[i];
  return { table: tableOf(key), row: rowLabel(t.template, key), label: "", printed: printed === AS_READ ? readAs(t.cells, i) : (printed as string) };
}

/** One handler for every report's provenance, as for cells. */
const PROVENANCE_VIEW: ProxyHandler<PackedRows> = {
  get: (t, key) => {
    const i = rowAt(t, key);
    return i === undefined ? undefined : provenanceAt(t, i);
  },
  has: (t, key) => rowAt(t, key) !== undefined,
  ownKeys: (t) => ROW_KEYS.filter((_, i) => i < t.packed.length && t.packed[i] !== NO_ROW),
  getOwnPropertyDescriptor: (t, key) => {
    const i = rowAt(t, key);
    return i === undefined ? undefined : { value: provenanceAt(t, i), enumerable: true, configurable: true, writable: false };
  },
  set: () => false,
  defineProperty: () => false,
  deleteProperty: () => false,
};

/** The packed provenance read as the `provenance` record: each row is made when read, nothing is kept. */
function provenanceView(rows: PackedRows): Report["provenance"] {
  return new Proxy(rows, PROVENANCE_VIEW) as unknown as Report["provenance"];
}

function lazy<K extends keyof Report>(obj: Report, key: K, make: () => Report[K]) {
  Object.defineProperty(obj, key, {
    configurable: true,
    enumerable: true,
    get() {
      const value = make();
      Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
      return value;
    },
  });
}

const cacheSchema = z.object({
  version: z.number(),
  tokenizer: z.object({ mode: z.string() }),
  files: z.record(
    z.string(),
    z.object({ size: z.number(), mtimeMs: z.number(), sha1: z.string(), report: z.any().optional(), error: z.string().optional() }),
  ),
});
type Cache = z.infer<typeof cacheSchema>;

export interface LoadOptions {
  reportsDir: string;
  dataDir: string;
  tokenizer?: TokenizerOptions;
  log?: (line: string) => void;
  /** How a file is parsed: by default in the worker pool (bounded in time and memory). */
  parse?: (bytes: Uint8Array, file: string) => Promise<ParseResult>;
  /** Called after each file that had to be read (parsed, or reused after comparing its content). */
  progress?: (done: number, total: number) => void;
}

export interface LoadResult {
  store: ReportStore;
  /** Files that are not reports, with why. */
  rejected: { file: string; error: string }[];
  stats: { files: number; reused: number; parsed: number; removed: number; rebuilt: boolean; ms: number };
  /** Relative paths added, changed and removed since the cache was written. */
  changes: { added: string[]; changed: string[]; removed: string[] };
}

/** Every supported file under a folder (and its subfolders), sorted. */
export function listReportFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name.startsWith(".")) continue;
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (ACCEPTED_EXTENSIONS.has(extname(e.name).toLowerCase())) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

function readCache(path: string, tokenizer: TokenizerOptions, log: (l: string) => void): Cache | null {
  const r = readJsonFile(path, cacheSchema);
  if (!r.ok) {
    if (r.why === "invalid") log("缓存文件格式不对，重新解析全部年报");
    if (r.why === "unreadable") log("缓存文件无法读取，重新解析全部年报");
    return null;
  }
  const c = r.data;
  if (c.version !== FORMAT_VERSION || c.tokenizer.mode !== tokenizer.mode) {
    log(`缓存版本或分词设置已变化（v${c.version}/${c.tokenizer.mode} → v${FORMAT_VERSION}/${tokenizer.mode}），重新解析并重建索引`);
    return null;
  }
  return c;
}

const narrativesSchema = z.record(z.string(), z.array(z.object({ title: z.string(), text: z.string() })));

export async function loadReports(opts: LoadOptions): Promise<LoadResult> {
  const t0 = performance.now();
  const log = opts.log ?? (() => {});
  const tokenizer = opts.tokenizer ?? DEFAULT_TOKENIZER;
  // One cache per reports folder, so switching folders does not throw the other's away.
  const dirHash = createHash("sha1").update(resolve(opts.reportsDir)).digest("hex").slice(0, 10);
  const cachePath = join(opts.dataDir, `reports-${dirHash}.json`);
  const old = readCache(cachePath, tokenizer, log);
  const files = listReportFiles(opts.reportsDir);
  const next: Cache = { version: FORMAT_VERSION, tokenizer, files: {} };
  const indexPath = cachePath.replace(/\.json$/, ".search.json");
  // Narratives are only read to build the search index and for /搜索 snippets: kept in their
  // own file and read on first use, so a cold start does not parse them.
  const narrativePath = cachePath.replace(/\.json$/, ".narratives.json");
  const freshNarratives: Record<string, Report["narrative"]> = {};
  let narratives: Record<string, Report["narrative"]> | null = null;
  const allNarratives = () => (narratives ??= { ...readJsonOr(narrativePath, narrativesSchema, {}, log), ...freshNarratives });
  let reused = 0;
  let parsed = 0;

  const changes: LoadResult["changes"] = { added: [], changed: [], removed: [] };
  const inFlight: Promise<void>[] = [];
  for (const [n, path] of files.entries()) {
    const key = relative(opts.reportsDir, path);
    const st = statSync(path);
    const prev = old?.files[key];
    if (prev && prev.size === st.size && prev.mtimeMs === st.mtimeMs) {
      next.files[key] = prev;
      reused++;
      continue;
    }
    if (st.size > MAX_FILE_BYTES) {
      next.files[key] = { size: st.size, mtimeMs: st.mtimeMs, sha1: "", error: "文件超过 20 MB，未读取" };
      continue;
    }
    const bytes = readFileSync(path);
    const sha1 = createHash("sha1").update(bytes).digest("hex");
    if (prev && prev.sha1 === sha1) {
      next.files[key] = { ...prev, size: st.size, mtimeMs: st.mtimeMs };
      reused++;
      continue;
    }
    // A few parses in flight: the worker parses one file while this thread reads and hashes the
    // next. The key is placed now, so the order of files stays that of the folder.
    next.files[key] = { size: st.size, mtimeMs: st.mtimeMs, sha1, error: "解析中断" };
    (prev ? changes.changed : changes.added).push(key);
    inFlight.push(
      (opts.parse ?? parseInWorker)(bytes, path).then((r: ParseResult) => {
        parsed++;
        if (isReport(r)) freshNarratives[key] = r.narrative;
        next.files[key] = isReport(r)
          ? { size: st.size, mtimeMs: st.mtimeMs, sha1, report: pack(r) }
          : { size: st.size, mtimeMs: st.mtimeMs, sha1, error: r.error };
        opts.progress?.(n + 1, files.length);
      }),
    );
    if (inFlight.length >= PARSES_IN_FLIGHT) await inFlight.shift();
  }
  await Promise.all(inFlight);
  changes.removed = old ? Object.keys(old.files).filter((k) => !(k in next.files)) : [];
  const removed = changes.removed.length;
  const reports: Report[] = [];
  const rejected: { file: string; error: string }[] = [];
  for (const [key, f] of Object.entries(next.files)) {
    if (f.report) {
      const r = unpack(f.report as PackedReport, () => allNarratives()[key] ?? []);
      r.file = join(opts.reportsDir, key);
      reports.push(r);
    }
    else rejected.push({ file: key, error: f.error ?? "无法解析" });
  }
  const rebuilt = !old || parsed > 0 || removed > 0 || !existsSync(indexPath);
  let store: ReportStore;
  if (!rebuilt) {
    // The search index is only needed for fuzzy names and /搜索: loaded on first use — and
    // rebuilt from the reports (and written again) if the saved one cannot be read.
    const loadSaved = () => {
      try {
        return MiniSearch.loadJSON(readFileSync(indexPath, "utf8"), ReportStore.searchOptions(tokenizer));
      } catch (e) {
        const moved = moveAside(indexPath);
        log(`搜索索引 ${indexPath} 无法读取（${(e as Error).message}），${moved ? `已移到 ${moved}，` : ""}从年报重建`);
        const built = ReportStore.buildSearch(store.reports, tokenizer);
        tryWriteFileAtomic(indexPath, JSON.stringify(built), log);
        return built;
      }
    };
    store = new ReportStore(reports, { tokenizer, rejected, searchIndex: loadSaved });
  } else {
    store = new ReportStore(reports, { tokenizer, rejected });
    tryWriteFileAtomic(indexPath, JSON.stringify(store.search), log);
  }
  // A cache that cannot be written only costs the next start a reparse: logged, not fatal.
  if (rebuilt || reused !== files.length) {
    const all = allNarratives();
    tryWriteFileAtomic(narrativePath, JSON.stringify(Object.fromEntries(Object.keys(next.files).filter((k) => k in all).map((k) => [k, all[k]]))), log);
    tryWriteFileAtomic(cachePath, JSON.stringify(next), log);
  }
  const ms = performance.now() - t0;
  log(`年报 ${reports.length} 份（${store.organs.length} 个单位），复用 ${reused}，新解析 ${parsed}，移除 ${removed}${rejected.length ? `，无法识别 ${rejected.length}` : ""}，用时 ${Math.round(ms)} ms`);
  // Say which files were not read and why (a long list is cut; /资料库 shows all).
  for (const x of rejected.slice(0, 30)) log(`  无法识别 ${x.file}：${x.error}`);
  if (rejected.length > 30) log(`  另有 ${rejected.length - 30} 个文件无法识别，输入 /资料库 查看`);
  return { store, rejected, stats: { files: files.length, reused, parsed, removed, rebuilt, ms }, changes };
}
