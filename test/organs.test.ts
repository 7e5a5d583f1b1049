import { describe, expect, it } from "vitest";
import { groupOrgans, type Mention, misprintedPlace, OrganIndex } from "../index/organs.ts";
import type { Report } from "../parser/index.ts";
import { abbreviations, organLevel, splitOrganName } from "../parser/organ-name.ts";

/** A report as the parser gives it, reduced to what organ identity reads. */
function report(organ: string, year: number, region: string | null = null, organShort?: string): Report {
  return {
    file: `${organ}-${year}.txt`,
    organ,
    organShort: organShort ?? organ.replace(/人民政府$|办事处$/, ""),
    region,
    year,
    template: "2021",
    published: null,
    cells: {},
    units: {},
    derived: [],
    checks: [],
    warnings: [],
    claims: [],
    narrative: [],
    provenance: {},
    encoding: "utf-8",
  } as Report;
}

/** The organ reader without the question vocabulary (commands/ supplies it). */
const NO_VOCABULARY = { termAt: () => null, allTerms: () => false };

describe("the grammar of an organ's name", () => {
  it.each([
    ["淮安市洪泽区人民政府", ["淮安市", "洪泽区"], null, "county"],
    ["桦川县悦来镇", ["桦川县", "悦来镇"], null, "township"],
    ["平潭综合实验区管委会", ["平潭综合实验区"], null, "county"],
    ["上海市人民政府办公厅", ["上海市"], "人民政府办公厅", "department"],
    ["宁海县市场监督管理局", ["宁海县"], "市场监督管理局", "department"],
    ["秦安县住房和城乡建设局", ["秦安县"], "住房和城乡建设局", "department"],
    ["宁海县和安镇人民政府", ["宁海县", "和安镇"], null, "township"],
    ["洪泽区高良涧街道办事处", ["洪泽区", "高良涧街道"], null, "township"],
    ["新市镇", ["新市镇"], null, "township"],
    ["淮安市人民政府", ["淮安市"], null, "city"],
    // 城市 ends in a level character but is no place.
    ["兰陵县城市管理局", ["兰陵县"], "城市管理局", "department"],
  ])("%s", (name, places, body, level) => {
    const n = splitOrganName(name);
    expect(n).toEqual({ places, body });
    expect(organLevel(n)).toBe(level);
  });

  it.each([
    ["发展和改革局", "发改局"],
    ["市场监督管理局", "市场监管局"],
    ["市场监督管理局", "市监局"],
    ["人力资源和社会保障局", "人社局"],
    ["交通运输局", "交通局"],
    ["财政金融局", "财金局"],
    ["财政金融局", "财政局"],
    ["社会事业局", "社事局"],
    ["科学技术委员会", "科委"],
    ["卫生健康委员会", "卫健委"],
    // Conventional names no rule makes, and the common ones said without their ending.
    ["城市管理局", "城管局"],
    ["综合行政执法局", "执法局"],
    ["机关事务管理局", "机关事务局"],
    ["政务服务和大数据管理局", "大数据局"],
    ["粮食和物资储备局", "粮储局"],
    ["教育和体育局", "教体局"],
    ["人力资源和社会保障局", "人社"],
    ["发展和改革局", "发改"],
    ["住房和城乡建设局", "住建"],
  ])("%s is also called %s", (body, short) => {
    expect(abbreviations(body)).toContain(short);
  });
});

describe("one organ across years and titles", () => {
  it("洪泽区人民政府 and 淮安市洪泽区人民政府 are one organ", () => {
    const organs = groupOrgans([report("洪泽区人民政府", 2023), report("淮安市洪泽区人民政府", 2024, "淮安市", "洪泽区")]);
    expect(organs).toHaveLength(1);
    expect([...organs[0].reports.keys()].sort()).toEqual([2023, 2024]);
    expect(organs[0].name).toBe("淮安市洪泽区人民政府");
  });

  it("two 黄土镇 of different counties stay two; a 黄土镇 of no stated county cannot be told", () => {
    const organs = groupOrgans([report("蔚县黄土镇人民政府", 2024, "蔚县"), report("仪陇县黄土镇人民政府", 2024, "仪陇县"), report("黄土镇人民政府", 2023)]);
    expect(organs).toHaveLength(3);
  });

  it("a department printed with a conventional short name is the same department", () => {
    expect(groupOrgans([report("上海市科委", 2024), report("上海市科学技术委员会", 2025)])).toHaveLength(1);
  });
});

