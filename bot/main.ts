/**
 * npm start: with Feishu credentials, the webhook server; without, the local console.
 */
import { join } from "node:path";
import { loadReports } from "../index/cache.ts";
import { checkPaths, hasFeishu, loadConfig, readDotEnv } from "./config.ts";
import { runConsole } from "./console.ts";
import { Library } from "./library.ts";
import { loadCalendar, readRoster } from "./reminders.ts";

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
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const { store } = await loadReports({ reportsDir: config.REPORTS_DIR, dataDir: config.DATA_DIR, log });
  if (!hasFeishu(config)) {
    log("未配置飞书凭证（FEISHU_APP_ID 等），进入本地控制台模式。");
    // Files added to REPORTS_DIR are picked up while the console runs, as on the server.
    const library = new Library(store, { reportsDir: config.REPORTS_DIR, dataDir: config.DATA_DIR, log });
    library.watch();
    const reminders = { calendar: loadCalendar(config.DATA_DIR, log), roster: readRoster(config.ROSTER_FILE) };
    await runConsole(library, { input: process.stdin, output: process.stdout, now: () => new Date(), reminders });
    library.close();
    return;
  }
  const { startServer } = await import("./server.ts");
  try {
    await startServer(config, store, log);
  } catch (e) {
    log(`启动失败：${(e as Error).message}`);
    process.exitCode = 1;
  }
}

main();
