/**
 * Answer objects → Feishu interactive cards (JSON 2.0).
 *
 * What Feishu requires, and where it is documented (open.feishu.cn/document/…):
 * - a card request body is at most 30 KB (im-v1/message/create, …/patch: 卡片及富文本消息请求体最大不能超过30KB);
 *   we measure the body as sent — the card is a JSON string inside the JSON body, so every quote
 *   is escaped again — and keep a margin below the limit;
 * - 2.0 cards reject unknown properties (card-json-v2-breaking-changes-release-notes: 传入不支持的属性将报错)
 *   and hold at most 200 elements (card-json-v2-structure; test/fakes/card-schema.ts checks every card);
 * - a table sits at the root only, holds `page_size` 1–10 rows per page and pages itself
 *   (card-json-v2-components/content-components/table); a `number` column holds numbers only;
 * - markdown shows markup characters literally only as HTML entities such as `&#42;`, not with
 *   backslashes (card-json-v2-components/content-components/rich-text, 特殊字符转义说明: the doc
 *   lists `* ~ > < [ ] ( ) # : _` among the characters to write as entities).
 */
import type { Answer, Invocation, NumberAnswer } from "../commands/index.ts";
import { menuItems } from "../commands/index.ts";
import type { Reminder } from "../commands/reminders.ts";

export const CARD_LIMIT_BYTES = 30 * 1024;
/** Room for what we cannot see from here: a longer receive_id or uuid, Feishu's own counting. */
export const CARD_MARGIN_BYTES = 2 * 1024;
/** A table page; Feishu's table shows at most 10 rows per page. */
export const ROWS_PER_PAGE = 10;

export type El = Record<string, unknown>;

/** A button on a card: its label and the value Feishu sends back in card.action.trigger. */
export interface CardButton {
  label: string;
  value: Record<string, unknown>;
  type?: "default" | "primary" | "danger";
}

export interface CardContext {
  /**
   * The text that produced this answer, or the command and arguments a button carried:
   * 上一页/下一页 ask it again for another page. Without either the card cannot be paged by the
   * bot, so a long table pages itself (Feishu's table pager).
   */
  query?: string;
  invocation?: Invocation;
  page?: number;
  /** Extra buttons below the answer (e.g. 加入资料库). */
  buttons?: CardButton[];
  /** A coloured line at the end (e.g. 已加入资料库). */
  note?: { text: string; color: "green" | "orange" | "red" | "grey" };
  /** Header colour; by default chosen from the answer. */
  template?: "blue" | "green" | "orange" | "red" | "grey";
}

const ENTITIES: Record<string, string> = {
  "&": "&#38;",
  "<": "&#60;",
  ">": "&#62;",
  "~": "&sim;",
  "*": "&#42;",
  "\\": "&#92;",
  "[": "&#91;",
  "]": "&#93;",
  "(": "&#40;",
  ")": "&#41;",
  "#": "&#35;",
  ":": "&#58;",
  $: "&#36;",
  _: "&#95;",
  "`": "&#96;",
};

/**
 * Text from reports and users, made literal inside a markdown element: every markup character
 * becomes the entity the rich-text doc lists; `-`, `+` and `1.` are markup only at a line start.
 */
export function escapeMarkdown(s: string): string {
  return s
    .replace(/[&<>~*\\[\]()#:$_`]/g, (c) => ENTITIES[c])
    .replace(/^(\s*)([-+])(?=\s|$|-)/gm, (_m, sp: string, c: string) => `${sp}${c === "-" ? "&#45;" : "&#43;"}`)
    .replace(/^(\s*\d+)\.(?=\s|$)/gm, "$1&#46;");
}
const esc = escapeMarkdown;

const md = (content: string, extra: El = {}): El => ({ tag: "markdown", content, ...extra });
const plain = (content: string) => ({ tag: "plain_text", content });
const grey = (text: string): El => md(`<font color='grey'>${esc(text)}</font>`, { text_size: "notation" });

function buttonEl(b: CardButton): El {
  // Button text is at most 100 characters (card-json-v2-components/interactive-components/button).
  return { tag: "button", type: b.type ?? "default", text: plain(b.label.slice(0, 100)), behaviors: [{ type: "callback", value: b.value }] };
}

/** Buttons in one row that wraps on a phone. */
const buttonRow = (buttons: CardButton[]): El[] =>
  buttons.length ? [{ tag: "column_set", flex_mode: "flow", columns: buttons.map((b) => ({ tag: "column", width: "auto", elements: [buttonEl(b)] })) }] : [];

function fmtValue(n: NumberAnswer): string {
  const v = Number.isInteger(n.value) ? String(n.value) : n.value.toLocaleString("zh-CN", { maximumFractionDigits: 6 });
  return `${v}${n.unit ? ` ${n.unit}` : ""}`;
}

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
      elements: [md(`## ${esc(value)}`, { text_align: "center" }), md(`<font color='grey'>${esc(caption)}</font>`, { text_align: "center", text_size: "notation" })],
    })),
  };
}

