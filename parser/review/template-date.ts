/**
 * Template and date (domain.md §2.5, §3.4 T2, §3.6): the format matches the year, the year is
 * the same wherever the report states it, and the six parts are all there, in order.
 */
import { check, type Check, type Failure, textFailure } from "../checks.ts";
import { detectTemplate } from "../metadata.ts";
import { firstLines } from "../normalize.ts";
import type { SingleReview } from "./context.ts";
import { SECTION_TITLES } from "./outline.ts";

/** First report year of the 2021 format (国办公开办函〔2021〕30号, for the 2021 reports onward). */
export const FORMAT_2021_FROM = 2021;

const CITES_60 = /[〔\[(（【]2019[〕\])）】]60号/;
const CITES_30 = /[〔\[(（【]2021[〕\])）】]30号/;

export interface YearCue {
  where: "标题" | "统计期限" | "引用的年报通知";
  year: number;
  quote: string;
}

/**
 * The years a report states for itself: in its title, in its 统计期限 sentence
 * (「…2020年1月1日至2020年12月31日」) and in the title of the notice it was written under
 * (「关于做好2020年政府信息公开工作年度报告…的通知」). Document numbers such as 〔2021〕30号 are not
 * cues: the format notices are cited every year, and a year's notice may be numbered in either year.
 */
export function yearCues(text: string, compactText: string): YearCue[] {
  const cues: YearCue[] = [];
  // The title: the first of the first 40 lines (whitespace removed) that reads like one.
  let title: string | undefined;
  for (const line of firstLines(text, 40)) {
    // (Without 政 the line has no 政府信息公开 once compacted: not compacted then.)
    if (!line.includes("政")) continue;
    const l = line.replace(/\s+/g, "");
    if (l.length <= 90 && /政府信息公开/.test(l) && /年度报告|年报/.test(l) && /\d{4}年/.test(l)) {
      title = l;
      break;
    }
  }
  const ty = title ? /(\d{4})年/.exec(title) : null;
  if (title && ty) cues.push({ where: "标题", year: Number(ty[1]), quote: title });
  const head = compactText.slice(0, 8000);
  // (Each pattern below is tried only where the words it cannot match without are in the text.)
  const period = head.includes("年1月1日") ? /(\d{4})年1月1日(?:起)?(?:至|到|-|—|~)(?:(\d{4})年)?12月31日/.exec(head) : null;
  if (period) {
    const quote = head.slice(Math.max(0, period.index - 10), period.index + period[0].length + 2);
    cues.push({ where: "统计期限", year: Number(period[1]), quote });
    if (period[2] && period[2] !== period[1]) cues.push({ where: "统计期限", year: Number(period[2]), quote });
  }
  for (const m of head.includes("《关于") ? head.matchAll(/《(关于[^》]{0,60}?通知)》/g) : []) {
    const y = /(\d{4})年度?(?:政府信息公开|政务公开)?(?:工作)?年度报告/.exec(m[1]);
    if (y) {
      cues.push({ where: "引用的年报通知", year: Number(y[1]), quote: `《${m[1]}》` });
      break;
    }
  }
  return cues.filter((c) => c.year >= 2000 && c.year <= 2100);
}

/** 2019 format in a 2021+ report (错误); leftovers of the old format in a new one (提醒). */
function templateChecks(r: SingleReview): Check[] {
  const { report, compactText } = r;
  const year = report.year;
  const outdated: Failure[] = [];
  const mixed: Failure[] = [];
  // Header findings are in table 二; a cited notice is a sentence.
  const place = (row: string, message: string, sentence?: string): Failure => (sentence ? textFailure(row, message, sentence) : { ...textFailure(row, message), table: "A" });
  if (year !== null && year >= FORMAT_2021_FROM && report.template === "2019") {
    const { evidence } = detectTemplate(compactText);
    outdated.push(
      place(
        "表头",
        `这是 ${year} 年的年报，表格却是 2019 版格式（${evidence || "旧版表头"}）；${FORMAT_2021_FROM} 年及以后的年报应使用国办公开办函〔2021〕30号的格式`,
      ),
    );
  }
  if (year !== null && report.template === "2021") {
    if (year < FORMAT_2021_FROM) {
      mixed.push(place("表头", `这是 ${year} 年的年报，表格却是 2021 版格式；${year} 年的年报应使用〔2019〕60号的格式，请核对年度`));
    }
    if (year >= FORMAT_2021_FROM && compactText.includes("第二十条第(九)项")) {
      mixed.push(place("第二十条第（九）项", "仍印有第二十条第（九）项（政府集中采购），2021 版格式已删去这一项"));
    }
    const cites60 = compactText.includes("60号") ? CITES_60.exec(compactText) : null;
    if (cites60 && !CITES_30.test(compactText)) {
      const at = cites60.index;
      mixed.push(place("正文", "表格是 2021 版格式，正文引用的却是旧格式通知〔2019〕60号，应为〔2021〕30号", compactText.slice(Math.max(0, at - 30), at + 8)));
    }
  }
  return [
    check("template_year", outdated, year === null ? "未能确定年度，无法核对格式" : `${year} 年年报使用 ${report.template} 版格式`, year === null ? 0 : 1),
    check("template_mixed", mixed, "未发现新旧格式混用", year === null ? 0 : 1),
  ];
}

/** The title, the 统计期限 sentence and the cited notice state the same year (错误 when they do not). */
function yearCheck(r: SingleReview): Check {
  const cues = yearCues(r.text, r.compactText);
  const years = new Set(cues.map((c) => c.year));
  const failures: Failure[] = [];
  if (years.size > 1) {
    const byYear = [...years].map((y) => `${cues.filter((c) => c.year === y).map((c) => c.where).join("、")}为 ${y} 年`).join("，");
    failures.push(textFailure("年度", `年报自述的年度不一致：${byYear}`, cues.map((c) => `${c.where}：${c.quote}`).join("；")));
  }
  return check("year_mismatch", failures, `${cues.map((c) => c.where).join("、")}的年度一致`, cues.length >= 2 ? 1 : 0);
}

/** All six parts present, in order (提醒: a converted file may lose a heading). */
function sectionOrderCheck(r: SingleReview): Check {
  const failures: Failure[] = [];
  const found = r.headings;
  const missing = found.flatMap((h, k) => (h ? [] : [k]));
  const numeral = "一二三四五六";
  for (const k of missing) {
    const part = `${numeral[k]}、${SECTION_TITLES[k]}`;
    failures.push(textFailure(part, `没有找到第${numeral[k]}部分「${part}」（年报格式要求六个部分齐全；如标题写法不同，请改用标准标题）`));
  }
  const present = found.filter((h) => h !== null);
  for (let i = 1; i < present.length; i++) {
    if (present[i]!.at < present[i - 1]!.at) {
      const [a, b] = [present[i - 1]!, present[i]!];
      failures.push(textFailure(`${numeral[b.part - 1]}、${SECTION_TITLES[b.part - 1]}`, `第${numeral[b.part - 1]}部分排在第${numeral[a.part - 1]}部分之前，顺序与年报格式不符`, b.heading));
    }
  }
  return check("section_order", failures, "六个部分齐全，顺序正确", 1);
}

export function templateFamily(r: SingleReview): Check[] {
  return [...templateChecks(r), yearCheck(r), sectionOrderCheck(r)];
}
