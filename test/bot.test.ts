import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../bot/app.ts";
import { CARD_LIMIT_BYTES, cardSize, renderCard } from "../bot/cards.ts";
import { loadConfig } from "../bot/config.ts";
import { SeenStore } from "../bot/dedupe.ts";
import { createFeishuApi, FeishuApiError } from "../bot/feishu/api.ts";
import { decryptEvent, encryptEvent } from "../bot/feishu/crypto.ts";
import { ChatQueue } from "../bot/queue.ts";
import { ReminderScheduler, ReminderSettings } from "../bot/reminders.ts";
import { reminderCard } from "../bot/cards.ts";
import { createCalendar } from "../commands/calendar.ts";
import { route } from "../commands/index.ts";
import { ReportStore } from "../index/store.ts";
import { isReport, parseReport } from "../parser/index.ts";
import { FakeFeishu } from "./fakes/feishu.ts";
import { cardActionEvent, ENCRYPT_KEY, feishuRequest, menuEvent, messageEvent, TOKEN } from "./helpers/events.ts";
import { tempDirs } from "./helpers/tmp.ts";
import { balancedCells, renderReport } from "./helpers/render.ts";

const SAMPLES = join(import.meta.dirname, "..", "samples", "reports");
const store = new ReportStore(
  readdirSync(SAMPLES)
    .map((f) => parseReport(readFileSync(join(SAMPLES, f)), { file: join(SAMPLES, f) }))
    .filter(isReport),
);

const fake = new FakeFeishu();
const tmp = tempDirs("bot");
beforeAll(async () => {
  await fake.start();
});
afterAll(async () => {
  await fake.stop();
});
afterEach(() => {
  fake.calls.length = 0;
});

function bot(opts: { encryptKey?: string; seenPath?: string; storeOverride?: ReportStore; dataDir?: string } = {}) {
  const logs: string[] = [];
  const api = createFeishuApi({ appId: "cli_test", appSecret: "secret-xyz", domain: fake.url, sleep: async () => {}, log: (l) => logs.push(l) });
  const queue = new ChatQueue(4, (e) => logs.push(String(e)));
  const seen = new SeenStore(opts.seenPath ?? null);
  const app = createApp({
    verificationToken: TOKEN,
    encryptKey: opts.encryptKey,
    admins: [],
    store: () => opts.storeOverride ?? store,
    api,
    botOpenId: "ou_bot",
    now: () => new Date("2026-11-21T10:00:00+08:00"),
    seen,
    queue,
    log: (l) => logs.push(l),
    reminders: opts.dataDir ? { settings: new ReminderSettings(opts.dataDir), calendar: createCalendar(), roster: [] } : undefined,
  });
  const post = (path: string, payload: unknown, o: Parameters<typeof feishuRequest>[1] = {}) =>
    app.request(path, feishuRequest(payload, { encryptKey: opts.encryptKey, ...o }));
  return { app, post, queue, logs, seen };
}

describe("url_verification", () => {
  it.each([
    ["plain", undefined],
    ["encrypted", ENCRYPT_KEY],
  ])("%s: answers the challenge", async (_n, encryptKey) => {
    const { post } = bot({ encryptKey });
    const t0 = performance.now();
    const res = await post("/feishu/events", { challenge: "ch-42", token: TOKEN, type: "url_verification" }, { noSignature: true });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: "ch-42" });
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it("refuses a challenge with the wrong token", async () => {
    const { post } = bot();
    const res = await post("/feishu/events", { challenge: "x", token: "wrong", type: "url_verification" });
    expect(res.status).toBe(401);
  });
});

