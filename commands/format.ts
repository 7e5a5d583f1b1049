/**
 * Shared plain-text pieces for answers: the key figures of a report.
 */
import type { Report } from "../parser/index.ts";

export interface Figure {
  label: string;
  cell: string;
  value: number | null;
}

const KEY_CELLS: [string, string][] = [
  ["本年新收申请", "applications.new.total"],
  ["上年结转", "applications.carried_over.total"],
  ["予以公开", "applications.granted.total"],
  ["办理结果总计", "applications.total.total"],
  ["结转下年度", "applications.carried_forward.total"],
  ["行政复议", "review.total"],
  ["行政诉讼（直接起诉）", "litigation.direct.total"],
  ["行政诉讼（复议后起诉）", "litigation.after_review.total"],
];

/** The handful of numbers people look at first. */
export function keyFigures(r: Report): Figure[] {
  return KEY_CELLS.map(([label, cell]) => ({ label, cell, value: r.cells[cell] ?? null }));
}
