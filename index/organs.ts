/**
 * Organs as records that outlive how a year's title printed them, and every way people name
 * them. One organ is one canonical key (innermost place + body, parser/organ-name.ts) within
 * one region: 「洪泽区人民政府」 (2023) and 「淮安市洪泽区人民政府」 (2024) are one organ.
 *
 * Names come from rules, not lists: the places with and without their government words
 * (洪泽区, 洪泽区政府, 洪泽), level variants (平潭综合实验区 → 平潭实验区, 平潭区), a department with
 * its place (上海市科委, 上海科委, 市科委, 沪科委) and its short names (发改局, 市场监管局 …).
 * Reading a question, a name must fit the words around it: a region in front must not
 * contradict the organ's (「北京市悦来镇」 is not 桦川县悦来镇) and a name that goes on into a
 * child (「平潭综合实验区公安局」, 「淮安市清江浦区」) names something the data does not have.
 */
import { pinyin } from "pinyin-pro";
import { confusable } from "./similar-chars.ts";
import { abbreviations, isKnownPlace, knownPlaceNames, organInfoOfReport, placeWithin, splitPlaces, organKeyOf, type OrganLevel, organLevel, PLACE_LEVELS, PROVINCES, type Report, splitOrganName, splitPlace } from "../parser/index.ts";

export interface Organ {
  /** Stable key: region and canonical name; survives a title printed with or without its region. */
  key: string;
  /** Full name as printed in the latest report. */
  name: string;
  /** Every full name printed over the years. */
  names: string[];
  short: string;
  /** Places the organ sits in, outer ones, as printed (e.g. 淮安市); null when no report says. */
  region: string | null;
  /** Every place, outermost first, including the organ's own for a government. */
  places: string[];
  /** Canonical department body, or null for a government. */
  body: string | null;
  level: OrganLevel;
  /** Reports by year. */
  reports: Map<number, Report>;
}

/** How strongly a name points at an organ: a printed name beats a rule-made one, which beats a bare core. */
const PRINTED = 3;
const DERIVED = 2;
const LOOSE = 1.5;
const BARE = 1;
const TYPE_ONLY = 0.5;

interface AliasEntry {
  organ: Organ;
  weight: number;
  /** How many of the organ's places (innermost first) the name itself includes. */
  covers: number;
}

const GOVERNMENT_FORMS = ["人民政府", "政府"];
const ZONE_GOVERNMENT_FORMS = ["管委会", "管委", "管理委员会", "党工委管委会"];

const core = (place: string) => splitPlace(place).core;

/** Outer chains agree where both speak (compared by core: 淮安 = 淮安市). */
function chainsAgree(a: string[], b: string[]): boolean {
  for (let i = 1; i <= Math.min(a.length, b.length); i++) {
    const x = a[a.length - i], y = b[b.length - i];
    if (x !== y && core(x) !== core(y)) return false;
  }
  return true;
}

/** Places and body of a report's organ, as the parser read them (its name's places with the region found in front). */
function reportPlaces(r: Report): { places: string[]; body: string | null } {
  const info = organInfoOfReport(r);
  return info ? { places: info.places, body: info.body } : { places: [], body: null };
}

interface Draft {
  base: string;
  places: string[];
  body: string | null;
  reports: Report[];
}

/**
 * Reports grouped into organs: by canonical key, then by region. A report whose region is
 * unknown joins the one organ of that key; with several regions it cannot tell, so it stays apart.
 */
export function groupOrgans(reports: Report[]): Organ[] {
  const byBase = new Map<string, Draft[]>();
  // An organ's reports print the same name year after year: each name (with its region) is read once.
  const read = new Map<string, { places: string[]; body: string | null }>();
  for (const r of reports) {
    const nameKey = r.organInfo === undefined ? `${r.organ ?? "\u0001"}\u0000${r.region ?? "\u0001"}` : null;
    let reading = nameKey === null ? undefined : read.get(nameKey);
    if (!reading) {
      reading = reportPlaces(r);
      if (nameKey !== null) read.set(nameKey, reading);
    }
    const { places, body } = reading;
    const base = organKeyOf({ places, body }) + (places.length ? "" : `#${r.organ}`);
    let drafts = byBase.get(base);
    if (!drafts) byBase.set(base, (drafts = []));
    const outer = places.slice(0, -1);
    let d = outer.length ? drafts.find((x) => x.places.length > 1 && chainsAgree(x.places.slice(0, -1), outer)) : undefined;
    if (!d && outer.length) {
      d = { base, places, body, reports: [] };
      drafts.push(d);
    }
    if (d) {
      if (places.length > d.places.length) d.places = places;
      d.reports.push(r);
    } else {
      let loose = drafts.find((x) => x.places.length <= 1);
      if (!loose) drafts.push((loose = { base, places, body, reports: [] }));
      loose.reports.push(r);
    }
  }
  const organs: Organ[] = [];
  for (const drafts of byBase.values()) {
    const known = drafts.filter((d) => d.places.length > 1);
    const loose = drafts.find((d) => d.places.length <= 1);
    if (loose && known.length === 1) {
      known[0].reports.push(...loose.reports);
      drafts.splice(drafts.indexOf(loose), 1);
    }
    for (const d of drafts) organs.push(makeOrgan(d));
  }
  return organs;
}

