/**
 * The connection to Redis shared by the Redis state's parts: node-redis with its offline queue
 * off, so a command sent while Redis is unreachable fails at once instead of waiting (an event
 * must be refused within Feishu's 3 s, not acked late); every command has a deadline; it
 * reconnects on its own, and the log says once when Redis is lost and once when it is back.
 */
import { createHash } from "node:crypto";
import { createClient } from "redis";
import { errText, type Logger } from "../log.ts";
import { Draining } from "../work.ts";

/** Under Feishu's 3 s for an ack, with room for the rest of the request. */
const COMMAND_TIMEOUT_MS = 2000;
const CONNECT_TIMEOUT_MS = 10_000;

/** Redis cannot be reached: the event is refused with 503 and Feishu re-sends it. */
export class RedisUnavailable extends Draining {
  constructor(why: string) {
    super(`Redis 不可用，不接收新事件（飞书会重新推送）：${why}`);
  }
}

const connect = (url: string) =>
  createClient({
    url,
    disableOfflineQueue: true,
    commandOptions: { timeout: COMMAND_TIMEOUT_MS },
    socket: { connectTimeout: 5000, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2000) },
  });

export class RedisLink {
  private readonly sha = new Map<string, string>();
  private lost = false;

  private constructor(
    private readonly client: ReturnType<typeof connect>,
    private readonly prefix: string,
  ) {}

  /** Connect, or throw a clear error after 10 s of trying. */
  static async open(url: string, o: { prefix: string; log: Logger }): Promise<RedisLink> {
    const client = connect(url);
    const link = new RedisLink(client, o.prefix);
    let lastError = "";
    client.on("error", (e: unknown) => {
      lastError = errText(e);
      if (link.lost) return;
      link.lost = true;
      o.log.error({ err: lastError }, `与 Redis 的连接断开（${lastError}），重连期间不接收新事件（返回 503，飞书会重新推送）`);
    });
    client.on("ready", () => {
      if (link.lost) o.log.info("已重新连上 Redis，恢复接收事件");
      link.lost = false;
    });
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<"timeout">((r) => (timer = setTimeout(() => r("timeout"), CONNECT_TIMEOUT_MS)));
    const connected = await Promise.race([client.connect().then(() => "ok" as const), gaveUp]).finally(() => clearTimeout(timer));
    if (connected !== "ok") {
      client.destroy();
      throw new Error(`无法连接 Redis（${redactUrl(url)}）：${lastError || "超时"}。请检查 REDIS_URL 和 Redis 是否在运行`);
    }
    link.lost = false;
    return link;
  }

  /** A key of this bot's namespace. */
  key(name: string): string {
    return `${this.prefix}${name}`;
  }

  get reachable(): boolean {
    return this.client.isReady;
  }

  command(args: (string | number)[]): Promise<unknown> {
    return this.client.sendCommand(args.map(String));
  }

  /** A Lua script by its SHA1, sent whole only the first time Redis does not know it. */
  async eval(script: string, keys: string[], args: (string | number)[]): Promise<unknown> {
    let sha = this.sha.get(script);
    if (!sha) this.sha.set(script, (sha = createHash("sha1").update(script).digest("hex")));
    const rest = [String(keys.length), ...keys, ...args.map(String)];
    try {
      return await this.client.sendCommand(["EVALSHA", sha, ...rest]);
    } catch (e) {
      if (!/NOSCRIPT/.test(errText(e))) throw e;
      return this.client.sendCommand(["EVAL", script, ...rest]);
    }
  }

  /** Work that must not go ahead without Redis: any failure is RedisUnavailable (503). */
  async unavailableIfLost<T>(run: () => Promise<T>): Promise<T> {
    if (!this.client.isReady) throw new RedisUnavailable("正在重连");
    try {
      return await run();
    } catch (e) {
      throw e instanceof RedisUnavailable ? e : new RedisUnavailable(errText(e));
    }
  }

  /** Round trip in ms, or null when Redis does not answer. */
  async ping(): Promise<number | null> {
    if (!this.client.isReady) return null;
    const t0 = performance.now();
    try {
      await this.client.sendCommand(["PING"], { timeout: 1000 });
      return performance.now() - t0;
    } catch {
      return null;
    }
  }

  async close(): Promise<void> {
    if (this.client.isReady) await this.client.close().catch(() => this.client.destroy());
    else this.client.destroy();
  }
}

/** The URL without its password, for logs and messages. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, (_m, auth: string) => `//${auth.includes(":") ? `${auth.split(":")[0]}:***` : "***"}@`);
}
