/**
 * The text (or text bytes) of one annual report → the canonical model of shared/REPORT-MODEL.md.
 * Pure: no file system, no clock. Reached through parser/index.ts.
 */
import { FORMATS_TEXT } from "./formats.ts";
import { type Check, equationChecks, incompleteCheck, narrativeCheck, narrativeClaims, type NarrativeClaim } from "./checks.ts";
import { detectTemplate, extractMetadata } from "./metadata.ts";
import { isJsWhitespace } from "./chars.ts";
import { decodeBytes, detectKind, looksBinary, normalizeText, type SourceKind, SpacedText } from "./normalize.ts";
import { locateRegions, parseTableA, parseTableB, parseTableC, type Provenance, type TableSink } from "./tables.ts";
import { BLANK_CELL } from "./tokens.ts";
import { type OrganLevel, organKeyOf } from "./organ-name.ts";
import { organInfoOf, type OrganInfo, reviewSingle } from "./review/index.ts";
import { headingSpans, outline, SECTION_TITLES, type SectionHeading } from "./review/outline.ts";
import { type TemplateId, TEMPLATES } from "./template.ts";

export { SECTION_TITLES };

export interface Report {
  file: string;
  /** The organ as the title prints it. */
  organ: string | null;
  organShort: string | null;
  /** The places the organ sits in, outermost first, as printed together (「淮安市」). */
  region: string | null;
  /**
   * One key per organ across years and titles: innermost place and canonical body (organ-name.ts).
   * parseReport always sets it (null when no organ was found); optional only so that reports
   * built by hand elsewhere need not give it.
   */
  organKey?: string | null;
  /** Township, county, city, province or department: deadlines and plausibility rules follow it. Always set by parseReport. */
  level?: OrganLevel | null;
  /** The organ's places, body and level (township, county, department …), read once from its name. */
  organInfo?: OrganInfo | null;
  year: number | null;
  template: TemplateId;
  published: string | null;
  cells: Record<string, number | null>;
  units: Record<string, string>;
  /** Cells not printed but fixed by exactly one rule (e.g. a blank 总计). */
  derived: string[];
  /** The 勾稽 checks and the single-report review's findings (parser/review/rules.ts lists them). */
  checks: Check[];
  /** The report says it aggregates its departments' and townships' reports (county totals, review/levels.ts). */
  aggregates?: boolean;
  warnings: string[];
  claims: NarrativeClaim[];
  /** The six sections' text, for search and display. */
  narrative: { title: string; text: string }[];
  provenance: Record<string, Provenance>;
  encoding: string;
}

export interface NotAReport {
  file: string;
  error: string;
}

export type ParseResult = Report | NotAReport;

export const isReport = (r: ParseResult): r is Report => !("error" in r);

const isDigitCode = (c: number) => c >= 0x30 && c <= 0x39;

/**
 * Whether the line text[start, end) is left out of a section's narrative:
 *  - a table line, mostly cells: a blank cell, or cells set apart (a tab or pipe, or whitespace
 *    between two digits) with two numbers or more — unless it is a long line of prose (sixty
 *    Han characters or more, as a crawled page runs whole paragraphs into one line);
 *  - a ruler: nothing but 「-」, 「|」, 「:」 and whitespace (at least one character).
 * One pass over the character codes, no slice: sections of tables printed one cell per line
 * have hundreds of lines, and most are dropped. (The same tests as, on the line as a string,
 * `includes(BLANK_CELL)`, /[\t|]|\d\s+\d/ with the count of digit runs and Han characters, and
 * /^[-|:\s]+$/.) Whether the line has a blank cell is the caller's to say (found with indexOf).
 */
function notNarrative(text: string, start: number, end: number, hasBlankCell: boolean): boolean {
  if (hasBlankCell) return true;
  let apart = false;
  let runs = 0;
  let han = 0;
  let ruler = end > start;
  // Whitespace after a digit: a digit next is 「\d\s+\d」.
  let digitThenSpace = false;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x3400 && code <= 0x9fff) {
      // Most characters: Han, neither digit nor whitespace nor ruler.
      han++;
      digitThenSpace = false;
      ruler = false;
      // Sixty Han characters: prose whatever follows (the blank cell was looked for beforehand).
      if (han >= 60) return false;
      continue;
    }
    const space = isJsWhitespace(code);
    if (isDigitCode(code)) {
      if (digitThenSpace) apart = true;
      if (i === start || !isDigitCode(text.charCodeAt(i - 1))) runs++;
    } else if (code === 0x09 || code === 0x7c) apart = true;
    digitThenSpace = space ? digitThenSpace || (i > start && isDigitCode(text.charCodeAt(i - 1))) : false;
    if (ruler && !space && code !== 0x2d && code !== 0x7c && code !== 0x3a) ruler = false;
  }
  return (apart && runs >= 2 && han < 60) || ruler;
}

