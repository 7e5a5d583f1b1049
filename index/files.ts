/**
 * The project's JSON files in DATA_DIR: read and checked against a schema (a missing or damaged
 * file is never fatal: the caller gets its fallback and a reason), written whole through a
 * temporary file, flushed to disk before it replaces the old one, so a crash never leaves half a
 * file. A damaged state file is moved aside (`<file>.corrupt-<time>`) rather than overwritten, so
 * what it held can still be looked at.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import type { z } from "zod";

export type JsonRead<T> = { ok: true; data: T } | { ok: false; why: "missing" | "unreadable" | "invalid"; detail: string; raw?: unknown };

export function readJsonFile<T>(path: string, schema: z.ZodType<T>): JsonRead<T> {
  if (!existsSync(path)) return { ok: false, why: "missing", detail: "" };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    return { ok: false, why: "unreadable", detail: (e as Error).message };
  }
  const r = schema.safeParse(raw);
  return r.success ? { ok: true, data: r.data } : { ok: false, why: "invalid", detail: r.error.issues.slice(0, 3).map((i) => `${i.path.join(".")} ${i.message}`).join("；"), raw };
}

/** The file's data, or `fallback` — logging why, unless the file simply does not exist yet. */
export function readJsonOr<T>(path: string, schema: z.ZodType<T>, fallback: T, log: (l: string) => void = () => {}): T {
  const r = readJsonFile(path, schema);
  if (r.ok) return r.data;
  if (r.why === "invalid") log(`${path} 格式不对：${r.detail}`);
  if (r.why === "unreadable") log(`${path} 无法读取：${r.detail}`);
  return fallback;
}

/** `<path>.corrupt-<time>`: where a damaged file is moved. */
export const corruptPath = (path: string, now: Date) => `${path}.corrupt-${now.toISOString().replace(/[:.]/g, "-")}`;

/** Move a damaged file (or a folder where a file belongs) out of the way; returns where it went, or null if it could not be moved. */
export function moveAside(path: string, now = new Date()): string | null {
  const to = corruptPath(path, now);
  try {
    renameSync(path, to);
    return to;
  } catch {
    return null;
  }
}

export interface StateFileOptions<T> {
  /** What the file holds, for the log (「提醒订阅」). */
  what: string;
  /** What was lost, from the raw JSON of a file that parsed but did not validate (「3 项订阅」). */
  lost?: (raw: unknown) => string;
  log: (line: string) => void;
  now?: () => Date;
  /** Said in the log when the fallback is taken. */
  fallbackNote?: string;
  fallback: T;
}

/**
 * A state file, validated: missing → the fallback, silently; damaged (not JSON, wrong shape, a
 * folder) → moved aside, logged with what was lost and what is assumed instead, the fallback.
 */
export function readStateFile<T>(path: string, schema: z.ZodType<T>, o: StateFileOptions<T>): { data: T; damaged: boolean } {
  const r = readJsonFile(path, schema);
  if (r.ok) return { data: r.data, damaged: false };
  if (r.why === "missing") return { data: o.fallback, damaged: false };
  const moved = moveAside(path, o.now?.() ?? new Date());
  const lost = r.why === "invalid" && o.lost ? safely(() => o.lost!(r.raw)) : null;
  o.log(
    `${o.what}文件 ${path} 已损坏（${r.why === "invalid" ? "格式不对" : "无法读取"}：${r.detail}），` +
      `${moved ? `已移到 ${moved}` : "无法移走"}；丢失${lost ? `：${lost}` : "其中的全部内容"}${o.fallbackNote ? `；${o.fallbackNote}` : ""}`,
  );
  return { data: o.fallback, damaged: true };
}

function safely(f: () => string): string | null {
  try {
    return f();
  } catch {
    return null;
  }
}

/** Write a whole file: to a temporary file, flushed to disk, then renamed over the old one. Throws on failure. */
export function writeFileAtomic(path: string, data: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, "w");
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/** writeFileAtomic that logs a failure (a full disk, a folder in the way) instead of throwing; returns whether it wrote. */
export function tryWriteFileAtomic(path: string, data: string, log: (line: string) => void): boolean {
  try {
    writeFileAtomic(path, data);
    return true;
  } catch (e) {
    log(`写入 ${path} 失败：${(e as Error).message}`);
    return false;
  }
}
