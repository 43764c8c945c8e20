"""Results files: attempts written as CSV or JSON, and read back for ``playbook import``."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from .errors import PlaybookError
from .store import COLUMNS, Attempt


def write_json(attempts: Iterable[Attempt], out: IO[str]) -> None:
    """Attempts as a JSON list of objects."""
    json.dump([a.as_dict() for a in attempts], out, ensure_ascii=False, indent=2)
    out.write("\n")


def write_csv(attempts: Iterable[Attempt], out: IO[str]) -> None:
    """Attempts as CSV, one row each; answers as JSON text."""
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS))
    writer.writeheader()
    for attempt in attempts:
        row = attempt.as_dict()
        row["answer"] = json.dumps(row["answer"], ensure_ascii=False)
        row["expected"] = json.dumps(row["expected"], ensure_ascii=False)
        writer.writerow(row)


def read_results(path: Path | str) -> list[Attempt]:
    """The attempts in a results file written by ``playbook export`` (CSV or JSON)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PlaybookError(f"{path}: cannot read the results file ({exc})") from None
    try:
        if text.lstrip().startswith("["):
            rows = json.loads(text)
        else:
            rows = list(csv.DictReader(text.splitlines()))
        return [Attempt.from_dict(row) for row in rows]
    except (ValueError, KeyError, TypeError) as exc:
        raise PlaybookError(f"{path}: not a results file from `playbook export` ({exc})") from None
