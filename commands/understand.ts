/**
 * Reading a chat question: which organ(s), which year(s), which figure, and what else it asks
 * (a trend, a ranking …). Pure: the clock comes in as `now`.
 *
 * Order matters: years written with digits are read first; then organ names (on the text with
 * the years blanked, so they still separate words); then the figure's words on what is left;
 * what nobody read is kept, so a word the bot does not know is never silently dropped.
 */
import type { Mention } from "../index/organs.ts";
import type { Organ, ReportStore } from "../index/store.ts";
import { questionToSimplified, toSimplified } from "../parser/index.ts";
import { composeFigure, FIGURE_TERMS, type FigureRead, longestNameAt, mistypedName, nameEndsAt, phraseCovers, scanTerms, shortenedName, type TermMatch } from "./vocabulary.ts";

/** Questions are short; anything longer is cut before reading (a 200,000-character message must not block the bot). */
export const MAX_QUESTION_CHARS = 500;

const CN_NUM: Record<string, number> = { 〇: 0, 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };

export type YearWord =
  | { kind: "year"; year: number; text: string; start: number }
  /** 最新, 最近一期: the organ's latest report. */
  | { kind: "latest"; text: string; start: number }
  /** 近三年, 这几年: the last N reports. */
  | { kind: "lastN"; n: number; text: string; start: number }
  /** 2021到2024年 */
  | { kind: "range"; from: number; to: number; text: string; start: number };

/** The years a question names, a range spelled out (2021到2023年 → 2021, 2022, 2023; at most ten). */
export function yearsNamed(q: Question): number[] {
  const out = q.years.flatMap((y) =>
    y.kind === "year" ? [y.year] : y.kind === "range" ? Array.from({ length: Math.min(10, Math.max(0, y.to - y.from + 1)) }, (_, i) => y.from + i) : [],
  );
  return [...new Set(out)];
}

export interface Question {
  /** The question as read: NFKC, Simplified, lower-case Latin, compact. */
  text: string;
  years: YearWord[];
  /** Organ names found, left to right. */
  mentions: Mention[];
  /** When no name was found: organs one typing mistake away from a name in the question. */
  nearMisses: { organ: Organ; typed: string; alias: string }[];
  figure: FigureRead;
  terms: TermMatch[];
  /** Chinese text nobody read (an organ the data does not have, or words the bot does not know). */
  unread: string;
  /** Unread words right before an organ's name: places the data may not know (宁海 in 宁海西店镇). */
  regionWords: string[];
  /** What is left once years and the figure's words are taken, small words kept: a name the data may not have (「市府办」). */
  nameText: string;
  /** Latin words nobody read. */
  unknownWords: string[];
  /** The year a change is measured against (「比2023年」); -1 for the year before the one asked (同比, 比去年). */
  baseYear?: number;
  /** How the question was read when it was not read as typed (「「行政附议」按「行政复议」理解」), said with the answer. */
  assumed?: string[];
}

