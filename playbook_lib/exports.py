"""Results files: attempts written as CSV or JSON, and read back for ``playbook import``.

CSV is written for spreadsheets and made safe for them, as OWASP recommends against CSV (formula)
injection: every cell is quoted, and a cell that a spreadsheet would run as a formula (one starting
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a single quote in front.
:func:`read_results` takes that quote off again, so importing an exported file gives back the
original text. The JSON export keeps the raw text.

Reading takes what Excel, LibreOffice and Google Sheets write: UTF-8 with or without a byte-order
mark (or UTF-16 with one), CRLF or LF line ends, and ``,``, ``;`` or tab between cells, recognised
from the header. Anything else, a file over the limits, or any row that breaks a rule, is refused as
a whole, with every problem as ``FILE:ROW: field: reason``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from .errors import InputError, ResultsFileError
from .records import COLUMNS, Attempt

MAX_FILE_BYTES = 32 * 1024 * 1024
"""The largest results file that is read (a class of 30 answering 200 items each writes about 3 MB)."""
MAX_ROWS = 100_000
"""The most attempts one results file may hold."""
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a cell as a formula (OWASP's list)."""
REQUIRED = tuple(c for c in COLUMNS if c not in ("participant", "lang"))
"""Columns every results file has (``participant`` and ``lang`` came later and default to empty and en)."""
_SEPARATORS = (",", ";", "\t")
_QUOTE = "'"


def neutralise(cell: str) -> str:
    """A CSV cell that no spreadsheet runs as a formula: ``'`` in front of a formula (or of a quote that
    :func:`restore` would otherwise take off)."""
    if cell.startswith(FORMULA_START) or (cell[:1] == _QUOTE and cell[1:2] in (*FORMULA_START, _QUOTE) and cell[1:2]):
        return _QUOTE + cell
    return cell


def restore(cell: str) -> str:
    """The text :func:`neutralise` was given."""
    if cell[:1] == _QUOTE and cell[1:2] and cell[1:2] in (*FORMULA_START, _QUOTE):
        return cell[1:]
    return cell


def write_json(attempts: Iterable[Attempt], out: IO[str]) -> None:
    """Attempts as a JSON list of objects (text exactly as recorded)."""
    json.dump([a.as_dict() for a in attempts], out, ensure_ascii=False, indent=2)
    out.write("\n")


def _cell(value: Any) -> str:
    return "" if value is None else neutralise(str(value))


def write_csv(attempts: Iterable[Attempt], out: IO[str]) -> None:
    """Attempts as CSV, one row each; answers as JSON text; every cell quoted and safe from formula injection."""
    writer = csv.writer(out, quoting=csv.QUOTE_ALL)
    writer.writerow(COLUMNS)
    for attempt in attempts:
        row = attempt.as_dict()
        row["answer"] = json.dumps(row["answer"], ensure_ascii=False)
        row["expected"] = json.dumps(row["expected"], ensure_ascii=False)
        writer.writerow([_cell(row[name]) for name in COLUMNS])


def read_results(path: Path | str) -> list[Attempt]:
    """The attempts in a results file written by ``playbook export`` (CSV or JSON), every row checked.

    Raises :class:`ResultsFileError` with every problem found; nothing of a refused file should be imported.
    """
    path = Path(path)
    text = _read_text(path)
    if not text.strip():
        raise ResultsFileError(path, f"{path}: the file is empty; not a results file from `playbook export`")
    is_csv = text.lstrip()[:1] not in ("[", "{")
    rows = _csv_rows(path, text) if is_csv else _json_rows(path, text)
    if len(rows) > MAX_ROWS:
        raise ResultsFileError(path, f"{path}: {len(rows):,} attempts; a results file holds at most {MAX_ROWS:,} "
                               "(split it)")
    attempts, problems = [], []
    for number, row in rows:
        try:
            attempts.append(Attempt.from_dict(_decode_answers(row) if is_csv else row))
        except InputError as exc:
            problems.append(f"{path}:{number}: {exc}")
    if problems:
        raise ResultsFileError(path, problems)
    return attempts


