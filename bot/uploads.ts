/**
 * Reports sent to the bot as files: each is parsed once when it arrives (the answer is the check
 * card) and kept, with what was read from it, for 加入资料库; adding it to the library costs one
 * more parse, the library's own reload. Admins only may add; a report that would replace an
 * existing organ/year needs a second confirmation, and the old file is kept. No Feishu here: the
 * listeners download the file and send the cards.
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { basename, extname, join, resolve } from "node:path";
import type { Answer } from "../commands/index.ts";
import { reviewUpload, uploadCheckAnswer, uploadPassed } from "../commands/upload-check.ts";
import type { ReportStore } from "../index/store.ts";
import { ACCEPTED_EXTENSIONS as SUPPORTED, FORMATS_TEXT, isReport, MAX_FILE_BYTES, type ParseResult, type Report } from "../parser/index.ts";
import type { Logger } from "./log.ts";
import type { UploadMeta, UploadStore } from "./state/state.ts";

/** Checked files wait this long for 加入资料库, then are deleted. */
export const PENDING_DAYS = 7;

export interface UploadDeps {
  admins: string[];
  reportsDir: string;
  /** Where checked files wait for 加入资料库 (the state store). */
  pending: UploadStore;
  store: () => ReportStore;
  /** Re-read REPORTS_DIR into the store (after a file is added). */
  reload: () => Promise<void>;
  /** Parse a document (in the worker pool: bounded in time and memory, never rejects). */
  parse: (bytes: Uint8Array, file: string) => Promise<ParseResult>;
  now: () => Date;
  log: Logger;
}

type Meta = UploadMeta;

export type CheckResult =
  /** uploadId null: the file could not be kept, so it cannot be added to the library. */
  | { ok: true; answer: Answer; uploadId: string | null; passed: boolean }
  | { ok: false; title: string; hints: string[] };

export type IngestResult =
  | { status: "not_admin" }
  | { status: "expired" }
  | { status: "confirm"; answer: Answer; passed: boolean; existing: string }
  | { status: "added"; answer: Answer; passed: boolean; replaced: boolean }
  | { status: "failed"; reason: string };

/** File names come from users: keep letters, digits and CJK, nothing that walks directories. */
export function safeName(name: string): string {
  const ext = extname(name).toLowerCase();
  const stem = basename(name, extname(name)).replace(/[^\p{L}\p{N}_\-（）()]+/gu, "_").slice(0, 80) || "report";
  return `${stem}${SUPPORTED.has(ext) ? ext : ".txt"}`;
}

/** Why a file cannot be checked, from its name alone; null if it can. */
export function unsupportedType(fileName: string): { title: string; hints: string[] } | null {
  const ext = extname(fileName).toLowerCase();
  if (SUPPORTED.has(ext)) return null;
  return { title: `不支持「${ext || "无扩展名"}」格式的文件`, hints: [`请发送 ${FORMATS_TEXT} 格式的年报`] };
}

export function createUploads(deps: UploadDeps) {
  const isAdmin = (openId: string) => deps.admins.includes(openId);

  /** Parse the file, keep it for 加入资料库, and answer with what the checks found. */
  async function check(file: { uploadId: string; fileName: string; bytes: Buffer }): Promise<CheckResult> {
    const bad = unsupportedType(file.fileName);
    if (bad) return { ok: false, ...bad };
    if (file.bytes.length > MAX_FILE_BYTES) {
      return { ok: false, title: `文件超过 ${MAX_FILE_BYTES / 1024 / 1024} MB`, hints: ["请压缩图片或只保留年报正文后再发送"] };
    }
    const r = await deps.parse(file.bytes, file.fileName);
    if (!isReport(r)) return { ok: false, title: `无法检查这个文件：${r.error}`, hints: ["年报需包含三张统计表；扫描件请提供文字版"] };
    const review = reviewUpload(r, deps.store());
    const answer = uploadCheckAnswer(r, { fileName: file.fileName, review });
    const passed = uploadPassed(review);
    const meta: Meta = { fileName: file.fileName, organ: r.organ, organShort: r.organShort, region: r.region, year: r.year, checkedAt: deps.now().toISOString(), passed, answer };
    try {
      await deps.pending.put(file.uploadId, safeName(file.fileName), file.bytes, meta);
      await deps.pending.prune(deps.now().getTime() - PENDING_DAYS * 86400000);
    } catch (e) {
      // The check still stands; only 加入资料库 needs the kept file.
      deps.log.error({ upload: file.uploadId }, `保存上传文件失败，不能加入资料库：${(e as Error).message}`);
      return { ok: true, answer, uploadId: null, passed };
    }
    return { ok: true, answer, uploadId: file.uploadId, passed };
  }

  /** 加入资料库 / 确认替换, by an admin. */
  async function ingest(uploadId: string, operator: string, confirm: boolean): Promise<IngestResult> {
    if (!isAdmin(operator)) return { status: "not_admin" };
    const p = await deps.pending.get(uploadId);
    if (!p) return { status: "expired" };
    const { meta } = p;
    const existing = sameReport(deps.store(), meta);
    if (existing && !confirm) {
      return { status: "confirm", answer: meta.answer, passed: meta.passed, existing: `${existing.organ ?? meta.organ} ${existing.year} 年（${basename(existing.file)}）` };
    }
    const stem = (meta.organShort ?? meta.organ ?? "report").replace(/[^\p{L}\p{N}]+/gu, "") || "report";
    const target = join(deps.reportsDir, "uploads", `${stem}-${meta.year ?? "未知年度"}${extname(p.name)}`);
    mkdirSync(join(deps.reportsDir, "uploads"), { recursive: true });
    if (existing) keepOld(existing.file, deps.reportsDir, deps.now());
    if (existsSync(target) && (!existing || resolve(existing.file) !== resolve(target))) keepOld(target, deps.reportsDir, deps.now());
    writeFileSync(target, p.bytes);
    await deps.reload();
    const added = deps.store().reports.find((r) => resolve(r.file) === resolve(target));
    if (!added) return { status: "failed", reason: "资料库重新载入后没有读到这份年报" };
    await deps.pending.remove(uploadId);
    deps.log.info({ upload: uploadId, operator }, `管理员 ${operator} 将 ${meta.fileName} 加入资料库：${target}`);
    return { status: "added", answer: meta.answer, passed: meta.passed, replaced: Boolean(existing) };
  }

  return { check, ingest, isAdmin };
}

export type Uploads = ReturnType<typeof createUploads>;

/** The library's report of the same organ and year as a checked upload, if any. */
function sameReport(store: ReportStore, m: Meta): Report | null {
  if (!m.organ || !m.year) return null;
  const organ = store.organOf({ organ: m.organ, organShort: m.organShort, region: m.region, year: m.year, file: m.fileName } as Report);
  return organ?.reports.get(m.year) ?? null;
}

/** The replaced file moves to REPORTS_DIR/.replaced/ (a dot folder: not read as a report). */
function keepOld(file: string, reportsDir: string, now: Date) {
  if (!existsSync(file)) return;
  const dir = join(reportsDir, ".replaced");
  mkdirSync(dir, { recursive: true });
  renameSync(file, join(dir, `${now.toISOString().replace(/[:.]/g, "-")}-${basename(file)}`));
}
