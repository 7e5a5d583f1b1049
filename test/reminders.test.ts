import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCalendar, ReminderScheduler, ReminderSettings } from "../bot/reminders.ts";
import { createCalendar, workdayOnOrBefore } from "../commands/calendar.ts";
import { route } from "../commands/index.ts";
import { type Reminder, remindersBetween } from "../commands/reminders.ts";
import { ReportStore } from "../index/store.ts";
import { isReport, parseReport } from "../parser/index.ts";
import { tempDirs } from "./helpers/tmp.ts";
import { balancedCells, renderReport, type ReportSpec } from "./helpers/render.ts";

const tmp = tempDirs("remind");

const SPECS: ReportSpec[] = [
  { organ: "宁海县李楼镇人民政府", year: 2024, cells: balancedCells(3) },
  { organ: "宁海县李楼镇人民政府", year: 2025, cells: balancedCells(4) },
  { organ: "宁海县西店镇人民政府", year: 2024, cells: balancedCells(5) },
  { organ: "宁海县民政局", year: 2024, cells: balancedCells(6) },
  { organ: "宁海县民政局", year: 2025, cells: balancedCells(7), claim: 9 },
  { organ: "象山县丹城街道办事处", year: 2024, cells: balancedCells(1) },
  { organ: "宁海县人民政府", year: 2024, cells: balancedCells(20) },
];
const store = new ReportStore(SPECS.map((s, i) => parseReport(renderReport(s), { file: `${i}.txt` })).filter(isReport));
const calendar = createCalendar();
const all = [{ chatId: "oc_all", scope: "", by: "ou_admin", at: "" }];
const at = (iso: string) => Date.parse(iso);

describe("calendar", () => {
  it.each([
    ["2026-01-31", "2026-01-30", "a Saturday moves to Friday"],
    ["2026-01-01", "2025-12-31", "元旦 moves to the last working day of the year"],
    ["2026-02-23", "2026-02-14", "the Spring Festival break falls back to the 调休 working Saturday"],
    ["2026-02-14", "2026-02-14", "a 调休 Saturday is a working day"],
    ["2026-03-31", "2026-03-31", "a Tuesday stays"],
  ])("%s → %s (%s)", (date, want) => {
    expect(workdayOnOrBefore(calendar, date)).toBe(want);
  });

  it("a year without an official arrangement yet uses weekends and statutory holidays, and says so", () => {
    expect(calendar.official(2026)).toBe(true);
    expect(calendar.official(2027)).toBe(false);
    expect(calendar.isWorkday("2027-02-08")).toBe(false); // 春节 初三
    expect(workdayOnOrBefore(calendar, "2027-01-31")).toBe("2027-01-29");
  });

  it("DATA_DIR/holidays.json adds a newly announced year", () => {
    const dir = tmp();
    writeFileSync(join(dir, "holidays.json"), JSON.stringify({ 2027: { holidays: ["2027-01-29"], workdays: ["2027-01-30"] } }));
    const c = loadCalendar(dir);
    expect(c.official(2027)).toBe(true);
    expect(workdayOnOrBefore(c, "2027-01-31")).toBe("2027-01-30");
  });
});

