/**
 * Mirror sites re-host reports in Traditional Chinese, sometimes with pinyin after characters
 * (F16 in the research notes), and people type questions in Traditional characters. Conversion
 * is OpenCC's (opencc-js), a maintained dictionary of characters and phrases, not a hand-made map.
 */
import * as OpenCC from "opencc-js/t2cn";

/**
 * Characters that exist only in Traditional writing and are common in reports: a cheap test of
 * whether a long text is worth converting at all (conversion costs about 0.3 µs a character).
 */
const TRADITIONAL_MARKERS =
  "開處請數據關係結轉經複議訴訟總計維審務機構業會組織國規範許罰強費購採項內資訊現補確認類檢舉報訪書獲應當與為於對來單廢發製證執問題況進體穩險權過詢鄉鎮縣區門辦長統個動態義無決徵額萬駁協調後歸條實際財產讓責負歷衛環設屬護沒減糾復繼續繳納員溝導領貫徹覽營點網絡線頁欄號縱節備註圖";
// A typed array rather than a Set: this runs over every character of every report.
const MARKER_CODES = new Uint8Array(0x10000);
for (const c of TRADITIONAL_MARKERS) MARKER_CODES[c.charCodeAt(0)] = 1;

/** Whether a text is written in Traditional characters (enough of them to not be a stray name). */
export function looksTraditional(text: string, enough = 20): boolean {
  let n = 0;
  for (let i = 0; i < text.length; i++) if (MARKER_CODES[text.charCodeAt(i)] === 1 && ++n >= enough) return true;
  return false;
}

let converter: ((s: string) => string) | null = null;

/** Traditional → Simplified (mainland forms), phrase-aware. Simplified text passes through unchanged. */
export function toSimplified(text: string): string {
  converter ??= OpenCC.Converter({ from: "t", to: "cn" });
  return converter(text);
}

/**
 * Words Taiwan writes differently in these reports' vocabulary (資訊 for 信息, 專案 for 项目): people
 * type as they write at home. OpenCC's Taiwan phrase table is not used because it also turns the
 * mainland's words into others (文件 → 文档).
 */
const TAIWAN_WORDS: [RegExp, string][] = [
  [/资讯/g, "信息"],
  [/专案/g, "项目"],
];

/**
 * A question in Simplified characters, converted once; one typed in Traditional characters also
 * gets the mainland's words (a Simplified question that writes 资讯 keeps it).
 */
export function questionToSimplified(text: string): string {
  let out = toSimplified(text);
  if (!looksTraditional(text, 1)) return out;
  for (const [from, to] of TAIWAN_WORDS) out = out.replace(from, to);
  return out;
}

/** 「政(zhèng)府」 → 「政府」: pinyin in brackets right after a Han character. */
export function stripInlinePinyin(text: string): string {
  if (!/[(（]\s*[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüê]/i.test(text)) return text;
  return text.replace(/(\p{Script=Han})\s*[(（]\s*[a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüê]{1,7}\d?\s*[)）]/gu, "$1");
}
