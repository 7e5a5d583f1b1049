/**
 * The bot as `npm start` runs it (bot/main.ts in its own process), against a fake Open API, so a
 * test can kill it (-9, SIGTERM) and start it again on the same DATA_DIR.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { APP_ID, TOKEN } from "./events.ts";

const ROOT = join(import.meta.dirname, "..", "..");

export interface BotProcess {
  child: ChildProcess;
  url: string;
  /** Every log line, parsed. */
  records: Record<string, unknown>[];
  exited: Promise<number | null>;
}

export async function startBotProcess(o: { fakeUrl: string; appSecret: string; dataDir: string; reportsDir: string; env?: Record<string, string> }): Promise<BotProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "bot", "main.ts")], {
    cwd: ROOT,
    env: {
      ...process.env,
      FEISHU_APP_ID: APP_ID,
      FEISHU_APP_SECRET: o.appSecret,
      FEISHU_VERIFICATION_TOKEN: TOKEN,
      FEISHU_MODE: "webhook",
      FEISHU_DOMAIN: o.fakeUrl,
      DATA_DIR: o.dataDir,
      REPORTS_DIR: o.reportsDir,
      HOST: "127.0.0.1",
      PORT: "0",
      LOG_LEVEL: "info",
      ...o.env,
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const records: Record<string, unknown>[] = [];
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stderr! });
    lines.on("line", (line) => {
      try {
        const r = JSON.parse(line) as Record<string, unknown>;
        records.push(r);
        if (typeof r.port === "number" && typeof r.host === "string") resolve(`http://${r.host}:${r.port}`);
      } catch {
        records.push({ msg: line });
      }
    });
    void exited.then((code) => reject(new Error(`bot exited (${code}) before listening: ${records.map((r) => r.msg).join(" | ")}`)));
  });
  return { child, url, records, exited };
}
