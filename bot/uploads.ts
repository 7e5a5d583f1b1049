/**
 * Reports sent to the bot as files: download, parse, answer with a check card. Admins can add
 * a checked report to the library (REPORTS_DIR); one that would replace an existing organ/year
 * needs a second confirmation, and the old file is kept.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, extname, join } from "node:path";
import { z } from "zod";
import type { ReportStore } from "../index/store.ts";
import { ACCEPTED_EXTENSIONS as ACCEPTED, isReport, MAX_FILE_BYTES, parseDocument, type Report } from "../parser/index.ts";
import { checkCard, errorCard } from "./cards.ts";
import type { FeishuApi } from "./feishu/api.ts";
import type { MessageEvent } from "./feishu/events.ts";

/** Checked files wait this long for 加入资料库, then are deleted. */
export const PENDING_DAYS = 7;
const fileContent = z.object({ file_key: z.string().min(1), file_name: z.string().min(1) });

export interface UploadDeps {
  api: FeishuApi;
  admins: string[];
  reportsDir: string;
  dataDir: string;
  store: () => ReportStore;
  /** Re-read REPORTS_DIR into the store (after a file is added). */
  reload: () => Promise<void>;
  now: () => Date;
  log: (l: string) => void;
}

/** File names come from users: keep letters, digits and CJK, nothing that walks directories. */
export function safeName(name: string): string {
  const ext = extname(name).toLowerCase();
  const stem = basename(name, extname(name)).replace(/[^\p{L}\p{N}_\-（）()]+/gu, "_").slice(0, 80) || "report";
  return `${stem}${ACCEPTED.has(ext) ? ext : ".txt"}`;
}

export function createUploads(deps: UploadDeps) {
  const pendingDir = join(deps.dataDir, "uploads");
  /** One folder per upload, named by its message id (made safe for the file system). */
  const uploadDir = (messageId: string) => join(pendingDir, messageId.replace(/[^\w-]/g, "_"));

  async function onFile(ev: MessageEvent, reply: (card: object) => Promise<void>) {
    const m = ev.message;
    const parsed = fileContent.safeParse((() => {
      try {
        return JSON.parse(m.content);
      } catch {
        return null;
      }
    })());
    if (!parsed.success) return reply(errorCard("无法识别这个文件消息", ["请重新发送 PDF、Word（.docx）、网页（.html）或文本（.txt）格式的年报"]));
    const { file_key, file_name } = parsed.data;
    const ext = extname(file_name).toLowerCase();
    if (!ACCEPTED.has(ext)) {
      return reply(errorCard(`不支持「${ext || "无扩展名"}」格式的文件`, ["请发送 PDF、Word（.docx）、网页（.html）或文本（.txt、.md）格式的年报"]));
    }
    let bytes: Buffer;
    try {
      bytes = await deps.api.download(m.message_id, file_key);
    } catch (e) {
      deps.log(`下载文件失败：${(e as Error).message}`);
      return reply(errorCard("文件下载失败", ["请稍后重新发送；文件不能超过 20 MB"]));
    }
    if (bytes.length > MAX_FILE_BYTES) return reply(errorCard("文件超过 20 MB", ["请压缩图片或只保留年报正文后再发送"]));
    const r = await parseDocument(bytes, { file: file_name });
    if (!isReport(r)) return reply(errorCard(`无法检查这个文件：${r.error}`, ["年报需包含三张统计表；扫描件请提供文字版"]));
    // Keep the file so an admin's 加入资料库 can add exactly what was checked.
    const dir = uploadDir(m.message_id);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, safeName(file_name)), bytes);
    prunePending();
    const canIngest = deps.admins.includes(ev.sender.sender_id.open_id ?? "");
    await reply(checkCard(r, { fileName: file_name, uploadId: m.message_id, canIngest }));
  }

  function prunePending() {
    const cutoff = deps.now().getTime() - PENDING_DAYS * 86400000;
    for (const d of readdirSync(pendingDir)) {
      const path = join(pendingDir, d);
      if (statSync(path).mtimeMs < cutoff) rmSync(path, { recursive: true, force: true });
    }
  }

  function pendingFile(uploadId: string): string | null {
    const dir = uploadDir(uploadId);
    if (!existsSync(dir)) return null;
    const f = readdirSync(dir)[0];
    return f ? join(dir, f) : null;
  }

  /** 加入资料库 / 确认替换. */
  async function onCardAction(value: Record<string, unknown>, operator: string): Promise<{ toast: string; card: object } | null> {
    if (value.cmd !== "ingest" || typeof value.upload !== "string") return null;
    const path = pendingFile(value.upload);
    if (!path) return { toast: "文件已过期，请重新发送", card: errorCard("找不到这次上传的文件", ["请重新发送年报文件"]) };
    const fileName = basename(path);
    const r = await parseDocument(readFileSync(path), { file: fileName });
    if (!isReport(r)) return { toast: "无法加入", card: errorCard(`无法加入资料库：${r.error}`, []) };
    if (!deps.admins.includes(operator)) {
      return { toast: "只有管理员可以加入资料库", card: checkCard(r, { fileName, uploadId: value.upload, canIngest: false }) };
    }
    const existing = sameReport(deps.store(), r);
    if (existing && value.confirm !== true) {
      const card = checkCard(r, { fileName, canIngest: false });
      (card.body as { elements: object[] }).elements.push(
        { tag: "markdown", content: `<font color='orange'>资料库里已有 ${existing.organ} ${existing.year} 年的年报（${basename(existing.file)}）。确认后用这份替换，旧文件会保留。</font>` },
        { tag: "button", type: "danger", text: { tag: "plain_text", content: "确认替换" }, behaviors: [{ type: "callback", value: { cmd: "ingest", upload: value.upload, confirm: true } }] },
      );
      return { toast: "已有同一单位同一年的年报，请确认是否替换", card };
    }
    const target = join(deps.reportsDir, "uploads", `${(r.organShort ?? r.organ ?? "report").replace(/[^\p{L}\p{N}]+/gu, "")}-${r.year}${extname(fileName)}`);
    mkdirSync(join(deps.reportsDir, "uploads"), { recursive: true });
    if (existing) keepOld(existing.file, deps.reportsDir, deps.now());
    if (existsSync(target) && (!existing || existing.file !== target)) keepOld(target, deps.reportsDir, deps.now());
    copyFileSync(path, target);
    await deps.reload();
    deps.log(`管理员 ${operator} 将 ${fileName} 加入资料库：${target}`);
    const card = checkCard(r, { fileName, canIngest: false });
    (card.body as { elements: object[] }).elements.push({ tag: "markdown", content: `<font color='green'>已加入资料库${existing ? "（已替换旧年报，旧文件已保留）" : ""}</font>` });
    return { toast: "已加入资料库", card };
  }

  return { onFile, onCardAction };
}

function sameReport(store: ReportStore, r: Report): Report | null {
  const organ = r.organ ? store.organOf(r) : undefined;
  return (organ && r.year && organ.reports.get(r.year)) || null;
}

/** The replaced file moves to REPORTS_DIR/.replaced/ (a dot folder: not read as a report). */
function keepOld(file: string, reportsDir: string, now: Date) {
  if (!existsSync(file)) return;
  const dir = join(reportsDir, ".replaced");
  mkdirSync(dir, { recursive: true });
  renameSync(file, join(dir, `${now.toISOString().replace(/[:.]/g, "-")}-${basename(file)}`));
}
