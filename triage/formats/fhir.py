"""FHIR R4: the questionnaire as a Questionnaire, an assessment as a QuestionnaireResponse.

The disposition travels in an extension of the QuestionnaireResponse
(`DISPOSITION_EXTENSION`, a valueCoding in `DISPOSITION_SYSTEM`), with one extension per
fired rule (`RULE_EXTENSION`) and the ruleset's version and SHA-256 (`RULESET_EXTENSION`).
"""

from __future__ import annotations

from triage import __version__
from triage.errors import TriageError
from triage.model import (
    UNKNOWN,
    AllOf,
    Always,
    AnswerTest,
    AnyOf,
    Assessment,
    Condition,
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
_MIN = "http://hl7.org/fhir/StructureDefinition/minValue"
_MAX = "http://hl7.org/fhir/StructureDefinition/maxValue"


def questionnaire(ruleset: Ruleset, language: Language) -> dict[str, object]:
    """The questionnaire as a FHIR R4 Questionnaire; linkId is the question id."""
    texts = ruleset.texts[language]
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
            question_item(q, texts, ruleset.questionnaire) for q in ruleset.questionnaire.questions
        ],
    }


def _stops_before(question: Question, questions: Questionnaire) -> list[object]:
    """enableWhen entries for the early stop: no earlier stop group's value was given."""
    entries: list[object] = []
    for group in questions.groups:
        if group.id == question.group:
            break
        if group.stop_on is not None:
            entries += [
                {
                    "question": q.id,
                    "operator": "!=",
                    "answerCoding": {"system": VALUE_SYSTEM, "code": group.stop_on},
                }
                for q in questions.questions
                if q.group == group.id
            ]
    return entries


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
    if isinstance(question.ask_when, AnyOf):
        item["enableWhen"] = _enable_when_any(question, question.ask_when, questions)
        item["enableBehavior"] = "any"
        return item
    enable_when = _stops_before(question, questions)
    if not isinstance(question.ask_when, Always):
        enable_when += _enable_when(question, question.ask_when, questions)
    if enable_when:
        item["enableWhen"] = enable_when
        item["enableBehavior"] = "all"
    return item


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
    """The answers of an assessment as a FHIR R4 QuestionnaireResponse with its advice."""
    texts = ruleset.texts[assessment.language]
    items = [
        _answer_item(ruleset.questionnaire.question(q), v, texts)
        for q, v in assessment.answers.items()
    ]
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
