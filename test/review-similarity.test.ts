import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { containment, normalizeProse, shingles } from "../review/similarity.ts";

const PROSE = JSON.parse(readFileSync(join(import.meta.dirname, "fixtures", "review", "prose.json"), "utf8")) as { a: string[]; b: string[] };
const A = PROSE.a.join("");
const B = PROSE.b.join("");
const share = (x: string, y: string, names: string[] = []) => containment(shingles(normalizeProse(x, names)), shingles(normalizeProse(y, names)));

describe("text similarity: share of one text's 5-character shingles found in another", () => {
  it.each([
    ["the same text", A, A, [], 1, 1],
    ["spacing, punctuation and line breaks differ", A, A.replace(/，/g, ", ").replace(/。/g, "。\n  "), [], 1, 1],
    ["only the numbers differ (this year's figures in last year's words)", "全年主动公开政府信息256条，收到申请12件。", "全年主动公开政府信息1024条，收到申请3件。", [], 1, 1],
    ["only the organ's name differs (another township's text)", "李楼镇高度重视政务公开工作，李楼镇党委专题研究部署。", "西店镇高度重视政务公开工作，西店镇党委专题研究部署。", ["李楼镇", "西店镇", "李楼", "西店"], 1, 1],
    ["one paragraph of five rewritten", A, [...PROSE.a.slice(0, 4), PROSE.b[4]].join(""), [], 0.7, 0.85],
    ["two reports on different work", A, B, [], 0, 0.1],
    ["half of the text added from elsewhere", A + B, A, [], 0.4, 0.6],
    ["an empty text", "", A, [], 0, 0],
  ] as const)("%s", (_name, x, y, names, lo, hi) => {
    const s = share(x, y, [...names]);
    expect(s).toBeGreaterThanOrEqual(lo);
    expect(s).toBeLessThanOrEqual(hi);
  });

  it("is one-sided: a short text inside a long one is all contained, the long one is not", () => {
    expect(share(PROSE.a[0], A)).toBe(1);
    expect(share(A, PROSE.a[0])).toBeLessThan(0.3);
  });
});