function makeOrgan(d: Draft): Organ {
  // Oldest first, so the displayed name is the latest; two files for one year: the later file name wins.
  const sorted = [...d.reports].sort((a, b) => a.year! - b.year! || (a.file ?? "").localeCompare(b.file ?? ""));
  const reports = new Map<number, Report>();
  for (const r of sorted) reports.set(r.year!, r);
  const latest = sorted[sorted.length - 1];
  const region = d.places.length > 1 && !d.body ? d.places.slice(0, -1).join("") : d.body && d.places.length ? d.places.join("") : null;
  return {
    key: `${d.places.join("")}|${d.body ?? ""}${d.base.includes("#") ? d.base.slice(d.base.indexOf("#")) : ""}`,
    name: latest.organ!,
    names: [...new Set(sorted.map((r) => r.organ!))],
    short: latest.organShort ?? latest.organ!,
    region: latest.region ?? region,
    places: d.places,
    body: d.body,
    level: organLevel({ places: d.places, body: d.body }),
    reports,
  };
}

// ---------------------------------------------------------------- names

// 「大王街道办事处」 is 大王街道, not 大王 (a 大王镇 may be in the data too).
const stripGovernment = (name: string) => name.replace(/街道办事处$/, "街道").replace(/(?:人民政府|党工委管委会|管理委员会|管委会|办事处)$/, "").replace(/政府$/, "");

/** Every name of an organ with its weight and how many places it includes. */
function aliasesAsPrinted(o: Organ): { alias: string; weight: number; covers: number }[] {
  const out = new Map<string, { weight: number; covers: number }>();
  const add = (alias: string, weight: number, covers: number) => {
    if (alias.length < 2) return;
    const prev = out.get(alias);
    if (!prev || prev.weight < weight) out.set(alias, { weight, covers });
  };
  const inner = o.places[o.places.length - 1];
  for (const name of o.names) {
    const n = splitOrganName(name);
    add(name, PRINTED, n.places.length);
    if (!n.body) add(stripGovernment(name), PRINTED, n.places.length);
  }
  if (o.short && !o.body) add(o.short, PRINTED, 1);
  if (!inner) {
    // No place at all (a department printed without one): its own names only.
    if (o.body) for (const b of bodyForms(o.body)) add(b, b === o.body ? DERIVED : BARE, 0);
    return [...out].map(([alias, v]) => ({ alias, ...v }));
  }
  const { core: c, level } = splitPlace(inner);
  const levelForms = levelVariants(level);
  const province = PROVINCES.find(([p]) => p === c);
  if (!o.body) {
    add(inner, PRINTED, 1);
    for (const g of GOVERNMENT_FORMS) add(inner + g, PRINTED, 1);
    if (level.endsWith("区")) for (const g of ZONE_GOVERNMENT_FORMS) add(inner + g, PRINTED, 1);
    for (const lv of levelForms) {
      add(c + lv, DERIVED, 1);
      for (const g of GOVERNMENT_FORMS) add(c + lv + g, DERIVED, 1);
    }
    // 「凤凰街办」, 「凤凰街道办」: a 街道's office.
    if (level === "街道") for (const form of ["街办", "街道办"]) add(c + form, DERIVED, 1);
    // 「淮安市府」, 「县府」: 府 for the government of a city, county or district.
    if (/[市县区]$/.test(level)) add(`${inner}府`, DERIVED, 1);
    // A zone (综合实验区, 开发区, 新区) is run by its 管委会: 「平潭管委会」, 「平潭实验区管委会」.
    if (level.length >= 2 && level.endsWith("区")) {
      for (const g of ZONE_GOVERNMENT_FORMS) {
        if (c.length >= 2) add(c + g, DERIVED, 1);
        for (const lv of levelForms) if (lv.length >= 2) add(c + lv + g, DERIVED, 1);
        // 「实验区管委会」: the zone's government by its level word alone, as weak as 「实验区」.
        for (const lv of [level, ...levelForms]) if (lv.length >= 3) add(lv + g, TYPE_ONLY, 1);
      }
    }
    if (c.length >= 2) {
      add(c, LOOSE, 1);
      add(`${c}政府`, LOOSE, 1);
    }
    // 「实验区」 alone: only ever a weak name, used when nothing else matches.
    if (level.length >= 3) for (const lv of [level, ...levelForms]) if (lv.length >= 2) add(lv, TYPE_ONLY, 1);
    const outer = o.places.slice(0, -1);
    if (outer.length) add(outer[outer.length - 1] + inner, PRINTED, 2);
    return [...out].map(([alias, v]) => ({ alias, ...v }));
  }
  for (const b of bodyForms(o.body)) {
    const full = b === o.body;
    add(inner + b, full ? PRINTED : DERIVED, 1);
    if (c.length >= 2) add(c + b, DERIVED, 1);
    for (const lv of [level, ...levelForms]) if (lv) add(lv.slice(-1) + b, LOOSE, 1);
    if (province) add(province[1] + b, LOOSE, 1);
    // 「府办公厅」 is only ever said after its place (市府办公厅, 沪府办), never alone.
    if (b.startsWith("府")) continue;
    add(b, full && b.length >= 4 ? LOOSE : BARE, 0);
  }
  return [...out].map(([alias, v]) => ({ alias, ...v }));
}

