"""Which questions the walk reaches, given the answers so far.

One definition for the interactive walk and the scripted assessment: groups in order, a
question only when its `ask_when` holds on the answers before it. After a group the walk
can end early:

- the emergency stop: the group's `stop_on` value was given (a `yes` on the emergency
  screen);
- the settled stop: from the end of the questionnaire's `settled_stop_from` group on, the
  advice is settled (rules.settled): certain at the settled-stop disposition or more
  urgent, whatever the questions not yet asked would be answered.

Both stops are decided at the end of a group, never inside one, so that the scripted and
the interactive walk stop at the same place.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from triage.answers import missing_message
from triage.conditions import Kills, best_case
from triage.errors import MissingAnswers
from triage.memo import PerObject
from triage.model import Always, Group, Ruleset, Truth, Value
from triage.rules import engine


class Reach(NamedTuple):
    """The questions the walk reaches, those of them still unanswered, and an early stop.

    `answers` are the answers of the questions reached (defaults included), in walk order;
    `after_stop` the questions of the groups after an early stop (see not_asked).
    """

    reached: tuple[str, ...]
    missing: tuple[str, ...]
    stopped: bool
    answers: Mapping[str, Value]
    after_stop: frozenset[str] = frozenset()
    open_at_stop: tuple[str, ...] = ()
    """At a stop on a group's `stop_on` value: that group's questions left without an
    answer (a tick with "I am not sure" on the emergency screen leaves them open)."""
    kills: Kills | None = None
    """The clauses of the engine's table that `answers` break (table.kills of them), for
    `rules.decide`; None where the walk ended before its last group without a stop."""


def reach(ruleset: Ruleset, answers: Mapping[str, Value], *, certain: bool = True) -> Reach:
    """Walk the questionnaire on these answers, as far as they go.

    Where a missing answer leaves open whether the walk stops after its group, the walk
    goes no further when `certain`: the questions after it are not certainly needed.
    Without `certain`, it goes on as if the missing answers stopped nothing (the most
    the walk can still ask, for the interactive walk's progress line).

    The walk keeps the clauses of the engine's table its answers break (rules.Engine):
    each answer adds its own, a question passed over (its `ask_when` FALSE) breaks every
    clause that tests it, and a missing one breaks them for the `ask_when` of the questions
    after it but not for the settled stop (it could still be answered anything).
    """
    compiled = engine(ruleset)
    given = {**ruleset.questionnaire.defaults, **answers}
    reached: list[str] = []
    missing: list[str] = []
    done: dict[str, Value] = {}  # the answers of the questions reached so far
    true = maybe = unanswered = 0  # the broken clauses (see Kills), those of the missing
    for step in _steps(ruleset):
        start = len(reached)
        for question_id, asked_when, needs, kills_of in step.questions:
            # A condition looks only at earlier questions: at the answers walked so far.
            if asked_when is not None and asked_when & (maybe | unanswered) == asked_when:
                true |= needs
                maybe |= needs
                continue
            reached.append(question_id)
            value = given.get(question_id)
            if value is None:
                missing.append(question_id)
                unanswered |= needs
            else:
                done[question_id] = value
                if needs:
                    broken = kills_of.get(value) or compiled.table.kill(question_id, value)
                    true |= broken[0]
                    maybe |= broken[1]
        group = step.group
        after = unanswered | step.later_needs  # broken until those questions are answered
        if group.stop_on is not None and any(done.get(q) == group.stop_on for q in reached[start:]):
            kept = reached[:start] + [q for q in reached[start:] if q in done]
            kept_missing = tuple(q for q in missing if q in kept)
            open_here = tuple(q for q in reached[start:] if q not in done)
            final = Kills(true | after, maybe | after)
            return Reach(tuple(kept), kept_missing, True, done, step.later, open_here, final)
        if not step.settling or not step.later:
            continue
        pending = step.later.union(missing) if missing else step.later
        if compiled.settles(done, Kills(true, maybe), after, pending):
            final = Kills(true | after, maybe | after)
            return Reach(tuple(reached), tuple(missing), True, done, step.later, (), final)
        if certain and missing:
            later = Kills(true | step.later_needs, maybe | step.later_needs)
            if compiled.could_fire_above(done, later, frozenset(missing), compiled.settle_at + 1):
                # whether the walk goes on depends on an answer not given
                return Reach(tuple(reached), tuple(missing), False, done)
    final = Kills(true | unanswered, maybe | unanswered)
    return Reach(tuple(reached), tuple(missing), False, done, kills=final)


def not_asked(ruleset: Ruleset, walk: Reach, answers: Mapping[str, Value]) -> tuple[str, ...]:
    """The questions the walk would have gone on to after an early stop (those that could
    still be asked), after those of the stopping group left open: shown as "not asked",
    never read as "no"."""
    later = walk.after_stop
    return walk.open_at_stop + tuple(
        q.id
        for q in ruleset.questionnaire.questions
        if q.id in later and best_case(q.ask_when, answers, later) is not Truth.FALSE
    )


class _Step(NamedTuple):
    """A group as the walk goes through it: each question with the bits of its `ask_when`
    in the engine's table (None: always asked), the bits of the clauses that test it, and
    the clauses each of its answers breaks (Table.broken); the ids of every question after
    the group and the clauses that test them; whether the settled stop is looked at after
    it."""

    group: Group
    questions: tuple[tuple[str, int | None, int, Mapping[Value, Kills]], ...]
    later: frozenset[str]
    later_needs: int
    settling: bool


def _group_steps(ruleset: Ruleset) -> list[_Step]:
    questionnaire = ruleset.questionnaire
    table = engine(ruleset).table
    steps = []
    settling = False
    for group in questionnaire.groups:
        questions = tuple(
            (
                q.id,
                None if isinstance(q.ask_when, Always) else table.mask(q.ask_when),
                table.needs.get(q.id, 0),
                table.broken.get(q.id, {}),
            )
            for q in group.questions
        )
        later = frozenset(q.id for g in questionnaire.groups_after(group.id) for q in g.questions)
        settling = settling or group.id == questionnaire.settled_stop_from
        steps.append(_Step(group, questions, later, table.testing(later), settling))
    return steps


_steps: PerObject[Ruleset, list[_Step]] = PerObject(_group_steps, size=8)


def walked(ruleset: Ruleset, answers: Mapping[str, Value]) -> tuple[Reach, dict[str, Value]]:
    """The walk on complete answers, and the answers to the questions it reaches, in the
    questionnaire's order, with the defaults of questions that have one.

    MissingAnswers (an AnswersError) when the walk reaches a question without an answer.
    """
    walk = reach(ruleset, answers)
    if walk.missing:
        raise MissingAnswers(_missing(ruleset, answers, walk.missing), walk.missing)
    return walk, dict(walk.answers)


def _missing(ruleset: Ruleset, answers: Mapping[str, Value], missing: tuple[str, ...]) -> str:
    """The missing answers' message; for an older answers file (every missing answer is a
    question added in this version), also the other new questions the walk probably
    reaches, so that one round of additions is usually enough."""
    questionnaire = ruleset.questionnaire
    added = questionnaire.new_questions
    if not added or not set(missing) <= added:
        return missing_message(missing)
    # Certainly needed: the missing answers of the first group that lacks one (an answer
    # there may end the walk); the rest, and what the walk then reaches, probably.
    first_group = questionnaire.question(missing[0]).group
    certain = [q for q in missing if questionnaire.question(q).group == first_group]
    filled = {**answers, **{q: _quiet_value(ruleset, q) for q in missing}}
    probably = [
        q
        for q in reach(ruleset, filled, certain=False).reached
        if q in added and q not in answers and q not in certain
    ]
    return missing_message(certain, new_in_version=questionnaire.version, probably=probably)


def _quiet_value(ruleset: Ruleset, question_id: str) -> Value:
    """An answer that ends nothing: `no` for a yes/no question, else its first value."""
    kind = ruleset.questionnaire.question(question_id).kind
    if kind.is_number:
        return kind.minimum
    return "no" if "no" in kind.values else kind.values[0]


class Screen(NamedTuple):
    """What the interactive walk shows next: one question, or a tick list of yes/no
    questions; `screen` is the named screen it belongs to (None: its group's own)."""

    group: str
    questions: tuple[str, ...]
    checklist: bool
    screen: str | None = None


def screens_ahead(ruleset: Ruleset, answers: Mapping[str, Value]) -> list[Screen]:
    """The screens the walk shows from here, as far as the answers so far tell; [] when done.

    Consecutive unanswered questions of one group share a screen when they have the same
    `screen` id, or, without one, when they are yes/no questions of a checklist group.
    Questions with a default are still asked: the default is for scripted input only.
    """
    questionnaire = ruleset.questionnaire
    walk = reach(ruleset, answers, certain=False)
    unanswered = [q for q in walk.reached if q not in answers]
    if walk.stopped and not unanswered:
        return []
    checklists = {g.id for g in questionnaire.groups if g.checklist}
    screens: list[Screen] = []
    for question_id in unanswered:
        question = questionnaire.question(question_id)
        yes_no = question.kind.is_yes_no
        together = question.screen is not None or (question.group in checklists and yes_no)
        last = screens[-1] if screens else None
        # Without a screen id, only yes/no questions of a checklist group share a screen:
        # a question of another kind (side, duration) stands alone.
        joins = last is not None and (last.screen is not None or last.checklist)
        same = last is not None and (last.group, last.screen) == (question.group, question.screen)
        if last and together and joins and same:
            ticks = last.checklist and yes_no
            screens[-1] = Screen(last.group, (*last.questions, question_id), ticks, last.screen)
        else:
            ticks = yes_no and together
            screens.append(Screen(question.group, (question_id,), ticks, question.screen))
    # One question is no tick list; a screen that mixes kinds (checklist False) is asked
    # one question at a time, under the screen's title.
    return [s if len(s.questions) > 1 else s._replace(checklist=False) for s in screens]


def part(ruleset: Ruleset, group: str) -> tuple[int, int]:
    """Which part of the walk a group is (from 1), and how many parts there are: the
    questionnaire's groups, in their fixed order."""
    ids = [g.id for g in ruleset.questionnaire.groups]
    return ids.index(group) + 1, len(ids)
