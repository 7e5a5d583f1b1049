/**
 * PDF and Word documents → the text the report parser reads. No file system: bytes in.
 *
 * PDF: pdf.js (through unpdf, no external binaries) gives each text run with its position;
 * runs are grouped into lines by their baseline and separated by tabs where there is a gap,
 * so a table row comes out as 「label⇥n⇥n⇥…」, with wrapped labels and floating group labels
 * on their own lines — the layouts the text parser already reads.
 * Word (.docx): mammoth turns it into HTML with real tables, read by the HTML path.
 */
import { FORMATS_TEXT } from "./formats.ts";
import type { SourceKind } from "./normalize.ts";
import { type ParseResult, parseReport } from "./report.ts";

export { ACCEPTED_EXTENSIONS, FORMATS_TEXT, MAX_FILE_BYTES } from "./formats.ts";

export type DocumentKind = "pdf" | "docx" | "doc" | "text";

export function documentKind(bytes: Uint8Array, fileName = ""): DocumentKind {
  if (bytes[0] === 0x25 && bytes[1] === 0x50 && bytes[2] === 0x44 && bytes[3] === 0x46) return "pdf"; // %PDF
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) return "doc"; // OLE: Word 97-2003
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && /\.docx$/i.test(fileName)) return "docx"; // zip
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04 && !/\.(txt|md|html?)$/i.test(fileName)) return "docx";
  return "text";
}

interface Run {
  str: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Lines of one page from positioned runs (top to bottom, left to right, tabs at gaps). */
function pageLines(runs: Run[]): string[] {
  const sorted = runs.filter((r) => r.str.trim() !== "").sort((a, b) => b.y - a.y || a.x - b.x);
  const lines: Run[][] = [];
  for (const r of sorted) {
    const line = lines[lines.length - 1];
    // Same line when baselines are within a third of the text height.
    if (line && Math.abs(line[0].y - r.y) <= Math.max(2, 0.35 * Math.max(r.h, line[0].h))) line.push(r);
    else lines.push([r]);
  }
  return lines.map((line) => {
    line.sort((a, b) => a.x - b.x);
    let out = "";
    let end = -Infinity;
    for (const r of line) {
      const gap = r.x - end;
      if (out && gap > Math.max(1.5, 0.25 * r.h)) out += "\t";
      out += r.str;
      end = r.x + r.w;
    }
    return out;
  });
}

export class DocumentError extends Error {}

/**
 * The text of a PDF. Refused before reading when it has more than `maxPages` pages; any error
 * of pdf.js on the way (a page that nests past the stack, a broken stream) is a DocumentError
 * that says which page, never an exception the caller did not expect.
 */
export async function pdfText(bytes: Uint8Array, opts: { maxPages?: number } = {}): Promise<string> {
  let pdf;
  try {
    // verbosity 0: pdf.js's own warnings (「Indexing all PDF objects」) are not ours to print.
    // Loaded on first use: a bot whose reports are all cached never needs pdf.js in memory.
    const { getDocumentProxy } = await import("unpdf");
    pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
  } catch (e) {
    const name = (e as { name?: string }).name ?? "";
    if (name === "PasswordException") throw new DocumentError("PDF 设有密码，无法读取；请提供没有密码的文件");
    throw new DocumentError("PDF 文件已损坏或不完整，无法读取");
  }
  if (opts.maxPages !== undefined && pdf.numPages > opts.maxPages) {
    await pdf.destroy?.();
    throw new DocumentError(`PDF 有 ${pdf.numPages} 页，超过 ${opts.maxPages} 页的上限，未读取（年报通常不到 50 页）`);
  }
  const pages: string[] = [];
  let chars = 0;
  for (let p = 1; p <= pdf.numPages; p++) {
    let content;
    try {
      content = await (await pdf.getPage(p)).getTextContent();
    } catch (e) {
      await pdf.destroy?.();
      const why = e instanceof RangeError ? "结构嵌套过深" : "格式异常";
      throw new DocumentError(`PDF 第 ${p} 页无法读取（${why}），请另存为新的 PDF 或 Word 文件后再发送`);
    }
    const runs: Run[] = [];
    for (const item of content.items as { str?: string; transform?: number[]; width?: number; height?: number }[]) {
      if (typeof item.str !== "string" || !item.transform) continue;
      chars += item.str.replace(/\s/g, "").length;
      runs.push({ str: item.str, x: item.transform[4], y: item.transform[5], w: item.width ?? 0, h: item.height || Math.abs(item.transform[3]) || 10 });
    }
    pages.push(pageLines(runs).join("\n"));
  }
  await pdf.cleanup?.();
  if (chars < 20 * Math.max(1, pdf.numPages) && chars < 200) {
    throw new DocumentError("这是扫描件（PDF 没有文字层），无法读取表格；请提供可复制文字的 PDF 或 Word 文件");
  }
  return pages.join("\n");
}

export async function docxHtml(bytes: Uint8Array): Promise<string> {
  try {
    const { default: mammoth } = await import("mammoth");
    const { value } = await mammoth.convertToHtml({ buffer: Buffer.from(bytes) });
    return value;
  } catch {
    throw new DocumentError("Word 文件已损坏或不是 .docx 格式，无法读取");
  }
}

export interface DocumentOptions {
  /** File name, as given in the output; its extension helps tell the kind. */
  file?: string;
  /** The document's kind when the caller knows it; otherwise told from the bytes and the name. */
  kind?: DocumentKind;
  /** For text files: plain text, Markdown or HTML, when the caller knows it. */
  textKind?: SourceKind;
  /** PDFs with more pages are refused before their text is read. */
  maxPdfPages?: number;
}

/** Any supported document → ParseResult; documents that cannot be read get an `error`. */
export async function parseDocument(bytes: Uint8Array, options: DocumentOptions = {}): Promise<ParseResult> {
  const file = options.file ?? "";
  const kind = options.kind ?? documentKind(bytes, file);
  try {
    if (kind === "doc") return { file, error: "这是旧版 Word（.doc）文件，请另存为 .docx 或 PDF 后再发送" };
    // Named .pdf/.docx but not one inside: say so, rather than reading it as text.
    const named = /\.(pdf|docx)$/i.exec(file)?.[1]?.toLowerCase();
    if (kind === "text" && named) return { file, error: `文件名是 .${named}，但内容不是 ${named === "pdf" ? "PDF" : "Word（.docx）"}（可能已损坏或改过扩展名）；可以读取 ${FORMATS_TEXT}格式的年报` };
    // PDF text comes out as lines with tabs at column gaps; Word comes out as HTML with real tables.
    if (kind === "pdf") return parseReport(await pdfText(bytes, { maxPages: options.maxPdfPages }), { file, kind: "text" });
    if (kind === "docx") return parseReport(await docxHtml(bytes), { file, kind: "html" });
    return parseReport(bytes, { file, kind: options.textKind });
  } catch (e) {
    if (e instanceof DocumentError) return { file, error: e.message };
    throw e;
  }
}
