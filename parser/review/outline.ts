/**
 * Where the six parts of a report start: their numbered headings (「五、存在的主要问题及改进情况」),
 * found in the compact text so spacing, Markdown marks and line wraps do not matter.
 *
 * A heading is its numeral, 「、」 and the part's words close behind it. The right numeral is tried
 * first; a report that numbers its parts differently (「五、其他需要报告的事项」 after a lost
 * heading) still has the part, found with any numeral. A preamble that lists the parts
 * (「分别是总体情况、主动公开…」) has no numerals and is not a heading; a numbered list of them
 * (「一、总体情况；二、主动公开…」) is skipped because the next heading follows at once.
 */
import type { SpacedText } from "../normalize.ts";

export const SECTION_TITLES = [
  "总体情况",
  "主动公开政府信息情况",
  "收到和处理政府信息公开申请情况",
  "政府信息公开行政复议、行政诉讼情况",
  "存在的主要问题及改进情况",
  "其他需要报告的事项",
] as const;

const NUMERALS = ["一", "二", "三", "四", "五", "六"];

/** The words of each part's heading, and how many characters may stand between 「、」 and them. */
const HEADING_WORDS: [words: string, gap: number][] = [
  ["总体情况|基本情况|概述", 4],
  ["主动公开", 8],
  ["收到和处理|依申请公开", 8],
  ["复议|行政诉讼", 12],
  ["存在的?主要问题|存在的?问题|问题及改进|问题和改进", 14],
  ["其他需要报告|其他需报告", 6],
];

// A heading often follows a title line ending in a character (「…年度报告一、总体情况」 once
// whitespace is gone), so only 第/（ may not precede the right numeral; any numeral must also not
// end a word (「统一、主动公开」).
const headingRe = (k: number, numeral: string, notAfter: string) =>
  new RegExp(`(?<![${notAfter}])${numeral}、[^。，；、]{0,${HEADING_WORDS[k][1]}}?(?:${HEADING_WORDS[k][0]})`, "gu");

const STRICT = HEADING_WORDS.map((_, k) => headingRe(k, NUMERALS[k], "第(（"));
const LOOSE = HEADING_WORDS.map((_, k) => headingRe(k, "[一二三四五六七八九十]", "第(（\\p{Script=Han}"));

/**
 * The other ways pages number the six parts: 「（一）总体情况」, 「1.总体情况」 / 「1、」,
 * 「第一部分 总体情况」, or the bare title. Each is tried with the part's own number only, and a
 * report's style is the one that finds most parts (at least three): a report numbered 一、…六、
 * that lost a heading does not borrow 「（二）主动公开」 from a sub-heading of its 总体情况.
 */
const ALT_STYLES: RegExp[][] = [
  (k: number) => `\\(${NUMERALS[k]}\\)`,
  // No look behind the digit: in text without line breaks a table's last cell runs into it (「…收费03.收到和处理」).
  (k: number) => `${k + 1}[.、]`,
  (k: number) => `第${NUMERALS[k]}部分[:：、.]?`,
].map((prefix) => HEADING_WORDS.map(([words, gap], k) => new RegExp(`${prefix(k)}[^。，；、]{0,${gap}}?(?:${words})`, "gu")));
// Bare titles: the whole title with no numbering of any kind before it (so the numbered titles of
// a report that lost one heading are not bare titles), and not a sentence about it (「现将总体情况报告如下」).
ALT_STYLES.push(SECTION_TITLES.map((title) => new RegExp(`(?<![一二三四五六七八九十]、|\\)|[0-9][.、]|部分[:：、.]?)${title}(?!报告|如下|的)`, "gu")));

/** The numbering style of the report's parts when it is not 一、…六、 (null: none finds three parts). */
function altStyle(c: string): RegExp[] | null {
  let best: RegExp[] | null = null;
  let most = 2;
  for (const style of ALT_STYLES) {
    const found = style.filter((re) => {
      re.lastIndex = 0;
      return re.test(c);
    }).length;
    if (found > most) [best, most] = [style, found];
  }
  return best;
}

export interface SectionHeading {
  /** 1 … 6 */
  part: number;
  /** Position in the compact text (whitespace removed) and the heading as matched there. */
  at: number;
  heading: string;
  /** Printed with its own numeral (false: found under another number). */
  numbered: boolean;
}

