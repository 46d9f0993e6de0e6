"""Everything that draws or asks in a terminal: the interview, prompts, plain mode, rendering
and a batch run with its progress. The only place rich, questionary and prompt_toolkit
are imported (ruff's banned-api enforces it)."""