/**
 * An organ's names, and the same names with its place as the division list spells it when the
 * report misprints it (沐阳县 for 沭阳县: users type the real name).
 */
export function organAliases(o: Organ): { alias: string; weight: number; covers: number }[] {
  const printed = aliasesAsPrinted(o);
  const inner = o.places[o.places.length - 1];
  const fixed = inner ? misprintedPlace(inner) : null;
  if (!fixed) return printed;
  const from = splitPlace(inner).core;
  const to = splitPlace(fixed).core;
  const seen = new Set(printed.map((a) => a.alias));
  const out = [...printed];
  for (const a of printed) {
    if (!a.alias.includes(from)) continue;
    const alias = a.alias.replace(from, to);
    if (!seen.has(alias)) out.push({ alias, weight: Math.min(a.weight, DERIVED), covers: a.covers }), seen.add(alias);
  }
  return out;
}

/**
 * Known places of a county or above by their name with one character left out (as 「*」), for
 * finding a misprint's original: one index per name length and last character, made when a place
 * of that shape is first checked (over every place of the list, it was 18 MB and half a second to
 * build, on the first question that needed it).
 */
const placesByGap = new Map<string, Map<string, string[]>>();

function gapIndex(length: number, last: string): Map<string, string[]> {
  const shape = `${length}${last}`;
  let index = placesByGap.get(shape);
  if (index) return index;
  index = new Map();
  for (const name of knownPlaceNames()) {
    if (name.length !== length || !name.endsWith(last)) continue;
    for (let i = 0; i < name.length; i++) {
      const key = `${name.slice(0, i)}*${name.slice(i + 1)}`;
      const list = index.get(key);
      if (list) list.push(name);
      else index.set(key, [name]);
    }
  }
  placesByGap.set(shape, index);
  return index;
}

/**
 * The real county (or city, province) a printed one misprints: the place is not in the division list, and exactly one
 * place of the list with the same level word differs from it by one confusable character
 * (沐阳县 → 沭阳县). Null otherwise.
 */
export function misprintedPlace(place: string): string | null {
  const { core, level } = splitPlace(place);
  // Counties and above only: the list is complete there, while a town missing from it (new, renamed)
  // may well be one character from a listed one, and must not take that town's name.
  if (core.length < 2 || !level || /[镇乡]$|街道$|苏木$/.test(level) || isKnownPlace(place)) return null;
  // A name it may misprint has its length and its level word (so its last character).
  const byGap = gapIndex(place.length, place[place.length - 1]);
  const found = new Set<string>();
  for (let i = 0; i < core.length; i++) {
    for (const name of byGap.get(`${place.slice(0, i)}*${place.slice(i + 1)}`) ?? []) {
      if (name !== place && name.endsWith(level) && confusable(place[i], name[i])) found.add(name);
    }
  }
  return found.size === 1 ? [...found][0] : null;
}

