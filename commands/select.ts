/**
 * From a question to what it is about: the organ (found, assumed from a typing mistake, or
 * not in the data — never another organ's), the report of the year asked (or the latest,
 * said so), and the answers to give when one of them cannot be settled.
 */
import type { Organ, ReportStore } from "../index/store.ts";
import { misprintedPlace } from "../index/organs.ts";
import { chainsOf, placeAgrees, placeCore, type Report, splitPlace, splitPlaces } from "../parser/index.ts";
import { type Action, type Answer, choiceAnswer, errorAnswer } from "./answer.ts";
import type { Read } from "./command.ts";
import { type Question, yearsNamed } from "./understand.ts";

/** Organ picked for a command, or the answer explaining why none can be. */
export type OrganPick = { organ: Organ; notes: string[] } | { answer: Answer };

/** The action that asks the same thing about another organ (for a choice between several). */
export type Retry = (organ: Organ) => Action;

/** The words of a question that most likely name an organ the data does not have. */
export function unknownName(q: Question): string {
  const runs = q.nameText.split(" ").filter((w) => w.length >= 2 && q.unread.split(" ").some((u) => u && w.includes(u)));
  return runs.sort((a, b) => b.length - a.length)[0] ?? "";
}

export function pickOrgan(command: string, q: Question, store: ReportStore, retry: Retry, year?: number): OrganPick {
  const picked = pickNamedOrgan(command, q, store, retry, year);
  if ("answer" in picked) return picked;
  const conflict = placeConflict(command, q, picked.organ, store, retry);
  return conflict ? { answer: conflict } : picked;
}

/**
 * Places the user wrote beside the name (宁海 in 宁海西店镇, 江苏省 in 洪泽区（江苏省）) must be the
 * organ's: one that is another place (北京市 for 上海市人民政府办公厅, 四川 for 桦川县悦来镇) means an
 * organ the data does not have; one the data cannot confirm is asked, never assumed. Words there
 * that are not places are words the bot did not read.
 */
function placeConflict(command: string, q: Question, organ: Organ, store: ReportStore, retry: Retry): Answer | null {
  const written = [...q.regionWords, ...q.unread.split(" ").filter((w) => w && PLACE_LIKE.test(w))];
  if (!written.length) return null;
  const name = store.displayName(organ);
  // A place the report misprints (沐阳县) is checked as the division list spells it (沭阳县, in 宿迁).
  const own = [...organ.places.map((p) => misprintedPlace(p) ?? p), ...(organ.region ? (splitPlaces(organ.region) ?? [organ.region]) : [])];
  for (const word of written) {
    // The organ's own place by its level word alone (「实验区财金局」 for 平潭综合实验区财政金融局).
    if (organ.places.some((p) => word.length >= 2 && word !== p && splitPlace(p).level.endsWith(word))) continue;
    const pieces = splitPlaces(word);
    if (!pieces) return errorAnswer(command, `没看懂「${word}」，为免答错，请换个说法（例如用年报上的单位全称）`, [`例如：${name} 依申请数`]);
    for (const piece of pieces) {
      const agrees = placeAgrees(piece, own);
      if (agrees === false) {
        const where = own.length ? `资料库里的「${name}」在${whereOf(own)}，不在${piece}` : `资料库里只有「${name}」，不是${piece}的`;
        return errorAnswer(command, `资料库里没有${piece}的这个单位的年报`, [where], ["不会用其他地方的数字代替"]);
      }
      if (agrees === undefined && !reportNamesPlace(organ, piece)) {
        return choiceAnswer(command, `无法确认资料库里的「${name}」是否在「${piece}」（年报没有写明所属地区），如果指的就是它，请点：`, [retry(organ)]);
      }
    }
  }
  return null;
}

/**
 * The organ's own reports name the place (「渭临政办函」 and 「临渭区」 in 阎村镇's report): evidence
 * the division list alone cannot give when several places bear the organ's name.
 */
function reportNamesPlace(organ: Organ, place: string): boolean {
  const c = placeCore(place);
  if (c.length < 2) return false;
  for (const r of organ.reports.values()) {
    if (r.narrative.some((s) => s.text.includes(c))) return true;
  }
  return false;
}

/** A word that reads as a place name (it ends in a level word, or is a province). */
const PLACE_LIKE = /^[\p{Script=Han}]{1,10}(?:省|市|县|区|旗|州|盟)$|^(?:北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南|四川|贵州|云南|陕西|甘肃|青海|内蒙古|广西|西藏|宁夏|新疆)$/u;

