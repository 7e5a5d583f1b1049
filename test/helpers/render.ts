/**
 * Renders a report from the canonical model back to text, in the layouts real reports come
 * in. Used by tests (feature-by-feature fixtures) and by the synthetic corpus generator.
 */
import { APPLICANT_COLUMNS, TABLE_C_CELLS, TEMPLATES, type TemplateId } from "../../parser/template.ts";

export type Layout = "tsv" | "lines" | "pipes" | "glued" | "html";

export interface ReportSpec {
  organ: string;
  year: number;
  template?: TemplateId;
  /** Cell values; missing B/C cells are 0, missing A cells are 0. */
  cells?: Record<string, number>;
  /** Printed text that replaces a cell's number (e.g. "增1", "/", "123.5元"). */
  printed?: Record<string, string>;
  /** Sentence of 总体情况 stating the number of applications, if any. */
  claim?: number;
  layout?: Layout;
  published?: string;
  /** Rows of table B to leave out (as a cut-off table does). */
  dropRows?: string[];
  /** Paragraphs of 总体情况 after its first sentence. */
  prose?: string[];
  /** The text of sections 五 and 六. */
  five?: string;
  six?: string;
}

/** A report that satisfies every rule: new applications `n` all granted to natural persons. */
export function balancedCells(n: number, template: TemplateId = "2021"): Record<string, number> {
  const cells: Record<string, number> = {};
  for (const def of TEMPLATES[template].tableB) for (const c of APPLICANT_COLUMNS) cells[`applications.${def.id}.${c}`] = 0;
  for (const row of ["new", "granted", "total"]) {
    cells[`applications.${row}.natural_person`] = n;
    cells[`applications.${row}.total`] = n;
  }
  for (const id of TABLE_C_CELLS) cells[id] = 0;
  return cells;
}

function rowText(label: string, values: string[], layout: Layout): string {
  switch (layout) {
    case "tsv":
      return [label, ...values].join("\t");
    case "lines":
      return [label, ...values].join("\n");
    case "pipes":
      return `| ${[label, ...values].join(" | ")} |`;
    case "glued":
      return `${label}${values.join("")}`;
    case "html":
      return `<tr><td>${label}</td>${values.map((v) => `<td>${v === "" ? "&nbsp;" : v}</td>`).join("")}</tr>`;
  }
}

export function renderReport(spec: ReportSpec): string {
  const template = spec.template ?? "2021";
  const layout = spec.layout ?? "tsv";
  const t = TEMPLATES[template];
  const cells = { ...balancedCells(0, template), ...spec.cells };
  const val = (id: string) => spec.printed?.[id] ?? String(cells[id] ?? 0);
  const rows = (lines: string[]) => (layout === "html" ? `<table>${lines.join("")}</table>` : lines.join(layout === "glued" ? " " : "\n"));
  const tableA = rows(
    t.tableA.map((d) => rowText(d.label, d.columns.map((c) => val(`active.${d.id}.${c}`)), layout)),
  );
  const header =
    template === "2021" ? "信息内容\t本年制发件数\t本年废止件数\t现行有效件数" : "信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量";
  const tableB = rows(
    t.tableB
      .filter((d) => !spec.dropRows?.includes(d.id))
      .map((d) => rowText(d.label, APPLICANT_COLUMNS.map((c) => val(`applications.${d.id}.${c}`)), layout)),
  );
  const tableC = rows([rowText("", TABLE_C_CELLS.map(val), layout)]);
  const p = (s: string) => (layout === "html" ? `<p>${s}</p>` : s);
  const body = [
    p(`${spec.organ}${spec.year}年政府信息公开工作年度报告`),
    p(`本报告所列数据统计期限自${spec.year}年1月1日至${spec.year}年12月31日。`),
    p("一、总体情况"),
    p(`${spec.year}年，${spec.organ}深入推进政务公开。${spec.claim !== undefined ? `全年共收到政府信息公开申请${spec.claim}件。` : ""}`),
    ...(spec.prose ?? []).map(p),
    p("二、主动公开政府信息情况"),
    p("第二十条第（一）项"),
    p(header),
    tableA,
    p("三、收到和处理政府信息公开申请情况"),
    p("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t申请人情况"),
    p("自然人\t法人或其他组织\t总计"),
    p("商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他"),
    tableB,
    p("四、政府信息公开行政复议、行政诉讼情况"),
    p("行政复议\t行政诉讼"),
    p("结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t复议后起诉"),
    tableC,
    p("五、存在的主要问题及改进情况"),
    p(spec.five ?? "公开内容的全面性有待提高。"),
    p("六、其他需要报告的事项"),
    p(spec.six ?? "无。"),
    p(spec.organ),
    p(spec.published ?? `${spec.year + 1}年1月20日`),
  ];
  const text = body.join("\n\n");
  return layout === "html" ? `<html><body>${text}</body></html>` : text;
}
