/**
 * What the single-report rule families read: the report as parsed, its text, its six parts and
 * the level of its organ. Built once per report by the parser (parser/review/index.ts).
 */
import type { Report } from "../index.ts";
import { type OrganLevel, organLevel, type OrganName, splitOrganName } from "../organ-name.ts";
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
 * An organ's name, level and places, outermost first. A name printed without its county
 * (「永丰镇人民政府」, 「农业农村局」) gets the region the parser found (「于都县」) in front.
 */
export function organInfoOf(organ: string | null, region: string | null = null): OrganInfo | null {
  if (!organ) return null;
  const name = splitOrganName(organ);
  let places = name.places;
  if (region && !organ.startsWith(region) && places.length <= 1) {
    const outer = splitOrganName(region).places;
    places = [...outer.filter((p) => !places.includes(p)), ...places];
  }
  const level = organLevel({ places, body: name.body });
  const seat = level === "department" ? departmentPlaces(places) : places;
  return { places, body: name.body, level, placeLevel: seat.length ? organLevel({ places: seat, body: null }) : null };
}

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
