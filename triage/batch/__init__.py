"""Many answer sets at once: reading cases (JSON lines, CSV), deciding them, tallying."""