/** A level word's shorter forms that are still level words: 综合实验区 → 实验区, 区. */
function levelVariants(level: string): string[] {
  const out: string[] = [];
  for (let i = 1; i < level.length; i++) {
    const tail = level.slice(i);
    if ((PLACE_LEVELS as readonly string[]).includes(tail)) out.push(tail);
  }
  return out;
}

function bodyForms(body: string): string[] {
  const forms = new Set([body, ...abbreviations(body)]);
  // 人民政府办公厅 is also 政府办公厅 and 府办公厅 (「市府办公厅」).
  if (body.startsWith("人民政府")) forms.add(body.slice(2));
  if (body.startsWith("人民政府") && body.length > 4) forms.add(body.slice(3));
  return [...forms];
}

// ---------------------------------------------------------------- reading a name in a question

/** Endings that make a run of characters the name of an organ (for telling a child organ apart). */
const ORGAN_ENDINGS = /^([\p{Script=Han}]{1,14}?(?:委员会|办公室|办公厅|政府办|府办|管委会|街道|局|委|厅|中心|署|院|所|站|队|馆|镇|乡|区|县|市|旗|公司|集团))/u;
const LEVEL_START = /^(?:街道|[省市县区镇乡旗州])/;

export type Mention =
  | { kind: "organ"; organ: Organ; start: number; end: number; text: string }
  /** The same name fits several organs (two 黄土镇): the user says which. */
  | { kind: "several"; organs: Organ[]; start: number; end: number; text: string }
  /** A name that goes on into something under a known organ (平潭综合实验区公安局). */
  | { kind: "child"; parent: Organ; start: number; end: number; text: string };

export interface NameReader {
  /** Whether words of the vocabulary (请问, 查一下 …) end right before `at`. */
  termBefore?: (text: string, at: number) => boolean;
  /** Whether the text at `at` begins with words of the vocabulary (a figure, 和 …), and how long. */
  termAt: (text: string, at: number) => { length: number; joins: boolean } | null;
  /** The run of text from `at` is entirely vocabulary words. */
  allTerms: (text: string) => boolean;
}

const HAN = /\p{Script=Han}/u;

/** The two UTF-16 units at `at` as one number: a map key that needs no substring. */
const headAt = (text: string, at: number) => (text.charCodeAt(at) << 16) | text.charCodeAt(at + 1);
/** A name length's bit in a set of lengths; every length from 30 on shares the top bit. */
const lengthBit = (length: number) => 1 << Math.min(length, 30);
/** Bits of the name-shape filter (128 KB): with 100,000 names, about one lookup in ten it lets through finds nothing. */
const NAME_SHAPE_BITS = 1 << 20;
/** A name's head, length and last character hashed to a bit of the filter (names may share one: it only rules lookups out). */
const nameShape = (head: number, length: number, last: number) => (Math.imul(Math.imul(head, 31) + length, 0x9e3779b1) ^ Math.imul(last, 0x85ebca6b)) >>> 12;

export class OrganIndex {
  readonly organs: Organ[];
  private readonly byAlias = new Map<string, AliasEntry[]>();
  private readonly maxAlias: number;
  /**
   * The first two characters of every name (as one number, see headAt) → the longest name starting
   * with them, and which lengths there are: most positions of a question start none, and where one
   * does (宁海县 …) only the lengths some name has are looked up.
   */
  private readonly longestFrom = new Map<number, number>();
  private readonly lengthsFrom = new Map<number, number>();
  /** A bit per (head, length, last character) of every name, hashed: most lengths at a position end where no name does. */
  private readonly nameShapes = new Uint8Array(NAME_SHAPE_BITS / 8);
  private typoIndex: Map<string, string[]> | null = null;

  constructor(organs: Organ[]) {
    this.organs = organs;
    let max = 0;
    for (const o of organs) {
      for (const { alias, weight, covers } of organAliases(o)) {
        let list = this.byAlias.get(alias);
        if (!list) this.byAlias.set(alias, (list = []));
        list.push({ organ: o, weight, covers });
        if (alias.length > max) max = alias.length;
        const head = headAt(alias, 0);
        if ((this.longestFrom.get(head) ?? 0) < alias.length) this.longestFrom.set(head, alias.length);
        this.lengthsFrom.set(head, (this.lengthsFrom.get(head) ?? 0) | lengthBit(alias.length));
        const shape = nameShape(head, alias.length, alias.charCodeAt(alias.length - 1));
        this.nameShapes[shape >>> 3] |= 1 << (shape & 7);
      }
    }
    this.maxAlias = max;
  }

