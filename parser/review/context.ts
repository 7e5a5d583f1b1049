/**
 * What the single-report rule families read: the report as parsed, its text, its six parts and
 * the level of its organ. Built once per report by the parser (parser/review/index.ts).
 */
import type { Report } from "../index.ts";
import { type OrganLevel, organLevel, splitOrganName } from "../organ-name.ts";
import type { SectionHeading } from "./outline.ts";

export interface OrganLevelInfo {
  /** township, county … or department. */
  level: OrganLevel;
  /** For a department, the level of the place it belongs to (县 → county); else the same as `level`. */
  placeLevel: OrganLevel | null;
}

/** The level of a report's organ, from its name (with the region in front when the name has no place). */
export function levelOf(organ: string | null, region: string | null = null): OrganLevelInfo | null {
  if (!organ) return null;
  let name = splitOrganName(organ);
  if (name.places.length === 0 && region) name = splitOrganName(region + organ);
  const level = organLevel(name);
  if (level !== "department") return { level, placeLevel: level };
  // A township has no departments that publish reports, so a department belongs to the innermost
  // place above township level (this also reads 「住房和城乡建设局」 right, which splits as 「…城乡」+「建设局」).
  const places = [...name.places];
  while (places.length && organLevel({ places, body: null }) === "township") places.pop();
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
