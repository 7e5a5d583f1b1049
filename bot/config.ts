/**
 * Configuration from environment variables (and a .env file), validated at start-up with a
 * clear message per bad value.
 */
import { accessSync, constants, existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { BUNDLED_REPORTS } from "./cli-args.ts";

const optional = (s: z.ZodString) => z.preprocess((v) => (v === "" ? undefined : v), s.optional());
const port = z.coerce.number({ message: "PORT 必须是数字，例如 3000" }).int("PORT 必须是整数").min(0, "PORT 必须在 0–65535 之间（0：任选一个空闲端口）").max(65535, "PORT 必须在 0–65535 之间（0：任选一个空闲端口）");

export const DEFAULT_PORT = 3000;
/** A self-built app's App ID, the only kind the SDK's long connection accepts. */
export const SELF_BUILT_APP_ID = /^cli_[0-9a-fA-F]{16}$/;

export const configSchema = z.object({
  FEISHU_APP_ID: optional(z.string().regex(/^cli_\w+$/, "FEISHU_APP_ID 应以 cli_ 开头（飞书开放平台 → 凭证与基础信息）")),
  FEISHU_APP_SECRET: optional(z.string().min(8, "FEISHU_APP_SECRET 太短")),
  /**
   * How Feishu reaches the bot: "webhook" (Feishu POSTs to PORT; needs a public HTTPS address)
   * or "ws" (the bot holds a long connection to Feishu; needs outbound access only).
   * Unset: webhook when a Verification Token or Encrypt Key is given (they exist for webhooks),
   * otherwise the long connection.
   */
  FEISHU_MODE: z.preprocess((v) => (v === "" ? undefined : v), z.enum(["webhook", "ws"], { message: "FEISHU_MODE 只能是 webhook 或 ws" }).optional()),
  FEISHU_VERIFICATION_TOKEN: optional(z.string().min(8, "FEISHU_VERIFICATION_TOKEN 太短（事件与回调 → 加密策略 → Verification Token）")),
  FEISHU_ENCRYPT_KEY: optional(z.string().min(1)),
  FEISHU_DOMAIN: z.string().url("FEISHU_DOMAIN 必须是网址，例如 https://open.feishu.cn").default("https://open.feishu.cn"),
  /** Webhook: the port Feishu POSTs to (default 3000). Long connection: optional, for /healthz only. */
  PORT: z.preprocess((v) => (v === "" ? undefined : v), port.optional()),
  /**
   * The address the HTTP server listens on: all interfaces by default; 127.0.0.1 behind a
   * reverse proxy on the same host, so the port is not reachable from outside.
   */
  HOST: z.string().min(1).default("0.0.0.0"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], { message: "LOG_LEVEL 只能是 error、warn、info、debug 等" }).default("info"),
  REPORTS_DIR: z.string().min(1).default(BUNDLED_REPORTS),
  DATA_DIR: z.string().min(1).default("./data"),
  /**
   * Several replicas: the Redis they share (work, dedupe, claims, reminders, the reload signal).
   * Unset: one process, state under DATA_DIR.
   */
  REDIS_URL: optional(z.string().regex(/^rediss?:\/\/\S+$/, "REDIS_URL 应形如 redis://主机:6379（TLS 用 rediss://，带密码 redis://:密码@主机:6379）")),
  /** A replica silent this long (ms) has its acked, unfinished work taken over by another. */
  REDIS_TAKEOVER_MS: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.coerce.number({ message: "REDIS_TAKEOVER_MS 必须是毫秒数" }).int("REDIS_TAKEOVER_MS 必须是整数").min(1000, "REDIS_TAKEOVER_MS 至少 1000").max(600_000, "REDIS_TAKEOVER_MS 至多 600000").default(20_000),
  ),
  /**
   * Where checked files wait for 加入资料库: DATA_DIR/uploads by default; with REDIS_URL,
   * REPORTS_DIR/.uploads (a folder every replica sees).
   */
  UPLOADS_DIR: optional(z.string()),
  ROSTER_FILE: optional(z.string()),
  BOT_ADMINS: z
    .string()
    .default("")
    .transform((s) => s.split(/[,\s]+/).filter(Boolean)),
});

export type Config = z.infer<typeof configSchema>;

/** Whether enough is configured to talk to Feishu; otherwise `npm start` opens the console. */
export function hasFeishu(c: Config): boolean {
  return Boolean(c.FEISHU_APP_ID && c.FEISHU_APP_SECRET);
}

