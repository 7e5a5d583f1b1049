/**
 * Reading a chat question: which organ, which year(s), which figure.
 * Pure: the clock comes in as `now`.
 */
import type { OrganMatch, ReportStore } from "../index/store.ts";
import { toSimplified } from "../parser/traditional.ts";
import { APPLICANT_PHRASES, type Metric, PHRASES } from "./metrics.ts";

const CN_NUM: Record<string, number> = { 〇: 0, 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };

export interface YearSpan {
  /** A single year asked for. */
  year?: number;
  /** 近三年 and the like: the last N years available. */
  lastN?: number;
  /** The text that named it. */
  text: string;
}

/** The report year people mean: 去年 in 2026 is the 2025 report. */
export function parseYear(text: string, now: Date): YearSpan | null {
  const thisYear = now.getFullYear();
  const rel: [RegExp, number][] = [
    [/大前年/, 3],
    [/前年/, 2],
    [/去年|上一?年度?(?!结转)/, 1],
    [/今年|本年度/, 0],
  ];
  const arabic = /(?<!\d)((?:19|20)\d{2})(?!\d)\s*(?:年度?)?/.exec(text);
  if (arabic) return { year: Number(arabic[1]), text: arabic[0] };
  const cn = /([〇零一二三四五六七八九]{4})年度?/.exec(text);
  if (cn) return { year: Number([...cn[1]].map((c) => CN_NUM[c]).join("")), text: cn[0] };
  const short = /(?<![\d])(\d{2})年(?!度报告)/.exec(text);
  if (short && Number(short[1]) >= 8) return { year: 2000 + Number(short[1]), text: short[0] };
  const lastN = /近([一二两三四五六七八九十\d]+)年|最近([一二两三四五六七八九十\d]+)年/.exec(text);
  if (lastN) {
    const n = lastN[1] ?? lastN[2];
    return { lastN: /^\d+$/.test(n) ? Number(n) : CN_NUM[n] ?? 3, text: lastN[0] };
  }
  for (const [re, back] of rel) {
    const m = re.exec(text);
    // 「上年结转」 is a figure, not a year.
    if (m && !(back === 1 && /上年结转|上年度结转/.test(text) && m[0].startsWith("上"))) return { year: thisYear - back, text: m[0] };
  }
  return null;
}

export interface MetricMatch {
  metric: Metric | null;
  column: string;
  text: string[];
  /** Several different figures named at once (「行政复议和行政诉讼」): answer none of them. */
  ambiguous?: Metric[];
}

/** Words between the parts of a figure's name: 「收到几件申请」 is 「收到申请」. */
export const METRIC_FILLER = /几[件个起次项]|多少[件个起次项]?|了|的/g;

/**
 * The figure a question asks for. Every phrase is found (longest first, without overlaps);
 * the generic 申请 words give way to a more specific figure named beside them
 * (「收到的申请中部分公开」 is 部分公开); two specific figures at once are ambiguous.
 * An applicant column alone means new applications from them.
 */
export function parseMetric(text: string): MetricMatch {
  const rest = text.replace(METRIC_FILLER, "");
  const taken = new Array<boolean>(rest.length).fill(false);
  const hits: { phrase: string; metric: Metric }[] = [];
  for (const { phrase, metric } of PHRASES) {
    for (let at = rest.indexOf(phrase); at >= 0; at = rest.indexOf(phrase, at + 1)) {
      if (taken.slice(at, at + phrase.length).some(Boolean)) continue;
      taken.fill(true, at, at + phrase.length);
      hits.push({ phrase, metric });
    }
  }
  const free = [...rest].map((c, i) => (taken[i] ? " " : c)).join("");
  let column = "total";
  const found = hits.map((h) => h.phrase);
  for (const [phrase, col] of APPLICANT_PHRASES) {
    if (free.includes(phrase)) {
      column = col;
      found.push(phrase);
      break;
    }
  }
  let metrics = [...new Set(hits.map((h) => h.metric))];
  // A part names its whole's figure too (「个人隐私不予公开」 is the 个人隐私 row of 不予公开);
  // generic names give way to a specific one beside them.
  if (metrics.length > 1) metrics = metrics.filter((m) => !metrics.some((o) => o !== m && o.key.startsWith(`${m.key}.`)));
  if (metrics.length > 1) metrics = metrics.filter((m) => !m.generic);
  if (metrics.length > 1) return { metric: null, column, text: found, ambiguous: metrics };
  if (metrics.length === 1) return { metric: metrics[0], column, text: found };
  if (column !== "total") return { metric: PHRASES.find((p) => p.metric.key === "new")!.metric, column, text: found };
  return { metric: null, column, text: found };
}

const FILLER = /[\s,，。.?？!！:：、;；"'“”《》()（）\[\]【】]|的|是|多少|几件|几个|几起|有|数量?|情况|一共|总共|请问|查询|查一下|帮我|看看|年报|报告|年度/g;

export interface Question {
  raw: string;
  organ: OrganMatch | null;
  /** What is left once year and figure are taken out: an organ name the store does not know. */
  unknownName: string;
  year: YearSpan | null;
  metric: MetricMatch;
}

export function understand(text: string, store: ReportStore, now: Date): Question {
  // 「李樓鎮 2020 依申請數」 is asked the same way in Traditional characters.
  const raw = toSimplified(text.normalize("NFKC")).trim();
  const year = parseYear(raw, now);
  let rest = year ? raw.replace(year.text, " ") : raw;
  const organ = store.findOrgan(rest.replace(/\s+/g, ""));
  if (organ) rest = rest.replace(/\s+/g, "").replace(organ.alias, " ");
  rest = rest.replace(METRIC_FILLER, "");
  const metric = parseMetric(rest);
  for (const t of metric.text) rest = rest.replace(t, " ");
  const unknownName = organ ? "" : rest.replace(FILLER, "").replace(/\d+/g, "");
  return { raw, organ, unknownName, year, metric };
}
