/**
 * Who published the report, for which year, when — from the title, the 统计期限 sentence,
 * the body, cited notices and the signature block, cross-checked. A web page's own metadata
 * (发布机构, 发布时间 …) is evidence, never the title, organ or year line.
 */
import { compact } from "./normalize.ts";
import { splitOrganName, splitPlace } from "./organ-name.ts";
import type { TemplateId } from "./template.ts";

export interface Metadata {
  /** The organ as the title prints it. */
  organ: string | null;
  organShort: string | null;
  /** The places the organ sits in, outermost first, joined as printed (「淮安市」 for 洪泽区人民政府). */
  region: string | null;
  year: number | null;
  /** Where the year came from, for warnings when cues disagree. */
  yearSource: string | null;
  published: string | null;
  warnings: string[];
}

/**
 * Labels of a web page's own metadata, as crawlers and CMS pages print them above a report
 * (「栏目: 政府信息公开年报」, 「发布时间：2022-02-08」). Such a line is never the report's title,
 * organ or year; 发布机构 and 发布时间 are evidence.
 */
export const PAGE_META_LABELS = [
  "索引号", "信息索引号", "主题分类", "体裁分类", "组配分类", "服务对象分类", "分类", "发布机构", "发文机关", "发文机构", "公开方式", "公开范围", "公开时限",
  "生成日期", "成文日期", "发布日期", "发布时间", "公开日期", "时间", "文号", "发文字号", "有效性", "名称", "标题", "来源", "信息来源", "栏目",
  "浏览次数", "访问次数", "点击数", "阅读次数", "责任部门", "所属机构", "原文链接", "本地目录", "链接",
] as const;

const META_LINE = new RegExp(`^(${[...PAGE_META_LABELS].sort((a, b) => b.length - a.length).join("|")})[:：](.*)$`);

/** A page metadata line's label and value (whitespace removed), or null. */
export function pageMetaLine(line: string): { label: string; value: string } | null {
  // Every label is at most six characters, spaced out at most to twice that: look for the colon there.
  if (!colonInHead(line)) return null;
  const m = META_LINE.exec(compact(line));
  return m ? { label: m[1], value: m[2] } : null;
}

/** Whether a colon (「:」 or 「：」) stands in the first 16 characters of a line (no slice: every line is asked). */
function colonInHead(line: string): boolean {
  for (let i = 0; i < 16 && i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 0x3a || c === 0xff1a) return true;
  }
  return false;
}

/** Labels whose value is the report's title. */
const TITLE_LABELS = new Set(["标题", "名称"]);

interface PageMeta {
  /** 发布机构 / 发文机关, when the page states it. */
  publisher: string | null;
  /** 发布时间 / 发布日期 / 公开日期 as YYYY-MM-DD. */
  published: string | null;
}

const isoDate = (s: string): string | null => {
  const m = /(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})/.exec(s);
  return m ? `${m[1]}-${m[2].padStart(2, "0")}-${m[3].padStart(2, "0")}` : null;
};

/** `metas`: pageMetaLine of each of the first lines (the first 60 are read). */
function pageMeta(metas: ReturnType<typeof pageMetaLine>[], text: string): PageMeta {
  let publisher: string | null = null;
  let published: string | null = null;
  for (const m of metas.slice(0, 60)) {
    if (!m) continue;
    if (!publisher && /^(?:发布机构|发文机关|发文机构)$/.test(m.label) && m.value.length >= 2) publisher = cleanName(m.value);
    if (!published && /^(?:发布时间|发布日期|公开日期)$/.test(m.label)) published = isoDate(m.value);
  }
  // Inline in a page header: 「…来源：… 发布时间：2022-02-08 16:34 浏览次数：…」.
  published ??= isoDate(/(?:发布时间|发布日期|公开日期)\s*[:：]\s*(\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2})/.exec(text.slice(0, 3000))?.[1] ?? "");
  return { publisher, published };
}

const ORGAN_SUFFIX =
  /(?:人民政府|办事处|街道|镇|乡|局|委员会|委|办公室|办公厅|厅|署|中心|管委会|管理委员会|实验区|新区|开发区|县|区|市|旗|州|院|所|站|队|馆|会)$/;