  /** Organs whose printed or rule-made name is exactly `name`, strongest first. */
  exact(name: string): Organ[] {
    return this.strongest(name);
  }

  private strongest(name: string): Organ[] {
    const list = this.byAlias.get(name) ?? [];
    const top = Math.max(0, ...list.map((e) => e.weight));
    return [...new Set(list.filter((e) => e.weight === top).map((e) => e.organ))];
  }

  /**
   * Organ names in a question, left to right, longest first. `text` is compact (no spaces
   * between Chinese characters); years and other words already read are blanked to spaces so
   * they still separate names.
   */
  mentions(text: string, reader: NameReader): Mention[] {
    // Where a name may start (few positions): the longest name and the lengths of names with those two first characters.
    const n = text.length;
    const starts: number[] = [];
    const longestAt: number[] = [];
    const lengthsAt: number[] = [];
    const headsAt: number[] = [];
    let maxLength = 0;
    for (let i = 0; i + 1 < n; i++) {
      const head = headAt(text, i);
      const longest = this.longestFrom.get(head);
      if (!longest || !HAN.test(text[i])) continue;
      starts.push(i);
      longestAt.push(Math.min(longest, n - i));
      lengthsAt.push(this.lengthsFrom.get(head)!);
      headsAt.push(head);
      if (longestAt[longestAt.length - 1] > maxLength) maxLength = longestAt[longestAt.length - 1];
    }
    const taken = new Array<boolean>(n).fill(false);
    const out: Mention[] = [];
    // A name refused because the place in front contradicts it (「苏州市人民政府办公厅」 is not 上海's)
    // is not read again from a shorter name inside it (「政府办公厅」).
    const refused: { start: number; end: number }[] = [];
    // Longest first, then leftmost. A name is only looked up where it could be read: not where a
    // longer one was read already, and only at a length some name with that head and last character has.
    for (let len = maxLength; len >= 2; len--) {
      for (let s = 0; s < starts.length; s++) {
        const i = starts[s];
        if (longestAt[s] < len || !(lengthsAt[s] & lengthBit(len))) continue;
        if (!this.mayEndAt(headsAt[s], len, text.charCodeAt(i + len - 1))) continue;
        let free = true;
        for (let k = i; k < i + len; k++) if (taken[k]) free = false;
        if (!free || refused.some((r) => i >= r.start && i + len <= r.end)) continue;
        const entries = this.byAlias.get(text.slice(i, i + len));
        if (!entries) continue;
        const m = this.read(text, i, i + len, entries, reader);
        if (m === "elsewhere") refused.push({ start: i, end: i + len });
        if (!m || m === "elsewhere") continue;
        taken.fill(true, m.start, m.end);
        out.push(m);
      }
    }
    return out.sort((a, b) => a.start - b.start);
  }

  /** Whether some name with this head and length ends in this character (a bit of nameShapes; never false for a name there is). */
  private mayEndAt(head: number, length: number, last: number): boolean {
    const bit = nameShape(head, length, last);
    return (this.nameShapes[bit >>> 3] & (1 << (bit & 7))) !== 0;
  }

