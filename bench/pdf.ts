/**
 * PDF throughput: pages turned into reports per second (text extraction + parse), over the PDFs
 * in test/fixtures (word-processor exports and real published reports).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { getDocumentProxy } from "unpdf";
import { parseDocument } from "../parser/index.ts";

export async function benchPdf(root: string) {
  const files = ["docs", "pdf"].flatMap((d) =>
    readdirSync(join(root, "test", "fixtures", d))
      .filter((f) => f.endsWith(".pdf"))
      .map((f) => readFileSync(join(root, "test", "fixtures", d, f))),
  );
  let pages = 0;
  for (const b of files) pages += (await getDocumentProxy(new Uint8Array(b))).numPages;
  for (const b of files) await parseDocument(b, { file: "x.pdf" }); // warm-up
  const rounds = 5;
  const t0 = performance.now();
  for (let r = 0; r < rounds; r++) for (const b of files) await parseDocument(b, { file: "x.pdf" });
  const s = (performance.now() - t0) / 1000;
  return { files: files.length, pages, pagesPerSecond: Math.round((pages * rounds) / s) };
}
