/**
 * Mirror sites re-host reports in Traditional Chinese, sometimes with pinyin after characters
 * (F16 in the research notes). The table labels are a small vocabulary: map the Traditional
 * characters that occur in it, and drop inline pinyin, so the labels match again.
 */

// Traditional → Simplified, in pairs. Only characters whose simplified form is unambiguous.
const PAIRS =
  "開开處处請请數数據据關关係系結结轉转經经複复議议訴诉訟讼總总計计維维審审務务機机構构業业會会組组織织國国規规範范許许罰罚強强費费購购採采項项內内資资訊讯現现補补確确認认類类檢检舉举報报訪访書书獲获應应當当與与為为於于對对來来單单廢废發发製制證证執执問问題题況况進进體体穩稳險险權权過过詢询鄉乡鎮镇縣县區区門门辦办長长統统個个動动態态義义無无決决徵征額额萬万駁驳協协調调後后歸归條条實实際际財财產产讓让責责負负歷历衛卫環环設设屬属護护沒没減减糾纠復复繼继續续繳缴納纳員员溝沟導导領领貫贯徹彻覽览營营點点網网絡络務务線线頁页欄栏號号縱纵節节備备註注圖图龍龙陽阳慶庆順顺豐丰華华寧宁遼辽嶺岭濱滨陝陕貴贵雲云廣广蘇苏魯鲁齊齐濟济東东陳陈劉刘張张楊杨趙赵黃黄週周鄭郑馬马孫孙錢钱葉叶蕭萧韓韩馮冯鄧邓許许謝谢盧卢蔣蒋蘭兰鳳凤橋桥興兴風风" +
  "樓楼莊庄灣湾臺台陸陆寶宝漢汉藥药醫医療疗園园場场壩坝礦矿鐵铁鋼钢鹽盐魚鱼鳥鸟澤泽潤润濤涛灘滩峽峡巖岩廟庙陣阵隴陇雙双麥麦黨党傳传價价儀仪優优勞劳參参圍围壽寿將将屆届廳厅彙汇徑径憲宪擁拥擇择擴扩攝摄斷断時时晉晋棟栋榮荣標标樣样橫横歡欢氣气滿满漁渔潔洁燈灯獎奖畢毕異异盡尽監监盤盘碼码禮礼稅税積积競竞築筑簡简糧粮紀纪約约級级紙纸細细終终給给絕绝綜综綠绿緊紧編编縮缩績绩聯联聲声職职臨临舊旧蓋盖藝艺裝装觀观視视親亲訂订記记評评試试話话該该說说論论講讲識识譯译讀读變变貨货貧贫賣卖質质跡迹踐践車车軍军較较載载輔辅輕轻輸输轄辖農农遠远適适選选遺遗邊边郵邮鄰邻釋释鐘钟錄录錯错閉闭間间閱阅陰阴隊队階阶隨随隱隐雜杂離离難难電电響响預预頻频顧顾顯显飛飞館馆驗验麗丽";

const MAP = new Map<string, string>();
for (let i = 0; i + 1 < PAIRS.length; i += 2) MAP.set(PAIRS[i], PAIRS[i + 1]);

/** Whether a text is written in Traditional characters (enough of them to not be a stray name). */
const TRADITIONAL_CODES = new Uint8Array(0x10000);
for (const c of MAP.keys()) TRADITIONAL_CODES[c.charCodeAt(0)] = 1;

export function looksTraditional(text: string): boolean {
  let n = 0;
  for (let i = 0; i < text.length; i++) if (TRADITIONAL_CODES[text.charCodeAt(i)] === 1 && ++n >= 20) return true;
  return false;
}

export function toSimplified(text: string): string {
  let out = "";
  for (const c of text) out += MAP.get(c) ?? c;
  return out;
}

/** 「政(zhèng)府」 → 「政府」: pinyin in brackets right after a Han character. */
export function stripInlinePinyin(text: string): string {
  if (!/[(（]\s*[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüê]/i.test(text)) return text;
  return text.replace(/(\p{Script=Han})\s*[(（]\s*[a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüê]{1,7}\d?\s*[)）]/gu, "$1");
}
