/**
 * The reports the bot knows, and the two ways to find things in them: direct lookups
 * (organ by any of its names, then year) for questions, and a minisearch full-text index
 * over organ names and narratives for fuzzy names and /搜索.
 */
import MiniSearch, { type SearchResult } from "minisearch";
import type { Report } from "../parser/index.ts";
import { splitOrganName, splitPlace } from "../parser/index.ts";
import { groupOrgans, type Organ, OrganIndex, placeBefore, sameOrgan } from "./organs.ts";
import { DEFAULT_TOKENIZER, makeTokenizer, type TokenizerOptions } from "./tokenize.ts";

export type { Organ } from "./organs.ts";

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

export class ReportStore {
  readonly organs: Organ[];
  readonly reports: Report[];
  private readonly byKey = new Map<string, Organ>();
  private readonly organOfReport = new Map<Report, Organ>();
  private names: OrganIndex | null = null;
  private searchIndex: MiniSearch<SearchDoc> | null = null;
  private readonly loadSearch: () => MiniSearch<SearchDoc>;
  readonly tokenizer: TokenizerOptions;

  /** Files of the reports folder that are not reports, with why (for /资料库 and start-up). */
  readonly rejected: readonly { file: string; error: string }[];

  constructor(
    reports: Report[],
    opts: { tokenizer?: TokenizerOptions; searchIndex?: () => MiniSearch<SearchDoc>; rejected?: { file: string; error: string }[] } = {},
  ) {
    this.tokenizer = opts.tokenizer ?? DEFAULT_TOKENIZER;
    this.rejected = opts.rejected ?? [];
    this.reports = reports.filter((r) => r.organ && r.year);
    this.organs = groupOrgans(this.reports);
    for (const o of this.organs) {
      this.byKey.set(o.key, o);
      for (const r of o.reports.values()) this.organOfReport.set(r, o);
    }
    // Exact names, years and figures resolve by direct lookup; the full-text index is only
    // needed for fuzzy names and /搜索, so it is built (or loaded) on first use.
    this.loadSearch = opts.searchIndex ?? (() => ReportStore.buildSearch(this.reports, this.tokenizer));
  }

  /** Every name of every organ, built on the first question. */
  get organNames(): OrganIndex {
    this.names ??= new OrganIndex(this.organs);
    return this.names;
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

  /** The organ a report belongs to (a report of this store), or the one an outside report (an upload) would join. */
  organOf(r: Report): Organ | undefined {
    const own = this.organOfReport.get(r);
    if (own) return own;
    const [probe] = groupOrgans([r]);
    return this.organs.find((o) => o.key === probe.key) ?? this.organs.find((o) => sameOrgan(o, probe));
  }

  /** The organ a whole name means (a roster line such as 「宁海县 西店镇」), if exactly one. */
  organNamed(name: string): Organ | undefined {
    const compactName = name.replace(/\s+/g, "");
    const exact = this.organNames.exact(compactName);
    if (exact.length === 1) return exact[0];
    const found = this.organNames.mentions(compactName, { termAt: () => null, allTerms: () => false });
    const m = found[found.length - 1];
    return m?.kind === "organ" && m.end === compactName.length && found.length === 1 && placeBefore(compactName.slice(0, m.start)) === (m.start ? compactName.slice(0, m.start) : null) ? m.organ : undefined;
  }

  /**
   * Organs a mistyped or unknown name may have meant — for 「您是不是要找」, never for an answer:
   * one character away, or sharing the core of a place name (洪泽县 → 洪泽区).
   */
  similarOrgans(name: string, limit = 3): Organ[] {
    const n = name.trim();
    if (n.length < 2) return [];
    const out = new Set<Organ>();
    for (const hit of this.organNames.nearMisses(n)) out.add(hit.organ);
    if (out.size === 0) {
      const typedCore = splitPlace(splitOrganName(n).places.at(-1) ?? n).core;
      for (const o of this.organs) {
        const core = splitPlace(o.places.at(-1) ?? o.short).core;
        if ((core.length >= 2 && n.includes(core)) || (typedCore.length >= 2 && o.name.includes(typedCore))) out.add(o);
        if (out.size >= limit) break;
      }
    }
    return [...out].slice(0, limit);
  }

  /** Organs under a place named in a question (「上海」 → 上海市科委, 上海市人民政府办公厅). */
  organsIn(place: string): Organ[] {
    if (place.length < 2) return [];
    return this.organs.filter((o) => o.places.some((p) => p === place || p.startsWith(place)));
  }

  organByKey(key: string): Organ | undefined {
    return this.byKey.get(key);
  }

  /** Display name that tells apart organs sharing a short name (蔚县黄土镇 / 仪陇县黄土镇). */
  displayName(o: Organ): string {
    this.shortCounts ??= this.organs.reduce((m, x) => m.set(x.short, (m.get(x.short) ?? 0) + 1), new Map<string, number>());
    return (this.shortCounts.get(o.short) ?? 0) > 1 && o.region && !o.short.startsWith(o.region) ? `${o.region}${o.short}` : o.short;
  }

  private shortCounts: Map<string, number> | null = null;

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
