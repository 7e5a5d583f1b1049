/**
 * Every example the README gives runs on the bundled sample reports and shows something: a
 * newcomer following the README sees each feature work.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { route } from "../commands/index.ts";
import { loadReports } from "../index/cache.ts";
import { tempDirs } from "./helpers/tmp.ts";

const tmp = tempDirs("readme");
const ROOT = join(import.meta.dirname, "..");
const README = readFileSync(join(ROOT, "README.md"), "utf8");

/** The text between `<!-- name ... -->` and `<!-- /name -->`. */
function block(name: string): string {
  const start = README.indexOf(`<!-- ${name}`);
  const end = README.indexOf(`<!-- /${name} -->`);
  if (start < 0 || end < 0) throw new Error(`README has no ${name} block`);
  return README.slice(start, end);
}

describe("the README's console examples, on the bundled samples", async () => {
  const { store } = await loadReports({ reportsDir: join(ROOT, "samples", "reports"), dataDir: tmp() });
  const examples = [...block("console-examples").matchAll(/`([^`]+)`/g)].map((m) => m[1]);
  const now = new Date("2026-11-22T10:00:00+08:00");

  it("there are examples to run", () => {
    expect(examples.length).toBeGreaterThanOrEqual(15);
  });

  it.each(examples)("%s", (q) => {
    const a = route(q, { store, now });
    expect(a.text.trim().length).toBeGreaterThan(0);
    // An error is an example only where the README says it explains (市府办: no such report here).
    if (a.kind === "error") expect(a.title, a.text).toMatch(/没有找到/);
    else expect(a.answers.length + (a.table?.rows.length ?? 0) + a.actions.length + a.lines.length, a.text).toBeGreaterThan(0);
  });
});

describe("the README's command-line examples, on the bundled samples", () => {
  const commands = block("cli-examples")
    .split("\n")
    .filter((l) => l.startsWith("npm run"))
    .map((l) => l.replace(/\s+#.*$/, ""));

  it("there are examples to run", () => {
    expect(commands.length).toBeGreaterThanOrEqual(4);
  });

  it.each(commands)("%s", (command) => {
    const out = tmp();
    const r = spawnSync("sh", ["-c", command.replace("--out exports/", `--out ${out}/`)], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, DATA_DIR: tmp(), REPORTS_DIR: "" },
      timeout: 120_000,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim().length).toBeGreaterThan(0);
  });
});
