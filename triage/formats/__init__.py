"""The documents an assessment or a ruleset becomes: the advice in words, the contract's
JSON, the Markdown handover note, FHIR, and the catalog of questions and rules."""
