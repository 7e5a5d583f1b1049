/**
 * npm start: with Feishu credentials, the webhook server; without, the local console.
 */
import { join } from "node:path";
import { loadReports } from "../index/cache.ts";
import { hasFeishu, loadConfig, readDotEnv } from "./config.ts";
import { runConsole } from "./console.ts";

async function main() {
  const env = { ...readDotEnv(join(process.cwd(), ".env")), ...process.env };
  const loaded = loadConfig(env);
  if ("errors" in loaded) {
    process.stderr.write(`配置有误，未启动：\n${loaded.errors.map((e) => `  - ${e}`).join("\n")}\n`);
    process.exitCode = 1;
    return;
  }
  const { config } = loaded;
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const { store } = await loadReports({ reportsDir: config.REPORTS_DIR, dataDir: config.DATA_DIR, log });
  if (!hasFeishu(config)) {
    log("未配置飞书凭证（FEISHU_APP_ID 等），进入本地控制台模式。");
    await runConsole(store, { input: process.stdin, output: process.stdout, now: () => new Date() });
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
