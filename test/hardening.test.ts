/**
 * Issue 11, one row at a time: what a user sees when the bot is attacked or crashes — a fault
 * injected through the fake Open API, a crash simulated by killing the bot's process, hostile
 * files made here. No timing asserts: work is bounded by the pool's own limits and counted.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createLogger, REDACT_PATHS } from "../bot/log.ts";
import { FileReminders } from "../bot/state/embedded.ts";
import { WorkJournal } from "../bot/state/journal.ts";
import { readBody } from "../bot/transport/http.ts";
import { route } from "../commands/index.ts";
import { loadReports } from "../index/cache.ts";
import { ParsePool } from "../index/parse-pool.ts";
import { ReportStore } from "../index/store.ts";
import { isReport, parseReport } from "../parser/index.ts";
import { FakeFeishu } from "./fakes/feishu.ts";
import { memoryLog, testBot, type TestBotOptions, testConfig, userSent } from "./helpers/bot.ts";
import { feishuRequest, messageEvent, TOKEN } from "./helpers/events.ts";
import { docxBomb, flateBombPdf, nestedArrayPdf, repeatedPagePdf } from "./helpers/hostile.ts";
import { startBotProcess } from "./helpers/process.ts";
import { balancedCells, renderReport } from "./helpers/render.ts";
import { tempDirs } from "./helpers/tmp.ts";

const store = new ReportStore([parseReport(renderReport({ organ: "李楼镇", year: 2020, cells: balancedCells(3) }), { file: "a.txt" })].filter(isReport));
const fake = new FakeFeishu();
const tmp = tempDirs("hard");
/** Small limits, so hostile files are stopped in seconds. */
const pool = new ParsePool({ size: 1, limits: { timeoutMs: 15_000, extraRssMb: 600, heapMb: 256 } });
beforeAll(async () => {
  await fake.start();
});
afterAll(async () => {
  await pool.close();
  await fake.stop();
});
afterEach(() => fake.reset());

const harness = (o: Partial<TestBotOptions> = {}) => testBot(fake, { store, dataDir: tmp(), parse: (b, f) => pool.parse(b, f), ...o });
const text = (x: unknown) => JSON.stringify(x);
/** Replies Feishu posted under each user message: what the user sees. */
const repliesTo = (id: string) => fake.messages.filter((m) => m.parentId === id).length;
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(cond: () => boolean, what: string, tries = 3000) {
  for (let i = 0; i < tries && !cond(); i++) await wait(10);
  if (!cond()) throw new Error(`timed out waiting for ${what}`);
}

describe("hostile files get a clear answer, and the server keeps answering", () => {
  async function check(fileName: string, bytes: Buffer) {
    const h = await harness();
    const ev = h.postFile({ fileKey: "fk", fileName, bytes });
    await h.send(ev);
    // While the file parses in its worker, the server answers: /healthz returns before the parse ends.
    await until(() => pool.busy > 0 || fake.patches.length > 0, "the parse to start");
    const health = await h.bot.http.request("/healthz");
    const stillParsing = pool.busy > 0;
    expect(health.status).toBe(200);
    await h.idle();
    return { card: text(fake.cards()[0]), stillParsing, h };
  }

  it("a 200 MB-when-inflated .docx is refused from its zip directory, before anything is inflated", async () => {
    const bomb = await docxBomb(200);
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    const { card } = await check("报告.docx", bomb);
    expect(card).toMatch(/无法检查这个文件：Word 文件解压后超过 100 MB/);
  });

  it("a PDF with arrays nested 100,000 deep: a clear answer, not silence", async () => {
    const { card } = await check("nested.pdf", nestedArrayPdf(100_000));
    expect(card).toContain("无法检查这个文件：PDF 第 1 页无法读取");
  });

  it("one page repeated 200,000 times: refused by its page count", async () => {
    const { card } = await check("pages.pdf", repeatedPagePdf(200_000));
    expect(card).toContain("PDF 有 200000 页，超过 500 页的上限");
  });

  it("a compression bomb: the parse is ended by the pool's limits, /healthz answered meanwhile", async () => {
    const { card, stillParsing } = await check("bomb.pdf", await flateBombPdf(1000));
    expect(card).toMatch(/无法检查这个文件：(解析时占用内存超过|解析超过 \d+ 秒|PDF)/);
    expect(stillParsing).toBe(true);
  });

  it("the `parse` command outlives a hostile file and reads the next one", async () => {
    const { execFile } = await import("node:child_process");
    const dir = tmp();
    writeFileSync(join(dir, "bomb.docx"), await docxBomb(200));
    writeFileSync(join(dir, "ok.txt"), renderReport({ organ: "李楼镇", year: 2020, cells: balancedCells(3) }));
    const out = await new Promise<string>((resolve) =>
      execFile(process.execPath, ["--import", "tsx", join(import.meta.dirname, "..", "bot", "cli-parse.ts"), "--json", join(dir, "bomb.docx"), join(dir, "ok.txt")], (_e, stdout) => resolve(stdout)),
    );
    const results = JSON.parse(out) as { error?: string; organ?: string }[];
    expect(results[0].error).toMatch(/解压后超过 100 MB/);
    expect(results[1].organ).toBe("李楼镇");
  });
});

