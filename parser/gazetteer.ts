/**
 * Where a place is: the province and city above a county, from China's division list
 * (parser/divisions.ts). Used to tell whether a place a user writes in front of a name agrees
 * with the organ the data has (「江苏淮安市洪泽区」 agrees, 「四川悦来镇」 does not agree with
 * 桦川县悦来镇 in 黑龙江) — the data's own titles rarely print the province.
 */
import { DIVISIONS } from "./divisions.ts";
import { PROVINCES, splitPlace } from "./organ-name.ts";

/** The 56 nationalities, as they end autonomous places' names (沿河土家族自治县, 延边朝鲜族自治州). */
const NATIONALITIES =
  "蒙古|回|藏|维吾尔|苗|彝|壮|布依|朝鲜|满|侗|瑶|白|土家|哈尼|哈萨克|傣|黎|傈僳|佤|畲|高山|拉祜|水|东乡|纳西|景颇|柯尔克孜|土|达斡尔|仫佬|羌|布朗|撒拉|毛南|仡佬|锡伯|阿昌|普米|塔吉克|怒|乌孜别克|俄罗斯|鄂温克|德昂|保安|裕固|京|塔塔尔|独龙|鄂伦春|赫哲|门巴|珞巴|基诺|各";
const NATIONALITY_TAIL = new RegExp(`(?:(?:${NATIONALITIES})族)+$`, "u");

/** A place's name without its level word or nationalities: 江苏省 → 江苏, 广西壮族自治区 → 广西, 延边朝鲜族自治州 → 延边. */
export function placeCore(place: string): string {
  const province = PROVINCES.find(([p]) => place.startsWith(p));
  if (province && (place === province[0] || /^(?:省|市|自治区|特别行政区|[\p{Script=Han}]{1,4}族自治区)$/u.test(place.slice(province[0].length)))) return province[0];
  const { core } = splitPlace(place);
  const stripped = core.replace(NATIONALITY_TAIL, "");
  return stripped.length >= 2 ? stripped : core;
}

const TOWNSHIP_LEVEL = /^(?:镇|乡|民族乡|街道|苏木)$/;

/** Chains from the province down, by every name and core of each place in them (townships by name only). */
let byName: Map<string, string[][]> | null = null;

function index(): Map<string, string[][]> {
  if (byName) return byName;
  const idx = new Map<string, string[][]>();
  const add = (key: string, chain: string[]) => {
    if (key.length < 2) return;
    const list = idx.get(key);
    if (list) list.push(chain);
    else idx.set(key, [chain]);
  };
  const seen = new Set<string>();
  for (const line of DIVISIONS.split("\n")) {
    const [province, city, county, townships] = line.split(":");
    // 市辖区 and 县 stand in for a municipality's city: the chain skips them.
    const cityChain = city === "市辖区" || city === "县" ? [province] : [province, city];
    for (const [name, chain] of [[province, [province]], [city, cityChain]] as [string, string[]][]) {
      if (seen.has(name) || chain.length === 0 || (name === city && cityChain.length === 1)) continue;
      seen.add(name);
      add(name, chain);
      if (placeCore(name) !== name) add(placeCore(name), chain);
    }
    const countyChain = county === "市辖区" ? cityChain : [...cityChain, county];
    if (county !== "市辖区") {
      add(county, countyChain);
      if (placeCore(county) !== county) add(placeCore(county), countyChain);
    }
    // Townships only by their full name: a town's core is too often a county's (城关, 新城).
    for (const t of townships ? townships.split(",") : []) add(t, [...countyChain, t]);
  }
  byName = idx;
  return idx;
}

/** Every chain (province, city, county, township) that a place may be, by its name or its core; none when the list does not know it. */
export function chainsOf(place: string): string[][] {
  const idx = index();
  return idx.get(place) ?? idx.get(placeCore(place)) ?? [];
}

/** Every name and core the division list knows (provinces to townships). */
export function knownPlaceNames(): IterableIterator<string> {
  return index().keys();
}

/** Whether a place name is in the division list (by name, or by core down to counties). */
export function isKnownPlace(place: string): boolean {
  return chainsOf(place).length > 0;
}

/**
 * Whether a place a user wrote agrees with an organ's places: it is one of them (by core), or,
 * by the division list, a place above them (江苏 above 淮安市洪泽区; 宁海县 above a 西店镇 whose
 * report does not name its county — the list has one 西店镇, in 宁海县). Undefined when the list
 * knows none of the organ's places.
 */
export function placeAgrees(written: string, places: string[]): boolean | undefined {
  const w = placeCore(written);
  if (places.some((p) => p === written || placeCore(p) === w)) return true;
  const chains = organChains(places);
  if (!chains.length) return undefined;
  return chains.some((chain) => chain.some((x) => x === written || placeCore(x) === w));
}

/**
 * Whether an organ is certainly within a place a user wrote: it is one of its places, or every
 * place the list allows for it lies within (a 西店镇 printed without its county is in 宁海县: the
 * list has one 西店镇; a 悦来镇 without its county could be any of eight).
 */
export function placeWithin(written: string, places: string[]): boolean {
  const w = placeCore(written);
  if (places.some((p) => p === written || placeCore(p) === w)) return true;
  const chains = organChains(places);
  return chains.length > 0 && chains.every((chain) => chain.some((x) => x === written || placeCore(x) === w));
}

/** Where an organ's places can be, by the list: the innermost place it knows, narrowed by the outer ones. */
function organChains(places: string[]): string[][] {
  for (let i = places.length - 1; i >= 0; i--) {
    const own = chainsOf(places[i]).filter((chain) => chain.at(-1) === places[i] || placeCore(chain.at(-1)!) === placeCore(places[i]));
    if (!own.length) continue;
    const outer = places.slice(0, i);
    const fit = own.filter((chain) => outer.every((o) => chain.some((x) => x === o || placeCore(x) === placeCore(o))));
    return fit.length ? fit : own;
  }
  return [];
}

/**
 * A run of text read as places written one after another (江苏淮安市, 佳木斯桦川县, 宁海), each a
 * place of the list (by name or core) or a township the list does not hold (a core of two to four
 * characters and 镇/乡/街道), fewest unlisted pieces first; null when the run is not all places.
 */
export function splitPlaces(run: string): string[] | null {
  const best: ({ pieces: string[]; cost: number } | null)[] = new Array(run.length + 1).fill(null);
  best[0] = { pieces: [], cost: 0 };
  for (let i = 0; i < run.length; i++) {
    const sofar = best[i];
    if (!sofar) continue;
    for (let j = i + 2; j <= Math.min(run.length, i + 12); j++) {
      const piece = run.slice(i, j);
      const { core, level } = splitPlace(piece);
      const cost = isKnownPlace(piece) ? 1 : TOWNSHIP_LEVEL.test(level) && core.length >= 2 && core.length <= 4 ? 3 : 0;
      if (!cost) continue;
      const next = { pieces: [...sofar.pieces, piece], cost: sofar.cost + cost };
      if (!best[j] || best[j]!.cost > next.cost) best[j] = next;
    }
  }
  return best[run.length]?.pieces ?? null;
}
