/**
 * The one logger: pino, JSON lines on stderr, with levels (LOG_LEVEL) and the id of what each
 * line is about — `req` for an HTTP request, `msg_id` / `event_id` for a Feishu event, `job` for
 * a piece of durable work, `reminder` for a reminder — bound by child loggers, so a line can be
 * traced to the message it answers.
 *
 * Secrets are removed by configuration (pino's `redact`), not by each caller remembering: any
 * field named like a credential, at the top level or one level down, is censored.
 */
import pino from "pino";

export type Logger = pino.Logger;
export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";

/** Field names that hold credentials wherever they appear in a logged object. */
const SECRET_KEYS = [
  "authorization",
  "Authorization",
  "app_secret",
  "appSecret",
  "AppSecret",
  "encrypt_key",
  "encryptKey",
  "encrypt",
  "token",
  "verificationToken",
  "tenant_access_token",
  "FEISHU_APP_SECRET",
  "FEISHU_ENCRYPT_KEY",
  "FEISHU_VERIFICATION_TOKEN",
  // May carry the Redis password.
  "REDIS_URL",
  "x-lark-signature",
];

/** pino redact paths: each secret key at the top level, one level down, and in request headers. */
export const REDACT_PATHS = [...SECRET_KEYS, ...SECRET_KEYS.map((k) => `*["${k}"]`), ...SECRET_KEYS.map((k) => `*.headers["${k}"]`)];
export const CENSOR = "[已隐藏]";

export interface LoggerOptions {
  level?: LogLevel;
  /** Where lines go; stderr (written synchronously, so a crash loses no line) by default. */
  stream?: pino.DestinationStream;
}

export function createLogger(o: LoggerOptions = {}): Logger {
  return pino(
    {
      level: o.level ?? "info",
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: CENSOR },
    },
    o.stream ?? pino.destination({ dest: 2, sync: true }),
  );
}

/** A destination writing each line's message as plain text on stderr (the console, read by a person). */
export function plainStderr(): pino.DestinationStream {
  return {
    write(line: string) {
      try {
        const r = JSON.parse(line) as { msg?: unknown };
        process.stderr.write(`${String(r.msg ?? "")}\n`);
      } catch {
        process.stderr.write(line);
      }
    },
  };
}

/** A logger that writes nothing (benchmarks, one-off tools). */
export const silentLogger = (): Logger => pino({ level: "silent" });

/** The line-taking log of code outside bot/ (index/, parser CLI), writing into a logger. */
export const lines =
  (log: Logger, level: "info" | "warn" | "error" = "info") =>
  (line: string) =>
    log[level](line);

/** The message of anything thrown, for a log line. */
export const errText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
