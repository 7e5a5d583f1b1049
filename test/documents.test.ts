import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../bot/app.ts";
import { SeenStore } from "../bot/dedupe.ts";
import { createFeishuApi } from "../bot/feishu/api.ts";
import { Library } from "../bot/library.ts";
import { ChatQueue } from "../bot/queue.ts";
import { createUploads, safeName } from "../bot/uploads.ts";
import { route } from "../commands/index.ts";
import { loadReports } from "../index/cache.ts";
import { ACCEPTED_EXTENSIONS, documentKind, isReport, MAX_FILE_BYTES, parseDocument, type Report } from "../parser/index.ts";
import { FakeFeishu } from "./fakes/feishu.ts";
import { cardActionEvent, feishuRequest, messageEvent, TOKEN } from "./helpers/events.ts";
import { tempDirs } from "./helpers/tmp.ts";
import { balancedCells, renderReport } from "./helpers/render.ts";

const FIX = join(import.meta.dirname, "fixtures");
const tmp = tempDirs("docs");

interface Gold {
  file: string;
  organ: string;
  organ_short: string;
  year: number;
  template: string;
  cells: Record<string, number>;
}

async function parsed(path: string): Promise<Report> {
  const r = await parseDocument(readFileSync(path), { file: path });
  if (!isReport(r)) throw new Error(`${path}: ${r.error}`);
  return r;
}

describe.each([
  ["word-processor PDFs", join(FIX, "docs")],
  ["real published PDFs", join(FIX, "pdf")],
])("%s: every labelled cell, organ and year", (_n, dir) => {
  const golds: Gold[] = JSON.parse(readFileSync(join(dir, "gold.json"), "utf8"));
  it.each(golds.map((g) => [g.file, g] as const))("%s", async (_f, g) => {
    const r = await parsed(join(dir, g.file));
    expect((r.organ ?? "").includes(g.organ_short) || r.organ === g.organ).toBe(true);
    expect(r.year).toBe(g.year);
    expect(r.template).toBe(g.template);
    for (const [id, want] of Object.entries(g.cells)) expect(r.cells[id], id).toBeCloseTo(want, 6);
  });
});

describe("PDF, Word and text of the same report agree", () => {
  it.each(["r202-000", "r202-003"])("%s.pdf and %s.docx give the same cells", async (name) => {
    const pdf = await parsed(join(FIX, "docs", `${name}.pdf`));
    const docx = await parsed(join(FIX, "docs", `${name}.docx`));
    expect(docx.cells).toEqual(pdf.cells);
    expect(docx.organ).toBe(pdf.organ);
    expect(docx.checks.map((c) => c.ok)).toEqual(pdf.checks.map((c) => c.ok));
  });
});

/** A one-page PDF with a drawing and no text layer, as a scanner makes (minus the image). */
function scannedPdf(): Buffer {
  const objs = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
  ];
  const stream = "0.5 g 50 50 495 742 re f";
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  objs.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  offsets.push(out.length);
  out += `4 0 obj\n<< /Length ${stream.length} >>\nstream\n${stream}\nendstream\nendobj\n`;
  const xref = out.length;
  out += `xref\n0 5\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  out += `trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, "latin1");
}

describe("one door into the parser, told what each document is", () => {
  const page = readFileSync(join(FIX, "classes", "word-export-bureau-2021.html"));
  it.each([
    ["a Word-exported page, known by its extension", page, { file: "bureau.htm" }],
    ["the same page saved as .txt, said to be HTML", page, { file: "bureau.txt", textKind: "html" as const }],
    ["a PDF whatever its name says", readFileSync(join(FIX, "docs", "r202-000.pdf")), { file: "report.html" }],
  ])("%s", async (_n, bytes, options) => {
    const r = await parseDocument(bytes, options);
    expect(isReport(r), JSON.stringify(r).slice(0, 200)).toBe(true);
    const rep = r as Report;
    expect(rep.file).toBe(options.file);
    expect(rep.checks.find((c) => c.id === "incomplete")!.ok).toBe(true);
  });

  it("accepts the file types the bot and REPORTS_DIR take, up to 20 MB", () => {
    expect([...ACCEPTED_EXTENSIONS].sort()).toEqual([".doc", ".docx", ".htm", ".html", ".md", ".pdf", ".txt"]);
    expect(MAX_FILE_BYTES).toBe(20 * 1024 * 1024);
  });
});

describe("documents that cannot be read get a clear answer", () => {
  it.each([
    ["a scan (PDF without a text layer)", () => scannedPdf(), "scan.pdf", /扫描件/],
    ["a damaged PDF", () => readFileSync(join(FIX, "docs", "r202-000.pdf")).subarray(0, 2000), "broken.pdf", /损坏/],
    ["an old .doc", () => Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]), "old.doc", /\.docx/],
    ["a damaged .docx", () => Buffer.from("PK\u0003\u0004not really a zip"), "x.docx", /Word 文件已损坏/],
  ])("%s", async (_n, make, file, msg) => {
    const r = await parseDocument(make(), { file });
    expect(isReport(r)).toBe(false);
    expect((r as { error: string }).error).toMatch(msg);
  });

  it("tells file kinds by their bytes", () => {
    expect(documentKind(scannedPdf(), "x.txt")).toBe("pdf");
    expect(documentKind(readFileSync(join(FIX, "docs", "r202-000.docx")), "r.docx")).toBe("docx");
    expect(documentKind(Buffer.from("李楼镇"), "r.txt")).toBe("text");
  });
});

