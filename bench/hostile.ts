/**
 * Hostile files through the parse pool (as an upload would go): how long until each gets its
 * clear answer, and that the main thread stayed free meanwhile (the longest stall of a 10 ms
 * timer on it). And the parser's narrative counts over 1 MB of digits followed by 件, the text
 * that made the old pattern quadratic.
 */
import { narrativeClaims } from "../parser/checks.ts";
import { ParsePool } from "../index/parse-pool.ts";
import { docxBomb, flateBombPdf, nestedArrayPdf, repeatedPagePdf } from "../test/helpers/hostile.ts";

export async function benchHostile() {
  const pool = new ParsePool({ size: 1 });
  const files: [string, string, Buffer][] = [
    ["200 MB-inflating .docx", "bomb.docx", await docxBomb(200)],
    ["PDF nesting arrays 100,000 deep", "nested.pdf", nestedArrayPdf(100_000)],
    ["PDF of one page 200,000 times", "pages.pdf", repeatedPagePdf(200_000)],
    ["PDF stream inflating to 1.5 GB", "flate.pdf", await flateBombPdf(1500)],
  ];
  // Warm the worker: its start-up is not the file's.
  await pool.parse(Buffer.from("x"), "warm.txt");
  const out: { what: string; ms: number; stallMs: number; error: string }[] = [];
  for (const [what, name, bytes] of files) {
    let last = performance.now();
    let stall = 0;
    const tick = setInterval(() => {
      const t = performance.now();
      stall = Math.max(stall, t - last - 10);
      last = t;
    }, 10);
    const t0 = performance.now();
    const r = await pool.parse(bytes, name);
    out.push({ what, ms: performance.now() - t0, stallMs: stall, error: "error" in r ? r.error : "(read as a report)" });
    clearInterval(tick);
  }
  await pool.close();
  const digits = `${"1".repeat(1_000_000 - 1)}件`;
  const t0 = performance.now();
  narrativeClaims(digits);
  return { files: out, narrativeMs: performance.now() - t0 };
}