describe("which reminders, when, saying what", () => {
  const jan = remindersBetween({ store, subscriptions: all, locals: [], calendar, fromMs: at("2025-12-01T00:00:00+08:00"), toMs: at("2026-02-28T00:00:00+08:00") });

  it("30, 14, 7, 3, 1 days before 1月31日 and on the day, at 09:30 Beijing time, moved off weekends and holidays", () => {
    expect(jan.map((r) => r.at)).toEqual([
      "2025-12-31T09:30:00+08:00", // 1 Jan is 元旦
      "2026-01-16T09:30:00+08:00", // 17 Jan is a Saturday
      "2026-01-23T09:30:00+08:00", // 24 Jan is a Saturday
      "2026-01-28T09:30:00+08:00",
      "2026-01-30T09:30:00+08:00", // 30 Jan, and 31 Jan (a Saturday) moved onto it: one reminder
    ]);
    expect(new Date(jan[0].atMs).toISOString()).toBe("2025-12-31T01:30:00.000Z");
  });

  it("names who has published and who has not, and the failed checks of those published", () => {
    const r = jan[0];
    expect(r).toMatchObject({ deadline: "2026-01-31", reportYear: 2025, daysLeft: 31 });
    expect(r.published.sort()).toEqual(["宁海县李楼镇人民政府", "宁海县民政局"]);
    expect(r.missing.sort()).toEqual(["宁海县西店镇人民政府", "象山县丹城街道办事处"]);
    expect(r.problems[0].organ).toBe("宁海县民政局");
    expect(r.text).toMatch(/未发布：.*西店镇/);
    expect(r.missing).not.toContain("宁海县人民政府");
  });

  it("county governments are reminded for 3月31日", () => {
    const mar = remindersBetween({ store, subscriptions: all, locals: [], calendar, fromMs: at("2026-02-28T00:00:00+08:00"), toMs: at("2026-04-01T00:00:00+08:00") });
    // 30 days before is Sunday 1 March: the previous working day is Saturday 28 February, a 调休 working day.
    expect(mar.map((r) => r.at.slice(0, 10))).toEqual(["2026-02-28", "2026-03-17", "2026-03-24", "2026-03-27", "2026-03-30", "2026-03-31"]);
    expect(mar.every((r) => r.deadline === "2026-03-31" && r.missing.join() === "宁海县人民政府")).toBe(true);
  });

  it("a subscription's scope limits the organs; a local deadline adds its own reminders", () => {
    const sub = [{ chatId: "oc_ninghai", scope: "宁海县", by: "x", at: "" }];
    const locals = [{ date: "2026-01-20", scope: "宁海县", label: "县政务公开办通知" }];
    const rs = remindersBetween({ store, subscriptions: sub, locals, calendar, fromMs: at("2026-01-01T00:00:00+08:00"), toMs: at("2026-01-31T23:59:00+08:00") });
    expect(rs.every((r) => !r.missing.includes("象山县丹城街道办事处"))).toBe(true);
    const local = rs.filter((r) => r.deadline === "2026-01-20");
    expect(local.map((r) => r.at.slice(0, 10))).toEqual(["2026-01-06", "2026-01-13", "2026-01-16", "2026-01-19", "2026-01-20"]);
    expect(local[0].deadlineLabel).toBe("县政务公开办通知");
  });

  it("a roster adds organs expected to publish", () => {
    const rs = remindersBetween({ store, subscriptions: all, locals: [], calendar, roster: ["宁海县桥头胡街道"], fromMs: at("2026-01-30T00:00:00+08:00"), toMs: at("2026-01-30T23:00:00+08:00") });
    expect(rs[0].missing).toContain("宁海县桥头胡街道");
  });
});

describe("the scheduler over a whole January (fake clock)", () => {
  function harness(dir: string, clock: { t: number }, failFirst = 0) {
    const sent: { chatId: string; at: string; sentAt: string; key: string }[] = [];
    let failures = failFirst;
    const settings = new ReminderSettings(dir);
    const scheduler = new ReminderScheduler({
      store: () => store,
      settings,
      calendar,
      roster: [],
      now: () => clock.t,
      send: async (r: Reminder) => {
        if (failures-- > 0) throw new Error("飞书接口 im.message.create 失败：HTTP 503");
        sent.push({ chatId: r.chatId, at: r.at, sentAt: new Date(clock.t).toISOString(), key: r.key });
      },
      statePath: join(dir, "reminders-sent.json"),
      log: () => {},
    });
    return { sent, settings, scheduler };
  }

  async function walk(h: ReturnType<typeof harness>, clock: { t: number }, from: string, to: string, stepMin = 30) {
    for (clock.t = at(from); clock.t <= at(to); clock.t += stepMin * 60000) await h.scheduler.tick();
  }

  it("sends each reminder once, at its time, to each subscribed chat", async () => {
    const dir = tmp();
    const clock = { t: 0 };
    const h = harness(dir, clock);
    h.settings.subscribe({ chatId: "oc_a", scope: "", by: "ou_admin", at: "" });
    h.settings.subscribe({ chatId: "oc_b", scope: "象山县", by: "ou_admin", at: "" });
    await walk(h, clock, "2025-12-30T00:00:00+08:00", "2026-02-02T00:00:00+08:00");
    const a = h.sent.filter((s) => s.chatId === "oc_a").map((s) => s.sentAt);
    expect(a).toEqual(["2025-12-31T01:30:00.000Z", "2026-01-16T01:30:00.000Z", "2026-01-23T01:30:00.000Z", "2026-01-28T01:30:00.000Z", "2026-01-30T01:30:00.000Z"]);
    expect(h.sent.filter((s) => s.chatId === "oc_b")).toHaveLength(5);
    expect(new Set(h.sent.map((s) => s.key)).size).toBe(h.sent.length);
  });

  it("after a restart: a reminder missed earlier the same day is sent, older ones are not, none twice", async () => {
    const dir = tmp();
    const clock = { t: 0 };
    const first = harness(dir, clock);
    first.settings.subscribe({ chatId: "oc_a", scope: "", by: "ou_admin", at: "" });
    await walk(first, clock, "2026-01-15T00:00:00+08:00", "2026-01-16T10:00:00+08:00");
    expect(first.sent.map((s) => s.at)).toEqual(["2026-01-16T09:30:00+08:00"]);
    // Down from 16 Jan 10:00 until 28 Jan 15:00: the 23 Jan reminder is lost, the 28 Jan one is late but same-day.
    const second = harness(dir, clock);
    await walk(second, clock, "2026-01-28T15:00:00+08:00", "2026-02-01T00:00:00+08:00");
    expect(second.sent.map((s) => [s.at, s.sentAt])).toEqual([
      ["2026-01-28T09:30:00+08:00", "2026-01-28T07:00:00.000Z"],
      ["2026-01-30T09:30:00+08:00", "2026-01-30T01:30:00.000Z"],
    ]);
    // Restarting again the same day sends nothing twice.
    const third = harness(dir, clock);
    clock.t = at("2026-01-30T16:00:00+08:00");
    await third.scheduler.tick();
    expect(third.sent).toEqual([]);
  });

  it("a failed send is retried on the next tick and sent once", async () => {
    const dir = tmp();
    const clock = { t: 0 };
    const h = harness(dir, clock, 2);
    h.settings.subscribe({ chatId: "oc_a", scope: "", by: "ou_admin", at: "" });
    await walk(h, clock, "2026-01-28T09:00:00+08:00", "2026-01-28T12:00:00+08:00");
    expect(h.sent.map((s) => s.sentAt)).toEqual(["2026-01-28T02:30:00.000Z"]);
  });

  it("walks a whole March for the county government", async () => {
    const dir = tmp();
    const clock = { t: 0 };
    const h = harness(dir, clock);
    h.settings.subscribe({ chatId: "oc_gov", scope: "", by: "ou_admin", at: "" });
    await walk(h, clock, "2026-02-27T00:00:00+08:00", "2026-04-01T00:00:00+08:00", 60);
    expect(h.sent.map((s) => s.at.slice(0, 10))).toEqual(["2026-02-28", "2026-03-17", "2026-03-24", "2026-03-27", "2026-03-30", "2026-03-31"]);
  });
});

