/**
 * A fake Feishu Open API on loopback: the routes the bot calls, recording every request,
 * with scriptable failures.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";

export interface Recorded {
  method: string;
  path: string;
  query: Record<string, string>;
  auth: string | undefined;
  body: Record<string, unknown> | null;
}

type Scripted = { status: number; body: unknown };

export class FakeFeishu {
  readonly calls: Recorded[] = [];
  readonly files = new Map<string, Buffer>();
  private server: Server | null = null;
  private tokens = 0;
  private readonly script = new Map<string, Scripted[]>();
  botOpenId = "ou_bot";
  readonly chatOwners = new Map<string, string>();
  url = "";

  /** The next `times` calls to a route kind ("reply", "send", "token", "resource") answer this instead. */
  fail(kind: string, status: number, body: unknown, times = 1) {
    const list = this.script.get(kind) ?? [];
    for (let i = 0; i < times; i++) list.push({ status, body });
    this.script.set(kind, list);
  }

  sent(kind?: "reply" | "send"): Recorded[] {
    return this.calls.filter((c) => (kind === "reply" ? /\/reply$/.test(c.path) : kind === "send" ? c.path === "/open-apis/im/v1/messages" : /\/messages/.test(c.path) && c.method === "POST"));
  }

  /** Cards delivered (reply or send), parsed. */
  cards(kind?: "reply" | "send"): Record<string, unknown>[] {
    return this.sent(kind).map((c) => JSON.parse(String(c.body?.content ?? "{}")));
  }

  tokenRequests(): number {
    return this.calls.filter((c) => c.path.endsWith("/tenant_access_token/internal")).length;
  }

  async start(): Promise<string> {
    this.server = createServer(async (req, res) => {
      const url = new URL(req.url ?? "/", "http://x");
      const body = await readBody(req);
      const rec: Recorded = { method: req.method ?? "", path: url.pathname, query: Object.fromEntries(url.searchParams), auth: req.headers.authorization, body };
      this.calls.push(rec);
      const kind = kindOf(rec);
      const scripted = this.script.get(kind)?.shift();
      const send = (status: number, payload: unknown, raw?: Buffer) => {
        res.writeHead(status, { "content-type": raw ? "application/octet-stream" : "application/json" });
        res.end(raw ?? JSON.stringify(payload));
      };
      if (scripted) return send(scripted.status, scripted.body);
      if (rec.path === "/__stats") {
        const replies = this.sent("reply");
        return send(200, { replies: replies.length, uniqueReplies: new Set(replies.map((r) => r.path)).size });
      }
      switch (kind) {
        case "token":
          return send(200, { code: 0, tenant_access_token: `t-${++this.tokens}`, expire: 7200 });
        case "bot":
          return send(200, { code: 0, bot: { open_id: this.botOpenId, app_name: "年报助手" } });
        case "reply":
        case "send":
          return send(200, { code: 0, data: { message_id: `om_sent_${this.calls.length}` } });
        case "chat":
          return send(200, { code: 0, data: { owner_id: this.chatOwners.get(url.pathname.split("/").pop()!) ?? "ou_someone", owner_id_type: "open_id" } });
        case "resource": {
          const key = url.pathname.split("/").pop()!;
          const file = this.files.get(key);
          return file ? send(200, null, file) : send(404, { code: 234003, msg: "file not found" });
        }
        default:
          return send(404, { code: 404, msg: `no route ${rec.method} ${rec.path}` });
      }
    });
    await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", () => r()));
    const addr = this.server.address();
    this.url = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`;
    return this.url;
  }

  async stop() {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

function kindOf(r: Recorded): string {
  if (r.path.endsWith("/tenant_access_token/internal")) return "token";
  if (r.path === "/open-apis/bot/v3/info") return "bot";
  if (/\/messages\/[^/]+\/reply$/.test(r.path)) return "reply";
  if (r.path === "/open-apis/im/v1/messages" && r.method === "POST") return "send";
  if (/\/messages\/[^/]+\/resources\//.test(r.path)) return "resource";
  if (/^\/open-apis\/im\/v1\/chats\/[^/]+$/.test(r.path)) return "chat";
  return "other";
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown> | null> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const s = Buffer.concat(chunks).toString("utf8");
  if (!s) return null;
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
}