function cleanName(s: string): string {
  return compact(s)
    .replace(/^(?:标题|题目)[:：]/, "")
    .replace(/^[#*\s]+/, "")
    .replace(/^关于/, "")
    .replace(/[《》"“”]/g, "")
    .replace(/\(.*?\)$/, "");
}

/** The report's title phrase: 政府信息公开工作年度报告, …年报, …工作报告. */
const TITLE = /^(.*?)(?:[(（]?(\d{4})[)）]?年度?)?政府信息公开(?:工作)?(?:年度)?(?:报告|年报)/;

/** Whether a name could be an organ's (not 「栏目:」, not a sentence). */
const organLike = (name: string) => name.length >= 2 && name.length <= 40 && !/[:：，。；]/.test(name);

/**
 * A page's <title> is often 「标题_栏目_站名」 (「2023年政府信息公开工作年度报告_政府信息公开年报_
 * 青溪县人民政府门户网站」, or with 「|」 or 「 - 」): only the piece that is the report's title is
 * a title. The column's and the portal's names are never the organ.
 */
function titlePiece(line: string): string {
  if (!/[_|｜]|\s[-–—]\s/.test(line)) return line;
  const pieces = line.split(/[_|｜]|\s[-–—]\s/).filter((p) => p.includes("政府信息公开") && /报告|年报/.test(p));
  return pieces.find((p) => /\d{4}年/.test(cnYearsToDigits(p))) ?? pieces[0] ?? line;
}

const CN_DIGITS: Record<string, string> = { 〇: "0", "○": "0", 零: "0", 一: "1", 二: "2", 三: "3", 四: "4", 五: "5", 六: "6", 七: "7", 八: "8", 九: "9" };

/** A year written in Chinese numerals (「二〇二三年」, with ○ typed for 〇) in digits, so that it is never read as part of the organ. */
function cnYearsToDigits(s: string): string {
  return /[〇○零]/.test(s) ? s.replace(/[一二][〇○零一二三四五六七八九]{3}(?=年)/g, (y) => [...y].map((c) => CN_DIGITS[c]).join("")) : s;
}

/** `top`: the first 80 lines with something on them; `metas`: pageMetaLine of each. */
function titleCandidates(top: string[], metas: ReturnType<typeof pageMetaLine>[]): { organ: string | null; year: number | null } {
  // A page's own 标题/名称 line states the title; other metadata lines are never the title.
  const titled: string[] = [];
  const others: string[] = [];
  top.forEach((l, i) => {
    const m = metas[i];
    if (!m) others.push(l);
    else if (TITLE_LABELS.has(m.label)) titled.push(m.value);
  });
  const candidates = [...titled, ...others].slice(0, 30);
  for (let i = 0; i < Math.min(candidates.length, 25); i++) {
    // A line without 政 has no 政府信息公开 once compacted either: no title (and no compact copy of a paragraph).
    if (!candidates[i].includes("政")) continue;
    let l = cnYearsToDigits(compact(titlePiece(candidates[i])));
    // A title wrapped over two lines: 「2025年上海市人民政府办公厅政府信息公开」「工作年度报告」.
    if (/政府信息公开/.test(l) && !/报告|年报/.test(l) && /报告/.test(candidates[i + 1] ?? "")) l += cnYearsToDigits(compact(candidates[i + 1]));
    if (!/政府信息公开/.test(l) || !/报告|年报/.test(l)) continue;
    const yearFirst = /^(\d{4})年度?(.{2,40}?)政府信息公开(?:工作)?(?:年度)?(?:报告|年报)/.exec(l);
    if (yearFirst && l.length <= 80 && organLike(cleanName(yearFirst[2]))) return { organ: cleanName(yearFirst[2]), year: Number(yearFirst[1]) };
    if (l.length > 80) {
      // A crawled page puts the title at the start of a long line.
      const m = /^(.{2,40}?)(\d{4})年度?政府信息公开(?:工作)?(?:年度)?(?:报告|年报)/.exec(l);
      if (m && organLike(cleanName(m[1]))) return { organ: cleanName(m[1]), year: Number(m[2]) };
      continue;
    }
    const m = TITLE.exec(l);
    if (!m) continue;
    let organ = cleanName(m[1] ?? "");
    const year = m[2] ? Number(m[2]) : null;
    if (organ && !organLike(organ)) continue;
    if (!organ) {
      // Title split over lines: the organ sits on the line above.
      for (let k = i - 1; k >= 0 && k >= i - 3; k--) {
        const prev = cleanName(candidates[k]);
        if (prev && prev.length <= 30 && ORGAN_SUFFIX.test(prev)) {
          organ = prev;
          break;
        }
      }
    }
    // A bare 「政府信息公开年报」 (a column name, a menu entry) names nothing: keep looking.
    if (!organ && year === null) continue;
    return { organ: organ || null, year };
  }
  return { organ: null, year: null };
}

/** `lines`: the last lines with something on them (the last 8 are read, and the one above each). */
function signatureOrgan(lines: string[]): string | null {
  for (let i = lines.length - 1; i >= Math.max(0, lines.length - 8); i--) {
    const l = compact(lines[i]);
    if (/^\d{4}年\d{1,2}月\d{1,2}日$/.test(l)) {
      const prev = cleanName(lines[i - 1] ?? "");
      if (prev && prev.length <= 30 && ORGAN_SUFFIX.test(prev)) return prev;
    }
  }
  return null;
}

/**
 * A signature with no date under it: an organ's name alone on one of the last lines
 * (「柳溪镇人民政府」, 「平潭综合实验区」 after the last part). A county, city or province alone
 * (「青溪县」) or a line with anything else on it (「主办：…」, a sentence) is not one.
 */
function undatedSignatureOrgan(lines: string[]): string | null {
  for (let i = lines.length - 1; i >= Math.max(0, lines.length - 6); i--) {
    const name = cleanName(lines[i]);
    if (name.length >= 3 && name.length <= 30 && ORGAN_SUFFIX.test(name) && !/[县市州旗省]$/.test(name) && /^[\p{Script=Han}]+$/u.test(name) && splitOrganName(name).places.length > 0) {
      return name;
    }
  }
  return null;
}

/** A page title or heading line that is just the organ's name (HTML <title>, a title split over lines). */
function leadingOrgan(lines: string[]): string | null {
  for (const l of lines.filter((x) => !pageMetaLine(x)).slice(0, 3)) {
    const name = cleanName(l);
    if (name.length >= 2 && name.length <= 30 && ORGAN_SUFFIX.test(name) && !/、/.test(name)) return name;
  }
  return null;
}

/**
 * The first or last `n` lines of a text that have something on them (not whitespace only, as
 * trim() sees it), in the text's order: text.split("\n").filter(…) and a slice of it, without
 * splitting what is not read.
 */
function nonEmptyLines(text: string, end: "first" | "last", n: number): string[] {
  const out: string[] = [];
  const take = (from: number, to: number) => {
    const l = text.slice(from, to);
    if (/\S/.test(l)) out.push(l);
  };
  if (end === "first") {
    for (let from = 0; out.length < n; ) {
      const nl = text.indexOf("\n", from);
      take(from, nl < 0 ? text.length : nl);
      if (nl < 0) break;
      from = nl + 1;
    }
    return out;
  }
  for (let to = text.length; out.length < n; ) {
    const nl = to > 0 ? text.lastIndexOf("\n", to - 1) : -1;
    take(nl + 1, to);
    if (nl < 0) break;
    to = nl;
  }
  return out.reverse();
}

/** The text without whitespace, whole and from its start, each worked out once. */
class Compacted {
  private whole: string | null = null;
  /**
   * `partly`: the text with some of the characters compact() drops already dropped (SpacedText's
   * compact form). The whole is worked out from it: dropping the rest of [\s|] from a text
   * already without some of them is dropping them all, in a shorter pass with less to drop.
   */
  constructor(
    private readonly text: string,
    private readonly partly?: string,
  ) {}
  get all(): string {
    return (this.whole ??= compact(this.partly ?? this.text));
  }
  /** The compact form of the text's first `chars` characters. */
  head(chars: number): string {
    return this.text.length <= chars ? this.all : compact(this.text.slice(0, chars));
  }
}

/** The first sentence of 总体情况 usually names the organ: 「2024年，永丰镇深入贯彻…」. */
function bodyOrgan(text: Compacted): string | null {
  const m = /\d{4}年度?[，,]\s*(?:我)?([\p{Script=Han}]{2,20}?)(?:深入|认真|坚持|严格|全面|积极|紧紧|始终|进一步|以|按照|在|根据|继续|围绕|高度)/u.exec(text.head(6000));
  const name = m?.[1];
  if (name && ORGAN_SUFFIX.test(name) && !/^[我本该全各]/.test(name)) return name;
  // Otherwise the township the text keeps naming (「李楼镇高度重视…」): two characters before
  // 镇/乡/街道, a third only where every mention has the same one.
  const c = text.all;
  const mentions = new Map<string, string[]>();
  for (const x of c.matchAll(/(?<=[\p{Script=Han}]{2})(?:镇|乡|街道)(?=人民政府|办事处|[^\p{Script=Han}]|高度|深入|认真|收到|政务|政府|基层|党委)/gu)) {
    const at = x.index!;
    const two = c.slice(at - 2, at);
    if (/^[我本该全各城乡村]|乡|城/.test(two) || !/^[\p{Script=Han}]{2}$/u.test(two)) continue;
    const name = two + x[0];
    mentions.set(name, [...(mentions.get(name) ?? []), c[at - 3] ?? ""]);
  }
  const top = [...mentions].sort((a, b) => b[1].length - a[1].length)[0];
  if (!top || top[1].length < 2) return null;
  const third = new Set(top[1]);
  const only = [...third][0];
  return third.size === 1 && /^[\p{Script=Han}]$/u.test(only) ? only + top[0] : top[0];
}

/** The year the data covers (the report year), from the strongest cue available. */
function yearCues(text: Compacted, titleYear: number | null): { year: number | null; source: string | null; all: [string, number][] } {
  const c = text.head(20000);
  const cues: [string, number][] = [];
  if (titleYear) cues.push(["标题", titleYear]);
  // (Each pattern below is tried only where the words it cannot match without are in the text.)
  const period = c.includes("年1月1日") ? /统计(?:期限|周期|时限|区间|时间)?(?:为|是|自|从)?[^。]{0,12}?(\d{4})年1月1日(?:起)?(?:至|到|-)(?:(\d{4})年)?12月31日/.exec(c) : null;
  if (period) cues.push(["统计期限", Number(period[2] ?? period[1])]);
  const body = /(\d{4})年度?[，,]/.exec(c);
  if (body) cues.push(["正文", Number(body[1])]);
  // A notice on this year's reports is numbered the next year; the national format notices
  // (〔2019〕60号, 〔2021〕30号) are not such notices.
  const notice = c.includes("〔") ? /〔(\d{4})〕\d+号[^。]{0,30}?(?:年度报告|年报)|(?:年度报告|年报)[^。]{0,30}?〔(\d{4})〕\d+号/.exec(c.replace(/〔2019〕60号|〔2021〕30号/g, "")) : null;
  if (notice) cues.push(["引用文号", Number(notice[1] ?? notice[2]) - 1]);
  const plausible = cues.filter(([, y]) => y >= 2008 && y <= 2100);
  const [source, year] = plausible[0] ?? [null, null];
  return { year, source, all: plausible };
}

/** The date under the signature (the last date near the end). */
function signatureDate(text: string): string | null {
  const dates = [...text.slice(-600).matchAll(/(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日/g)];
  const last = dates[dates.length - 1];
  return last ? `${last[1]}-${last[2].padStart(2, "0")}-${last[3].padStart(2, "0")}` : null;
}

/** Characters after which a place name starts in running text (由淮安市…, 根据淮安市…, 2023年洪泽区…). */
const BEFORE_PLACE = new Set([..."由在对为是将据按于向与及和的经从把被给同即属共各全本我该其了受请并至以年月日"]);

/** Whether a string is nothing but places, each with a core of two characters or more. */
function onlyPlaces(s: string): string[] | null {
  const n = splitOrganName(s);
  if (n.body !== null || n.places.join("") !== s || n.places.length === 0) return null;
  // One-character cores are real (曹县, 费县) but so is 「我县」: such a core must not be a word of prose.
  const ok = (p: string) => {
    const { core, level } = splitPlace(p);
    return level !== "" && (core.length >= 2 || (core.length === 1 && !BEFORE_PLACE.has(core)));
  };
  return n.places.every(ok) ? n.places : null;
}

/**
 * The places printed in front of `anchor` (the organ's innermost place, or its body when the
 * title names no place) in the text: 「本报告由淮安市洪泽区人民政府办公室…」 gives 淮安市 for 洪泽区.
 * The reading most often printed wins.
 */
function placesInFront(text: Compacted, anchor: string): string | null {
  const c = text.all;
  const seen = new Map<string, number>();
  for (let at = c.indexOf(anchor), n = 0; at >= 0 && n < 60; at = c.indexOf(anchor, at + 1), n++) {
    let start = at;
    while (start > 0 && at - start < 16 && /\p{Script=Han}/u.test(c[start - 1])) start--;
    const run = c.slice(start, at);
    // The place starts after the last word that cannot be part of it; try nearer cuts first.
    for (let k = run.length - 1; k >= -1; k--) {
      if (k >= 0 && !BEFORE_PLACE.has(run[k])) continue;
      const segment = run.slice(k + 1);
      if (segment && onlyPlaces(segment)) {
        seen.set(segment, (seen.get(segment) ?? 0) + 1);
        break;
      }
    }
  }
  return [...seen].sort((a, b) => b[1] - a[1] || b[0].length - a[0].length)[0]?.[0] ?? null;
}

/**
 * Where the organ sits: the title's places outside the organ itself, or else the places the
 * text prints in front of it. Its key and level follow from the name with those places
 * (parser/review/context.ts organInfoOf, used by report.ts).
 */
function placement(organ: string, text: Compacted): Pick<Metadata, "organShort" | "region"> {
  const name = splitOrganName(organ);
  // A government is its innermost place; a department sits in all of its places.
  const own = name.body === null ? name.places.slice(-1) : [];
  const outer = name.places.slice(0, name.places.length - own.length);
  const anchor = name.places[name.places.length - 1] ?? name.body ?? organ;
  return {
    organShort: name.body === null && name.places.length > 0 ? name.places[name.places.length - 1] : organ,
    region: outer.length > 0 ? outer.join("") : placesInFront(text, anchor),
  };
}

/**
 * `compactText`, when the caller has it: the text with some whitespace already dropped
 * (SpacedText.compact), from which its compact() form is worked out faster.
 */
export function extractMetadata(text: string, compactText?: string): Metadata {
  // The readers look at the first 80 lines and the last 9 (the signature and the line above it);
  // only the last fallback for the organ reads them all.
  const top = nonEmptyLines(text, "first", 80);
  const topMetas = top.map(pageMetaLine);
  const warnings: string[] = [];
  const page = pageMeta(topMetas, text);
  const title = titleCandidates(top, topMetas);
  const compacted = new Compacted(text, compactText);
  const last = nonEmptyLines(text, "last", 9);
  let organ =
    title.organ ??
    signatureOrgan(last) ??
    page.publisher ??
    leadingOrgan(nonEmptyLines(text, "first", Infinity)) ??
    undatedSignatureOrgan(last) ??
    bodyOrgan(compacted);
  if (!organ) warnings.push("未找到发布机关（标题和落款都没有写明）");
  if (organ) organ = organ.replace(/\s+/g, "");
  const who = organ ? placement(organ, compacted) : { organShort: null, region: null };
  const cues = yearCues(compacted, title.year);
  // The date the page was published when it says so; the date under the signature otherwise.
  const published = page.published ?? signatureDate(text);
  let year = cues.year;
  let yearSource = cues.source;
  if (year === null && published) {
    year = Number(published.slice(0, 4)) - 1;
    yearSource = "发布日期";
  }
  if (year === null) warnings.push("未能确定报告年度");
  const distinct = new Set(cues.all.map(([, y]) => y));
  if (distinct.size > 1) {
    warnings.push(`年度线索不一致：${cues.all.map(([s, y]) => `${s} ${y}`).join("，")}；采用${yearSource}`);
  }
  return { organ, ...who, year, yearSource, published, warnings };
}

/** Which format the tables follow, from their headers (not from the year). */
export function detectTemplate(compactText: string): { template: TemplateId; evidence: string } {
  const c = compactText;
  const score2021 = ["制发件数", "废止件数", "现行有效件数", "本年收费金额", "逾期不补正", "缴纳费用", "本年处理决定数量"].filter((w) => c.includes(w));
  const score2019 = ["本年新制作", "本年新公开", "对外公开总数量", "上一年项目数量", "本年增/减", "采购项目数量", "采购总金额", "第二十条第(九)项"].filter((w) =>
    c.includes(w),
  );
  if (score2021.length >= score2019.length && score2021.length > 0) return { template: "2021", evidence: score2021.join("、") };
  if (score2019.length > 0) return { template: "2019", evidence: score2019.join("、") };
  return { template: "2021", evidence: "" };
}
