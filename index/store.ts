/**
 * The reports the bot knows, and the two ways to find things in them: direct lookups
 * (organ by any of its names, then year) for questions, and a minisearch full-text index
 * over organ names and narratives for fuzzy names and /搜索.
 */
import MiniSearch, { type SearchResult } from "minisearch";
import type { Report } from "../parser/index.ts";
import { DEFAULT_TOKENIZER, makeTokenizer, type TokenizerOptions } from "./tokenize.ts";

export interface Organ {
  key: string;
  /** Full name as printed in the latest report. */
  name: string;
  short: string;
  region: string | null;
  /** Reports by year. */
  reports: Map<number, Report>;
}

export interface OrganMatch {
  organs: Organ[];
  /** The words of the question that named it. */
  alias: string;
  start: number;
  end: number;
}

interface SearchDoc {
  id: number;
  organ: string;
  names: string;
  region: string;
  year: number;
  text: string;
}

export const SEARCH_FIELDS = ["names", "text"] as const;

/** Name without its administrative suffix: 李楼镇 → 李楼, 李楼镇人民政府 → 李楼. */
export function coreName(name: string): string {
  return name.replace(/(?:人民政府|办事处)$/, "").replace(/(?:镇|乡|街道)$/, "");
}

export function organKey(r: Pick<Report, "organ" | "organShort" | "region">): string {
  return `${r.region ?? ""}|${r.organShort ?? r.organ ?? "?"}`;
}

function aliasesOf(o: Organ, names: Set<string>): string[] {
  const out = new Set<string>();
  for (const n of [...names, o.short]) {
    out.add(n);
    if (o.region && !n.startsWith(o.region)) out.add(o.region + n);
    if (o.region && n.startsWith(o.region) && n.length > o.region.length + 1) out.add(n.slice(o.region.length));
  }
  const core = coreName(o.short);
  if (core.length >= 2 && core !== o.short) out.add(core);
  return [...out].filter((a) => a.length >= 2);
}

export function editDistanceAtMost1(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length, lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0, j = 0, edits = 0;
  while (i < la && j < lb) {
    if (a[i] === b[j]) {
      i++;
      j++;
      continue;
    }
    if (++edits > 1) return false;
    if (la > lb) i++;
    else if (lb > la) j++;
    else {
      i++;
      j++;
    }
  }
  return edits + (la - i) + (lb - j) <= 1;
}

export class ReportStore {
  readonly organs: Organ[] = [];
  readonly reports: Report[];
  private readonly byKey = new Map<string, Organ>();
  private readonly byAlias = new Map<string, Set<Organ>>();
  private readonly maxAlias: number;
  private searchIndex: MiniSearch<SearchDoc> | null = null;
  private readonly loadSearch: () => MiniSearch<SearchDoc>;
  readonly tokenizer: TokenizerOptions;

  constructor(reports: Report[], opts: { tokenizer?: TokenizerOptions; searchIndex?: () => MiniSearch<SearchDoc> } = {}) {
    this.tokenizer = opts.tokenizer ?? DEFAULT_TOKENIZER;
    this.reports = reports.filter((r) => r.organ && r.year);
    const names = new Map<Organ, Set<string>>();
    // Oldest first, so an organ's displayed name is its latest.
    for (const r of [...this.reports].sort((a, b) => a.year! - b.year!)) {
      const key = organKey(r);
      let o = this.byKey.get(key);
      if (!o) {
        o = { key, name: r.organ!, short: r.organShort ?? r.organ!, region: r.region, reports: new Map() };
        this.byKey.set(key, o);
        this.organs.push(o);
        names.set(o, new Set());
      }
      o.name = r.organ!;
      names.get(o)!.add(r.organ!);
      if (o.reports.has(r.year!)) {
        // Two files for one organ and year: keep the later file name (a re-publication replaces).
        if ((o.reports.get(r.year!)!.file ?? "") > (r.file ?? "")) continue;
      }
      o.reports.set(r.year!, r);
    }
    let maxAlias = 0;
    for (const o of this.organs) {
      for (const a of aliasesOf(o, names.get(o)!)) {
        let set = this.byAlias.get(a);
        if (!set) this.byAlias.set(a, (set = new Set()));
        set.add(o);
        maxAlias = Math.max(maxAlias, a.length);
      }
    }
    this.maxAlias = maxAlias;
    // Exact names, years and figures resolve by direct lookup; the full-text index is only
    // needed for fuzzy names and /搜索, so it is built (or loaded) on first use.
    this.loadSearch = opts.searchIndex ?? (() => ReportStore.buildSearch(this.reports, this.tokenizer));
  }

