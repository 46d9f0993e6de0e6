"""`triage verify`: the engine written as z3 formulas, and the safety properties proved on them."""
