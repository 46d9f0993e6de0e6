"""triage: self-triage for hip pain, from answers to advice."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["Assessment", "__version__", "assess"]

if TYPE_CHECKING:
    from triage.api import assess
    from triage.model import Assessment


def __getattr__(name: str) -> Any:
    """Import the engine on first use, so that `triage --version` stays fast."""
    if name == "assess":
        from triage.api import assess

        return assess
    if name == "Assessment":
        from triage.model import Assessment

        return Assessment
    raise AttributeError(f"module 'triage' has no attribute {name!r}")
