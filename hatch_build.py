"""Build hook: check the shipped data once, when the wheel is built, and ship the result.

At run time `triage.loader` uses this snapshot only while the installed data files are
byte for byte the ones checked here; otherwise it checks them again.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class SnapshotHook(BuildHookInterface):  # type: ignore[type-arg]
    """Adds triage/_snapshot.pickle to a (non-editable) wheel."""

    PLUGIN_NAME = "snapshot"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        sys.path.insert(0, self.root)
        try:
            from triage.loader import snapshot_bytes
        finally:
            sys.path.pop(0)
        folder = Path(tempfile.mkdtemp(prefix="triage-snapshot-"))
        snapshot = folder / "_snapshot.pickle"
        snapshot.write_bytes(snapshot_bytes(Path(self.root) / "data"))
        build_data["force_include"][str(snapshot)] = "triage/_snapshot.pickle"
