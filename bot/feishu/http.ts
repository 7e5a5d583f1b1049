/**
 * The HTTP instance the SDK's Client sends through. The SDK's own is axios, which costs about
 * half a millisecond of CPU per call on our side — at 500 events a second, a quarter of a core
 * taken from the webhook's acks. JSON calls (every message, card and token call) go through
 * node:http with keep-alive connections here; what axios does that we do not (multipart uploads,
 * streamed downloads) still goes through axios.
 *
 * Both keep axios's contract with the SDK and with api.ts: a 2xx answer resolves with the parsed
 * body (or {data, headers} when `$return_headers` is set, as the SDK's interceptor does); any
 * other status rejects with `response: {status, headers, data}`; a network error or the deadline
 * rejects with no response. Every request has a deadline over the whole exchange.
 */
import { Agent as HttpAgent, type IncomingHttpHeaders, request as httpRequest } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { Readable } from "node:stream";
import type * as lark from "@larksuiteoapi/node-sdk";

export type HttpInstance = NonNullable<ConstructorParameters<typeof lark.Client>[0]["httpInstance"]>;

/** The options the SDK and api.ts pass (a subset of axios's request config). */
interface RequestOptions {
  url?: string;
  method?: string;
  headers?: Record<string, unknown>;
  params?: Record<string, unknown>;
  data?: unknown;
  responseType?: string;
  timeout?: number;
  signal?: AbortSignal;
  $return_headers?: boolean;
}

/** An answer that is not 2xx, shaped as axios shapes it (api.ts reads response.status/data/headers). */
export class HttpStatusError extends Error {
  readonly code = "ERR_BAD_RESPONSE";
  constructor(readonly response: { status: number; headers: IncomingHttpHeaders; data: unknown }) {
    super(`Request failed with status code ${response.status}`);
  }
}

/** Only a plain JSON body (or none) takes the light path: streams and multipart need axios. */
function isJsonCall(o: RequestOptions): boolean {
  if (o.responseType && o.responseType !== "json") return false;
  const type = Object.entries(o.headers ?? {}).find(([k]) => k.toLowerCase() === "content-type")?.[1];
  if (typeof type === "string" && !type.includes("json")) return false;
  if (o.data === undefined || o.data === null) return true;
  if (typeof o.data !== "object" || Buffer.isBuffer(o.data) || o.data instanceof Readable) return false;
  return !Object.values(o.data).some((v) => v instanceof Readable || Buffer.isBuffer(v));
}

function urlWithParams(url: string, params: Record<string, unknown> | undefined): URL {
  const u = new URL(url);
  for (const [k, v] of Object.entries(params ?? {})) if (v !== undefined && v !== null) u.searchParams.append(k, String(v));
  return u;
}

/** Axios parses a JSON-looking body whatever its content type, and leaves anything else as text. */
function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * The SDK's axios instance behind a deadline, with JSON calls sent through node:http.
 * `axiosInstance` is the SDK's defaultHttpInstance (its interceptor unwraps response data).
 */
export function feishuHttpInstance(axiosInstance: HttpInstance, timeoutMs: number): HttpInstance {
  const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 32 });
  const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 32 });

  function sendJson(o: RequestOptions, signal: AbortSignal): Promise<unknown> {
    const url = urlWithParams(o.url ?? "", o.params);
    const method = (o.method ?? "GET").toUpperCase();
    const body = o.data === undefined || o.data === null ? undefined : JSON.stringify(o.data);
    const headers: Record<string, string> = { accept: "application/json, text/plain, */*" };
    for (const [k, v] of Object.entries(o.headers ?? {})) if (v !== undefined && v !== null) headers[k.toLowerCase()] = String(v);
    if (body !== undefined) {
      headers["content-type"] ??= "application/json";
      headers["content-length"] = String(Buffer.byteLength(body));
    }
    const send = url.protocol === "https:" ? httpsRequest : httpRequest;
    const agent = url.protocol === "https:" ? httpsAgent : httpAgent;
    return new Promise((resolve, reject) => {
      const req = send(url, { method, headers, agent, signal }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => {
          const data = parseBody(Buffer.concat(chunks).toString("utf8"));
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve(o.$return_headers ? { data, headers: res.headers } : data);
          else reject(new HttpStatusError({ status, headers: res.headers, data }));
        });
      });
      req.on("error", (e) => reject(signal.aborted && signal.reason instanceof Error ? signal.reason : e));
      req.end(body);
    });
  }

  // A plain controller and timer, cleared when the exchange ends (AbortSignal.timeout's
  // transferable signal costs more per call than the rest of our side of it).
  function withDeadline<R>(opts: object | undefined, send: (o: RequestOptions, signal: AbortSignal) => Promise<R>): Promise<R> {
    const o = { ...(opts as RequestOptions | undefined) };
    const ms = o.timeout ?? timeoutMs;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error(`飞书接口 ${ms} ms 未完成`)), ms);
    const outer = o.signal;
    const onOuterAbort = () => controller.abort(outer?.reason);
    if (outer?.aborted) onOuterAbort();
    else outer?.addEventListener("abort", onOuterAbort, { once: true });
    return send(o, controller.signal).finally(() => {
      clearTimeout(timer);
      outer?.removeEventListener("abort", onOuterAbort);
    });
  }

  const viaAxios = (o: RequestOptions, signal: AbortSignal) =>
    // A stream answer is read after the promise resolves: its own signal (the caller's) bounds that.
    axiosInstance.request({ timeout: timeoutMs, httpAgent, httpsAgent, ...o, signal: o.responseType === "stream" && o.signal ? o.signal : signal } as Parameters<HttpInstance["request"]>[0]);

  const request = (opts: object | undefined) => withDeadline(opts, (o, signal) => (isJsonCall(o) ? sendJson(o, signal) : viaAxios(o, signal)));
  const withBody = (method: string) => (url: string, data?: unknown, opts?: object) => request({ ...opts, url, method, data });
  const without = (method: string) => (url: string, opts?: object) => request({ ...opts, url, method });
  return {
    request,
    get: without("GET"),
    delete: without("DELETE"),
    head: without("HEAD"),
    options: without("OPTIONS"),
    post: withBody("POST"),
    put: withBody("PUT"),
    patch: withBody("PATCH"),
  } as HttpInstance;
}
