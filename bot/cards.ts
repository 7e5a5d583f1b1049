/**
 * Answer objects → Feishu interactive cards (JSON 2.0). Each card stays under 30 KB: long
 * tables are split into pages with a 下一页 button.
 */
import type { Answer, NumberAnswer } from "../commands/index.ts";
import type { Reminder } from "../commands/reminders.ts";
import { ruleName } from "../parser/review/index.ts";
import { keyFigures } from "../commands/format.ts";
import type { Report } from "../parser/index.ts";

export const CARD_LIMIT_BYTES = 30 * 1024;
const ROWS_PER_PAGE = 20;

export interface CardContext {
  /** The text that produced this answer, so 下一页 can ask again for the next page. */
  query: string;
  page?: number;
}

type El = Record<string, unknown>;

const md = (content: string, extra: El = {}): El => ({ tag: "markdown", content, ...extra });
const plain = (content: string) => ({ tag: "plain_text", content });

function button(text: string, value: Record<string, unknown>, type = "default"): El {
  return { tag: "button", type, text: plain(text), behaviors: [{ type: "callback", value }] };
}

function fmtValue(n: NumberAnswer): string {
  const v = Number.isInteger(n.value) ? String(n.value) : n.value.toLocaleString("zh-CN", { maximumFractionDigits: 6 });
  return `${v}${n.unit ? ` ${n.unit}` : ""}`;
}

/** Escape what Feishu markdown would read as markup in data coming from reports. */
const esc = (s: string) => s.replace(/([*_~`<>[\]])/g, "\\$1");

/** Large numbers side by side, each with a grey caption. */
function tiles(items: [value: string, caption: string][]): El {
  return {
    tag: "column_set",
    flex_mode: "none",
    columns: items.map(([value, caption]) => ({
      tag: "column",
      width: "weighted",
      weight: 1,
      background_style: "grey-50",
      padding: "8px",
      elements: [md(`## ${value}`, { text_align: "center" }), md(`<font color='grey'>${esc(caption)}</font>`, { text_align: "center", text_size: "notation" })],
    })),
  };
}

/** Buttons in one row. */
const buttonRow = (buttons: El[]): El[] =>
  buttons.length ? [{ tag: "column_set", flex_mode: "flow", columns: buttons.map((b) => ({ tag: "column", width: "auto", elements: [b] })) }] : [];

function numberElements(a: Answer): El[] {
  const out: El[] = [];
  for (const n of a.answers) {
    out.push(tiles([[fmtValue(n), n.metric]]));
    if (n.definition) out.push(md(`<font color='grey'>口径：${esc(n.definition)}</font>`, { text_size: "notation" }));
    for (const issue of n.issues) out.push(md(`<font color='orange'>⚠ ${esc(issue)}</font>`));
    out.push({
      tag: "collapsible_panel",
      expanded: false,
      header: { title: plain("数据来源") },
      elements: n.provenance.map((s) => md(`${esc(s.file)} · ${s.table} · ${esc(s.row)} · ${esc(s.column)}${s.printed ? ` · 原文「${esc(s.printed)}」` : ""}`)),
    });
  }
  return out;
}

function tableElement(columns: string[], rows: (string | number | null)[][]): El {
  return {
    tag: "table",
    page_size: 10,
    row_height: "low",
    header_style: { background_style: "grey", bold: true, lines: 1 },
    columns: columns.map((c, i) => ({
      name: `c${i}`,
      display_name: c,
      data_type: rows.every((r) => typeof r[i] === "number" || r[i] === null) ? "number" : "text",
      width: "auto",
    })),
    rows: rows.map((r) => Object.fromEntries(r.map((v, i) => [`c${i}`, v ?? "—"]))),
  };
}

function trendChart(a: Answer): El | null {
  if (a.kind !== "trend" || a.answers.length < 2) return null;
  return {
    tag: "chart",
    aspect_ratio: "16:9",
    chart_spec: {
      type: "line",
      data: { values: a.answers.map((n) => ({ year: String(n.year), value: n.value })) },
      xField: "year",
      yField: "value",
      point: { visible: true },
      label: { visible: true },
    },
  };
}

/** The answer's follow-up buttons; each carries its command and structured arguments. */
function actionButtons(a: Answer): El[] {
  return buttonRow(a.actions.slice(0, 8).map((x) => button(x.label, { cmd: x.command, args: x.args }, x.primary ? "primary" : "default")));
}

function cardOf(title: string, body: El[], template: string): El {
  return {
    schema: "2.0",
    config: { update_multi: true, summary: { content: title.slice(0, 100) } },
    header: { title: plain(title.slice(0, 100)), template },
    body: { elements: body },
  };
}

/** Grey for errors, orange when the report's own checks touch the number, blue otherwise. */
const answerColor = (a: Answer) => (a.tone === "error" ? "grey" : a.tone === "warn" ? "orange" : "blue");

export function cardSize(card: object): number {
  return Buffer.byteLength(JSON.stringify(card), "utf8");
}

