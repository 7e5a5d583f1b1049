/**
 * When one character in a typed name is a typing mistake for another. A mistyped organ name is
 * read as the organ only when the two characters could be confused: they sound alike (the input
 * method offered the wrong one: 平谭 for 平潭, 西殿 for 西店) or look alike (OCR, or a slip of the
 * eye: 准安 for 淮安, 沐阳 for 沭阳, 巿 for 市). Any other one-character difference is most often
 * another real place — 泗阳县 is not 沭阳县, 西周镇 is not 西店镇, 市教委 is not 市科委 — and a
 * question about a place the data does not have must never get another place's number.
 */
import { pinyin } from "pinyin-pro";

/**
 * Characters confused by shape (形近字), in groups: OCR and a slip of the eye confuse them. Only
 * pairs where a place name would rarely hold the other one (巿, 曰, 夭 …): shape pairs of two
 * common place characters (大/太, 王/玉, 于/千) name two real places as often as one mistyped.
 * Homophones are not listed here: sound is checked on its own.
 */
const LOOK_ALIKE_GROUPS = ["淮准", "术木", "沭沐", "市巿", "己已巳", "戊戌戍", "日曰", "天夭", "末未", "汩汨", "祗祇", "盲肓", "崇祟", "亳毫", "免兔", "鸟乌", "衰衷"] as const;

const lookAlike = new Map<string, Set<string>>();
for (const group of LOOK_ALIKE_GROUPS) {
  for (const a of group) {
    let set = lookAlike.get(a);
    if (!set) lookAlike.set(a, (set = new Set()));
    for (const b of group) if (b !== a) set.add(b);
  }
}

const readingsCache = new Map<string, string[]>();
/** Every reading of a character without tones (乐 → le, yue, yao, lao). */
function readings(ch: string): string[] {
  let r = readingsCache.get(ch);
  if (!r) {
    r = pinyin(ch, { toneType: "none", multiple: true, type: "array" }).filter((p) => /^[a-zü]+$/.test(p));
    readingsCache.set(ch, r);
  }
  return r;
}

/** Whether typing `typed` where `meant` was meant is a plausible slip: same sound (any reading, any tone) or a look-alike. */
export function confusable(typed: string, meant: string): boolean {
  if (typed === meant) return true;
  if (lookAlike.get(typed)?.has(meant)) return true;
  const a = readings(typed);
  return a.length > 0 && readings(meant).some((r) => a.includes(r));
}