/** Where a number comes from, as a reader would cite it: organ, year, table, row, column. */
function sourceLine(n: NumberAnswer, s: NumberAnswer["provenance"][number]): string {
  return [`${n.organ} ${n.year} 年报`, s.table, s.row, s.column].filter(Boolean).join(" · ") + (s.printed ? ` · 原文「${s.printed}」` : "");
}

function numberElements(a: Answer): El[] {
  const out: El[] = [];
  for (const n of a.answers) {
    out.push(tiles([[fmtValue(n), n.metric]]));
    if (n.definition) out.push(grey(`口径：${n.definition}`));
    for (const issue of n.issues) out.push(md(`<font color='orange'>⚠ ${esc(issue)}</font>`));
    out.push({
      tag: "collapsible_panel",
      expanded: false,
      header: { title: plain("数据来源") },
      elements: n.provenance.map((s) => md(esc(sourceLine(n, s)))),
    });
  }
  return out;
}

type Cell = string | number | null;

/**
 * A table element. A column is `number` only when every filled cell is a number; an empty cell
 * of a number column is left out of its row (Feishu shows it blank), never written as "—".
 */
export function tableElement(columns: string[], rows: Cell[][], pageSize = ROWS_PER_PAGE): El {
  const numeric = columns.map((_, i) => rows.some((r) => typeof r[i] === "number") && rows.every((r) => typeof r[i] === "number" || r[i] === null || r[i] === undefined));
  return {
    tag: "table",
    page_size: Math.max(1, Math.min(ROWS_PER_PAGE, pageSize, rows.length || 1)),
    row_height: "low",
    header_style: { background_style: "grey", bold: true, lines: 1 },
    columns: columns.map((c, i) => ({ name: `c${i}`, display_name: c, data_type: numeric[i] ? "number" : "text", width: "auto" })),
    rows: rows.map((r) => {
      const row: Record<string, string | number> = {};
      r.forEach((v, i) => {
        if (numeric[i]) {
          if (typeof v === "number") row[`c${i}`] = v;
        } else row[`c${i}`] = v === null || v === undefined ? "—" : String(v);
      });
      return row;
    }),
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

/** The answer's follow-up buttons; each carries its command and structured arguments, and answers with a new card. */
function actionButtons(a: Answer): CardButton[] {
  return a.actions.map((x) => ({ label: x.label, value: { cmd: x.command, args: x.args }, type: x.primary ? "primary" : "default" }));
}

/** The card frame. Titles are plain text, so they need no escaping. */
export function cardOf(title: string, body: El[], template: string): El {
  return {
    schema: "2.0",
    config: { update_multi: true, summary: { content: title.slice(0, 100) } },
    header: { title: plain(title.slice(0, 100)), template },
    body: { elements: body },
  };
}

/** Grey for errors, orange when the report's own checks touch the number, blue otherwise. */
const answerColor = (a: Answer) => (a.tone === "error" ? "grey" : a.tone === "warn" ? "orange" : "blue");

/** What only the chat needs to say: in Feishu, how to hand the bot a report file. */
function feishuNotes(a: Answer): El[] {
  if (a.kind !== "help") return [];
  return [
    md(
      esc(
        "检查年报文件：单聊里直接把文件发给机器人；群里先发文件，再回复这条文件消息并 @机器人 写「检查」。群里单独发的文件机器人收不到。",
      ),
    ),
  ];
}

/**
 * Bytes of the request body that carries this card, as the SDK sends it: the card serialised
 * into `content`, plus receive_id and uuid at their longest.
 */
export function cardRequestBytes(card: object): number {
  return Buffer.byteLength(JSON.stringify({ receive_id: "x".repeat(64), msg_type: "interactive", content: JSON.stringify(card), uuid: "x".repeat(50) }), "utf8");
}

export const fitsRequest = (card: object) => cardRequestBytes(card) <= CARD_LIMIT_BYTES - CARD_MARGIN_BYTES;

/**
 * The card for an answer. With a query, long tables are paged by the bot (上一页/下一页 update
 * the card in place); without, the table pages itself. Either way one pager per card.
 */
export function renderCard(a: Answer, ctx: CardContext = {}): El {
  const rows = a.table?.rows ?? [];
  const again = ctx.invocation ? { inv: ctx.invocation } : ctx.query !== undefined ? { q: ctx.query } : null;
  const paged = again !== null && rows.length > ROWS_PER_PAGE;
  let limit = rows.length;
  for (;;) {
    const body: El[] = [];
    if (a.kind === "number") body.push(...numberElements(a));
    const chart = trendChart(a);
    if (chart) body.push(chart);
    const pages = paged ? Math.ceil(rows.length / ROWS_PER_PAGE) : 1;
    const p = Math.min(Math.max(0, ctx.page ?? 0), pages - 1);
    const shown = paged ? rows.slice(p * ROWS_PER_PAGE, (p + 1) * ROWS_PER_PAGE) : rows.slice(0, limit);
    if (a.table && shown.length) {
      body.push(tableElement(a.table.columns, shown));
      if (paged) body.push(grey(`第 ${p + 1}/${pages} 页，共 ${rows.length} 行`));
      else if (shown.length < rows.length) body.push(grey(`共 ${rows.length} 行，卡片放不下，这里列出前 ${shown.length} 行`));
    }
    for (const l of a.lines) body.push(md(esc(l)));
    if (a.suggestions.length) body.push(md(a.suggestions.map((s) => `👉 ${esc(s)}`).join("\n")));
    body.push(...feishuNotes(a));
    if (paged) {
      const nav: CardButton[] = [];
      if (p > 0) nav.push({ label: "上一页", value: { cmd: "page", ...again, page: p - 1 } });
      if (p < pages - 1) nav.push({ label: "下一页", value: { cmd: "page", ...again, page: p + 1 }, type: "primary" });
      body.push(...buttonRow(nav));
    }
    if (ctx.note) body.push(md(`<font color='${ctx.note.color}'>${esc(ctx.note.text)}</font>`));
    body.push(...buttonRow([...actionButtons(a), ...(ctx.buttons ?? [])]));
    const card = cardOf(a.title, body, ctx.template ?? answerColor(a));
    // A bot-paged card is at most 10 rows; only a self-paging table can outgrow the limit.
    if (paged || limit <= 1 || fitsRequest(card)) return card;
    limit = Math.max(1, Math.floor(limit / 2));
  }
}

/** A friendly card for input the bot cannot use: what went wrong and what to type instead. */
export function errorCard(title: string, hints: string[]): El {
  return cardOf(title, [md(hints.map((h) => `👉 ${esc(h)}`).join("\n") || "输入 /帮助 查看可以问什么")], "grey");
}

/** Shown at once when a file arrives; replaced by the check card when the check is done. */
export function progressCard(fileName: string): El {
  return cardOf("正在检查…", [md(esc(`已收到「${fileName}」，正在读取和核对表格，稍等片刻。`))], "blue");
}

/** Posted when the bot is added to a group: what it does, and the menu as buttons. */
export function welcomeCard(): El {
  const lines = [
    "在群里 @机器人 加上问题即可，例如：@年报助手 李楼镇 2020 依申请数",
    "检查年报文件：先在群里发文件，再回复这条文件消息并 @机器人 写「检查」；也可以单聊把文件发给机器人。",
    "群主可以 @机器人 /订阅提醒，在年报截止前收到提醒。",
  ];
  return cardOf("年报助手已加入本群", [md(lines.map((l) => `👉 ${esc(l)}`).join("\n")), ...buttonRow(menuItems().map((m) => ({ label: `/${m.command}`, value: { cmd: m.command, text: "" } })))], "blue");
}

/** The card a subscribed chat receives before a deadline. */
export function reminderCard(r: Reminder): El {
  const date = `${Number(r.deadline.slice(5, 7))}月${Number(r.deadline.slice(8))}日`;
  const title = `年报提醒：${r.reportYear} 年报 ${date}截止，${r.daysLeft === 0 ? "今天截止" : `还有 ${r.daysLeft} 天`}`;
  const head: El[] = [
    tiles([
      [String(r.published.length), "已发布"],
      [String(r.missing.length), "未发布"],
      [String(r.daysLeft), "剩余天数"],
    ]),
    md(esc(`${r.deadlineLabel}${r.scope ? ` · 范围：${r.scope}` : ""}`)),
  ];
  const more = buttonRow([{ label: "查看未发布名单", value: { cmd: "未发布", args: { year: r.reportYear } }, type: "primary" }]);
  const body = [...head];
  // The table pages itself; 50 names at most keep the card far below the size limit.
  const missing = r.missing.slice(0, 50);
  if (missing.length) body.push(tableElement(["未发布单位"], missing.map((m) => [m])));
  if (r.missing.length > missing.length) body.push(md(esc(`另有 ${r.missing.length - missing.length} 个单位未发布，输入 /未发布 ${r.reportYear} 查看全部`)));
  for (const p of r.problems.slice(0, 10)) body.push(md(`<font color='orange'>⚠ ${esc(`${p.organ}：${p.checks.join("；")}`)}</font>`));
  if (r.provisional) body.push(grey("该年节假日安排尚未公布，提醒日期按周末和法定节日估算"));
  const card = cardOf(title, [...body, ...more], "blue");
  return fitsRequest(card) ? card : cardOf(title, [...head, md(esc(`未发布 ${r.missing.length} 个，输入 /未发布 ${r.reportYear} 查看`)), ...more], "blue");
}
