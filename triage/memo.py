"""Work done once per object: plans and evaluators kept by the identity of what they serve."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class PerObject(Generic[K, V]):
    """Calls `build` once per object (by identity, so unhashable or costly-to-hash objects
    work); keeps at most `size` results, forgetting all when full."""

    def __init__(self, build: Callable[[K], V], size: int) -> None:
        self.build = build
        self.size = size
        self.kept: dict[int, tuple[K, V]] = {}

    def __call__(self, key: K) -> V:
        kept = self.kept.get(id(key))
        if kept is None or kept[0] is not key:
            if len(self.kept) >= self.size:
                self.kept.clear()
            kept = self.kept[id(key)] = (key, self.build(key))
        return kept[1]
