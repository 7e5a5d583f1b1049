/**
 * The project's JSON files in DATA_DIR: read and checked against a schema (a missing or damaged
 * file is never fatal: the caller gets its fallback and a reason), written whole through a
 * temporary file so a crash never leaves half a file.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { z } from "zod";

export type JsonRead<T> = { ok: true; data: T } | { ok: false; why: "missing" | "unreadable" | "invalid"; detail: string };

export function readJsonFile<T>(path: string, schema: z.ZodType<T>): JsonRead<T> {
  if (!existsSync(path)) return { ok: false, why: "missing", detail: "" };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    return { ok: false, why: "unreadable", detail: (e as Error).message };
  }
  const r = schema.safeParse(raw);
  return r.success ? { ok: true, data: r.data } : { ok: false, why: "invalid", detail: r.error.issues.map((i) => i.message).join("；") };
}

/** The file's data, or `fallback` — logging why, unless the file simply does not exist yet. */
export function readJsonOr<T>(path: string, schema: z.ZodType<T>, fallback: T, log: (l: string) => void = () => {}): T {
  const r = readJsonFile(path, schema);
  if (r.ok) return r.data;
  if (r.why === "invalid") log(`${path} 格式不对：${r.detail}`);
  if (r.why === "unreadable") log(`${path} 无法读取：${r.detail}`);
  return fallback;
}

export function writeFileAtomic(path: string, data: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.tmp`, data);
  renameSync(`${path}.tmp`, path);
}
