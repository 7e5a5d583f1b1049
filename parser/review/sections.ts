/**
 * Sections 五 and 六 (domain.md §3.6): evaluators want 存在的主要问题 to name real problems, not
 * boilerplate, and section 六 to say whether 信息处理费 was charged (2021 format on).
 */
import { check, type Check, type Failure, textFailure } from "../checks.ts";
import type { SingleReview } from "./context.ts";
import { FORMAT_2021_FROM } from "./template-date.ts";

/** Words that say something falls short. */
const PROBLEM = /不够|不足|欠缺|缺乏|有待|待提高|待加强|待完善|需要?进一步|仍需|尚需|还需|滞后|不及时|不规范|不到位|不全面|不完善|不平衡|不充分|不精准|不准确|不统一|不高|不强|不深|不细|不便|偏少|较少|较弱|较低|薄弱|差距|短板|单一|参差不齐|存在问题|问题|没有|难以|未能|无法|不能|遗失|亟需|亟待|还存在|仍存在|个别/;

/** What a concrete problem is about: a channel, a document, a procedure, people or a rule. */
const CONCRETE =
  /栏目|专栏|网站|平台|页面|检索|链接|目录|指南|解读|回应|依申请|申请|答复|政策|文件|规范性文件|更新|发布|时效|公开内容|信息内容|信息发布|数据|培训|人员|队伍|专职|兼职|制度|机制|考核|新媒体|公众号|微博|微信|公开栏|标准|事项|清单|审查|保密|档案|基层|公报|意见|决策|预公开|办事|服务|人才|人手|力量|法律|专业|保存|归档/;

/** A body that says nothing: empty, 「无」, 「暂无」 or only a full stop. */
const EMPTY = /^(?:无|暂无|没有|无问题|无存在问题|本年度无|暂无存在问题)?[。.;；:：]*$/;

/** Sentences of a compact body. */
const sentences = (body: string) => body.split(/[。；;！!？?]/).filter((s) => s.length >= 4);

/**
 * 五、存在的主要问题及改进情况 that is empty, names no problem (only plans), or names problems only
 * in general words (「工作还存在一些不足」) without saying what.
 */
export function problemsCheck(body: string | null): Check {
  const failures: Failure[] = [];
  if (body !== null) {
    const text = body.replace(/^(?:及?改进)?情况/, "");
    const place = (message: string, sentence?: string): Failure => textFailure("五、存在的主要问题及改进情况", message, sentence);
    const ss = sentences(text);
    const problems = ss.filter((s) => PROBLEM.test(s));
    const said = text.replace(/[。.;；:：]+$/, "");
    if (EMPTY.test(text)) failures.push(place(`第五部分${said ? `只写了「${said}」` : "是空的"}；应写明本年政务公开工作存在的具体问题和改进措施`));
    else if (problems.length === 0) failures.push(place("第五部分没有写出存在的问题，只有措施或成绩；应写明具体问题", ss[0]));
    else if (!problems.some((s) => CONCRETE.test(s))) {
      failures.push(place("第五部分的问题只有笼统的套话，没有说明是哪方面、哪项工作的问题", problems[0]));
    }
  }
  return check("problems_boilerplate", failures, "第五部分写明了具体问题", body === null ? 0 : 1);
}

/** A fee was charged (table 二 (八), 三(六)2, or the text) but section 六 says nothing of 信息处理费. */
export function feeReportCheck(r: Pick<SingleReview, "report" | "bodies">): Check {
  const failures: Failure[] = [];
  const { report, bodies } = r;
  const six = bodies[5];
  const applies = report.year !== null && report.year >= FORMAT_2021_FROM && six !== null;
  // A section 六 that speaks of fees answers every reason: the reasons are looked for only otherwise.
  if (applies && !/处理费|收费/.test(six)) {
    const fees = report.cells["active.fees.amount"] ?? 0;
    const unpaid = report.cells["applications.other_handling.unpaid_fee.total"] ?? 0;
    const elsewhere = bodies.slice(0, 5).join("");
    const charged = elsewhere.includes("收取") ? /(?<!未|没有|不|无)收取[^。；]{0,12}信息(?:公开)?处理费[^。；]{0,12}\d/.exec(elsewhere) : null;
    const reasons = [
      fees > 0 ? `表二（八）本年收费金额 ${fees} 万元` : "",
      unpaid > 0 ? `表三（六）2 有 ${unpaid} 件因逾期未缴费不再处理` : "",
      charged ? `正文提到「${charged[0]}」` : "",
    ].filter(Boolean);
    if (reasons.length) {
      failures.push({
        row: "六、其他需要报告的事项",
        column: "",
        cells: [fees > 0 ? "active.fees.amount" : "", unpaid > 0 ? "applications.other_handling.unpaid_fee.total" : ""].filter(Boolean),
        expected: null,
        printed: null,
        message: `${reasons.join("；")}，但第六部分没有说明信息处理费的收取情况（〔2021〕30号格式要求在此报告，未收取也应写明）`,
      });
    }
  }
  return check("fee_report", failures, "第六部分已说明收费情况或无需说明", applies ? 1 : 0);
}

export function sectionsFamily(r: SingleReview): Check[] {
  return [problemsCheck(r.bodies[4]), feeReportCheck(r)];
}