  /** The mention, null when the name is not read here, "elsewhere" when the place in front names another organ. */
  private read(text: string, start: number, end: number, entries: AliasEntry[], reader: NameReader): Mention | null | "elsewhere" {
    const alias = text.slice(start, end);
    const after = text.slice(end);
    // 「淮安区」 is not 淮安市: a level word right after a bare name that did not include one.
    if (isBare(alias) && LEVEL_START.test(after) && !reader.termAt(text, end)) return null;
    const before = placeBefore(text.slice(0, start));
    const outerOf = (e: AliasEntry) => e.organ.places.slice(0, Math.max(0, e.organ.places.length - e.covers));
    const fits = entries.filter((e) => !before || samePlace(outerOf(e).at(-1), before) !== false);
    if (!fits.length) return "elsewhere";
    const top = Math.max(...fits.map((e) => e.weight));
    let best = fits.filter((e) => e.weight === top);
    const child = childAfter(text, end, reader, (name) => this.byAlias.has(name));
    // A bare name (平潭, 科委) must stand on its own: not inside a longer word, unless that word names something under it.
    if (top < DERIVED && !child && !standsAlone(text, start, end, reader)) return null;
    // A region in front that names one of them settles it (蔚县黄土镇, and 「兰陵张集」 without level words).
    const written = before ?? lastPlaceRightBefore(text.slice(0, start));
    if (best.length > 1 && written) {
      const named = best.filter((e) => samePlace(outerOf(e).at(-1), written) === true);
      if (named.length >= 1) best = named;
    }
    const organs = [...new Set(best.map((e) => e.organ))];
    if (child) {
      // 「平潭的市场监管局」: the department of that place, when the data has it.
      const dept = this.strongest(alias + text.slice(end, end + child).replace(/^的/, ""));
      if (dept.length === 1) return { kind: "organ", organ: dept[0], start, end: end + child, text: text.slice(start, end + child) };
      return { kind: "child", parent: organs[0], start, end: end + child, text: text.slice(start, end + child) };
    }
    if (organs.length > 1) return { kind: "several", organs, start, end, text: alias };
    return { kind: "organ", organ: organs[0], start, end, text: alias };
  }

  /**
   * One-character typos of an organ's name (「平谭综合实验区」, 「西殿镇」): organs whose printed or
   * rule-made name is one substitution away from part of `text` by a character that sounds or
   * looks alike (index/similar-chars.ts; 「西周镇」 is another town than 西店镇), or one character
   * missing or added inside a long name — never another level word (「淮安区」 is another place
   * than 淮安市, not a typo).
   */
  /**
   * Places written in pinyin (「pingtan」, 「Hong Ze」, 「xidianzhen」): the governments and towns
   * whose place is spelt so, by the place's core or its core with its level word.
   */
  pinyinNames(text: string): { organ: Organ; typed: string; alias: string }[] {
    const index = this.pinyinIndex();
    const hits = new Map<Organ, { organ: Organ; typed: string; alias: string }>();
    for (const run of text.match(/[a-z]+(?:[ -][a-z]+)*/g) ?? []) {
      const words = run.split(/[ -]/);
      for (let i = 0; i < words.length; i++) {
        for (let j = i + 1; j <= Math.min(words.length, i + 4); j++) {
          const typed = words.slice(i, j).join(run[words[i].length] ?? " ");
          if (!run.includes(typed)) continue;
          for (const { organ, alias } of index.get(words.slice(i, j).join("")) ?? []) {
            const prev = hits.get(organ);
            if (!prev || typed.length > prev.typed.length) hits.set(organ, { organ, typed, alias });
          }
        }
      }
    }
    // The longest spelling wins: 「hongze qu」 is not also 「hongze」 of another organ.
    const longest = Math.max(0, ...[...hits.values()].map((h) => h.typed.length));
    return [...hits.values()].filter((h) => h.typed.length === longest);
  }

  private pinyinKeys: Map<string, { organ: Organ; alias: string }[]> | null = null;

  private pinyinIndex(): Map<string, { organ: Organ; alias: string }[]> {
    if (this.pinyinKeys) return this.pinyinKeys;
    const index = new Map<string, { organ: Organ; alias: string }[]>();
    const spell = (han: string) => (pinyin(han, { toneType: "none", type: "array" }) as string[]).join("").toLowerCase();
    for (const o of this.organs) {
      const inner = o.places.at(-1);
      if (o.body || !inner) continue;
      const { core: c } = splitPlace(inner);
      if (c.length < 2) continue;
      for (const alias of new Set([c, inner])) {
        const key = spell(alias);
        const list = index.get(key) ?? [];
        if (!list.some((e) => e.organ === o)) list.push({ organ: o, alias });
        index.set(key, list);
      }
    }
    return (this.pinyinKeys = index);
  }

