import { copyFileSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { COMMANDS, invoke, menuItems, route, stripMentions } from "../commands/index.ts";
import { reviewUpload, uploadCheckAnswer, uploadPassed } from "../commands/upload-check.ts";
import { loadReports } from "../index/cache.ts";
import { tempDirs } from "./helpers/tmp.ts";

const tmp = tempDirs("commands");
import { ReportStore } from "../index/store.ts";
import { isReport, parseReport, type Report } from "../parser/index.ts";
import { balancedCells, renderReport, type ReportSpec } from "./helpers/render.ts";

const FIX = join(import.meta.dirname, "fixtures");
const SAMPLES = join(import.meta.dirname, "fixtures", "seeds");

function parseDir(dir: string): Report[] {
  return readdirSync(dir)
    .filter((f) => /\.(txt|md|html)$/.test(f))
    .map((f) => parseReport(readFileSync(join(dir, f)), { file: join(dir, f) }))
    .filter(isReport);
}

const storeOf = (specs: ReportSpec[]) =>
  new ReportStore(specs.map((s, i) => parseReport(renderReport(s), { file: `r${i}.txt` })).filter(isReport));

const seeds = new ReportStore(parseDir(SAMPLES));
const dev = new ReportStore(parseDir(join(FIX, "dev")));
const NOW = new Date("2026-11-21T10:00:00+08:00");
const ask = (store: ReportStore, q: string, now = NOW) => route(q, { store, now });

interface Case {
  query: string;
  expect: { organ: string; year: number; value: number } | null;
}
const readCases = (p: string): Case[] => readFileSync(p, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));

describe("questions with known answers", () => {
  // The dev fixtures hold a subset of the corpus: a question about a report left out must get no answer.
  const inFixtures = new Set(dev.reports.map((r) => `${r.organShort}|${r.year}`));
  const devCases = readCases(join(FIX, "dev", "queries-all.jsonl")).map((c) =>
    c.expect && !inFixtures.has(`${c.expect.organ.replace(/人民政府|办事处/, "")}|${c.expect.year}`) ? { ...c, expect: null } : c,
  );
  it.each([
    ...readCases(join(FIX, "seeds-queries.jsonl")).map((c) => ["seeds", c] as const),
    ...devCases.map((c) => ["dev", c] as const),
  ])("%s: %o", (set, c) => {
    const a = ask(set === "seeds" ? seeds : dev, c.query);
    if (c.expect === null) {
      // An organ left out of the fixtures may be one character from one that is in: then the
      // answer must say which organ it assumed.
      if (a.answers.length) expect(a.text).toMatch(/没有找到「.*」，按「.*」回答/);
      else expect(a.answers).toEqual([]);
      return;
    }
    const n = a.answers[0];
    expect(n, a.text).toBeDefined();
    expect(n.organ).toContain(c.expect.organ.replace(/人民政府|办事处/, ""));
    expect(n.year).toBe(c.expect.year);
    expect(n.value).toBe(c.expect.value);
  });
});

