"""Shared output helpers for CLI commands (JSON to stdout or a file)."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any


def _clean(value: Any) -> Any:
    """Make a value JSON-safe: non-finite floats become null (JSON has no inf/nan)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if hasattr(value, "item") and callable(value.item):  # numpy scalar
        return _clean(value.item())
    return value


def dumps(data: Any) -> str:
    return json.dumps(_clean(data), ensure_ascii=False, indent=2)


def emit(text: str, output: str | None = None) -> None:
    """Write ``text`` to ``output`` (a path) or to stdout."""
    if output:
        Path(output).write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