  nearMisses(text: string): { organ: Organ; typed: string; alias: string }[] {
    const index = this.typos();
    const hits = new Map<Organ, { organ: Organ; typed: string; alias: string }>();
    const runs = text.match(/[\p{Script=Han}]{3,}/gu) ?? [];
    for (const run of runs) {
      for (let i = 0; i < run.length; i++) {
        for (let len = 3; len <= Math.min(this.maxAlias + 1, run.length - i, 16); len++) {
          const typed = run.slice(i, i + len);
          for (const key of deletions(typed)) {
            for (const alias of index.get(key) ?? []) {
              if (!oneEdit(typed, alias) || !plausibleTypo(typed, alias)) continue;
              // A character added or missing at an end is another word, not a typo: 「淮安市政府办」 names the
              // office, and 「淮安市政」 is only the start of 「淮安市政府办」.
              if (typed.length === alias.length + 1 && (typed.startsWith(alias) || typed.endsWith(alias))) continue;
              if (alias.length === typed.length + 1 && (alias.startsWith(typed) || alias.endsWith(typed))) continue;
              for (const e of this.byAlias.get(alias) ?? []) {
                if (e.weight < DERIVED) continue;
                const prev = hits.get(e.organ);
                if (!prev || typed.length > prev.typed.length) hits.set(e.organ, { organ: e.organ, typed, alias });
              }
            }
          }
        }
      }
    }
    // A two-character name standing alone (「平谈2023年」): only by a confusable character, and never
    // when the typed name is itself a real place (泗阳 is not 沭阳).
    for (const typed of text.match(/(?<!\p{Script=Han})\p{Script=Han}{2}(?!\p{Script=Han})/gu) ?? []) {
      if (isKnownPlace(typed)) continue;
      for (const [alias, entries] of this.byAlias) {
        if (alias.length !== 2 || alias === typed || !oneEdit(typed, alias) || !plausibleTypo(typed, alias)) continue;
        for (const e of entries) if (e.weight >= LOOSE && !hits.has(e.organ)) hits.set(e.organ, { organ: e.organ, typed, alias });
      }
    }
    return [...hits.values()];
  }

  private typos(): Map<string, string[]> {
    if (this.typoIndex) return this.typoIndex;
    const index = new Map<string, string[]>();
    for (const [alias, entries] of this.byAlias) {
      if (alias.length < 3 || !entries.some((e) => e.weight >= DERIVED)) continue;
      for (const key of deletions(alias)) {
        const list = index.get(key);
        if (list) list.push(alias);
        else index.set(key, [alias]);
      }
    }
    return (this.typoIndex = index);
  }
}

/** A text and every way to drop one character from it (keys of the typo index). */
function deletions(s: string): string[] {
  const out = [s];
  for (let i = 0; i < s.length; i++) out.push(s.slice(0, i) + s.slice(i + 1));
  return out;
}

function oneEdit(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  let j = 0;
  while (j < a.length - i && j < b.length - i && a[a.length - 1 - j] === b[b.length - 1 - j]) j++;
  return a.length - i - j <= 1 && b.length - i - j <= 1;
}

/**
 * Whether a one-character edit of `alias` into `typed` is a slip rather than another name: a
 * substitution by a confusable character (never by another level character: 淮安区 / 淮安市 are
 * two places), or a character missing or added inside a name of five or more characters that
 * keeps its level character.
 */
function plausibleTypo(typed: string, alias: string): boolean {
  const level = splitPlace(alias).level;
  const levelEnd = !level ? "" : level.endsWith("街道") ? "街道" : level.slice(-1);
  if (typed.length === alias.length) {
    let i = 0;
    while (typed[i] === alias[i]) i++;
    if (!confusable(typed[i], alias[i])) return false;
    const inLevelEnd = levelEnd !== "" && i >= alias.length - levelEnd.length;
    return !inLevelEnd || !LEVEL_CHARS.has(typed[i]);
  }
  if (Math.min(typed.length, alias.length) < 5) return false;
  return !levelEnd || (typed.endsWith(levelEnd) && typed.length > levelEnd.length);
}

/**
 * The place written right before a name, if any: the shortest tail ending in a level word with a
 * core of two or more characters (「北京市」 in 「请问北京市悦来镇」, 「实验区」 in 「平潭综合实验区」).
 */
export function placeBefore(before: string): string | null {
  const run = /[\p{Script=Han}]{1,20}$/u.exec(before)?.[0] ?? "";
  for (let k = run.length - 3; k >= 0; k--) {
    const tail = run.slice(k);
    const level = tail.endsWith("街道") ? 2 : LEVEL_CHARS.has(tail[tail.length - 1]) ? 1 : 0;
    if (level && tail.length - level >= 2) return tail;
  }
  return null;
}

const LEVEL_CHARS = new Set(["省", "市", "县", "区", "旗", "州", "镇", "乡", "盟"]);