describe("understanding a question", () => {
  const store = storeOf([
    { organ: "李楼镇", year: 2024, cells: balancedCells(7) },
    {
      organ: "李楼镇",
      year: 2025,
      cells: {
        ...balancedCells(4),
        "applications.granted.natural_person": 2,
        "applications.granted.total": 2,
        "applications.denied.third_party.natural_person": 1,
        "applications.denied.third_party.total": 1,
        "applications.denied.state_secret.natural_person": 1,
        "applications.denied.state_secret.total": 1,
        "review.upheld": 1,
        "review.total": 1,
        "litigation.direct.upheld": 1,
        "litigation.direct.total": 1,
        "litigation.after_review.pending": 2,
        "litigation.after_review.total": 2,
        "active.normative.issued": 2,
        "active.normative.in_force": 9,
      },
    },
    { organ: "西店镇", year: 2025, cells: { ...balancedCells(9), "applications.new.natural_person": 6, "applications.new.commercial": 3 , "applications.granted.natural_person": 6, "applications.granted.commercial": 3, "applications.total.natural_person": 6, "applications.total.commercial": 3} },
  ]);
  it.each([
    ["李楼镇 2025 依申请数", 2025, 4],
    ["李楼镇2025年收到多少申请", 2025, 4],
    ["李楼镇 二〇二四年 新收申请", 2024, 7],
    ["李楼镇 去年 依申请数", 2025, 4],
    ["李楼镇 前年 依申请数", 2024, 7],
    ["@_user_1 李楼镇 2025 依申请数", 2025, 4],
    ["/查询 李楼 2025 依申请数", 2025, 4],
    ["李楼镇人民政府 2025 依申请公开数", 2025, 4],
    ["李楼镇 2025 行政诉讼", 2025, 3],
    ["李楼镇 2025 行政复议几件", 2025, 1],
    ["西店镇 2025 企业申请", 2025, 3],
    ["西店镇 2025 自然人", 2025, 6],
    ["李楼镇 2025 公开率", 2025, 50],
    ["李楼镇2025年收到几件申请", 2025, 4],
    ["李楼镇 25年 依申请", 2025, 4],
    ["2025年李楼镇依申请公开数量是多少？", 2025, 4],
    ["李楼镇2025年结转到下一年的", 2025, 0],
    ["李楼镇2025年有没有被起诉", 2025, 3],
    ["李楼鎮 2025 依申請數", 2025, 4],
    ["李楼镇2025年收到的政府信息公开申请中予以公开的", 2025, 2],
    ["李楼镇2025年不予公开", 2025, 2],
    ["李楼镇2025年个人隐私不予公开", 2025, 1],
    ["李楼镇2025年规范性文件制发", 2025, 2],
    ["李楼镇2025年规范性文件现行有效多少", 2025, 9],
  ])("%s → %d: %d", (q, year, value) => {
    const a = ask(store, q);
    expect(a.answers[0], a.text).toMatchObject({ year, value });
  });

  it("states the definition of a derived figure", () => {
    const a = ask(store, "李楼镇 2025 行政诉讼");
    expect(a.answers[0].definition).toMatch(/直接起诉.*复议后起诉/);
    expect(a.answers[0].cells).toEqual(["litigation.direct.total", "litigation.after_review.total"]);
  });

  it("answers with the latest report when no year is given, and says so", () => {
    const a = ask(store, "李楼镇 依申请数");
    expect(a.answers[0].year).toBe(2025);
    expect(a.text).toMatch(/最新一期/);
  });

  it.each([
    ["火星乡 2024 依申请数", /没有找到「火星乡」/],
    ["李楼镇 2019 依申请数", /没有李楼镇 2019 年的年报/],
    ["李楼镇 2025 天气", /关键数字|年度报告/],
    ["李楼镇 2025 行政复议和行政诉讼", /一次问到了几项[\s\S]*行政复议总计[\s\S]*行政诉讼总计/],
    ["李楼镇2025年规范性文件", /没有说明是哪一列[\s\S]*本年制发件数/],
  ])("%s gets no number", (q, msg) => {
    const a = ask(store, q);
    expect(a.answers).toEqual([]);
    expect(a.text).toMatch(msg);
  });

  it("asks which one when two organs share a short name", () => {
    const twins = storeOf([
      { organ: "蔚县黄土镇人民政府", year: 2024, cells: balancedCells(1) },
      { organ: "仪陇县黄土镇人民政府", year: 2024, cells: balancedCells(2) },
      { organ: "仪陇县黄土镇人民政府", year: 2023, cells: balancedCells(3) },
    ]);
    const a = ask(twins, "黄土镇 2024 依申请数");
    expect(a.answers).toEqual([]);
    expect(a.actions.map((x) => x.label).join()).toMatch(/蔚县黄土镇.*仪陇县黄土镇|仪陇县黄土镇.*蔚县黄土镇/);
    expect(ask(twins, "仪陇县黄土镇 2024 依申请数").answers[0].value).toBe(2);
    // The year leaves one, but the user may mean the other (whose report is missing): still asked, that one first.
    const only = ask(twins, "黄土镇 2023 依申请数");
    expect(only.answers).toEqual([]);
    expect(only.text).toMatch(/2023 年只有「仪陇县黄土镇」有年报/);
    expect(only.actions[0].label).toMatch(/仪陇县黄土镇/);
  });

  it("carries the report's failed checks with the number (李楼镇 2020: text says 1, table 0)", () => {
    const a = ask(seeds, "李楼镇 2020 依申请数");
    expect(a.answers[0].value).toBe(0);
    expect(a.answers[0].issues.join()).toMatch(/正文.*1.*表格.*0/);
    expect(a.answers[0].provenance[0]).toMatchObject({ file: "004_e2e8df88f0911129.txt", table: "表三 依申请", column: "总计" });
  });

  it("says a number is unsure instead of guessing", () => {
    const text = `李楼镇2023年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\n一、本年新收政府信息公开申请数量 112000013\n四、政府信息公开行政复议、行政诉讼情况\n行政复议 000000000000000\n五、存在的主要问题及改进情况`;
    const r = parseReport(text, { file: "glued.txt" });
    const store = new ReportStore([r as Report]);
    const a = ask(store, "李楼镇 2023 自然人申请");
    expect(a.answers).toEqual([]);
    expect(a.text).toMatch(/无法确定/);
    expect(ask(store, "李楼镇 2023 依申请数").answers[0].value).toBe(13);
  });
});