/**
 * The lines of text[start, end) that are narrative (see notNarrative), joined with 「\n」 as
 * split("\n").filter(…).join("\n") would: consecutive kept lines are taken as one slice.
 */
function narrativeLines(text: string, start: number, end: number): string {
  const kept: string[] = [];
  let chunkStart = -1;
  let chunkEnd = -1;
  const flush = () => {
    if (chunkStart < 0) return;
    kept.push(text.slice(chunkStart, chunkEnd));
    chunkStart = -1;
  };
  // The next blank cell at or after the current line (-1: none left).
  let blankAt = text.indexOf(BLANK_CELL, start);
  for (let from = start; ; ) {
    const nl = text.indexOf("\n", from);
    const lineEnd = nl < 0 || nl >= end ? end : nl;
    if (blankAt >= 0 && blankAt < from) blankAt = text.indexOf(BLANK_CELL, from);
    if (!notNarrative(text, from, lineEnd, blankAt >= 0 && blankAt < lineEnd)) {
      // Right after the kept line before it: the same slice goes on over the line break.
      if (chunkStart >= 0 && chunkEnd === from - 1) chunkEnd = lineEnd;
      else {
        flush();
        chunkStart = from;
        chunkEnd = lineEnd;
      }
    }
    if (lineEnd === end) break;
    from = lineEnd + 1;
  }
  flush();
  return kept.join("\n");
}

/** The six sections, located by their numbered headings (parser/review/outline.ts). */
function sections(spaced: SpacedText, headings: (SectionHeading | null)[]): { title: string; text: string }[] {
  const text = spaced.text;
  const spans = headingSpans(spaced, headings);
  return SECTION_TITLES.map((title, i) => {
    const { start: s, body: b } = spans[i];
    if (s < 0) return { title, text: "" };
    const next = spans.slice(i + 1).map((x) => x.start).find((x) => x > s) ?? text.length;
    // Table rows are not narrative: drop lines that are mostly cells (a crawled page's long line of prose is kept).
    const body = narrativeLines(text, b, Math.max(b, next))
      // Runs of spaces and tabs become one space (a single space is left as it is: no rebuild for it).
      .replace(/\t[ \t]*| [ \t]+/g, " ")
      .replace(/\n{2,}/g, "\n")
      .replace(/[一二三四五六七八九十]、\s*$/, "")
      .trim();
    return { title, text: body.slice(0, 6000) };
  });
}

/**
 * Prose outside the tables, where narrative counts are stated, in SpacedText's compact form
 * (narrativeClaims reads prose compacted: taking the pieces from the compact text already made
 * saves compacting most of the text a second time).
 */
function proseOutsideTables(spaced: SpacedText, regions: ReturnType<typeof locateRegions>): string {
  const cut = [regions.a, regions.b, regions.c].filter(Boolean).sort((x, y) => x![0] - y![0]) as [number, number][];
  let out = "";
  let pos = 0;
  for (const [s, e] of cut) {
    if (s > pos) out += spaced.compactOf(pos, s);
    pos = Math.max(pos, e);
  }
  return out + spaced.compactOf(pos);
}

/** A report's title phrase, with its year in digits or in Chinese numerals. */
const REPORT_TITLE = /(?:\d{4}|[一二][〇○零一二三四五六七八九]{3})年度?政府信息公开(?:工作)?(?:年度)?(?:报告|年报)/g;

/**
 * A page holding two reports (this year's, then 「往年报告」 and another year's or organ's): the
 * first report only. The second starts with its title, after the first report's last part
 * (六、其他需要报告的事项) and right before a second 总体情况; both have a table 三. Read together,
 * the second report's rows would fill the first's (another template's ids, another organ's numbers).
 */
function firstReportOnly(text: string): string {
  const six = text.indexOf("其他需要报告");
  if (six < 0) return text;
  const again = text.indexOf("总体情况", six);
  if (again < 0 || text.lastIndexOf("本年新收", six) < 0 || text.indexOf("本年新收", again) < 0) return text;
  let title: RegExpExecArray | null = null;
  for (const m of text.slice(Math.max(six, again - 1500), again).matchAll(REPORT_TITLE)) title = m;
  if (!title) return text;
  let cut = Math.max(six, again - 1500) + title.index;
  // The title starts its line, or (a crawl that runs the page into one line) with the organ's name right before the year.
  const lineStart = text.lastIndexOf("\n", cut) + 1;
  if (cut - lineStart <= 40) cut = lineStart;
  else {
    const year = cut;
    for (let k = 0; k < 30 && /\p{Script=Han}/u.test(text[cut - 1]); k++) cut--;
    // Not into the first report's signature date (「…2024年1月20日青溪县桃源乡…」).
    while (cut < year && /\d/.test(text[cut - 1])) cut++;
  }
  return text.slice(0, cut);
}

