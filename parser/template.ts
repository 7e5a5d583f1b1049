/**
 * The cell grammar, in one place: the two official table formats (国办公开办函〔2019〕60号 and
 * 〔2021〕30号) as data — row ids, labels, the words that identify a row's label, the columns each
 * row carries — and the cell ids built from them (shared/REPORT-MODEL.md: `active.<row>.<column>`,
 * `applications.<row>.<column>`, `review.<key>`, `litigation.<group>.<key>`), which table and row a
 * cell belongs to, and the fixed list of every cell id. Nothing else spells a cell id by hand.
 */

export type TemplateId = "2019" | "2021";

export const TEMPLATE_IDS: readonly TemplateId[] = ["2019", "2021"];

/** How a template is named to users. */
export const TEMPLATE_NAMES: Record<TemplateId, string> = {
  "2019": "2019版（国办公开办函〔2019〕60号）",
  "2021": "2021版（国办公开办函〔2021〕30号）",
};

/** The three tables: A 主动公开 (section 二), B 依申请 (三), C 复议诉讼 (四). */
export type TableId = "A" | "B" | "C";

export const TABLE_NAMES: Record<TableId, string> = { A: "表二 主动公开", B: "表三 依申请", C: "表四 复议诉讼" };

/** A row of a table: its id, what its label says, and which columns it has. */
export interface RowDef {
  /** Row id, e.g. `denied.state_secret` or `rules`. */
  id: string;
  /** Official label, for display and provenance. */
  label: string;
  /** Distinctive fragments of the label (whitespace removed); any one identifies the row. */
  keywords: string[];
  /** A pattern the whole compact label must match instead of keywords (for labels such as `3.其他`). */
  exact?: RegExp;
  /** The group (三(三), 三(四) …) and the 1-based enumerator inside it, to place labels such as a bare `7.`. */
  group?: string;
  index?: number;
  columns: readonly string[];
}

export const APPLICANT_COLUMNS = [
  "natural_person",
  "commercial",
  "research",
  "social_org",
  "legal_service",
  "other_org",
  "total",
] as const;

export const APPLICANT_COLUMN_LABELS: Record<string, string> = {
  natural_person: "自然人",
  commercial: "商业企业",
  research: "科研机构",
  social_org: "社会公益组织",
  legal_service: "法律服务机构",
  other_org: "其他",
  total: "总计",
};

const ac = APPLICANT_COLUMNS;

function row(id: string, label: string, keywords: string[], extra: Partial<RowDef> = {}): RowDef {
  return { id, label, keywords, columns: ac, ...extra };
}

const denied = (i: number, id: string, label: string, keywords: string[]) =>
  row(`denied.${id}`, `（三）不予公开 ${i}.${label}`, keywords, { group: "denied", index: i });
const unable = (i: number, id: string, label: string, keywords: string[]) =>
  row(`unable.${id}`, `（四）无法提供 ${i}.${label}`, keywords, { group: "unable", index: i });
const notProcessed = (i: number, id: string, label: string, keywords: string[]) =>
  row(`not_processed.${id}`, `（五）不予处理 ${i}.${label}`, keywords, { group: "not_processed", index: i });

const TABLE_B_HEAD: RowDef[] = [
  row("new", "一、本年新收政府信息公开申请数量", ["本年新收", "新收政府信息公开申请"]),
  row("carried_over", "二、上年结转政府信息公开申请数量", ["上年结转"]),
  row("granted", "三、本年度办理结果（一）予以公开", ["予以公开"]),
  row("partial", "（二）部分公开", ["部分公开"]),
  denied(1, "state_secret", "属于国家秘密", ["国家秘密"]),
  denied(2, "law_forbidden", "其他法律行政法规禁止公开", ["法律行政法规", "法规禁止", "其他法律"]),
  denied(3, "security_stability", "危及“三安全一稳定”", ["三安全", "一稳定", "危及"]),
  denied(4, "third_party", "保护第三方合法权益", ["第三方"]),
  denied(5, "internal_affairs", "属于三类内部事务信息", ["三类内部", "内部事务"]),
  denied(6, "process_info", "属于四类过程性信息", ["过程性", "四类过程"]),
  denied(7, "enforcement_file", "属于行政执法案卷", ["执法案卷"]),
  denied(8, "query_matter", "属于行政查询事项", ["查询事项"]),
  unable(1, "not_held", "本机关不掌握相关政府信息", ["不掌握"]),
  unable(2, "needs_creation", "没有现成信息需要另行制作", ["另行制作", "没有现成", "现成信息"]),
  unable(3, "unclear", "补正后申请内容仍不明确", ["仍不明确", "补正后"]),
  notProcessed(1, "petition", "信访举报投诉类申请", ["信访", "举报投诉"]),
  notProcessed(2, "duplicate", "重复申请", ["重复申请"]),
  notProcessed(3, "publication", "要求提供公开出版物", ["出版物"]),
  notProcessed(4, "excessive", "无正当理由大量反复申请", ["大量反复"]),
  notProcessed(5, "confirm", "要求行政机关确认或重新出具已获取信息", ["重新出具", "确认或"]),
];