describe("every command", () => {
  const store = storeOf([
    { organ: "李楼镇", year: 2023, cells: balancedCells(2) },
    { organ: "李楼镇", year: 2024, cells: balancedCells(5) },
    { organ: "李楼镇", year: 2025, cells: balancedCells(4), claim: 6 },
    { organ: "西店镇", year: 2024, cells: balancedCells(9) },
    { organ: "宁海县民政局", year: 2024, cells: balancedCells(30) },
    { organ: "宁海县民政局", year: 2025, cells: balancedCells(17) },
  ]);
  it.each([
    ["/报告 李楼镇 2024", "report", /李楼镇 2024 年政府信息公开工作年度报告/],
    ["/趋势 李楼镇 依申请数", "trend", /2023–2025/],
    ["李楼镇 近三年 依申请数", "trend", /2023–2025/],
    ["/排行 2024 依申请数", "ranking", /共 3 个/],
    ["2024年哪个乡镇申请最多", "ranking", /乡镇/],
    ["/合计 2024 依申请数", "total", /合计：44/],
    ["/对比 李楼镇 西店镇 2024 依申请数", "compare", /对比/],
    ["西店镇和李楼镇2024年依申请数", "choice", /一次问到了 2 个单位[\s\S]*对比/],
    ["西店镇和李楼镇2024年依申请数对比", "compare", /李楼镇 \| 2024 \| 5/],
    ["/校验 李楼镇 2025", "checks", /李楼镇 2025 年报审查：1 个错误[\s\S]*正文与表格一致/],
    ["/审查 2025", "checks", /2025 年年报审查：2 份年报，1 份有错误，1 个单位未发布/],
    ["哪些单位逾期未发布 2025 年报", "unpublished", /未发布 1 个/],
    ["/校验", "checks", /未通过的校验：1 项/],
    ["/搜索 政务公开", "search", /出现在/],
    ["/未发布 2025", "unpublished", /未发布 1 个/],
    ["/帮助", "help", /年报助手可以这样问/],
    ["哪些乡镇还没发布 2025 年报", "unpublished", /西店镇/],
    ["/导出 2024", "export", /2024 年政府信息公开年报汇总表[\s\S]*3 个单位/],
    ["导出2025年宁海县的汇总表", "export", /宁海县/],
    ["/导出 2025 火星县", "error", /没有「火星县」的单位/],
  ])("%s", (q, kind, title) => {
    const a = ask(store, q);
    expect(a.kind, a.text).toBe(kind);
    expect(a.text).toMatch(title);
  });

  it("ranks from high to low and totals what it ranks", () => {
    const a = ask(store, "/排行 2024 依申请数");
    expect(a.answers.map((x) => x.value)).toEqual([30, 9, 5]);
    // 宁海县民政局 (30), and 西店镇 (9): printed without its county, but China has one 西店镇, in 宁海县.
    expect(ask(store, "/合计 2024 依申请数 宁海县").title).toMatch(/宁海县各单位（2 个）本年新收申请合计：39/);
    // 李楼镇 is not in 宁海县 (the one 李楼镇 is in 湖北).
    expect(ask(store, "/合计 2024 依申请数 宁海县").table!.rows.map((r) => r[0])).not.toContain("李楼镇");
  });

  it.each([
    ["/排行 1990 依申请数", /年份太早/],
    ["/未知命令", /没有「\/未知命令」这个命令/],
    ["/搜索", /请输入要搜索的词/],
  ])("bad input %s gets a clear message", (q, msg) => {
    const a = ask(store, q);
    expect(a.kind).toBe("error");
    expect(a.text).toMatch(msg);
  });

  it("help and the menu come from the one command table", () => {
    const help = ask(store, "/帮助").table!.rows.map((r) => r[0]);
    expect(help).toEqual(COMMANDS.map((c) => c.usage));
    expect(menuItems().every((m) => COMMANDS.some((c) => c.name === m.command))).toBe(true);
  });

  it("strips @-mentions", () => {
    expect(stripMentions("@_user_1 李楼镇 2024")).toBe("李楼镇 2024");
    expect(stripMentions("@年报助手 /帮助")).toBe("/帮助");
  });
});

