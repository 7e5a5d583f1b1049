/**
 * HTML → the lines of text the report parser reads. Pure: a string in, a string out.
 *
 * The page is parsed into a tree (htmlparser2), not flattened with regular expressions, because
 * what a web page means is in its elements, not in its source lines: a Word-exported page puts
 * every <td> on its own source line, fills blank cells with `<o:p>&nbsp;</o:p>` and splits
 * labels across <span>s. Each data table is built as a grid from its own <tr>/<td> with
 * rowspan/colspan expanded, and each row becomes one line of tab-separated cells; a blank cell
 * where the table's numbers stand is kept as a blank (BLANK_CELL), so the numbers after it stay
 * in their columns. Page chrome (scripts, navigation, headers, footers) is left out; the page's
 * metadata (索引号 tables, 发布时间 …) comes out as 「label: value」 lines that the metadata
 * reader takes as evidence, never as the report's title or organ.
 */
import { Parser } from "htmlparser2";
import { PAGE_META_LABELS } from "./metadata.ts";
import { BLANK_CELL, isPlaceholderText, isValueText } from "./tokens.ts";

/** The part of htmlparser2's DOM this reader uses. */
interface DomNode {
  type: string;
  name?: string;
  data?: string;
  attribs?: Record<string, string>;
  children?: DomNode[];
  /** For a table cell, what it holds besides text (every element has the field: one shape for all). */
  holds?: CellHolds;
}

/**
 * What a table cell holds besides text, counted while the page is parsed so that only the cells
 * that have them are looked at again: line breaks and blocks (a stack of lines?) and tables (a
 * nested row?).
 */
interface CellHolds {
  breaks: number;
  blocks: number;
  tables: number;
}

/** Elements that are never part of the report. */
const SKIP = new Set(["script", "style", "noscript", "template", "iframe", "select", "option", "button", "svg", "object", "nav", "aside", "head", "xml"]);

/** Elements that start and end a line. */
const BLOCK = new Set([
  "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "section", "article", "main", "blockquote",
  "pre", "center", "hr", "tr", "table", "form", "fieldset", "address", "figure", "figcaption", "caption", "header", "footer", "body",
]);

/** Class or id words of page chrome (menus, breadcrumbs, share bars, footers). */
const CHROME = /(?:^|[\s_-])(?:nav|navbar|menu|breadcrumbs?|crumbs?|position|location|footer|foot|header|topbar|toolbar|share|sidebar|copyright|friendlink|links)(?:$|[\s_-])/i;

const META_LABEL_RE = new RegExp(`^(?:${PAGE_META_LABELS.join("|")})[:：]?$`);
/** Whether a cell is a metadata label (「索 引 号：」 with the spaces that align it). */
const isMetaLabel = (t: string) => META_LABEL_RE.test(t.replace(/\s+/g, ""));

/** <meta name> fields some CMSs fill, and the label each becomes. */
const META_TAGS: Record<string, string> = { articletitle: "标题", pubdate: "发布时间", firstpubdate: "发布时间" };