/** Where an organ is, by the division list when it knows (江苏省淮安市), else as printed. */
function whereOf(places: string[]): string {
  const chain = places.flatMap(chainsOf)[0];
  const outer = chain ? [...chain.filter((x) => !places.includes(x)), ...places] : places;
  return [...new Set(outer)].join("");
}

function pickNamedOrgan(command: string, q: Question, store: ReportStore, retry: Retry, year?: number): OrganPick {
  const organs = [...new Set(q.mentions.flatMap((m) => (m.kind === "organ" ? [m.organ] : [])))];
  if (organs.length >= 1) return { organ: organs[0], notes: [] };
  const several = q.mentions.find((m) => m.kind === "several");
  if (several && several.kind === "several") {
    // Two 黄土镇, and only one has a report of the year asked: still asked (the user may mean the
    // other, whose report is missing), with that one first.
    const withYear = year === undefined ? [] : several.organs.filter((o) => o.reports.has(year));
    const ordered = [...withYear, ...several.organs.filter((o) => !withYear.includes(o))];
    const only = withYear.length === 1 ? `，${year} 年只有「${store.displayName(withYear[0])}」有年报` : "";
    return {
      answer: choiceAnswer(command, `有 ${several.organs.length} 个「${several.text}」${only}，请问是哪一个？`, ordered.map(retry)),
    };
  }
  const child = q.mentions.find((m) => m.kind === "child");
  if (child && child.kind === "child") {
    return {
      answer: errorAnswer(
        command,
        `没有「${child.text}」的年报`,
        [`资料库里有「${store.displayName(child.parent)}」本身的年报，但没有它下属单位「${child.text}」的`],
        ["不会用上级单位的数字代替"],
      ),
    };
  }
  if (q.nearMisses.length === 1) {
    const { organ, typed } = q.nearMisses[0];
    const assumed = /[a-z]/.test(typed) ? `「${typed}」按拼音读作「${store.displayName(organ)}」` : `没有找到「${typed}」，按「${store.displayName(organ)}」回答`;
    return { organ, notes: [assumed] };
  }
  if (q.nearMisses.length > 1) {
    return { answer: choiceAnswer(command, `没有找到「${q.nearMisses[0].typed}」，您是不是要找：`, q.nearMisses.map((n) => retry(n.organ))) };
  }
  return { answer: organNotFound(command, q, store) };
}

export function organNotFound(command: string, q: Question, store: ReportStore): Answer {
  const name = unknownName(q);
  if (!name) return errorAnswer(command, "请说明要查哪个单位，例如：李楼镇 2020 依申请数", exampleSuggestions(store));
  const under = store.organsIn(name);
  if (under.length) {
    return errorAnswer(command, `没有「${name}」本身的年报`, under.slice(0, 6).map((o) => `「${name}」下有：${store.displayName(o)}`), ["请说明是哪一个单位"]);
  }
  const similar = store.similarOrgans(name);
  if (similar.length) return errorAnswer(command, `没有找到「${name}」的年报`, similar.map((o) => `您是不是要找：${store.displayName(o)}？`));
  return errorAnswer(command, `没有找到「${name}」的年报`, [`已收录 ${store.organs.length} 个单位，可以输入 /报告 单位名 查看`]);
}

export function exampleSuggestions(store: ReportStore): string[] {
  const o = store.organs[0];
  if (!o) return [];
  const y = latestYear(o);
  return [`${store.displayName(o)} ${y} 依申请数`, `/报告 ${store.displayName(o)} ${y}`];
}

export const latestYear = (o: Organ) => Math.max(...o.reports.keys());

/** The report of the year asked, or the latest one (saying so). */
export function pickReport(command: string, organ: Organ, year: number | undefined, store: ReportStore): { report: Report; notes: string[] } | { answer: Answer } {
  if (year === undefined) {
    const latest = latestYear(organ);
    return { report: organ.reports.get(latest)!, notes: [`未指定年份，按最新一期（${latest} 年）回答`] };
  }
  const r = organ.reports.get(year);
  if (r) return { report: r, notes: [] };
  const years = [...organ.reports.keys()].sort((a, b) => a - b);
  return {
    answer: errorAnswer(command, `没有${store.displayName(organ)} ${year} 年的年报`, [`已有：${years.map((y) => `${y} 年`).join("、")}`], ["不会用其他年份的数字代替"]),
  };
}

/** The one year a question asks for; several years are a choice; none is undefined. */
export function pickYear(command: string, q: Question, retry: (year: number) => Action): Read<{ year?: number }> {
  const years = yearsNamed(q);
  if (years.length > 1) return { answer: choiceAnswer(command, `一次问到了 ${years.length} 个年份，请选一个`, years.map(retry)) };
  return { args: { year: years[0] } };
}
