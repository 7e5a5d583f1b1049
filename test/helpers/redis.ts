/**
 * A real redis-server for the tests and the benchmark: started on a free loopback port in a
 * temporary folder, with no persistence, stopped afterwards. CI installs it from the
 * distribution's packages (.ci/run); elsewhere, without it, the Redis tests are skipped with a
 * message saying how to install it — but under CI=true they run, and fail if it is missing.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const REDIS_SERVER = "redis-server";

/** Whether redis-server can be run here. */
export function hasRedisServer(): boolean {
  return spawnSync(REDIS_SERVER, ["--version"], { stdio: "ignore" }).status === 0;
}

/** Skip the Redis tests only outside CI, and say why. */
export function skipRedisTests(): boolean {
  if (hasRedisServer() || process.env.CI === "true") return false;
  process.stderr.write("redis-server 未安装：跳过多副本（Redis）测试。安装：apt-get install -y redis-server（CI 中必须运行）\n");
  return true;
}

export interface RedisServer {
  port: number;
  /** A URL to database `db` (0–63): tests keep apart by database. */
  url(db?: number): string;
  /** Stop it (SIGTERM) and wait: Redis is lost. A second stop does nothing. */
  stop(): Promise<void>;
  /** Start it again on the same port after stop (Redis came back, empty). */
  start(): Promise<void>;
  /** Stop it and remove its folder. */
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  const addr = s.address();
  await new Promise<void>((r) => s.close(() => r()));
  return typeof addr === "object" && addr ? addr.port : 0;
}

export async function startRedis(): Promise<RedisServer> {
  if (!hasRedisServer()) throw new Error("redis-server 未安装（apt-get install -y redis-server）：CI 必须运行多副本测试");
  const dir = mkdtempSync(join(tmpdir(), "nianbao-redis-"));
  const port = await freePort();
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  const launch = async () => {
    const c = spawn(REDIS_SERVER, ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "no", "--databases", "64"], { stdio: ["ignore", "pipe", "pipe"] });
    child = c;
    exited = new Promise((r) => c.once("exit", () => r()));
    let out = "";
    await new Promise<void>((resolve, reject) => {
      c.stdout!.on("data", (b: Buffer) => {
        out += b.toString();
        if (out.includes("Ready to accept connections")) resolve();
      });
      c.once("exit", (code) => reject(new Error(`redis-server exited (${code}): ${out.slice(-500)}`)));
    });
  };
  await launch();
  const stop = async () => {
    if (!child) return;
    child.kill("SIGTERM");
    await exited;
    child = null;
  };
  return {
    port,
    url: (db = 0) => `redis://127.0.0.1:${port}/${db}`,
    stop,
    async start() {
      if (!child) await launch();
    },
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
