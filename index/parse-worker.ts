/**
 * A parse worker thread: one document in (bytes, file name, limits), one ParseResult out.
 * Limits checked before the document is read: a PDF's page count (by the parser, once the
 * document is open); a Word file's decompressed size and compression ratio, from its zip
 * directory. Any error — a PDF that overflows the
 * parser's stack, a broken zip — comes back as a clear `error`, never as a crash.
 * Time and memory are bounded from outside (index/parse-pool.ts terminates the thread).
 */
import { parentPort } from "node:worker_threads";
import yauzl from "yauzl";
import { documentKind, parseDocument } from "../parser/documents.ts";
import type { ParseResult } from "../parser/index.ts";
import type { ParseLimits } from "./parse-pool.ts";

export interface ParseRequest {
  id: number;
  bytes: Uint8Array;
  file: string;
  limits: ParseLimits;
}

const MB = 1024 * 1024;

// pdf.js prints warnings about odd files to the console: they are not our log (and would
// corrupt `parse --json` on stdout). What matters comes back in the result.
for (const k of ["log", "info", "warn", "error", "debug"] as const) console[k] = () => {};

/** Why a Word file is refused before it is unzipped, or null. Sizes are those the zip directory declares. */
export function docxSizeProblem(bytes: Uint8Array, limits: ParseLimits): Promise<string | null> {
  return new Promise((resolve) => {
    yauzl.fromBuffer(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return resolve("Word 文件已损坏或不是 .docx 格式，无法读取");
      let total = 0;
      let entries = 0;
      zip.on("entry", (e: yauzl.Entry) => {
        total += e.uncompressedSize;
        entries++;
        const ratio = e.uncompressedSize / Math.max(1, e.compressedSize);
        if (total > limits.maxUnzippedBytes) {
          zip.close();
          return resolve(`Word 文件解压后超过 ${limits.maxUnzippedBytes / MB} MB，未读取（可能是压缩炸弹；正常年报解压后只有几 MB）`);
        }
        if (e.uncompressedSize > MB && ratio > limits.maxZipRatio) {
          zip.close();
          return resolve(`Word 文件中「${e.fileName.slice(0, 60)}」的压缩比异常（约 ${Math.round(ratio)} 倍），未读取（可能是压缩炸弹）`);
        }
        if (entries > 10_000) {
          zip.close();
          return resolve("Word 文件包含的部件过多，未读取");
        }
        zip.readEntry();
      });
      zip.on("end", () => resolve(null));
      zip.on("error", () => resolve("Word 文件已损坏或不是 .docx 格式，无法读取"));
      zip.readEntry();
    });
  });
}

/** What the person is told when reading failed in a way the parser did not foresee. */
function unforeseen(kind: string, e: unknown): string {
  const what = kind === "pdf" ? "PDF" : kind === "docx" ? "Word 文件" : "文件";
  const why = e instanceof RangeError ? "结构嵌套过深" : "格式异常";
  return `${what}无法读取（${why}），请另存为新的 PDF 或 .docx 后再发送`;
}

export async function parseWithLimits(req: Omit<ParseRequest, "id">): Promise<ParseResult> {
  const { bytes, file, limits } = req;
  const kind = documentKind(bytes, file);
  try {
    const problem = kind === "docx" ? await docxSizeProblem(bytes, limits) : null;
    if (problem) return { file, error: problem };
    if (kind === "text" && bytes.length > limits.maxTextBytes) return { file, error: `文本超过 ${limits.maxTextBytes / MB} MB，未读取` };
    return await parseDocument(bytes, { file, maxPdfPages: limits.maxPdfPages });
  } catch (e) {
    return { file, error: unforeseen(kind, e) };
  }
}

parentPort?.on("message", async (req: ParseRequest) => {
  const result = await parseWithLimits(req);
  try {
    parentPort!.postMessage({ id: req.id, result });
  } catch {
    // A result that cannot be sent whole (it should not happen) is still an answer.
    parentPort!.postMessage({ id: req.id, result: { file: req.file, error: "解析结果无法传回，请联系管理员查看日志" } });
  }
});
parentPort?.postMessage({ ready: true });
