/**
 * Who published the report, for which year, when — from the title, the 统计期限 sentence,
 * the body, cited notices and the signature block, cross-checked.
 */
import { compact } from "./normalize.ts";
import type { TemplateId } from "./template.ts";

export interface Metadata {
  organ: string | null;
  organShort: string | null;
  region: string | null;
  year: number | null;
  /** Where the year came from, for warnings when cues disagree. */
  yearSource: string | null;
  published: string | null;
  warnings: string[];
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

/** Split an organ's full name into its region prefix and its short name. */
export function splitOrgan(full: string): { organShort: string; region: string | null } {
  const town = /^(.*?)([^县区市旗州]{1,8}?(?:镇|乡|街道))(?:人民政府|办事处)?$/.exec(full);
  if (town) return { organShort: town[2], region: town[1] || null };
  // 淮安市洪泽区人民政府 → 洪泽区 in 淮安市.
  const gov = /^(.*?)([^省市县区旗州]{1,10}(?:省|自治区|市|自治州|州|盟|县|自治县|区|旗))人民政府$/.exec(full);
  if (gov) return { organShort: gov[2], region: gov[1] || null };
  const dept = /^(.+?(?:县|区|市|旗))(.{2,}(?:局|委员会|委|办公室|中心|署|院))$/.exec(full);
  if (dept) return { organShort: full, region: dept[1] };
  return { organShort: full, region: null };
}

function titleCandidates(lines: string[]): { organ: string | null; year: number | null } {
  for (let i = 0; i < Math.min(lines.length, 25); i++) {
    let l = compact(lines[i]);
    // A title wrapped over two lines: 「2025年上海市人民政府办公厅政府信息公开」「工作年度报告」.
    if (/政府信息公开/.test(l) && !/报告|年报/.test(l) && /报告/.test(lines[i + 1] ?? "")) l += compact(lines[i + 1]);
    if (!/政府信息公开/.test(l) || !/年度?报告|年报/.test(l)) continue;
    const yearFirst = /^(\d{4})年度?(.{2,40}?)政府信息公开(?:工作)?(?:年度)?(?:报告|年报)/.exec(l);
    if (yearFirst && l.length <= 80) return { organ: cleanName(yearFirst[2]) || null, year: Number(yearFirst[1]) };
    if (l.length > 80) {
      // A crawled page puts the title at the start of a long line.
      const m = /^(.{2,40}?)(\d{4})年度?政府信息公开(?:工作)?年度报告/.exec(l);
      if (m) return { organ: cleanName(m[1]) || null, year: Number(m[2]) };
      continue;
    }
    const m = /^(.*?)(?:[(（]?(\d{4})[)）]?年度?)?政府信息公开(?:工作)?(?:年度)?(?:报告|年报)/.exec(l);
    if (!m) continue;
    let organ = cleanName(m[1] ?? "");
    const year = m[2] ? Number(m[2]) : null;
    if (!organ) {
      // Title split over lines: the organ sits on the line above.
      for (let k = i - 1; k >= 0 && k >= i - 3; k--) {
        const prev = cleanName(lines[k]);
        if (prev && prev.length <= 30 && ORGAN_SUFFIX.test(prev)) {
          organ = prev;
          break;
        }
      }
    }
    return { organ: organ || null, year };
  }
  return { organ: null, year: null };
}

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

/** A page title or heading line that is just the organ's name (HTML <title>, a title split over lines). */
function leadingOrgan(lines: string[]): string | null {
  for (const l of lines.slice(0, 3)) {
    const name = cleanName(l);
    if (name.length >= 2 && name.length <= 30 && ORGAN_SUFFIX.test(name) && !/、/.test(name)) return name;
  }
  return null;
}

/** The first sentence of 总体情况 usually names the organ: 「2024年，永丰镇深入贯彻…」. */
function bodyOrgan(text: string): string | null {
  const m = /\d{4}年度?[，,]\s*(?:我)?([\p{Script=Han}]{2,20}?)(?:深入|认真|坚持|严格|全面|积极|紧紧|始终|进一步|以|按照|在|根据|继续|围绕|高度)/u.exec(compact(text.slice(0, 6000)));
  const name = m?.[1];
  if (name && ORGAN_SUFFIX.test(name) && !/^[我本该全各]/.test(name)) return name;
  // Otherwise the township the text keeps naming (「李楼镇高度重视…」): two characters before
  // 镇/乡/街道, a third only where every mention has the same one.
  const c = compact(text);
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
function yearCues(text: string, titleYear: number | null): { year: number | null; source: string | null; all: [string, number][] } {
  const c = compact(text.slice(0, 20000));
  const cues: [string, number][] = [];
  if (titleYear) cues.push(["标题", titleYear]);
  const period = /统计(?:期限|周期|时限|区间|时间)?(?:为|是|自|从)?[^。]{0,12}?(\d{4})年1月1日(?:起)?(?:至|到|-)(?:(\d{4})年)?12月31日/.exec(c);
  if (period) cues.push(["统计期限", Number(period[2] ?? period[1])]);
  const body = /(\d{4})年度?[，,]/.exec(c);
  if (body) cues.push(["正文", Number(body[1])]);
  const notice = /〔(\d{4})〕\d+号[^。]{0,30}?(?:年度报告|年报)|(?:年度报告|年报)[^。]{0,30}?〔(\d{4})〕\d+号/.exec(c);
  if (notice) cues.push(["引用文号", Number(notice[1] ?? notice[2]) - 1]);
  const plausible = cues.filter(([, y]) => y >= 2008 && y <= 2100);
  const [source, year] = plausible[0] ?? [null, null];
  return { year, source, all: plausible };
}

function publishedDate(text: string): string | null {
  const pad = (n: string) => n.padStart(2, "0");
  const tail = text.slice(-600);
  const dates = [...tail.matchAll(/(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日/g)];
  const last = dates[dates.length - 1];
  if (last) return `${last[1]}-${pad(last[2])}-${pad(last[3])}`;
  const meta = /发布(?:时间|日期)\s*[:：]\s*(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})/.exec(text.slice(0, 2000));
  if (meta) return `${meta[1]}-${pad(meta[2])}-${pad(meta[3])}`;
  return null;
}

export function extractMetadata(text: string): Metadata {
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  const warnings: string[] = [];
  const title = titleCandidates(lines);
  let organ = title.organ ?? signatureOrgan(lines) ?? leadingOrgan(lines) ?? bodyOrgan(text);
  if (!organ) warnings.push("未找到发布机关（标题和落款都没有写明）");
  const { organShort, region } = organ ? splitOrgan(organ) : { organShort: null, region: null };
  const cues = yearCues(text, title.year);
  const published = publishedDate(text);
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
  if (organ) organ = organ.replace(/\s+/g, "");
  return { organ, organShort, region, year, yearSource, published, warnings };
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
