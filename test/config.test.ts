import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkPaths } from "../bot/config.ts";
import { tempDirs } from "./helpers/tmp.ts";

const tmp = tempDirs("config");
const ROOT = join(import.meta.dirname, "..");

describe("paths named by the settings", () => {
  const dir = tmp();
  const file = join(dir, "a.txt");
  writeFileSync(file, "x");
  it.each([
    ["a reports folder that does not exist", { REPORTS_DIR: join(dir, "nope"), DATA_DIR: tmp() }, /REPORTS_DIR: 年报目录「.*nope」不存在/],
    ["a reports 'folder' that is a file", { REPORTS_DIR: file, DATA_DIR: tmp() }, /REPORTS_DIR: 「.*a\.txt」是文件，不是目录/],
    ["a data 'folder' that is a file", { REPORTS_DIR: dir, DATA_DIR: file }, /DATA_DIR: 「.*a\.txt」是文件，不是目录/],
    ["a roster file that does not exist", { REPORTS_DIR: dir, DATA_DIR: tmp(), ROSTER_FILE: join(dir, "名单.txt") }, /ROSTER_FILE: 名单文件「.*名单\.txt」不存在/],
  ])("%s gets one line saying so", (_what, config, message) => {
    const errors = checkPaths(config);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
  });

  it("a data folder that does not exist yet is created", () => {
    const data = join(tmp(), "新建", "data");
    expect(checkPaths({ REPORTS_DIR: dir, DATA_DIR: data })).toEqual([]);
  });

  it("npm start with a bad REPORTS_DIR explains in one line and exits 1, without a stack trace", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "bot", "main.ts")], {
      cwd: ROOT,
      env: { ...process.env, REPORTS_DIR: "/nonexist", DATA_DIR: tmp(), FEISHU_APP_ID: "", FEISHU_APP_SECRET: "" },
      encoding: "utf8",
      input: "",
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/配置有误，未启动：\n {2}- REPORTS_DIR: 年报目录「\/nonexist」不存在/);
    expect(r.stderr).not.toMatch(/ENOENT|at .*\.ts:\d+/);
  });
});