/** Character references in a page stored escaped, before it is parsed. */
const ENTITIES: Record<string, string> = { nbsp: " ", amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", ensp: " ", emsp: " ", ldquo: "“", rdquo: "”", mdash: "—", middot: "·" };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === "#") {
      const code = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

const collapse = (s: string) => s.replace(/[\s\u00a0\u3000]+/g, " ");

/**
 * Marks a page prints beside its text that are no part of it: a revision Word deleted but kept
 * tracked (「<del>24</del><ins>23</ins>」 shows 23 with 24 struck through), footnote and comment
 * references (「2629<sup>1</sup>」, Word's 「[1]」 and 「[A1]」) and the reviewers' comments
 * themselves. Read as text, the mark is glued to the number before it (26291).
 */
const REVISION_OR_NOTE_CLASS = /\b(?:msoDel|MsoFootnoteReference|MsoEndnoteReference|MsoCommentReference|msocomanchor|msocomoff|msocomtxt)\b/i;
const COMMENT_ELEMENT = /mso-element\s*:\s*comment/i;
/** What a footnote mark in <sup> looks like: 「1」, 「[2]」, 「※」, 「*」, 「注1」, 「①」. */
const NOTE_MARK = /^[[(（【]?注?(?:\d{1,2}|[*※†‡#a-zA-Z]{1,2}|[\u2460-\u2473])[\])）】]?$/;

function isMark(n: DomNode): boolean {
  const name = n.name;
  if (name === "del") return true;
  if (name === "sup") return NOTE_MARK.test((n.children ?? []).map(textOf).join("").replace(/[\s\u00a0]+/g, ""));
  const a = n.attribs;
  if (!a) return false;
  // Word puts a class and a style on nearly every element: look closer only where the words can be.
  const cls = a.class;
  if (cls !== undefined && (cls.includes("Del") || cls.includes("Reference") || cls.includes("msocom")) && REVISION_OR_NOTE_CLASS.test(cls)) return true;
  const style = a.style;
  return style !== undefined && style.includes("mso-element") && COMMENT_ELEMENT.test(style);
}

/** Elements whose text is not read: never part of a report, marks beside the text, or not shown. */
const unread = (n: DomNode) => SKIP.has(n.name!) || isMark(n) || hidden(n);

function textOf(n: DomNode): string {
  if (n.type === "text") return n.data ?? "";
  if (!n.children || (n.type !== "tag" && n.type !== "root")) return "";
  if (n.name && unread(n)) return "";
  let out = "";
  for (const c of n.children) {
    const t = textOf(c);
    // A cell's own paragraphs and line breaks are spaces inside it.
    out += c.type === "tag" && (c.name === "br" || BLOCK.has(c.name!)) ? ` ${t} ` : t;
  }
  return out;
}

/**
 * One number inside one cell printed with breaks: a space between thousands (「2 629」) or a line
 * break of the page's source between two spans (「<span>3</span>⏎<span>3</span>」, which the page
 * shows as 「3 3」 but was typed as 33). A cell holds one value, so these are one number.
 */
const SPLIT_NUMBER = /^[+\-−增减]?\d+(?:(?:[ \t\u00a0]*\n\s*|[ \u00a0]+(?=\d{3}(?:\D|$)))\d+)+(?:\.\d+)?\s*\D{0,2}$/;
const THOUSANDS_ONLY = /^[+\-−增减]?\d{1,3}(?:[ \u00a0]\d{3})+(?:\.\d+)?\s*\D{0,2}$/;

const cellText = (n: DomNode) => {
  const raw = textOf(n).trim();
  // Most cells hold no whitespace once trimmed: nothing below would change them.
  if (!/\s/.test(raw)) return raw;
  // Line breaks of the source inside a number, or spaces that group thousands: one number.
  if (/\d\s+\d/.test(raw) && ((/\n/.test(raw) && SPLIT_NUMBER.test(raw)) || THOUSANDS_ONLY.test(raw))) return raw.replace(/(\d)\s+(?=\d)/g, "$1");
  return collapse(raw).trim();
};

const isTag = (n: DomNode, name?: string) => n.type === "tag" && (name === undefined || n.name === name);

/** Not shown: styled away, or a row of no height (Word's spacer rows under a table). */
const hidden = (n: DomNode) => {
  const style = n.attribs?.style;
  // Word styles nearly every element: the pattern only where its words are.
  return (style !== undefined && (style.includes("none") || style.includes("mso-hide") || style.includes("NONE")) && /display\s*:\s*none|mso-hide\s*:\s*all/i.test(style)) || (n.name === "tr" && n.attribs?.height === "0");
};

/**
 * Whether an element holds the report (a section title, or a title with its year): then it is
 * never dropped as chrome. A menu entry 「政府信息公开年报」 is not enough.
 */
const aboutReport = (n: DomNode) => /总体情况|主动公开政府信息|收到和处理|行政复议|\d{4}年.{0,30}政府信息公开.{0,8}报告/.test(textOf(n).replace(/\s+/g, ""));

function isChrome(n: DomNode): boolean {
  const name = n.name ?? "";
  if (name === "header" || name === "footer") return !aboutReport(n);
  // Neither class, id, style nor height (most elements): nothing below can call it chrome.
  const a = n.attribs;
  if (!a || (a.class === undefined && a.id === undefined && a.style === undefined && a.height === undefined)) return false;
  const label = `${n.attribs?.class ?? ""} ${n.attribs?.id ?? ""}`;
  return (CHROME.test(label) || hidden(n)) && !aboutReport(n);
}

/** The rows of a table, not those of tables nested in its cells. */
function ownRows(table: DomNode): DomNode[] {
  const rows: DomNode[] = [];
  for (const c of table.children ?? []) {
    if (isTag(c, "tr")) rows.push(c);
    else if (isTag(c) && ["thead", "tbody", "tfoot"].includes(c.name!)) rows.push(...(c.children ?? []).filter((r) => isTag(r, "tr")));
  }
  return rows.filter((r) => !hidden(r));
}

const ownCells = (row: DomNode) => (row.children ?? []).filter((c) => isTag(c, "td") || isTag(c, "th"));

/**
 * Whether an element holds a table of its own (two rows or more). A one-row table inside a cell
 * is only formatting and reads as the cell's text; a real table inside a cell makes the outer
 * table page layout.
 */
function containsTable(n: DomNode): boolean {
  return (n.children ?? []).some((c) => (isTag(c, "table") && ownRows(c).length >= 2) || (c.type === "tag" && containsTable(c)));
}

interface GridCell {
  text: string;
  row: number;
  col: number;
  /** The cell's lines, when it stacks several (「0<br>1<br>0」, a <p> each): see unstackRows. */
  stack?: string[];
}

/**
 * A cell's lines as the page shows them: a <br> ends a line, a block (<p>, <div>) is a line of
 * its own. A block holding only a non-breaking space is a blank line (Word's blank cell); the
 * source's own line breaks and indentation are not. Null unless there are two lines or more.
 */
function stackOf(n: DomNode): string[] | null {
  const lines: string[] = [];
  let cur = "";
  let shown = false;
  const end = (always: boolean) => {
    if (shown || always) lines.push(cur);
    cur = "";
    shown = false;
  };
  const visit = (x: DomNode) => {
    for (const c of x.children ?? []) {
      if (c.type === "text") {
        cur += c.data;
        if (/[^ \t\r\n]/.test(c.data ?? "")) shown = true;
      } else if (c.type === "tag" && !unread(c)) {
        if (c.name === "br") end(true);
        else if (BLOCK.has(c.name!)) {
          end(false);
          visit(c);
          end(false);
        } else visit(c);
      }
    }
  };
  visit(n);
  end(false);
  const pieces = lines.map((l) => collapse(l).trim());
  while (pieces.length > 0 && pieces[0] === "") pieces.shift();
  while (pieces.length > 0 && pieces[pieces.length - 1] === "") pieces.pop();
  return pieces.length >= 2 ? pieces : null;
}

/**
 * The cells of a one-row table nested in a cell, when that table is all the cell holds: they are
 * cells of the outer row (「<td colspan=2><table><tr><td>33</td><td>123604.14</td></tr></table></td>」
 * is 33 | 123604.14, not 33123604.14). Null for any other cell.
 */
function nestedRowCells(td: DomNode): DomNode[] | null {
  let table: DomNode | null = null;
  const only = (n: DomNode): boolean => {
    for (const c of n.children ?? []) {
      if (c.type === "text") {
        if ((c.data ?? "").trim() !== "") return false;
      } else if (isTag(c, "table")) {
        if (table) return false;
        table = c;
      } else if (c.type === "tag" && !unread(c) && !only(c)) return false;
    }
    return true;
  };
  if (!only(td) || table === null) return null;
  const rows = ownRows(table);
  const cells = rows.length === 1 ? ownCells(rows[0]) : [];
  return cells.length >= 2 ? cells : null;
}

const span = (n: DomNode, attr: string, max: number) => {
  const printed = n.attribs?.[attr];
  if (printed === undefined) return Math.min(1, max);
  const v = parseInt(printed, 10);
  return Number.isFinite(v) && v >= 1 ? Math.min(v, max) : 1;
};

/** A table as a grid: every position points at the cell that covers it (spans expanded). */
export function tableGrid(rows: DomNode[]): GridCell[][] {
  const grid: GridCell[][] = rows.map(() => []);
  rows.forEach((tr, r) => {
    let c = 0;
    for (const td of ownCells(tr)) {
      while (grid[r][c]) c++;
      const rs = span(td, "rowspan", rows.length - r);
      const cs = span(td, "colspan", 64);
      const inner = td.holds && td.holds.tables > 0 ? nestedRowCells(td) : null;
      if (inner) {
        // A nested row's cells share the outer cell's columns; the last takes what is left over.
        const widths = inner.map((x) => span(x, "colspan", 64));
        widths[widths.length - 1] = Math.max(1, cs - widths.slice(0, -1).reduce((a, w) => a + w, 0));
        inner.forEach((x, k) => {
          place(grid, gridCell(x, r, c), r, rs, c, widths[k]);
          c += widths[k];
        });
      } else {
        place(grid, gridCell(td, r, c), r, rs, c, cs);
        c += cs;
      }
    }
  });
  return unstackRows(grid);
}

function gridCell(td: DomNode, row: number, col: number): GridCell {
  const holds = td.holds;
  const stack = holds && (holds.breaks > 0 || holds.blocks >= 2) ? stackOf(td) : null;
  const text = excelValue(td) ?? cellText(td);
  return stack ? { text, row, col, stack } : { text, row, col };
}

/**
 * The number an Excel export keeps behind a dash: the accounting format shows 0 as 「-」, and
 * the cell's x:num holds the number itself. A dash typed by hand has no x:num and stays a
 * placeholder.
 */
function excelValue(td: DomNode): string | null {
  const num = td.attribs?.["x:num"];
  if (num === undefined || !/^-?\d+(?:\.\d+)?$/.test(num)) return null;
  return isPlaceholderText(cellText(td)) ? num : null;
}

/** The cell at every position it covers. */
function place(grid: GridCell[][], cell: GridCell, r: number, rs: number, c: number, cs: number): void {
  for (let i = r; i < r + rs; i++) for (let j = c; j < c + cs; j++) grid[i][j] = cell;
}

/** Full-width digits and slashes (「３」, 「／」) are normalised later; compare them normalised here. */
const isValueCell = (t: string) => isValueText(/[\uff01-\uff5e]/.test(t) ? t.normalize("NFKC") : t);

/**
 * Sub-rows a converter merged into one <tr>: the row labels stacked in one cell and each
 * column's values stacked in one cell (「1.属于国家秘密<br>2.其他法律…」 | 「0<br>1」 | …). Each
 * stacked cell holds a column, so the row is as many rows as the stacks are high — when every
 * value cell and the labels stack to the same height. Otherwise which value belongs to which
 * row is not known: the stacked labels and values are left out (the rows are then missing,
 * and the report says so), never dealt out row by row.
 */
function unstackRows(grid: GridCell[][]): GridCell[][] {
  if (!grid.some((row) => row.some((c) => c?.stack !== undefined))) return grid;
  const out: GridCell[][] = [];
  grid.forEach((row, r) => {
    const own = row.filter((c, j) => c !== undefined && c.row === r && c.col === j);
    const valueStack = (c: GridCell) => c.stack !== undefined && c.stack.every((p) => p === "" || isValueCell(p));
    let last = -1;
    own.forEach((c, k) => c.text !== "" && !isValueCell(c.text) && !valueStack(c) && (last = k));
    const label = last >= 0 ? own[last] : undefined;
    const values = own.slice(last + 1);
    const stacked = values.filter(valueStack);
    if (!label || stacked.length === 0) return out.push(row);
    const height = stacked[0].stack!.length;
    const fits =
      stacked.length === values.filter((c) => c.text !== "").length &&
      stacked.every((c) => c.stack!.length === height) &&
      label.stack?.length === height &&
      label.stack.every((p) => p !== "" && !isValueCell(p));
    if (!fits) {
      // One stacked value may be a single cell typed over two lines; two or more are a merged row.
      if (stacked.length < 2) return out.push(row);
      const dropped = new Set([label, ...values]);
      return out.push(row.map((c) => (dropped.has(c) ? { ...c, text: "", stack: undefined } : c)));
    }
    const pieces = new Map<GridCell, GridCell[]>();
    for (const c of [label, ...values]) {
      pieces.set(c, Array.from({ length: height }, (_, k) => ({ text: c.stack ? c.stack[k] : "", row: r, col: c.col })));
    }
    for (let k = 0; k < height; k++) out.push(row.map((c) => pieces.get(c)?.[k] ?? c));
  });
  // Rows were added: a cell starts on the first row it covers.
  const seen = new Set<GridCell>();
  out.forEach((row, r) => {
    for (const c of row) {
      if (c === undefined || seen.has(c)) continue;
      seen.add(c);
      c.row = r;
    }
  });
  return out;
}

/**
 * A grid as lines. Columns where the table's numbers stand are found from the rows of data; in
 * such a row (labels, then nothing but numbers, placeholders and blanks) a blank cell where the
 * numbers stand becomes BLANK_CELL. A cell spanning several positions is written once, where it
 * starts.
 */
export function gridLines(grid: GridCell[][]): string[] {
  grid = withoutRowNumbers(grid);
  const starts = (r: number, j: number) => grid[r][j] !== undefined && grid[r][j].row === r && grid[r][j].col === j;
  const meta = metaPairs(grid);
  if (meta) return meta;
  // Each text is asked about up to three times (and tables repeat 0): answered once per text.
  const valueTexts = new Map<string, boolean>();
  const isValue = (t: string) => {
    let v = valueTexts.get(t);
    if (v === undefined) valueTexts.set(t, (v = isValueCell(t)));
    return v;
  };
  // The numbers stand right after the labels of a row of data. A column left blank in every row
  // (nothing made this year, a township with nothing to report) is still a column: it is found
  // from the labels, not from the numbers.
  const rows = grid.map((row, r) => {
    // The positions where this row's own cells start (a loop: one array, not two).
    const own: number[] = [];
    for (let j = 0; j < row.length; j++) if (starts(r, j)) own.push(j);
    let lastLabel = -1;
    own.forEach((j) => row[j].text !== "" && !isValue(row[j].text) && (lastLabel = j));
    const label = lastLabel >= 0 ? row[lastLabel] : undefined;
    // Where this row's numbers would start: right after its last label.
    const labelEnd = label ? label.col + labelSpan(grid, label) : 0;
    const after = own.filter((j) => j >= labelEnd);
    // A row of data: after its labels, nothing but values and blanks (at least one value, or a label and blanks).
    const isData = after.length > 0 && after.every((j) => row[j].text === "" || isValue(row[j].text)) && (label !== undefined || after.some((j) => row[j].text !== ""));
    return { own, label, labelEnd, after, isData };
  });
  let valueStart = Infinity;
  for (const x of rows) if (x.isData) valueStart = Math.min(valueStart, x.label ? x.labelEnd : x.after[0]);
  // A table with no number at all (a township with nothing to report, table 四 left blank): a
  // row of blank cells as wide as the table's widest row is its row of data, not a spacer.
  // Widths in columns, not cells: a blank merged over the whole row (table 四 all blank) is as wide.
  const widthOf = (r: number) => rows[r].own.reduce((a, j) => a + labelSpan(grid, grid[r][j]), 0);
  // (Only a table without a row of data needs it.)
  const widest = valueStart === Infinity ? Math.max(0, ...rows.map((_, r) => widthOf(r))) : 0;
  const blankData = valueStart === Infinity && widest >= 4;
  const lines: string[] = [];
  grid.forEach((row, r) => {
    const { own, labelEnd, isData } = rows[r];
    if (own.every((j) => row[j].text === "")) {
      if (blankData && widthOf(r) === widest) lines.push(Array(widest).fill(BLANK_CELL).join("\t"));
      return;
    }
    // The numbers of a row stand after its own labels (a ragged grid puts them further right in
    // rows with a group label cell) and not before the table's first value column.
    const from = Math.max(valueStart, labelEnd);
    // A value cell merged down over rows of data (a column of zeros drawn as one 「0」 over a
    // group's rows) stands in each of them, where it stands: left out, the row's later numbers
    // would move a column to the left.
    const covered = isData ? row.map((c, j) => j).filter((j) => j >= from && row[j] !== undefined && row[j].row < r && row[j].col === j && (row[j].text === "" || isValue(row[j].text))) : [];
    const cols = covered.length > 0 ? [...own, ...covered].sort((x, y) => x - y) : own;
    // A blank cell merged over several value columns (a run of zeros left blank) is that many blanks.
    const parts = cols.map((j) => (row[j].text === "" && isData && j >= from ? Array(labelSpan(grid, row[j])).fill(BLANK_CELL).join("\t") : row[j].text)).filter((t) => t !== "");
    lines.push(parts.join("\t"));
  });
  return lines;
}

/**
 * A column headed 序号 that holds nothing but small whole numbers numbers the rows (1, 2, 3 …):
 * its numbers are no cells of the report, and read as cells they would join the row above.
 */
function withoutRowNumbers(grid: GridCell[][]): GridCell[][] {
  // (Every head has 「号」: the pattern is tried only on cells that have it.)
  if (!grid.some((row) => row.some((c) => c !== undefined && c.text.length <= 8 && c.text.includes("号") && ROW_NUMBER_HEAD.test(c.text.replace(/\s+/g, ""))))) return grid;
  const width = Math.max(0, ...grid.map((row) => row.length));
  for (let j = 0; j < width; j++) {
    const own = grid.flatMap((row, r) => (row[j] && row[j].row === r && row[j].col === j && labelSpan(grid, row[j]) === 1 ? [row[j]] : []));
    const isHead = (c: GridCell) => ROW_NUMBER_HEAD.test(c.text.replace(/\s+/g, ""));
    const head = own.findIndex(isHead);
    if (head < 0 || !own.slice(head + 1).every((c) => c.text === "" || isHead(c) || /^\d{1,3}$/.test(c.text.trim()))) continue;
    const cleared = new Map(own.slice(head).map((c) => [c, { ...c, text: "" }]));
    grid = grid.map((row) => row.map((c) => cleared.get(c) ?? c));
  }
  return grid;
}
const ROW_NUMBER_HEAD = /^(?:序号|编号)$/;

/** How many columns a cell spans, from the grid. */
function labelSpan(grid: GridCell[][], cell: GridCell): number {
  let n = 0;
  while (grid[cell.row][cell.col + n] === cell) n++;
  return n;
}

/** A table of the page's metadata (索引号 | … | 发布机构 | …) as 「label: value」 lines, or null. */
function metaPairs(grid: GridCell[][]): string[] | null {
  const pairs: string[] = [];
  let labels = 0;
  for (const [r, row] of grid.entries()) {
    const cells = row.filter((c, j) => c && c.row === r && c.col === j);
    for (let j = 0; j < cells.length; j++) {
      const t = cells[j].text;
      const inline = /^([^:：]{2,8})\s*[:：]\s*(.+)$/.exec(t);
      if (isMetaLabel(t)) {
        labels++;
        const value = cells[j + 1] && !isMetaLabel(cells[j + 1].text) ? cells[++j].text : "";
        pairs.push(`${t.replace(/[\s:：]+/g, "")}: ${value}`);
      } else if (inline && isMetaLabel(inline[1])) {
        labels++;
        pairs.push(`${inline[1]}: ${inline[2]}`);
      } else if (t !== "") return null;
    }
  }
  return labels >= 2 ? pairs : null;
}

class Lines {
  readonly lines: string[] = [];
  private cur = "";
  inline(s: string) {
    this.cur += s;
  }
  break() {
    const l = collapse(this.cur).trim();
    if (l) this.lines.push(l);
    this.cur = "";
  }
  push(lines: string[]) {
    this.break();
    this.lines.push(...lines);
  }
}

function walk(n: DomNode, out: Lines): void {
  if (n.type === "text") {
    out.inline(n.data ?? "");
    return;
  }
  if (n.type !== "tag" && n.type !== "root") return;
  const name = n.name ?? "";
  if (n.type === "tag" && (SKIP.has(name) || isMark(n) || isChrome(n))) return;
  if (name === "br") return out.break();
  if (name === "table") {
    out.break();
    const rows = ownRows(n);
    // A table holding tables lays out the page; its cells are read as blocks of their own.
    if (rows.some((r) => ownCells(r).some(containsTable))) {
      for (const r of rows) {
        for (const c of ownCells(r)) {
          for (const k of c.children ?? []) walk(k, out);
          out.break();
        }
      }
    } else out.push(gridLines(tableGrid(rows)));
    return;
  }
  const block = BLOCK.has(name);
  if (block) out.break();
  for (const c of n.children ?? []) walk(c, out);
  if (block) out.break();
}

/**
 * The page as a tree of the nodes this reader uses, built from htmlparser2's events (its own
 * DOM keeps positions and sibling links this reader never reads, at twice the cost).
 */
function parseTree(html: string): DomNode {
  const root: DomNode = { type: "root", children: [] };
  const stack: DomNode[] = [root];
  // The table cells open around the current element, innermost last.
  const cells: DomNode[] = [];
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        const isCell = name === "td" || name === "th";
        const el: DomNode = { type: "tag", name, attribs, children: [], holds: isCell ? { breaks: 0, blocks: 0, tables: 0 } : undefined };
        stack[stack.length - 1].children!.push(el);
        stack.push(el);
        if (cells.length > 0) {
          const holds = cells[cells.length - 1].holds!;
          if (name === "br") holds.breaks++;
          else if (name === "table") holds.tables++;
          else if (BLOCK.has(name)) holds.blocks++;
        }
        if (isCell) cells.push(el);
      },
      onclosetag() {
        if (stack.length > 1) {
          const el = stack.pop()!;
          if (el === cells[cells.length - 1]) cells.pop();
        }
      },
      ontext(data) {
        const siblings = stack[stack.length - 1].children!;
        const last = siblings[siblings.length - 1];
        if (last?.type === "text") last.data += data;
        else siblings.push({ type: "text", data });
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  return root;
}

/** Elements that pass `test`, in document order; with `first`, stop at the first one. */
function find(n: DomNode, test: (n: DomNode) => boolean, first = false, found: DomNode[] = []): DomNode[] {
  if (test(n)) {
    found.push(n);
    if (first) return found;
  }
  for (const c of n.children ?? []) {
    if (c.type === "tag" || c.type === "root") find(c, test, first, found);
    if (first && found.length > 0) break;
  }
  return found;
}

/**
 * HTML → lines: the page's <title> first, then its metadata lines, then the text of the body
 * with each data table row on one line, cells separated by tabs.
 */
export function htmlToText(html: string): string {
  // Some copies store the page escaped (「&lt;table&gt;」): unescape it once, then read it.
  let h = html;
  if (/&lt;(?:table|tr|td|p)\b/i.test(h) && !/<(?:table|tr|td)\b/i.test(h)) {
    h = decodeEntities(h);
  }
  const doc = parseTree(h);
  // The title and <meta> fields live in <head> (which the body walk skips); only look there.
  const head = find(doc, (n) => isTag(n, "head"), true)[0] ?? doc;
  const title = cellText(find(head, (n) => isTag(n, "title"), true)[0] ?? { type: "text", data: "" });
  const meta = find(head, (n) => isTag(n, "meta") && (n.attribs?.name ?? "").toLowerCase() in META_TAGS)
    .map((n) => `${META_TAGS[n.attribs!.name.toLowerCase()]}: ${collapse(n.attribs!.content ?? "").trim()}`)
    .filter((l) => !/:\s*$/.test(l));
  const out = new Lines();
  walk(doc, out);
  out.break();
  const body = out.lines;
  const first = [...(title && body[0] !== title ? [title] : []), ...meta];
  return [...first, ...body].join("\n");
}