const TABLE_B_TAIL: RowDef[] = [
  // A bare 总计 is also a column header of this table, so only a label that ends with it counts.
  row("total", "（七）总计", ["(七)总计", "七)总计"], { exact: /(?:^|[^\p{Script=Han}])总计$/u }),
  row("carried_forward", "四、结转下年度继续办理", ["结转下年", "继续办理"]),
];

const TABLE_B_2019: RowDef[] = [
  ...TABLE_B_HEAD,
  row("other_handling", "（六）其他处理", ["其他处理"], { group: "other_handling", index: 0 }),
  ...TABLE_B_TAIL,
];

/**
 * （六）其他处理 as one row. In the 2019 format it is the row; in the 2021 format it is the sum of
 * the three sub-rows, which some 2021-format reports print instead of them: read under this id.
 */
export const SINGLE_OTHER_HANDLING = "other_handling";

const TABLE_B_2021: RowDef[] = [
  ...TABLE_B_HEAD,
  row("other_handling", "（六）其他处理", ["其他处理"], { group: "other_handling", index: 0 }),
  row("other_handling.overdue_correction", "（六）其他处理 1.申请人无正当理由逾期不补正", ["逾期不补正", "无正当理由逾期"], {
    group: "other_handling",
    index: 1,
  }),
  row("other_handling.unpaid_fee", "（六）其他处理 2.申请人逾期未按收费通知要求缴纳费用", ["缴纳费用", "收费通知"], {
    group: "other_handling",
    index: 2,
  }),
  // 「3.其他」, 「3其他」, 「(3)其他」 (an enumerator in brackets stays label text).
  row("other_handling.misc", "（六）其他处理 3.其他", [], { exact: /(?:^|[^\p{Script=Han}])(?:3\.?|\(3\))其他$|^其他$/u, group: "other_handling", index: 3 }),
  ...TABLE_B_TAIL,
];

const A2019 = {
  doc: ["made", "published", "total"],
  items: ["prev_items", "change", "decisions"],
  fees: ["prev_items", "change"],
  procurement: ["count", "amount"],
} as const;

const TABLE_A_2019: RowDef[] = [
  { id: "rules", label: "规章", keywords: ["规章"], columns: A2019.doc },
  { id: "normative", label: "规范性文件", keywords: ["规范性文件"], columns: A2019.doc },
  { id: "licensing", label: "行政许可", keywords: ["行政许可"], columns: A2019.items },
  { id: "other_services", label: "其他对外管理服务事项", keywords: ["其他对外", "对外管理服务"], columns: A2019.items },
  { id: "penalty", label: "行政处罚", keywords: ["行政处罚"], columns: A2019.items },
  { id: "enforcement", label: "行政强制", keywords: ["行政强制"], columns: A2019.items },
  { id: "fees", label: "行政事业性收费", keywords: ["事业性收费", "行政事业性"], columns: A2019.fees },
  { id: "procurement", label: "政府集中采购", keywords: ["集中采购", "政府集中"], columns: A2019.procurement },
];