describe("reminder commands", () => {
  const ctx = (chat: { isAdmin?: boolean; isOwner?: boolean } | null, dir: string) => ({
    store,
    now: new Date("2026-01-10T10:00:00+08:00"),
    chat: chat ? { chatId: "oc_x", chatType: "group" as const, openId: "ou_x", isAdmin: false, isOwner: false, ...chat } : undefined,
    reminders: { settings: new ReminderSettings(dir), calendar, roster: [] },
  });

  it("only the group owner or an admin may subscribe; anyone may list", () => {
    const dir = tmp();
    expect(route("/订阅提醒 宁海县", ctx({}, dir)).text).toMatch(/只有群主或管理员/);
    const ok = route("/订阅提醒 宁海县", ctx({ isOwner: true }, dir));
    expect(ok.title).toMatch(/已订阅.*宁海县/);
    expect(ok.table!.rows[0][0]).toBe("2026-01-16 09:30");
    expect(route("/提醒", ctx({}, dir)).title).toMatch(/本群订阅了 1 项/);
    expect(route("/取消提醒", ctx({ isAdmin: true }, dir)).title).toMatch(/已取消/);
  });

  it("local deadlines are for admins only", () => {
    const dir = tmp();
    expect(route("/设置截止 2026-01-20 宁海县 县通知", ctx({ isOwner: true }, dir)).text).toMatch(/只有管理员/);
    expect(route("/设置截止 2026-13-40 宁海县", ctx({ isAdmin: true }, dir)).text).toMatch(/日期/);
    expect(route("/设置截止 2026-01-20 宁海县 县通知", ctx({ isAdmin: true }, dir)).title).toMatch(/已添加/);
    expect(new ReminderSettings(dir).deadlines).toEqual([{ date: "2026-01-20", scope: "宁海县", label: "县通知" }]);
  });

  it("outside a chat (console) the subscription commands say where they work", () => {
    expect(route("/订阅提醒", { store, now: new Date() }).text).toMatch(/需要在飞书群聊/);
  });
});

describe("npm run remind", () => {
  const dir = tmp();
  const reports = join(dir, "reports");
  mkdirSync(reports);
  SPECS.forEach((s, i) => writeFileSync(join(reports, `${i}.txt`), renderReport(s)));
  const run = (...args: string[]) =>
    execFileSync(process.execPath, ["--import", "tsx", join(import.meta.dirname, "..", "bot", "cli-remind.ts"), "--reports", reports, "--data", join(dir, "data"), ...args], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });

  it("prints every reminder of a window as JSON, as if one chat subscribed to everything", () => {
    const out = JSON.parse(run("--from", "2025-12-01T00:00:00+08:00", "--to", "2026-04-01T00:00:00+08:00", "--json"));
    expect(out).toHaveLength(11);
    expect(out[0]).toMatchObject({ at: "2025-12-31T09:30:00+08:00", deadline: "2026-01-31", reportYear: 2025 });
    expect(out[0].missing.sort()).toEqual(["宁海县西店镇人民政府", "象山县丹城街道办事处"]);
    expect(typeof out[0].text).toBe("string");
  });

  it("--now prints the ones due at that moment", () => {
    expect(JSON.parse(run("--now", "2026-01-28T10:00:00+08:00", "--json")).map((r: { at: string }) => r.at)).toEqual(["2026-01-28T09:30:00+08:00"]);
    expect(JSON.parse(run("--now", "2026-01-28T09:00:00+08:00", "--json"))).toEqual([]);
  });
});
