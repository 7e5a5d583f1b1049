/**
 * What people call each part of the three tables, in one place: the official labels (taken
 * from the templates), their short forms, colloquial names and English words, each naming a
 * row, column, item or group; and how a question's words compose into one figure.
 * See ../shared/research/domain.md §4.2.
 */
import { confusable } from "../index/similar-chars.ts";
import { TEMPLATES } from "../parser/index.ts";
import { aColumns, B_GROUPS, type CGroup, type Figure, figureKey, figureLabel, type ReviewKey } from "./figures.ts";

export type Term =
  | { t: "bRow"; row: string }
  | { t: "bCol"; column: string }
  /** 申请, 依申请, 收到 …: table B, new applications unless a row is named. */
  | { t: "apps" }
  | { t: "cGroup"; group: CGroup }
  | { t: "cResult"; result: ReviewKey }
  | { t: "aItem"; item: string }
  | { t: "aCol"; column: string }
  /** A bare 其他: which 其他 depends on what else is named. */
  | { t: "other" }
  /** 没公开, 被拒: 不予公开 alone, or with 无法提供 and 不予处理 (and 其他处理). */
  | { t: "notDisclosed" }
  | { t: "openRate" }
  | { t: "share" }
  | { t: "correctionRate" }
  | { t: "growth" }
  | { t: "diff" }
  /** 一共, 合计, 总计 …: adds named figures up; a group's total in table C. */
  | { t: "sum" }
  /** 各, 分别: several figures asked one by one. */
  | { t: "each" }
  | { t: "and" }
  /** 比, 对比: two organs side by side, or a year against another. */
  | { t: "versus" }
  /** The end of a clause (，？；): what follows may be another question. */
  | { t: "break" }
  /** Words understood to carry no figure (多少, 几件 …). */
  | { t: "filler" };

const row = (r: string): Term => ({ t: "bRow", row: r });
const col = (c: string): Term => ({ t: "bCol", column: c });
const group = (g: CGroup): Term => ({ t: "cGroup", group: g });
const result = (r: ReviewKey): Term => ({ t: "cResult", result: r });
const item = (i: string): Term => ({ t: "aItem", item: i });
const aCol = (c: string): Term => ({ t: "aCol", column: c });
const APPS: Term = { t: "apps" };
const FILLER: Term = { t: "filler" };

