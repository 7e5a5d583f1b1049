/**
 * The HTTP instance under the SDK's Client: JSON calls through node:http must keep axios's
 * contract (what api.ts and the SDK's token manager read), and what it cannot send goes to axios.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { feishuHttpInstance, type HttpInstance, HttpStatusError } from "../bot/feishu/http.ts";

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}
let server: Server;
let base = "";
const seen: Seen[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      const path = new URL(req.url ?? "/", "http://x").pathname;
      if (path === "/slow") return; // never answers
      if (path === "/limited") {
        res.writeHead(429, { "content-type": "application/json", "x-ogw-ratelimit-reset": "3" });
        return void res.end(JSON.stringify({ code: 99991400, msg: "request trigger frequency limit" }));
      }
      if (path === "/text") return void res.end("not json");
      res.writeHead(200, { "content-type": "application/json", "x-tt-logid": "log-1" });
      res.end(JSON.stringify({ code: 0, data: { echo: path } }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

/** Stands in for the SDK's axios instance: records what was handed to it. */
function recordingAxios() {
  const calls: object[] = [];
  const inst = { request: async (o: object) => (calls.push(o), { code: 0, via: "axios" }) } as unknown as HttpInstance;
  return { inst, calls };
}

describe("JSON calls go through node:http and keep axios's contract", () => {
  const { inst, calls } = recordingAxios();
  const http = feishuHttpInstance(inst, 2000);

  it.each([
    ["GET with params: the query string, no body", { method: "GET", url: "/a", params: { receive_id_type: "chat_id", skip: undefined } }, "GET", "/a?receive_id_type=chat_id", ""],
    ["POST with data: JSON with its type", { method: "POST", url: "/b", data: { msg_type: "text", content: "{\"text\":\"你好\"}" } }, "POST", "/b", "{\"msg_type\":\"text\",\"content\":\"{\\\"text\\\":\\\"你好\\\"}\"}"],
    ["PATCH", { method: "PATCH", url: "/c", data: { content: "x" } }, "PATCH", "/c", "{\"content\":\"x\"}"],
  ])("%s", async (_, opts, method, url, body) => {
    seen.length = 0;
    const r = await http.request({ ...opts, url: base + opts.url, headers: { Authorization: "Bearer t-1", "User-Agent": "oapi-node-sdk" } });
    expect(r).toEqual({ code: 0, data: { echo: url.split("?")[0] } });
    expect(seen[0]).toMatchObject({ method, url, body, headers: { authorization: "Bearer t-1", "user-agent": "oapi-node-sdk" } });
    if (body) expect(seen[0].headers["content-type"]).toBe("application/json");
    expect(calls).toEqual([]);
  });

  it("$return_headers answers {data, headers}, as the SDK's interceptor does", async () => {
    const r = (await http.request({ method: "GET", url: `${base}/h`, $return_headers: true } as object)) as { data: unknown; headers: Record<string, string> };
    expect(r.data).toEqual({ code: 0, data: { echo: "/h" } });
    expect(r.headers["x-tt-logid"]).toBe("log-1");
  });

  it("a 429 rejects with response.status, the parsed body and the headers api.ts reads", async () => {
    const e = await http.request({ method: "POST", url: `${base}/limited`, data: {} }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(HttpStatusError);
    expect((e as HttpStatusError).response).toMatchObject({ status: 429, data: { code: 99991400 }, headers: { "x-ogw-ratelimit-reset": "3" } });
  });

  it("a body that is not JSON is left as text", async () => {
    expect(await http.request({ method: "GET", url: `${base}/text` })).toBe("not json");
  });

  it("a call that never answers is abandoned at its deadline, with no response", async () => {
    const e = await feishuHttpInstance(inst, 50).request({ method: "GET", url: `${base}/slow` }).catch((x: unknown) => x);
    expect((e as Error).message).toBe("飞书接口 50 ms 未完成");
    expect((e as { response?: unknown }).response).toBeUndefined();
  });

  it("the caller's own signal also ends it", async () => {
    const c = new AbortController();
    const p = http.request({ method: "GET", url: `${base}/slow`, signal: c.signal } as object).catch((x: unknown) => x);
    c.abort(new Error("停止"));
    expect(((await p) as Error).message).toBe("停止");
  });
});

describe("what node:http is not given goes to axios, with a deadline", () => {
  it.each([
    ["a multipart upload with a file stream", { method: "POST", url: "/open-apis/im/v1/files", data: { file: Readable.from([Buffer.from("x")]) }, headers: { "Content-Type": "multipart/form-data" } }],
    ["a streamed download", { method: "GET", url: "/open-apis/im/v1/messages/om/resources/fk", responseType: "stream" }],
    ["a Buffer body", { method: "POST", url: "/x", data: Buffer.from("x") }],
  ])("%s", async (_, opts) => {
    const { inst, calls } = recordingAxios();
    expect(await feishuHttpInstance(inst, 1234).request(opts as object)).toEqual({ code: 0, via: "axios" });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ ...opts, timeout: 1234 });
    expect((calls[0] as { signal?: unknown }).signal).toBeInstanceOf(AbortSignal);
  });
});
