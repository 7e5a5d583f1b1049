/**
 * npm start: with Feishu credentials, the webhook server; without, the local console.
 */
import { join } from "node:path";
import { loadReports } from "../index/cache.ts";
import { hasFeishu, loadConfig, readDotEnv } from "./config.ts";
import { runConsole } from "./console.ts";
import { createLogger, lines } from "./log.ts";

async function main() {
  const env = { ...readDotEnv(join(process.cwd(), ".env")), ...process.env };
  const loaded = loadConfig(env);
  if ("errors" in loaded) {
    process.stderr.write(`配置有误，未启动：\n${loaded.errors.map((e) => `  - ${e}`).join("\n")}\n`);
    process.exitCode = 1;
    return;
  }
  const { config } = loaded;
  const log = createLogger({ level: config.LOG_LEVEL });
  const { store } = await loadReports({ reportsDir: config.REPORTS_DIR, dataDir: config.DATA_DIR, log: lines(log.child({ component: "library" })) });
  if (!hasFeishu(config)) {
    log.info("未配置飞书凭证（FEISHU_APP_ID 等），进入本地控制台模式。");
    await runConsole(store, { input: process.stdin, output: process.stdout, now: () => new Date() });
    return;
  }
  const { startServer } = await import("./server.ts");
  try {
    await startServer(config, store, log);
  } catch (e) {
    log.fatal(`启动失败：${(e as Error).message}`);
    process.exitCode = 1;
  }
}

main();