describe("chat questions", () => {
  it("a 200,000-character question gets a clear card, unread", async () => {
    const h = await harness();
    await h.send(messageEvent({ text: `李楼镇${"1".repeat(200_000)}` }));
    await h.idle();
    expect(text(fake.cards()[0])).toContain("问题太长（200003 字），没有读");
  });

  it.each([
    ["free text", `李楼镇 2020 依申请数${"镇".repeat(200_000)}`],
    ["free text of unknown words", `xyz${"q".repeat(200_000)}`],
    ["/搜索", `/搜索 ${"申请".repeat(100_000)}`],
    ["/趋势", `/趋势 ${"李楼镇".repeat(60_000)}`],
    ["/报告", `/报告 ${"某".repeat(200_000)}`],
  ])("%s: the commands read at most 500 characters, so the answer never carries the rest", (_n, question) => {
    const answer = route(question, { store, now: new Date() });
    expect(JSON.stringify(answer).length).toBeLessThan(5000);
  });
});

describe("Open API calls that never answer, or fail for a while", () => {
  it("8 replies that hang: each call ends at its deadline, frees its slot, and is tried again; other chats are answered meanwhile", async () => {
    const h = await harness({ apiTimeoutMs: 200 });
    fake.stall("reply", 10 * 60_000, 8);
    const hung = Array.from({ length: 8 }, (_, i) => messageEvent({ text: "/帮助", chatId: `oc_h${i}` }));
    for (const ev of hung) await h.send(ev);
    const other = messageEvent({ text: "/帮助", chatId: "oc_other" });
    await h.send(other);
    await h.idle();
    for (const ev of [...hung, other]) expect(repliesTo(ev.event.message.message_id)).toBe(1);
    expect(h.logs.join("\n")).toMatch(/网络错误或超时/);
  });

  it("Open API failing (503) for a while: the messages in progress are answered once, later", async () => {
    const h = await harness();
    fake.fail("reply", 503, { code: 500, msg: "busy" }, 40);
    const evs = Array.from({ length: 8 }, (_, i) => messageEvent({ text: "/帮助", chatId: `oc_f${i}` }));
    for (const ev of evs) await h.send(ev);
    await h.idle();
    for (const ev of evs) expect(repliesTo(ev.event.message.message_id)).toBe(1);
  });

  it("failing past the retry budget: given up, logged with the message id, and the chat told when possible", async () => {
    const h = await harness();
    fake.fail("reply", 503, { code: 500, msg: "busy" }, 1000);
    const ev = messageEvent({ text: "/帮助" });
    await h.send(ev);
    await h.idle();
    const gaveUp = h.records.find((r) => String(r.msg).includes("处理失败，放弃"));
    expect(gaveUp?.job).toBe(`msg:${ev.event.message.message_id}`);
    expect(fake.cards()).toEqual([]);
    expect(fake.texts()).toEqual(["抱歉，这条消息没能回答（飞书接口持续出错或超时），请稍后重新发送。"]);
  });
});