describe("messages", () => {
  it("answers an encrypted, signed private message with a card replying to it", async () => {
    const { post, queue } = bot({ encryptKey: ENCRYPT_KEY });
    const ev = messageEvent({ text: "李楼镇 2020 依申请数" });
    const t0 = performance.now();
    const res = await post("/feishu/events", ev);
    expect(res.status).toBe(200);
    expect(performance.now() - t0).toBeLessThan(200);
    await queue.idle();
    const replies = fake.sent("reply");
    expect(replies).toHaveLength(1);
    expect(replies[0].path).toBe(`/open-apis/im/v1/messages/${ev.event.message.message_id}/reply`);
    expect(replies[0].body).toMatchObject({ msg_type: "interactive", uuid: `r-${ev.event.message.message_id}` });
    expect(replies[0].auth).toMatch(/^Bearer t-/);
    const card = JSON.stringify(fake.cards("reply")[0]);
    expect(card).toContain('"schema":"2.0"');
    expect(card).toContain("## 0");
    expect(card).toMatch(/正文说.*1/);
    expect(card).toContain("数据来源");
  });

  it("answers a re-delivered message once (same message_id, new event_id)", async () => {
    const { post, queue } = bot({ encryptKey: ENCRYPT_KEY });
    const ev = messageEvent({ text: "西店镇 2019 依申请数" });
    await post("/feishu/events", ev);
    await post("/feishu/events", { ...ev, header: { ...ev.header, event_id: "another-event-id" } });
    await post("/feishu/events", ev);
    await queue.idle();
    expect(fake.sent("reply")).toHaveLength(1);
  });

  it("does not answer twice after a restart (dedupe persisted in DATA_DIR)", async () => {
    const dir = tmp();
    const seenPath = join(dir, "dedupe.json");
    const ev = messageEvent({ text: "西店镇 2019 行政复议" });
    const first = bot({ seenPath });
    await first.post("/feishu/events", ev);
    await first.queue.idle();
    first.seen.flush(); // what shutdown does; otherwise written within a second
    const second = bot({ seenPath });
    await second.post("/feishu/events", ev);
    await second.queue.idle();
    expect(fake.sent("reply")).toHaveLength(1);
  });

  it.each([
    ["group message with no @ → no reply", { chatType: "group" as const, mentions: [] }, 0],
    ["group message that @s someone else → no reply", { chatType: "group" as const, text: "@_user_1 李楼镇 2020 依申请数", mentions: [{ key: "@_user_1", open_id: "ou_other" }] }, 0],
    ["group message that @s the bot → a reply", { chatType: "group" as const, text: "@_user_1 李楼镇 2020 依申请数", mentions: [{ key: "@_user_1", open_id: "ou_bot" }] }, 1],
    ["private message → a reply", { chatType: "p2p" as const }, 1],
  ])("%s: %o", async (_n, spec, n) => {
    const { post, queue } = bot();
    await post("/feishu/events", messageEvent(spec));
    await queue.idle();
    expect(fake.sent("reply")).toHaveLength(n);
    if (n) expect(JSON.stringify(fake.cards("reply")[0])).toContain("李楼镇 2020 年 本年新收申请");
  });

  it("answers in order within a chat", async () => {
    const { post, queue } = bot();
    const qs = ["李楼镇 2020 依申请数", "西店镇 2019 依申请数", "/帮助", "悦来镇 2020 结转下年度"];
    const evs = qs.map((text) => messageEvent({ text, chatId: "oc_same" }));
    for (const ev of evs) await post("/feishu/events", ev);
    await queue.idle();
    expect(fake.sent("reply").map((r) => r.path.split("/")[5])).toEqual(evs.map((e) => e.event.message.message_id));
  });

  it("an unknown organ gets a friendly card that says what to type", async () => {
    const { post, queue } = bot();
    await post("/feishu/events", messageEvent({ text: "火星乡 2020 依申请数" }));
    await queue.idle();
    const card = JSON.stringify(fake.cards("reply")[0]);
    expect(card).toContain("没有找到「火星乡」的年报");
    expect(card).not.toContain("## ");
  });
});

