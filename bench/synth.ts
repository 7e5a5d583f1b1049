/**
 * Synthetic corpus for benchmarks: organs × years of reports that satisfy every rule,
 * written out as report text by the same renderer the tests use.
 */
import { balancedCells, type Layout, renderReport } from "../test/helpers/render.ts";

const SYL = "安宝北昌城大德东丰福高古关广海和河红华黄吉金井康乐李林龙马南平桥青清秋仁三沙山上石双顺太桃天王文西溪新兴阳永玉云长正中紫";
const COUNTIES = ["宁海县", "象山县", "蔚县", "费县", "沂水县", "高青县", "临淄区", "仪陇县", "秦安县", "郸城县", "兰陵县", "麻城市", "海伦市", "宣威市", "于都县", "富平县", "临渭区", "隆回县", "普宁市", "桦川县"];
const KINDS = ["镇人民政府", "乡人民政府", "街道办事处"];

export interface SynthReport {
  file: string;
  text: string;
  organ: string;
  year: number;
}

/** Deterministic: the same n gives the same corpus. */
export function* synthReports(n: number, years = [2021, 2022, 2023, 2024, 2025]): Generator<SynthReport> {
  let seed = 7;
  const rand = (k: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % k;
  };
  const layouts: Layout[] = ["tsv", "lines", "pipes", "html"];
  const organs = Math.ceil(n / years.length);
  let made = 0;
  for (let o = 0; o < organs && made < n; o++) {
    const name = SYL[o % SYL.length] + SYL[Math.floor(o / SYL.length) % SYL.length];
    const county = COUNTIES[Math.floor(o / (SYL.length * SYL.length)) % COUNTIES.length];
    const organ = `${county}${name}${KINDS[o % KINDS.length]}`;
    for (const year of years) {
      if (made >= n) break;
      const layout = layouts[rand(layouts.length)];
      const text = renderReport({ organ, year, cells: balancedCells(rand(40)), layout, claim: rand(5) === 0 ? rand(40) : undefined });
      yield { file: `${String(made).padStart(5, "0")}.${layout === "html" ? "html" : "txt"}`, text, organ, year };
      made++;
    }
  }
}
