"""The memo behind the caches: a proof or a loaded ruleset is kept until it is the one used
longest ago, so that one new data set does not cost the proofs of the others."""

from __future__ import annotations

from triage.memo import Recent


def test_a_new_key_forgets_only_the_one_used_longest_ago() -> None:
    built: list[str] = []
    memo: Recent[str, str] = Recent(size=2)

    def build(key: str) -> str:
        built.append(key)
        return key.upper()

    def get(key: str) -> str:
        return memo.get(key, lambda: build(key))

    assert [get("a"), get("b"), get("a")] == ["A", "B", "A"]
    get("c")  # full: b, used longest ago, is forgotten; a stays
    assert [get("a"), get("c"), get("b")] == ["A", "C", "B"]
    assert built == ["a", "b", "c", "b"]