describe("requests that must be refused", () => {
  it.each([
    ["forged signature", { badSignature: true }, 401],
    ["missing signature", { noSignature: true }, 401],
  ])("%s is refused and nothing is sent", async (_n, o, status) => {
    const { post, queue } = bot({ encryptKey: ENCRYPT_KEY });
    const res = await post("/feishu/events", messageEvent(), o);
    expect(res.status).toBe(status);
    await queue.idle();
    expect(fake.sent()).toHaveLength(0);
  });

  it("wrong verification token → 401", async () => {
    const { post, queue } = bot();
    const res = await post("/feishu/events", messageEvent({ token: "forged" }));
    expect(res.status).toBe(401);
    await queue.idle();
    expect(fake.sent()).toHaveLength(0);
  });

  it("plain event while an Encrypt Key is configured → 401", async () => {
    const { app } = bot({ encryptKey: ENCRYPT_KEY });
    const res = await app.request("/feishu/events", feishuRequest(messageEvent()));
    expect(res.status).toBe(401);
  });

  it.each([
    ["malformed JSON", "{not json", 400],
    ["undecryptable payload", JSON.stringify({ encrypt: "AAAA" }), 400],
    ["not an event", JSON.stringify({ hello: "world", token: TOKEN }), 400],
    ["oversized body", JSON.stringify({ pad: "x".repeat(1024 * 1024 + 10) }), 413],
  ])("%s is refused, and the server keeps serving", async (_n, body, status) => {
    const { app } = bot({ encryptKey: _n === "undecryptable payload" ? ENCRYPT_KEY : undefined });
    const res = await app.request("/feishu/events", { method: "POST", headers: { "content-type": "application/json" }, body });
    expect(res.status).toBe(status);
    const health = await app.request("/healthz");
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, reports: 5 });
  });

  it("an envelope missing required fields → 400", async () => {
    const { app } = bot();
    const res = await app.request("/feishu/events", feishuRequest({ schema: "2.0", header: { token: TOKEN } }));
    expect(res.status).toBe(400);
  });
});

describe("bot menu", () => {
  it("maps event_key to a command and replies to the operator by open_id", async () => {
    const { post, queue } = bot({ encryptKey: ENCRYPT_KEY });
    await post("/feishu/events", menuEvent("help", "ou_operator"));
    await queue.idle();
    const sent = fake.sent("send");
    expect(sent).toHaveLength(1);
    expect(sent[0].query.receive_id_type).toBe("open_id");
    expect(sent[0].body).toMatchObject({ receive_id: "ou_operator", msg_type: "interactive" });
    expect(JSON.stringify(fake.cards("send")[0])).toContain("年报助手可以这样问");
  });

  it("an unknown menu key gets an explanation, not silence", async () => {
    const { post, queue } = bot();
    await post("/feishu/events", menuEvent("nope"));
    await queue.idle();
    expect(JSON.stringify(fake.cards("send")[0])).toContain("没有对应的命令");
  });
});

describe("card callbacks", () => {
  it.each([
    // Buttons carry structured arguments: the organ's key, the year, the figure's key.
    ["查看完整报告", { cmd: "报告", args: { organ: "李楼镇|", year: 2020 } }, "李楼镇 2020 年政府信息公开工作年度报告"],
    ["近年趋势", { cmd: "趋势", args: { organ: "西店镇|", figure: "B:new:total" } }, "西店镇 本年新收申请"],
    ["校验", { cmd: "校验", args: { organ: "李楼镇|", year: 2020 } }, "年报审查"],
  ])("%s answers within 3 s with a toast and the updated card", async (_n, value, title) => {
    const { post } = bot({ encryptKey: ENCRYPT_KEY });
    const t0 = performance.now();
    const res = await post("/feishu/card", cardActionEvent(value));
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { toast: { type: string }; card: { type: string; data: unknown } };
    expect(body.toast.type).toBe("info");
    expect(body.card.type).toBe("raw");
    expect(JSON.stringify(body.card.data)).toContain(title);
  });

  it("下一页 pages through a long list", async () => {
    const many = new ReportStore(
      Array.from({ length: 45 }, (_, i) => parseReport(renderReport({ organ: `测试${i}镇`, year: 2024, cells: balancedCells(i) }), { file: `${i}.txt` })).filter(isReport),
    );
    const { post } = bot({ storeOverride: many });
    const first = renderCard(route("/排行 2024 依申请数 前45", { store: many, now: new Date() }), { query: "/排行 2024 依申请数 前45" });
    expect(JSON.stringify(first)).toContain("下一页");
    expect(JSON.stringify(first)).toContain("第 1/3 页");
    const res = await post("/feishu/card", cardActionEvent({ cmd: "page", q: "/排行 2024 依申请数 前45", page: 1 }));
    const body = (await res.json()) as { card: { data: unknown }; toast: { content: string } };
    expect(JSON.stringify(body.card.data)).toContain("第 2/3 页");
    expect(body.toast.content).toBe("第 2 页");
  });

  it("a forged callback is refused", async () => {
    const { post } = bot({ encryptKey: ENCRYPT_KEY });
    const res = await post("/feishu/card", cardActionEvent({ cmd: "报告", args: { organ: "李楼镇|" } }), { badSignature: true });
    expect(res.status).toBe(401);
  });
});