/** The first match of `re` at or after `from` that is not an entry of a listed table of contents. */
function firstHeading(c: string, re: RegExp, from: number, next: RegExp | null): RegExpExecArray | null {
  re.lastIndex = from;
  for (let m = re.exec(c); m; m = re.exec(c)) {
    const end = m.index + m[0].length;
    if (next) {
      next.lastIndex = end;
      const n = next.exec(c);
      // 「一、总体情况；二、主动公开政府信息情况；…」: the next heading right behind it is a list, not a part.
      if (n && n.index - end <= 12) continue;
    }
    return m;
  }
  return null;
}

/** The six parts' headings in the compact text (null: not found), in part order. */
export function outline(c: string): (SectionHeading | null)[] {
  const out: (SectionHeading | null)[] = [];
  let from = 0;
  let alt: RegExp[] | null | undefined;
  for (let k = 0; k < 6; k++) {
    const next = k < 5 ? STRICT[k + 1] : null;
    let m = firstHeading(c, STRICT[k], from, next);
    let numbered = true;
    if (!m) {
      m = firstHeading(c, LOOSE[k], from, null);
      numbered = false;
    }
    // A part whose whole text is 「无。」 has the next heading right behind it, as a list would;
    // after the previous part it is not a list (「…0件五、存在的主要问题及改进情况无。六、…」).
    if (!m && k > 0) {
      m = firstHeading(c, STRICT[k], from, null);
      numbered = m !== null;
    }
    if (!m && (alt ??= altStyle(c))) {
      const altNext = k < 5 ? alt[k + 1] : null;
      m = firstHeading(c, alt[k], from, altNext) ?? firstHeading(c, alt[k], from, null);
      numbered = alt !== ALT_STYLES[ALT_STYLES.length - 1];
      if (m) {
        out.push({ part: k + 1, at: m.index, heading: m[0], numbered });
        from = m.index + m[0].length;
        continue;
      }
    }
    // Out of order: a part printed before the one it should follow.
    if (!m) m = firstHeading(c, STRICT[k], 0, next) ?? firstHeading(c, LOOSE[k], 0, null);
    if (!m) {
      out.push(null);
      continue;
    }
    out.push({ part: k + 1, at: m.index, heading: m[0], numbered: numbered && m[0].startsWith(NUMERALS[k]) });
    if (m.index >= from) from = m.index + m[0].length;
  }
  return out;
}

/** The compact text of each part: from behind its heading to the next part found after it. */
export function sectionBodies(c: string, headings: (SectionHeading | null)[]): (string | null)[] {
  return headings.map((h) => {
    if (!h) return null;
    const start = h.at + h.heading.length;
    const next = headings.filter((x): x is SectionHeading => !!x && x.at > h.at).reduce((a, x) => Math.min(a, x.at), c.length);
    return c.slice(start, next);
  });
}

/**
 * Where each part starts in the original text and where its body starts: after the heading and,
 * on the same line, the rest of its title (「及改进情况」) or the whole line when it holds
 * nothing else. A crawled page runs heading and text on in one line (平潭), so the line itself is
 * not dropped. Missing parts are -1.
 */
export function headingSpans(spaced: SpacedText, headings: (SectionHeading | null)[]): { start: number; body: number }[] {
  const text = spaced.text;
  let from = 0;
  return headings.map((h, k) => {
    if (!h) return { start: -1, body: -1 };
    let start = spaced.indexOf(h.heading, from);
    if (start < 0) start = spaced.indexOf(h.heading, 0);
    else from = start + 1;
    const printed = spaced.lengthAt(h.heading, start);
    let body = start + (printed >= 0 ? printed : h.heading.length);
    const lineEnd = text.indexOf("\n", body) < 0 ? text.length : text.indexOf("\n", body);
    const rest = text.slice(body, lineEnd);
    if (rest.trim().length <= 24 && !/[。；;]/.test(rest)) return { start, body: Math.min(text.length, lineEnd + 1) };
    const title = SECTION_TITLES[k];
    for (let i = 1; i < title.length; i++) {
      const tail = spaced.lengthAt(title.slice(i), body);
      if (tail >= 0) return { start, body: body + tail };
    }
    return { start, body };
  });
}
