// Debug aid: print how the table reader segmented a file (labels → tokens → rows).
import { readFileSync } from "node:fs";
import { decodeBytes, detectKind, normalizeText } from "../parser/normalize.ts";
import { locateRegions } from "../parser/tables.ts";
import { scan } from "../parser/tokens.ts";

const file = process.argv[2];
const raw = decodeBytes(readFileSync(file)).text;
const text = normalizeText(raw, detectKind(raw, file));
const r = locateRegions(text);
for (const k of ["a", "b", "c"] as const) {
  const reg = r[k];
  console.log(`== ${k}`, reg);
  if (!reg) continue;
  let label = "";
  let nums: string[] = [];
  for (const t of scan(text.slice(...reg))) {
    if (t.kind === "text") {
      if (nums.length) console.log(`  [${label.replace(/\s/g, "").slice(-40)}] ${nums.join(" ")}`);
      if (nums.length) label = "";
      nums = [];
      label += t.text;
    } else nums.push(t.raw + (t.kind === "placeholder" ? "(ph)" : ""));
  }
  if (nums.length) console.log(`  [${label.replace(/\s/g, "").slice(-40)}] ${nums.join(" ")}`);
}
