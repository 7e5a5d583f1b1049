import { mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { CARD_LIMIT_BYTES, CARD_MARGIN_BYTES, cardRequestBytes, errorCard, escapeMarkdown, progressCard, reminderCard, renderCard, welcomeCard } from "../bot/cards.ts";
import { feishuMode, loadConfig } from "../bot/config.ts";
import { createFeishuApi, FeishuApiError, isTransient } from "../bot/feishu/api.ts";
import { decryptEvent, encryptEvent } from "../bot/feishu/crypto.ts";
import { silentLogger } from "../bot/log.ts";
import { ReminderScheduler, ReminderSettings } from "../bot/reminders.ts";
import { FileReminders } from "../bot/state/embedded.ts";
import { startLongConnection } from "../bot/transport/ws.ts";
import { safeName } from "../bot/uploads.ts";
import { createCalendar } from "../commands/calendar.ts";
import { type Answer, route } from "../commands/index.ts";
import { uploadCheckAnswer } from "../commands/upload-check.ts";
import { loadReports } from "../index/cache.ts";
import { ReportStore } from "../index/store.ts";
import { isReport, parseReport, type Report } from "../parser/index.ts";
import { callbackResponse, cardProblems } from "./fakes/card-schema.ts";
import { DEFAULT_SCOPES, FakeFeishu, SCOPES } from "./fakes/feishu.ts";
import { testBot, type TestBotOptions, userSent } from "./helpers/bot.ts";
import { APP_ID, botMembershipEvent, cardActionEvent, ENCRYPT_KEY, feishuRequest, menuEvent, mentionReply, messageEvent, TOKEN } from "./helpers/events.ts";
import { scannedPdf } from "./helpers/pdf.ts";
import { balancedCells, renderReport } from "./helpers/render.ts";
import { tempDirs } from "./helpers/tmp.ts";

const SAMPLES = join(import.meta.dirname, "fixtures", "seeds");
const FIX = join(import.meta.dirname, "fixtures");
const store = new ReportStore(
  readdirSync(SAMPLES)
    .map((f) => parseReport(readFileSync(join(SAMPLES, f)), { file: join(SAMPLES, f) }))
    .filter(isReport),
);
const townships = (n: number, name = (i: number) => `测试${i}镇`) =>
  new ReportStore(
    Array.from({ length: n }, (_, i) => parseReport(renderReport({ organ: name(i), year: 2024, cells: balancedCells(i), claim: i + 1 }), { file: `${i}.txt` })).filter(isReport),
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
  fake.reset();
});

const harness = (o: Partial<TestBotOptions> = {}) => testBot(fake, { store, dataDir: tmp(), ...o });
const text = (x: unknown) => JSON.stringify(x);
const atBot = [{ key: "@_user_1", open_id: "ou_bot" }];
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(cond: () => boolean, what: string) {
  for (let i = 0; i < 200 && !cond(); i++) await wait(10);
  if (!cond()) throw new Error(`timed out waiting for ${what}`);
}

describe("url_verification", () => {
  it.each([
    ["plain", undefined],
    ["encrypted", ENCRYPT_KEY],
  ])("%s: answers the challenge", async (_n, encryptKey) => {
    const { post } = await harness({ encryptKey });
    const res = await post("/feishu/events", { challenge: "ch-42", token: TOKEN, type: "url_verification" }, { noSignature: true });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: "ch-42" });
  });

  it("refuses a challenge with the wrong token", async () => {
    const res = await (await harness()).post("/feishu/events", { challenge: "x", token: "wrong", type: "url_verification" });
    expect(res.status).toBe(401);
  });
});

describe("messages", () => {
  it("answers an encrypted, signed private message with a card replying to it", async () => {
    const h = await harness({ encryptKey: ENCRYPT_KEY });
    const ev = messageEvent({ text: "李楼镇 2020 依申请数" });
    const res = await h.send(ev);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    await h.idle();
    const id = ev.event.message.message_id;
    expect(fake.messages).toHaveLength(1);
    expect(fake.messages[0]).toMatchObject({ via: "reply", parentId: id, uuid: `r-${id}`, msgType: "interactive" });
    expect(fake.sent("reply")[0].auth).toMatch(/^Bearer t-/);
    const card = text(fake.cards()[0]);
    expect(card).toContain('"schema":"2.0"');
    expect(card).toContain("## 0");
    expect(card).toMatch(/正文说.*1/);
    expect(card).toContain("数据来源");
  });

  it("answers a re-delivered message once (same message_id, new event_id)", async () => {
    const h = await harness({ encryptKey: ENCRYPT_KEY });
    const ev = messageEvent({ text: "西店镇 2019 依申请数" });
    await h.send(ev);
    await h.send({ ...ev, header: { ...ev.header, event_id: "another-event-id" } });
    await h.send(ev);
    await h.idle();
    expect(fake.messages).toHaveLength(1);
  });

  it("does not answer twice after a restart (dedupe journaled in DATA_DIR)", async () => {
    const dataDir = tmp();
    const ev = messageEvent({ text: "西店镇 2019 行政复议" });
    const first = await harness({ dataDir });
    await first.send(ev);
    await first.idle();
    await first.bot.close();
    const second = await harness({ dataDir });
    await second.send(ev);
    await second.idle();
    expect(fake.messages).toHaveLength(1);
  });

  it.each([
    ["group message with no @ → no reply", { chatType: "group" as const, mentions: [] }, 0],
    ["group message that @s someone else → no reply", { chatType: "group" as const, text: "@_user_1 李楼镇 2020 依申请数", mentions: [{ key: "@_user_1", open_id: "ou_other" }] }, 1 - 1],
    ["group message that @s the bot → a reply", { chatType: "group" as const, text: "@_user_1 李楼镇 2020 依申请数", mentions: atBot }, 1],
    ["private message → a reply", { chatType: "p2p" as const }, 1],
  ])("%s", async (_n, spec, n) => {
    const h = await harness();
    await h.send(messageEvent(spec));
    await h.idle();
    expect(fake.messages).toHaveLength(n);
    if (n) expect(text(fake.cards()[0])).toContain("李楼镇 2020 年 本年新收申请");
  });

  it("answers in order within a chat", async () => {
    const h = await harness();
    const evs = ["李楼镇 2020 依申请数", "西店镇 2019 依申请数", "/帮助", "悦来镇 2020 结转下年度"].map((t) => messageEvent({ text: t, chatId: "oc_same" }));
    for (const ev of evs) await h.send(ev);
    await h.idle();
    expect(fake.messages.map((m) => m.parentId)).toEqual(evs.map((e) => e.event.message.message_id));
  });

  it("an unknown organ gets a friendly card that says what to type", async () => {
    const h = await harness();
    await h.send(messageEvent({ text: "火星乡 2020 依申请数" }));
    await h.idle();
    const card = text(fake.cards()[0]);
    expect(card).toContain("没有找到「火星乡」的年报");
    expect(card).not.toContain("## ");
  });

  it("/帮助 says how to hand the bot a file in a group, and that a bare file there is not seen", async () => {
    const h = await harness();
    await h.send(messageEvent({ text: "/帮助" }));
    await h.idle();
    expect(text(fake.cards()[0])).toMatch(/回复这条文件消息并 @机器人.*群里单独发的文件机器人收不到/);
  });
});

