/**
 * What the single-report rule families read: the report as parsed, its text, its six parts and
 * the level of its organ. Built once per report by the parser (parser/review/index.ts).
 */
import type { Report } from "../index.ts";
import { type OrganLevel, organLevel, type OrganName, splitOrganName } from "../organ-name.ts";
import type { SectionHeading } from "./outline.ts";

export interface OrganLevelInfo {
  /** township, county … or department. */
  level: OrganLevel;
  /** For a department, the level of the place it belongs to (县 → county); else the same as `level`. */
  placeLevel: OrganLevel | null;
}

/** The places of an organ's name, outermost first, with the region in front when the name has none. */
export function placesOf(organ: string, region: string | null = null): OrganName {
  const name = splitOrganName(organ);
  return name.places.length === 0 && region ? splitOrganName(region + organ) : name;
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

/** The level of a report's organ, from its name. */
export function levelOf(organ: string | null, region: string | null = null): OrganLevelInfo | null {
  if (!organ) return null;
  const name = placesOf(organ, region);
  const level = organLevel(name);
  if (level !== "department") return { level, placeLevel: level };
  const places = departmentPlaces(name.places);
  return { level, placeLevel: places.length ? organLevel({ places, body: null }) : null };
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
  organ: OrganLevelInfo | null;
}
