"""The format of 国办公开办函〔2019〕60号, for the reports on 2019 and 2020."""

from __future__ import annotations

from . import common
from .model import Block, Format, Kind, Node, Table


def _items(*extra: Node) -> tuple[Node, ...]:
    return (
        Node("上一年项目数量", "previous", short="上一年项目数量"),
        Node("本年增/减", "change", kind=Kind.SIGNED, short="本年增/减"),
        *extra,
    )


DECISIONS = Node("处理决定数量", "decisions")

PROACTIVE = Table(
    id="proactive",
    number=2,
    title="二、主动公开政府信息情况",
    short="表二",
    blocks=(
        Block(
            caption="第二十条第（一）项",
            corner="信息内容",
            columns=(
                Node("本年新制作数量", "made"),
                Node("本年新公开数量", "published"),
                Node("对外公开总数量", "total"),
            ),
            rows=(Node("规章", "rules"), Node("规范性文件", "normative")),
        ),
        Block(
            caption="第二十条第（五）项",
            corner="信息内容",
            columns=_items(DECISIONS),
            rows=(Node("行政许可", "licensing"), Node("其他对外管理服务事项", "other_services")),
        ),
        Block(
            caption="第二十条第（六）项",
            corner="信息内容",
            columns=_items(DECISIONS),
            rows=(Node("行政处罚", "penalty"), Node("行政强制", "coercion")),
        ),
        Block(
            caption="第二十条第（八）项",
            corner="信息内容",
            columns=_items(),
            rows=(Node("行政事业性收费", "fees"),),
        ),
        Block(
            caption="第二十条第（九）项",
            corner="信息内容",
            columns=(
                Node("采购项目数量", "projects"),
                Node("采购总金额", "amount", kind=Kind.AMOUNT, unit="元"),
            ),
            rows=(Node("政府集中采购", "procurement"),),
        ),
    ),
)

GOV_2019 = Format(
    id="gov-2019",
    name="2019年格式",
    document="国办公开办函〔2019〕60号",
    first_year=2019,
    last_year=2020,
    sections=(
        common.OVERVIEW,
        common.proactive_section(),
        common.requests_section(),
        common.appeals_section(),
        common.PROBLEMS,
        common.OTHER,
    ),
    figures=common.figure_cells("proactive.normative.made", "proactive.normative.total"),
    tables=(PROACTIVE, common.requests_table(common.OTHER_2019), common.APPEALS),
)