describe("stale deliveries", () => {
  const T = Date.parse("2026-11-21T10:00:00+08:00");
  const now = () => new Date(T);

  it.each([
    ["31 minutes old → dropped", 31, 0],
    ["29 minutes old → answered", 29, 1],
  ])("a message %s", async (_n, minutes, replies) => {
    const h = await harness({ now });
    await h.send(messageEvent({ text: "/帮助", createTime: T - minutes * 60_000 }));
    await h.idle();
    expect(fake.messages).toHaveLength(replies);
    if (!replies) expect(h.logs.join("\n")).toContain(`丢弃 ${minutes} 分钟前的消息`);
  });

  it.each([
    ["6 minutes ago", -6, 401],
    ["6 minutes ahead", 6, 401],
    ["4 minutes ago", -4, 200],
  ])("a signed request stamped %s → %i", async (_n, minutes, status) => {
    const h = await harness({ now, encryptKey: ENCRYPT_KEY });
    const res = await h.send(messageEvent({ text: "/帮助", createTime: T }), { timestampMs: T + minutes * 60_000 });
    expect(res.status).toBe(status);
    await h.idle();
    expect(fake.messages).toHaveLength(status === 200 ? 1 : 0);
    if (status === 401) expect(h.logs.join("\n")).toContain("时间戳");
  });
});

describe("requests that must be refused", () => {
  it.each([
    ["forged signature", { badSignature: true }, 401],
    ["missing signature", { noSignature: true }, 401],
  ])("%s is refused and nothing is sent", async (_n, o, status) => {
    const h = await harness({ encryptKey: ENCRYPT_KEY });
    const res = await h.send(messageEvent(), o);
    expect(res.status).toBe(status);
    await h.idle();
    expect(fake.sent()).toHaveLength(0);
  });

  it("wrong verification token → 401", async () => {
    const h = await harness();
    const res = await h.send(messageEvent({ token: "forged" }));
    expect(res.status).toBe(401);
    await h.idle();
    expect(fake.sent()).toHaveLength(0);
  });

  it("plain event while an Encrypt Key is configured → 401", async () => {
    const { bot } = await harness({ encryptKey: ENCRYPT_KEY });
    const res = await bot.http.request("/feishu/events", feishuRequest(messageEvent()));
    expect(res.status).toBe(401);
  });

  it.each([
    ["malformed JSON", "{not json", 400],
    ["undecryptable payload", JSON.stringify({ encrypt: "AAAA" }), 400],
    ["not an event", JSON.stringify({ hello: "world", token: TOKEN }), 400],
    ["oversized body", JSON.stringify({ pad: "x".repeat(1024 * 1024 + 10) }), 413],
  ])("%s is refused, and the server keeps serving", async (n, body, status) => {
    const { bot } = await harness({ encryptKey: n === "undecryptable payload" ? ENCRYPT_KEY : undefined });
    const res = await bot.http.request("/feishu/events", { method: "POST", headers: { "content-type": "application/json" }, body });
    expect(res.status).toBe(status);
    const health = await bot.http.request("/healthz");
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, mode: "webhook", reports: 5 });
  });

  it("an envelope missing required fields → 400", async () => {
    const { bot } = await harness();
    const res = await bot.http.request("/feishu/events", feishuRequest({ schema: "2.0", header: { token: TOKEN } }));
    expect(res.status).toBe(400);
  });
});

describe("bot menu and membership", () => {
  it("maps event_key to a command and replies to the operator by open_id", async () => {
    const h = await harness({ encryptKey: ENCRYPT_KEY });
    await h.post("/feishu/events", menuEvent("help", "ou_operator"));
    await h.idle();
    expect(fake.messages[0]).toMatchObject({ via: "send", receiveIdType: "open_id", receiveId: "ou_operator" });
    expect(text(fake.cards()[0])).toContain("年报助手可以这样问");
  });

  it("an unknown menu key gets an explanation, not silence", async () => {
    const h = await harness();
    await h.post("/feishu/events", menuEvent("nope"));
    await h.idle();
    expect(text(fake.cards()[0])).toContain("没有对应的命令");
  });

  it("added to a group: a welcome with the menu as buttons, which answer with a new card", async () => {
    const h = await harness();
    await h.post("/feishu/events", botMembershipEvent("added", "oc_new"));
    await h.idle();
    expect(fake.messages[0]).toMatchObject({ via: "send", receiveIdType: "chat_id", receiveId: "oc_new" });
    const welcome = text(fake.cards()[0]);
    expect(welcome).toContain("年报助手已加入本群");
    expect(welcome).toContain("/帮助");
    const res = await h.post("/feishu/card", cardActionEvent({ cmd: "帮助", text: "" }, { messageId: fake.messages[0].messageId, chatId: "oc_new" }));
    expect(((await res.json()) as { toast: { type: string } }).toast.type).toBe("info");
    await h.idle();
    expect(text(fake.cards()[1])).toContain("年报助手可以这样问");
  });

  it("removed from a group: its subscriptions are dropped, and no reminder is tried there", async () => {
    const h = await harness();
    h.bot.reminders.settings.subscribe({ chatId: "oc_gone", scope: "", by: "ou_owner", at: "" });
    h.bot.reminders.settings.subscribe({ chatId: "oc_stays", scope: "", by: "ou_owner", at: "" });
    await h.post("/feishu/events", botMembershipEvent("deleted", "oc_gone"));
    await h.idle();
    expect(h.bot.reminders.settings.subscriptions.map((s) => s.chatId)).toEqual(["oc_stays"]);
    expect(h.logs.join("\n")).toContain("取消该群 1 项提醒订阅");
  });

  it("removed while the bot was down (the event lost): the first reminder refused with 230002 drops the group's subscriptions", async () => {
    const h = await harness({ now: () => new Date("2021-01-29T09:31:00+08:00") });
    h.bot.reminders.settings.subscribe({ chatId: "oc_gone", scope: "", by: "ou_owner", at: "" });
    h.bot.reminders.settings.subscribe({ chatId: "oc_stays", scope: "", by: "ou_owner", at: "" });
    fake.removedFrom.add("oc_gone");
    await h.bot.scheduler.tick();
    expect(h.bot.reminders.settings.subscriptions.map((s) => s.chatId)).toEqual(["oc_stays"]);
    expect(fake.messages.map((m) => m.chatId)).toEqual(["oc_stays"]);
    expect(h.logs.join("\n")).toMatch(/提醒发不到群 oc_gone：机器人已不在该群，取消该群 1 项提醒订阅（.*230002/);
    await h.bot.scheduler.tick();
    expect(fake.calls.filter((c) => c.body?.receive_id === "oc_gone")).toHaveLength(1);
  });
});

