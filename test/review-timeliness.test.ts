import { describe, expect, it } from "vitest";
import { organInfoOf } from "../parser/review/index.ts";
import { lateCheck, statutoryDeadlinesFor, unpublishedCheck } from "../review/timeliness.ts";

const deadlinesOf = (name: string, year: number) => statutoryDeadlinesFor({ name, level: organInfoOf(name)!.level }, year);

describe("on time", () => {
  it.each([
    ["a township", "于都县永丰镇人民政府", "2023-01-31"],
    ["a department", "于都县农业农村局", "2023-01-31"],
    ["a county government", "于都县人民政府", "2023-03-31"],
  ])("statutory deadline of %s for its 2022 report", (_n, name, date) => {
    expect(deadlinesOf(name, 2022).map((d) => d.date)).toEqual([date]);
  });

  const township = deadlinesOf("于都县永丰镇人民政府", 2022);
  const county = deadlinesOf("于都县人民政府", 2022);
  const local = [{ date: "2023-01-20", label: "县政务公开办通知" }];
  it.each([
    ["a township dated 1月18日", "2023-01-18", township, true, ""],
    ["a township dated 2月13日", "2023-02-13", township, false, "晚于截止日 2023-01-31"],
    ["a county government dated 3月5日", "2023-03-05", county, true, ""],
    ["a township dated 1月25日 under a local 1月20日 deadline", "2023-01-25", local, false, "县政务公开办通知"],
    ["no date in the report", null, township, true, "无可核对"],
  ] as const)("late: %s", (_n, published, deadlines, ok, words) => {
    const c = lateCheck({ published, year: 2022 }, deadlines);
    expect(c.severity).toBe("提醒");
    expect(c.ok).toBe(ok);
    expect(c.detail).toContain(words);
  });

  it.each([
    ["after the deadline", "2023-02-10", false, "截止日 2023-01-31（条例第四十九条：部门、乡镇街道）已过"],
    ["before the deadline", "2023-01-10", true, "尚未发布，截止日 2023-01-31"],
  ])("unpublished %s", (_n, today, ok, words) => {
    const c = unpublishedCheck(2022, township, today);
    expect(c.severity).toBe("错误");
    expect(c.ok).toBe(ok);
    expect(c.detail).toContain(words);
  });
});
