/**
 * npm start: with Feishu credentials, the webhook server; without, the local console.
 */
import { join } from "node:path";
import { checkPaths, hasFeishu, loadConfig, readDotEnv } from "./config.ts";
import { runConsole } from "./console.ts";
import { Library } from "./library.ts";
import { createLogger, lines, plainStderr } from "./log.ts";
import { loadCalendar, readRoster } from "./reminders.ts";
import { loadReportsWithProgress } from "./progress.ts";

async function main() {
  const env = { ...readDotEnv(join(process.cwd(), ".env")), ...process.env };
  const loaded = loadConfig(env);
  if ("errors" in loaded) {
    process.stderr.write(`配置有误，未启动：\n${loaded.errors.map((e) => `  - ${e}`).join("\n")}\n`);
    process.exitCode = 1;
    return;
  }
  const { config } = loaded;
  const pathErrors = checkPaths(config);
  if (pathErrors.length) {
    process.stderr.write(`配置有误，未启动：\n${pathErrors.map((e) => `  - ${e}`).join("\n")}\n`);
    process.exitCode = 1;
    return;
  }
  // The server logs JSON lines; the console, read by a person, the same lines as plain text.
  const consoleMode = !hasFeishu(config);
  const logger = createLogger({ level: config.LOG_LEVEL, stream: consoleMode ? plainStderr() : undefined });
  const log = lines(logger);
  const { store } = await loadReportsWithProgress({ reportsDir: config.REPORTS_DIR, dataDir: config.DATA_DIR, log });
  if (consoleMode) {
    log("未配置飞书凭证（FEISHU_APP_ID 等），进入本地控制台模式。");
    // Files added to REPORTS_DIR are picked up while the console runs, as on the server.
    const library = new Library(store, { reportsDir: config.REPORTS_DIR, dataDir: config.DATA_DIR, log: logger });
    library.watch();
    const reminders = { calendar: loadCalendar(config.DATA_DIR, log), roster: readRoster(config.ROSTER_FILE) };
    await runConsole(library, { input: process.stdin, output: process.stdout, now: () => new Date(), reminders });
    library.close();
    return;
  }
  const { startServer } = await import("./server.ts");
  try {
    await startServer(config, store, logger);
  } catch (e) {
    logger.fatal(`启动失败：${(e as Error).message}`);
    process.exitCode = 1;
  }
}

main();
