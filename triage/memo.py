"""Work done once: results kept by key, at most a few of them.

One memo serves every cache of the package: `Recent` by a key's value (a ruleset by the
hash of its files, a proof by the ruleset and the properties asked), `PerObject` by an
object's identity (a condition's table).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")
V = TypeVar("V")


class Recent(Generic[K, V]):
    """The results of at most `size` keys; when full, the one used longest ago is
    forgotten (a proof costs seconds: one new key must not cost the others)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.kept: dict[K, V] = {}  # in the order of use, the latest last

    def get(self, key: K, build: Callable[[], V]) -> V:
        """The result kept for `key`, or `build()`'s, kept."""
        if key in self.kept:
            value = self.kept.pop(key)
        else:
            value = build()
            if len(self.kept) >= self.size:
                del self.kept[next(iter(self.kept))]
        self.kept[key] = value
        return value


class PerObject(Generic[T, V]):
    """Calls `build` once per object (by identity, so unhashable or costly-to-hash objects
    work); keeps at most `size` results, forgetting all when full. (Not a Recent by id:
    this one is on the engine's hot path, and checks that the id is still the object's.)"""

    def __init__(self, build: Callable[[T], V], size: int) -> None:
        self.build = build
        self.size = size
        self.kept: dict[int, tuple[T, V]] = {}

    def __call__(self, key: T) -> V:
        kept = self.kept.get(id(key))
        if kept is None or kept[0] is not key:
            if len(self.kept) >= self.size:
                self.kept.clear()
            kept = self.kept[id(key)] = (key, self.build(key))
        return kept[1]
