"""`triage verify`: the engine written as z3 formulas, and the safety properties proved on them."""

TIME_LIMIT = 120.0
"""The seconds a proof may take, by default (the shipped data takes about 10 on a 2-core
machine): a property not decided by then is reported as not proved, never as proved. Here,
apart from the solver, so that the command line can name it without importing z3."""
