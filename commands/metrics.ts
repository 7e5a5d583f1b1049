/**
 * What people say → which cells. One table, from ../shared/research/domain.md §4.2.
 * A metric is one cell or a stated sum of cells; its definition is shown in the answer.
 */
import type { Report } from "../parser/index.ts";
import { TEMPLATES, type TemplateId } from "../parser/template.ts";

export interface Metric {
  key: string;
  label: string;
  /** Phrases that name it, longest match wins. */
  phrases: string[];
  /** Named by words that also set the scene for other figures (申请, 规范性文件): gives way to them. */
  generic?: boolean;
  /** Cells summed for the metric, per template (undefined: the template has no such figure). */
  cells: (template: TemplateId, column: string) => string[] | undefined;
  /** How the figure is made, when it is not a single printed cell. */
  definition?: (template: TemplateId) => string;
  unit: (r: Report, cells: string[]) => string;
  /** Whether an applicant column (自然人, 企业 …) may narrow it. */
  byApplicant?: boolean;
  /** Cells to use instead when the report did not print `cells` (a mixed-format report). */
  fallback?: (template: TemplateId, column: string) => string[];
  /** For ratios: computed from other figures instead of summed. */
  ratio?: (r: Report) => { value: number | null; cells: string[] };
}

const B = (row: string) => (_t: TemplateId, col: string) => [`applications.${row}.${col}`];
const countUnit = () => "件";
const bRows = (template: TemplateId, prefix: string) => TEMPLATES[template].tableB.filter((d) => d.id.startsWith(prefix)).map((d) => d.id);
const sumOf = (prefix: string) => (t: TemplateId, col: string) => bRows(t, prefix).map((id) => `applications.${id}.${col}`);
const sumDefinition = (title: string, prefix: string) => (t: TemplateId) =>
  `${title} = ${bRows(t, prefix)
    .map((id) => TEMPLATES[t].tableB.find((d) => d.id === id)!.label.replace(/^（[一二三四五六七]）[^ ]* ?/, ""))
    .join(" + ")}`;

function bMetric(key: string, label: string, row: string, phrases: string[], generic = false): Metric {
  return { key, label, phrases, cells: B(row), unit: countUnit, byApplicant: true, generic };
}

function rowById(t: TemplateId, id: string) {
  return TEMPLATES[t].tableB.some((d) => d.id === id);
}