describe("npm run parse on documents", () => {
  it("accepts .pdf and .docx and keeps going past a file that is not a report", () => {
    const bad = join(tmp(), "scan.pdf");
    writeFileSync(bad, scannedPdf());
    const out = execFileSync(
      process.execPath,
      ["--import", "tsx", join(import.meta.dirname, "..", "bot", "cli-parse.ts"), "--json", join(FIX, "docs", "r202-000.pdf"), bad, join(FIX, "docs", "r202-000.docx")],
      { encoding: "utf8" },
    );
    const arr = JSON.parse(out);
    expect(arr).toHaveLength(3);
    expect(arr[0].organ).toBe(arr[2].organ);
    expect(arr[1].error).toMatch(/扫描件/);
  });
});

describe("REPORTS_DIR while running", () => {
  it("picks up added, changed and removed files, with a log line per file", async () => {
    const root = tmp();
    const reportsDir = join(root, "reports");
    mkdirSync(reportsDir);
    writeFileSync(join(reportsDir, "a.txt"), renderReport({ organ: "李楼镇", year: 2024, cells: balancedCells(3) }));
    const opts = { reportsDir, dataDir: join(root, "data"), log: (l: string) => lines.push(l) };
    const lines: string[] = [];
    const lib = new Library((await loadReports(opts)).store, opts);
    const ask = () => route("李楼镇 2024 依申请数", { store: lib.store, now: new Date() }).answers[0]?.value;
    expect(ask()).toBe(3);
    copyFileSync(join(FIX, "docs", "r202-000.pdf"), join(reportsDir, "b.pdf"));
    writeFileSync(join(reportsDir, "a.txt"), renderReport({ organ: "李楼镇", year: 2024, cells: balancedCells(8) }));
    await lib.reload();
    expect(ask()).toBe(8);
    expect(lib.store.reports).toHaveLength(2);
    rmSync(join(reportsDir, "b.pdf"));
    await lib.reload();
    expect(lib.store.reports).toHaveLength(1);
    expect(lines.join("\n")).toMatch(/新增年报文件：b\.pdf[\s\S]*年报文件已更新：a\.txt[\s\S]*年报文件已移除：b\.pdf/);
  });
});

