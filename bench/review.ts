/**
 * 审查 of one year: reviewYear over n synthetic reports of 2024 (bench/synth.ts), each with its
 * 2023 report as last year's, every rule family run. The synthetic reports' prose is one
 * sentence, so each gets a few paragraphs drawn from a shared pool: the copy and repeat checks
 * then compare and index real amounts of text.
 */
import { isReport, parseReport, type Report } from "../parser/index.ts";
import { reviewYear } from "../review/index.ts";
import { synthReports } from "./synth.ts";

const SUBJECTS = ["本年度", "全年", "我单位", "围绕中心工作", "按照上级部署", "结合工作实际", "为提升公开质效", "针对群众关切", "在政策发布方面", "在平台建设方面"];
const ACTIONS = ["持续规范", "及时更新", "集中梳理", "全面推进", "严格落实", "逐步完善", "认真开展", "不断优化", "切实加强", "统筹做好"];
const OBJECTS = [
  "主动公开目录和公开指南",
  "政策文件的解读和回应",
  "依申请公开的登记、审核和答复流程",
  "门户网站栏目和政务新媒体账号",
  "财政预决算和重点项目信息的公开",
  "信息发布前的保密审查",
  "政务公开业务培训和考核",
  "基层政务公开标准化规范化工作",
  "便民服务中心公开栏的内容",
  "重大行政决策预公开和意见征集",
];

function withProse(text: string, rand: (k: number) => number): string {
  const sentences = Array.from({ length: 8 }, () => `${SUBJECTS[rand(10)]}${ACTIONS[rand(10)]}${OBJECTS[rand(10)]}，取得了一定成效。`);
  return text.replace("深入推进政务公开。", `深入推进政务公开。\n\n${sentences.slice(0, 4).join("")}\n\n${sentences.slice(4).join("")}`);
}

export function benchReview(n: number): { reports: number; coldMs: number; ms: number; runs: number[]; errors: number; reminders: number; withErrors: number; proseChars: number } {
  let seed = 11;
  const rand = (k: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % k;
  };
  const last = new Map<string, Report>();
  const current: Report[] = [];
  for (const s of synthReports(2 * n, [2023, 2024])) {
    const r = parseReport(withProse(s.text, rand), { file: s.file });
    if (!isReport(r)) continue;
    if (s.year === 2023) last.set(s.organ, r);
    else current.push(r);
  }
  const organOf = (r: Report) => r.organ ?? "";
  const run = () => {
    const t0 = performance.now();
    const review = reviewYear({ year: 2024, reports: current, lastYearOf: (r) => last.get(organOf(r)) ?? null, today: "2025-02-10" });
    return { ms: performance.now() - t0, review };
  };
  // The first run also reads every report's prose (kept for later runs, as a running bot keeps it);
  // then three runs, the median reported (this machine is shared and noisy).
  const cold = run();
  const runs = [run(), run(), run()].sort((a, b) => a.ms - b.ms);
  const { review } = runs[1];
  const proseChars = current.reduce((a, r) => a + r.narrative[0].text.length, 0) / Math.max(1, current.length);
  return {
    reports: current.length,
    coldMs: cold.ms,
    ms: runs[1].ms,
    runs: runs.map((r) => Math.round(r.ms)),
    errors: review.counts.错误,
    reminders: review.counts.提醒,
    withErrors: review.counts.withErrors,
    proseChars: Math.round(proseChars),
  };
}