describe("card callbacks", () => {
  /** A card the bot sent in answer to `question`, and the harness. */
  async function cardFor(question: string, o: Partial<TestBotOptions> = {}) {
    const h = await harness(o);
    await h.send(messageEvent({ text: question }));
    await h.idle();
    return { h, cardId: fake.messages[0].messageId, original: text(fake.messages[0].card) };
  }

  it.each([
    // Buttons carry structured arguments: the organ's key, the year, the figure's key.
    ["查看完整报告", { cmd: "报告", args: { organ: "李楼镇|", year: 2020 } }, "李楼镇 2020 年政府信息公开工作年度报告"],
    ["近年趋势", { cmd: "趋势", args: { organ: "西店镇|", figure: "B:new:total" } }, "西店镇 本年新收申请"],
    ["校验", { cmd: "校验", args: { organ: "李楼镇|", year: 2020 } }, "年报审查"],
  ])("%s: a toast at once; the answer is a new card, the shared card stays", async (_n, value, title) => {
    const { h, cardId, original } = await cardFor("李楼镇 2020 依申请数", { encryptKey: ENCRYPT_KEY });
    const res = await h.post("/feishu/card", cardActionEvent(value, { messageId: cardId }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { toast: { type: string }; card?: unknown };
    expect(body.toast.type).toBe("info");
    expect(body.card).toBeUndefined();
    await h.idle();
    expect(fake.messages).toHaveLength(2);
    expect(fake.messages[1]).toMatchObject({ via: "reply", parentId: cardId });
    expect(text(fake.messages[1].card)).toContain(title);
    expect(text(fake.message(cardId)!.card)).toBe(original);
    expect(fake.patches).toHaveLength(0);
  });

  it("answers the callback before the work is done (Feishu waits 3 s)", async () => {
    const { h, cardId } = await cardFor("李楼镇 2020 依申请数");
    fake.stall("reply", 300);
    const res = await h.post("/feishu/card", cardActionEvent({ cmd: "报告", args: { organ: "李楼镇|", year: 2020 } }, { messageId: cardId }));
    expect(await res.json()).toMatchObject({ toast: { type: "info" } });
    expect(fake.messages).toHaveLength(1);
    await h.idle();
    expect(fake.messages.length).toBeGreaterThan(1);
  });

  it("下一页 updates the shared card in place", async () => {
    const many = townships(45);
    const q = "/排行 2024 依申请数 前45";
    const { h, cardId, original } = await cardFor(q, { store: many });
    expect(original).toContain("第 1/5 页");
    const res = await h.post("/feishu/card", cardActionEvent({ cmd: "page", q, page: 1 }, { messageId: cardId }));
    expect(((await res.json()) as { toast: { content: string } }).toast.content).toBe("正在翻到第 2 页");
    await h.idle();
    expect(fake.patches.map((p) => p.messageId)).toEqual([cardId]);
    expect(text(fake.message(cardId)!.card)).toContain("第 2/5 页");
    expect(fake.messages).toHaveLength(1);
  });

  it("a second click while the first is running, or a re-delivered callback, does nothing twice", async () => {
    const q = "/排行 2024 依申请数 前45";
    const { h, cardId } = await cardFor(q, { store: townships(45) });
    fake.stall("patch", 200);
    const click = cardActionEvent({ cmd: "page", q, page: 1 }, { messageId: cardId });
    const first = await h.post("/feishu/card", click);
    const again = await h.post("/feishu/card", cardActionEvent({ cmd: "page", q, page: 1 }, { messageId: cardId }));
    const redelivered = await h.post("/feishu/card", click);
    expect(((await first.json()) as { toast: { content: string } }).toast.content).toBe("正在翻到第 2 页");
    expect(((await again.json()) as { toast: { content: string } }).toast.content).toBe("正在处理，请稍候");
    expect(((await redelivered.json()) as { toast: { content: string } }).toast.content).toBe("正在处理，请稍候");
    await h.idle();
    const late = await h.post("/feishu/card", click);
    expect(await late.json()).toEqual({});
    await h.idle();
    expect(fake.calls.filter((c) => c.method === "PATCH")).toHaveLength(1);
  });

  it.each([
    ["forged", { badSignature: true }, 401],
    ["unsigned", { noSignature: true }, 401],
  ])("a %s callback is refused", async (_n, o, status) => {
    const h = await harness({ encryptKey: ENCRYPT_KEY });
    const res = await h.post("/feishu/card", cardActionEvent({ cmd: "报告", args: { organ: "李楼镇|" } }), o);
    expect(res.status).toBe(status);
  });

  it("every callback answer is one Feishu takes: {} or a toast of info, success, error or warning", async () => {
    const q = "/排行 2024 依申请数 前45";
    const { h, cardId } = await cardFor(q, { store: townships(45) });
    fake.stall("patch", 200);
    const clicks = [
      cardActionEvent({ cmd: "page", q, page: 1 }, { messageId: cardId }),
      cardActionEvent({ cmd: "page", q, page: 1 }, { messageId: cardId }),
      cardActionEvent({ cmd: "报告", args: { organ: "李楼镇|", year: 2020 } }, { messageId: cardId }),
      cardActionEvent({ cmd: "ingest", upload: "om_x" }, { messageId: cardId }),
      cardActionEvent({ what: "ever" }, { messageId: cardId }),
    ];
    const bodies: unknown[] = [];
    for (const c of clicks) bodies.push(await (await h.post("/feishu/card", c)).json());
    await h.idle();
    bodies.push(await (await h.post("/feishu/card", clicks[0])).json());
    for (const b of bodies) expect(callbackResponse.safeParse(b).error?.issues ?? []).toEqual([]);
    expect(new Set(bodies.map((b) => (b as { toast?: { type: string } }).toast?.type ?? "none"))).toEqual(new Set(["info", "error", "none"]));
  });

  it("an unknown button answers with an error toast", async () => {
    const res = await (await harness()).post("/feishu/card", cardActionEvent({ what: "ever" }));
    expect(await res.json()).toEqual({ toast: { type: "error", content: "这个按钮已失效" } });
  });
});

describe("never silent", () => {
  it.each([
    ["a card Feishu refuses (230099)", 230099, "卡片内容被飞书拒绝"],
    ["a card over the size limit (230025)", 230025, "超过了飞书的消息大小限制"],
  ])("%s: a short text says so, and the log has the code", async (_n, code, says) => {
    const h = await harness();
    fake.fail("reply", 400, { code, msg: "refused" });
    await h.send(messageEvent({ text: "/帮助" }));
    await h.idle();
    expect(fake.texts()[0]).toContain(says);
    expect(h.logs.join("\n")).toContain(`发送卡片失败（${code}）`);
  });

  it("a reply that times out is tried again later, and answered once", async () => {
    const h = await harness({ apiTimeoutMs: 100 });
    fake.stall("reply", 400, 5);
    await h.send(messageEvent({ text: "/帮助" }));
    await h.idle();
    expect(fake.cards()).toHaveLength(1);
    expect(fake.texts()).toEqual([]);
    expect(h.logs.join("\n")).toMatch(/网络错误或超时[\s\S]*处理失败（第 1 次），\d+ ms 后重试/);
  });

  it("a burst of questions in one chat: Feishu's 5 messages a second are waited out, every question answered once", async () => {
    let t = 1_000_000;
    fake.now = () => t;
    fake.holdToRates = true;
    const h = await harness({ sleep: async (ms) => void (t += ms) });
    const evs = Array.from({ length: 8 }, () => messageEvent({ text: "/帮助", chatId: "oc_burst" }));
    for (const ev of evs) await h.send(ev);
    await h.idle();
    expect(fake.calls.some((c) => c.code === 230020)).toBe(true);
    expect(fake.messages.map((m) => m.parentId)).toEqual(evs.map((e) => e.event.message.message_id));
    expect(fake.texts()).toEqual([]);
  });

  it("a chat the bot was removed from (230002): nothing can be sent; the log says why", async () => {
    const h = await harness();
    fake.removedFrom.add("oc_left");
    await h.send(messageEvent({ chatType: "group", chatId: "oc_left", text: "@_user_1 /帮助", mentions: atBot }));
    await h.idle();
    expect(fake.messages).toHaveLength(0);
    expect(h.logs.join("\n")).toMatch(/发送卡片失败（230002）[\s\S]*连说明文字也没能发出（230002）/);
  });
});

describe("scopes", () => {
  it("the README's scope table covers every Open API the bot calls, with the scopes the fake (and Feishu) asks for", () => {
    const readme = readFileSync(join(import.meta.dirname, "..", "README.md"), "utf8");
    const table = new Set([...readme.matchAll(/^\s*\| `([a-z0-9:._]+)` /gm)].map((m) => m[1]));
    for (const [kind, anyOf] of Object.entries(SCOPES)) expect(anyOf!.some((s) => table.has(s)), kind).toBe(true);
    // Reading a group message needs im:message.group_msg besides (im-v1/message/get).
    expect(table.has("im:message.group_msg")).toBe(true);
    for (const s of DEFAULT_SCOPES) expect(table.has(s), s).toBe(true);
  });

  it("subscribing a group without im:chat:readonly: the card names the scope", async () => {
    const h = await harness({ dataDir: tmp() });
    fake.scopes.delete("im:chat:readonly");
    await h.send(messageEvent({ chatType: "group", chatId: "oc_group", text: "@_user_1 /订阅提醒", mentions: atBot }));
    await h.idle();
    expect(text(fake.cards()[0])).toContain("im:chat:readonly");
    expect(h.logs.join("\n")).toContain("缺少权限");
  });

  it("only the group owner (looked up through the Open API) or an admin subscribes a group", async () => {
    const h = await harness();
    fake.chatOwners.set("oc_group", "ou_owner");
    const msg = (sender: string) => messageEvent({ chatType: "group", chatId: "oc_group", text: "@_user_1 /订阅提醒 宁海县", mentions: atBot, sender });
    await h.send(msg("ou_stranger"));
    await h.send(msg("ou_owner"));
    await h.idle();
    const cards = fake.cards().map(text);
    expect(cards[0]).toContain("只有群主或管理员");
    expect(cards[1]).toContain("已订阅年报截止提醒");
    expect(h.bot.reminders.settings.subscriptions).toMatchObject([{ chatId: "oc_group", scope: "宁海县", by: "ou_owner" }]);
  });

  it("a group whose owner Feishu does not report: nobody but an admin subscribes", async () => {
    const h = await harness();
    await h.send(messageEvent({ chatType: "group", chatId: "oc_nobody", text: "@_user_1 /订阅提醒", mentions: atBot, sender: "ou_someone" }));
    await h.idle();
    expect(text(fake.cards()[0])).toContain("只有群主或管理员");
  });
});

describe("/导出 in chat", () => {
  it("answers with a card, then the workbook as a file message (uploaded with im.file.create)", async () => {
    const h = await harness();
    fake.scopes.add("im:resource");
    const ev = messageEvent({ text: "/导出 2020" });
    await h.send(ev);
    await h.idle();
    expect(text(fake.cards()[0])).toContain("2020 年政府信息公开年报汇总表");
    expect(h.logs.join("\n")).toBe("");
    const sent = fake.messages.find((m) => m.msgType === "file")!;
    expect(sent).toMatchObject({ via: "reply", parentId: ev.event.message.message_id });
    expect(sent.file).toMatchObject({ fileType: "xls", fileName: "2020年 政府信息公开年报汇总.xlsx" });
    expect(sent.file!.bytes.subarray(0, 2).toString()).toBe("PK");
  });

  it("without im:resource the upload fails and the chat is told which scope is missing", async () => {
    const h = await harness();
    await h.send(messageEvent({ text: "/导出 2020" }));
    await h.idle();
    expect(fake.messages.filter((m) => m.msgType === "file")).toHaveLength(0);
    expect(fake.texts().join("\n")).toMatch(/汇总表「2020年 政府信息公开年报汇总\.xlsx」没能发出：机器人缺少飞书权限 im:resource 或 im:resource:upload/);
    expect(h.logs.join("\n")).toContain("im.file.create");
  });
});

describe("reports uploaded in chat", () => {
  async function setup(o: Partial<TestBotOptions> = {}) {
    const root = tmp();
    const reportsDir = join(root, "reports");
    mkdirSync(reportsDir);
    writeFileSync(join(reportsDir, "old.txt"), renderReport({ organ: "安平镇人民政府", year: 2019, cells: balancedCells(2, "2019"), template: "2019" }));
    const dataDir = join(root, "data");
    const { store: s } = await loadReports({ reportsDir, dataDir });
    const h = await testBot(fake, { store: s, dataDir, reportsDir, admins: ["ou_admin"], ...o });
    const ask = (q: string) => route(q, { store: h.bot.library.store, now: new Date() }).answers[0]?.value;
    return { h, reportsDir, dataDir, ask };
  }
  const pdf = () => readFileSync(join(FIX, "docs", "r202-000.pdf"));

  it("a private file: 正在检查… at once, then the same card becomes the check card; an admin adds it and the answer changes", async () => {
    const { h, ask } = await setup();
    expect(ask("安平镇 2020 依申请数")).toBeUndefined();
    const ev = h.postFile({ fileKey: "fk_pdf", fileName: "安平镇2020年报.pdf", bytes: pdf(), sender: "ou_admin" });
    await h.send(ev);
    await h.idle();
    const fileId = ev.event.message.message_id;
    expect(fake.calls.some((c) => c.path === `/open-apis/im/v1/messages/${fileId}/resources/fk_pdf` && c.query.type === "file")).toBe(true);
    expect(fake.messages).toHaveLength(1);
    expect(fake.patches).toHaveLength(1);
    const card = fake.messages[0];
    expect(text(card.card)).toContain("年报检查：安平镇人民政府 2020 年");
    expect(text(card.card)).toContain("加入资料库");
    const res = await h.post("/feishu/card", cardActionEvent({ cmd: "ingest", upload: fileId }, { openId: "ou_admin", messageId: card.messageId }));
    expect(await res.json()).toEqual({ toast: { type: "info", content: "正在加入资料库…" } });
    await h.idle();
    expect(text(fake.message(card.messageId)!.card)).toContain("已加入资料库");
    expect(ask("安平镇 2020 依申请数")).toBe(15);
  });

  it("anyone gets the check card with every failed check; only admins get the button, and a stranger's click does nothing", async () => {
    const { h } = await setup();
    const broken = renderReport({ organ: "西店镇", year: 2025, cells: { ...balancedCells(4), "applications.carried_forward.natural_person": 2, "applications.carried_forward.total": 2 } });
    const ev = h.postFile({ fileKey: "fk_txt", fileName: "draft.txt", bytes: Buffer.from(broken), sender: "ou_stranger" });
    await h.send(ev);
    await h.idle();
    const card = text(fake.cards()[0]);
    expect(card).toContain("审查：1 个错误");
    expect(card).toMatch(/一\+二=三\(七\)\+四/);
    expect(card).not.toContain("加入资料库");
    const res = await h.post("/feishu/card", cardActionEvent({ cmd: "ingest", upload: ev.event.message.message_id }, { openId: "ou_stranger", messageId: fake.messages[0].messageId }));
    expect(((await res.json()) as { toast: { type: string; content: string } }).toast).toMatchObject({ type: "error", content: expect.stringMatching(/只有管理员/) });
    await h.idle();
    expect(fake.patches).toHaveLength(1);
    expect(h.bot.library.store.organs.some((o) => o.short === "西店镇")).toBe(false);
  });

  it("replacing an organ's report for a year needs a second confirmation, and the old file is kept", async () => {
    const { h, ask, reportsDir } = await setup();
    const ev = h.postFile({ fileKey: "fk_new", fileName: "安平镇2019.txt", bytes: Buffer.from(renderReport({ organ: "安平镇人民政府", year: 2019, template: "2019", cells: balancedCells(9, "2019") })), sender: "ou_admin" });
    await h.send(ev);
    await h.idle();
    const cardId = fake.messages[0].messageId;
    const click = (confirm?: boolean) => h.post("/feishu/card", cardActionEvent({ cmd: "ingest", upload: ev.event.message.message_id, ...(confirm ? { confirm } : {}) }, { openId: "ou_admin", messageId: cardId }));
    await click();
    await h.idle();
    expect(text(fake.message(cardId)!.card)).toMatch(/资料库里已有[\s\S]*确认替换/);
    expect(ask("安平镇 2019 依申请数")).toBe(2);
    await click(true);
    await h.idle();
    expect(text(fake.message(cardId)!.card)).toContain("已加入资料库（已替换旧年报，旧文件已保留）");
    expect(ask("安平镇 2019 依申请数")).toBe(9);
    expect(readdirSync(join(reportsDir, ".replaced")).some((f) => f.endsWith("old.txt"))).toBe(true);
  });

  it.each([
    ["an unsupported type", "photo.jpg", Buffer.from("x"), /不支持/],
    ["a scan", "scan.pdf", scannedPdf(), /扫描件/],
    ["a file that is not a report", "note.txt", Buffer.from("下周二开会。"), /无法检查/],
  ])("%s gets a clear reply and nothing enters the library", async (_n, name, bytes, msg) => {
    const { h } = await setup();
    await h.send(h.postFile({ fileKey: "fk_x", fileName: name, bytes, sender: "ou_admin" }));
    await h.idle();
    expect(text(fake.cards().pop())).toMatch(msg);
    expect(h.bot.library.store.reports).toHaveLength(1);
  });

  it("a file in a group without @ is not seen; replying to it with @机器人 检查 checks it", async () => {
    const { h } = await setup();
    fake.scopes.add("im:message.group_msg");
    const file = h.postFile({ fileKey: "fk_grp", fileName: "安平镇2020.pdf", bytes: pdf(), chatType: "group", chatId: "oc_group" });
    await h.send(file);
    await h.idle();
    expect(fake.messages).toHaveLength(0);
    const ask = mentionReply(file.event.message.message_id);
    await h.send(ask);
    await h.idle();
    expect(fake.messages[0]).toMatchObject({ parentId: ask.event.message.message_id, chatId: "oc_group" });
    expect(text(fake.cards()[0])).toContain("年报检查：安平镇人民政府 2020 年");
  });

  it("replying @机器人 检查 without im:message.group_msg: the card names the scope", async () => {
    const { h } = await setup();
    const file = h.postFile({ fileKey: "fk_grp", fileName: "安平镇2020.pdf", bytes: pdf(), chatType: "group", chatId: "oc_group" });
    await h.send(mentionReply(file.event.message.message_id));
    await h.idle();
    expect(text(fake.cards()[0])).toContain("im:message.group_msg");
    expect(fake.calls.some((c) => c.path.includes("/resources/"))).toBe(false);
  });

  it("downloading without any message-reading scope: the card names the scopes", async () => {
    const { h } = await setup();
    fake.scopes.delete("im:message:readonly");
    await h.send(h.postFile({ fileKey: "fk_pdf", fileName: "a.pdf", bytes: pdf(), sender: "ou_admin" }));
    await h.idle();
    expect(text(fake.cards()[0])).toMatch(/文件下载失败：机器人缺少飞书权限 im:message 或 im:message:readonly/);
  });

  it("replying 检查 to a message that is not a file says so", async () => {
    const { h } = await setup();
    fake.scopes.add("im:message.group_msg");
    const other = userSent(fake, messageEvent({ chatType: "group", chatId: "oc_group", text: "大家好" }));
    await h.send(mentionReply(other.event.message.message_id));
    await h.idle();
    expect(text(fake.cards()[0])).toContain("你回复的不是文件消息");
  });

  it("checked files waiting for 加入资料库 are deleted after a week", async () => {
    const { h, dataDir } = await setup();
    const stale = join(dataDir, "uploads", "om_old");
    mkdirSync(stale, { recursive: true });
    writeFileSync(join(stale, "old.txt"), "x");
    const longAgo = new Date(Date.now() - 8 * 86400000);
    utimesSync(stale, longAgo, longAgo);
    await h.send(h.postFile({ fileKey: "fk_week", fileName: "甲镇.txt", bytes: Buffer.from(renderReport({ organ: "甲镇", year: 2024 })), sender: "ou_admin" }));
    await h.idle();
    expect(readdirSync(join(dataDir, "uploads"))).not.toContain("om_old");
    expect(readdirSync(join(dataDir, "uploads"))).toHaveLength(1);
  });

  it("keeps uploaded file names safe", () => {
    expect(safeName("../../etc/passwd")).toBe("passwd.txt");
    expect(safeName("安平镇 2020 年报.PDF")).toBe("安平镇_2020_年报.pdf");
  });
});

describe("cards Feishu will render", () => {
  const big = townships(400, (i) => `很长很长的名字测试${i}镇`);
  const now = new Date("2026-11-21T10:00:00+08:00");
  const answers: [string, ReportStore][] = [
    ...["李楼镇 2020 依申请数", "/报告 李楼镇 2020", "/趋势 西店镇 依申请数", "/对比 李楼镇 西店镇 依申请数", "/校验 李楼镇 2020", "/搜索 信息", "/提醒", "李搂镇 2020 依申请数", "/帮助"].map((q): [string, ReportStore] => [q, store]),
    ...["/排行 2024 依申请数 前200", "/合计 2024 依申请数", "/校验", "/未发布 2025"].map((q): [string, ReportStore] => [q, big]),
  ];
  const failing = parseReport(renderReport({ organ: "西店镇", year: 2025, cells: { ...balancedCells(4), "applications.carried_forward.natural_person": 2, "applications.carried_forward.total": 2 } }), { file: "x.txt" }) as Report;
  const passing = parseReport(renderReport({ organ: "甲镇", year: 2024 }), { file: "y.txt" }) as Report;
  const reminder = {
    key: "k",
    chatId: "oc",
    reportYear: 2025,
    deadline: "2026-01-31",
    deadlineLabel: "国务院规定（1月31日前）",
    daysLeft: 3,
    scope: "宁海县",
    at: "",
    published: big.organs.slice(0, 100).map((o) => o.name),
    missing: big.organs.slice(100).map((o) => o.name),
    expected: big.organs.map((o) => o.name),
    problems: big.organs.slice(0, 20).map((o) => ({ organ: o.name, checks: ["一+二=三(七)+四"] })),
    provisional: true,
  } as unknown as Parameters<typeof reminderCard>[0];

  const every: [string, object][] = [
    ...answers.flatMap(([q, s]): [string, object][] => {
      const a = route(q, { store: s, now });
      return [[q, renderCard(a, { query: q })], [`${q} (last page)`, renderCard(a, { query: q, page: 99 })]];
    }),
    ["check card, failing, with 加入资料库", renderCard(uploadCheckAnswer(failing, { fileName: "draft_*v2*.txt" }), { template: "red", buttons: [{ label: "加入资料库", value: { cmd: "ingest", upload: "om_1" }, type: "primary" }] })],
    ["check card, confirm replace", renderCard(uploadCheckAnswer(passing, { fileName: "y.txt" }), { template: "green", note: { text: "资料库里已有 甲镇 2024 年。确认后用这份替换。", color: "orange" }, buttons: [{ label: "确认替换", value: { cmd: "ingest", upload: "om_1", confirm: true }, type: "danger" }] })],
    ["check card, added", renderCard(uploadCheckAnswer(passing, { fileName: "y.txt" }), { template: "green", note: { text: "已加入资料库", color: "green" } })],
    ["error", errorCard("无法检查这个文件：<未知>", ["请发送 *PDF*"])],
    ["progress", progressCard("安平镇_2020.pdf")],
    ["welcome", welcomeCard()],
    ["reminder with 300 missing", reminderCard(reminder)],
  ];

  it.each(every)("%s: valid JSON 2.0, within 30 KB as sent", (_n, card) => {
    expect(cardProblems(card)).toEqual([]);
    expect(cardRequestBytes(card)).toBeLessThanOrEqual(CARD_LIMIT_BYTES - CARD_MARGIN_BYTES);
  });

  it.each([
    ["text in a number column", { tag: "table", columns: [{ name: "n", data_type: "number" }], rows: [{ n: "—" }] }],
    ["a table inside a column", { tag: "column_set", columns: [{ tag: "column", elements: [{ tag: "table", columns: [{ name: "a", data_type: "text" }], rows: [] }] }] }],
    ["an unknown property", { tag: "markdown", content: "x", color: "red" }],
    ["page_size over 10", { tag: "table", page_size: 20, columns: [{ name: "a", data_type: "text" }], rows: [] }],
    ["a column narrower than 80px", { tag: "table", columns: [{ name: "a", data_type: "text", width: "20px" }], rows: [] }],
    ["a data_type Feishu does not know", { tag: "table", columns: [{ name: "a", data_type: "string" }], rows: [] }],
    ["a negative padding", { tag: "column_set", columns: [{ tag: "column", padding: "-8px", elements: [] }] }],
    ["a button without behaviors", { tag: "button", text: { tag: "plain_text", content: "x" } }],
  ])("the fake refuses %s, as Feishu does", (_n, element) => {
    expect(cardProblems({ schema: "2.0", body: { elements: [element] } })).not.toEqual([]);
  });

  it("the fake refuses a header colour outside the 13 of card-json-v2-structure", () => {
    const card = (template: string) => ({ schema: "2.0", header: { title: { tag: "plain_text", content: "t" }, template }, body: { elements: [] } });
    expect(cardProblems(card("pink"))).not.toEqual([]);
    for (const ok of ["blue", "wathet", "turquoise", "green", "yellow", "orange", "red", "carmine", "violet", "purple", "indigo", "grey", "default"]) expect(cardProblems(card(ok))).toEqual([]);
  });

  it("one pager per card: a bot-paged table shows one page only; a table without a query pages itself", () => {
    const many = townships(45);
    const q = "/排行 2024 依申请数 前45";
    const paged = renderCard(route(q, { store: many, now }), { query: q }) as { body: { elements: { tag: string; page_size?: number; rows?: unknown[] }[] } };
    const table = paged.body.elements.find((e) => e.tag === "table")!;
    expect(table.page_size).toBe(table.rows!.length);
    expect(text(paged)).toContain("下一页");
    const selfPaged = renderCard(route(q, { store: many, now })) as typeof paged;
    expect(selfPaged.body.elements.find((e) => e.tag === "table")!.rows).toHaveLength(45);
    expect(text(selfPaged)).not.toContain("下一页");
  });

  it("a number column never holds text: a missing number is left blank", () => {
    const a: Answer = { kind: "trend", command: "趋势", title: "t", answers: [], lines: [], suggestions: [], actions: [], tone: "ok", text: "", table: { columns: ["年份", "数"], rows: [[2020, 3], [2021, null]] } };
    const table = (renderCard(a) as { body: { elements: { tag: string; columns?: { data_type: string }[]; rows?: object[] }[] } }).body.elements.find((e) => e.tag === "table")!;
    expect(table.columns!.map((c) => c.data_type)).toEqual(["number", "number"]);
    expect(table.rows).toEqual([{ c0: 2020, c1: 3 }, { c0: 2021 }]);
  });

  it("report text is escaped with entities, not backslashes", () => {
    expect(escapeMarkdown("004_e2e8 *a* <b> [c] ~d~ `e` #f $g a:b")).toBe("004&#95;e2e8 &#42;a&#42; &#60;b&#62; &#91;c&#93; &sim;d&sim; &#96;e&#96; &#35;f &#36;g a&#58;b");
    expect(escapeMarkdown("- 列表\n1. 有序\n-5 与 2020.5")).toBe("&#45; 列表\n1&#46; 有序\n-5 与 2020.5");
    // A link needs [text](url): both halves are written as entities (rich-text doc, 特殊字符转义说明).
    expect(escapeMarkdown("[附件](http://x) 第(三)项")).toBe("&#91;附件&#93;&#40;http&#58;//x&#41; 第&#40;三&#41;项");
  });

  it("the 来源 line names organ, year and table, not a file name", () => {
    const card = text(renderCard(route("李楼镇 2020 依申请数", { store, now }), { query: "x" }));
    expect(card).toMatch(/李楼镇[^"]* 2020 年报 · 表三 依申请/);
    expect(card).not.toMatch(/\.txt · 表/);
  });

  it("the check card fits a phone: at most 4 columns, Chinese headings and cells", () => {
    const card = renderCard(uploadCheckAnswer(failing, { fileName: "draft.txt" })) as { body: { elements: { tag: string; columns?: { display_name: string }[]; rows?: object[] }[] } };
    const table = card.body.elements.find((e) => e.tag === "table")!;
    expect(table.columns!.length).toBeLessThanOrEqual(4);
    expect(text(table.columns!.map((c) => c.display_name)) + text(table.rows!.map((r) => Object.values(r)))).not.toMatch(/[A-Za-z]/);
  });

  it("a trend has a line chart and a table", () => {
    const s = new ReportStore([2022, 2023, 2024].map((y) => parseReport(renderReport({ organ: "李楼镇", year: y, cells: balancedCells(y - 2020) }), { file: `${y}.txt` })).filter(isReport));
    const card = text(renderCard(route("/趋势 李楼镇 依申请数", { store: s, now }), { query: "x" }));
    expect(card).toContain('"tag":"chart"');
    expect(card).toContain('"type":"line"');
    expect(card).toContain('"tag":"table"');
  });
});

describe("Feishu API client", () => {
  const api = (sleep: (ms: number) => Promise<void> = async () => {}) => createFeishuApi({ appId: "cli_retry", appSecret: fake.appSecret, domain: fake.url, sleep });
  const card = { card: { schema: "2.0", body: { elements: [] } } };

  it("fetches a new tenant token once when Feishu rejects the cached one", async () => {
    const a = api();
    await a.send({ chat_id: "oc_1" }, card, "u1");
    const before = fake.tokenRequests();
    fake.fail("send", 400, { code: 99991663, msg: "token invalid" });
    await a.send({ chat_id: "oc_1" }, card, "u2");
    expect(fake.tokenRequests()).toBe(before + 1);
    expect(fake.sent("send")).toHaveLength(3);
  });

  it("backs off and retries on rate limits and server errors", async () => {
    const a = api();
    fake.fail("send", 400, { code: 230020, msg: "rate limited" });
    fake.fail("send", 503, { code: 500, msg: "busy" });
    await a.send({ chat_id: "oc_1" }, card, "u3");
    expect(fake.sent("send")).toHaveLength(3);
    expect(fake.sent("send").every((c) => c.body?.uuid === "u3")).toBe(true);
  });

  it("waits what x-ogw-ratelimit-reset says on a 429", async () => {
    const waits: number[] = [];
    const a = api(async (ms) => void waits.push(ms));
    fake.rateLimit("send", 7);
    await a.send({ chat_id: "oc_1" }, card, "u5");
    expect(waits).toEqual([7000]);
    expect(fake.messages).toHaveLength(1);
  });

  it("an older API's rate limit (HTTP 400 with 99991400) is waited out the same way", async () => {
    const waits: number[] = [];
    const a = api(async (ms) => void waits.push(ms));
    fake.rateLimit("send", 4, 1, 400);
    await a.send({ chat_id: "oc_1" }, card, "u6");
    expect(waits).toEqual([4000]);
    expect(fake.messages).toHaveLength(1);
  });

  it("Feishu takes 5 messages a second to one chat or user and 5 updates a second to one card; the 6th is refused with 230020", async () => {
    const once = createFeishuApi({ appId: "cli_qps", appSecret: fake.appSecret, domain: fake.url, maxAttempts: 1 });
    let t = 1_000_000;
    fake.now = () => t;
    fake.holdToRates = true;
    const shared = { card: { schema: "2.0", config: { update_multi: true }, body: { elements: [] } } };
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await once.send({ chat_id: "oc_busy" }, shared, `q${i}`));
    expect(((await once.send({ chat_id: "oc_busy" }, shared, "q5").catch((e) => e)) as FeishuApiError).code).toBe(230020);
    await once.send({ open_id: "ou_x" }, card, "q6"); // another user is not held back
    for (let i = 0; i < 5; i++) await once.patch(ids[0], shared.card);
    expect(((await once.patch(ids[0], shared.card).catch((e) => e)) as FeishuApiError).code).toBe(230020);
    t += 1000;
    await once.send({ chat_id: "oc_busy" }, shared, "q5");
    await once.patch(ids[0], shared.card);
    expect(isTransient(new FeishuApiError("im.message.create", 230020, 400, ""))).toBe(true);
  });

  it("sends nothing new for a uuid used within the hour", async () => {
    const a = api();
    const first = await a.send({ chat_id: "oc_1" }, card, "same-uuid");
    const again = await a.send({ chat_id: "oc_1" }, card, "same-uuid");
    expect(again).toBe(first);
    expect(fake.messages).toHaveLength(1);
  });

  it("treats an error code as an error and does not retry a permanent one", async () => {
    const a = api();
    fake.fail("send", 400, { code: 230002, msg: "bot not in chat" });
    await expect(a.send({ chat_id: "oc_1" }, card, "u4")).rejects.toBeInstanceOf(FeishuApiError);
    expect(fake.sent("send")).toHaveLength(1);
  });

  it("a missing scope names the scope, for the log and for the user", async () => {
    fake.scopes.delete("im:chat:readonly");
    const err = (await api().chatOwner("oc_1").catch((e) => e)) as FeishuApiError;
    expect(err.code).toBe(99991672);
    expect(err.missingScopes).toContain("im:chat:readonly");
    expect(err.message).toContain("im:chat:readonly");
    expect(err.userMessage).toContain("im:chat:readonly");
  });

  it("reads the bot's own open_id", async () => {
    expect(await api().botOpenId()).toBe("ou_bot");
  });
});

describe("the long connection", () => {
  /** A bot whose listeners are on the long connection (as well as its webhook); `body` runs while connected. */
  async function connected(o: Partial<TestBotOptions>, body: (h: Awaited<ReturnType<typeof harness>>, conn: { state(): string }) => Promise<void>) {
    const h = await harness(o);
    const conn = await startLongConnection({ appId: APP_ID, appSecret: fake.appSecret, domain: fake.url, listeners: h.bot.listeners, log: h.log });
    try {
      await until(() => fake.connections === 1, "the long connection");
      await body(h, conn);
    } finally {
      conn.close();
    }
  }
  /** A question pushed over the connection gets exactly one answer. */
  async function answeredOnce(h: Awaited<ReturnType<typeof harness>>, ev = userSent(fake, messageEvent({ text: "/帮助" }))) {
    await fake.pushEvent(ev);
    await h.idle();
    expect(fake.messages).toHaveLength(1);
  }

  it("answers a message delivered over the connection, with the same listeners as the webhook", () =>
    connected({ mode: "ws" }, async (h) => {
      const ev = userSent(fake, messageEvent({ text: "李楼镇 2020 依申请数" }));
      expect(await fake.pushEvent(ev)).toEqual({ code: 200, data: {} });
      await h.idle();
      expect(fake.messages[0]).toMatchObject({ via: "reply", parentId: ev.event.message.message_id });
      expect(text(fake.cards()[0])).toContain("## 0");
    }));

  it("a card callback over the connection: the toast is in the ack; the card is updated after", () =>
    connected({ mode: "ws", store: townships(45) }, async (h) => {
      const q = "/排行 2024 依申请数 前45";
      await fake.pushEvent(userSent(fake, messageEvent({ text: q })), 3);
      await h.idle();
      const cardId = fake.messages[0].messageId;
      const ack = await fake.pushEvent(cardActionEvent({ cmd: "page", q, page: 1 }, { messageId: cardId }));
      expect(ack).toEqual({ code: 200, data: { toast: { type: "info", content: "正在翻到第 2 页" } } });
      await h.idle();
      expect(text(fake.message(cardId)!.card)).toContain("第 2/5 页");
    }));

  it("a message that arrives by webhook and by the connection is answered once", () =>
    connected({ mode: "webhook" }, async (h) => {
      const ev = userSent(fake, messageEvent({ text: "/帮助" }));
      await h.send(ev);
      await answeredOnce(h, ev);
    }));

  it("a malformed frame is acked and logged, and the connection keeps serving", () =>
    connected({ mode: "ws" }, async (h) => {
      expect(await fake.pushEvent({ hello: "world" })).toEqual({ code: 200 });
      expect(h.logs.join("\n")).toContain("不是 2.0 版事件");
      await answeredOnce(h);
    }));

  it("an event that cannot be journaled (the bot is stopping) is acked with 500, so Feishu re-sends it", () =>
    connected({ mode: "ws" }, async (h) => {
      await h.bot.work.drain(0);
      const ack = await fake.pushEvent(userSent(fake, messageEvent({ text: "/帮助" })));
      expect(ack.code).toBe(500);
      expect(fake.messages).toHaveLength(0);
    }));

  it("reconnects after the connection drops", () =>
    connected({ mode: "ws" }, async (h, conn) => {
      fake.dropConnections();
      await until(() => h.logs.some((l) => l.includes("飞书长连接已恢复")), "the reconnect");
      await until(() => fake.connections === 1, "the old socket to close");
      expect(conn.state()).toBe("connected");
      await answeredOnce(h);
    }));

  it("wrong credentials: a clear error instead of silence", async () => {
    const h = await harness({ mode: "ws" });
    await expect(startLongConnection({ appId: APP_ID, appSecret: "not-the-secret", domain: fake.url, listeners: h.bot.listeners, log: silentLogger() })).rejects.toThrow(/FEISHU_APP_SECRET/);
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
    [{ FEISHU_APP_ID: APP_ID, FEISHU_APP_SECRET: "12345678", FEISHU_MODE: "webhook" }, /FEISHU_VERIFICATION_TOKEN/],
    [{ FEISHU_APP_ID: "cli_short", FEISHU_APP_SECRET: "12345678" }, /16 位十六进制/],
    [{ FEISHU_APP_ID: APP_ID, FEISHU_APP_SECRET: "12345678", FEISHU_MODE: "socket" }, /webhook 或 ws/],
  ])("rejects %o with a clear message", (env, msg) => {
    const r = loadConfig(env);
    expect("errors" in r && r.errors.join()).toMatch(msg);
  });

  it.each([
    [{ FEISHU_VERIFICATION_TOKEN: "12345678" }, "webhook"],
    [{ FEISHU_ENCRYPT_KEY: "k", FEISHU_VERIFICATION_TOKEN: "12345678" }, "webhook"],
    [{}, "ws"],
    [{ FEISHU_MODE: "ws", FEISHU_VERIFICATION_TOKEN: "12345678" }, "ws"],
  ])("%o → %s mode", (env, mode) => {
    const r = loadConfig({ FEISHU_APP_ID: APP_ID, FEISHU_APP_SECRET: "12345678", ...env });
    expect("config" in r && feishuMode(r.config)).toBe(mode);
  });

  it("defaults to the console (no Feishu) with the bundled reports", () => {
    const r = loadConfig({});
    expect("config" in r && r.config).toMatchObject({ FEISHU_DOMAIN: "https://open.feishu.cn", DATA_DIR: "./data" });
  });
});

describe("reminders through Feishu", () => {
  it("the scheduler pushes a reminder card to the chat with its key as uuid", async () => {
    const dir = tmp();
    const sent = new FileReminders(dir, silentLogger(), Date.now);
    const settings = await ReminderSettings.load(sent);
    settings.subscribe({ chatId: "oc_group", scope: "", by: "ou_owner", at: "" });
    const api = createFeishuApi({ appId: "cli_push", appSecret: fake.appSecret, domain: fake.url, sleep: async () => {} });
    const s = new ReminderScheduler({
      store: () => store,
      settings,
      sent,
      calendar: createCalendar(),
      roster: [],
      now: () => Date.parse("2021-01-29T09:31:00+08:00"),
      send: async (r) => void (await api.send({ chat_id: r.chatId }, { card: reminderCard(r) }, `rm-${r.key}`.slice(0, 50))),
      log: silentLogger(),
    });
    await s.tick();
    await s.tick();
    expect(fake.messages).toHaveLength(1);
    expect(fake.messages[0]).toMatchObject({ via: "send", receiveIdType: "chat_id", receiveId: "oc_group" });
    expect(String(fake.messages[0].uuid)).toMatch(/^rm-[0-9a-f]+$/);
    const card = text(fake.cards()[0]);
    expect(card).toContain("年报提醒：2020 年报 1月31日截止");
    expect(card).toContain("未发布单位");
  });
});

describe("npm start with Feishu credentials", () => {
  const base = (dir: string) => ({ FEISHU_APP_ID: APP_ID, FEISHU_APP_SECRET: fake.appSecret, FEISHU_DOMAIN: fake.url, DATA_DIR: dir });

  it("webhook mode: serves the routes over HTTP with the bot's own open_id and answers an event", async () => {
    const { startServer } = await import("../bot/server.ts");
    const loaded = loadConfig({ ...base(tmp()), FEISHU_VERIFICATION_TOKEN: TOKEN, FEISHU_ENCRYPT_KEY: ENCRYPT_KEY });
    if (!("config" in loaded)) throw new Error(loaded.errors.join());
    const server = await startServer({ ...loaded.config, PORT: 0 }, store, silentLogger(), { handleSignals: false }); // any free port
    try {
      expect(server.mode).toBe("webhook");
      const url = `http://127.0.0.1:${server.port}`;
      expect(await (await fetch(`${url}/healthz`)).json()).toMatchObject({ ok: true, mode: "webhook", reports: 5 });
      const ev = messageEvent({ chatType: "group", text: "@_user_1 西店镇 2019 依申请数", mentions: atBot });
      userSent(fake, ev);
      const res = await fetch(`${url}/feishu/events`, feishuRequest(ev, { encryptKey: ENCRYPT_KEY }));
      expect(res.status).toBe(200);
      await until(() => fake.messages.length > 0, "the reply");
      expect(text(fake.cards()[0])).toContain("## 21");
    } finally {
      await server.close();
    }
  });

  it("long-connection mode: no URL to open, events answered over the connection", async () => {
    const { startServer } = await import("../bot/server.ts");
    const loaded = loadConfig(base(tmp()));
    if (!("config" in loaded)) throw new Error(loaded.errors.join());
    const server = await startServer(loaded.config, store, silentLogger(), { handleSignals: false });
    try {
      expect(server).toMatchObject({ mode: "ws", port: null });
      await until(() => fake.connections === 1, "the long connection");
      await fake.pushEvent(userSent(fake, messageEvent({ text: "西店镇 2019 依申请数" })));
      await until(() => fake.messages.length > 0, "the reply");
      expect(text(fake.cards()[0])).toContain("## 21");
    } finally {
      await server.close();
    }
  });
});