describe("bodies and downloads are counted while they stream", () => {
  it("a chunked body with no Content-Length stops at 1 MB: 413, and the rest is never read", async () => {
    const h = await harness();
    let pulled = 0;
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        pulled += chunk.length;
        if (pulled > 100 * 1024 * 1024) c.close();
        else c.enqueue(chunk);
      },
    });
    const res = await h.bot.http.request("/feishu/events", { method: "POST", body, headers: { "content-type": "application/json" }, duplex: "half" } as RequestInit);
    expect(res.status).toBe(413);
    expect(pulled).toBeLessThan(2 * 1024 * 1024);
  });

  it.each([
    ["chunked, no Content-Length", false],
    ["a Content-Length of 500 MB", true],
  ])("over a real socket (%s): 413, the connection closed, the rest never pulled off the socket", async (_, declare) => {
    const h = await harness();
    const server = await new Promise<ReturnType<typeof serve>>((r) => {
      const s = serve({ fetch: h.bot.http.fetch, port: 0, hostname: "127.0.0.1" }, () => r(s));
    });
    const { port } = server.address() as AddressInfo;
    const limit = 500 * 1024 * 1024;
    let sent = 0;
    const status = await new Promise<number | string>((resolve) => {
      const headers: Record<string, string> = declare ? { "content-length": String(limit) } : { "content-type": "application/json" };
      const req = httpRequest({ host: "127.0.0.1", port, path: "/feishu/events", method: "POST", headers }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", (e) => resolve(e.message));
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (sent < limit) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once("drain", pump);
        }
        req.end();
      };
      pump();
    });
    server.close();
    expect(status).toBe(413);
    // What the socket buffers held when the server stopped reading: far from 500 MB.
    expect(sent).toBeLessThan(32 * 1024 * 1024);
  });

  it("readBody returns a body under the limit whole", async () => {
    expect((await readBody(new Request("http://x/", { method: "POST", body: "abc" }), 10))?.length).toBe(3);
  });

  it("a 100 MB file is not downloaded past 20 MB, and the user is told", async () => {
    const h = await harness();
    const ev = messageEvent({ messageType: "file", content: JSON.stringify({ file_key: "fk_big", file_name: "big.pdf" }) });
    fake.bigFile(ev.event.message.message_id, ev.event.message.chat_id, "fk_big", "big.pdf", 100 * 1024 * 1024);
    await h.post("/feishu/events", ev);
    await h.idle();
    expect(text(fake.cards()[0])).toContain("文件超过 20 MB，没有下载");
    // 20 MB read, and what the sockets' buffers held when reading stopped: far from 100 MB.
    expect(fake.streamed).toBeLessThan(32 * 1024 * 1024);
  });
});