/** Punctuation separates words; 、 and / and + are words of the vocabulary. */
const PUNCTUATION = /[\s:："'“”‘’()（）\[\]【】《》<>「」『』~～…·]+/g;
/** Where one clause ends and another may begin (「依申请数，予以公开多少」 asks two things). */
const CLAUSE_END = /\s*[,，。?？!！;；]+\s*|\.(?!\d)/g;

/** The question normalised for reading: one form of every character, no spaces inside Chinese. */
export function normalizeQuestion(raw: string): string {
  const text = chineseYearDigits(questionToSimplified(raw.slice(0, MAX_QUESTION_CHARS).normalize("NFKC")).toLowerCase());
  // Spaces stay as separators (「李楼镇 西店镇」 is two names); only runs of them are collapsed.
  // Most questions have nothing to change: one scan tells so.
  if (!NOTHING_TO_NORMALIZE_UNLESS.test(text)) return text;
  return text.replace(CLAUSE_END, " | ").replace(PUNCTUATION, " ").replace(/ +/g, " ").replace(/^[ |]+|[ |]+$/g, "");
}

/** Zero and the digits of a year written as people type them: 二O二三 (a letter O), 二○二五 (a circle), 贰零贰贰 (the financial digits). */
const YEAR_DIGIT: Record<string, string> = { o: "〇", "0": "〇", "○": "〇", "◯": "〇", 零: "〇", 壹: "一", 贰: "二", 叁: "三", 肆: "四", 伍: "五", 陆: "六", 柒: "七", 捌: "八", 玖: "九" };
const CHINESE_YEAR_TYPED = /[一二壹贰][〇零o0○◯][〇零o0○◯一二三四五六七八九壹贰叁肆伍陆柒捌玖]{2}/g;
function chineseYearDigits(text: string): string {
  return text.replace(CHINESE_YEAR_TYPED, (m) => [...m].map((c) => YEAR_DIGIT[c] ?? c).join(""));
}
/** What the replacements above would change: a clause end or punctuation (CLAUSE_END, PUNCTUATION), 「|」, whitespace other than one space between words. */
const NOTHING_TO_NORMALIZE_UNLESS = /[,，。?？!！;；.:："'“”‘’()（）\[\]【】《》<>「」『』~～…·|]|[^\S ]|  |^ | $/;

const RELATIVE: [RegExp, number][] = [
  [/大前年/, 3],
  [/前年/, 2],
  // 「上一年剩下的」, 「上年没办完的」 name a row of table B (上年结转), not the year before.
  // 「收费项目上年有几个」 asks table 二's 上一年项目数量 column.
  [/去年(?!结转)|上一?个?年度?(?!结转|度结转|项目|的项目|剩|没办|未办|遗留|转|积压|压着|是几[项个]|有几[项个]|是多少[项个])/, 1],
  [/今年/, 0],
];

/** Years written in the question, each with where it stands. */
export function readYears(text: string, now: Date): YearWord[] {
  const out: YearWord[] = [];
  const thisYear = now.getFullYear();
  const range = /(?<!\d)((?:19|20)\d{2})\s*年?度?\s*(?:到|至|-|—|~)\s*((?:19|20)\d{2})\s*年?度?/.exec(text);
  if (range) out.push({ kind: "range", from: Number(range[1]), to: Number(range[2]), text: range[0], start: range.index });
  for (const m of text.matchAll(/(?<!\d)((?:19|20)\d{2})(?!\d)(?: ?(?:年度|年))?/g)) {
    if (range && m.index! >= range.index && m.index! < range.index + range[0].length) continue;
    out.push({ kind: "year", year: Number(m[1]), text: m[0], start: m.index! });
  }
  // 「二〇二四年」, and 「二〇二四」 alone when it reads as a year of this century or the last.
  for (const m of text.matchAll(/(?<![〇零一二三四五六七八九])([〇零一二三四五六七八九]{4})(?![〇零一二三四五六七八九])(年度?)?/g)) {
    if (!m[2] && !/^(?:二〇|一九)/.test(m[1])) continue;
    out.push({ kind: "year", year: Number([...m[1]].map((c) => CN_NUM[c]).join("")), text: m[0], start: m.index! });
  }
  for (const m of text.matchAll(/(?<![\d年])(\d{2})年(?:度(?!报告))?(?!度报告|报)/g)) {
    if (Number(m[1]) >= 8) out.push({ kind: "year", year: 2000 + Number(m[1]), text: m[0], start: m.index! });
  }
  const lastN = /(?:近|最近|过去)([一二两三四五六七八九十\d]+)年|这几年|近几年|历年|逐年/.exec(text);
  if (lastN) {
    const n = lastN[1];
    out.push({ kind: "lastN", n: !n ? 0 : /^\d+$/.test(n) ? Number(n) : CN_NUM[n] ?? 3, text: lastN[0], start: lastN.index });
  }
  const latest = /(?:最新|最近)(?:发布)?(?:一|那|的那)[年期次份]|最新的?|最近的/.exec(text);
  if (latest && !lastN) out.push({ kind: "latest", text: latest[0], start: latest.index });
  for (const [re, back] of RELATIVE) {
    const m = re.exec(text);
    // 「结转上年」, 「上年遗留的」 name a row of table B, not the year before.
    if (m && !out.some((y) => overlaps(y, m.index, m[0].length)) && !phraseCovers(text, m.index, m.index + m[0].length)) out.push({ kind: "year", year: thisYear - back, text: m[0], start: m.index });
  }
  return out.sort((a, b) => a.start - b.start);
}

const overlaps = (y: YearWord, start: number, len: number) => start < y.start + y.text.length && y.start < start + len;

/** Blank out spans of a text (replace with spaces), keeping positions. */
function blank(text: string, spans: { start: number; end: number }[]): string {
  if (!spans.length) return text;
  // Without surrogate pairs, characters are UTF-16 units: the text is cut and joined as it is,
  // without an array of one string per character (most questions).
  if (!SURROGATE.test(text) && spans.every((s) => s.end <= text.length)) {
    const blanked = new Uint8Array(text.length);
    for (const s of spans) blanked.fill(1, Math.max(0, s.start), Math.max(0, s.end));
    let out = "";
    for (let i = 0; i < text.length; ) {
      let j = i;
      while (j < text.length && blanked[j] === blanked[i]) j++;
      out += blanked[i] ? " ".repeat(j - i) : text.slice(i, j);
      i = j;
    }
    return out;
  }
  const chars = [...text];
  for (const s of spans) for (let i = s.start; i < s.end; i++) chars[i] = " ";
  return chars.join("");
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** The vocabulary as the organ reader sees it: what starts or ends at a position, whether a run is all vocabulary. */
const reader = {
  termBefore: nameEndsAt,
  termAt(text: string, at: number) {
    const m = longestNameAt(text, at);
    if (!m) return null;
    return { length: m.length, joins: m.terms.some((t) => t.t === "and" || t.t === "each" || t.t === "sum") };
  },
  allTerms(run: string) {
    let covered = 0;
    for (const m of scanTerms(run)) covered += m.end - m.start;
    return covered === run.length;
  },
};

let last: { raw: string; store: ReportStore; now: number; q: Question } | null = null;

/** A question read once: routing and the command it routes to read the same text. */
export function understand(raw: string, store: ReportStore, now: Date): Question {
  if (last && last.raw === raw && last.store === store && last.now === now.getTime()) return last.q;
  const q = readWithRepairs(raw, store, now);
  last = { raw, store, now: now.getTime(), q };
  return q;
}

/**
 * A question with words the bot did not read is read again with the slips people make undone:
 * spaces typed inside words (「行政 复议」, 「洪 泽 区」) and one wrong character in a figure's name
 * (「行政附议」, 「部份公开」). The repaired reading is used only when it reads every word, and
 * the answer says how it was read; otherwise the words stay unread and no number is given.
 */
function readWithRepairs(raw: string, store: ReportStore, now: Date): Question {
  const q = readQuestion(raw, store, now);
  if (!q.unread && !q.unknownWords.length) return q;
  const complete = (r: Question) => !r.unread && !r.unknownWords.length && r.figure.kind !== "none";
  const compact = raw.replace(/(\p{Script=Han}) +(?=\p{Script=Han})/gu, "$1");
  const tries: { text: string; assumed: string[] }[] = [];
  if (compact !== raw) tries.push({ text: compact, assumed: ["去掉了词中的空格再读"] });
  for (const base of [raw, compact]) {
    let text = base;
    const assumed: string[] = [];
    // Up to two slips, each in a word nobody read.
    for (let round = 0; round < 2; round++) {
      const r = readQuestion(text, store, now);
      // The run of Chinese holding a word nobody read: the slip may sit across it and a word read
      // wrongly beside it (「无法提共」 reads 提 and 共, leaving 无法).
      const unread = r.unread.split(" ").filter(Boolean);
      const runs = (r.text.match(/\p{Script=Han}+/gu) ?? []).filter((run) => unread.some((w) => run.includes(w)));
      const fix = runs
        .map((run) => mistypedName(run) ?? shortenedName(run))
        .find((f) => f !== null && unread.some((w) => f.typed.includes(w) || w.includes(f.typed) || overlapping(f.typed, w)));
      const simplified = toSimplified(text.normalize("NFKC"));
      if (!fix || !simplified.includes(fix.typed)) break;
      text = simplified.replace(fix.typed, fix.name);
      assumed.push(`「${fix.typed}」按「${fix.name}」理解`);
    }
    if (assumed.length) tries.push({ text, assumed: base === raw ? assumed : [`去掉了词中的空格，${assumed.join("，")}`] });
  }
  for (const t of tries) {
    const r = readQuestion(t.text, store, now);
    if (complete(r)) return { ...r, assumed: t.assumed };
  }
  return q;
}

/**
 * The question in a message that also gives context (「刚才省里来电话核对数据，平潭2023年依申请数多少」).
 * When one clause asks for a number and names a whole figure (the asking clause), the other clauses
 * are context: only the organ and the year they name are kept, and only where the asking clause does
 * not name its own, so 「他们汇总表对不上」 or 「数据有问题」 beside a question is not a command, and a figure
 * mentioned in passing (「有人投诉不给信息，我想看看无法提供的总数」) does not compete with the one asked.
 * A clause after the question that names a figure the question does not (「…有几件，自然人」) still
 * belongs to it. Otherwise clauses naming no organ or figure and asking for no number are left out,
 * a year given only there is kept. A clause that limits what is counted (不算…, 除了…, 只要…) or
 * names a scope (各乡镇, 全县) is never left out, so a number is never given for less or other than was asked.
 */
export function questionOfMessage(message: string, store: ReportStore, now: Date): string {
  // Cut first, as reading does: a message of 100,000 commas must not be read 100,000 times.
  const clauses = message.slice(0, MAX_QUESTION_CHARS).split(/[,，。;；!！?？:：\n]+|——+/).map((c) => c.trim()).filter(Boolean);
  if (clauses.length < 2) return message;
  // 「材料里要写“全年共办结X件”，这个X…是多少」: what is quoted in a clause of context is the figure asked.
  for (let i = 0; i < clauses.length; i++) {
    const quoted = QUOTED.exec(clauses[i]);
    if (quoted && DISCOURSE.test(clauses[i].replace(quoted[0], ""))) {
      clauses[i] = quoted[1];
      message = clauses.join("，");
    }
  }
  const read = clauses.map((c) => readQuestion(c, store, now));
  const asking = askingClause(clauses, read);
  if (asking >= 0) return withContext(clauses, read, asking);
  const kept: string[] = [];
  let yearOfContext: string | null = null;
  clauses.forEach((clause, i) => {
    const q = read[i];
    if (namesSomething(q) || ASKS.test(clause) || LIMITS.test(clause)) kept.push(clause);
    else {
      // A year said only in a context clause (「我在整理2024年度各单位数据，淮安市政府…」).
      const y = q.years.find((w) => w.kind === "year");
      if (y?.kind === "year") yearOfContext = `${y.year}年`;
    }
  });
  if (!kept.length || kept.length === clauses.length) return message;
  const question = kept.join("，");
  const hasYear = readYears(normalizeQuestion(question), now).length > 0;
  return yearOfContext && !hasYear ? `${yearOfContext} ${question}` : question;
}

const namesSomething = (q: Question) => q.mentions.length > 0 || q.nearMisses.length > 0 || q.terms.some((m) => m.terms.some((t) => NAMING_TERMS.has(t.t))) || q.unknownWords.length > 0;
const namesOrgan = (q: Question) => q.mentions.length > 0 || q.nearMisses.length > 0;

/** The last clause that asks for a number and names one whole figure by itself; -1 when none does. */
function askingClause(clauses: string[], read: Question[]): number {
  for (let i = clauses.length - 1; i >= 0; i--) {
    if (ASKS.test(clauses[i]) && read[i].figure.kind === "figure" && !INTENTS_BESIDE_NUMBER.test(clauses[i])) return i;
  }
  return -1;
}

/** The asking clause, with the organ and year of the context where it names none. */
function withContext(clauses: string[], read: Question[], asking: number): string {
  const q = read[asking];
  const organ = namesOrgan(q);
  const year = q.years.length > 0;
  const figureWords = new Set(figurePhrases(q));
  // Only a clause that tells who said or does what is context; 「属于人事、后勤这些内部事务，所以不公开的有几件」
  // qualifies the question, so it belongs to it, as does a clause the question goes on from (所以, 其中 …).
  const belongs = (i: number) =>
    (!DISCOURSE.test(clauses[i]) && namesSomething(read[i])) ||
    (i === asking - 1 && GOES_ON.test(clauses[asking])) ||
    LIMITS.test(clauses[i]) ||
    (!read.some(namesOrgan) && SCOPE.test(clauses[i])) ||
    (i > asking && figurePhrases(read[i]).some((w) => !figureWords.has(w)));
  const parts: string[] = [];
  const context: string[] = [];
  clauses.forEach((clause, i) => {
    if (SMALL_TALK.test(clause)) return;
    if (i === asking || belongs(i)) return parts.push(clause);
    const c = read[i];
    // The context's organ and year, where the question names none: 「说平潭2023年…，我们本年新收的申请是多少」.
    const spans: { start: number; text: string }[] = [];
    if (!organ && namesOrgan(c)) {
      spans.push(...c.mentions.map((m) => ({ start: m.start, text: m.text })));
      if (!c.mentions.length && c.nearMisses.length === 1) spans.push({ start: c.text.indexOf(c.nearMisses[0].typed), text: c.nearMisses[0].typed });
    }
    if (!year) spans.push(...c.years.map((y) => ({ start: y.start, text: y.text })));
    if (spans.length) context.push(spans.sort((a, b) => a.start - b.start).map((s) => s.text).join(""));
  });
  return [...context, ...parts].join("，");
}

/** The words of a clause that name a figure. */
function figurePhrases(q: Question): string[] {
  return q.terms.filter((m) => m.terms.some((t) => NAMING_TERMS.has(t.t))).map((m) => m.phrase);
}

/** Words of people telling what they do or were told: the clause is context, not part of the question. */
const DISCOURSE = /说|我|咱|他们|领导|省里|市里|上面|上级|电话|开会|开完会|会上|(?:想|再)确认|整理|在做|要求|投诉|打不开|核对|材料|台账|汇报|报送|引用|一般写|要写|正文|麻烦|帮忙|请问|谢谢|辛苦|不好意思|打扰/;
/** Words in quotation marks. */
const QUOTED = /[“"「『]([^”"」』]{2,40})[”"」』]/;
/** A clause that only asks politely to look (「想再确认一下」): 确认 here is not the row 要求确认. */
const SMALL_TALK = /^(?:我|我们|想|再|麻烦|请|帮忙|帮我|帮|能|可以|您)*(?:确认|核实|核对|查|看|问)(?:一下|下|看)?(?:吧|吗|呢|啊|哈|谢谢)*$/;
/** A question that goes on from the clause before it (「…内部事务，所以不公开的有几件」). */
const GOES_ON = /^(?:所以|因此|因而|其中|这些|这种|这类|那么|那)/;
/** Names of a scope: the clause says which organs are counted. */
const SCOPE = /乡镇|街道|部门|各单位|所有|全部|全[县区市省旗]|哪/;
/** A clause asking for a number may still ask for something else first (「有没有问题」 is 校验, not a number). */
const INTENTS_BESIDE_NUMBER = /有没有问题|有没有错|对不对|对得上|趋势|排名|排行|对比|比较|汇总/;

/** Terms that name a figure or a change of it (各, 和, 一共 alone name nothing). */
const NAMING_TERMS = new Set<string>([...FIGURE_TERMS, "growth", "diff"]);

/** Two words share a character at an end: 「提共」 and 「无法」 do not, 「法提」 and 「无法」 do. */
function overlapping(a: string, b: string): boolean {
  for (let k = 1; k < Math.min(a.length, b.length); k++) if (a.endsWith(b.slice(0, k)) || b.endsWith(a.slice(0, k))) return true;
  return false;
}

/** Words that ask for a number: a clause with them is part of the question (「能帮忙看一眼吗」 only asks politely). */
const ASKS = /几|多少|数量|哪|什么|啥|是否|有没有|有无/;
/** Words that limit what is counted: a clause with them is never context. */
const LIMITS = /不算|除了|除去|去掉|扣除|不含|不包括|只算|只要|只看|仅|以外|之外|排除|剔除|不计/;

function readQuestion(raw: string, store: ReportStore, now: Date): Question {
  const text = normalizeQuestion(raw);
  const years = readYears(text, now);
  const yearSpans = years.map((y) => ({ start: y.start, end: y.start + y.text.length }));
  let rest = blank(text, yearSpans);
  let mentions = store.organNames.mentions(rest, reader);
  const read = new Array<boolean>(text.length).fill(false);
  for (const s of yearSpans) read.fill(true, s.start, s.end);
  // A word of the vocabulary is never an organ's name mistyped (「复议」 standing alone).
  const notTerm = (n: { typed: string }) => longestNameAt(n.typed, 0)?.length !== n.typed.length;
  let nearMisses = mentions.some((m) => m.kind !== "child") ? misspeltBeyond(rest, mentions, store).filter(notTerm) : store.organNames.nearMisses(rest).filter(notTerm);
  // 「沭阳县人力资源和社会保帐局」 is one edit from 沐阳县 inside it and from the bureau as a whole: the whole.
  // Two organs one edit from the same typed name stay two: the user is asked.
  const covering = nearMisses.find((n) => nearMisses.every((o) => o === n || (o.typed !== n.typed && n.typed.includes(o.typed))));
  if (covering) nearMisses = [covering];
  // No Chinese name at all: a place written in pinyin (「pingtan 2024 依申请数」), said so like a typo.
  if (!mentions.length && !nearMisses.length) nearMisses = store.organNames.pinyinNames(rest);
  // 「平潭综合试验区」 is a typing mistake of 平潭综合实验区, not something under 平潭.
  if (nearMisses.length === 1) {
    const at = rest.indexOf(nearMisses[0].typed);
    mentions = mentions.filter((m) => m.end <= at || m.start >= at + nearMisses[0].typed.length);
  }
  for (const s of mentions) read.fill(true, s.start, s.end);
  // A name read as a typing mistake of one organ is read like a name: its characters are not words.
  const typo = nearMisses.length === 1 ? rest.indexOf(nearMisses[0].typed) : -1;
  const named = typo >= 0 ? [...mentions, { start: typo, end: typo + nearMisses[0].typed.length }] : mentions;
  for (const s of named) read.fill(true, s.start, s.end);
  rest = blank(rest, named);
  const terms = scanTerms(rest, read);
  const figure = composeFigure(terms);
  const unreadText = blank(rest, terms);
  // Unread words right before an organ's name are its region as the user writes it (宁海西店镇).
  const regionWords: string[] = [];
  let unreadMasked = unreadText;
  for (const m of named) {
    const run = /[\p{Script=Han}]{1,12} ?$/u.exec(unreadText.slice(0, m.start))?.[0].trim();
    if (run) {
      regionWords.push(run);
      unreadMasked = blank(unreadMasked, [{ start: m.start - run.length - (unreadText[m.start - 1] === " " ? 1 : 0), end: m.start }]);
    }
  }
  const unread = (unreadMasked.match(/[\p{Script=Han}]+/gu) ?? []).join(" ");
  const unknownWords = unreadText.match(/[a-z]+/g) ?? [];
  // A filler character inside a name (「办」 of 「市府办」) stays part of the name here.
  const nameText = (blank(rest, terms.filter((m) => !m.terms.every((t) => t.t === "filler") || m.end - m.start > 1)).match(/[\p{Script=Han}]+/gu) ?? []).join(" ");
  // 「比2023年增长」: the year after 比 is the base, not the year asked; 同比 and 比去年 mean the year before.
  const change = figure.kind === "figure" && figure.change;
  // 「比2023年」, 「较2021年」, 「与2021年相比」.
  const baseWord = change
    ? years.find((y) => /[比较]$/.test(text.slice(0, y.start).trimEnd()) || (/[与和跟同]$/.test(text.slice(0, y.start).trimEnd()) && /^\s*(?:相比|比)/.test(text.slice(y.start + y.text.length))))
    : undefined;
  const q: Question = { text, years: years.filter((y) => y !== baseWord), mentions, nearMisses, figure, terms, unread, regionWords, nameText, unknownWords };
  if (baseWord?.kind === "year" && !/^(?:去年|上一?年度?|前年|大前年)$/.test(baseWord.text)) q.baseYear = baseWord.year;
  else if (baseWord || (change && /同比|较上年|较去年/.test(text))) q.baseYear = -1;
  return q;
}

/**
 * An organ's name that goes on past a name that was found, with a typing mistake there (「淮安市交通运输居」:
 * 淮安市 is found, 交通运输居 is one edit from the bureau): the longer name, which holds the shorter.
 */
function misspeltBeyond(text: string, mentions: Mention[], store: ReportStore): ReturnType<ReportStore["organNames"]["nearMisses"]> {
  for (const m of mentions) {
    if (m.kind === "child") continue;
    const run = /^\p{Script=Han}+/u.exec(text.slice(m.end))?.[0];
    // 「淮安市和洪泽区」 names two organs, not one with 和 typed into it.
    if (!run || mentions.some((o) => o !== m && o.start >= m.end && o.start < m.end + run.length)) continue;
    const longer = store.organNames.nearMisses(text.slice(m.start, m.end + run.length)).filter((n) => n.typed.length > m.end - m.start && n.typed.startsWith(m.text));
    if (longer.length) return longer;
  }
  return [];
}

/** Organs a question names, a name with one typing mistake included (it is read as that organ). */
export function namedOrgans(q: Question): Organ[] {
  const out: Organ[] = [];
  for (const m of q.mentions) if (m.kind === "organ" && !out.includes(m.organ)) out.push(m.organ);
  if (q.nearMisses.length === 1 && !out.includes(q.nearMisses[0].organ)) out.push(q.nearMisses[0].organ);
  return out;
}

/** Words that ask for something other than one number. */
export const INTENTS = {
  unpublished: /哪些.{0,12}(?:没|未|还没).{0,4}(?:发布|公开|报送|发)|(?:没|未)发布|还没发|未报|缺报|谁没发|谁还没/,
  trend: /趋势|历年|逐年|这几年|近几年|近[一二两三四五六七八九十\d]+年|最近[一二两三四五六七八九十\d]+年|过去[一二两三四五六七八九十\d]+年|变化情况|每年/,
  ranking: /哪个|哪些|哪家|排名|排行|排序|最多|最高|最少|最低|前\s*\d+|第一名|top\s*\d*/,
  total: /全县|全区|全市|全省|所有单位|各单位|全部单位|加起来一共|汇总/,
  compare: /对比|比较|相比|vs|PK|pk/,
  checks: /校验|勾稽|对得上|对不上|有没有错|有没有问题|有问题|有错|出错|核对/,
  search: /^(?:搜索|检索|查找|全文搜索)\s*(.+)$/,
  export: /导出|汇总表|excel|xlsx|表格下载/,
  audit: /审查|审核|逾期|按时发布/,
  deadline: /截止|期限|什么时候.{0,6}(?:发布|公开|报送|发)|哪天.{0,4}(?:发布|截止)|deadline/,
  // 「因未缴纳信息处理费被终止处理的」 is a row of table B, not a question about the fee.
  processingFee: /(?<!未缴纳|没交|未交|不交|未缴)信息处理费/,
  greeting: /^(?:你好|您好|在吗|在不在|哈喽|嗨|hi|hello|hey|早上好|下午好|晚上好|谢谢|多谢|感谢|辛苦|好的|收到|ok|嗯|哦)/,
  help: /^(?:帮助|help|菜单|怎么用|能做什么|你能做什么|使用说明|说明)$/,
} as const;
