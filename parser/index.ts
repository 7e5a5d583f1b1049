/**
 * The parser's one door: an annual report's text or document bytes in, the canonical model of
 * shared/REPORT-MODEL.md out. Pure apart from reading the bytes it is given (no file system,
 * no clock). Everything outside parser/ imports from here.
 */
export { type NotAReport, type ParseOptions, type ParseResult, type Report, SECTION_TITLES, isReport, parseReport } from "./report.ts";
export {
  ACCEPTED_EXTENSIONS,
  FORMATS_TEXT,
  DocumentError,
  type DocumentKind,
  type DocumentOptions,
  documentKind,
  MAX_FILE_BYTES,
  parseDocument,
  pdfText,
} from "./documents.ts";
export type { SourceKind } from "./normalize.ts";
export type { Check, CheckId, Failure, NarrativeClaim, Severity } from "./checks.ts";
// For rules above the parser (review/) that report in the same shape.
export { check, textFailure } from "./checks.ts";
// The single-report review (rules with their severity, organ readings) that runs after the checks.
export * from "./review/index.ts";
export type { Provenance } from "./tables.ts";
// The cell grammar (ids, rows, labels, template and table names) and the grammar of organ names.
export * from "./template.ts";
export * from "./organ-name.ts";
export { chainsOf, isKnownPlace, knownPlaceNames, placeAgrees, placeCore, placeWithin, splitPlaces } from "./gazetteer.ts";
export { looksTraditional, questionToSimplified, toSimplified } from "./traditional.ts";
export { type Equation, type EquationCheck, TABLE_C_EQUATIONS, tableEquations } from "./checks.ts";