def _read_text(path: Path) -> str:
    try:
        with path.open("rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ResultsFileError(path, f"{path}: cannot read the results file ({exc.strerror or exc})") from None
    if len(data) > MAX_FILE_BYTES:
        raise ResultsFileError(path, f"{path}: larger than {MAX_FILE_BYTES // 2**20} MiB; a results file is at most "
                               "that big (split it)")
    try:
        text = data.decode("utf-16") if data[:2] in (b"\xff\xfe", b"\xfe\xff") else data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ResultsFileError(path, f"{path}: not UTF-8 text; in Excel save it as \"CSV UTF-8\", in LibreOffice "
                               "choose the character set Unicode (UTF-8)") from None
    if "\x00" in text:
        raise ResultsFileError(path, f"{path}: holds NUL bytes; not a results file from `playbook export`")
    return text


def _json_rows(path: Path, text: str) -> list[tuple[int, Any]]:
    try:
        data = json.loads(text)
    except RecursionError:
        raise ResultsFileError(path, f"{path}: JSON nested too deeply; not a results file from `playbook export`") from None
    except ValueError as exc:
        raise ResultsFileError(path, f"{path}: not a results file from `playbook export` (bad JSON: {exc})") from None
    if not isinstance(data, list):
        kind = "an object" if isinstance(data, dict) else type(data).__name__
        raise ResultsFileError(path, f"{path}: not a results file from `playbook export` (a JSON results file is a list "
                               f"of attempts; this one is {kind})")
    return [(number, row) for number, row in enumerate(data, start=1)]


def _separator(header: str) -> str | None:
    """The separator that splits ``header`` into the most known column names (``uid`` among them)."""
    best, found = None, 0
    for sep in _SEPARATORS:
        names = {name.strip() for name in next(csv.reader([header], delimiter=sep), [])}
        if "uid" in names and len(names & set(COLUMNS)) > found:
            best, found = sep, len(names & set(COLUMNS))
    return best


def _csv_rows(path: Path, text: str) -> list[tuple[int, dict[str, Any]]]:
    first = text.lstrip("\r\n").splitlines()[0]
    sep = first[4] if first.lower().startswith("sep=") and len(first.strip()) == 5 else _separator(first)
    skip = 1 if sep is not None and first.lower().startswith("sep=") else 0  # Excel's "sep=;" line
    if sep is None:
        raise ResultsFileError(path, f"{path}: not a results file from `playbook export` (the first line should name "
                               f"the columns {', '.join(REQUIRED[:4])}, ...)")
    stream = io.StringIO(text.lstrip("\r\n"), newline="")
    for _ in range(skip):
        stream.readline()
    reader = csv.reader(stream, delimiter=sep)
    header = [name.strip() for name in next(reader, [])]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ResultsFileError(path, f"{path}: not a results file from `playbook export` (no column "
                               f"{', '.join(missing)})")
    rows: list[tuple[int, dict[str, Any]]] = []
    try:
        for number, cells in enumerate(reader, start=2 + skip):
            if not any(cell.strip() for cell in cells):
                continue  # a blank line, or a row a spreadsheet left empty
            if len(rows) >= MAX_ROWS:
                raise ResultsFileError(path, f"{path}: more than {MAX_ROWS:,} attempts; split the file")
            rows.append((number, _csv_row(header, cells)))
    except csv.Error as exc:
        raise ResultsFileError(path, f"{path}: not a readable CSV file ({exc})") from None
    return rows


def _csv_row(header: list[str], cells: list[str]) -> dict[str, Any]:
    """One CSV row as text cells by column name, each as it was before :func:`neutralise`."""
    row = {name: restore(cell) for name, cell in zip(header, cells, strict=False) if name in COLUMNS}
    for name in REQUIRED:
        row.setdefault(name, "")
    return row


def _decode_answers(row: dict[str, Any]) -> dict[str, Any]:
    """A CSV row with its answers decoded from the JSON text ``playbook export`` writes them as."""
    row = dict(row)
    for name in ("answer", "expected"):
        text = row[name]
        if not text.strip():
            row[name] = None
            continue
        try:
            row[name] = json.loads(text)
        except RecursionError:
            raise InputError(f"{name}: nested too deeply") from None
        except ValueError:
            raise InputError(f"{name}: not JSON text as `playbook export` writes it: {text[:40]!r}") from None
    return row