  get search(): MiniSearch<SearchDoc> {
    this.searchIndex ??= this.loadSearch();
    return this.searchIndex;
  }

  static searchOptions(tokenizer: TokenizerOptions) {
    const tokenize = makeTokenizer(tokenizer);
    return {
      fields: [...SEARCH_FIELDS],
      storeFields: [],
      tokenize,
      searchOptions: { tokenize, boost: { names: 3 } },
    };
  }

  static buildSearch(reports: Report[], tokenizer: TokenizerOptions): MiniSearch<SearchDoc> {
    const ms = new MiniSearch<SearchDoc>(ReportStore.searchOptions(tokenizer));
    ms.addAll(
      reports.map((r, id) => ({
        id,
        organ: r.organ ?? "",
        names: [r.organ, r.organShort, r.region ? `${r.region}${r.organShort}` : "", coreName(r.organShort ?? "")].join(" "),
        region: r.region ?? "",
        year: r.year ?? 0,
        text: r.narrative.map((s) => s.text).join("\n"),
      })),
    );
    return ms;
  }

  /** The longest organ name (any alias) inside a question, with every organ it may mean. */
  findOrgan(text: string): OrganMatch | null {
    let best: OrganMatch | null = null;
    for (let i = 0; i < text.length; i++) {
      for (let len = Math.min(this.maxAlias, text.length - i); len >= 2; len--) {
        if (best && len <= best.alias.length) break;
        const alias = text.slice(i, i + len);
        const set = this.byAlias.get(alias);
        if (!set) continue;
        const organs = [...set].filter((o) => this.fits(o, text.slice(0, i), text.slice(i + len)));
        if (organs.length) {
          best = { organs, alias, start: i, end: i + len };
          break;
        }
      }
    }
    return best;
  }

  /**
   * A short alias must not contradict the words around it: 「悦来」 in 「悦来镇」 is not 悦来乡,
   * 「统计局」 in 「秦安县统计局」 is not 兰陵县统计局.
   */
  private fits(o: Organ, before: string, after: string): boolean {
    const suffix = /^(镇|乡|街道)/.exec(after)?.[1];
    if (suffix && !o.short.endsWith(suffix) && !o.name.includes(suffix)) return false;
    const region = /([\p{Script=Han}]{1,8}?(?:省|市|县|区|旗))$/u.exec(before)?.[1];
    if (region && !(o.region ?? "").endsWith(region) && !o.name.startsWith(region) && !(o.region && region.endsWith(o.region))) return false;
    return true;
  }

  /** Organs whose name is one character away from `name` — for 「您是不是要找」. */
  similarOrgans(name: string, limit = 3): Organ[] {
    const n = name.trim();
    if (n.length < 2) return [];
    const out = new Set<Organ>();
    for (const [alias, set] of this.byAlias) {
      if (alias.length >= 3 && editDistanceAtMost1(alias, n)) for (const o of set) out.add(o);
    }
    if (out.size === 0) {
      for (const hit of this.search.search(n, { fields: ["names"], fuzzy: 0.5, prefix: false, combineWith: "OR" }).slice(0, 10)) {
        // Only names that share most of their characters with what was typed.
        if (hit.score < 1 || hit.terms.length < Math.max(1, [...n].length - 2)) continue;
        const r = this.reports[hit.id as number];
        const o = this.byKey.get(organKey(r));
        if (o) out.add(o);
        if (out.size >= limit) break;
      }
    }
    return [...out].slice(0, limit);
  }

  organByKey(key: string): Organ | undefined {
    return this.byKey.get(key);
  }

  /** Display name that tells apart organs sharing a short name (蔚县黄土镇 / 仪陇县黄土镇). */
  displayName(o: Organ): string {
    const same = this.byAlias.get(o.short);
    return same && same.size > 1 && o.region ? `${o.region}${o.short}` : o.short;
  }

  years(): number[] {
    return [...new Set(this.reports.map((r) => r.year!))].sort((a, b) => a - b);
  }

  fullText(query: string, limit = 10): { report: Report; result: SearchResult }[] {
    return this.search
      .search(query, { fields: ["text"], combineWith: "AND", prefix: false })
      .slice(0, limit)
      .map((result) => ({ report: this.reports[result.id as number], result }));
  }
}