describe("cards", () => {
  it("stay under 30 KB however long the list", () => {
    const many = new ReportStore(
      Array.from({ length: 400 }, (_, i) => parseReport(renderReport({ organ: `很长很长的名字测试${i}镇`, year: 2024, cells: balancedCells(i), claim: i + 1 }), { file: `${i}.txt` })).filter(isReport),
    );
    for (const q of ["/排行 2024 依申请数 前200", "/校验", "/未发布 2025", "/帮助"]) {
      const card = renderCard(route(q, { store: many, now: new Date("2026-11-21") }), { query: q });
      expect(cardSize(card), q).toBeLessThanOrEqual(CARD_LIMIT_BYTES);
    }
  });

  it("a trend has a line chart and a table", () => {
    const s = new ReportStore(
      [2022, 2023, 2024].map((y) => parseReport(renderReport({ organ: "李楼镇", year: y, cells: balancedCells(y - 2020) }), { file: `${y}.txt` })).filter(isReport),
    );
    const card = JSON.stringify(renderCard(route("/趋势 李楼镇 依申请数", { store: s, now: new Date() }), { query: "x" }));
    expect(card).toContain('"tag":"chart"');
    expect(card).toContain('"type":"line"');
    expect(card).toContain('"tag":"table"');
  });
});

describe("Feishu API client", () => {
  const api = () => createFeishuApi({ appId: "cli_retry", appSecret: "secret-xyz", domain: fake.url, sleep: async () => {} });
  it("fetches a new tenant token once when Feishu rejects the cached one", async () => {
    const a = api();
    await a.send({ chat_id: "oc_1" }, {}, "u1");
    const before = fake.tokenRequests();
    fake.fail("send", 400, { code: 99991663, msg: "token invalid" });
    await a.send({ chat_id: "oc_1" }, {}, "u2");
    expect(fake.tokenRequests()).toBe(before + 1);
    expect(fake.sent("send")).toHaveLength(3);
  });

  it("backs off and retries on rate limits and server errors", async () => {
    const a = api();
    fake.fail("send", 200, { code: 230020, msg: "rate limited" });
    fake.fail("send", 503, { code: 500, msg: "busy" });
    await a.send({ chat_id: "oc_1" }, {}, "u3");
    expect(fake.sent("send")).toHaveLength(3);
    expect(fake.sent("send").every((c) => c.body?.uuid === "u3")).toBe(true);
  });

  it("treats HTTP 200 with code != 0 as an error and does not retry a permanent one", async () => {
    const a = api();
    fake.fail("send", 200, { code: 230002, msg: "bot not in chat" });
    await expect(a.send({ chat_id: "oc_1" }, {}, "u4")).rejects.toBeInstanceOf(FeishuApiError);
    expect(fake.sent("send")).toHaveLength(1);
  });

  it("reads the bot's own open_id", async () => {
    expect(await api().botOpenId()).toBe("ou_bot");
  });
});

describe("crypto and config", () => {
  it("decrypts what Feishu encrypts", () => {
    expect(decryptEvent(ENCRYPT_KEY, encryptEvent(ENCRYPT_KEY, '{"a":"李楼镇"}'))).toBe('{"a":"李楼镇"}');
  });

  it.each([
    [{ PORT: "abc" }, /PORT/],
    [{ FEISHU_DOMAIN: "not a url" }, /FEISHU_DOMAIN/],
    [{ FEISHU_APP_ID: "cli_x1" }, /飞书配置不完整/],
    [{ FEISHU_APP_ID: "abc", FEISHU_APP_SECRET: "12345678", FEISHU_VERIFICATION_TOKEN: "12345678" }, /cli_/],
  ])("rejects %o with a clear message", (env, msg) => {
    const r = loadConfig(env);
    expect("errors" in r && r.errors.join()).toMatch(msg);
  });

  it("defaults to the console (no Feishu) with the bundled reports", () => {
    const r = loadConfig({});
    expect("config" in r && r.config).toMatchObject({ PORT: 3000, FEISHU_DOMAIN: "https://open.feishu.cn", DATA_DIR: "./data" });
  });
});

