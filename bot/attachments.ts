/**
 * Files that answers come with (the /导出 workbook), built from the library: the console
 * writes them to a folder, the Feishu transport uploads and sends them.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Attachment } from "../commands/answer.ts";
import { exportInput } from "../export/summary.ts";
import type { ExportFile } from "../export/xlsx.ts";
import type { ReportStore } from "../index/store.ts";

export async function attachmentFiles(store: ReportStore, a: Attachment): Promise<ExportFile[]> {
  // exceljs is loaded on the first export: ~30 MB a bot that never exports need not carry.
  const { exportWorkbooks } = await import("../export/xlsx.ts");
  return exportWorkbooks(exportInput(store.organs, a.year, a.areas));
}

/** Write an answer's files into a folder; the lines say where. */
export async function saveAttachment(store: ReportStore, a: Attachment, dir: string): Promise<string[]> {
  const files = await attachmentFiles(store, a);
  mkdirSync(dir, { recursive: true });
  return files.map((f) => {
    const path = join(dir, f.fileName);
    writeFileSync(path, f.bytes);
    return `已写入 ${path}（${f.reports} 份年报${f.unpublished ? `，${f.unpublished} 个单位未发布` : ""}，${Math.ceil(f.bytes.length / 1024)} KB）`;
  });
}
