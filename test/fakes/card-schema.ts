/**
 * Card JSON 2.0 as Feishu accepts it, for the elements the bot uses. Strict like Feishu: an
 * unknown property, a wrong enum value, a table inside a container, text in a number column or
 * more than 200 elements is refused (the fake answers 230099, as Feishu does).
 *
 * Sources (open.feishu.cn/document/feishu-cards/…): card-json-v2-structure (root, config,
 * header templates, 200 elements), card-json-v2-breaking-changes-release-notes (unknown
 * properties are errors; update_multi only true), card-json-v2-components/content-components/
 * table (root only, page_size 1–10, ≤ 5 per card, column fields and data_type values),
 * …/rich-text (text_size, text_align), …/containers/column-set (flex_mode, width, weight 1–5),
 * …/containers/collapsible-panel, …/interactive-components/button (type values, text ≤ 100),
 * …/content-components/chart (aspect_ratio).
 */
import { z } from "zod";

const plainText = z.strictObject({ tag: z.literal("plain_text"), content: z.string() });
const textSize = z.enum([
  "heading-0", "heading-1", "heading-2", "heading-3", "heading-4", "heading", "normal", "notation",
  "xxxx-large", "xxx-large", "xx-large", "x-large", "large", "medium", "small", "x-small",
]);
const align = z.enum(["left", "center", "right"]);
const spacing = z.union([z.enum(["small", "medium", "large", "extra_large"]), z.string().regex(/^\d{1,2}px$/)]);
/** Padding is [0,99]px, margin [-99,99]px, one to four values (column-set, collapsible-panel, rich-text). */
const padding = z.string().regex(/^\d{1,2}(px)?( \d{1,2}(px)?){0,3}$/);
const margin = z.string().regex(/^-?\d{1,2}(px)?( -?\d{1,2}(px)?){0,3}$/);
const colour = z.string().regex(/^(default|[a-z]+(-\d{2,3})?|rgba\([\d.,\s]+\))$/);

const markdown = z.strictObject({
  tag: z.literal("markdown"),
  content: z.string(),
  text_align: align.optional(),
  text_size: textSize.optional(),
  element_id: z.string().optional(),
  margin: margin.optional(),
});

const button = z.strictObject({
  tag: z.literal("button"),
  type: z.enum(["default", "primary", "danger", "text", "primary_text", "danger_text", "primary_filled", "danger_filled", "laser"]).optional(),
  size: z.enum(["tiny", "small", "medium", "large"]).optional(),
  text: z.strictObject({ tag: z.literal("plain_text"), content: z.string().max(100) }),
  disabled: z.boolean().optional(),
  behaviors: z.array(z.strictObject({ type: z.literal("callback"), value: z.record(z.string(), z.unknown()) })).min(1),
});

const chart = z.strictObject({
  tag: z.literal("chart"),
  aspect_ratio: z.enum(["1:1", "2:1", "4:3", "16:9"]).optional(),
  color_theme: z.enum(["brand", "rainbow", "complementary", "converse", "primary"]).optional(),
  chart_spec: z.record(z.string(), z.unknown()),
  preview: z.boolean().optional(),
});

const dataType = z.enum(["text", "lark_md", "options", "number", "persons", "date", "markdown"]);
const table = z
  .strictObject({
    tag: z.literal("table"),
    page_size: z.number().int().min(1).max(10).optional(),
    row_height: z.union([z.enum(["low", "middle", "high", "auto"]), z.string().regex(/^\d{2,3}px$/)]).optional(),
    freeze_first_column: z.boolean().optional(),
    header_style: z
      .strictObject({
        text_align: align.optional(),
        text_size: z.enum(["normal", "heading"]).optional(),
        background_style: z.enum(["grey", "none"]).optional(),
        text_color: z.enum(["default", "grey"]).optional(),
        bold: z.boolean().optional(),
        lines: z.number().int().min(1).optional(),
      })
      .optional(),
    columns: z
      .array(
        z.strictObject({
          name: z.string().min(1),
          display_name: z.string().optional(),
          // auto, [80,600]px or a percentage (content-components/table).
          width: z
            .union([z.literal("auto"), z.string().regex(/^\d{2,3}px$/).refine((w) => parseInt(w) >= 80 && parseInt(w) <= 600), z.string().regex(/^([1-9]\d?|100)%$/)])
            .optional(),
          data_type: dataType,
          horizontal_align: align.optional(),
          vertical_align: z.enum(["top", "center", "bottom"]).optional(),
          format: z.strictObject({ precision: z.number().int().min(0).max(10).optional(), symbol: z.string().max(1).optional(), separator: z.boolean().optional() }).optional(),
        }),
      )
      .min(1)
      .max(50),
    rows: z.array(z.record(z.string(), z.unknown())),
  })
  .superRefine((t, ctx) => {
    const types = new Map(t.columns.map((c) => [c.name, c.data_type]));
    t.rows.forEach((row, i) => {
      for (const [k, v] of Object.entries(row)) {
        const type = types.get(k);
        if (!type) ctx.addIssue({ code: "custom", message: `rows[${i}].${k}: no column of that name` });
        else if (type === "number" && typeof v !== "number") ctx.addIssue({ code: "custom", message: `rows[${i}].${k}: number column holds ${JSON.stringify(v)}` });
        else if ((type === "text" || type === "lark_md" || type === "markdown") && typeof v !== "string" && typeof v !== "number")
          ctx.addIssue({ code: "custom", message: `rows[${i}].${k}: text column holds ${typeof v}` });
      }
    });
  });