const TABLE_A_2021: RowDef[] = [
  { id: "rules", label: "规章", keywords: ["规章"], columns: ["issued", "repealed", "in_force"] },
  { id: "normative", label: "行政规范性文件", keywords: ["规范性文件"], columns: ["issued", "repealed", "in_force"] },
  { id: "licensing", label: "行政许可", keywords: ["行政许可"], columns: ["decisions"] },
  { id: "penalty", label: "行政处罚", keywords: ["行政处罚"], columns: ["decisions"] },
  { id: "enforcement", label: "行政强制", keywords: ["行政强制"], columns: ["decisions"] },
  { id: "fees", label: "行政事业性收费", keywords: ["事业性收费", "行政事业性"], columns: ["amount"] },
];

export const REVIEW_KEYS = ["upheld", "corrected", "other", "pending", "total"] as const;
export const REVIEW_GROUPS = ["review", "litigation.direct", "litigation.after_review"] as const;
export const REVIEW_GROUP_LABELS: Record<string, string> = {
  review: "行政复议",
  "litigation.direct": "行政诉讼（未经复议直接起诉）",
  "litigation.after_review": "行政诉讼（复议后起诉）",
};
export const REVIEW_KEY_LABELS: Record<string, string> = {
  upheld: "结果维持",
  corrected: "结果纠正",
  other: "其他结果",
  pending: "尚未审结",
  total: "总计",
};
// ---------------------------------------------------------------- cell ids

/** Table A cell: `active.<row>.<column>`. */
export const activeCell = (row: string, column: string) => `active.${row}.${column}`;
/** Table B cell: `applications.<row>.<column>`. */
export const applicationCell = (row: string, column: string) => `applications.${row}.${column}`;
/** Table C cell: `<group>.<key>` (`review.total`, `litigation.direct.upheld`). */
export const reviewCell = (group: string, key: string) => `${group}.${key}`;

/** The 15 cells of table C in printed order. */
export const TABLE_C_CELLS: string[] = REVIEW_GROUPS.flatMap((g) => REVIEW_KEYS.map((k) => reviewCell(g, k)));

/** Table C is printed as one row; this is its row key. */
export const TABLE_C_ROW = "review";

/** The cells of a row of table A or B, in printed order (built once per row: the same strings every report). */
export function rowCells(table: "A" | "B", def: RowDef): readonly string[] {
  let cells = rowCellCache.get(def);
  if (!cells) {
    cells = table === "A" ? def.columns.map((c) => activeCell(def.id, c)) : APPLICANT_COLUMNS.map((c) => applicationCell(def.id, c));
    rowCellCache.set(def, cells);
  }
  return cells;
}

const rowCellCache = new WeakMap<RowDef, readonly string[]>();

/** Which table a cell id belongs to. */
export function tableOf(cellId: string): TableId {
  return cellId.startsWith("active.") ? "A" : cellId.startsWith("applications.") ? "B" : "C";
}

/** The row a cell belongs to (`applications.new`, `active.rules`; table C is one row, `review`). */
export function rowKey(cellId: string): string {
  let key = rowKeys.get(cellId);
  if (key === undefined) {
    key = tableOf(cellId) === "C" ? TABLE_C_ROW : cellId.slice(0, cellId.lastIndexOf("."));
    if (rowKeys.size < 4096) rowKeys.set(cellId, key);
  }
  return key;
}

const rowKeys = new Map<string, string>();

/** A cell id's parts: its table, its row id inside the table (`denied.state_secret`), its column. */
export function cellParts(cellId: string): { table: TableId; row: string; column: string } {
  const table = tableOf(cellId);
  const column = cellId.slice(cellId.lastIndexOf(".") + 1);
  if (table === "C") return { table, row: cellId.slice(0, cellId.lastIndexOf(".")), column };
  return { table, row: cellId.slice(cellId.indexOf(".") + 1, cellId.lastIndexOf(".")), column };
}

export const COLUMN_LABELS: Record<string, string> = {
  ...APPLICANT_COLUMN_LABELS,
  made: "本年新制作数量",
  published: "本年新公开数量",
  prev_items: "上一年项目数量",
  change: "本年增/减",
  decisions: "处理决定数量",
  count: "采购项目数量",
  amount: "金额",
  issued: "本年制发件数",
  repealed: "本年废止件数",
  in_force: "现行有效件数",
};

