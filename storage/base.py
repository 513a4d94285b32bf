"""What the feature halves of ``Store`` (invitations, reminders) rely on from ``Store`` itself."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

R = TypeVar("R")


class StorePart:
    """A mixin of ``Store``: ``Store`` provides the transactions these declare."""

    if TYPE_CHECKING:

        async def _read(self, work: Callable[[Connection], R]) -> R: ...

        async def _write(
            self,
            work: Callable[[Connection], R],
            on_conflict: Callable[[IntegrityError], Exception] = ...,
        ) -> R: ...
