"""Pure core of nianbao: report formats, rules, parsing, the interview and rendering.

Nothing in this package performs I/O, reads the environment or the clock; callers pass values in
and get values back. ``tests/core/test_purity.py`` enforces that.
"""