/**
 * Words of a cell's own note that name its column (table A): a count of documents made notes
 * its revisions, a count repealed what expired, a count in force what is current.
 */
export const COLUMN_NOTE_WORDS: Record<string, RegExp> = {
  made: /制作|制定|印发|修订|出台/,
  issued: /制发|制定|印发|修订|出台/,
  repealed: /废止|失效|撤销|清理/,
  in_force: /现行|有效/,
  total: /现行|有效|累计/,
};

export interface TemplateDef {
  id: TemplateId;
  tableA: RowDef[];
  tableB: RowDef[];
}

export const TEMPLATES: Record<TemplateId, TemplateDef> = {
  "2019": { id: "2019", tableA: TABLE_A_2019, tableB: TABLE_B_2019 },
  "2021": { id: "2021", tableA: TABLE_A_2021, tableB: TABLE_B_2021 },
};

/**
 * Rows of 三 that are results, summed by `result_sum` into （七）总计. （六）其他处理 is either one
 * row or three sub-rows: `present` says which the report printed.
 */
export function resultRows(t: TemplateDef, present?: (rowId: string) => boolean): RowDef[] {
  const single = present ? present(SINGLE_OTHER_HANDLING) : t.id === "2019";
  return t.tableB.filter(
    (r) => !["new", "carried_over", "total", "carried_forward"].includes(r.id) && (r.group !== "other_handling" || (r.index === 0) === single),
  );
}

/** Rows a report of this template should print, given which form of （六） it used. */
export function expectedRows(t: TemplateDef, present: (rowId: string) => boolean): RowDef[] {
  const single = present(SINGLE_OTHER_HANDLING) || t.id === "2019";
  return t.tableB.filter((r) => r.group !== "other_handling" || (r.index === 0) === single);
}

const rowDef = (template: TemplateId, table: "A" | "B", rowId: string): RowDef | undefined => {
  const defs = (t: TemplateId) => (table === "A" ? TEMPLATES[t].tableA : TEMPLATES[t].tableB);
  return defs(template).find((d) => d.id === rowId) ?? defs(template === "2019" ? "2021" : "2019").find((d) => d.id === rowId);
};

const rowLabels = new Map<string, string>();

/** The official label of a row by its key (`applications.denied.third_party`, `active.rules`, `review`). */
export function rowLabel(template: TemplateId, key: string): string {
  const memo = `${template}:${key}`;
  let label = rowLabels.get(memo);
  if (label === undefined) {
    if (key === TABLE_C_ROW) label = "行政复议、行政诉讼";
    else {
      const table = key.startsWith("active.") ? "A" : "B";
      const id = key.slice(key.indexOf(".") + 1);
      label = rowDef(template, table, id)?.label ?? id;
    }
    rowLabels.set(memo, label);
  }
  return label;
}

/** The label of a cell's column (自然人, 本年制发件数, 结果维持 …). */
export function columnLabel(cellId: string): string {
  const { table, column } = cellParts(cellId);
  if (table === "B") return APPLICANT_COLUMN_LABELS[column] ?? column;
  if (table === "A") return COLUMN_LABELS[column] ?? column;
  return REVIEW_KEY_LABELS[column] ?? column;
}

/** A cell's human label: its row and its column, for display and for the synonym table. */
export function cellLabel(cellId: string, template: TemplateId = "2021"): string {
  const { table, row } = cellParts(cellId);
  if (table === "C") {
    if (!(row in REVIEW_GROUP_LABELS)) return cellId;
    return `${REVIEW_GROUP_LABELS[row]}${columnLabel(cellId)}`;
  }
  const label = rowDef(template, table, row)?.label ?? row;
  return `${label}（${columnLabel(cellId)}）`;
}

/**
 * Every cell id either template can produce, in a fixed order (table A, B of both templates,
 * then C): the cache stores a report's cells as one array in this order.
 */
export const ALL_CELLS: readonly string[] = [
  ...new Set(
    TEMPLATE_IDS.flatMap((t) => [
      ...TEMPLATES[t].tableA.flatMap((d) => rowCells("A", d)),
      ...TEMPLATES[t].tableB.flatMap((d) => rowCells("B", d)),
    ]),
  ),
  ...TABLE_C_CELLS,
];