describe("state files", () => {
  it("the work journal replaced by a folder: moved aside, logged, the bot starts and answers", async () => {
    const dataDir = tmp();
    mkdirSync(join(dataDir, "journal.jsonl", "x"), { recursive: true });
    const h = await harness({ dataDir });
    await h.send(messageEvent({ text: "/帮助" }));
    await h.idle();
    expect(fake.cards()).toHaveLength(1);
    expect(readdirSync(dataDir).some((f) => f.startsWith("journal.jsonl.corrupt-"))).toBe(true);
    expect(h.logs.join("\n")).toMatch(/工作日志 .* 无法读取（不是文件），已移到/);
  });

  it("a truncated journal: the readable records are kept, the lost ones counted; old messages re-delivered are answered once", async () => {
    const dataDir = tmp();
    const evs = Array.from({ length: 20 }, () => messageEvent({ text: "/帮助" }));
    const first = await harness({ dataDir });
    for (const ev of evs) await first.send(ev);
    await first.idle();
    await first.bot.close();
    const path = join(dataDir, "journal.jsonl");
    const lines = readFileSync(path, "utf8").split("\n");
    // Garble a record in the middle and cut the last one in half.
    lines[5] = lines[5].slice(0, 10);
    writeFileSync(path, lines.join("\n"));
    truncateSync(path, statSync(path).size - 30);
    const second = await harness({ dataDir });
    for (const ev of evs) await second.send(ev);
    await second.idle();
    for (const ev of evs) expect(repliesTo(ev.event.message.message_id)).toBe(1);
    expect(second.logs.join("\n")).toMatch(/有 1 条记录无法读取，已丢失/);
  });

  it("a bad search index: /搜索 still answers, and the index is rebuilt", async () => {
    const root = tmp();
    const reportsDir = join(root, "reports");
    mkdirSync(reportsDir);
    writeFileSync(join(reportsDir, "a.txt"), renderReport({ organ: "李楼镇", year: 2020, cells: balancedCells(3) }));
    const dataDir = join(root, "data");
    await loadReports({ reportsDir, dataDir, parse: (b, f) => pool.parse(b, f) });
    const index = readdirSync(dataDir).find((f) => f.endsWith(".search.json"))!;
    writeFileSync(join(dataDir, index), "{ not an index");
    const { log, logs } = memoryLog();
    const { store: s } = await loadReports({ reportsDir, dataDir, log: (l) => log.info(l) });
    const answer = route("/搜索 申请", { store: s, now: new Date() });
    expect(answer.kind).not.toBe("error");
    expect(logs.join("\n")).toMatch(/搜索索引 .* 无法读取.*从年报重建/);
    expect(() => JSON.parse(readFileSync(join(dataDir, index), "utf8"))).not.toThrow();
  });

  it("reminders-sent unreadable: today's reminders count as sent (not re-sent), and the log says so", async () => {
    const dir = tmp();
    writeFileSync(join(dir, "reminders-sent.json"), "{ truncated");
    const { log, logs } = memoryLog();
    const now = Date.parse("2026-01-28T15:00:00+08:00");
    const r = new FileReminders(dir, log, () => now);
    expect(await r.wasSent("any-key", Date.parse("2026-01-28T09:30:00+08:00"))).toBe(true);
    expect(await r.wasSent("any-key", Date.parse("2026-01-29T09:30:00+08:00"))).toBe(false);
    expect(logs.join("\n")).toMatch(/已发送提醒记录文件 .* 已损坏.*今天.*到期的提醒一律视为已发送/);
    expect(readdirSync(dir).some((f) => f.startsWith("reminders-sent.json.corrupt-"))).toBe(true);
  });

  it("reminders.json with the wrong shape: moved aside, logged with what was lost", () => {
    const dir = tmp();
    writeFileSync(join(dir, "reminders.json"), JSON.stringify({ subscriptions: [{ chatId: 1 }, { chatId: 2 }], deadlines: [] }));
    const { log, logs } = memoryLog();
    const r = new FileReminders(dir, log, Date.now);
    expect(r.snapshot().subscriptions).toEqual([]);
    expect(logs.join("\n")).toMatch(/提醒订阅文件 .* 已损坏（格式不对.*丢失：2 项订阅、0 个本地截止日期/);
  });

  it("a write that fails is logged, never thrown from a timer", async () => {
    const dir = tmp();
    mkdirSync(join(dir, "reminders-sent.json.tmp"));
    const { log, logs } = memoryLog();
    const r = new FileReminders(dir, log, Date.now);
    await r.markSent("k1", new Date().toISOString());
    expect(await r.wasSent("k1", Date.now())).toBe(true);
    expect(logs.join("\n")).toMatch(/写入 .*reminders-sent\.json 失败/);
  });
});