/** The card for an answer; long tables are paged. */
export function renderCard(a: Answer, ctx: CardContext): El {
  const page = ctx.page ?? 0;
  let perPage = ROWS_PER_PAGE;
  for (;;) {
    const body: El[] = [];
    if (a.kind === "number") body.push(...numberElements(a));
    const chart = trendChart(a);
    if (chart) body.push(chart);
    const rows = a.table?.rows ?? [];
    const pages = Math.max(1, Math.ceil(rows.length / perPage));
    const p = Math.min(page, pages - 1);
    if (a.table && rows.length) {
      body.push(tableElement(a.table.columns, rows.slice(p * perPage, (p + 1) * perPage)));
      if (pages > 1) body.push(md(`<font color='grey'>第 ${p + 1}/${pages} 页，共 ${rows.length} 行</font>`, { text_size: "notation" }));
    }
    for (const l of a.lines) body.push(md(esc(l)));
    if (a.suggestions.length) body.push(md(a.suggestions.map((s) => `👉 ${esc(s)}`).join("\n")));
    const nav: El[] = [];
    if (p > 0) nav.push(button("上一页", { cmd: "page", q: ctx.query, page: p - 1 }));
    if (p < pages - 1) nav.push(button("下一页", { cmd: "page", q: ctx.query, page: p + 1 }, "primary"));
    body.push(...buttonRow(nav));
    body.push(...actionButtons(a));
    const card = cardOf(a.title, body, answerColor(a));
    if (cardSize(card) <= CARD_LIMIT_BYTES || perPage <= 1) return card;
    perPage = Math.max(1, Math.floor(perPage / 2));
  }
}

/** A friendly card for input the bot cannot use: what went wrong and what to type instead. */
export function errorCard(title: string, hints: string[]): El {
  return cardOf(title, [md(hints.map((h) => `👉 ${esc(h)}`).join("\n") || "输入 /帮助 查看可以问什么")], "grey");
}

/** The card a subscribed chat receives before a deadline. */
export function reminderCard(r: Reminder): El {
  const date = `${Number(r.deadline.slice(5, 7))}月${Number(r.deadline.slice(8))}日`;
  const title = `年报提醒：${r.reportYear} 年报 ${date}截止，${r.daysLeft === 0 ? "今天截止" : `还有 ${r.daysLeft} 天`}`;
  const body: El[] = [
    tiles([
      [String(r.published.length), "已发布"],
      [String(r.missing.length), "未发布"],
      [String(r.daysLeft), "剩余天数"],
    ]),
    md(`${esc(r.deadlineLabel)}${r.scope ? ` · 范围：${esc(r.scope)}` : ""}`),
  ];
  const missing = r.missing.slice(0, 50);
  if (missing.length) body.push(tableElement(["未发布单位"], missing.map((m) => [m])));
  if (r.missing.length > missing.length) body.push(md(`另有 ${r.missing.length - missing.length} 个单位未发布，输入 /未发布 ${r.reportYear} 查看全部`));
  for (const p of r.problems.slice(0, 10)) body.push(md(`<font color='orange'>⚠ ${esc(p.organ)}：${esc(p.checks.join("；"))}</font>`));
  if (r.provisional) body.push(md("<font color='grey'>该年节假日安排尚未公布，提醒日期按周末和法定节日估算</font>", { text_size: "notation" }));
  body.push(button("查看未发布名单", { cmd: "未发布", args: String(r.reportYear) }, "primary"));
  const card = cardOf(title, body, "blue");
  return cardSize(card) <= CARD_LIMIT_BYTES ? card : cardOf(title, body.slice(0, 2).concat(md(`未发布 ${r.missing.length} 个，输入 /未发布 ${r.reportYear} 查看`)), "blue");
}

/**
 * The check card for an uploaded report: what the bot read, every failed 勾稽 check with its row
 * and column, text-vs-table conflicts and warnings — for an official checking a draft.
 */
export function checkCard(r: Report, opts: { fileName: string; uploadId?: string; canIngest: boolean }): El {
  const failed = r.checks.filter((c) => !c.ok);
  const title = `年报检查：${r.organ ?? "（未识别单位）"} ${r.year ?? "（未识别年度）"} 年`;
  const body: El[] = [
    md(
      [
        `**文件**：${esc(opts.fileName)}`,
        `**单位**：${esc(r.organ ?? "未识别")}　**年度**：${r.year ?? "未识别"}　**格式**：${r.template === "2021" ? "2021版（〔2021〕30号）" : "2019版（〔2019〕60号）"}`,
      ].join("\n"),
    ),
    tableElement(["指标", "数值"], keyFigures(r).map((f) => [f.label, f.value])),
    md(failed.length ? `**<font color='red'>校验未通过 ${failed.length} 项</font>**` : "**<font color='green'>勾稽校验全部通过</font>**"),
  ];
  const rows: (string | number | null)[][] = [];
  for (const c of failed) {
    for (const f of c.failures.length ? c.failures : [{ row: "", column: "", expected: null, printed: null, message: c.detail, cells: [] }]) {
      rows.push([ruleName(c.id), f.row, f.column, f.expected, f.printed, f.message]);
    }
  }
  if (rows.length) body.push(tableElement(["校验", "行", "列", "应为", "实为", "说明"], rows.slice(0, 40)));
  const warnings = r.warnings.slice(0, 12);
  if (warnings.length) {
    body.push({ tag: "collapsible_panel", expanded: false, header: { title: plain(`提示（${r.warnings.length}）`) }, elements: warnings.map((w) => md(esc(w))) });
  }
  if (opts.canIngest && opts.uploadId) body.push(button("加入资料库", { cmd: "ingest", upload: opts.uploadId }, "primary"));
  return cardOf(title, body, failed.length ? "red" : "green");
}
