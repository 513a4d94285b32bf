"""Parts shared by both formats: sections 一, 五, 六 and tables 3 and 4.

Labels are the national format's, character for character (full-width brackets, Chinese quotes).
"""

from __future__ import annotations

from .model import Balance, Block, Node, Section, Table, TextField, group

OVERVIEW = Section(
    key="overview",
    title="一、总体情况",
    texts=(
        TextField(
            "overview.proactive",
            "主动公开",
            "主动公开方面：本年度主动公开了哪些信息、通过哪些渠道、有何重点和成效。",
            optional=True,
        ),
        TextField(
            "overview.requests",
            "依申请公开",
            "依申请公开方面：收到和办理申请的总体情况、办理制度和时限。",
            optional=True,
        ),
        TextField(
            "overview.management",
            "政府信息管理",
            "政府信息管理方面：信息发布审查、规范性文件清理、公开目录和指南的更新等。",
            optional=True,
        ),
        TextField(
            "overview.platforms",
            "政府信息公开平台建设",
            "政府信息公开平台建设方面：政府网站、政务新媒体、公开专区等平台的建设和管理。",
            optional=True,
        ),
        TextField(
            "overview.oversight",
            "监督保障",
            "监督保障方面：组织领导、培训、考核、社会评议和责任追究结果情况。",
            optional=True,
        ),
    ),
)

PROBLEMS = Section(
    key="problems",
    title="五、存在的主要问题及改进情况",
    texts=(
        TextField(
            "problems",
            "存在的主要问题及改进情况",
            "请先写存在的主要问题，再写改进情况和下一步打算。",
        ),
    ),
)

OTHER = Section(
    key="other",
    title="六、其他需要报告的事项",
    texts=(
        TextField(
            "other.fee",
            "信息处理费",
            "本年度是否按《政府信息公开信息处理费管理办法》收取信息处理费？",
        ),
        TextField(
            "other.matters",
            "其他事项",
            "其他需要报告的事项，如政务公开工作要点落实情况、人大代表建议和政协提案办理结果公开情况、"
            "创新做法等。没有请点「无」。",
            optional=True,
        ),
    ),
)

APPLICANT_COLUMNS = (
    group(
        "申请人情况",
        Node("自然人", "natural"),
        group(
            "法人或其他组织",
            Node("商业企业", "business"),
            Node("科研机构", "research"),
            Node("社会公益组织", "nonprofit"),
            Node("法律服务机构", "legal"),
            Node("其他", "other_org", short="其他法人或其他组织"),
        ),
        Node("总计", "total", total=True),
    ),
)

REQUESTS_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

DENIED = group(
    "（三）不予公开",
    Node("1.属于国家秘密", "denied_secret"),
    Node("2.其他法律行政法规禁止公开", "denied_law"),
    Node("3.危及“三安全一稳定”", "denied_safety"),
    Node("4.保护第三方合法权益", "denied_third_party"),
    Node("5.属于三类内部事务信息", "denied_internal"),
    Node("6.属于四类过程性信息", "denied_process"),
    Node("7.属于行政执法案卷", "denied_enforcement"),
    Node("8.属于行政查询事项", "denied_inquiry"),
)
UNAVAILABLE = group(
    "（四）无法提供",
    Node("1.本机关不掌握相关政府信息", "unavailable_not_held"),
    Node("2.没有现成信息需要另行制作", "unavailable_needs_creation"),
    Node("3.补正后申请内容仍不明确", "unavailable_unclear"),
)
REJECTED = group(
    "（五）不予处理",
    Node("1.信访举报投诉类申请", "rejected_complaint"),
    Node("2.重复申请", "rejected_repeat"),
    Node("3.要求提供公开出版物", "rejected_publication"),
    Node("4.无正当理由大量反复申请", "rejected_excessive"),
    Node("5.要求行政机关确认或重新出具已获取信息", "rejected_confirmation"),
)
OTHER_2021 = group(
    "（六）其他处理",
    Node(
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "other_no_correction",
    ),
    Node(
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "other_unpaid_fee",
    ),
    Node("3.其他", "other_other"),
)
OTHER_2019 = Node("（六）其他处理", "other")

PARTIAL_HINT = "区分处理后部分公开的申请只计入本项，不要再计入（三）至（六）的任何一项。"


def requests_table(other_results: Node) -> Table:
    """Table 3; the formats differ only in （六）其他处理."""
    results = group(
        "三、本年度办理结果",
        Node("（一）予以公开", "granted"),
        Node(
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
            "partial",
            short="部分公开",
            hint=PARTIAL_HINT,
        ),
        DENIED,
        UNAVAILABLE,
        REJECTED,
        other_results,
        Node("（七）总计", "results_total", total=True, short="办理结果总计"),
        short="本年度办理结果",
    )
    return Table(
        id="requests",
        number=3,
        title="三、收到和处理政府信息公开申请情况",
        short="表三",
        blocks=(
            Block(
                corner=REQUESTS_NOTE,
                columns=APPLICANT_COLUMNS,
                rows=(
                    Node("一、本年新收政府信息公开申请数量", "new", short="本年新收"),
                    Node("二、上年结转政府信息公开申请数量", "carried_in", short="上年结转"),
                    results,
                    Node("四、结转下年度继续办理", "carried_out", short="结转下年度"),
                ),
            ),
        ),
        balance=Balance(left=("new", "carried_in"), right=("results_total", "carried_out")),
        balance_rule=1,
        column_total_rule=2,
        row_total_rule=3,
        carry_rule=6,
    )


def _appeal_results(prefix: str) -> tuple[Node, ...]:
    return (
        Node("结果维持", f"{prefix}.upheld"),
        Node("结果纠正", f"{prefix}.corrected"),
        Node("其他结果", f"{prefix}.other"),
        Node("尚未审结", f"{prefix}.pending"),
        Node("总计", f"{prefix}.total", total=True),
    )


APPEALS = Table(
    id="appeals",
    number=4,
    title="四、政府信息公开行政复议、行政诉讼情况",
    short="表四",
    blocks=(
        Block(
            corner="",
            columns=(
                group("行政复议", *_appeal_results("review")),
                group(
                    "行政诉讼",
                    group("未经复议直接起诉", *_appeal_results("suit_direct")),
                    group("复议后起诉", *_appeal_results("suit_after_review")),
                ),
            ),
            rows=(Node(""),),
        ),
    ),
    row_total_rule=4,
)


def proactive_section() -> Section:
    return Section(key="proactive", title="二、主动公开政府信息情况", table="proactive")


def requests_section() -> Section:
    return Section(key="requests", title="三、收到和处理政府信息公开申请情况", table="requests")


def appeals_section() -> Section:
    return Section(key="appeals", title="四、政府信息公开行政复议、行政诉讼情况", table="appeals")


def figure_cells(
    normative_issued: str, normative_in_force: str
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Which cells a figure stated in the narrative must equal, by topic (rule 8)."""
    return (
        ("received", ("requests.new.total",)),
        ("carried_in", ("requests.carried_in.total",)),
        ("answered", ("requests.results_total.total",)),
        ("carried_out", ("requests.carried_out.total",)),
        ("review", ("appeals.review.total",)),
        ("suit", ("appeals.suit_direct.total", "appeals.suit_after_review.total")),
        ("normative_issued", (normative_issued,)),
        ("normative_in_force", (normative_in_force,)),
    )
