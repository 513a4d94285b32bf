"""The people one evaluator plays in the playground, each a Telegram user of their own."""

from __future__ import annotations

from dataclasses import dataclass

from . import texts as P


@dataclass(frozen=True)
class Persona:
    """One simulated Telegram user, opened in a tab of its own (``/?persona=<key>``).

    Attributes:
        key: The name in the page's address.
        user_id: The Telegram user id (and private chat id) the bot sees.
        name: The user's first name, as Telegram shows it to the bot.
        role: The part this persona usually plays in the season (a label only: the bot decides
            roles by the invitations redeemed).
        hint: What to do first, shown at the top of the chat.
    """

    key: str
    user_id: int
    name: str
    role: str
    hint: str

    @property
    def label(self) -> str:
        """ "审核人 李四"."""
        return f"{self.role} {self.name}"


# Ids far beyond those Telegram has handed out so far (under 10^10), so that a playground's
# database never names a real person; still within Telegram's 52 bits.
PERSONAS: tuple[Persona, ...] = (
    Persona("filler", 900_000_000_001, "张三", "填报人", P.HINT_FILLER),
    Persona("reviewer", 900_000_000_002, "李四", "审核人", P.HINT_REVIEWER),
    Persona("coordinator", 900_000_000_003, "王五", "协调人", P.HINT_COORDINATOR),
)