describe("a report uploaded in chat", () => {
  const fake = new FakeFeishu();
  beforeAll(async () => {
    await fake.start();
  });
  afterAll(async () => {
    await fake.stop();
  });

  async function setup() {
    const root = tmp();
    const reportsDir = join(root, "reports");
    mkdirSync(reportsDir);
    writeFileSync(join(reportsDir, "old.txt"), renderReport({ organ: "安平镇人民政府", year: 2019, cells: balancedCells(2, "2019"), template: "2019" }));
    const opts = { reportsDir, dataDir: join(root, "data"), log: () => {} };
    const lib = new Library((await loadReports(opts)).store, opts);
    const api = createFeishuApi({ appId: "cli_up", appSecret: "secret-xyz", domain: fake.url, sleep: async () => {} });
    const uploads = createUploads({ api, admins: ["ou_admin"], reportsDir, dataDir: opts.dataDir, store: () => lib.store, reload: () => lib.reload(), now: () => new Date(), log: () => {} });
    const queue = new ChatQueue(2, () => {});
    const app = createApp({
      verificationToken: TOKEN,
      admins: ["ou_admin"],
      store: () => lib.store,
      api,
      botOpenId: "ou_bot",
      now: () => new Date("2026-11-21T10:00:00+08:00"),
      seen: new SeenStore(null),
      queue,
      log: () => {},
      onFile: uploads.onFile,
      onCardAction: uploads.onCardAction,
    });
    return { app, queue, lib, reportsDir, dataDir: opts.dataDir };
  }

  const fileMessage = (sender: string, fileKey: string, name: string) => {
    const ev = messageEvent({ messageType: "file", content: JSON.stringify({ file_key: fileKey, file_name: name }) });
    ev.event.sender.sender_id.open_id = sender;
    return ev;
  };

  it("file message → download → check card → 加入资料库 by an admin → the answer changes", async () => {
    fake.files.set("fk_pdf", readFileSync(join(FIX, "docs", "r202-000.pdf")));
    const { app, queue, lib } = await setup();
    expect(route("安平镇 2020 依申请数", { store: lib.store, now: new Date() }).answers).toEqual([]);
    const ev = fileMessage("ou_admin", "fk_pdf", "安平镇2020年报.pdf");
    await app.request("/feishu/events", feishuRequest(ev));
    await queue.idle();
    expect(fake.calls.some((c) => c.path === `/open-apis/im/v1/messages/${ev.event.message.message_id}/resources/fk_pdf` && c.query.type === "file")).toBe(true);
    const card = JSON.stringify(fake.cards("reply").pop());
    expect(card).toContain("年报检查：安平镇人民政府 2020 年");
    expect(card).toContain("加入资料库");
    const res = await app.request("/feishu/card", feishuRequest(cardActionEvent({ cmd: "ingest", upload: ev.event.message.message_id }, "ou_admin")));
    const body = (await res.json()) as { toast: { content: string } };
    expect(body.toast.content).toBe("已加入资料库");
    expect(route("安平镇 2020 依申请数", { store: lib.store, now: new Date() }).answers[0].value).toBe(15);
  });

  it("anyone gets the check card with every failed check; only admins get the button and may add", async () => {
    const broken = renderReport({ organ: "西店镇", year: 2025, cells: { ...balancedCells(4), "applications.carried_forward.natural_person": 2, "applications.carried_forward.total": 2 } });
    fake.files.set("fk_txt", Buffer.from(broken));
    const { app, queue, lib } = await setup();
    const ev = fileMessage("ou_stranger", "fk_txt", "draft.txt");
    await app.request("/feishu/events", feishuRequest(ev));
    await queue.idle();
    const card = JSON.stringify(fake.cards("reply").pop());
    expect(card).toContain("校验未通过");
    expect(card).toMatch(/一\+二=三\(七\)\+四/);
    expect(card).not.toContain("加入资料库");
    const res = await app.request("/feishu/card", feishuRequest(cardActionEvent({ cmd: "ingest", upload: ev.event.message.message_id }, "ou_stranger")));
    expect(((await res.json()) as { toast: { content: string } }).toast.content).toMatch(/只有管理员/);
    expect(lib.store.organs.some((o) => o.short === "西店镇")).toBe(false);
  });

  it("replacing an organ's report for a year needs a second confirmation, and the old file is kept", async () => {
    const { app, queue, lib, reportsDir } = await setup();
    fake.files.set("fk_new", Buffer.from(renderReport({ organ: "安平镇人民政府", year: 2019, template: "2019", cells: balancedCells(9, "2019") })));
    const ev = fileMessage("ou_admin", "fk_new", "安平镇2019.txt");
    await app.request("/feishu/events", feishuRequest(ev));
    await queue.idle();
    const first = await app.request("/feishu/card", feishuRequest(cardActionEvent({ cmd: "ingest", upload: ev.event.message.message_id }, "ou_admin")));
    const b1 = (await first.json()) as { toast: { content: string }; card: { data: unknown } };
    expect(b1.toast.content).toMatch(/确认是否替换/);
    expect(JSON.stringify(b1.card.data)).toContain("确认替换");
    expect(route("安平镇 2019 依申请数", { store: lib.store, now: new Date() }).answers[0].value).toBe(2);
    const second = await app.request("/feishu/card", feishuRequest(cardActionEvent({ cmd: "ingest", upload: ev.event.message.message_id, confirm: true }, "ou_admin")));
    expect(((await second.json()) as { toast: { content: string } }).toast.content).toBe("已加入资料库");
    expect(route("安平镇 2019 依申请数", { store: lib.store, now: new Date() }).answers[0].value).toBe(9);
    expect(readdirSync(join(reportsDir, ".replaced")).some((f) => f.endsWith("old.txt"))).toBe(true);
  });

  it.each([
    ["an unsupported type", "fk_x", "photo.jpg", Buffer.from("x"), /不支持/],
    ["a scan", "fk_scan", "scan.pdf", scannedPdf(), /扫描件/],
    ["a file that is not a report", "fk_note", "note.txt", Buffer.from("下周二开会。"), /无法检查/],
  ])("%s gets a clear reply and nothing enters the library", async (_n, key, name, bytes, msg) => {
    fake.files.set(key, bytes);
    const { app, queue, lib } = await setup();
    await app.request("/feishu/events", feishuRequest(fileMessage("ou_admin", key, name)));
    await queue.idle();
    expect(JSON.stringify(fake.cards("reply").pop())).toMatch(msg);
    expect(lib.store.reports).toHaveLength(1);
  });

  it("checked files waiting for 加入资料库 are deleted after a week", async () => {
    fake.files.set("fk_week", Buffer.from(renderReport({ organ: "甲镇", year: 2024 })));
    const { app, queue, dataDir } = await setup();
    const stale = join(dataDir, "uploads", "om_old");
    mkdirSync(stale, { recursive: true });
    writeFileSync(join(stale, "old.txt"), "x");
    const longAgo = new Date(Date.now() - 8 * 86400000);
    utimesSync(stale, longAgo, longAgo);
    await app.request("/feishu/events", feishuRequest(fileMessage("ou_admin", "fk_week", "甲镇.txt")));
    await queue.idle();
    expect(readdirSync(join(dataDir, "uploads"))).not.toContain("om_old");
    expect(readdirSync(join(dataDir, "uploads"))).toHaveLength(1);
  });

  it("keeps uploaded file names safe", () => {
    expect(safeName("../../etc/passwd")).toBe("passwd.txt");
    expect(safeName("安平镇 2020 年报.PDF")).toBe("安平镇_2020_年报.pdf");
  });

});