export interface ParseOptions {
  /** File name, as given in the output. */
  file?: string;
  /**
   * What the text is. The caller says so when it knows (the document reader does); left out,
   * it is told from the file name's extension and the text itself.
   */
  kind?: SourceKind;
}

const TABLES_AS_IMAGES = "年报的统计表格在网页上是图片，没有文字，无法读取其中的数字；请提供带文字表格的年报（如 Word 或 PDF 原文）";

export function parseReport(input: string | Uint8Array, options: ParseOptions = {}): ParseResult {
  const file = options.file ?? "";
  let raw: string;
  let encoding = "utf-8";
  if (typeof input === "string") raw = input;
  else {
    if (input.length === 0) return { file, error: "文件为空" };
    if (looksBinary(input)) return { file, error: `不是可以读取的文件（看起来是二进制文件）；可以读取 ${FORMATS_TEXT}格式的年报` };
    ({ text: raw, encoding } = decodeBytes(input));
  }
  if (raw.trim() === "") return { file, error: "文件为空" };
  const kind = options.kind ?? detectKind(raw, file);
  const text = firstReportOnly(normalizeText(raw, kind));
  const spaced = new SpacedText(text);
  const c = spaced.compact;
  if (!/政府信息公开|依申请|主动公开/.test(c)) {
    return { file, error: "这不是政府信息公开工作年度报告：正文中没有“政府信息公开”等字样" };
  }
  const regions = locateRegions(spaced);
  // A page whose parts are there but whose tables are pictures: the numbers are not in the text.
  const tablesAsImages = kind === "html" && /<img\b/i.test(raw) && /收到和处理政府信息公开申请|主动公开政府信息情况/.test(c);
  if (!regions.a && !regions.b && !regions.c) {
    if (tablesAsImages) return { file, error: TABLES_AS_IMAGES };
    return { file, error: "没有找到年报的统计表格（主动公开表、依申请表、复议诉讼表都不在）；请提供带表格的完整年报" };
  }
  const meta = extractMetadata(text, c);
  const { template: templateId } = detectTemplate(c);
  const template = TEMPLATES[templateId];
  // The three tables write into the report's own objects (disjoint ids: A, then B, then C).
  const sink: TableSink = { cells: {}, units: {}, provenance: {} };
  const cells = sink.cells;
  // Table 三 first: a glued row of it with fewer digits than cells shows the page lost its blank cells, and table 二's glued runs then cannot be cut.
  const b = regions.b ? parseTableB(text.slice(...regions.b), template, sink) : null;
  const a = regions.a ? parseTableA(text.slice(...regions.a), template, sink, { blanksLost: b?.blanksLost }) : null;
  const cT = regions.c ? parseTableC(text.slice(...regions.c), sink) : null;
  const parts = [a, b, cT].filter((x) => x !== null);
  if (!parts.some((p) => p!.found)) {
    if (tablesAsImages) return { file, error: TABLES_AS_IMAGES };
    return { file, error: "找到了表格标题，但表格里没有可读取的数字；请提供带数字的完整年报" };
  }
  const claims = narrativeClaims(proseOutsideTables(spaced, regions));
  const headings = outline(c);
  const checks: Check[] = [
    ...equationChecks(cells, template, new Set(parts.flatMap((p) => p!.blanks)), {
      values: Object.assign({}, ...parts.map((p) => p!.unread.values)),
      failures: parts.flatMap((p) => p!.unread.failures),
    }),
    narrativeCheck(claims, cells),
    incompleteCheck(
      { a: !!a?.found, b: !!b?.found, c: !!cT?.found },
      { a: a?.missingRows ?? [], b: b?.missingRows ?? [] },
    ),
  ];
  // The organ read once, with the region found in front of it: its key and level come from here.
  const organInfo = organInfoOf(meta.organ, meta.region);
  const report: Report = {
    file,
    organ: meta.organ,
    organShort: meta.organShort,
    region: meta.region,
    organKey: organInfo ? organKeyOf(organInfo) : null,
    level: organInfo?.level ?? null,
    organInfo,
    year: meta.year,
    template: templateId,
    published: meta.published,
    cells,
    units: sink.units,
    derived: parts.flatMap((p) => p!.derived),
    checks,
    aggregates: false,
    warnings: [...meta.warnings, ...parts.flatMap((p) => p!.warnings)],
    claims,
    narrative: sections(spaced, headings),
    provenance: sink.provenance,
    encoding,
  };
  const review = reviewSingle(report, spaced, headings);
  report.checks = [...checks, ...review.checks];
  report.aggregates = review.aggregates;
  return report;
}
