/**
 * npm run --silent remind -- --reports DIR --from ISO --to ISO [--now ISO] [--data DIR] [--roster FILE] [--json]
 * Prints, without sending anything, every reminder that would be pushed in the window (or, with
 * --now, those due at that moment) for the subscriptions in DATA_DIR — with none, as if one chat
 * had subscribed to everything.
 */
import { z } from "zod";
import { type Reminder, remindersBetween, dueAt } from "../commands/reminders.ts";
import { isoTime, parseCliArgs } from "./cli-args.ts";
import { loadCalendar, ReminderSettings, readRoster } from "./reminders.ts";
import { loadReportsWithProgress } from "./progress.ts";

/** --from and --to (a window), or --now alone; each value checked on its own so the message names it. */
const windowSchema = z
  .object({ from: isoTime("--from").optional(), to: isoTime("--to").optional(), now: isoTime("--now").optional() })
  .superRefine((w, ctx) => {
    const window = w.from !== undefined || w.to !== undefined;
    if (window && w.now !== undefined) ctx.addIssue({ code: "custom", message: "--now 与 --from/--to 只能二选一" });
    else if (window && (w.from === undefined || w.to === undefined)) ctx.addIssue({ code: "custom", message: `还需要 ${w.from === undefined ? "--from" : "--to"}` });
    else if (!window && w.now === undefined) ctx.addIssue({ code: "custom", message: "需要 --from 和 --to（ISO 时间），或只给 --now" });
    else if (window && Date.parse(w.from!) > Date.parse(w.to!)) ctx.addIssue({ code: "custom", message: `--from（${w.from}）晚于 --to（${w.to}），这段时间是空的` });
  });

async function main() {
  const opts = parseCliArgs(process.argv.slice(2));
  if ("error" in opts) return fail(opts.error);
  const win = windowSchema.safeParse({ from: opts.flags.from, to: opts.flags.to, now: opts.flags.now });
  if (!win.success) return fail(win.error.issues.map((i) => i.message).join("；"));
  const log = (l: string) => process.stderr.write(`${l}\n`);
  const { store } = await loadReportsWithProgress({ reportsDir: opts.reports, dataDir: opts.data, log });
  const settings = ReminderSettings.inDataDir(opts.data);
  // With no subscriptions in DATA_DIR, the preview is for one chat subscribed to everything.
  const preview = settings.subscriptions.length === 0;
  const subscriptions = preview ? [{ chatId: "all", scope: "", by: "cli", at: "" }] : settings.subscriptions;
  const input = { store, subscriptions, locals: settings.deadlines, calendar: loadCalendar(opts.data, log), roster: readRoster(opts.flags.roster) };
  const reminders: Reminder[] = win.data.now
    ? dueAt(input, Date.parse(win.data.now))
    : remindersBetween({ ...input, fromMs: Date.parse(win.data.from!), toMs: Date.parse(win.data.to!) });
  if (opts.json) {
    const out = reminders.map((r) => ({
      at: r.at,
      deadline: r.deadline,
      reportYear: r.reportYear,
      missing: r.missing,
      published: r.published,
      text: r.text,
      chatId: r.chatId,
      daysLeft: r.daysLeft,
      deadlineLabel: r.deadlineLabel,
      problems: r.problems,
      provisional: r.provisional,
      key: r.key,
    }));
    process.stdout.write(`${JSON.stringify(out, null, 1)}\n`);
  } else {
    const to = (r: Reminder) => (preview ? "（预览：假设有一个群订阅了全部单位）" : `→ 群 ${r.chatId}${r.scope ? `（范围：${r.scope}）` : ""}`);
    process.stdout.write(
      reminders.length
        ? reminders.map((r) => `${r.at.replace("T", " ").slice(0, 16)} ${to(r)}\n${r.text}${r.provisional ? "\n（该年节假日安排尚未公布，按周末和法定节日估算）" : ""}`).join("\n\n") + "\n"
        : "这段时间没有要发送的提醒。\n",
    );
  }
}

function fail(msg: string) {
  process.stderr.write(`${msg}\n用法：npm run --silent remind -- --reports 目录 --from 2027-01-01T00:00:00+08:00 --to 2027-04-01T00:00:00+08:00 [--json]\n`);
  process.exitCode = 2;
}

void main();
