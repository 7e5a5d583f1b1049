/**
 * Writes a workbook model (export/summary.ts) as .xlsx with exceljs's streaming writer: each
 * row is committed as soon as it is written, so memory stays flat however many organs an
 * area has. Also the one place that knows Feishu's file limit and splits an export by region.
 */
import { PassThrough, type Writable } from "node:stream";
import ExcelJS from "exceljs";
import {
  type Block,
  buildWorkbook,
  type Cell,
  type Column,
  displayWidth,
  exportFileName,
  type ExportInput,
  type SheetModel,
  splitByRegion,
  TOTAL_LABEL,
  totalNote,
  type WorkbookModel,
} from "./summary.ts";

/** Feishu's upload limit for im.v1.file.create (30 MB). */
export const FEISHU_FILE_LIMIT = 30 * 1024 * 1024;

// One style object per look: exceljs caches a style by object identity, and a fresh object per
// cell costs a style lookup each (over twice the time for 10,000 organs).
type Style = Partial<ExcelJS.Style>;
const solid = (argb: string): ExcelJS.Fill => ({ type: "pattern", pattern: "solid", fgColor: { argb } });
const thin: Partial<ExcelJS.Border> = { style: "thin", color: { argb: "FFBFBFBF" } };
const STYLES = {
  plain: {} as Style,
  date: { numFmt: "yyyy-mm-dd" } as Style,
  failed: { fill: solid("FFFFC7CE"), font: { color: { argb: "FF9C0006" } } } as Style,
  failedDate: { fill: solid("FFFFC7CE"), font: { color: { argb: "FF9C0006" } }, numFmt: "yyyy-mm-dd" } as Style,
  absent: { fill: solid("FFEDEDED") } as Style,
  // An empty cell needs a style of its own to be written at all, and so to carry its note.
  missing: { fill: solid("FFFFF2CC") } as Style,
  header: {
    font: { bold: true },
    fill: solid("FFDDEBF7"),
    alignment: { horizontal: "center", vertical: "middle", wrapText: true },
    border: { top: thin, left: thin, bottom: thin, right: thin },
  } as Style,
  caption: { font: { bold: true } } as Style,
  total: { font: { bold: true }, fill: solid("FFF2F2F2") } as Style,
  wrap: { alignment: { vertical: "top", wrapText: true } } as Style,
};

/** Points per wrapped header line. */
const LINE_HEIGHT = 15;

interface HeaderCell {
  text: string;
  /** 1-based column */
  col: number;
  /** Header row (0 or 1) and span. */
  row: number;
  rows: number;
  cols: number;
}

/** Two header rows when any column has a group (groups merged across, ungrouped labels merged down), else one. */
export function headerLayout(columns: Column[]): { rows: number; cells: HeaderCell[] } {
  const grouped = columns.some((c) => c.group);
  const cells: HeaderCell[] = [];
  for (let i = 0; i < columns.length; i++) {
    const c = columns[i];
    if (!grouped) cells.push({ text: c.label, col: i + 1, row: 0, rows: 1, cols: 1 });
    else if (!c.group) cells.push({ text: c.label, col: i + 1, row: 0, rows: 2, cols: 1 });
    else {
      if (i === 0 || columns[i - 1].group !== c.group) {
        let span = 1;
        while (i + span < columns.length && columns[i + span].group === c.group) span++;
        cells.push({ text: c.group, col: i + 1, row: 0, rows: 1, cols: span });
      }
      cells.push({ text: c.label, col: i + 1, row: 1, rows: 1, cols: 1 });
    }
  }
  return { rows: grouped ? 2 : 1, cells };
}

/** Row heights that show every wrapped header label whole. */
function headerHeights(layout: ReturnType<typeof headerLayout>, widths: number[]): number[] {
  const lines = Array.from({ length: layout.rows }, () => 1);
  for (const h of layout.cells) {
    const width = widths.slice(h.col - 1, h.col - 1 + h.cols).reduce((a, b) => a + b, 0) - 1;
    const need = Math.ceil(displayWidth(h.text) / Math.max(1, width));
    // A label merged down over both rows has both rows' height.
    const per = Math.ceil(need / h.rows);
    for (let r = h.row; r < h.row + h.rows; r++) lines[r] = Math.max(lines[r], per);
  }
  return lines.map((n) => n * LINE_HEIGHT + 3);
}

const excelDate = (iso: string): Date | null => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
};

function cellValue(c: Cell, column: Column): ExcelJS.CellValue {
  if (c.value === null) return null;
  if (column.kind === "date" && typeof c.value === "string") return excelDate(c.value) ?? c.value;
  return c.value;
}

function cellStyle(c: Cell, column: Column): Style {
  const date = column.kind === "date" && c.value !== null;
  if (c.mark === "failed") return date ? STYLES.failedDate : STYLES.failed;
  if (c.mark === "absent") return STYLES.absent;
  if (c.value === null && c.note) return STYLES.missing;
  if (date) return STYLES.date;
  if (column.kind === "text" && column.width >= 30) return STYLES.wrap;
  return STYLES.plain;
}

const columnLetter = (n: number): string => {
  let s = "";
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
};