describe("names in a question", () => {
  const organs = groupOrgans([
    report("平潭综合实验区", 2024),
    report("淮安市人民政府", 2024),
    report("淮安市洪泽区人民政府", 2024, "淮安市", "洪泽区"),
    report("上海市人民政府办公厅", 2025),
    report("上海市科委", 2024),
    report("桦川县悦来镇", 2020, "桦川县", "悦来镇"),
    report("西店镇", 2019),
    report("宁海县民政局", 2024, "宁海县"),
    report("秦安县住房和城乡建设局", 2021, "秦安县"),
    report("平潭综合实验区财政金融局", 2024),
  ]);
  const index = new OrganIndex(organs);
  const one = (text: string): Mention | undefined => index.mentions(text, NO_VOCABULARY)[0];
  const named = (m: Mention | undefined) => (m?.kind === "organ" ? m.organ.name : m?.kind);

  it.each([
    ["平潭 2023", "平潭综合实验区"],
    ["平潭区 2024", "平潭综合实验区"],
    ["平潭实验区", "平潭综合实验区"],
    ["实验区 2025", "平潭综合实验区"],
    ["福建平潭综合实验区", "平潭综合实验区"],
    ["平潭综合实验区管委会", "平潭综合实验区"],
    ["洪泽 2024", "淮安市洪泽区人民政府"],
    ["洪泽区政府", "淮安市洪泽区人民政府"],
    ["江苏淮安市洪泽区", "淮安市洪泽区人民政府"],
    ["淮安 2024", "淮安市人民政府"],
    ["淮安市政府", "淮安市人民政府"],
    ["市府办 2025", "上海市人民政府办公厅"],
    ["上海市政府办公厅", "上海市人民政府办公厅"],
    ["沪府办", "上海市人民政府办公厅"],
    ["市科委", "上海市科委"],
    ["沪科委", "上海市科委"],
    ["上海科委", "上海市科委"],
    ["科委 2024", "上海市科委"],
    ["佳木斯桦川县悦来镇", "桦川县悦来镇"],
    ["宁海县西店镇", "西店镇"],
    ["宁海县民政局", "宁海县民政局"],
    ["秦安住建局", "秦安县住房和城乡建设局"],
    ["民政局", "宁海县民政局"],
    ["平潭的财金局", "平潭综合实验区财政金融局"],
    ["平潭财政局", "平潭综合实验区财政金融局"],
    ["实验区财金局", "平潭综合实验区财政金融局"],
  ])("%s → %s", (text, organ) => {
    expect(named(one(text))).toBe(organ);
  });

  it.each([
    ["淮安市清江浦区 2024", "child"],
    ["洪泽区高良涧街道", "child"],
    ["平潭综合实验区公安局", "child"],
    ["平潭的市场监管局", "child"],
    ["平潭潭城镇", "child"],
    ["淮安市政府办", "child"],
    ["淮安市人民政府办公室", "child"],
  ])("%s names something under a known organ (%s)", (text, kind) => {
    expect(one(text)?.kind).toBe(kind);
  });

  it.each([
    ["淮安区 2024", "another place of another level than 淮安市"],
    ["上海市人民政府", "the government above its office"],
    ["宿迁市", "a place the data does not have"],
    ["北京市悦来镇", "a region that contradicts 桦川县"],
    ["秦安县民政局", "another county's 民政局"],
    ["悦来乡", "a 乡 is not the 镇 of the same name"],
  ])("%s names no organ of the data (%s)", (text) => {
    expect(index.mentions(text, NO_VOCABULARY).filter((m) => m.kind === "organ")).toEqual([]);
  });

  it.each([
    ["平谭综合实验区", "平潭综合实验区"],
    ["平潭综合试验区", "平潭综合实验区"],
    ["洪择区", "淮安市洪泽区人民政府"],
    ["准安市", "淮安市人民政府"],
    ["西点镇", "西店镇"],
    ["上海市人民政府办工厅", "上海市人民政府办公厅"],
  ])("%s is one character from %s", (text, organ) => {
    expect(index.nearMisses(text).map((n) => n.organ.name)).toEqual([organ]);
  });

  it("a different level word, or a character added or missing at an end, is not a typing mistake", () => {
    expect(index.nearMisses("淮安区")).toEqual([]);
    expect(index.nearMisses("西店乡")).toEqual([]);
    expect(index.nearMisses("淮安市政府办")).toEqual([]);
    expect(index.nearMisses("淮安市政")).toEqual([]);
  });
});

describe("a place the report misprints", () => {
  it.each([
    ["沐阳县", "沭阳县"], // 沐 for 沭: looks alike; 沭阳县 is in 宿迁
    ["沭阳县", null], // a real place is never a misprint
    ["泗阳县", null],
    ["平谭县", "平潭县"], // 谭 for 潭: sounds alike
    ["西点镇", null], // towns are never corrected: one missing from the list may be a real town
    ["李楼镇", null],
  ])("%s → %s", (printed, real) => {
    expect(misprintedPlace(printed)).toBe(real);
  });
});

describe("townships of one name", () => {
  const index = new OrganIndex(
    groupOrgans([
      report("临淄区大王镇人民政府", 2024, "临淄区", "大王镇"),
      report("大王街道办事处", 2022),
      report("兰陵县张集街道办事处", 2023, "兰陵县", "张集街道"),
      report("张集镇", 2023),
      report("临渭区凤凰街道办事处", 2023, "临渭区", "凤凰街道"),
    ]),
  );
  const read = (text: string) => index.mentions(text, NO_VOCABULARY).map((m) => (m.kind === "organ" ? m.organ.name : m.kind));
  it.each([
    ["大王", ["several"]], // 大王街道办事处 is 大王街道, not 大王: 大王镇 is 大王 too
    ["临淄大王", ["临淄区大王镇人民政府"]],
    ["大王街道", ["大王街道办事处"]],
    ["兰陵张集", ["兰陵县张集街道办事处"]], // a county written without 县 settles which
    ["凤凰街办", ["临渭区凤凰街道办事处"]],
  ])("%s → %j", (text, expected) => {
    expect(read(text)).toEqual(expected);
  });
});
