"""The format of 国办公开办函〔2021〕30号, for reports on 2021 and later years."""

from __future__ import annotations

from . import common
from .model import Block, Format, Kind, Node, Stock, Table

DECISIONS = "本年处理决定数量"

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
                Node("本年制发件数", "issued", short="本年制发"),
                Node("本年废止件数", "repealed", short="本年废止"),
                Node("现行有效件数", "in_force", short="现行有效"),
            ),
            rows=(Node("规章", "rules"), Node("行政规范性文件", "normative")),
        ),
        Block(
            caption="第二十条第（五）项",
            corner="信息内容",
            columns=(Node(DECISIONS, "decisions", span=3),),
            rows=(Node("行政许可", "licensing"),),
        ),
        Block(
            caption="第二十条第（六）项",
            corner="信息内容",
            columns=(Node(DECISIONS, "decisions", span=3),),
            rows=(Node("行政处罚", "penalty"), Node("行政强制", "coercion")),
        ),
        Block(
            caption="第二十条第（八）项",
            corner="信息内容",
            columns=(
                Node(
                    "本年收费金额（单位：万元）",
                    "amount",
                    span=3,
                    kind=Kind.AMOUNT,
                    unit="万元",
                    short="本年收费金额",
                ),
            ),
            rows=(Node("行政事业性收费", "fees"),),
        ),
    ),
    stocks=(Stock(stock="in_force", inflow="issued", outflow="repealed"),),
)

GOV_2021 = Format(
    id="gov-2021",
    name="2021年起格式",
    document="国办公开办函〔2021〕30号",
    first_year=2021,
    last_year=None,
    sections=(
        common.OVERVIEW,
        common.proactive_section(),
        common.requests_section(),
        common.appeals_section(),
        common.PROBLEMS,
        common.OTHER,
    ),
    figures=common.figure_cells("proactive.normative.issued", "proactive.normative.in_force"),
    tables=(PROACTIVE, common.requests_table(common.OTHER_2021), common.APPEALS),
)