describe("reminders through Feishu", () => {
  it("only the group owner (looked up through the Open API) or an admin subscribes a group", async () => {
    const dir = tmp();
    fake.chatOwners.set("oc_group", "ou_owner");
    const { post, queue } = bot({ dataDir: dir });
    const mention = [{ key: "@_user_1", open_id: "ou_bot" }];
    const msg = (sender: string) => {
      const ev = messageEvent({ chatType: "group", chatId: "oc_group", text: "@_user_1 /订阅提醒 宁海县", mentions: mention });
      ev.event.sender.sender_id.open_id = sender;
      return ev;
    };
    await post("/feishu/events", msg("ou_stranger"));
    await post("/feishu/events", msg("ou_owner"));
    await queue.idle();
    const cards = fake.cards("reply").map((c) => JSON.stringify(c));
    expect(cards[0]).toContain("只有群主或管理员");
    expect(cards[1]).toContain("已订阅年报截止提醒");
    expect(new ReminderSettings(dir).subscriptions).toMatchObject([{ chatId: "oc_group", scope: "宁海县", by: "ou_owner" }]);
  });

  it("the scheduler pushes a reminder card to the chat with its key as uuid", async () => {
    const dir = tmp();
    const settings = new ReminderSettings(dir);
    settings.subscribe({ chatId: "oc_group", scope: "", by: "ou_owner", at: "" });
    const api = createFeishuApi({ appId: "cli_push", appSecret: "secret-xyz", domain: fake.url, sleep: async () => {} });
    const s = new ReminderScheduler({
      store: () => store,
      settings,
      calendar: createCalendar(),
      roster: [],
      now: () => Date.parse("2021-01-29T09:31:00+08:00"),
      send: async (r) => void (await api.send({ chat_id: r.chatId }, reminderCard(r), `rm-${r.key}`.slice(0, 50))),
      statePath: join(dir, "sent.json"),
      log: () => {},
    });
    await s.tick();
    await s.tick();
    const sent = fake.sent("send");
    expect(sent).toHaveLength(1);
    expect(sent[0].query.receive_id_type).toBe("chat_id");
    expect(sent[0].body).toMatchObject({ receive_id: "oc_group", msg_type: "interactive" });
    expect(String(sent[0].body?.uuid)).toMatch(/^rm-[0-9a-f]+$/);
    const card = JSON.stringify(fake.cards("send")[0]);
    expect(card).toContain("年报提醒：2020 年报 1月31日截止");
    expect(card).toContain("未发布单位");
  });
});

describe("npm start with Feishu credentials", () => {
  it("serves the routes over HTTP with the bot's own open_id and answers an event", async () => {
    const dir = tmp();
    const { startServer } = await import("../bot/server.ts");
    const loaded = loadConfig({
      FEISHU_APP_ID: "cli_server",
      FEISHU_APP_SECRET: "secret-xyz",
      FEISHU_VERIFICATION_TOKEN: TOKEN,
      FEISHU_ENCRYPT_KEY: ENCRYPT_KEY,
      FEISHU_DOMAIN: fake.url,
      DATA_DIR: dir,
    });
    if (!("config" in loaded)) throw new Error(loaded.errors.join());
    const server = await startServer({ ...loaded.config, PORT: 0 }, store, () => {});
    try {
      const base = `http://127.0.0.1:${server.port}`;
      expect(await (await fetch(`${base}/healthz`)).json()).toMatchObject({ ok: true, reports: 5 });
      const ev = messageEvent({ chatType: "group", text: "@_user_1 西店镇 2019 依申请数", mentions: [{ key: "@_user_1", open_id: "ou_bot" }] });
      const res = await fetch(`${base}/feishu/events`, feishuRequest(ev, { encryptKey: ENCRYPT_KEY }));
      expect(res.status).toBe(200);
      for (let i = 0; i < 50 && fake.sent("reply").length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(JSON.stringify(fake.cards("reply")[0])).toContain("## 21");
    } finally {
      await server.close();
    }
  });
});