/** The transport in effect (see FEISHU_MODE). */
export function feishuMode(c: Config): "webhook" | "ws" {
  return c.FEISHU_MODE ?? (c.FEISHU_VERIFICATION_TOKEN || c.FEISHU_ENCRYPT_KEY ? "webhook" : "ws");
}

/** Where checked files wait for 加入资料库 (see UPLOADS_DIR). */
export function uploadsDir(c: Pick<Config, "UPLOADS_DIR" | "REDIS_URL" | "REPORTS_DIR" | "DATA_DIR">): string {
  return c.UPLOADS_DIR ?? (c.REDIS_URL ? join(c.REPORTS_DIR, ".uploads") : join(c.DATA_DIR, "uploads"));
}

/** KEY=value lines; quotes stripped; existing environment variables win. */
export function readDotEnv(path: string): Record<string, string> {
  if (!existsSync(path)) return {};
  const out: Record<string, string> = {};
  for (const line of readFileSync(path, "utf8").split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Z_][A-Z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (m) out[m[1]] = m[2].replace(/^(['"])(.*)\1$/, "$2");
  }
  return out;
}

export function loadConfig(env: Record<string, string | undefined>): { config: Config } | { errors: string[] } {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) return { errors: parsed.error.issues.map((i) => `${String(i.path[0] ?? "")}: ${i.message}`) };
  const c = parsed.data;
  const anyFeishu = c.FEISHU_APP_ID || c.FEISHU_APP_SECRET || c.FEISHU_VERIFICATION_TOKEN || c.FEISHU_ENCRYPT_KEY || c.FEISHU_MODE;
  if (anyFeishu && !(c.FEISHU_APP_ID && c.FEISHU_APP_SECRET)) {
    return { errors: ["飞书配置不完整：FEISHU_APP_ID 和 FEISHU_APP_SECRET 需要同时设置（都不设则进入本地控制台模式）"] };
  }
  if (anyFeishu && feishuMode(c) === "webhook" && !c.FEISHU_VERIFICATION_TOKEN) {
    return { errors: ["webhook 模式需要 FEISHU_VERIFICATION_TOKEN（事件与回调 → 加密策略）；不想开放公网地址，可设 FEISHU_MODE=ws 使用长连接"] };
  }
  if (anyFeishu && feishuMode(c) === "ws" && !SELF_BUILT_APP_ID.test(c.FEISHU_APP_ID!)) {
    return { errors: ["FEISHU_APP_ID: 长连接模式需要自建应用的 App ID（cli_ 加 16 位十六进制字符）"] };
  }
  return { config: c };
}

/**
 * The paths a config names, checked before anything is read: one Chinese line per problem
 * (never a raw ENOENT stack). DATA_DIR is created when missing.
 */
export function checkPaths(c: Pick<Config, "REPORTS_DIR" | "DATA_DIR" | "ROSTER_FILE">): string[] {
  const errors: string[] = [];
  const kind = (p: string) => {
    try {
      return statSync(p).isDirectory() ? "dir" : "file";
    } catch {
      return null;
    }
  };
  const reports = kind(c.REPORTS_DIR);
  if (reports === null) errors.push(`REPORTS_DIR: 年报目录「${c.REPORTS_DIR}」不存在，请检查路径（不设则使用自带样例 samples/reports）`);
  else if (reports === "file") errors.push(`REPORTS_DIR: 「${c.REPORTS_DIR}」是文件，不是目录；请指向存放年报文件的目录`);
  else {
    try {
      accessSync(c.REPORTS_DIR, constants.R_OK);
    } catch {
      errors.push(`REPORTS_DIR: 没有读取「${c.REPORTS_DIR}」的权限`);
    }
  }
  const data = kind(c.DATA_DIR);
  if (data === "file") errors.push(`DATA_DIR: 「${c.DATA_DIR}」是文件，不是目录；缓存和状态需要一个可写的目录`);
  else {
    try {
      if (data === null) mkdirSync(c.DATA_DIR, { recursive: true });
      accessSync(c.DATA_DIR, constants.W_OK);
    } catch (e) {
      errors.push(`DATA_DIR: 无法创建或写入「${c.DATA_DIR}」（${(e as NodeJS.ErrnoException).code ?? "无权限"}）`);
    }
  }
  if (c.ROSTER_FILE && kind(c.ROSTER_FILE) !== "file") errors.push(`ROSTER_FILE: 名单文件「${c.ROSTER_FILE}」不存在`);
  return errors;
}