export const METRICS: Metric[] = [
  bMetric("new", "本年新收申请", "new", [
    "依申请数", "依申请公开数", "依申请公开", "依申请件数", "申请数", "申请量", "申请件数", "新收申请", "本年新收", "新收",
    "收到申请", "收到多少申请", "收到的申请", "收到政府信息公开申请", "收到政府信息公开申请数量", "受理申请", "受理依申请公开",
    "来件", "申请数量", "政府信息公开申请", "公开申请", "信息公开申请", "依申请", "收到申请数", "提出申请",
  ], true),
  bMetric("carried_over", "上年结转申请", "carried_over", ["上年结转", "上年度结转", "结转上年", "上年结转申请", "历史积存"]),
  bMetric("granted", "予以公开", "granted", ["予以公开", "同意公开", "全部公开", "已公开"]),
  bMetric("partial", "部分公开", "partial", ["部分公开", "部分予以公开", "区分处理"]),
  {
    key: "denied", label: "不予公开", phrases: ["不予公开", "拒绝公开", "不公开"], byApplicant: true,
    cells: sumOf("denied."), definition: sumDefinition("不予公开", "denied."), unit: countUnit,
  },
  bMetric("denied.state_secret", "不予公开：属于国家秘密", "denied.state_secret", ["国家秘密", "涉密"]),
  bMetric("denied.law_forbidden", "不予公开：其他法律行政法规禁止公开", "denied.law_forbidden", ["法律法规禁止", "法律行政法规禁止"]),
  bMetric("denied.security_stability", "不予公开：危及“三安全一稳定”", "denied.security_stability", ["三安全一稳定", "危及安全稳定"]),
  bMetric("denied.third_party", "不予公开：保护第三方合法权益", "denied.third_party", ["第三方权益", "第三方合法权益", "商业秘密", "个人隐私"]),
  bMetric("denied.internal_affairs", "不予公开：属于三类内部事务信息", "denied.internal_affairs", ["内部事务", "三类内部事务"]),
  bMetric("denied.process_info", "不予公开：属于四类过程性信息", "denied.process_info", ["过程性信息", "四类过程性信息"]),
  bMetric("denied.enforcement_file", "不予公开：属于行政执法案卷", "denied.enforcement_file", ["执法案卷"]),
  bMetric("denied.query_matter", "不予公开：属于行政查询事项", "denied.query_matter", ["行政查询事项", "查询类"]),
  {
    key: "unable", label: "无法提供", phrases: ["无法提供"], byApplicant: true,
    cells: sumOf("unable."), definition: sumDefinition("无法提供", "unable."), unit: countUnit,
  },
  bMetric("unable.not_held", "无法提供：本机关不掌握相关政府信息", "unable.not_held", ["不掌握", "信息不存在", "非本机关信息", "查无此信息"]),
  bMetric("unable.needs_creation", "无法提供：没有现成信息需要另行制作", "unable.needs_creation", ["另行制作", "需另行制作", "没有现成信息"]),
  bMetric("unable.unclear", "无法提供：补正后申请内容仍不明确", "unable.unclear", ["申请内容不明确", "补正后仍不明确", "内容不明确"]),
  {
    key: "not_processed", label: "不予处理", phrases: ["不予处理"], byApplicant: true,
    cells: sumOf("not_processed."), definition: sumDefinition("不予处理", "not_processed."), unit: countUnit,
  },
  bMetric("not_processed.petition", "不予处理：信访举报投诉类申请", "not_processed.petition", ["信访", "举报投诉"]),
  bMetric("not_processed.duplicate", "不予处理：重复申请", "not_processed.duplicate", ["重复申请"]),
  bMetric("not_processed.publication", "不予处理：要求提供公开出版物", "not_processed.publication", ["出版物"]),
  bMetric("not_processed.excessive", "不予处理：无正当理由大量反复申请", "not_processed.excessive", ["大量反复", "滥用申请权"]),
  bMetric("not_processed.confirm", "不予处理：要求确认或重新出具已获取信息", "not_processed.confirm", ["要求确认", "重新出具"]),
  {
    key: "other_handling", label: "其他处理", phrases: ["其他处理"], byApplicant: true,
    cells: (t, col) => (t === "2019" ? [`applications.other_handling.${col}`] : sumOf("other_handling.")(t, col)),
    // A 2021-format report that printed （六） as one row.
    fallback: (_t, col) => [`applications.other_handling.${col}`],
    definition: (t) => (t === "2021" ? sumDefinition("其他处理", "other_handling.")(t) : "其他处理（2019版为单行）"),
    unit: countUnit,
  },
  {
    key: "other_handling.overdue_correction", label: "其他处理：逾期不补正", phrases: ["逾期不补正"], byApplicant: true, unit: countUnit,
    cells: (t, col) => (rowById(t, "other_handling.overdue_correction") ? [`applications.other_handling.overdue_correction.${col}`] : undefined),
  },
  {
    key: "other_handling.unpaid_fee", label: "其他处理：逾期未缴费", phrases: ["逾期未缴费", "未缴费", "未按收费通知"], byApplicant: true, unit: countUnit,
    cells: (t, col) => (rowById(t, "other_handling.unpaid_fee") ? [`applications.other_handling.unpaid_fee.${col}`] : undefined),
  },
  bMetric("total", "办理结果总计", "total", ["办理结果总计", "办结", "已办结", "已答复", "办理完毕", "答复总数", "处理结果总计", "办理总数"]),
  bMetric("carried_forward", "结转下年度继续办理", "carried_forward", ["结转下年度", "结转下年", "结转到下年", "结转到下一年", "结转下一年", "转入下一年", "转入下年", "继续办理", "未办结", "跨年"]),
  {
    key: "open_rate", label: "公开率", phrases: ["公开率"], unit: () => "%",
    cells: () => ["applications.granted.total", "applications.partial.total", "applications.total.total"],
    definition: () => "公开率 =（予以公开 + 部分公开）÷ 办理结果总计，非官方指标",
    ratio: (r) => {
      const g = r.cells["applications.granted.total"], p = r.cells["applications.partial.total"], t = r.cells["applications.total.total"];
      const cells = ["applications.granted.total", "applications.partial.total", "applications.total.total"];
      if (g == null || p == null || t == null || t === 0) return { value: null, cells };
      return { value: Math.round(((g + p) / t) * 1000) / 10, cells };
    },
  },
  { key: "review", label: "行政复议", phrases: ["行政复议", "复议", "被申请复议", "复议案件", "行政复议数"], cells: () => ["review.total"], unit: countUnit },
  { key: "review.upheld", label: "行政复议：结果维持", phrases: ["复议维持", "复议结果维持"], cells: () => ["review.upheld"], unit: countUnit },
  { key: "review.corrected", label: "行政复议：结果纠正", phrases: ["复议纠正", "复议结果纠正", "被纠错", "复议被纠正"], cells: () => ["review.corrected"], unit: countUnit },
  { key: "review.other", label: "行政复议：其他结果", phrases: ["复议其他结果"], cells: () => ["review.other"], unit: countUnit },
  { key: "review.pending", label: "行政复议：尚未审结", phrases: ["复议未审结", "复议尚未审结", "复议在审"], cells: () => ["review.pending"], unit: countUnit },
  {
    key: "litigation", label: "行政诉讼", phrases: ["行政诉讼", "被起诉", "被诉", "应诉", "诉讼", "官司", "起诉"],
    cells: () => ["litigation.direct.total", "litigation.after_review.total"],
    definition: () => "行政诉讼 = 未经复议直接起诉（总计）+ 复议后起诉（总计）", unit: countUnit,
  },
  { key: "litigation.direct", label: "行政诉讼：未经复议直接起诉", phrases: ["直接起诉", "未经复议直接起诉"], cells: () => ["litigation.direct.total"], unit: countUnit },
  { key: "litigation.after_review", label: "行政诉讼：复议后起诉", phrases: ["复议后起诉"], cells: () => ["litigation.after_review.total"], unit: countUnit },
  {
    key: "litigation.corrected", label: "行政诉讼：结果纠正（败诉）", phrases: ["败诉", "诉讼纠正"],
    cells: () => ["litigation.direct.corrected", "litigation.after_review.corrected"],
    definition: () => "败诉 = 直接起诉结果纠正 + 复议后起诉结果纠正", unit: countUnit,
  },
  {
    key: "litigation.upheld", label: "行政诉讼：结果维持（胜诉）", phrases: ["胜诉", "诉讼维持"],
    cells: () => ["litigation.direct.upheld", "litigation.after_review.upheld"],
    definition: () => "胜诉 = 直接起诉结果维持 + 复议后起诉结果维持", unit: countUnit,
  },
  {
    key: "rules.issued", label: "规章：本年制发", phrases: ["规章", "制发规章", "规章制发", "新制作规章"], generic: true,
    cells: (t) => [t === "2021" ? "active.rules.issued" : "active.rules.made"], unit: () => "件",
    definition: (t) => (t === "2019" ? "2019版为「本年新制作数量」" : "本年制发件数"),
  },
  {
    key: "normative.issued", label: "行政规范性文件：本年制发", phrases: ["规范性文件", "行政规范性文件", "红头文件", "制发规范性文件", "出台规范性文件", "印发规范性文件"], generic: true,
    cells: (t) => [t === "2021" ? "active.normative.issued" : "active.normative.made"], unit: () => "件",
    definition: (t) => (t === "2019" ? "2019版为「本年新制作数量」" : "本年制发件数"),
  },
  {
    key: "normative.repealed", label: "行政规范性文件：本年废止", phrases: ["废止规范性文件", "规范性文件废止", "废止", "失效"],
    cells: (t) => (t === "2021" ? ["active.normative.repealed"] : undefined), unit: () => "件",
  },
  {
    key: "normative.in_force", label: "行政规范性文件：现行有效", phrases: ["现行有效", "现行有效规范性文件"],
    cells: (t) => [t === "2021" ? "active.normative.in_force" : "active.normative.total"], unit: () => "件",
    definition: (t) => (t === "2019" ? "2019版为「对外公开总数量」，与现行有效件数不完全可比" : "现行有效件数"),
  },
  { key: "licensing", label: "行政许可处理决定", phrases: ["行政许可", "行政许可决定", "许可决定", "审批数", "许可"], cells: () => ["active.licensing.decisions"], unit: () => "件" },
  { key: "penalty", label: "行政处罚处理决定", phrases: ["行政处罚", "处罚决定", "处罚案件", "罚款件数", "处罚"], cells: () => ["active.penalty.decisions"], unit: () => "件" },
  { key: "enforcement", label: "行政强制处理决定", phrases: ["行政强制", "强制措施", "查封扣押", "强制"], cells: () => ["active.enforcement.decisions"], unit: () => "件" },
  {
    key: "fees", label: "行政事业性收费金额", phrases: ["行政事业性收费", "收费金额", "规费", "收费"],
    cells: (t) => (t === "2021" ? ["active.fees.amount"] : undefined), unit: (r) => r.units["active.fees.amount"] ?? "万元",
    definition: () => "2021版起为本年收费金额（万元）；2019版是收费项目数，不可比",
  },
  {
    key: "procurement", label: "政府集中采购金额", phrases: ["政府集中采购", "采购金额", "集中采购"],
    cells: (t) => (t === "2019" ? ["active.procurement.amount"] : undefined), unit: (r) => r.units["active.procurement.amount"] ?? "",
  },
];

