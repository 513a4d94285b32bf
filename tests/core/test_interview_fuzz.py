"""Whatever a person types or presses, the interview answers within Telegram's limits."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.answers import from_json, to_json
from core.interview import Command, Press, Text, new_state, start, step

NASTY = [
    "",
    " ",
    "1e309",
    "--5",
    "9999999999999999999",
    "NaN",
    "'; DROP TABLE reports; --",
    "<b>12</b>",
    "*12*",
    "\u202e12",
    "1\u200b2",
    "１２３",
    "增12",
    "12.5万元",
    "0",
    "一百零三",
    "3 4 5 6 7 8",
    "自然人3 其他1",
    "😀" * 10,
    "x" * 5000,
    "\x00\x07",
]

actions = st.one_of(
    st.builds(Text, st.sampled_from(NASTY) | st.text(max_size=60)),
    st.builds(
        Command,
        st.sampled_from(["back", "skip", "status", "edit", "review", "x"]),
        st.sampled_from(["", "表三", "不予公开", "😀"]),
    ),
    st.builds(Press, st.text(max_size=70)),
    st.just("button"),  # press one of the buttons on screen
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(script=st.lists(st.tuples(actions, st.integers(0, 20)), max_size=40))
def test_random_sessions_never_crash(script: list[tuple[object, int]]) -> None:
    state = new_state(date(2026, 1, 10))
    state, replies = start(state)
    for action, pick in script:
        if action == "button":
            buttons = [b for r in replies for row in r.buttons for b in row]
            if not buttons:
                continue
            action = Press(buttons[pick % len(buttons)].data)
        assert isinstance(action, Text | Press | Command)
        state, replies = step(state, action)
        assert replies
        for r in replies:
            assert 1 <= len(r.text) <= 4096
            for row in r.buttons:
                assert row
                for b in row:
                    assert 1 <= len(b.data.encode()) <= 64 and 1 <= len(b.label) <= 40
    assert from_json(to_json(state.answers)) is not None
