/**
 * The grammar of an organ's name: the places it sits in (outermost first) and, for a
 * department, the body under the innermost place. 「淮安市洪泽区人民政府」 is the government of
 * 洪泽区 in 淮安市; 「上海市科学技术委员会」 is a department (科学技术委员会) of 上海市.
 *
 * One module for the parser (a report's organ and its canonical key), the index (one organ
 * across years and titles) and question understanding (what a typed name refers to).
 * Pure: names in, structure out.
 */

/** Administrative level words that end a place name, longest first so 自治县 wins over 县. */
export const PLACE_LEVELS = [
  "特别行政区", "经济技术开发区", "高新技术产业开发区", "综合实验区", "自治州", "自治县", "自治旗", "自治区",
  "民族乡", "开发区", "实验区", "示范区", "高新区", "新区", "林区", "特区", "地区", "街道", "苏木",
  "省", "市", "州", "盟", "县", "旗", "区", "镇", "乡",
] as const;

/** Words that make a place's own government: 「洪泽区人民政府」 is 洪泽区. */
const GOVERNMENT_WORDS = ["党工委管委会", "管理委员会", "街道办事处", "人民政府", "管委会", "办事处", "政府"];

/** Endings of a department's name (局, 委员会 …): a body must end with one. */
const BODY_ENDINGS = /(?:局|委员会|委|办公室|办公厅|办|厅|中心|署|院|所|站|队|馆|部|处|会|室|社|行|公司|集团)$/u;

/** The characters that end a place level, for telling a glued pair of places (淮安市洪泽区) from one. */
const LEVEL_CHARS = new Set(["省", "市", "州", "盟", "县", "旗", "区", "镇", "乡"]);

/** Provinces and the municipalities directly under the central government, with their one-character names. */
export const PROVINCES: readonly [name: string, short: string][] = [
  ["北京", "京"], ["天津", "津"], ["上海", "沪"], ["重庆", "渝"], ["河北", "冀"], ["山西", "晋"], ["辽宁", "辽"], ["吉林", "吉"],
  ["黑龙江", "黑"], ["江苏", "苏"], ["浙江", "浙"], ["安徽", "皖"], ["福建", "闽"], ["江西", "赣"], ["山东", "鲁"], ["河南", "豫"],
  ["湖北", "鄂"], ["湖南", "湘"], ["广东", "粤"], ["海南", "琼"], ["四川", "川"], ["贵州", "黔"], ["云南", "滇"], ["陕西", "陕"],
  ["甘肃", "甘"], ["青海", "青"], ["台湾", "台"], ["内蒙古", "蒙"], ["广西", "桂"], ["西藏", "藏"], ["宁夏", "宁"], ["新疆", "新"],
  ["香港", "港"], ["澳门", "澳"],
];

export interface OrganName {
  /** Places from outermost to innermost, each with its level word: ["淮安市", "洪泽区"]. */
  places: string[];
  /** The department or office under the innermost place, as printed; null for the place's own government. */
  body: string | null;
}

/** 「洪泽区」 → 洪泽 + 区; 「平潭综合实验区」 → 平潭 + 综合实验区; a name with no level word is all core. */
export function splitPlace(place: string): { core: string; level: string } {
  for (const level of PLACE_LEVELS) {
    if (place.endsWith(level) && place.length > level.length) return { core: place.slice(0, -level.length), level };
  }
  return { core: place, level: "" };
}

interface Parse {
  places: string[];
  rest: string;
  score: number;
}

/**
 * Every way to read the start of `s` as places, best first. A place is a core of at least one
 * character and a level word; a core that itself ends in a level character after two or more
 * characters (「淮安市洪泽」) is two places glued and scores lower, as does a one-character core.
 */
const NOT_PLACES = new Set(["城市", "都市", "社区", "小区", "市区", "县区", "景区", "园区", "片区", "辖区", "城乡"]);

function placeParses(s: string): Parse[] {
  const out: Parse[] = [];
  const walk = (at: number, places: string[], score: number) => {
    out.push({ places: [...places], rest: s.slice(at), score });
    if (places.length >= 5) return;
    for (let end = at + 2; end <= Math.min(s.length, at + 14); end++) {
      const candidate = s.slice(at, end);
      const { core, level } = splitPlace(candidate);
      if (!level || core.length === 0) continue;
      // 「市场监督管理局」 is not the place 「市」; 「住房和城乡建设局」 has no place 「住房和城乡」 (but 和平镇 is one).
      if (GOVERNMENT_WORDS.some((g) => core.startsWith(g)) || /^(?:建设|规划|居民|一体)/.test(s.slice(end))) continue;
      // 「城市管理局」 is no place 「城市」: words that end in a level character without being a place.
      if (NOT_PLACES.has(candidate)) continue;
      let penalty = core.length === 1 ? 0.6 : 0;
      for (let i = 2; i < core.length; i++) if (LEVEL_CHARS.has(core[i])) penalty += 2;
      walk(end, [...places, candidate], score + 1 - penalty);
    }
  };
  walk(0, [], 0);
  return out;
}