/** Applicant columns by what people call them. */
export const APPLICANT_PHRASES: [string, string][] = [
  ["自然人", "natural_person"], ["个人", "natural_person"], ["公民", "natural_person"], ["群众", "natural_person"],
  ["商业企业", "commercial"], ["企业", "commercial"], ["公司", "commercial"],
  ["科研机构", "research"], ["高校", "research"], ["研究所", "research"],
  ["社会公益组织", "social_org"], ["公益组织", "social_org"], ["社会组织", "social_org"],
  ["法律服务机构", "legal_service"], ["律师事务所", "legal_service"], ["律所", "legal_service"], ["律师", "legal_service"],
];

export const APPLICANT_LABEL: Record<string, string> = {
  natural_person: "自然人", commercial: "商业企业", research: "科研机构", social_org: "社会公益组织",
  legal_service: "法律服务机构", other_org: "其他", total: "总计",
};

/** Every phrase → metric, longest first, for matching inside a question. */
export const PHRASES: { phrase: string; metric: Metric }[] = METRICS.flatMap((m) => m.phrases.map((phrase) => ({ phrase, metric: m }))).sort(
  (a, b) => b.phrase.length - a.phrase.length,
);

export interface MetricValue {
  value: number | null;
  cells: string[];
  unit: string;
  definition?: string;
  /** Why there is no value. */
  missing?: string;
}