describe("questions as officials write them (ask-real-dev: seeds and real reports)", async () => {
  // The real reports as the bot reads them from REPORTS_DIR: web-page text, PDFs, Markdown.
  const dir = tmp();
  for (const [from, names] of [
    [SAMPLES, readdirSync(SAMPLES)],
    [join(FIX, "real"), readdirSync(join(FIX, "real")).filter((f) => !f.endsWith(".json"))],
    [join(FIX, "pdf"), readdirSync(join(FIX, "pdf")).filter((f) => f.endsWith(".pdf"))],
  ] as const) {
    for (const f of names) copyFileSync(join(from, f), join(dir, f));
  }
  const { store } = await loadReports({ reportsDir: dir, dataDir: tmp() });
  const cases = readFileSync(join(FIX, "ask-real-dev.jsonl"), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as Case & { kind: string });
  it.each(cases.map((c) => [c.kind, c.query, c] as const))("%s: %s", (_kind, _q, c) => {
    const a = ask(store, c.query);
    if (c.expect === null) {
      expect(a.answers, a.text).toEqual([]);
      return;
    }
    const n = a.answers[0];
    expect(n, a.text).toBeDefined();
    expect(n.organ.includes(c.expect.organ) || c.expect.organ.includes(n.organShort), `${n.organ} for ${c.expect.organ}`).toBe(true);
    expect([n.year, n.value]).toEqual([c.expect.year, c.expect.value]);
  });

  // Classes a paraphrased question set found (each row worded unlike the dev set): a name one
  // character from the data's, a place in front, two questions in one, a unit the figure is not in.
  it.each([
    // A typo by sound or shape is the organ, said so; another real place one character away is not.
    ["西电镇2019年依申请数", 21, /没有找到「西电镇」，按「西店镇」回答/],
    ["洪则区2024年依申请数", 95, /没有找到「洪则区」，按「洪泽区」回答/],
    ["平阳县2025年依申请数", null, /没有找到「平阳县」/],
    ["西周镇2019年依申请数", null, /没有找到「西周镇」/],
    ["淮北市2024年行政诉讼", null, /没有找到「淮北市」/],
    // A place in front must be the organ's, by China's division list when the report does not say.
    ["黑龙江桦川县悦来镇2020年依申请数", 0, /悦来镇 2020 年/],
    ["浙江宁海西店镇2019年依申请数", 21, /西店镇 2019 年/],
    ["浙江平潭综合实验区2024年依申请数", null, /资料库里没有浙江的.*在福建省/s],
    ["四川悦来镇2020年依申请数", null, /资料库里没有四川的.*在黑龙江省佳木斯市桦川县/s],
    ["北京市科委2024年行政复议", null, /资料库里没有北京的/],
    ["苏州市人民政府办公厅2025年依申请数", null, /没有找到「苏州市人民政府办公厅」|资料库里没有苏州的这个单位的年报/],
    ["淮安市淮阴区2024年依申请数", null, /没有「淮安市淮阴区」的年报/],
    // Two questions in one message; added up only when asked to.
    ["洪泽区2024年依申请数，不予公开几件", null, /一次问到了几项/],
    ["洪泽区2024年行政复议几件？行政诉讼几件？", null, /一次问到了几项/],
    ["洪泽区2024年行政复议加行政诉讼一共多少", 6, /行政复议总计和行政诉讼总计合计/],
    ["洪泽区2024年新收申请中，其中予以公开多少", 50, /予以公开/],
    ["洪泽区2023到2024年依申请数", null, /一次问到了 2 个年份/],
    // The unit asked must be the figure's.
    ["洪泽区2024年行政许可多少万元", null, /是件数，没有金额/],
    ["平潭2024年行政事业性收费多少件", null, /是金额，不是件数|没有说明是哪一列/],
    ["平潭2024年依申请数比上年增加多少件", 137, /增减/],
    // 没公开 has a narrow and a broad meaning; 全县 with no county named is not every county.
    ["洪泽区2024年没公开的多少", null, /「没公开」可以只指不予公开/],
    ["全区2024年依申请数合计", null, /「全区」指哪个区/],
    // The report misprints its own place (沐阳县): users type the real name, and its province and city agree.
    ["宿迁沭阳县2025年依申请数", 713, /沐阳县人民政府 2025 年/],
    ["泗阳县2025年依申请数", null, /没有找到「泗阳县」/],
    // Places written without level words in front of a name; 管委会 and 府 for a government.
    ["江苏淮安洪泽2024年依申请数", 95, /洪泽区 2024 年/],
    ["平潭管委会2024年依申请数", 218, /平潭综合实验区 2024 年/],
    ["淮安市府2024年行政复议几件", 351, /行政复议总计/],
    ["淮安市府办2024年依申请数", null, /没有「淮安市府办」的年报/],
    // A verb after 结转 describes the row; a result after 加 keeps the group before it; 上年 inside a row's name is no year.
    ["上海市科委2024年拖到明年办理的有几件", 1, /结转下年度继续办理/],
    ["淮安市2024年复议维持加纠正多少", 136, /合计/],
    ["平潭2024年上年遗留的申请有几件", 0, /上年结转/],
    ["平潭2022年依申请数较2021年增长多少件", 4, /2022 比 2021/],
    // A place in pinyin is read as the government or town spelt so, said so; one the data lacks names nothing.
    ["pingtan 2024 依申请数", 218, /「pingtan」按拼音读作「平潭综合实验区」/],
    ["Hong Ze 2024 行政复议", 2, /「hong ze」按拼音读作「洪泽区」/],
    ["shanghai 2025 依申请数", null, /请说明要查哪个单位/],
    // Greetings and framing around a question; a two-character name one confusable character off.
    ["老师好～领导让问一下，平谈2023年予以公开的有几件呢？", 22, /没有找到「平谈」，按「平潭综合实验区」回答/],
    // A trailing column or result belongs to every figure named before it; 其他 after a row of （六） is its 其他.
    ["淮安市2024年规章和规范性文件本年制发的加起来", 9, /规章本年制发件数和行政规范性文件本年制发件数合计/],
    ["淮安市2024年行政复议和行政诉讼的纠正一共多少", 69, /行政复议结果纠正和行政诉讼结果纠正合计/],
    ["上海市科委2024年逾期不补正和其他这两项加一块多少件", 14, /合计/],
    // English words for rows and items.
    ["淮安市2024年 state secrets 不予公开几件", 2, /属于国家秘密/],
    // Context around the question is left out; a clause that limits what is counted, or asks about a word
    // the bot does not know, is not, and gets no number.
    ["刚开完会，领导让我核一下数据。平潭2024年行政复议多少件？", 7, /行政复议总计/],
    ["我在整理2024年度各单位数据，淮安市政府那份年报里行政事业性收费金额是多少万元", 96171.6, /淮安市人民政府 2024 年/],
    ["平潭2024年行政复议，被驳回的有几件", null, /没看懂「驳」/],
    ["平潭2024年依申请数，不算律所的", null, /没看懂「不算」/],
    // Beside a clause that asks for one whole figure, a clause telling who said or does what is context: only
    // its organ and year are used, so a command word (汇总表, 有问题) or a figure said in passing there changes
    // nothing; a clause the question goes on from (所以…) qualifies it and stays.
    ["刚才省里来电话核对数据，说平潭2023年依申请公开的件数跟他们汇总表对不上。麻烦查一下我们年报里本年新收的申请是多少件？", 81, /平潭综合实验区 2023 年 本年新收申请/],
    ["早上开会领导说沭阳的数据有问题，我先核一下：宿迁沭阳县政府2025年予以公开了多少件？", 294, /沐阳县人民政府 2025 年 予以公开/],
    ["有个申请人投诉说我们老是不给信息，我想看看平潭2025年无法提供的总数是多少", 53, /无法提供/],
    ["关于洪泽区政府2024年的年报，部分公开的件数是多少，想再确认一下", 9, /部分公开/],
    ["上海市府办2025年属于人事、后勤这些内部事务，所以不公开的有几件", 9, /属于三类内部事务信息/],
    ["不好意思打扰一下，在整理平潭近几年复议诉讼情况，2021年那年没经过复议直接起诉的一共多少件？", 12, /平潭综合实验区 2021 年 未经复议直接起诉总计/],
    ["年报正文里一般写“全年共收到申请X件”，平潭2025年这个X是多少？", 154, /本年新收申请/],
    // A slip in a figure's name or a space inside a word is undone and said so.
    ["淮安市2024年行政附议多少件", 351, /「附议」按「复议」理解|「行政附议」按「行政复议」理解/],
    ["平潭2025年无法提共几件", 53, /按「无法提供」理解/],
    ["洪 泽 区2024年依申请数", 95, /去掉了词中的空格/],
    // A row named beside its own group is that row; added to its group it would count twice.
    ["沭阳县2025年信访举报投诉类、不予处理的有几件", 12, /信访举报投诉/],
    ["沭阳县2025年不予处理和信访举报投诉一共多少", null, /相加会重复计算/],
    ["淮安市2024年行政诉讼和直接起诉一共多少", null, /相加会重复计算/],
    ["淮安市2024年依申请总数和自然人申请一共多少", null, /相加会重复计算/],
    // Rows described by what they mean; 行政诉讼 with exactly its two kinds 都算 is 行政诉讼 itself.
    ["沭阳县2025年因为是行政执法卷宗所以没公开的有几件", 4, /行政执法案卷/],
    ["淮安市政府2024年法院还没判下来的行政诉讼有几件（直接起诉和复议后起诉都算）", 7, /尚未审结/],
    ["上海市府办2025年打官司赢了的有几件，直接起诉和复议后起诉都算上", 8, /行政诉讼结果维持/],
    // 「哪些年报有问题」 reviews every report; with an organ named it checks that one.
    ["哪些年报有问题", null, /年报审查：/],
    // The deadline is the statutory schedule; 信息处理费 is where the reports' prose says it; two questions in a row keep their group.
    ["截止日期是哪天？", null, /法定截止：2027-01-31（条例第四十九条：部门、乡镇街道，2026 年年报）/],
    ["平潭2024年收了信息处理费吗？多少钱？", null, /「信息处理费」出现在/],
    ["平潭2024年被申请行政复议几次？纠正了几件？", null, /一次问到了几项[\s\S]*行政复议结果纠正/],
    // Every cell by the words officials use for it (a fourth blind set, every cell id of both templates).
    ["西店镇2019年集中采购一共花了多少钱", 123604.14, /政府集中采购采购总金额/],
    ["淮安市2024年法人或其他组织中“其他”类申请本机关不掌握相关政府信息的有几件", 1, /其他组织/],
    ["平潭综合实验区2022年许可决定办了多少件", 10690, /行政许可处理决定数量/],
    ["上海市政府办公厅2025年现在还有效的规章有几件", 235, /规章现行有效件数/],
    ["平潭2024年复议维持原决定的有几件", 2, /行政复议结果维持/],
    // A fall asked as a fall is its size; a rate asked of a count is refused; 总数 in one clause adds nothing across clauses.
    ["平潭2025年依申请数较上年下降了百分之多少", 29.4, /下降幅度/],
    ["平潭2024年依申请数比上年减少了多少件", -137, /没有减少，反而增加了 137件/],
    ["平潭2021年依申请公开了百分之几", 50.7, /公开率/],
    ["平潭2021年依申请数是百分之几", null, /是件数，不是比例/],
    ["平潭2025年不予公开，无法提供的总数是多少", null, /一次问到了几项/],
    // Wording of an eighth blind set: measure words, function words, polite and regional words, colloquial
    // verbs, years typed with O, ○ or financial digits or without 年, the latest report in words,
    // Taiwan's words in Traditional characters, 上年 as a column of table 二 and as a row of table 三.
    ["上海市科委2024年规章废止了几部", 0, /规章本年废止件数/],
    ["综合实验区2021年行政复议维持的有几例", 1, /行政复议结果维持/],
    ["劳驾查一下淮安市2024年规章本年制发几部", 1, /规章本年制发件数/],
    ["平潭2022年拢共收了几件申请", 74, /本年新收申请/],
    ["沐阳县2025年挨了多少次复议", 61, /行政复议总计/],
    ["平潭2024年官司被判输的有几宗", 2, /行政诉讼结果纠正/],
    ["淮安市2024年年底还压着没结的申请有几宗", 103, /结转下年度继续办理/],
    ["平潭二O二三年行政许可决定数", 2629, /平潭综合实验区 2023 年/],
    ["洪泽区 二〇二四 行政诉讼一共几宗", 4, /洪泽区 2024 年/],
    ["平潭贰零贰贰年行政处罚决定", 2113, /平潭综合实验区 2022 年/],
    ["上海市人民政府办公厅最近那份年报部分公开多少", 2, /上海市人民政府办公厅 2025 年/],
    ["淮安市2024年屬於四類過程性資訊的有多少", 12, /过程性信息/],
    ["西店镇2019年收费项目上年有几个", 4, /上一年项目数量/],
    ["沐阳县2025年因未缴纳信息处理费被终止处理的申请", 7, /逾期未按收费通知要求缴纳费用/],
    // 上年 with a figure of table 三 is still the year before.
    ["平潭2025年比上年多收了几件", -64, /2025 比 2024/],
    ["平潭2023年比2022年多收了几件", 7, /2023 比 2022/],
    // A ranking needs two reports of one year.
    ["几个镇里面哪个镇依申请最多", null, /请说明年份/],
    // 全区 where the data holds only the zone's own report: that report's number, said so.
    ["平潭2022年全区共收到申请多少件", 74, /只有「平潭综合实验区」一份年报/],
  ] as const)("%s", (q, value, says) => {
    const a = ask(store, q);
    expect(a.text).toMatch(says);
    if (value === null) expect(a.answers, a.text).toEqual([]);
    else expect(a.answers[0]?.value, a.text).toBe(value);
  });

  it("a figure named the way the bot shows it, and a button, ask for the same figure", () => {
    for (const q of ["西店镇2019年行政复议结果维持", "平潭2024年复议后起诉尚未审结", "淮安市2024年律师事务所的申请予以公开了几件", "上海市科委2024年现行有效的规范性文件"]) {
      const a = ask(store, q);
      const n = a.answers[0];
      const again = ask(store, `${n.organShort} ${n.year} ${n.metric}`);
      expect(again.answers[0]?.metricKey, again.text).toBe(n.metricKey);
      expect(again.answers[0]?.value).toBe(n.value);
      const trend = a.actions.find((x) => x.command === "趋势")!;
      const t = invoke(trend, { store, now: NOW });
      expect(t.kind).toBe("trend");
      expect(t.answers.find((x) => x.year === n.year)?.metricKey).toBe(n.metricKey);
    }
  });

  it("every button under an answer does what its label says", () => {
    const expected: Record<string, string> = { 报告: "report", 趋势: "trend", 校验: "checks", 查询: "number", 对比: "compare", 未发布: "unpublished" };
    for (const q of ["洪泽区2024年依申请数", "平潭近三年依申请数", "/报告 平潭 2024", "平潭2024年规章", "洪泽区2023年和2024年的依申请数", "上海市科委和上海市人民政府办公厅的依申请数分别多少"]) {
      const a = ask(store, q);
      expect(a.actions.length, q).toBeGreaterThan(0);
      for (const action of a.actions) {
        const b = invoke(action, { store, now: NOW });
        expect(b.kind, `${q} → ${action.label}: ${b.text}`).toBe(expected[action.command]);
        if (action.command === "报告" || action.command === "校验") expect(b.title).toContain(String(action.args.year ?? ""));
      }
    }
  });

  it("the menu item 提醒 outside a chat shows the schedule and how to subscribe, not an error", () => {
    const a = invoke({ command: "提醒", args: {} }, { store, now: NOW, chat: { chatType: "menu", openId: "ou_x", isAdmin: false, isOwner: false } });
    expect(a.kind).toBe("reminders");
    expect(a.text).toMatch(/订阅提醒/);
  });
});