describe("edges", () => {
  it.each(["constructor", "__proto__", "toString", "hasOwnProperty"])("a signed event of type %s → 200 {}, nothing sent", async (type) => {
    const h = await harness();
    const ev = messageEvent();
    const res = await h.post("/feishu/events", { ...ev, header: { ...ev.header, event_type: type } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    await h.idle();
    expect(fake.sent()).toHaveLength(0);
  });

  it("a message_id with ../ in it is one encoded path segment", async () => {
    const h = await harness();
    const ev = messageEvent({ messageId: "om_../../chats/x", text: "/帮助" });
    await h.send(ev);
    await h.idle();
    expect(fake.sent("reply")[0].path).toBe("/open-apis/im/v1/messages/om_%2E%2E%2F%2E%2E%2Fchats%2Fx/reply");
    expect(repliesTo("om_../../chats/x")).toBe(1);
  });

  it("secrets are redacted by the logger's configuration", () => {
    const raw: string[] = [];
    const log = createLogger({ stream: { write: (l: string) => void raw.push(l) } });
    log.info({ app_secret: "s3cret-app", config: { FEISHU_ENCRYPT_KEY: "k3y", FEISHU_APP_SECRET: "s3cret-app" }, headers: { authorization: "Bearer t-123" }, token: TOKEN }, "x");
    expect(raw.join("")).not.toMatch(/s3cret-app|k3y|t-123|verify-token/);
    expect(REDACT_PATHS.length).toBeGreaterThan(10);
  });

  it("every log line of a message's work names the message", async () => {
    const h = await harness();
    fake.fail("reply", 400, { code: 230099, msg: "refused" });
    const ev = messageEvent({ text: "/帮助" });
    await h.send(ev);
    await h.idle();
    const lines = h.records.filter((r) => String(r.msg).includes("发送卡片失败"));
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(l.job).toBe(`msg:${ev.event.message.message_id}`);
  });
});

describe("crashes and shutdown (the bot in its own process)", () => {
  function setup() {
    const root = tmp();
    const reportsDir = join(root, "reports");
    mkdirSync(reportsDir);
    writeFileSync(join(reportsDir, "a.txt"), renderReport({ organ: "李楼镇", year: 2020, cells: balancedCells(3) }));
    const dataDir = join(root, "data");
    mkdirSync(dataDir);
    const evs = Array.from({ length: 300 }, (_, i) => userSent(fake, messageEvent({ text: "/帮助", chatId: `oc_${i % 30}` })));
    const start = () => startBotProcess({ fakeUrl: fake.url, appSecret: fake.appSecret, dataDir, reportsDir });
    const post = (url: string, ev: unknown) => fetch(`${url}/feishu/events`, feishuRequest(ev)).then((r) => r.status, () => 0);
    return { evs, start, post, dataDir };
  }

  it("kill -9 with a backlog: every acked event is answered once after the restart, without Feishu re-sending it", async () => {
    const { evs, start, post } = setup();
    fake.stall("reply", 40, 10_000);
    const bot = await start();
    const acked = new Set<string>();
    await Promise.all(evs.map(async (ev) => (await post(bot.url, ev)) === 200 && acked.add(ev.event.message.message_id)));
    expect(acked.size).toBe(evs.length);
    bot.child.kill("SIGKILL");
    await bot.exited;
    const answeredBefore = new Set(fake.messages.map((m) => m.parentId)).size;
    expect(answeredBefore).toBeLessThan(evs.length);
    const again = await start();
    await until(() => evs.every((ev) => repliesTo(ev.event.message.message_id) > 0), "every acked event answered", 6000);
    for (const ev of evs) expect(repliesTo(ev.event.message.message_id)).toBe(1);
    again.child.kill("SIGTERM");
    expect(await again.exited).toBe(0);
  }, 120_000);

  it("SIGTERM with 200 queued: stops accepting (503), exits, and the next start finishes the rest once", async () => {
    const { evs, start, post } = setup();
    const queued = evs.slice(0, 200);
    const late = evs[250];
    // 200 replies of 0.6 s, 8 at a time: 15 s of work, more than the 10 s a shutdown waits.
    fake.stall("reply", 600, 10_000);
    const bot = await start();
    for (const ev of queued) expect(await post(bot.url, ev)).toBe(200);
    bot.child.kill("SIGTERM");
    await until(() => bot.records.some((r) => String(r.msg).includes("收到 SIGTERM")), "the signal to be seen");
    expect([503, 0]).toContain(await post(bot.url, late));
    expect(await bot.exited).toBe(0);
    expect(bot.records.some((r) => /未完成，已留在工作日志/.test(String(r.msg)))).toBe(true);
    const again = await start();
    await until(() => queued.every((ev) => repliesTo(ev.event.message.message_id) > 0), "the rest answered", 6000);
    for (const ev of queued) expect(repliesTo(ev.event.message.message_id)).toBe(1);
    expect(repliesTo(late.event.message.message_id)).toBe(0);
    again.child.kill("SIGTERM");
    await again.exited;
  }, 120_000);

  it("HOST defaults to every interface; the start-up line names the address it listens on", async () => {
    expect(testConfig({}).HOST).toBe("0.0.0.0");
    const { start } = setup();
    const bot = await start();
    expect(bot.records.some((r) => String(r.msg).includes("监听 http://127.0.0.1:"))).toBe(true);
    bot.child.kill("SIGTERM");
    await bot.exited;
  }, 60_000);
});

describe("resuming", () => {
  it("a job started three times without finishing (it took the process down each time) is given up at start, and the chat told", async () => {
    const dataDir = tmp();
    const ev = userSent(fake, messageEvent({ text: "/帮助", chatId: "oc_poison" }));
    const j = await WorkJournal.open(join(dataDir, "journal.jsonl"), { now: Date.now, log: memoryLog().log });
    const key = `msg:${ev.event.message.message_id}`;
    await j.accept({ key, kind: "message", chat: "oc_poison", payload: ev.event, acceptedAt: Date.now() });
    for (let i = 0; i < 3; i++) await j.started(key);
    await j.finish("unrelated", "done");
    await j.close();
    const h = await harness({ dataDir });
    await h.idle();
    expect(fake.cards()).toEqual([]);
    expect(fake.texts()[0]).toContain("服务多次中断");
    expect(h.logs.join("\n")).toContain("任务已启动 3 次都没有完成");
  });

  it("a job journaled and not started is run at start", async () => {
    const dataDir = tmp();
    const ev = userSent(fake, messageEvent({ text: "/帮助", chatId: "oc_later" }));
    const j = await WorkJournal.open(join(dataDir, "journal.jsonl"), { now: Date.now, log: memoryLog().log });
    await j.accept({ key: `msg:${ev.event.message.message_id}`, kind: "message", chat: "oc_later", payload: ev.event, acceptedAt: Date.now() });
    await j.close();
    const h = await harness({ dataDir });
    await h.idle();
    expect(repliesTo(ev.event.message.message_id)).toBe(1);
  });
});

describe("the journal alone", () => {
  it("a repeat is refused until its key expires; a finished job stays a repeat; unfinished ones come back after a reopen", async () => {
    const dir = tmp();
    let now = 1_000_000;
    const { log } = memoryLog();
    const j = await WorkJournal.open(join(dir, "j.jsonl"), { now: () => now, log, ttlMs: 1000 });
    const job = (key: string) => ({ key, kind: "message", chat: "c", payload: { n: key }, acceptedAt: now });
    expect(await j.accept(job("a"))).toBe(true);
    expect(await j.accept(job("a"))).toBe(false);
    expect(await j.accept(job("b"))).toBe(true);
    await j.finish("a", "done");
    expect(await j.accept(job("a"))).toBe(false);
    await j.close();
    const again = await WorkJournal.open(join(dir, "j.jsonl"), { now: () => now, log, ttlMs: 1000 });
    expect((await again.unfinished()).map((x) => x.key)).toEqual(["b"]);
    now += 2000;
    expect(await again.accept(job("a"))).toBe(true);
    await again.close();
    expect(existsSync(join(dir, "j.jsonl.tmp"))).toBe(false);
  });
});