/** The figure for one report. Null when the report's template has no such figure or a cell is unknown. */
export function metricValue(r: Report, metric: Metric, column = "total"): MetricValue {
  const t = r.template;
  if (metric.ratio) {
    const { value, cells } = metric.ratio(r);
    return { value, cells, unit: "%", definition: metric.definition?.(t), missing: value === null ? "计算所需数字不全或总计为0" : undefined };
  }
  const col = metric.byApplicant ? column : "total";
  let cells = metric.cells(t, col);
  const alt = metric.fallback?.(t, col);
  if (alt && (!cells || cells.some((c) => !(c in r.cells))) && alt.every((c) => c in r.cells)) cells = alt;
  if (!cells) return { value: null, cells: [], unit: "", missing: `${t}版格式没有「${metric.label}」这一项` };
  const vs = cells.map((c) => r.cells[c]);
  const unit = metric.unit(r, cells);
  const definition = metric.definition?.(t);
  if (vs.some((v) => v === undefined)) return { value: null, cells, unit, definition, missing: "年报中没有找到这一项（表格缺行或被截断）" };
  if (vs.some((v) => v === null)) return { value: null, cells, unit, definition, missing: "原文这一格无法确定（占位符或多种读法）" };
  const value = (vs as number[]).reduce((a, b) => a + b, 0);
  return { value: Math.round(value * 1e6) / 1e6, cells, unit, definition };
}

export function metricLabel(metric: Metric, column: string): string {
  return column !== "total" && metric.byApplicant ? `${metric.label}（${APPLICANT_LABEL[column]}）` : metric.label;
}