describe("the upload check", () => {
  it("runs every rule, the cross-year ones against the library's report of last year", () => {
    // 西店镇 2019 (a seed) carried 4 applications forward; a 2020 draft that carries over 0 breaks the chain.
    const draft = parseReport(renderReport({ organ: "西店镇", year: 2020, cells: balancedCells(3) }), { file: "draft.txt" });
    if (!isReport(draft)) throw new Error(draft.error);
    const review = reviewUpload(draft, seeds);
    expect(review.findings.map((c) => c.id)).toContain("carry_over");
    const a = uploadCheckAnswer(draft, { fileName: "draft.txt", review });
    expect(a.text).toMatch(/错误·上年结转与上年结转下年度/);
    expect(uploadPassed(review)).toBe(false);
    // Without the library (npm run parse) the cross-year rules are not run.
    expect(reviewUpload(draft).findings.map((c) => c.id)).not.toContain("carry_over");
  });
});

describe("departments and streets the data gains (renamed copies of real reports beside their places)", async () => {
  const dir = tmp();
  for (const f of readdirSync(join(FIX, "renamed")).filter((f) => f !== "SOURCE.md")) copyFileSync(join(FIX, "renamed", f), join(dir, f));
  for (const f of ["pingtan-2022.txt", "shuyang-2025.txt"]) copyFileSync(join(FIX, "real", f), join(dir, f));
  const { store } = await loadReports({ reportsDir: dir, dataDir: tmp() });
  it.each([
    // A place by its level word alone before a department's abbreviation.
    ["实验区财金局2022年行政处罚决定数", 1330, /平潭综合实验区财政金融局 2022 年/],
    // A typing mistake in the department's word after a place that is itself an organ: the whole name, said so.
    ["沭阳县人力资源和社会保帐局2025年行政复议", 61, /按「沭阳县人力资源和社会保障局」回答/],
    ["淮安市交通运输居2025年予以公开", 206, /按「淮安市交通运输局」回答/],
    // A table label written with a word left out, said so; a measure word.
    ["沭城街办2023年本机关不掌握相关信息的有几件", 75, /「本机关不掌握相关信息」按「本机关不掌握相关政府信息」理解/],
    ["沭阳人社局2025年逾期未按收费通知缴纳费用不再处理的", 7, /逾期未按收费通知要求缴纳费用/],
    ["高良涧街道2022年打了几场官司", 12, /行政诉讼总计/],
    // A department the data does not have never gets its place's number.
    ["平潭教育局2022年依申请数", null, /没有「平潭教育局」的年报/],
    ["实验区教育局2022年依申请数", null, /没有「实验区教育局」的年报/],
    ["沭阳县2025年行政复议多少件", 61, /沐阳县人民政府 2025 年/],
  ] as const)("%s", (q, value, says) => {
    const a = ask(store, q);
    expect(a.text).toMatch(says);
    if (value === null) expect(a.answers, a.text).toEqual([]);
    else expect(a.answers[0]?.value, a.text).toBe(value);
  });
});