type Nested = z.infer<typeof markdown> | z.infer<typeof button> | z.infer<typeof chart> | { tag: "column_set" | "collapsible_panel" | "hr" };

/** Elements allowed inside containers: anything but a table (it lives at the root only). */
const nested: z.ZodType<Nested> = z.lazy(() => z.discriminatedUnion("tag", [markdown, button, chart, columnSet, collapsible, hr]));

const column = z.strictObject({
  tag: z.literal("column"),
  width: z.union([z.enum(["auto", "weighted"]), z.string().regex(/^\d{2,3}px$/)]).optional(),
  weight: z.number().int().min(1).max(5).optional(),
  background_style: colour.optional(),
  padding: padding.optional(),
  vertical_align: z.enum(["top", "center", "bottom"]).optional(),
  vertical_spacing: spacing.optional(),
  horizontal_align: align.optional(),
  elements: z.array(nested),
});

const columnSet = z.strictObject({
  tag: z.literal("column_set"),
  flex_mode: z.enum(["none", "stretch", "flow", "bisect", "trisect"]).optional(),
  horizontal_spacing: spacing.optional(),
  horizontal_align: align.optional(),
  background_style: colour.optional(),
  margin: margin.optional(),
  columns: z.array(column),
});

const collapsible = z.strictObject({
  tag: z.literal("collapsible_panel"),
  expanded: z.boolean().optional(),
  background_color: colour.optional(),
  header: z.strictObject({ title: z.union([plainText, z.strictObject({ tag: z.literal("markdown"), content: z.string() })]), background_color: colour.optional() }),
  border: z.strictObject({ color: colour.optional(), corner_radius: z.string().optional() }).optional(),
  vertical_spacing: spacing.optional(),
  padding: padding.optional(),
  elements: z.array(nested),
});

const hr = z.strictObject({ tag: z.literal("hr") });

const rootElement = z.union([table, nested]);

export const card2 = z.strictObject({
  schema: z.literal("2.0"),
  config: z
    .strictObject({
      update_multi: z.literal(true).optional(),
      summary: z.strictObject({ content: z.string() }).optional(),
      enable_forward: z.boolean().optional(),
      width_mode: z.enum(["default", "compact", "fill"]).optional(),
    })
    .optional(),
  header: z
    .strictObject({
      title: plainText,
      subtitle: plainText.optional(),
      template: z.enum(["blue", "wathet", "turquoise", "green", "yellow", "orange", "red", "carmine", "violet", "purple", "indigo", "grey", "default"]).optional(),
    })
    .optional(),
  body: z.strictObject({ elements: z.array(rootElement) }),
});

/**
 * What a card.action.trigger response may hold (feishu-cards/card-callback-communication, 响应回调):
 * nothing (`{}`), a toast of one of four types, and/or a card to replace the clicked one — raw
 * JSON 2.0, or a template.
 */
export const callbackResponse = z.strictObject({
  toast: z
    .strictObject({
      type: z.enum(["info", "success", "error", "warning"]),
      content: z.string().min(1),
      i18n: z.record(z.string(), z.string()).optional(),
    })
    .optional(),
  card: z
    .union([
      z.strictObject({ type: z.literal("raw"), data: card2 }),
      z.strictObject({ type: z.literal("template"), data: z.strictObject({ template_id: z.string(), template_version_name: z.string().optional(), template_variable: z.record(z.string(), z.unknown()).optional() }) }),
    ])
    .optional(),
});

/** Elements and components, counted recursively (plain_text objects included, as Feishu counts them). */
function countElements(node: unknown): number {
  if (Array.isArray(node)) return node.reduce((n: number, x) => n + countElements(x), 0);
  if (!node || typeof node !== "object") return 0;
  const o = node as Record<string, unknown>;
  let n = typeof o.tag === "string" ? 1 : 0;
  for (const [k, v] of Object.entries(o)) if (k !== "rows" && k !== "chart_spec" && k !== "behaviors") n += countElements(v);
  return n;
}

/** Problems Feishu would report for this card, or [] if it renders. */
export function cardProblems(card: unknown): string[] {
  const r = card2.safeParse(card);
  const problems = r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  const elements = (card as { body?: { elements?: { tag?: string }[] } })?.body?.elements ?? [];
  if (elements.filter((e) => e?.tag === "table").length > 5) problems.push("more than 5 tables in one card");
  const n = countElements(card);
  if (n > 200) problems.push(`${n} elements; a 2.0 card holds at most 200 (ErrCode 300305)`);
  return problems;
}