/** Names beyond the official labels (which are added from the templates below). */
const NAMES: [phrases: string[], terms: Term[]][] = [
  // ---- table B rows
  [["新收申请", "本年新收", "新收", "来件", "新申请", "new applications", "new requests"], [row("new")]],
  [["上年结转", "上年度结转", "结转上年", "上一年结转", "去年结转", "从上年结转", "结转过来", "上年转来", "历史积存", "上年遗留", "上年度遗留", "往年遗留", "往年剩下", "往年剩下来", "往年剩余", "往年积压", "上一年没办完", "上年没办完", "去年没办完", "上年度没办完", "上一年未办结", "去年未办结", "还压着", "手上压着", "积压", "上年剩下", "去年剩下", "上年剩余", "去年剩余", "以前年度结转", "上年未办结", "上年度未办结", "carried over", "carried over from last year", "brought forward"], [row("carried_over")]],
  [["予以公开答复", "全部公开答复", "全给公开", "全部给公开", "都给公开", "予以公开", "同意公开", "全部公开", "全部予以公开", "已公开", "全部给了", "全给了", "都给了", "fully disclosed", "disclosed in full", "granted"], [row("granted")]],
  [["部分公开答复", "partial disclosure", "partially", "部分公开", "部分予以公开", "区分处理", "一部分信息", "部分信息", "只给了一部分", "给了一部分", "只公开了一部分", "公开了一部分", "partially disclosed", "partly disclosed"], [row("partial")]],
  [["不予公开答复", "未予公开", "不予以公开", "不予公开", "拒绝公开", "不公开", "拒绝", "denied", "refused", "withheld"], [row("denied")]],
  // Public usage: 没公开 is 不予公开, or all that was not disclosed (domain.md §4.2) — the user says which.
  [["没公开", "没有公开", "未公开", "未获公开", "被拒", "被拒绝", "没给公开", "没给", "不给", "没提供"], [{ t: "notDisclosed" }]],
  [["国家秘密", "涉密", "state secrets", "state secret", "classified"], [row("denied.state_secret")]],
  [["依照其他法律", "其他法律", "行政法规规定禁止公开", "规定禁止公开", "法规规定禁止", "其他法律行政法规规定禁止", "法律行政法规规定禁止", "行政法规规定禁止", "法律行政法规禁止", "法律法规禁止", "法规禁止", "prohibited by law", "forbidden by law", "法律法规不让公开", "法律法规不让", "法规不让", "明令禁止", "法律法规明令禁止", "禁止公开", "明令禁止公开"], [row("denied.law_forbidden")]],
  [["三安全一稳定", "危及安全稳定", "危及", "危及国家安全", "国家安全", "社会稳定", "可能危及", "影响安全稳定", "安全稳定", "公开后可能危及"], [row("denied.security_stability")]],
  [["保护他人合法权益", "他人合法权益", "第三方合法权益", "第三方权益", "商业秘密", "个人隐私", "他人权益", "涉及他人权益", "别人的隐私"], [row("denied.third_party")]],
  [["内部管理事务", "内部管理", "三类内部事务", "内部事务", "人事", "后勤", "internal affairs"], [row("denied.internal_affairs")]],
  [["四类过程性信息", "过程性信息", "讨论记录", "请示报告", "process information", "deliberative"], [row("denied.process_info")]],
  [["行政执法案卷", "执法案卷", "行政执法卷宗", "执法卷宗", "卷宗", "enforcement files", "case files"], [row("denied.enforcement_file")]],
  [["查询渠道", "通过查询渠道获取", "查询渠道获取", "行政查询事项", "查询事项", "查询类事项", "查询类"], [row("denied.query_matter")]],
  [["无法提供", "提供不了", "没法提供", "unable to provide", "cannot provide"], [row("unable")]],
  [["压根没有", "压根就没有", "根本就没有", "info not held", "不掌握相关政府信息", "不掌握相关信息", "本机关不掌握", "不掌握", "信息不存在", "非本机关信息", "查无此信息", "查无此信息的", "没有这个信息", "没有该信息", "查不到", "查不到信息", "找不到", "没有相关信息", "我们这里根本没有", "我们这里没有", "这里没有", "根本没有", "我们没有", "本单位没有", "我们这没有", "not held", "information not held", "does not exist"], [row("unable.not_held")]],
  [["另外制作", "要另外制作", "需要另外制作", "需要另行制作", "需另行制作", "另行制作", "没有现成信息", "另行加工", "需要另行加工", "需另行加工", "需要加工", "加工", "重新加工", "加工汇总", "重新加工汇总", "汇总加工", "另外加工", "另外加工制作", "加工制作", "重新加工制作"], [row("unable.needs_creation")]],
  [["补正仍不清楚", "补正后仍不清楚", "仍不清楚", "还是不清楚", "申请内容仍不明确", "补正后仍不明确", "内容不明确", "仍不明确", "没说清楚", "说不清楚", "没说清楚要什么", "补正后还是不明确", "还是不明确", "不明确", "还说不清楚"], [row("unable.unclear")]],
  [["不予处理", "不处理", "not processed", "没受理", "不受理"], [row("not_processed")]],
  [["信访举报投诉", "信访", "举报投诉", "举报", "投诉", "petitions", "complaints"], [row("not_processed.petition")]],
  [["duplicate requests", "duplicate request", "duplicates", "重复申请", "duplicate applications", "repeated applications", "重复来申请", "重复提交", "重复来", "重复"], [row("not_processed.duplicate")]],
  [["公开出版物", "出版物", "publications", "书刊出版物", "书刊"], [row("not_processed.publication")]],
  [["频繁大量申请", "大量频繁申请", "大量频繁", "频繁大量", "频繁申请", "大量反复申请", "大量反复", "滥用申请权", "大批量反复", "大批量", "反复申请"], [row("not_processed.excessive")]],
  [["确认或重新出具", "重新出具", "要求确认", "确认或者重新出具", "要求确认或者重新出具", "确认一下", "或者重新出具"], [row("not_processed.confirm")]],
  [["其他处理", "other handling", "按其他方式处理", "其他方式处理"], [row("other_handling")]],
  [["逾期不补正", "无正当理由逾期不补正", "不补正", "过了期限也不补", "过期不补", "不补"], [row("other_handling.overdue_correction")]],
  [["被终止处理", "终止处理", "未缴纳信息处理费", "没交信息处理费", "未交信息处理费", "不交信息处理费", "未缴纳费用", "未缴纳", "逾期未按收费通知要求缴纳费用", "逾期未缴费", "逾期未缴纳费用", "未缴费", "未按收费通知", "没交费", "不缴费", "逾期不缴费", "没缴费", "未交费", "不交费", "欠费", "收费通知", "没交钱", "过期没交钱", "不交钱", "unpaid fees", "fees not paid", "逾期没交费"], [row("other_handling.unpaid_fee")]],
  [["办理结果总计", "办理结果合计", "办理结果", "本年度办理结果", "办结", "已办结", "已答复", "办理完毕", "答复总数", "答复", "处理结果总计", "办理总数", "办理总量", "处理了", "办理了", "答复了", "办了", "办理", "处理"], [row("total")]],
  [
    [
      "结转下年度继续办理", "结转下年度", "年底还压着", "年底还没结", "年底没结", "还没结", "没结", "拉到下一年办", "拉到下一年", "挪到下一年", "转入下一年度办理", "转入下一年度", "转入下年度", "结转下年", "结转到下年度", "结转到下年", "结转到下一年度", "结转到下一年", "结转下一年度", "结转下一年", "转到下一年度", "结转到明年", "转入下一年", "转入下年", "转到明年", "顺延到下一年", "顺延到下年", "顺延至下一年度", "顺延", "拖到下一年", "拖到明年", "延续到下一年", "结转至下一年度", "结转至下年度",
      "下一年度办理", "下年度办理", "留到明年", "留到下一年", "下一年办理", "继续办", "接着办理", "下年办理", "明年办理", "放到下一年", "放到明年", "下一年接着办", "明年接着办", "接着办", "没答复", "未答复", "尚未答复", "还没答复",
      "转到下一年", "继续办理", "未办结", "没办结", "没办完", "还没办完", "跨年", "carried forward", "carried forward to next year",
    ],
    [row("carried_forward")],
  ],
  // ---- table B columns
  [["自然人", "个人", "公民", "群众", "老百姓", "以个人名义", "natural persons", "natural person", "individuals"], [col("natural_person")]],
  [["商业企业", "企业", "公司", "companies", "company", "enterprises", "businesses"], [col("commercial")]],
  [["科研机构", "高校", "研究所", "科研院所", "research institutions", "research institutes", "research institute", "科研单位", "科研"], [col("research")]],
  [["社会公益组织", "公益组织", "社会组织", "ngo"], [col("social_org")]],
  [["法律服务机构", "律师事务所", "律所", "律师", "law firms", "law firm", "lawyers"], [col("legal_service")]],
  [["其他组织"], [col("other_org")]],
  [["法人或其他组织", "法人和其他组织", "法人及其他组织", "法人", "单位申请"], [col("org")]],
  [["接了", "接了多少单", "申请", "申请人", "申请公开", "依申请公开数据", "依申请", "依申请公开", "依申请数", "依申请公开数", "依申请件数", "依申请公开件数", "申请数", "申请量", "申请件数", "申请数量", "政府信息公开申请", "信息公开申请", "公开申请", "收到", "受理", "接收", "接到", "来了", "收了", "提出", "受理量", "受理数", "受理件数", "收到量", "applications", "application", "requests", "applications received", "提交", "提交了"], [APPS]],
  // ---- table C
  [["行政复议决定", "复议决定", "行政复议", "复议", "被申请复议", "被复议", "被人复议", "复议案件", "administrative review", "administrative reviews", "reviews", "review", "review cases", "reconsideration", "administrative reconsideration"], [group("review")]],
  [["未经复议直接起诉", "直接起诉", "直接向法院起诉", "直接去法院起诉", "直接去法院告", "直接去法院", "直接被起诉", "直接被诉", "直接被告", "未经复议", "未经过复议", "没经过复议", "没经复议", "不经复议", "直接告到法院", "直接打官司", "直接被告上法院", "就直接被告上法院", "没经过复议就直接被告上法院"], [group("litigation.direct")]],
  [["经复议后再起诉", "经过复议之后才起诉", "经过复议之后起诉", "经过复议后起诉", "复议之后才起诉", "复议后才起诉", "复议后起诉", "经复议后起诉", "复议后再起诉", "复议后又起诉", "复议后又被起诉", "复议后被起诉", "复议后再被起诉", "复议之后起诉", "复议之后又起诉", "复议完又起诉", "复议完又去法院起诉", "复议之后又去法院起诉", "复议后又告到法院", "复议后又打官司", "复议后又去法院", "复议之后又去法院"], [group("litigation.after_review")]],
  [["court cases", "court case", "lawsuits filed", "行政诉讼", "诉讼", "起诉", "被起诉", "被诉", "应诉", "官司", "打官司", "吃官司", "行政官司", "打行政官司", "被告", "被人告", "被人起诉", "告", "lawsuits", "lawsuit", "litigation", "administrative litigation"], [group("litigation")]],
  [["结果维持", "维持", "upheld", "won", "维持原决定"], [result("upheld")]],
  [["判输", "被判输", "撤掉", "改掉", "被撤掉", "被改掉", "结果纠正", "纠正", "被纠正", "纠错", "被纠错", "撤销", "输了", "撤销或者变更", "撤销或变更", "被撤销", "变更", "被变更", "改变", "corrected", "lost", "overturned"], [result("corrected")]],
  [["以其他结果了结", "其他结果了结", "以其他结果", "其他结果", "以其他方式结案", "其他方式结案", "以其他结果结案", "其他结果结案"], [result("other")]],
  [["尚未审结", "未审结", "还没审结", "在审", "还在审", "尚在审理", "在审理", "还在审理", "审理中", "正在审理", "还没审完", "没审完", "未审完", "还没结案", "未结案", "还没出结果", "没出结果", "还没判下来", "没判下来", "还没判", "pending", "still pending"], [result("pending")]],
  [["打官司输", "官司输", "官司被判输", "败诉", "告输", "告输了", "输了官司", "官司输了"], [group("litigation"), result("corrected")]],
  [["胜诉", "打官司赢了", "官司赢了", "赢了官司"], [group("litigation"), result("upheld")]],
  // ---- table A
  [["政府规章", "规章", "regulations"], [item("rules")]],
  [["行政规范性文件", "规范性文件", "红头文件", "normative documents"], [item("normative")]],
  [["行政许可", "许可", "licensing", "licences", "licenses"], [item("licensing")]],
  [["other services", "other administrative services", "其他对外管理服务事项", "对外管理服务事项", "其他管理服务事项", "管理服务事项"], [item("other_services")]],
  [["行政处罚", "处罚", "penalty", "penalties", "administrative penalty", "administrative penalties", "fines"], [item("penalty")]],
  [["罚单", "开罚单", "开了多少张罚单", "罚了", "罚款"], [item("penalty"), aCol("decisions")]],
  [["批了", "审批数", "审批了"], [item("licensing"), aCol("decisions")]],
  [["行政强制", "行政强制措施", "强制措施", "administrative enforcement", "administrative compulsion", "enforcement measures", "查封扣押", "强制", "enforcement"], [item("enforcement")]],
  [["行政事业性收费项目", "行政事业性收费", "事业性收费", "收费项目"], [item("fees")]],
  [["收费金额", "本年收费金额", "收费", "收了多少钱", "收了多少万元", "收了多少万", "规费", "fees", "fee income", "fees collected", "fee revenue"], [item("fees"), aCol("amount")]],
  [["政府集中采购", "集中采购", "采购", "procurement", "government procurement"], [item("procurement")]],
  [["采购项目", "采购项目数"], [item("procurement"), aCol("count")]],
  [["采购金额", "采购总金额"], [item("procurement"), aCol("amount")]],
  [["本年新制作数量", "本年新制作", "新制作数量", "新制作", "新制定", "新制订"], [aCol("made")]],
  [["本年新公开数量", "本年新公开", "新公开数量", "新公开"], [aCol("published")]],
  [["对外公开总数量", "对外公开总数", "公开总数量", "公开总数", "对外公开", "累计对外公开", "累计公开", "累计"], [aCol("total")]],
  [["上年是几项", "上年是几个", "上年有几个", "上年是多少项", "上年是多少个", "上一年项目数量", "上一年项目数", "上年项目数量", "上年项目数", "上年有几项", "上年有多少项", "去年有几项", "去年有多少项", "上年项目", "去年项目"], [aCol("prev_items")]],
  [["本年增/减", "本年增减", "增/减", "增减", "本年增加", "本年增加了", "本年减少", "本年减少了", "本年新增", "增加了几项", "新增了几项", "减少了几项", "比上年增减", "较上年增减", "比去年增减", "比上年增减了"], [aCol("change")]],
  [["本年处理决定数量", "处理决定数量", "处理决定数", "处理决定", "决定数量", "决定数", "决定", "decisions", "decision"], [aCol("decisions")]],
  [["采购项目数量", "项目数量", "项目数", "多少个项目", "几个项目", "项目"], [aCol("count")]],
  [["总金额", "金额", "amount", "花了多少钱", "花了", "花"], [aCol("amount")]],
  [["新发", "新出台", "本年制发件数", "制发件数", "制发", "出台", "印发", "发了", "issued"], [aCol("issued")]],
  [["废", "废了", "废掉", "本年废止件数", "废止件数", "废止", "失效", "废除", "repealed"], [aCol("repealed")]],
  [["目前有效", "目前仍有效", "目前还有效", "现行有效件数", "现行有效", "有效", "in force", "现在还有效", "还有效", "现在有效"], [aCol("in_force")]],
  // ---- derived figures and how figures combine
  [["公开率", "依申请公开率", "公开比例", "公开比率", "公开的比例", "disclosure rate", "申请公开率", "信息公开率", "公开了百分之几", "公开了百分之多少", "百分之几予以公开", "百分之多少予以公开", "公开百分比", "公开了百分之几的申请"], [{ t: "openRate" }]],
  [["所占份额", "份额", "所占比重", "所占比例", "所占", "占比", "比例", "比重", "百分比", "占", "占全部", "占总数", "占所有", "占多少比例", "占多大比例", "占比多少", "占百分之几", "占几成", "share", "proportion"], [{ t: "share" }]],
  [["纠错比率", "纠正比率", "纠错比例", "纠正比例", "纠错率", "被纠错率", "纠正率"], [result("corrected"), { t: "correctionRate" }]],
  [["败诉比率", "败诉比例", "输的比例", "打官司输的比例", "败诉率"], [group("litigation"), result("corrected"), { t: "correctionRate" }]],
  [["胜诉率"], [group("litigation"), result("upheld"), { t: "correctionRate" }]],
  [["增长率", "增长了百分之多少", "增长百分之多少", "增长了百分之几", "增长百分之几", "增幅", "增长幅度", "同比增长", "同比增长率", "同比增幅", "同比", "较上年", "较去年", "增长", "增长了", "上升", "上升了", "涨了", "涨", "涨幅"], [{ t: "growth" }]],
  [["多了", "增加了", "增加", "多出", "少了", "减少了", "减少", "下降了", "下降", "差了", "相差", "多几件", "多多少件", "多多少", "少几件", "少多少"], [{ t: "diff" }]],
  [["拢共", "统共", "加总", "总量", "一总", "一共", "一共有", "共", "合计", "都算", "都算上", "都算在内", "算上", "加在一起", "加一块", "加一块儿", "加到一起", "加一起", "合在一起", "合到一起", "总和", "相加", "sum", "in total", "combined", "总共", "共计", "总计", "总数", "加起来", "之和", "合起来", "total"], [{ t: "sum" }]],
  [["各是", "各", "分别是", "分别", "各自", "each", "respectively"], [{ t: "each" }]],
  [["和", "与", "及", "以及", "跟", "同", "、", "and", "还有", "另外", "以及还有"], [{ t: "and" }]],
  // 「比2022年多收了几件」, 「多批了多少件许可」: the verb says which figure changed.
  [["多收了", "多收", "少收了", "少收"], [{ t: "diff" }, APPS]],
  [["多批了", "多批", "少批了", "少批"], [{ t: "diff" }, item("licensing"), aCol("decisions")]],
  // 「复议维持加纠正」: 加 between two figures is their sum.
  [["加上", "加", "+", "plus"], [{ t: "and" }, { t: "sum" }]],
  [["|"], [{ t: "break" }]],
  [["比", "相比", "比较", "对比", "较", "相较", "vs", "versus"], [{ t: "versus" }]],
  [["其他"], [{ t: "other" }]],
  // ---- words that carry no figure: anything else a question says and the bot cannot read gets no number
  [
    [
      "多少件", "多少个", "多少起", "多少次", "多少", "几件", "几个", "几起", "几次", "几回", "几项", "几", "件数", "数量", "数目", "件", "个", "起", "次", "回",
      "项", "条", "宗", "有", "是", "的", "了", "呢", "吗", "啊", "呀", "么", "嘛", "哦", "吧", "哈", "情况", "请问", "查询", "查一下", "查下", "查查", "查",
      "帮我", "帮忙", "麻烦", "看看", "看一下", "看下", "告诉我", "一下", "我想知道", "想知道", "知道", "想问", "问一下", "问下", "请", "谢谢", "我", "我们",
      "你", "您", "年报", "年度报告", "报告", "年度", "全年", "本年度", "本年", "当年", "该年", "那年", "中", "里", "里面", "当中", "其中", "一项", "该", "这",
      "那", "这个", "那个", "数", "数据", "数字", "统计", "显示", "填报", "上报", "填了", "报了", "写了", "记录", "根据", "按照", "表格", "表中", "表里", "表",
      "一栏", "栏", "一行", "政府信息公开", "信息公开", "政府信息", "在", "办", "给", "被", "了几", "打了", "打", "因", "因为", "由于", "属于", "还",
      "都", "具体", "大概", "大约", "到底", "究竟", "方面", "之", "从", "向", "把", "对", "万元", "元",
      "有没有", "有无", "是否", "您好", "你好", "咱们", "咱", "俺们", "我们这边", "我这边", "说", "问", "那份", "这份", "那年", "当年的", "老师好", "老师", "领导好", "领导", "让", "各位", "大家好", "同志", "同事", "打扰一下", "打扰了", "辛苦", "辛苦了", "提的", "提", "而", "量", "或", "保护", "可能", "先", "他", "她", "一个", "老是", "想看看", "想", "本来", "专门", "渠道", "答复不服", "对答复不服", "不服", "本单位", "补正", "补正了", "补正后", "怕", "才能", "才", "掉", "没正当理由", "没有正当理由的", "还剩", "剩下", "剩余", "出了", "下了", "原决定", "结案", "被判", "判", "情形", "那一项", "这一项", "下面", "办理结果中", "本年度办理结果中", "不处理了", "就不处理了", "已获取", "已拿到", "其实是", "关于", "参考", "参考一下", "就是", "就", "原文", "了几部", "了几份", "了几宗", "了几例", "了几张", "了几单", "无正当理由", "项下", "后以", "后", "整理", "几多", "好多", "几宗", "多少宗", "宗数", "几份", "多少份", "份数", "几部", "多少部", "部数", "几例", "多少例", "几单", "多少单", "几张", "多少张", "依照", "依据", "规定", "为", "经", "经过", "作", "得到", "归为", "归入", "算作", "列为", "至今", "目前", "现有", "所", "报的", "那块", "劳驾", "烦请告知", "烦请", "告知", "请教下", "请教一下", "请教", "瞅一眼", "瞅瞅", "瞅", "呗", "一年到头", "年底", "上级", "算下来", "三类", "两类", "三种", "这三类", "以", "了结", "采取", "等", "通过", "可以", "东西", "挨了", "挨", "上法院", "到法院", "主动公开", "在整理", "同样的", "同样", "内容", "又", "一次", "已经", "已经拿到", "拿到", "场", "几场", "多少场", "桩", "几桩", "笔", "几笔", "人次", "年报上", "报告上", "报告里", "表上", "能帮", "能帮忙", "帮查下", "帮查", "两项", "三项", "四项", "五项", "六项", "七项", "八项", "九项", "x", "这个x", "所以", "为了", "这些", "这类", "这类单位", "一类", "法院", "去法院", "放到", "年初", "手上", "只", "当", "拿", "百分之多少", "百分之几", "正当理由", "没有正当理由", "还是", "以后", "做", "做了", "作出", "作出了", "做出", "做出了", "这两项", "两项", "这几项", "涉及", "涉及到", "涉", "信息", "事项", "类", "要", "要求", "需要", "案件", "案子", "结果", "结果是", "吃了", "人", "来", "一年", "咋样",
      "怎么样", "如何", "多少万", "万", "含部分公开", "包含部分公开", "区政府", "县政府", "市政府", "镇政府", "乡政府", "那边", "这边", "那里", "那儿", "received", "foi", "from", "last", "表一", "表二", "表三", "表四", "第二部分", "第三部分", "第四部分",
      "不再处理", "行政机关不再处理", "其政府信息公开申请", "过来", "转来", "遗留", "提供",
      "how many", "how much", "what", "is", "was", "are", "the", "of", "in", "for", "number", "cases", "case", "count", "to", "next", "year",
      "please", "did", "does", "do", "many", "much", "got", "get", "were", "by",
    ],
    [FILLER],
  ],
];