function writeBlock(ws: ExcelJS.Worksheet, block: Block, widths: number[]): void {
  if (block.caption) {
    const row = ws.addRow([block.caption]);
    row.getCell(1).style = STYLES.caption;
    row.commit();
  }
  const layout = headerLayout(block.columns);
  const heights = headerHeights(layout, widths);
  const first = ws.addRow([]).number;
  const headerRows = [ws.getRow(first)];
  for (let r = 1; r < layout.rows; r++) headerRows.push(ws.addRow([]));
  for (const h of layout.cells) {
    for (let r = h.row; r < h.row + h.rows; r++) {
      for (let c = h.col; c < h.col + h.cols; c++) {
        const cell = headerRows[r].getCell(c);
        cell.style = STYLES.header;
        if (r === h.row && c === h.col) cell.value = h.text;
      }
    }
  }
  // Merges before the header rows are committed: the streaming writer cannot touch a committed row.
  for (const h of layout.cells) {
    if (h.rows > 1 || h.cols > 1) ws.mergeCells(first + h.row, h.col, first + h.row + h.rows - 1, h.col + h.cols - 1);
  }
  headerRows.forEach((row, i) => {
    row.height = heights[i];
    row.commit();
  });

  const n = block.columns.length;
  const sums = new Array<number>(n).fill(0);
  const missing = new Array<number>(n).fill(0);
  let firstData = 0;
  let lastData = 0;
  for (const cells of block.rows()) {
    const row = ws.addRow(cells.map((c, i) => cellValue(c, block.columns[i])));
    lastData = row.number;
    firstData ||= row.number;
    for (let i = 0; i < n; i++) {
      const c = cells[i];
      const column = block.columns[i];
      const cell = row.getCell(i + 1);
      cell.style = cellStyle(c, column);
      if (c.note) cell.note = c.note;
      if (column.total) {
        if (typeof c.value === "number") sums[i] += c.value;
        else if (c.mark !== "absent") missing[i]++;
      }
    }
    row.commit();
  }
  if (!block.total || !firstData) return;
  const total = ws.addRow([]);
  for (let i = 0; i < n; i++) {
    const cell = total.getCell(i + 1);
    cell.style = STYLES.total;
    const column = block.columns[i];
    if (i === 0) cell.value = TOTAL_LABEL;
    else if (i === 1) cell.value = `${lastData - firstData + 1} 个单位`;
    else if (column.total) {
      const letter = columnLetter(i + 1);
      // A formula, so the total follows when someone corrects a number; with its result, so
      // readers that do not calculate still show it.
      cell.value = { formula: `SUM(${letter}${firstData}:${letter}${lastData})`, result: sums[i] };
      if (missing[i]) cell.note = totalNote(missing[i]);
    }
  }
  total.commit();
}

function writeSheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, sheet: SheetModel): void {
  const first = sheet.blocks[0];
  const frozenRows = (first.caption ? 1 : 0) + headerLayout(first.columns).rows;
  const ws = wb.addWorksheet(sheet.name, { views: [{ state: "frozen", xSplit: sheet.freezeColumns, ySplit: frozenRows }] });
  const count = Math.max(...sheet.blocks.map((b) => b.columns.length));
  const widths = Array.from({ length: count }, (_, i) => Math.max(...sheet.blocks.map((b) => b.columns[i]?.width ?? 0)));
  ws.columns = widths.map((width) => ({ width }));
  sheet.blocks.forEach((block, i) => {
    if (i > 0) ws.addRow([]).commit();
    writeBlock(ws, block, widths);
  });
  ws.commit();
}

/** Streams the workbook into `out` (a file, an HTTP body, a buffer); resolves when it is complete. */
export async function writeWorkbook(book: WorkbookModel, out: Writable): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: true });
  wb.creator = "年报助手";
  for (const sheet of book.sheets) writeSheet(wb, sheet);
  await wb.commit();
}

/** The workbook as bytes (what an upload takes). */
export async function workbookBuffer(book: WorkbookModel): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    out.on("end", resolve);
    out.on("error", reject);
  });
  await writeWorkbook(book, out);
  await ended;
  return Buffer.concat(chunks);
}

export interface ExportFile {
  fileName: string;
  bytes: Buffer;
  /** Organs with this year's report in the file, and organs in its 未发布 sheet. */
  reports: number;
  unpublished: number;
}

/**
 * The export as files of at most `maxBytes` each (Feishu's 30 MB by default): one workbook when
 * it fits, else one per region (a region still too large is halved: 「…（第1部分）」, 「…（第2部分）」).
 * Only a single organ's workbook could remain over the limit; the caller checks `bytes.length`.
 */
export async function exportWorkbooks(input: ExportInput, opts: { maxBytes?: number } = {}): Promise<ExportFile[]> {
  const maxBytes = opts.maxBytes ?? FEISHU_FILE_LIMIT;
  const fitting = async (part: ExportInput): Promise<{ part: ExportInput; bytes: Buffer; counts: WorkbookModel["counts"] }[]> => {
    const book = buildWorkbook(part);
    const bytes = await workbookBuffer(book);
    if (bytes.length <= maxBytes || part.organs.length <= 1) return [{ part, bytes, counts: book.counts }];
    const regions = splitByRegion(part);
    const half = Math.ceil(part.organs.length / 2);
    const pieces = regions.length > 1 ? regions : [part.organs.slice(0, half), part.organs.slice(half)].map((organs) => ({ ...part, organs }));
    const out = [];
    // One at a time: two workbooks in flight would double the memory.
    for (const piece of pieces) out.push(...(await fitting(piece)));
    return out;
  };
  const files = await fitting(input);
  const areaKey = (p: ExportInput) => p.areas.join("、");
  return files.map(({ part, bytes, counts }) => {
    const same = files.filter((f) => areaKey(f.part) === areaKey(part));
    const partNo = same.length > 1 ? same.findIndex((f) => f.part === part) + 1 : undefined;
    return { fileName: exportFileName(part.year, part.areas, partNo), bytes, ...counts };
  });
}
