/**
 * Console mode: the same commands as in Feishu, typed at a terminal. What `npm start` opens
 * when no Feishu credentials are configured.
 */
import { createInterface } from "node:readline";
import type { Answer } from "../commands/index.ts";
import type { Cell } from "../commands/answer.ts";
import type { ReminderContext } from "../commands/command.ts";
import { route } from "../commands/index.ts";
import type { ReportStore } from "../index/store.ts";
import { saveAttachment } from "./attachments.ts";

/**
 * @param library where the reports are read from each time (bot/library.ts reloads it when
 *   REPORTS_DIR changes, in the console as on the server)
 * @param io.reminders the calendar and roster, so reminder commands can show the schedule
 */
export async function runConsole(
  library: { readonly store: ReportStore },
  io: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream; now: () => Date; exportsDir?: string; reminders?: ReminderContext },
) {
  const store = library.store;
  const rl = createInterface({ input: io.input, output: io.output, terminal: (io.input as { isTTY?: boolean }).isTTY === true });
  const write = (s: string) => io.output.write(`${s}\n`);
  write(`年报助手（本地控制台）：已载入 ${store.reports.length} 份年报、${store.organs.length} 个单位。`);
  write("直接输入问题，例如「李楼镇 2020 依申请数」「/趋势 西店镇 依申请数」；输入 /帮助 查看全部命令，输入 退出 结束。");
  rl.setPrompt("年报助手> ");
  rl.prompt();
  for await (const line of rl) {
    const q = line.trim();
    if (/^(退出|exit|quit)$/i.test(q)) break;
    if (q) {
      const current = library.store;
      const a = route(q, { store: current, now: io.now(), reminders: io.reminders });
      write(consoleText(a));
      // /导出: the workbook is written to a folder (in Feishu it is sent as a file message).
      if (a.attachment) for (const line of await saveAttachment(current, a.attachment, io.exportsDir ?? "exports")) write(line);
      write("");
    }
    rl.prompt();
  }
  rl.close();
}

const BLOCKS = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"];

/** A bar of `width` characters for `value` out of `max` (eighths of a character). */
export function bar(value: number, max: number, width = 20): string {
  if (max <= 0 || value <= 0) return "";
  const eighths = Math.round((value / max) * width * 8);
  return "█".repeat(Math.floor(eighths / 8)) + BLOCKS[eighths % 8];
}

/**
 * The answer as console text: trends and rankings get a bar beside each number (the Feishu card
 * draws a chart instead).
 */
export function consoleText(a: Answer): string {
  if ((a.kind !== "trend" && a.kind !== "ranking") || !a.table) return a.text;
  const col = a.kind === "trend" ? 1 : 2;
  const values = a.table.rows.map((r) => (typeof r[col] === "number" ? (r[col] as number) : 0));
  const max = Math.max(0, ...values);
  const label = (r: Cell[]) => (a.kind === "trend" ? String(r[0]) : `${r[0]} ${r[1]}`);
  const width = Math.max(...a.table.rows.map((r) => label(r).length));
  const chart = a.table.rows.map((r, i) => `  ${label(r).padEnd(width)} ${bar(values[i], max).padEnd(21)} ${r[col] === null ? "—" : r[col]}`);
  return [a.text, "", ...chart].join("\n");
}
