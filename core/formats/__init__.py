"""Report formats as data: ``get_format("gov-2021")``, ``format_for_year(2025)``."""

from __future__ import annotations

from .gov2019 import GOV_2019
from .gov2021 import GOV_2021
from .model import Balance, Block, Cell, Format, Kind, Node, Section, Stock, Table, TextField

FORMATS: dict[str, Format] = {f.id: f for f in (GOV_2021, GOV_2019)}


class UnknownFormatError(KeyError):
    """No format has that id."""


def get_format(format_id: str) -> Format:
    """The format with this id."""
    try:
        return FORMATS[format_id]
    except KeyError:
        raise UnknownFormatError(format_id) from None


def format_for_year(year: int) -> Format:
    """The format a report on ``year`` must use (gov-2019 for 2019-2020, gov-2021 after)."""
    for f in FORMATS.values():
        if f.applies_to(year):
            return f
    raise UnknownFormatError(str(year))


__all__ = [
    "FORMATS",
    "GOV_2019",
    "GOV_2021",
    "Balance",
    "Block",
    "Cell",
    "Format",
    "Kind",
    "Node",
    "Section",
    "Stock",
    "Table",
    "TextField",
    "UnknownFormatError",
    "format_for_year",
    "get_format",
]
