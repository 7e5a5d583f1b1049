/**
 * What the single-report rule families read: the report as parsed, its text, its six parts and
 * the level of its organ. Built once per report by the parser (parser/review/index.ts).
 */
import type { Report } from "../index.ts";
import { canonicalBody, type OrganLevel, organLevel, type OrganName, splitOrganName, splitPlace } from "../organ-name.ts";
import type { SectionHeading } from "./outline.ts";

/** An organ's name read once: its places and body (parser/organ-name.ts), its level and its government's level. */
export interface OrganInfo extends OrganName {
  /** township, county … or department. */
  level: OrganLevel;
  /** The level of the government it belongs to: its own, or for a department its place's (县 → county); null if unknown. */
  placeLevel: OrganLevel | null;
}

/**
 * The places a department can belong to: a township has no departments that publish reports, so
 * township-level places are dropped from the end (this also reads 「住房和城乡建设局」 right, which
 * splitOrganName cuts as 「…城乡」+「建设局」).
 */
export function departmentPlaces(places: readonly string[]): string[] {
  const out = [...places];
  while (out.length && organLevel({ places: out, body: null }) === "township") out.pop();
  return out;
}

/**
 * An organ's name, level and places, outermost first, with the region the parser found in front
 * where the name does not carry it (「永丰镇人民政府」 in 于都县; places compared by core, 淮安 =
 * 淮安市), and a department's body in its canonical form.
 */
export function organInfoOf(organ: string | null, region: string | null = null): OrganInfo | null {
  if (!organ) return null;
  const name = splitOrganName(organ);
  let places = name.places;
  if (region) {
    const outer = splitOrganName(region).places;
    const core = (p: string) => splitPlace(p).core;
    const missing = (outer.length ? outer : [region]).filter((p) => !places.some((q) => q === p || core(q) === core(p)));
    places = [...missing, ...places];
  }
  const body = name.body ? canonicalBody(name.body) : null;
  const level = organLevel({ places, body });
  const seat = level === "department" ? departmentPlaces(places) : places;
  return { places, body, level, placeLevel: seat.length ? organLevel({ places: seat, body: null }) : null };
}

/** The parser's reading of a report's organ (read again for a report made without it). */
export const organInfoOfReport = (r: Pick<Report, "organ" | "region" | "organInfo">): OrganInfo | null =>
  r.organInfo !== undefined ? r.organInfo : organInfoOf(r.organ, r.region);

export interface SingleReview {
  /** The report as parsed, with the 勾稽 checks but not yet this review's. */
  report: Report;
  /** Normalised text (line breaks kept) and the same without whitespace. */
  text: string;
  compactText: string;
  /** The six parts' headings (null: not found) and their compact bodies. */
  headings: (SectionHeading | null)[];
  bodies: (string | null)[];
  organ: OrganInfo | null;
}