/** What follows the places: nothing or a government word (the government itself), or a department. */
function restKind(rest: string): { ok: boolean; body: string | null } {
  if (rest === "") return { ok: true, body: null };
  for (const g of GOVERNMENT_WORDS) if (rest === g) return { ok: true, body: null };
  if (rest.length >= 2 && BODY_ENDINGS.test(rest)) return { ok: true, body: rest };
  return { ok: false, body: null };
}

const splitCache = new Map<string, OrganName>();

/** Places and body of an organ's name (whitespace and brackets ignored). */
export function splitOrganName(raw: string): OrganName {
  const name = raw.replace(/[\s《》“”"]/g, "");
  const hit = splitCache.get(name);
  if (hit) return hit;
  let best: { parse: Parse; body: string | null } | null = null;
  for (const p of placeParses(name)) {
    const kind = restKind(p.rest);
    if (!kind.ok) continue;
    // A department needs a place in front (「科委」 alone names no place, but is still a body).
    if (!best || p.score > best.parse.score) best = { parse: p, body: kind.body };
  }
  const result: OrganName = best ? { places: best.parse.places, body: best.body } : { places: [], body: name || null };
  if (splitCache.size > 5000) splitCache.clear();
  splitCache.set(name, result);
  return result;
}

/**
 * Conventional short names of department bodies that no rule derives from the full name
 * (see abbreviations()). Both directions are used: the full name for the canonical key, the
 * short names as aliases.
 */
export const CONVENTIONAL_BODIES: readonly [full: string, shorts: string[]][] = [
  ["人民政府办公厅", ["政府办公厅", "府办", "政府办", "人民政府办", "办公厅"]],
  ["人民政府办公室", ["政府办公室", "府办", "政府办", "人民政府办", "办公室"]],
  ["科学技术委员会", ["科委", "科技委", "科技委员会"]],
  ["科学技术局", ["科技局"]],
  ["发展和改革委员会", ["发改委"]],
  ["发展和改革局", ["发改局"]],
  ["教育委员会", ["教委"]],
  ["卫生健康委员会", ["卫健委"]],
  ["卫生和计划生育委员会", ["卫计委"]],
  ["住房和城乡建设局", ["住建局"]],
  ["住房和城乡建设委员会", ["住建委"]],
  ["住房和城乡建设厅", ["住建厅"]],
  ["经济和信息化委员会", ["经信委"]],
  ["经济和信息化局", ["经信局"]],
  ["工业和信息化局", ["工信局"]],
  ["人力资源和社会保障局", ["人社局"]],
  ["人力资源和社会保障厅", ["人社厅"]],
  ["自然资源和规划局", ["自然资源局", "资规局", "自规局"]],
  ["市场监督管理局", ["市场监管局", "市监局"]],
  ["生态环境局", ["环保局", "生态局", "环境局"]],
  ["退役军人事务局", ["退役军人局", "退役局"]],
  ["行政审批服务局", ["审批局", "行政审批局"]],
  ["医疗保障局", ["医保局"]],
  ["应急管理局", ["应急局"]],
  ["农业农村局", ["农业局", "农业农村局"]],
  ["文化广电和旅游局", ["文广旅局", "文旅局"]],
  ["文化和旅游局", ["文旅局"]],
  ["统计局", ["统计局"]],
  ["国有资产监督管理委员会", ["国资委"]],
  ["民族宗教事务委员会", ["民宗委"]],
  ["民族宗教事务局", ["民宗局"]],
  ["城市管理局", ["城管局"]],
  ["城市管理综合行政执法局", ["城管局", "城管执法局", "综合执法局", "执法局"]],
  ["综合行政执法局", ["综合执法局", "执法局"]],
  ["机关事务管理局", ["机关事务局", "事管局"]],
  ["政务服务和大数据管理局", ["政数局", "大数据局", "数据局", "政务服务局"]],
  ["大数据发展管理局", ["大数据局", "数据局"]],
  ["数据资源管理局", ["数据局"]],
  ["政务服务管理局", ["政务服务局", "政务局"]],
  ["粮食和物资储备局", ["粮储局", "粮食局"]],
  ["文化广电旅游体育局", ["文广旅体局", "文旅局"]],
  ["文化广电体育和旅游局", ["文广体旅局", "文旅局"]],
  ["教育和体育局", ["教体局", "教育局"]],
  ["地方金融监督管理局", ["金融局", "地方金融监管局", "金融监管局"]],
  ["人民防空办公室", ["人防办"]],
];

/**
 * Abbreviations said without their ending as well (「人社2024年依申请数」): only these, whose two
 * characters are no word of their own.
 */
export const BARE_ABBREVIATIONS: ReadonlySet<string> = new Set(["发改局", "发改委", "人社局", "住建局", "卫健委", "卫健局", "市监局", "工信局", "文旅局", "自规局", "医保局"]);

const CONNECTIVES = /和|与|及/;

/** The ending of a department's name, and what it is shortened to (委员会 → 委, 办公室 → 办). */
function bodyEnding(body: string): { stem: string; ending: string; shortEnding: string } | null {
  const endings: [string, string][] = [["委员会", "委"], ["办公室", "办"], ["办公厅", "厅"], ["管理局", "局"], ["局", "局"], ["委", "委"], ["厅", "厅"], ["中心", "中心"], ["办", "办"]];
  for (const [ending, shortEnding] of endings) {
    if (body.endsWith(ending) && body.length > ending.length) return { stem: body.slice(0, -ending.length), ending, shortEnding };
  }
  return null;
}

/** Two-character words of a stem (Chinese department names are built from them): 市场监督 → 市场 监督. */
function words(stem: string): string[] {
  const out: string[] = [];
  for (const phrase of stem.split(CONNECTIVES).filter(Boolean)) {
    for (let i = 0; i < phrase.length; i += 2) out.push(phrase.slice(i, i + 2));
  }
  return out;
}

/**
 * Short names of a department built the way people build them, from the leading characters of
 * its words: 发展和改革局 → 发改局, 市场监督管理局 → 市场监管局 / 市监局, 人力资源和社会保障局 → 人社局,
 * 交通运输局 → 交通局, 财政金融局 → 财金局 / 财政局, 社会事业局 → 社事局, 科学技术委员会 → 科委 / 科技委;
 * plus the conventional ones (CONVENTIONAL_BODIES).
 */
export function abbreviations(body: string): string[] {
  const out = new Set<string>();
  for (const [full, shorts] of CONVENTIONAL_BODIES) if (body === full) shorts.forEach((s) => out.add(s));
  const e = bodyEnding(body.replace(/^(?:人民)?政府(?=办公)/, ""));
  if (e) {
    const { stem, shortEnding } = e;
    const phrases = stem.split(CONNECTIVES).filter(Boolean);
    const ws = words(stem);
    // 管理局 keeps its 管 when the stem ends in 监督 (市场监督管理局 → 市场监管局).
    const tail = e.ending === "管理局" ? "管局" : shortEnding;
    if (ws.length >= 2) {
      out.add(ws.map((w) => w[0]).join("") + shortEnding);
      out.add(ws[0] + ws.slice(1).map((w) => w[0]).join("") + tail);
      out.add(ws[0][0] + ws[1][0] + shortEnding);
      out.add(ws[0] + shortEnding);
    }
    if (phrases.length >= 2) out.add(phrases.map((p) => p[0]).join("") + shortEnding);
    if (ws.length === 1 && e.ending !== shortEnding) out.add(stem + shortEnding);
    if (ws.length >= 1 && shortEnding === "委") out.add(ws[0][0] + "委");
  }
  for (const a of [...out]) if (BARE_ABBREVIATIONS.has(a)) out.add(a.slice(0, -1));
  out.delete(body);
  return [...out].filter((a) => a.length >= 2);
}

/** The body written the same way whatever the year's title used: 人民政府办公厅 for 政府办公厅, full names for conventional short ones. */
export function canonicalBody(body: string): string {
  const b = body.replace(/^政府(?=办公)/, "人民政府");
  for (const [full, shorts] of CONVENTIONAL_BODIES) if (shorts.includes(b) && !/^办公|^府办|^政府办|^人民政府办$/.test(b)) return full;
  return b;
}

/**
 * A key for an organ that does not depend on how a year's title printed it: the innermost place
 * and the canonical body. 「洪泽区人民政府」 and 「淮安市洪泽区人民政府」 share 「洪泽区|」; the region
 * (outer places) is kept beside it, so two 黄土镇 of different counties are told apart by the index.
 */
export function organKeyOf(n: OrganName): string {
  const place = n.places[n.places.length - 1] ?? "";
  return `${place}|${n.body ? canonicalBody(n.body) : ""}`;
}

export type OrganLevel = "province" | "city" | "county" | "township" | "department";

export const LEVEL_LABELS: Record<OrganLevel, string> = {
  province: "省级人民政府",
  city: "市级人民政府",
  county: "县级人民政府",
  township: "乡镇（街道）",
  department: "部门",
};

/** The level of the organ: its deadline (1月31日 or 3月31日) and the plausibility rules follow from it. */
export function organLevel(n: OrganName): OrganLevel {
  if (n.body) return "department";
  const inner = n.places[n.places.length - 1];
  if (!inner) return "department";
  const { core, level } = splitPlace(inner);
  if (["镇", "乡", "民族乡", "街道", "苏木"].includes(level)) return "township";
  if (["省", "自治区", "特别行政区"].includes(level)) return "province";
  if (PROVINCES.some(([p]) => p === core) && (level === "市" || level === "")) return "province";
  if (["自治州", "州", "盟", "地区"].includes(level)) return "city";
  // A 市 inside another place (淮安市 in 江苏省) is a city; a 市 under a city is a county-level city.
  if (level === "市") {
    const outer = n.places[n.places.length - 2];
    return outer && splitPlace(outer).level === "市" ? "county" : "city";
  }
  return "county";
}
