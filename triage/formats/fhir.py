"""FHIR R4: the questionnaire as a Questionnaire, an assessment as a QuestionnaireResponse.

The disposition travels in an extension of the QuestionnaireResponse
(`DISPOSITION_EXTENSION`, a valueCoding in `DISPOSITION_SYSTEM`), with one extension per
fired rule (`RULE_EXTENSION`) and the ruleset's version and SHA-256 (`RULESET_EXTENSION`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence

from triage import __version__
from triage.answers import shown_value
from triage.errors import AnswersError, TriageError
from triage.model import (
    UNKNOWN,
    AllOf,
    Always,
    AnswerTest,
    AnyOf,
    Assessment,
    Condition,
    Group,
    Language,
    Question,
    Questionnaire,
    Ruleset,
    Texts,
    Value,
)

QUESTIONNAIRE_URL = "urn:triage:fhir:Questionnaire:hip-pain"
VALUE_SYSTEM = "urn:triage:fhir:CodeSystem:answer-values"
DISPOSITION_SYSTEM = "urn:triage:fhir:CodeSystem:disposition"
DISPOSITION_EXTENSION = "urn:triage:fhir:StructureDefinition:disposition"
RULE_EXTENSION = "urn:triage:fhir:StructureDefinition:fired-rule"
RULESET_EXTENSION = "urn:triage:fhir:StructureDefinition:ruleset"
GROUP_SYSTEM = "urn:triage:fhir:CodeSystem:groups"
_MIN = "http://hl7.org/fhir/StructureDefinition/minValue"
_MAX = "http://hl7.org/fhir/StructureDefinition/maxValue"


SETTLED_ITEM = "triage-settled-stop"
"""The linkId of the read-only item that says after which group the walk ended at the
settled stop (a code: the group's id): the groups after it are enabled only without that
answer (a form a person fills in never sets it, so there every question of the full walk
is asked)."""
_HELP = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"


def questionnaire(ruleset: Ruleset, language: Language) -> dict[str, object]:
    """The questionnaire as a FHIR R4 Questionnaire: a group item per group (linkId the
    group id) holding its questions (linkId the question id), each with its why-text as a
    help item; enableWhen follows the walk, both early stops included."""
    texts = ruleset.texts[language]
    questions = ruleset.questionnaire
    return {
        "resourceType": "Questionnaire",
        "id": "triage-hip-pain",
        "url": QUESTIONNAIRE_URL,
        "version": ruleset.info.version,
        "name": "TriageHipPain",
        "title": texts("ui.title"),
        "status": "draft",
        "language": language.value,
        "description": texts("ui.disclaimer"),
        "item": [
            {
                "linkId": SETTLED_ITEM,
                "type": "choice",
                "readOnly": True,
                "required": False,
                "text": texts("terms.settled_item"),
                "answerOption": [
                    {"valueCoding": {"system": GROUP_SYSTEM, "code": g}}
                    for g in _settling_groups(questions)
                ],
            },
            *(_group_item(g, texts, questions) for g in questions.groups),
        ],
    }


def _settling_groups(questions: Questionnaire) -> list[str]:
    """The groups after which the walk may end at the settled stop."""
    ids = [g.id for g in questions.groups]
    start = questions.settled_stop_from
    return ids[ids.index(start) : -1] if start is not None else []


def _group_item(group: Group, texts: Texts, questions: Questionnaire) -> dict[str, object]:
    intro = texts(f"group.{group.id}.intro")
    items: list[object] = (
        [{"linkId": f"{group.id}-intro", "type": "display", "text": intro}] if intro else []
    )
    items += [question_item(q, texts, questions) for q in group.questions]
    item: dict[str, object] = {
        "linkId": group.id,
        "type": "group",
        "text": texts(f"group.{group.id}.title"),
        "required": True,
        "item": items,
    }
    enable_when = _stops_before(group, questions)
    if enable_when:
        item["enableWhen"] = enable_when
        item["enableBehavior"] = "all"
    return item


def _stops_before(group: Group, questions: Questionnaire) -> list[object]:
    """enableWhen entries for the early stops before a group: no earlier stop group's
    value was given, and the walk did not end at the settled stop."""
    entries: list[object] = []
    settling = _settling_groups(questions)
    for earlier in questions.groups:
        if earlier.id == group.id:
            break
        if earlier.stop_on is not None:
            entries += _not_answered(earlier.stop_on, earlier.questions)
        if earlier.id in settling:
            entries.append(
                {
                    "question": SETTLED_ITEM,
                    "operator": "!=",
                    "answerCoding": {"system": GROUP_SYSTEM, "code": earlier.id},
                }
            )
    return entries


def _not_answered(value: str, questions: Sequence[Question]) -> list[object]:
    return [
        {
            "question": q.id,
            "operator": "!=",
            "answerCoding": {"system": VALUE_SYSTEM, "code": value},
        }
        for q in questions
        if value in q.kind.values
    ]


def question_item(question: Question, texts: Texts, questions: Questionnaire) -> dict[str, object]:
    """One question as a Questionnaire item; TriageError when its condition cannot be
    written as enableWhen."""
    kind = question.kind
    item: dict[str, object] = {
        "linkId": question.id,
        "text": texts(f"question.{question.id}.text"),
        "required": True,
    }
    if kind.is_number:
        item["type"] = "integer"
        item["extension"] = [
            {"url": _MIN, "valueInteger": kind.minimum},
            {"url": _MAX, "valueInteger": kind.maximum},
        ]
    else:
        item["type"] = "choice"
        item["answerOption"] = [{"valueCoding": _coding(question, v, texts)} for v in kind.values]
    item["item"] = [_help(question, texts)]
    group = next(g for g in questions.groups if g.id == question.group)
    if isinstance(question.ask_when, AnyOf):
        item["enableWhen"] = _enable_when_any(question, question.ask_when, questions)
        item["enableBehavior"] = "any"
        return item
    enable_when: list[object] = []
    if group.stop_on is not None:
        # A stop group is a checklist shown whole: every sign it holds may be ticked, and
        # each one ticked is kept (no sibling disables another: with mutual enableWhen,
        # form engines kept one `yes` of two, each a different one). An unticked sign
        # may be left out, so none is required; a stop answer disables the later groups.
        item["required"] = False
    if not isinstance(question.ask_when, Always):
        enable_when += _enable_when(question, question.ask_when, questions)
    if enable_when:
        item["enableWhen"] = enable_when
        item["enableBehavior"] = "all"
    return item


def _help(question: Question, texts: Texts) -> dict[str, object]:
    """The why-text, as a help item (shown behind a help button by form fillers)."""
    return {
        "linkId": f"{question.id}-help",
        "type": "display",
        "text": texts(f"question.{question.id}.why"),
        "extension": [
            {
                "url": _HELP,
                "valueCodeableConcept": {
                    "coding": [
                        {
                            "system": "http://hl7.org/fhir/questionnaire-item-control",
                            "code": "help",
                        }
                    ]
                },
            }
        ],
    }


def _enable_when_any(
    question: Question, condition: AnyOf, questions: Questionnaire
) -> list[object]:
    """enableWhen entries of which any holds exactly when the condition holds: one per
    answer that makes a part hold (its values, and unknown when in doubt).

    The emergency stop needs no entries of its own here: every question the condition
    looks at comes after the stop, so none of them has an answer once the walk stopped.
    """
    stopping = [i for i, g in enumerate(questions.groups) if g.stop_on is not None]
    first_open = max(stopping, default=-1)
    group_index = {g.id: i for i, g in enumerate(questions.groups)}
    entries: list[object] = []
    for part in condition.parts:
        target = questions.question(part.question) if isinstance(part, AnswerTest) else None
        if (
            not isinstance(part, AnswerTest)
            or part.op != "in"
            or target is None
            or group_index[target.group] <= first_open
        ):
            raise TriageError(
                f"question {question.id!r}: its condition cannot be written as FHIR "
                "enableWhen ('any' takes tests of values of questions after the emergency stop)"
            )
        values = [*part.values, *([UNKNOWN] if UNKNOWN in target.kind.values else [])]
        entries += [
            {
                "question": part.question,
                "operator": "=",
                "answerCoding": {"system": VALUE_SYSTEM, "code": value},
            }
            for value in dict.fromkeys(values)
        ]
    return entries


def _coding(question: Question, value: str, texts: Texts) -> dict[str, str]:
    return {
        "system": VALUE_SYSTEM,
        "code": value,
        "display": texts(f"value.{question.kind.id}.{value}"),
    }


def _enable_when(
    question: Question, condition: Condition, questions: Questionnaire
) -> list[object]:
    """enableWhen entries that all hold exactly when the condition holds (or may hold)."""
    parts = condition.parts if isinstance(condition, AllOf) else (condition,)
    entries: list[object] = []
    for part in parts:
        if not isinstance(part, AnswerTest):
            raise TriageError(
                f"question {question.id!r}: its condition cannot be written as "
                "FHIR enableWhen (only tests joined by 'all')"
            )
        entries += _test_entries(part, questions)
    return entries


def _test_entries(test: AnswerTest, questions: Questionnaire) -> list[object]:
    if test.op != "in":
        return [{"question": test.question, "operator": test.op, "answerInteger": test.values[0]}]
    # A test holds for its values and, when in doubt, for unknown: so it holds for any
    # given answer that is none of the other values.
    kind = questions.question(test.question).kind
    others = [v for v in kind.values if v not in test.values and v != UNKNOWN]
    entries: list[object] = [
        {"question": test.question, "operator": "exists", "answerBoolean": True}
    ]
    entries += [
        {
            "question": test.question,
            "operator": "!=",
            "answerCoding": {"system": VALUE_SYSTEM, "code": v},
        }
        for v in others
    ]
    return entries


def questionnaire_response(assessment: Assessment, ruleset: Ruleset) -> dict[str, object]:
    """The answers of an assessment as a FHIR R4 QuestionnaireResponse with its advice:
    the answers by group, as the Questionnaire has them, and whether the walk ended at the
    settled stop. After a stop answer in a group, only that answer of the group is given
    (the group's other questions are then disabled)."""
    texts = ruleset.texts[assessment.language]
    items = _response_items(assessment, ruleset, texts)
    disposition = assessment.disposition.value
    extensions: list[object] = [
        {
            "url": DISPOSITION_EXTENSION,
            "valueCoding": {
                "system": DISPOSITION_SYSTEM,
                "code": disposition,
                "display": texts(f"disposition.{disposition}.headline"),
            },
        }
    ]
    extensions += [
        {
            "url": RULE_EXTENSION,
            "valueCoding": {
                "system": DISPOSITION_SYSTEM + ":rules",
                "code": r.id,
                "display": r.reason,
            },
        }
        for r in assessment.rules
    ]
    extensions.append(
        {
            "url": RULESET_EXTENSION,
            "valueString": (
                f"{assessment.ruleset.version} sha256:{assessment.ruleset.sha256} "
                f"triage {__version__}"
            ),
        }
    )
    return {
        "resourceType": "QuestionnaireResponse",
        "language": assessment.language.value,
        "questionnaire": f"{QUESTIONNAIRE_URL}|{ruleset.info.version}",
        "status": "completed",
        "authored": assessment.date.isoformat(),
        "extension": extensions,
        "item": items,
    }


def _response_items(
    assessment: Assessment, ruleset: Ruleset, texts: Texts
) -> list[dict[str, object]]:
    from triage.flow import reach

    questions = ruleset.questionnaire
    answers = assessment.answers
    items: list[dict[str, object]] = []
    stopped_by = ""
    for group in questions.groups:
        ids = [q.id for q in group.questions if q.id in answers]
        if any(answers[q] == group.stop_on for q in ids):
            stopped_by = "emergency"  # every answer of the group is kept: all its signs
        if ids:
            items.append(
                {
                    "linkId": group.id,
                    "text": texts(f"group.{group.id}.title"),
                    "item": [_answer_item(questions.question(q), answers[q], texts) for q in ids],
                }
            )
    walk = reach(ruleset, answers)
    if not stopped_by and walk.stopped:
        after = [
            g.id for g in questions.groups if g.id not in _groups_of(walk.after_stop, questions)
        ][-1]
        answer = {"valueCoding": {"system": GROUP_SYSTEM, "code": after}}
        items.insert(0, {"linkId": SETTLED_ITEM, "answer": [answer]})
    return items


def _groups_of(question_ids: frozenset[str], questions: Questionnaire) -> set[str]:
    return {q.group for q in questions.questions if q.id in question_ids}


def check_questionnaire(document: Mapping[str, object], version: str) -> str | None:
    """A response to another questionnaire is refused (AnswersError); one to another
    version of this one, or naming none, gives a warning to show (a question's meaning
    may change between versions), else None."""
    named = document.get("questionnaire")
    if named is None:
        return (
            f"the response names no questionnaire: read as answers to {QUESTIONNAIRE_URL} "
            f"version {version}"
        )
    if not isinstance(named, str):
        raise AnswersError("a QuestionnaireResponse's questionnaire should be a canonical URL")
    url, _, given = named.partition("|")
    if url != QUESTIONNAIRE_URL:
        raise AnswersError(
            f"this response answers the questionnaire {named!r}, not triage's "
            f"({QUESTIONNAIRE_URL}); it cannot be assessed"
        )
    if given != version:
        shown = f"version {given}" if given else "no version"
        return (
            f"the response answers {shown} of the questionnaire, and these rules are "
            f"version {version}: a question's meaning may have changed; check the answers"
        )
    return None


def answers_from_response(document: Mapping[str, object]) -> dict[str, object]:
    """The answers of a QuestionnaireResponse (one this program wrote, or a form filled in
    against its Questionnaire): each answered item by its linkId, and `authored` as the
    day the answers were given. AnswersError for a response of another shape."""
    status = document.get("status", "completed")
    if status not in ANSWERED_STATUSES:
        raise AnswersError(
            f"a QuestionnaireResponse of status {shown_value(status)} is not assessed; "
            f"give one of status {', '.join(ANSWERED_STATUSES)}"
        )
    answers: dict[str, object] = {}
    _collect(document.get("item", []), answers)
    if "authored" in document:
        answers["assessed_on"] = _authored_day(document["authored"])
    return answers


ANSWERED_STATUSES = ("completed", "amended", "in-progress")
"""The statuses of a response whose answers stand (not entered-in-error, not stopped)."""

_DATE_TIME = re.compile(
    r"([0-9]{4}-[0-9]{2}-[0-9]{2})(T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2}))?"
)


def _authored_day(authored: object) -> str:
    """The day of a FHIR dateTime (`2026-12-03` or `2026-12-03T10:00:00Z`); AnswersError
    for anything else, an impossible time included."""
    match = _DATE_TIME.fullmatch(authored) if isinstance(authored, str) else None
    if match is not None and _possible(match[0]):
        return match[1]
    raise AnswersError(
        f"authored {shown_value(authored)} is not a FHIR dateTime; give it as "
        "YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ"
    )


def _possible(date_time: str) -> bool:
    try:
        dt.datetime.fromisoformat(date_time.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _collect(items: object, answers: dict[str, object]) -> None:
    if not isinstance(items, list):
        raise AnswersError("a QuestionnaireResponse's item should be a list")
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("linkId"), str):
            raise AnswersError("each item of a QuestionnaireResponse needs a linkId")
        if item["linkId"] == SETTLED_ITEM:
            if item.get("item"):  # answers under it would be dropped without a word
                raise AnswersError(f"the item {SETTLED_ITEM} holds no items of questions")
            continue
        _collect(item.get("item", []), answers)
        given = item.get("answer", [])
        if not isinstance(given, list) or len(given) > 1:
            raise AnswersError(f"{item['linkId']}: give one answer (a list of one)")
        for answer in given:
            if item["linkId"] in answers:
                # As a JSON or TOML key given twice: which answer counts is not ours to guess.
                raise AnswersError(f"the linkId {item['linkId']!r} is answered twice")
            answers[item["linkId"]] = _answer_value(item["linkId"], answer)


def _answer_value(link_id: str, answer: object) -> object:
    if isinstance(answer, dict):
        if "valueInteger" in answer:
            return answer["valueInteger"]
        coding = answer.get("valueCoding")
        if isinstance(coding, dict) and "code" in coding:
            return coding["code"]
        if "valueBoolean" in answer:
            return answer["valueBoolean"]
        if "valueString" in answer:
            return answer["valueString"]
    raise AnswersError(
        f"{link_id}: an answer should be a valueCoding (code), valueInteger or valueBoolean"
    )


def _answer_item(question: Question, value: Value, texts: Texts) -> dict[str, object]:
    answer: dict[str, object]
    if question.kind.is_number:
        answer = {"valueInteger": value}
    else:
        answer = {"valueCoding": _coding(question, str(value), texts)}
    return {
        "linkId": question.id,
        "text": texts(f"question.{question.id}.text"),
        "answer": [answer],
    }
