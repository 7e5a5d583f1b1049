/**
 * Commands about the library as a whole: /校验 (a report's checks, or every report that fails
 * one) and /搜索 (full text).
 */
import { ruleName } from "../parser/index.ts";
import { z } from "zod";
import { type Cell, errorAnswer, makeAnswer } from "./answer.ts";
import { define } from "./command.ts";
import { organKeySchema, yearSchema } from "./schemas.ts";
import { findingRows, reviewInLibrary } from "./review-commands.ts";
import { pickOrgan, pickReport, unknownName } from "./select.ts";
import { understand } from "./understand.ts";

const checksArgs = z.object({ organ: organKeySchema.optional(), year: yearSchema.optional() });

export const checks = define({
  name: "校验",
  aliases: ["检查", "勾稽", "check"],
  summary: "年报的勾稽校验结果（不给单位则列出所有未通过的年报）",
  usage: "/校验 [单位] [年份]",
  example: "/校验 李楼镇 2020",
  menuKey: "checks",
  schema: checksArgs,
  read: (text, ctx) => {
    const q = understand(text, ctx.store, ctx.now);
    const year = q.years.find((y) => y.kind === "year");
    const y = year?.kind === "year" ? year.year : undefined;
    if (!q.mentions.length && !q.nearMisses.length && !unknownName(q).replace(/年报|哪些|问题|有没有|校验|勾稽|检查|错/g, "")) return { args: { year: y } };
    const picked = pickOrgan("校验", q, ctx.store, (o) => ({ label: ctx.store.displayName(o), command: "校验", args: { organ: o.key, year: y } }), y);
    if ("answer" in picked) return picked;
    return { args: { organ: picked.organ.key, year: y }, notes: picked.notes };
  },
  run: ({ organ: key, year }, ctx, notes) => {
    if (key) {
      const organ = ctx.store.organByKey(key);
      if (!organ) return errorAnswer("校验", "这个单位已不在资料库中");
      const picked = pickReport("校验", organ, year, ctx.store);
      if ("answer" in picked) return picked.answer;
      const r = picked.report;
      const review = reviewInLibrary(ctx, organ, r);
      const passed = review.checks.filter((c) => c.ok).length;
      return makeAnswer({
        kind: "checks",
        command: "校验",
        title: `${r.organ} ${r.year} 年报审查：${review.verdict}`,
        table: review.findings.length ? { columns: ["级别", "规则", "位置", "说明"], rows: findingRows(review.findings) } : undefined,
        lines: [
          `其余 ${passed} 项规则均通过`,
          ...(review.comparison ? [`本级年报与下级年报之和的对比：${review.comparison.rows.length} 项，见 /审查 ${r.year}`] : []),
          ...notes,
          ...picked.notes,
          ...r.warnings.slice(0, 10).map((w) => `⚠ ${w}`),
        ],
        actions: [{ label: "查看完整报告", command: "报告", args: { organ: organ.key, year: r.year! }, primary: true }],
        tone: review.counts.错误 ? "warn" : "ok",
      });
    }
    const rows: Cell[][] = [];
    for (const o of ctx.store.organs) {
      for (const [y, r] of [...o.reports].sort((a, b) => b[0] - a[0])) {
        if (year !== undefined && y !== year) continue;
        for (const c of r.checks.filter((c) => !c.ok)) rows.push([ctx.store.displayName(o), y, c.severity, ruleName(c.id), c.detail]);
      }
    }
    return makeAnswer({
      kind: "checks",
      command: "校验",
      title: rows.length ? `${year ?? "全部"}年报中未通过的校验：${rows.length} 项` : `${year ?? "全部"}年报的校验全部通过`,
      table: rows.length ? { columns: ["单位", "年份", "级别", "校验", "说明"], rows: rows.sort((a, b) => (a[2] === b[2] ? 0 : a[2] === "错误" ? -1 : 1)) } : undefined,
      lines: rows.length ? ["这里是每份年报自身的校验；跨年衔接、重复和按时发布见 /审查 年份"] : [],
      tone: rows.length ? "warn" : "ok",
    });
  },
});

function snippet(text: string, words: string[], width = 40): string {
  const at = Math.max(0, ...words.map((w) => text.indexOf(w)).filter((i) => i >= 0).slice(0, 1));
  const start = Math.max(0, at - width / 2);
  return `${start > 0 ? "…" : ""}${text.slice(start, start + width * 2).replace(/\s+/g, " ")}…`;
}

export const search = define({
  name: "搜索",
  aliases: ["检索", "search"],
  summary: "在年报正文中全文搜索",
  usage: "/搜索 <词>",
  example: "/搜索 信息处理费",
  schema: z.object({ words: z.string().trim().min(1, "请输入要搜索的词，例如：/搜索 信息处理费").max(100, "搜索词太长") }),
  read: (text) => ({ args: { words: text } }),
  run: ({ words }, ctx) => {
    const hits = ctx.store.fullText(words, 10);
    const parts = words.split(/\s+/).filter(Boolean);
    const exact = hits.filter((h) => h.report.narrative.some((s) => parts.every((p) => s.text.includes(p))));
    const shown = exact.length ? exact : hits;
    if (shown.length === 0) return errorAnswer("搜索", `正文中没有找到「${words}」`);
    return makeAnswer({
      kind: "search",
      command: "搜索",
      title: `「${words}」出现在 ${shown.length} 份年报中`,
      table: {
        columns: ["单位", "年份", "章节", "片段"],
        rows: shown.map((h) => {
          const sec = h.report.narrative.find((s) => parts.some((p) => s.text.includes(p))) ?? h.report.narrative[0];
          return [h.report.organShort ?? h.report.organ, h.report.year, sec?.title ?? "", sec ? snippet(sec.text, parts) : ""];
        }),
      },
    });
  },
});

export const library = define({
  name: "资料库",
  aliases: ["库", "library", "files"],
  summary: "资料库里有哪些单位和年份，哪些文件没能读取、为什么",
  usage: "/资料库",
  example: "/资料库",
  schema: z.object({}),
  read: () => ({ args: {} }),
  run: (_a, ctx) => {
    const { store } = ctx;
    const rows: Cell[][] = store.organs
      .map((o) => [store.displayName(o), [...o.reports.keys()].sort((a, b) => a - b).join("、")] as Cell[])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0]), "zh"));
    return makeAnswer({
      kind: "help",
      command: "资料库",
      title: `资料库：${store.organs.length} 个单位、${store.reports.length} 份年报${store.rejected.length ? `，${store.rejected.length} 个文件无法识别` : ""}`,
      table: { columns: ["单位", "年份"], rows },
      lines: store.rejected.map((x) => `无法识别 ${x.file}：${x.error}`),
      tone: store.rejected.length ? "warn" : "ok",
    });
  },
});