function officialNames(): [string, Term[]][] {
  const out: [string, Term[]][] = [];
  const compactLabel = (s: string) => s.replace(/\s+/g, "").replace(/[“”"]/g, "");
  for (const t of ["2019", "2021"] as const) {
    for (const d of TEMPLATES[t].tableB) {
      const label = compactLabel(d.label);
      // 「（三）不予公开 4.保护第三方合法权益」: the whole label and what follows the number.
      const core = label.replace(/^.*\d\./, "").replace(/^(?:[一二三四]、)?(?:本年度办理结果)?(?:（[一二三四五六七]）)?/, "");
      for (const name of [label, core]) if (name.length >= 2 && !/^其他$/.test(name)) out.push([name, [row(d.id)]]);
    }
    for (const d of TEMPLATES[t].tableA) out.push([compactLabel(d.label), [item(d.id)]]);
  }
  return out;
}

/** A node of the names' trie, its children by UTF-16 code (a question's characters are read as codes, never as new one-character strings). */
interface TrieNode {
  next: Map<number, TrieNode>;
  terms?: Term[];
}

export interface PhraseIndex {
  byPhrase: Map<string, Term[]>;
  longest: number;
  /** The same names as a character trie: reading a question allocates no substrings. */
  trie: TrieNode;
}

let index: PhraseIndex | null = null;

/** Every name → its terms; an official label and a colloquial name for the same thing agree. */
export function phraseIndex(): PhraseIndex {
  if (index) return index;
  const byPhrase = new Map<string, Term[]>();
  const norm = (s: string) => s.normalize("NFKC").toLowerCase();
  for (const [names, terms] of NAMES) for (const n of names) byPhrase.set(norm(n), terms);
  for (const [name, terms] of officialNames()) if (!byPhrase.has(norm(name))) byPhrase.set(norm(name), terms);
  // 「依申请公开数」 is also written 「…数量」, 「…数据」, 「…数目」.
  for (const [phrase, terms] of [...byPhrase]) {
    if (!phrase.endsWith("数")) continue;
    for (const tail of ["量", "据", "目"]) if (!byPhrase.has(phrase + tail)) byPhrase.set(phrase + tail, terms);
  }
  let longest = 0;
  const trie: TrieNode = { next: new Map() };
  for (const [p, terms] of byPhrase) {
    longest = Math.max(longest, p.length);
    let node = trie;
    for (const c of p) {
      // A character outside the BMP is keyed by its code point, which no UTF-16 code equals: as
      // before, a name holding one is never read (none does).
      const code = c.codePointAt(0)!;
      let child = node.next.get(code);
      if (!child) node.next.set(code, (child = { next: new Map() }));
      node = child;
    }
    node.terms = terms;
  }
  return (index = { byPhrase, longest, trie });
}

/** Every name starting at `at` (its length and terms), shortest first; Latin words only whole. */
function namesAt(text: string, at: number, visit: (length: number, terms: Term[]) => void, end = text.length): void {
  if (isLatinAt(text, at) && isLatinAt(text, at - 1)) return;
  let node: TrieNode | undefined = phraseIndex().trie;
  for (let k = at; k < end; k++) {
    node = node.next.get(text.charCodeAt(k));
    if (!node) return;
    if (node.terms && !(isLatinAt(text, k) && isLatinAt(text, k + 1))) visit(k + 1 - at, node.terms);
  }
}

/** The longest name starting at `at`, if any. */
export function longestNameAt(text: string, at: number): { length: number; terms: Term[] } | null {
  let best: { length: number; terms: Term[] } | null = null;
  namesAt(text, at, (length, terms) => (best = { length, terms }));
  return best;
}

/** Whether some name ends exactly at `at`. */
export function nameEndsAt(text: string, at: number): boolean {
  const { longest } = phraseIndex();
  for (let start = Math.max(0, at - longest); start < at; start++) {
    let found = false;
    namesAt(
      text,
      start,
      (length) => {
        if (start + length === at) found = true;
      },
      at,
    );
    if (found) return true;
  }
  return false;
}

/** Names by their text with one character left out (as 「*」): finding a name typed with one wrong character. */
let namesByGap: Map<string, string[]> | null = null;

/**
 * The name of the vocabulary a word mistypes by one confusable character (「行政附议」 → 行政复议,
 * 「诉松」 → 诉讼, 「部份公开」 → 部分公开), with where it stands in the word: the longest such
 * part of the word, when every name it could be means the same. Null otherwise.
 */
export function mistypedName(word: string): { typed: string; name: string } | null {
  if (!namesByGap) {
    namesByGap = new Map();
    for (const name of phraseIndex().byPhrase.keys()) {
      if (name.length < 2 || !/^\p{Script=Han}+$/u.test(name)) continue;
      for (let i = 0; i < name.length; i++) {
        const key = `${name.slice(0, i)}*${name.slice(i + 1)}`;
        const list = namesByGap.get(key);
        if (list) list.push(name);
        else namesByGap.set(key, [name]);
      }
    }
  }
  const { byPhrase } = phraseIndex();
  for (let len = Math.min(word.length, 10); len >= 2; len--) {
    for (let at = 0; at + len <= word.length; at++) {
      const typed = word.slice(at, at + len);
      const names = new Set<string>();
      for (let i = 0; i < len; i++) {
        for (const name of namesByGap.get(`${typed.slice(0, i)}*${typed.slice(i + 1)}`) ?? []) {
          if (name !== typed && confusable(typed[i], name[i]) && !byPhrase.get(name)!.every((t) => t.t === "filler")) names.add(name);
        }
      }
      const name = sameMeaning([...names]);
      if (name) return { typed, name };
    }
  }
  return null;
}

/** The first (in a stable order) of names that all mean the same; null when there are none or they differ. */
function sameMeaning(names: string[]): string | null {
  const { byPhrase } = phraseIndex();
  if (!names.length || new Set(names.map((n) => JSON.stringify(byPhrase.get(n)))).size !== 1) return null;
  return [...names].sort((a, b) => a.localeCompare(b))[0];
}

let namesByShortening: Map<string, string[]> | null = null;

/**
 * The long name of the vocabulary (a table label such as 本机关不掌握相关政府信息) a word writes with one or
 * two characters next to each other left out (「本机关不掌握相关信息」, 「逾期未按收费通知缴纳费用」), when
 * every such name means the same. Only names of eight characters or more: a short word with a
 * character left out is another word.
 */
export function shortenedName(word: string): { typed: string; name: string } | null {
  const { byPhrase } = phraseIndex();
  if (!namesByShortening) {
    namesByShortening = new Map();
    for (const [name, terms] of byPhrase) {
      if (name.length < 8 || !/^\p{Script=Han}+$/u.test(name) || terms.every((t) => t.t === "filler")) continue;
      for (let cut = 1; cut <= 2; cut++) {
        for (let i = 0; i + cut <= name.length; i++) {
          const key = name.slice(0, i) + name.slice(i + cut);
          const list = namesByShortening.get(key);
          if (!list) namesByShortening.set(key, [name]);
          else if (!list.includes(name)) list.push(name);
        }
      }
    }
  }
  for (let len = Math.min(word.length, 24); len >= 6; len--) {
    for (let at = 0; at + len <= word.length; at++) {
      const typed = word.slice(at, at + len);
      if (byPhrase.has(typed)) continue;
      const names = namesByShortening.get(typed) ?? [];
      const name = sameMeaning(names);
      if (name) return { typed, name };
    }
  }
  return null;
}

/** Whether a name of the vocabulary longer than the span covers it (「上年」 inside 「结转上年」, 「上年遗留」). */
export function phraseCovers(text: string, start: number, end: number): boolean {
  const { longest } = phraseIndex();
  for (let from = Math.max(0, end - longest); from <= start; from++) {
    let covers = false;
    namesAt(text, from, (length) => {
      if (from + length >= end && length > end - start) covers = true;
    });
    if (covers) return true;
  }
  return false;
}

export interface TermMatch {
  start: number;
  end: number;
  phrase: string;
  terms: Term[];
}

/** Whether the UTF-16 unit at `i` is a lower-case Latin letter (false outside the text). */
const isLatinAt = (text: string, i: number) => {
  const c = text.charCodeAt(i);
  return c >= 97 && c <= 122;
};

/**
 * Every name in `text` (longest first, without overlaps), skipping positions already taken
 * (the organ's name, the year). Latin words match whole words only.
 */
export function scanTerms(text: string, taken: boolean[] = []): TermMatch[] {
  // Every name at every free position, by length (each length's names leftmost first).
  const byLength: { start: number; terms: Term[] }[][] = [];
  let at = 0;
  const found = (length: number, terms: Term[]) => (byLength[length] ??= []).push({ start: at, terms });
  for (; at < text.length; at++) if (!taken[at]) namesAt(text, at, found);
  // Longest first, then leftmost; a name never overlaps one already taken.
  const used = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) if (taken[i]) used[i] = 1;
  const byStart: TermMatch[] = [];
  for (let length = byLength.length - 1; length > 0; length--) {
    for (const f of byLength[length] ?? []) {
      let free = true;
      for (let k = f.start; k < f.start + length; k++) if (used[k]) free = false;
      if (!free) continue;
      used.fill(1, f.start, f.start + length);
      byStart[f.start] = { start: f.start, end: f.start + length, phrase: text.slice(f.start, f.start + length), terms: f.terms };
    }
  }
  return byStart.filter(Boolean);
}

// ---------------------------------------------------------------- composing a figure

export type FigureRead =
  /** `decline`: the change was asked as a fall (下降了百分之几, 少了几件): answered as its size. */
  | { kind: "figure"; figure: Figure; change?: "growth" | "diff"; decline?: true }
  /** Several figures could be meant: the user chooses; `oneOf`: the one a report's template has, when it has one. */
  | { kind: "choice"; options: Figure[]; why: string; oneOf?: boolean }
  | { kind: "none" };

interface Parts {
  bRows: string[];
  bCols: string[];
  apps: boolean;
  cGroups: CGroup[];
  cResults: ReviewKey[];
  aItems: string[];
  aCols: string[];
  other: boolean;
  openRate: boolean;
  share: boolean;
  correctionRate: boolean;
  notDisclosed: boolean;
}

function partsOf(terms: Term[]): Parts {
  const p: Parts = { bRows: [], bCols: [], apps: false, cGroups: [], cResults: [], aItems: [], aCols: [], other: false, openRate: false, share: false, correctionRate: false, notDisclosed: false };
  const add = <T>(list: T[], x: T) => (list.includes(x) ? undefined : list.push(x));
  for (const t of terms) {
    if (t.t === "bRow") add(p.bRows, t.row);
    else if (t.t === "bCol") add(p.bCols, t.column);
    else if (t.t === "apps") p.apps = true;
    else if (t.t === "cGroup") add(p.cGroups, t.group);
    else if (t.t === "cResult") add(p.cResults, t.result);
    else if (t.t === "aItem") add(p.aItems, t.item);
    else if (t.t === "aCol") add(p.aCols, t.column);
    else if (t.t === "other") p.other = true;
    else if (t.t === "openRate") p.openRate = true;
    else if (t.t === "share") p.share = true;
    else if (t.t === "correctionRate") p.correctionRate = true;
    else if (t.t === "notDisclosed") p.notDisclosed = true;
  }
  return p;
}

const C_GROUPS: CGroup[] = ["review", "litigation.direct", "litigation.after_review"];
const REVIEW_RESULTS: ReviewKey[] = ["upheld", "corrected", "other", "pending", "total"];

/** A part of a row wins over its group (「个人隐私不予公开」 is the 个人隐私 row of 不予公开). */
function narrowRows(rows: string[]): string[] {
  // 「结转到下一年度办理的」, 「顺延到下一年答复的」: the verb describes the carried-forward row, it is not 办理结果总计.
  const verbOfCarried = rows.includes("carried_forward") ? ["total"] : [];
  return rows.filter((r) => !verbOfCarried.includes(r) && !rows.some((o) => o !== r && o.startsWith(`${r}.`)));
}

/**
 * A choice between figures: `several` when they are all named (they can be added up); `oneOf`
 * when one of them is meant and a report's template may have only one (then it is that one).
 */
type One = { figure: Figure } | { choice: Figure[]; why: string; several?: true; oneOf?: true } | null;

/** One figure from the words of one part of a question. */
function oneFigure(p: Parts): One {
  // 「发了收费通知、没交钱的」: with a table 三 row named, 发了 / 出台 is a verb, not table 二's 制发 column.
  if (!p.aItems.length && p.aCols.length && p.bRows.length) p.aCols = [];
  // 「许可决定办了多少件」: with a table 二 item named, 办了 / 处理了 is the verb of its decisions, not 办理结果总计.
  if (p.aItems.length && p.bRows.length === 1 && p.bRows[0] === "total" && !p.bCols.length && !p.apps) p.bRows = [];
  // 「法人或其他组织中"其他"类」: the 其他 column of the organisations.
  if (p.other && p.bCols.includes("org") && !p.bRows.includes("other_handling")) {
    p.bCols = p.bCols.map((c) => (c === "org" ? "other_org" : c));
    p.other = false;
  }
  const tables = [p.cGroups.length || p.cResults.length ? "C" : "", p.aItems.length || p.aCols.length ? "A" : "", p.bRows.length || p.bCols.length ? "B" : ""].filter(Boolean);
  if (tables.length > 1) {
    // 「复议纠错率」 names table C only; 「律所申请予以公开」 table B; anything else mixed is two figures.
    return { choice: [], why: "同时提到了不同表格的项目" };
  }
  const table = tables[0] ?? (p.apps || p.openRate || p.notDisclosed ? "B" : "");
  // 「因为是行政执法卷宗所以没公开的」: the reason names the row; 没公开 only says it was not disclosed.
  const reasons = ["denied.", "unable.", "not_processed."];
  if (p.notDisclosed && table === "B" && p.bRows.length === 1 && reasons.some((r) => p.bRows[0].startsWith(r))) p.notDisclosed = false;
  if (p.notDisclosed) {
    if (table !== "B" || p.bRows.length) return { choice: [], why: "「没公开」和其他项目一起问，不清楚指哪一项" };
    const column = p.bCols[0] ?? "total";
    const b = (row: string): Figure => ({ kind: "B", row, column });
    return {
      choice: [b("denied"), { kind: "sum", parts: [b("denied"), b("unable"), b("not_processed")] }, { kind: "sum", parts: [b("denied"), b("unable"), b("not_processed"), b("other_handling")] }],
      why: "「没公开」可以只指不予公开，也可以包括无法提供、不予处理（和其他处理）",
    };
  }
  if (table === "C") {
    let groups = p.cGroups;
    // 「复议后起诉」 and 「行政复议」 both in one phrase list: the specific group wins.
    if (groups.some((g) => g.startsWith("litigation.")) && groups.includes("litigation")) groups = groups.filter((g) => g !== "litigation");
    if (groups.length > 1) return { choice: groups.map((g) => ({ kind: "C", group: g, result: p.cResults[0] ?? "total" })), why: "同时提到了几类复议、诉讼", several: true };
    if (p.other && !p.cResults.includes("other")) p.cResults.push("other");
    const results = p.cResults.length > 1 && p.cResults.includes("total") ? p.cResults.filter((r) => r !== "total") : p.cResults;
    if (results.length > 1) return { choice: results.map((r) => ({ kind: "C", group: groups[0] ?? "review", result: r })), why: "同时提到了几种结果", several: true };
    const result = results[0] ?? "total";
    if (groups.length === 0) {
      return { choice: C_GROUPS.map((g) => ({ kind: "C", group: g, result })), why: "没有说明是行政复议还是哪一类行政诉讼" };
    }
    const base: Figure = { kind: "C", group: groups[0], result };
    if (p.correctionRate) return { figure: { kind: "share", part: base, whole: { kind: "C", group: groups[0], result: "total" } } };
    if (p.share && result !== "total") return { figure: { kind: "share", part: base, whole: { kind: "C", group: groups[0], result: "total" } } };
    return { figure: base };
  }
  if (table === "A") {
    if (p.aItems.length > 1) return { choice: p.aItems.map((i) => ({ kind: "A", item: i, column: defaultAColumn(i) ?? aColumns(i)[0] })), why: "同时提到了几个事项", several: true };
    if (p.aItems.length === 0) {
      const options = ["rules", "normative"].flatMap((i) => p.aCols.filter((c) => aColumns(i).includes(c)).map((c) => ({ kind: "A", item: i, column: c }) as Figure));
      return { choice: options, why: "没有说明是规章还是规范性文件" };
    }
    const it = p.aItems[0];
    // 「行政许可项目比上年增减」: 项目 beside another column is the item's own word, not 采购项目数量.
    if (p.aCols.length > 1 && p.aCols.includes("count") && !aColumns(it).includes("count")) p.aCols = p.aCols.filter((c) => c !== "count");
    // A column the item has in no template (「行政处罚现行有效」) is never dropped for the default one.
    const foreign = p.aCols.find((c) => !aColumns(it).includes(c));
    if (foreign) return { choice: [], why: `「${figureLabel({ kind: "A", item: it, column: aColumns(it)[0] }).replace(/(处理决定数量|本年.*|上一年.*|采购.*)$/, "")}」没有这一列（${foreign === "amount" ? "金额" : figureLabel({ kind: "A", item: "rules", column: foreign }).replace(/^规章/, "")}）` };
    const cols = p.aCols;
    if (cols.length > 1) return { choice: cols.map((c) => ({ kind: "A", item: it, column: c })), why: "同时提到了几列" };
    // No column named: 「行政处罚」 means its decisions (domain.md §4.2); 规章 has no such default.
    const column = cols[0] ?? defaultAColumn(it);
    if (!column) return { choice: aColumns(it).map((c) => ({ kind: "A", item: it, column: c })), why: "没有说明是哪一列", oneOf: true };
    return { figure: { kind: "A", item: it, column } };
  }
  if (table === "B") {
    // 「新收申请中予以公开的」: another row named beside new applications is the one asked.
    let rows = narrowRows(p.bRows.length > 1 ? p.bRows.filter((r) => r !== "new") : p.bRows);
    if (p.other) {
      if (rows.includes("other_handling")) rows = rows.map((r) => (r === "other_handling" ? "other_handling.misc" : r));
      else if (!p.bCols.includes("other_org")) return { choice: [], why: "「其他」指哪一项不清楚" };
    }
    if (rows.length > 1) return { choice: rows.map((r) => ({ kind: "B", row: r, column: p.bCols[0] ?? "total" })), why: "同时提到了几项", several: true };
    const cols = p.bCols;
    if (cols.length > 1) return { choice: cols.map((c) => ({ kind: "B", row: rows[0] ?? "new", column: c })), why: "同时提到了几类申请人" };
    const column = cols[0] ?? "total";
    if (p.openRate) {
      if (rows.length || cols.length) return { choice: [], why: "公开率只对全部申请计算" };
      return { figure: { kind: "openRate" } };
    }
    const r = rows[0] ?? "new";
    const base: Figure = { kind: "B", row: r, column };
    if (p.share) {
      // 「个人申请占全部新收申请的比例」: 新收 names the whole the part is taken of.
      if (column !== "total" && rows.every((x) => x === "new")) return { figure: { kind: "share", part: base, whole: { kind: "B", row: r, column: "total" } } };
      if (column === "total" && rows.length && !["new", "carried_over", "total", "carried_forward"].includes(r)) {
        return { figure: { kind: "share", part: base, whole: { kind: "B", row: "total", column: "total" } } };
      }
      return { choice: [], why: "没有说明占比是相对什么计算" };
    }
    return { figure: base };
  }
  if (p.other) return { choice: [], why: "「其他」指哪一项不清楚" };
  return null;
}

/**
 * 「予以公开和部分公开占办结量的百分比」, 「不予公开占办理结果总数的比例」: a result of table 三 taken of all
 * results, the whole named after 占. Granted and partial together are the 公开率 (its definition).
 */
function shareOfResults(matches: TermMatch[]): Figure | "other whole" | null {
  const at = matches.findIndex((m) => /^(?:所?占)/.test(m.phrase) && m.terms.some((t) => t.t === "share"));
  if (at <= 0) return null;
  const naming = (m: TermMatch) => m.terms.some((t) => FIGURE_TERMS.has(t.t) && t.t !== "share");
  const after = matches.slice(at + 1).filter(naming);
  const before = matches.slice(0, at).filter(naming).flatMap((m) => m.terms.filter((t) => FIGURE_TERMS.has(t.t)));
  const results = before.length > 0 && before.every((t) => t.t === "bRow" && !["total", "new", "carried_over", "carried_forward"].includes(t.row));
  if (!after.length || !results) return null;
  // 「予以公开占新收申请的比例」 is not a share of the results: never answered as one.
  if (!after.every((m) => m.terms.every((t) => (t.t === "bRow" && t.row === "total") || !FIGURE_TERMS.has(t.t) || t.t === "share"))) return "other whole";
  const rows = [...new Set(before.map((t) => (t.t === "bRow" ? t.row : "")))];
  if (rows.length === 2 && rows.includes("granted") && rows.includes("partial")) return { kind: "openRate" };
  if (rows.length === 1) return { kind: "share", part: { kind: "B", row: rows[0], column: "total" }, whole: { kind: "B", row: "total", column: "total" } };
  return null;
}

/** The column an item is asked by when none is named: 「行政处罚」 means its 处理决定数量. */
function defaultAColumn(it: string): string | undefined {
  if (["licensing", "penalty", "enforcement", "other_services"].includes(it)) return "decisions";
  return undefined;
}

/** A unit the question asks in (几件, 多少万元, 百分之几): a figure in another unit is not what was asked. */
type AskedUnit = "count" | "amount" | "percent";
const COUNT_WORDS = /^(?:多少|几)?[件个起次回宗项]$|^(?:多少|几)(?:件|个|起|次|回|宗|项)$|^(?:数量|件数|个数|项数|数目)$/;
function unitOfPhrase(phrase: string, terms: Term[]): AskedUnit | null {
  if (terms.some((t) => t.t !== "filler")) return /百分/.test(phrase) ? "percent" : null;
  if (COUNT_WORDS.test(phrase)) return "count";
  if (/^(?:多少)?万?元$|^多少钱$|^(?:多少)?万$/.test(phrase)) return "amount";
  if (/百分|%/.test(phrase)) return "percent";
  return null;
}

/** Words that carry a clause on from the one before (「属于内部事务，所以不公开的」 asks one thing). */
const NESTING_WORDS = new Set(["其中", "中", "里", "里面", "当中", "所以", "因此", "因而"]);
/** Terms that name a figure (each, and, 一共 … name none). */
export const FIGURE_TERMS: ReadonlySet<Term["t"]> = new Set<Term["t"]>(["bRow", "bCol", "apps", "cGroup", "cResult", "aItem", "aCol", "other", "openRate", "share", "correctionRate", "notDisclosed"]);

/**
 * The figure named by the words found in a question. Figures joined by 和/加/、 with 一共/合计
 * are added up; with 各/分别 (or nothing) they are several questions, which the user picks from.
 * A clause end between two named figures (「依申请数，予以公开多少」, 「复议几件？诉讼呢？」) is two
 * questions too, unless what follows is inside the first (「新收申请，其中予以公开的」). The unit
 * asked must be the figure's: 「行政处罚多少万元」 has no answer, 「同比增加多少件」 is a difference.
 */
export function composeFigure(matches: TermMatch[]): FigureRead {
  const ofTotal = shareOfResults(matches);
  if (ofTotal === "other whole") return { kind: "choice", options: [], why: "结果类的比例只按办理结果总计计算" };
  if (ofTotal) return { kind: "figure", figure: ofTotal };
  const groups: Term[][] = [[]];
  let sum = false;
  let each = false;
  let decline = false;
  // Figures in different clauses are different questions: 一共 in one clause adds nothing across them.
  let acrossClauses = false;
  let change: "growth" | "diff" | undefined;
  let growthWord = false;
  let diffWord = false;
  const units = new Set<AskedUnit>();
  let clauseEnded = false;
  for (const m of matches) {
    const unit = unitOfPhrase(m.phrase, m.terms);
    if (unit) units.add(unit);
    if (m.terms.some((t) => t.t === "break")) {
      clauseEnded = true;
      continue;
    }
    if (clauseEnded) {
      if (NESTING_WORDS.has(m.phrase)) clauseEnded = false;
      else if (m.terms.some((t) => FIGURE_TERMS.has(t.t))) {
        if (groups[groups.length - 1].some((t) => FIGURE_TERMS.has(t.t))) {
          groups.push([]);
          acrossClauses = true;
        }
        clauseEnded = false;
      }
    }
    for (const t of m.terms) {
      if ((t.t === "diff" || t.t === "growth") && DECLINE.test(m.phrase)) decline = true;
      if (t.t === "and") groups.push([]);
      else if (t.t === "sum") sum = true;
      else if (t.t === "each") each = true;
      else if (t.t === "growth") growthWord = true;
      else if (t.t === "diff") diffWord = true;
      else if (t.t !== "filler" && t.t !== "versus" && t.t !== "break") groups[groups.length - 1].push(t);
    }
  }
  // 「同比增加多少件」 is a difference; 「同比增长」 and 「增长了百分之几」 a growth rate.
  if (growthWord || diffWord) change = (diffWord || units.has("count")) && !units.has("percent") ? "diff" : "growth";
  const inherited = inheritContext(groups.filter((g) => g.length > 0));
  const figures: One[] = (sum || each ? inherited : rowWithItsGroup(inherited)).map((g) => oneFigure(partsOf(g)));
  if (figures.length === 0 || figures.every((f) => f === null)) return { kind: "none" };
  const found = figures.filter((f): f is NonNullable<One> => f !== null);
  const choices = found.filter((f): f is { choice: Figure[]; why: string; several?: true; oneOf?: true } => "choice" in f);
  const addable = sum && !each && !change && !acrossClauses;
  // 「行政复议行政诉讼一共多少」: several named in one phrase, added up when asked to.
  const named = distinctFigures(found);
  // Only figures in the unit asked: 「行政处罚多少万元」 leaves none, 「行政许可几件」 drops no column.
  const list = named.filter((f) => !unitMismatch(f, units, change));
  if (!list.length && named.length) return { kind: "choice", options: [], why: unitMismatch(named[0], units, change)! };
  if (choices.length && !(addable && choices.every((c) => c.several))) {
    const oneOf = found.length === 1 && choices[0].oneOf === true && !change;
    return { kind: "choice", options: list, why: choices[0].why, ...(oneOf ? { oneOf } : {}) };
  }
  if (list.length === 1) return { kind: "figure", figure: list[0], change, ...(decline && change ? { decline: true as const } : {}) };
  // 「不予处理和信访举报投诉一共」: a row is already inside its group's total; adding them counts it twice.
  // 「行政诉讼败诉的，直接起诉和复议后起诉都算」: the whole and exactly its parts are the whole.
  const whole = list.find((f) => f.kind === "C" && f.group === "litigation");
  const parts = list.filter((f) => f !== whole);
  if (sum && !each && !change && whole?.kind === "C" && parts.length === 2 && ["litigation.direct", "litigation.after_review"].every((g) => parts.some((f) => f.kind === "C" && f.group === g && f.result === whole.result))) {
    return { kind: "figure", figure: whole, change };
  }
  const nested = list.some((f) => list.some((g) => g !== f && contains(f, g)));
  if (addable && nested) return { kind: "choice", options: list, why: "其中一项已包含在另一项里，相加会重复计算" };
  if (addable && list.every((f) => f.kind !== "openRate" && f.kind !== "share")) return { kind: "figure", figure: { kind: "sum", parts: list } };
  return { kind: "choice", options: list, why: "一次问到了几项" };
}

/**
 * 「复议维持加纠正」, 「律所申请的予以公开和部分公开」, 「规章制发和废止」: a figure after 和/加 that names
 * only a result, a row or a column takes the group, applicant or item of the one before it.
 */
function inheritContext(groups: Term[][]): Term[][] {
  const has = (terms: Term[], t: Term["t"]) => terms.some((x) => x.t === t);
  const only = (terms: Term[], kind: Term["t"]) => terms.every((x) => x.t === kind);
  // [what a figure names on its own, what it shares with its neighbours]
  const pairs: [Term["t"], Term["t"]][] = [["cResult", "cGroup"], ["bRow", "bCol"], ["aCol", "aItem"]];
  const out: Term[][] = [];
  for (const g of groups) {
    const prev = out[out.length - 1];
    // 「逾期不补正和其他」: the 其他 of the group named before it; 「维持和其他」: the other result.
    if (prev && only(g, "other")) {
      if (prev.some((x) => x.t === "bRow" && x.row.startsWith("other_handling"))) {
        out.push([...prev.filter((x) => x.t === "bCol"), row("other_handling.misc")]);
        continue;
      }
      if (has(prev, "cResult")) {
        out.push([...prev.filter((x) => x.t === "cGroup"), result("other")]);
        continue;
      }
    }
    // 「被申请行政复议几次？纠正了几件？」: a lone result after a group is that group's.
    const pair = prev && pairs.find(([own, shared]) => only(g, own) && has(prev, shared));
    // 「法院还没判下来的行政诉讼，直接起诉和复议后起诉」: a group named after a result takes that result too.
    const back = prev && !pair && pairs.find(([own, shared]) => only(g, shared) && has(prev, own) && has(prev, shared));
    out.push(pair ? [...prev.filter((x) => x.t === pair[1]), ...g] : back ? [...g, ...prev.filter((x) => x.t === back[0])] : g);
  }
  // 「行政复议和行政诉讼的纠正」, 「规章和规范性文件本年制发的」: what the last figure adds at the end
  // belongs to each before it that names only the other half.
  const last = out[out.length - 1];
  for (let i = 0; i < out.length - 1; i++) {
    const pair = pairs.find(([own, shared]) => only(out[i], shared) && has(last, own) && has(last, shared));
    if (pair) out[i] = [...out[i], ...last.filter((x) => x.t === pair[0])];
  }
  return out;
}

/**
 * 「信访举报投诉类、不予处理的」: a row and the group it belongs to, named side by side without
 * 一共 or 各, are that row (with 一共 or 各 the user asks about both, and picks).
 */
function rowWithItsGroup(groups: Term[][]): Term[][] {
  if (groups.length !== 2) return groups;
  const rowsOf = (g: Term[]) => [...new Set(g.filter((x): x is Extract<Term, { t: "bRow" }> => x.t === "bRow").map((x) => x.row))];
  const plain = (g: Term[]) => g.every((x) => x.t === "bRow" || x.t === "bCol" || x.t === "apps");
  const [a, b] = [rowsOf(groups[0]), rowsOf(groups[1])];
  const within = (inner: string[], outer: string[]) => inner.length === 1 && outer.length === 1 && inner[0].startsWith(`${outer[0]}.`);
  if (within(a, b) && plain(groups[1])) return [[...groups[0], ...groups[1].filter((x) => x.t !== "bRow")]];
  if (within(b, a) && plain(groups[0])) return [[...groups[1], ...groups[0].filter((x) => x.t !== "bRow")]];
  return groups;
}

/** Whether figure `outer` already counts all of `inner` (a group and its row, a total and one of its columns or results). */
function contains(outer: Figure, inner: Figure): boolean {
  const under = (a: string, b: string) => b.startsWith(`${a}.`);
  if (outer.kind === "B" && inner.kind === "B") {
    const results = ["granted", "partial", "denied", "unable", "not_processed", "other_handling"];
    const rowIn = outer.row === inner.row || under(outer.row, inner.row) || (outer.row === "total" && results.some((r) => inner.row === r || under(r, inner.row)));
    const colIn = outer.column === inner.column || outer.column === "total" || (outer.column === "org" && inner.column !== "natural_person" && inner.column !== "total");
    return rowIn && colIn;
  }
  if (outer.kind === "C" && inner.kind === "C") {
    const groupIn = outer.group === inner.group || under(outer.group, inner.group);
    return groupIn && (outer.result === inner.result || outer.result === "total");
  }
  return false;
}

/** Words that ask for a fall rather than a rise. */
const DECLINE = /下降|减少|少了|降低|降了|少几|少多少|少收|少批/;

/** Why a figure is not in the unit asked, or null. */
function unitMismatch(f: Figure, units: Set<AskedUnit>, change: "growth" | "diff" | undefined): string | null {
  const amount = f.kind === "A" && f.column === "amount";
  const rate = f.kind === "openRate" || f.kind === "share" || change === "growth";
  // 「依申请公开了百分之几」 asks a rate: a count is not the answer.
  if (units.has("percent") && !rate) return `「${figureLabel(f)}」是${amount ? "金额" : "件数"}，不是比例`;
  if (units.has("amount") && !amount) return `「${figureLabel(f)}」是${rate ? "比例" : "件数"}，没有金额`;
  if (units.has("count") && amount) return `「${figureLabel(f)}」是金额，不是件数`;
  return null;
}

/** The figures named, each once (by key), in the order named. */
function distinctFigures(found: NonNullable<One>[]): Figure[] {
  const seen = new Set<string>();
  const out: Figure[] = [];
  for (const f of found) {
    for (const figure of "choice" in f ? f.choice : [f.figure]) {
      const key = figureKey(figure);
      if (!seen.has(key)) seen.add(key), out.push(figure);
    }
  }
  return out;
}

export const ALL_B_GROUPS = Object.keys(B_GROUPS);
export const ALL_REVIEW_RESULTS = REVIEW_RESULTS;
