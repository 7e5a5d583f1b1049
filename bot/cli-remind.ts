/**
 * npm run --silent remind -- --reports DIR --from ISO --to ISO [--now ISO] [--data DIR] [--roster FILE] [--json]
 * Prints, without sending anything, every reminder that would be pushed in the window (or, with
 * --now, those due at that moment) for the subscriptions in DATA_DIR — with none, as if one chat
 * had subscribed to everything.
 */
import { z } from "zod";
import { type Reminder, remindersBetween, dueAt } from "../commands/reminders.ts";
import { loadReports } from "../index/cache.ts";
import { isoTime, parseCliArgs } from "./cli-args.ts";
import { loadCalendar, ReminderSettings, readRoster } from "./reminders.ts";

const windowSchema = z.union([
  z.object({ from: isoTime("--from"), to: isoTime("--to"), now: z.undefined() }),
  z.object({ now: isoTime("--now"), from: z.undefined(), to: z.undefined() }),
]);

async function main() {
  const opts = parseCliArgs(process.argv.slice(2));
  if ("error" in opts) return fail(opts.error);
  const win = windowSchema.safeParse({ from: opts.flags.from, to: opts.flags.to, now: opts.flags.now });
  if (!win.success) return fail("需要 --from 和 --to（ISO 时间），或只给 --now");
  const log = (l: string) => process.stderr.write(`${l}\n`);
  const { store } = await loadReports({ reportsDir: opts.reports, dataDir: opts.data, log });
  const settings = ReminderSettings.inDataDir(opts.data);
  const subscriptions = settings.subscriptions.length ? settings.subscriptions : [{ chatId: "all", scope: "", by: "cli", at: "" }];
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
    process.stdout.write(reminders.length ? reminders.map((r) => `${r.at} → ${r.chatId}\n${r.text}${r.provisional ? "\n（该年节假日安排尚未公布，按周末和法定节日估算）" : ""}`).join("\n\n") + "\n" : "这段时间没有要发送的提醒。\n");
  }
}

function fail(msg: string) {
  process.stderr.write(`${msg}\n用法：npm run --silent remind -- --reports 目录 --from 2027-01-01T00:00:00+08:00 --to 2027-04-01T00:00:00+08:00 [--json]\n`);
  process.exitCode = 2;
}

void main();