/** Whether a place written in a question is the organ's (suffix either way: 实验区 / 平潭综合实验区); undefined when the organ's is unknown. */
function samePlace(known: string | undefined, written: string): boolean | undefined {
  if (!known) return undefined;
  return known.endsWith(written) || written.endsWith(known) || core(known) === core(written);
}

/** A name with neither a level word nor a department ending: 「平潭」, 「淮安」. */
function isBare(alias: string): boolean {
  return !splitPlace(alias).level && !/(?:局|委员会|委|办公室|办公厅|办|厅|中心|政府|管委会)$/.test(alias);
}

const endsWithProvince = (before: string) => PROVINCES.some(([p]) => before.endsWith(p));

/** Whether a bare name is a word of its own here: nothing Chinese glued on either side but a region or vocabulary. */
function standsAlone(text: string, start: number, end: number, reader: NameReader): boolean {
  const prev = text[start - 1];
  const okBefore =
    !prev ||
    !HAN.test(prev) ||
    placeBefore(text.slice(0, start)) !== null ||
    endsWithProvince(text.slice(0, start)) ||
    (reader.termBefore?.(text, start) ?? false) ||
    // not 「秦安」 before 「县民政局」: there the place is 秦安县, written whole.
    (!LEVEL_START.test(text[start]) && lastPlaceRightBefore(text.slice(0, start)) !== null);
  const next = text[end];
  const okAfter = !next || !HAN.test(next) || reader.termAt(text, end) !== null || next === "的" || /^全[县区市省旗州]/.test(text.slice(end));
  return okBefore && okAfter;
}

/**
 * The last of the places written right before a name without level words (兰陵 in 「兰陵张集」,
 * 淮安 in 「淮安洪泽」), or null when the Chinese run in front is not all places of the division list.
 */
function lastPlaceRightBefore(before: string): string | null {
  const run = /[\p{Script=Han}]{2,12}$/u.exec(before)?.[0];
  const pieces = run ? splitPlaces(run) : null;
  return pieces?.at(-1) ?? null;
}

/** Length of a child organ's name right after a known name (skipping 「的」), or 0. */
function childAfter(text: string, end: number, reader: NameReader, known: (name: string) => boolean): number {
  // 「淮安市政府办」: the government's office, not the government.
  const office = /^(?:办公室|办公厅|办)/.exec(text.slice(end));
  if (office && /府$/.test(text.slice(0, end))) return office[0].length;
  const skip = text[end] === "的" ? 1 : 0;
  const rest = text.slice(end + skip);
  // 「平潭全区」, 「沭阳县全县」: the whole area, not an organ under it.
  if (/^全[县区市省旗州]/.test(rest)) return 0;
  const m = ORGAN_ENDINGS.exec(rest);
  if (!m) return 0;
  const run = m[1];
  // 「李楼镇西店镇」: another organ of the data, not something under the first — but 「淮安市淮安区」
  // is a district of 淮安市 whose name only begins with a name of the data (淮安).
  for (let len = run.length; len >= 2; len--) if (known(rest.slice(0, len)) && !skip && !LEVEL_START.test(rest.slice(len))) return 0;
  const term = reader.termAt(text, end + skip);
  if (term && (term.joins || term.length >= run.length)) return 0;
  if (reader.allTerms(run)) return 0;
  return skip + run.length;
}

/** Whether two organ records are one organ (an upload joining the library's organ of the same name). */
export function sameOrgan(a: Organ, b: Organ): boolean {
  return (
    organKeyOf({ places: a.places, body: a.body }) === organKeyOf({ places: b.places, body: b.body }) &&
    chainsAgree(a.places.slice(0, -1), b.places.slice(0, -1))
  );
}

/**
 * Whether an organ is in an area a user named (宁海县, 平潭综合实验区) or is the organ named: one of
 * its places is that place (by name or core: 宁海 = 宁海县), its region or name contains it, or
 * China's division list puts it there for certain.
 */
export function inArea(o: { name: string; region: string | null; places?: string[] }, area: string): boolean {
  const a = area.trim();
  if (!a) return false;
  const c = splitPlace(a).core;
  return (
    (o.places ?? []).some((p) => p === a || (c.length >= 2 && splitPlace(p).core === c)) ||
    (o.region ?? "").includes(a) ||
    o.name.includes(a) ||
    // A township printed without its county, when the division list has it in one place only.
    (c.length >= 2 && !!o.places?.length && placeWithin(a, o.places))
  );
}
