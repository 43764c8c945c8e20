"""Reliability of the record and of results files: what spreadsheets write, failing databases, formula injection,
limits, made-up codes, messages instead of tracebacks, secrets never printed, read-only records, the workshop command.

Tests marked with ``any_store`` run on SQLite and on PostgreSQL; those that stop a PostgreSQL server start their own.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from playbook_lib import Workbook
from playbook_lib._db import redact
from playbook_lib.cli import cli
from playbook_lib.content import Catalog
from playbook_lib.dashboard import class_summary
from playbook_lib.errors import (
    InputError,
    PlaybookError,
    ResultsFileError,
    StoreCorruptError,
    StoreError,
    StoreReadOnlyError,
    StoreUnavailableError,
    WorkshopError,
)
from playbook_lib.exports import FORMULA_START, neutralise, read_results, restore, write_csv, write_json
from playbook_lib.store import MAX_NAME, STORE_NAME, Attempt, Store, new_code, new_uid

from .conftest import first_of_kind

ROOT = Path(__file__).resolve().parent.parent
SECRET = "s3cret-Pa55"
FORMULAS = ['=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0", "+1+1", "@SUM(1)", "-2+3", "'=already quoted", "'Tis"]


# --- helpers ---------------------------------------------------------------------


def attempt(learner: str = "Ada", **extra: object) -> Attempt:
    values: dict[str, object] = dict(uid=new_uid(), learner=learner, exercise_id="ex.x", kind="single-choice",
                                     section="section.methods", topic="technique.summary-close", content_version="t",
                                     answer="a", expected="a", correct=True, score=1.0, seconds=2.5,
                                     answered_at=datetime(2026, 5, 4, 10, tzinfo=UTC), mode="practice", session="s1")
    values.update(extra)
    return Attempt(**values)  # type: ignore[arg-type]


def exported_csv(attempts: list[Attempt]) -> str:
    out = io.StringIO()
    write_csv(attempts, out)
    return out.getvalue()


def cells(text: str, delimiter: str = ",") -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def playbook(*args: str, env: dict[str, str] | None = None, user: int | None = None) -> subprocess.CompletedProcess:
    """The real command in a subprocess (as another user when ``user`` is given), as a trainer runs it."""
    return subprocess.run([sys.executable, "-m", "playbook_lib", *args], capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=120, user=user)


def no_traceback(result: subprocess.CompletedProcess) -> str:
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    return result.stdout + result.stderr


class PgServer:
    """A PostgreSQL server of this test's own, which it may stop and start (Debian's postgresql package)."""

    def __init__(self) -> None:
        import run

        bindir = run._pg_bin()
        if bindir is None:
            pytest.skip("Debian's postgresql package is not installed")
        self.bin = bindir
        self.base = Path(tempfile.mkdtemp(prefix="playbook-own-pg-"))
        self.as_user: list[str] = []
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            shutil.chown(self.base, "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.data = self.base / "data"
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "playbook", "--no-sync", "-E", "UTF8")
        self.url = f"postgresql://playbook:{SECRET}@127.0.0.1:{self.port}/postgres"
        self.start()

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run([*self.as_user, str(self.bin / tool), *args], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=120)

    def start(self) -> None:
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -c unix_socket_directories={self.base} -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.base / "server.log"), "-w", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def destroy(self) -> None:
        subprocess.run([*self.as_user, str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(self.base, ignore_errors=True)


@pytest.fixture(scope="module")
def own_pg() -> Iterator[PgServer]:
    if os.name == "nt":
        pytest.skip("no Debian PostgreSQL on Windows")
    server = PgServer()
    yield server
    server.destroy()


@pytest.fixture
def pg_server(own_pg: PgServer) -> Iterator[PgServer]:
    """The module's own server, running, for a test that may stop it."""
    yield own_pg
    try:
        own_pg.start()
    except subprocess.CalledProcessError:
        pass  # still running


# --- 1. what spreadsheets write ------------------------------------------------

def excel_utf8(text: str) -> bytes:
    """Excel's "CSV UTF-8": a byte-order mark, CRLF, and TRUE/FALSE for booleans."""
    rows = cells(text)
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([[{"True": "TRUE", "False": "FALSE"}.get(c, c) for c in row]
                                                       for row in rows])
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def excel_semicolons(text: str) -> bytes:
    """Excel in a locale with a decimal comma: `;` between cells, numbers such as 1,5, a BOM, CRLF."""
    out = io.StringIO()
    rows = [[c.replace(".", ",") if re.fullmatch(r"\d+\.\d+", c) else c for c in row] for row in cells(text)]
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def excel_sep_line(text: str) -> bytes:
    """A `sep=;` first line, which Excel reads and some tools write."""
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(cells(text))
    return ("sep=;\r\n" + out.getvalue()).encode("utf-8")


def excel_unicode_text(text: str) -> bytes:
    """Excel's "Unicode Text": UTF-16 with a BOM, tabs between cells."""
    out = io.StringIO()
    csv.writer(out, delimiter="\t", lineterminator="\r\n").writerows(cells(text))
    return out.getvalue().encode("utf-16")


def libreoffice(text: str) -> bytes:
    """LibreOffice's default: UTF-8 without BOM, LF, quotes only where needed, and a blank row at the end."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(cells(text))
    return (out.getvalue() + ",,,,\n").encode("utf-8")


def google_sheets(text: str) -> bytes:
    """Google Sheets' download: UTF-8 without BOM, CRLF, minimal quoting."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(cells(text))
    return out.getvalue().encode("utf-8")


SPREADSHEETS: dict[str, Callable[[str], bytes]] = {
    "excel-utf8-bom": excel_utf8, "excel-semicolons": excel_semicolons, "excel-sep-line": excel_sep_line,
    "excel-unicode-text": excel_unicode_text, "libreoffice": libreoffice, "google-sheets": google_sheets,
}


def some_attempts(n: int = 6) -> list[Attempt]:
    answers = ["a", ["a", "b"], {"signal": True, "kind": "signal.verbal.price-bargaining"}, {"text": "Hi, 你好", "ticked": []}]
    return [attempt(learner=f"Rep {i % 3}", answer=answers[i % 4], expected=answers[i % 4], correct=[True, False, None][i % 3],
                    score=[1.0, 0.0, 0.5][i % 3], seconds=None if i == 0 else 1.5 * i, exercise_id=f"ex.{i}",
                    participant=f"p{i % 2}", mode="workshop", session="K7Q2MX") for i in range(n)]


@pytest.mark.parametrize("saved_by", SPREADSHEETS)
def test_results_saved_by_a_spreadsheet_import_every_row(any_store: Store, tmp_path: Path, saved_by: str) -> None:
    originals = some_attempts()
    path = tmp_path / "results.csv"
    path.write_bytes(SPREADSHEETS[saved_by](exported_csv(originals)))
    read = read_results(path)
    assert read == originals
    assert any_store.add_attempts(read) == len(originals)
    assert sorted(a.uid for a in any_store.attempts()) == sorted(a.uid for a in originals)


def test_a_row_without_a_uid_is_an_error_not_a_duplicate(tmp_path: Path, store: Store) -> None:
    rows = cells(exported_csv(some_attempts(3)))
    rows[2][0] = ""  # the second attempt lost its uid
    rows[3][0] = "not a uid!"
    path = tmp_path / "edited.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows(rows)
    with pytest.raises(ResultsFileError) as caught:
        read_results(path)
    assert caught.value.problems == [f"{path}:3: uid: missing or not an attempt id (1-64 letters, digits or ._:-)",
                                     f"{path}:4: uid: missing or not an attempt id (1-64 letters, digits or ._:-)"]
    assert "nothing was imported" in str(caught.value) and store.count() == 0


def test_files_that_are_not_results_are_refused_with_the_reason(tmp_path: Path) -> None:
    cases = {
        "ansi.csv": ("uid,learner\n1,Jos\xe9\n".encode("cp1252"), "not UTF-8 text"),
        "notes.csv": (b"hello,world\n1,2\n", "the first line should name the columns"),
        "short.csv": (b"uid,learner,score\nabc,Ada,1\n", "no column exercise_id"),
        "empty.csv": (b"", "the file is empty"),
        "object.json": (b'{"uid": "abc", "learner": "Ada"}', "this one is an object"),
        "deep.json": (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        "bad.json": (b"[{", "bad JSON"),
    }
    for name, (data, reason) in cases.items():
        (tmp_path / name).write_bytes(data)
        with pytest.raises(ResultsFileError, match=reason):
            read_results(tmp_path / name)


# --- 2. a failing store ----------------------------------------------------------

def checked_view(wb: Workbook):
    ex = first_of_kind(wb.catalog, "single-choice")
    view = wb.exercise(ex.id)
    view.choice.value = ex.answer
    return ex, view


def test_a_full_disk_under_sqlite_says_not_saved_and_the_retry_saves(workbook: Workbook) -> None:
    store = workbook.store
    workbook.answer(first_of_kind(workbook.catalog, "multi-select").id, [])
    pages = store.backend.execute("PRAGMA page_count")[0][0]
    store.backend.execute(f"PRAGMA max_page_count = {pages}")  # what a full disk does: SQLITE_FULL on the next page
    with pytest.raises(StoreUnavailableError, match="the disk is full"):
        for n in range(100_000):  # fill the last free page with answers like the one to come
            store.record(learner="Ada", exercise_id=f"ex.{n}", kind="single-choice", section="s", topic="t",
                         content_version="t", answer="a", expected="a", correct=True, score=1.0)
    count = store.count()
    ex, view = checked_view(workbook)
    assert view.check() is None
    assert "Not saved" in view.result.value and "the disk is full" in view.result.value
    assert not view.answered and view.choice.value == ex.answer and not view.choice.disabled
    assert store.count() == count
    store.backend.execute("PRAGMA max_page_count = 1073741823")  # space freed
    assert view.check() is not None and view.answered
    assert store.count() == count + 1 and store.attempts()[-1].exercise_id == ex.id


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 256 KiB file system of its own (tmpfs; needs root on Linux, else the test is skipped)."""
    disk = tmp_path / "small"
    disk.mkdir()
    if not sys.platform.startswith("linux") or os.geteuid() != 0 or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(disk)], capture_output=True).returncode != 0:
        pytest.skip("mounting a small tmpfs needs root on Linux")
    yield disk
    subprocess.run(["umount", str(disk)], check=True)


def test_a_really_full_disk_says_not_saved_and_keeps_what_was_saved(small_disk: Path, catalog: Catalog) -> None:
    wb = Workbook(catalog, Store(small_disk / "home" / STORE_NAME), learner="Ada")
    ex, view = checked_view(wb)
    saved = 0
    with pytest.raises(StoreUnavailableError, match="the disk is full"):
        for _ in range(10_000):
            wb.answer(ex.id, ex.answer, seconds=1)
            saved += 1
    assert view.check() is None and "Not saved" in view.result.value and view.choice.value == ex.answer
    subprocess.run(["mount", "-o", "remount,size=2m", str(small_disk)], check=True)  # space freed
    assert view.check() is not None
    assert wb.store.count() == saved + 1 and wb.store.backend.execute("PRAGMA integrity_check")[0][0] == "ok"
    wb.close()


def test_postgres_stopped_says_not_saved_then_saves_when_it_is_back(pg_server: PgServer, catalog: Catalog) -> None:
    store = Store(url=pg_server.url)
    wb = Workbook(catalog, store, learner="Ada")
    try:
        wb.answer(first_of_kind(catalog, "multi-select").id, [])
        ex, view = checked_view(wb)
        pg_server.stop()
        for _ in range(2):  # the connection is gone, and so is the server: every try says so
            assert view.check() is None
            assert "Not saved" in view.result.value and "cannot be reached" in view.result.value
            assert SECRET not in view.result.value and "playbook:***@" in view.result.value
            assert not view.answered and view.choice.value == ex.answer
        with pytest.raises(StoreUnavailableError) as caught:
            wb.answer(ex.id, ex.answer)
        assert SECRET not in str(caught.value)
        pg_server.start()
        assert view.check() is not None and view.answered  # the same kernel reconnects by itself
        assert [a.exercise_id for a in store.attempts("Ada")][-1] == ex.id and store.count("Ada") == 2
    finally:
        store.close()


def test_postgres_restarted_between_answers_is_not_noticed(pg_server: PgServer, catalog: Catalog) -> None:
    store = Store(url=pg_server.url)
    wb = Workbook(catalog, store, learner="Bo")
    try:
        wb.answer(first_of_kind(catalog, "multi-select").id, [])
        pg_server.stop()
        pg_server.start()
        _, view = checked_view(wb)
        assert view.check() is not None  # the lost connection was opened again before the answer
        assert store.count("Bo") == 2
    finally:
        store.close()


def test_every_database_failure_is_a_store_error(any_store: Store) -> None:
    kept = any_store.record(learner="Ada", exercise_id="ex.1", kind="single-choice", section="s", topic="t",
                            content_version="t", answer="a", expected="a", correct=True, score=1.0)
    with pytest.raises(StoreError):  # the same uid twice: the database refuses, in its own words, as a StoreError
        any_store.record(learner="Ada", exercise_id="ex.1", kind="single-choice", section="s", topic="t",
                         content_version="t", answer="a", expected="a", correct=True, score=1.0, uid=kept.uid)
    assert any_store.count() == 1
    any_store.record(learner="Ada", exercise_id="ex.2", kind="single-choice", section="s", topic="t",
                     content_version="t", answer="a", expected="a", correct=True, score=1.0)
    assert any_store.count() == 2  # the failed transaction left nothing open


# --- 3. formula injection ----------------------------------------------------------

def test_formulas_in_names_are_neutralised_in_csv_and_come_back_on_import(any_store: Store, catalog: Catalog,
                                                                           tmp_path: Path) -> None:
    trainer = Workbook(catalog, any_store)
    code = trainer.open_workshop("=1+1 workshop").code
    ex = first_of_kind(catalog, "single-choice")
    for name in FORMULAS:
        rep = Workbook(catalog, any_store)
        rep.join(code, name)
        rep.answer(ex.id, ex.answer)
    view = trainer.dashboard(code, export_folder=tmp_path)
    view.export_button.click()  # the dashboard's Export CSV
    path = tmp_path / f"workshop-{code}.csv"
    rows = cells(path.read_text(encoding="utf-8"))
    assert all(not cell.startswith(FORMULA_START) for row in rows for cell in row)
    names = [row[1] for row in rows[1:]]
    assert '\'=HYPERLINK("http://x","y")' in names and "'@SUM(1)" in names and "'-2+3" in names
    assert "''=already quoted" in names and "'Tis" in names
    assert sorted(a.learner for a in read_results(path)) == sorted(FORMULAS)  # the original text comes back
    as_json = io.StringIO()
    write_json(any_store.attempts(session=code), as_json)
    assert sorted(row["learner"] for row in json.loads(as_json.getvalue())) == sorted(FORMULAS)  # raw in JSON


def test_cli_export_neutralises_formulas(tmp_path: Path) -> None:
    home = tmp_path / "home"
    wb = Workbook.open(home=home, learner="=cmd|' /C calc'!A0")
    ex = first_of_kind(wb.catalog, "single-choice")
    wb.answer(ex.id, ex.answer)
    wb.close()
    out = CliRunner().invoke(cli, ["export", "--home", str(home)], catch_exceptions=False).output
    assert cells(out)[1][1] == "'=cmd|' /C calc'!A0"
    assert json.loads(CliRunner().invoke(cli, ["export", "--home", str(home), "--format", "json"]).output)[0][
        "learner"] == "=cmd|' /C calc'!A0"


def test_tab_and_carriage_return_are_formula_starts_too() -> None:
    for text in ["\t=1+1", "\r=1+1", *FORMULAS, "'", "''", "plain", "", "'\t", "-"]:
        safe = neutralise(text)
        assert not safe.startswith(FORMULA_START) and restore(safe) == text


# --- 4. limits -------------------------------------------------------------------

def test_a_huge_name_in_the_participant_app_is_refused_and_the_dashboard_stays_small(any_store: Store,
                                                                                    catalog: Catalog) -> None:
    trainer = Workbook(catalog, any_store)
    code = trainer.open_workshop("Limits").code
    rep = Workbook(catalog, any_store)
    form = rep.join_form()
    form.code.value, form.name.value = code, "N" * (5 * 2**20)
    form.join()
    assert f"a name is 1 to {MAX_NAME} characters" in form.status.value and not form.joined
    assert len(form.status.value) < 500 and any_store.participants(code) == []
    form.name.value = "N" * MAX_NAME
    form.join()
    assert form.joined == code
    assert len(trainer.dashboard(code).tables.value) < 20_000


def test_titles_answers_and_settings_have_limits(any_store: Store, catalog: Catalog) -> None:
    wb = Workbook(catalog, any_store, learner="Ada")
    with pytest.raises(InputError, match="a workshop title is 1 to 120 characters"):
        wb.open_workshop("T" * 121)
    with pytest.raises(InputError, match="1 to 200 items"):
        any_store.open_workshop("Too many", {"n": 100_000_000})
    reflection = first_of_kind(catalog, "reflection")
    with pytest.raises(InputError, match="answer: at most 10,000 characters"):
        wb.answer(reflection.id, {"text": "x" * 20_000, "ticked": []})
    with pytest.raises(PlaybookError, match="1 to 80 characters"):
        wb.set_learner("L" * 81)
    assert any_store.count() == 0 and any_store.workshops() == []


def test_nul_and_lone_surrogates_are_refused_and_the_dashboard_still_reads(any_store: Store, catalog: Catalog,
                                                                            tmp_path: Path) -> None:
    trainer = Workbook(catalog, any_store)
    code = trainer.open_workshop("Odd text").code
    rep = Workbook(catalog, any_store)
    rep.join(code, "Ann")
    reflection = first_of_kind(catalog, "reflection")
    with pytest.raises(InputError, match="NUL characters"):
        rep.answer(reflection.id, {"text": "pasted\x00text", "ticked": []})
    rep.answer(reflection.id, {"text": "a backslash: \\u0000 is fine", "ticked": []})
    with pytest.raises(InputError, match="invalid Unicode"):
        rep.join(code, "Bad\ud800name")
    path = tmp_path / "surrogate.json"
    path.write_text('[' + json.dumps(attempt().as_dict()).replace('"Ada"', '"Ad\\ud800a"') + ']', encoding="utf-8")
    with pytest.raises(ResultsFileError, match="learner: text that is not valid Unicode"):
        read_results(path)
    assert "1 answers" in trainer.dashboard(code).tables.value


def test_imports_have_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "big.csv"
    text = exported_csv([attempt()])
    big.write_text(text.replace('"Ada"', '"' + "A" * (50 * 2**20) + '"'), encoding="utf-8")  # a 50 MB name
    with pytest.raises(ResultsFileError, match="larger than 32 MiB"):
        read_results(big)
    long_name = tmp_path / "long.json"
    long_name.write_text(json.dumps([attempt("L" * 5000).as_dict()]), encoding="utf-8")
    with pytest.raises(ResultsFileError, match=r"long.json:1: learner: a name of 1 to 80 characters"):
        read_results(long_name)
    import playbook_lib.exports as exports

    monkeypatch.setattr(exports, "MAX_ROWS", 3)
    many = tmp_path / "many.csv"
    many.write_text(exported_csv([attempt() for _ in range(4)]), encoding="utf-8")
    with pytest.raises(ResultsFileError, match="more than 3 attempts"):
        read_results(many)


# --- 5. made-up codes --------------------------------------------------------------

def test_an_unknown_code_is_refused_and_makes_no_workshop(any_store: Store, catalog: Catalog) -> None:
    code = new_code()  # well formed, with a valid check character, but never opened here
    with pytest.raises(WorkshopError, match=f"No workshop has the code '{code}'.*cannot be checked here"):
        Workbook(catalog, any_store).join(code, "Sam")
    assert any_store.workshops() == [] and any_store.participants(code) == []


def test_offline_join_keeps_answers_for_export_and_the_trainer_imports_them(any_store: Store, catalog: Catalog,
                                                                          tmp_path: Path) -> None:
    code = Workbook(catalog, any_store).open_workshop("Tuesday", kind="signal-id", n=4).code
    laptop = Workbook(catalog, Store(tmp_path / "laptop" / STORE_NAME))
    form = laptop.join_form(offline=True)
    form.code.value, form.name.value = code, "Kim"
    form.join()
    assert form.joined == code and laptop.workshop is not None and laptop.store.workshops() == []
    (kim,) = laptop.store.participants(code)
    assert kim.offline and kim.name == "Kim"
    for ex in [e for e in catalog.exercises if e.kind == "signal-id"][:3]:
        laptop.answer(ex.id, {"signal": False}, seconds=2)
    result = CliRunner().invoke(cli, ["export", "--home", str(tmp_path / "laptop"), "--session", code, "-o",
                                      str(tmp_path / "kim.csv")], catch_exceptions=False)
    assert result.exit_code == 0
    laptop.close()
    assert any_store.add_attempts(read_results(tmp_path / "kim.csv")) == 3
    (row,) = class_summary(any_store, catalog, code).participants
    assert (row.name, row.answers) == ("Kim", 3)
    assert any_store.participants(code)[0].offline and len(any_store.workshops()) == 1


# --- 6. messages instead of tracebacks ------------------------------------------------

BAD_SCORES = {"nan": float("nan"), "inf": float("inf"), "-0.5": -0.5, "7": 7, "lots": "lots"}


@pytest.mark.parametrize("bad", BAD_SCORES)
def test_a_bad_score_is_refused_on_import(any_store: Store, catalog: Catalog, tmp_path: Path, bad: str) -> None:
    as_csv = tmp_path / "bad.csv"
    as_csv.write_text(exported_csv([attempt()]).replace('"1.0"', f'"{bad}"'), encoding="utf-8")
    as_json = tmp_path / "bad.json"
    as_json.write_text(json.dumps([{**attempt().as_dict(), "score": BAD_SCORES[bad]}]), encoding="utf-8")
    for path, row in ((as_csv, 2), (as_json, 1)):
        with pytest.raises(ResultsFileError, match=f"{path.name}:{row}: score: a number"):
            read_results(path)
    with pytest.raises(InputError, match="score"):
        any_store.add_attempts([attempt(score=BAD_SCORES[bad])])
    assert any_store.count() == 0
    assert "Ada" in Workbook(catalog, any_store, learner="Ada").summary()  # and the record still reads


@pytest.mark.parametrize("learner", [["Ada"], {"first": "Ada"}, None, 7, ""])
def test_a_learner_that_is_not_a_name_is_refused(tmp_path: Path, learner: object) -> None:
    path = tmp_path / "odd.json"
    row = attempt().as_dict()
    row["learner"] = learner
    path.write_text(json.dumps([row]), encoding="utf-8")
    with pytest.raises(ResultsFileError, match=r"odd\.json:1: learner"):
        read_results(path)


def test_deeply_nested_answers_are_refused(tmp_path: Path) -> None:
    nested: object = "x"
    for _ in range(50):
        nested = [nested]
    path = tmp_path / "nested.json"
    path.write_text(json.dumps([attempt(answer=nested).as_dict()]), encoding="utf-8")
    with pytest.raises(ResultsFileError, match="answer: nested more than 8 levels deep"):
        read_results(path)
    csv_path = tmp_path / "nested.csv"
    csv_path.write_text(exported_csv([attempt()]).replace('"""a""","""a"""', '"' + "[" * 5000 + '","""a"""'),
                        encoding="utf-8")
    with pytest.raises(ResultsFileError, match=r"nested\.csv:2: answer: nested too deeply"):
        read_results(csv_path)


def test_import_commands_say_what_is_wrong_and_exit_1(tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_text(exported_csv([attempt()]), encoding="utf-8")
    nan = tmp_path / "nan.csv"
    nan.write_text(exported_csv([attempt()]).replace('"1.0"', '"nan"'), encoding="utf-8")
    obj = tmp_path / "object.json"
    obj.write_text('{"attempts": []}', encoding="utf-8")
    home = tmp_path / "home"
    result = playbook("import", "--home", str(home), str(nan), str(obj), str(good))
    out = no_traceback(result)
    assert result.returncode == 1
    assert "nan.csv:2: score: a number from 0 to 1 expected" in out and "this one is an object" in out
    assert "good.csv: 1 new of 1 attempts" in out
    with Store(home / STORE_NAME) as store:
        assert store.count() == 1


def test_playbook_home_pointing_at_a_file(tmp_path: Path) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("mine")
    with pytest.raises(StoreError, match="is a file, not a folder"):
        Store.open(a_file)
    result = playbook("export", env=dict(os.environ, PLAYBOOK_HOME=str(a_file)))
    assert result.returncode == 1 and "is a file, not a folder" in no_traceback(result)
    assert a_file.read_text() == "mine"


def test_another_applications_sqlite_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / STORE_NAME
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE invoices (id INTEGER, total REAL)")
    db.execute("PRAGMA user_version = 2")
    db.commit()
    db.close()
    before = path.read_bytes()
    with pytest.raises(StoreCorruptError, match=r"not a practice record.*left untouched"):
        Store(path)
    assert path.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == [STORE_NAME]


def test_a_postgres_database_with_someone_elses_attempts_table_is_refused_untouched(pg_url: str) -> None:
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as db:
        db.execute("CREATE TABLE attempts (id SERIAL PRIMARY KEY, player TEXT, points INTEGER)")
    with pytest.raises(StoreCorruptError, match=r"not a practice record \(it already has attempts\)"):
        Store(url=pg_url)
    with psycopg.connect(pg_url, autocommit=True) as db:
        tables = {r[0] for r in db.execute("SELECT table_name FROM information_schema.tables "
                                           "WHERE table_schema = current_schema()")}
        columns = [r[0] for r in db.execute("SELECT column_name FROM information_schema.columns "
                                            "WHERE table_name = 'attempts' ORDER BY ordinal_position")]
    assert tables == {"attempts"} and columns == ["id", "player", "points"]


def test_a_postgres_database_with_other_tables_is_shared(pg_url: str) -> None:
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as db:
        db.execute("CREATE TABLE hub_users (id SERIAL PRIMARY KEY)")
    with Store(url=pg_url) as store:
        store.add_attempts([attempt()])
        assert store.count() == 1


# --- 7. passwords ------------------------------------------------------------------

BAD_URLS = [
    f"postgresql:/alice:{SECRET}@db.example.org/class",
    f"mysql://alice:{SECRET}@db.example.org/class",
    f"postgresql://alice:{SECRET}@127.0.0.1:1/class?connect_timeout=2",
    f"postgres://alice:{SECRET}@@127.0.0.1:1/class?connect_timeout=2",
    f"alice:{SECRET}@db.example.org",
    f"postgresql://alice@127.0.0.1:1/class?password={SECRET}&connect_timeout=2",
    f"postgresql://alice:{SECRET.replace('-', '%2D')}@127.0.0.1:1/x?connect_timeout=2",
]


@pytest.mark.parametrize("url", BAD_URLS)
def test_a_database_url_is_never_shown_with_its_password(url: str, tmp_path: Path) -> None:
    secret = SECRET if SECRET in url else SECRET.replace("-", "%2D")
    assert secret not in redact(url) and "-Pa55" not in redact(url)
    with pytest.raises(StoreError) as caught:
        Store.open(url=url)
    assert secret not in str(caught.value) and "-Pa55" not in str(caught.value)
    env = dict(os.environ, PLAYBOOK_DB_URL=url, PLAYBOOK_HOME=str(tmp_path))
    for command in (["export"], ["where"], ["workshop", "list"]):
        result = playbook(*command, env=env)
        out = no_traceback(result)
        assert secret not in out and "-Pa55" not in out, command


def test_redact_keeps_what_helps() -> None:
    assert redact(f"postgresql://alice:{SECRET}@db:5432/class") == "postgresql://alice:***@db:5432/class"
    assert redact("postgresql://alice@db/class") == "postgresql://alice@db/class"
    assert redact(f"could not connect to postgresql://bob:{SECRET}@h/db", f"postgresql://bob:{SECRET}@h/db") == \
        "could not connect to postgresql://bob:***@h/db"


# --- 8. read-only records, the workshop command --------------------------------------

@pytest.fixture
def read_only_home(tmp_path: Path) -> Iterator[tuple[Path, int | None]]:
    """A record with answers in a folder the test's user cannot write (as user nobody when the tests run as root)."""
    base = Path(tempfile.mkdtemp(prefix="playbook-ro-"))
    home = base / "home"
    wb = Workbook.open(home=home, learner="Ada")
    ex = first_of_kind(wb.catalog, "single-choice")
    wb.answer(ex.id, ex.answer, seconds=1)
    wb.close()
    user = None
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        import pwd

        user = pwd.getpwnam("nobody").pw_uid
    os.chmod(base, 0o755)
    (home / STORE_NAME).chmod(0o444)
    home.chmod(0o555)
    yield home, user
    home.chmod(0o755)
    shutil.rmtree(base, ignore_errors=True)


def test_a_read_only_record_can_be_read_and_exported(read_only_home: tuple[Path, int | None]) -> None:
    home, user = read_only_home
    before = sorted(p.name for p in home.iterdir())
    env = dict(os.environ, HOME=str(home.parent))
    exported = playbook("export", "--home", str(home), "--all", "--format", "json", env=env, user=user)
    assert exported.returncode == 0, exported.stderr
    assert [row["learner"] for row in json.loads(exported.stdout)] == ["Ada"]
    reset = playbook("reset", "--home", str(home), "--all", "--yes", env=env, user=user)
    out = no_traceback(reset)
    assert reset.returncode == 1 and "read-only here" in out and "can be read and exported" in out
    answer = subprocess.run([sys.executable, "-c", textwrap.dedent(f"""
        from playbook_lib import Workbook, StoreError
        wb = Workbook.open(home={str(home)!r})
        print(len(wb.attempts(all_learners=True)))
        try:
            ex = next(e for e in wb.catalog.exercises if e.kind == "single-choice")
            wb.answer(ex.id, ex.answer)
        except StoreError as exc:
            print(type(exc).__name__, exc)
    """)], capture_output=True, text=True, cwd=ROOT, env=env, user=user, timeout=120)
    assert answer.stdout.startswith("1\nStoreReadOnlyError") and "nothing can be saved" in answer.stdout
    assert sorted(p.name for p in home.iterdir()) == before


def test_read_only_error_in_process(tmp_path: Path) -> None:
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        pytest.skip("root writes anywhere; the subprocess test covers this as user nobody")
    home = tmp_path / "home"
    Store.open(home).close()
    home.chmod(0o555)
    try:
        with Store.open(home) as store, pytest.raises(StoreReadOnlyError):
            store.set_setting("x", "y")
    finally:
        home.chmod(0o755)


@pytest.mark.parametrize(("args", "says"), [
    (["-n", "-5"], "1<=x<=200"), (["-n", "0"], "1<=x<=200"), (["-n", "100000000"], "1<=x<=200"),
    (["--tag", "no-such-tag"], "'no-such-tag' is not one of:"), (["--section", "nowhere"], "'nowhere' is not one of:"),
    (["--kind", "essay"], "'essay' is not one of"), (["--technique", "nope"], "'nope' is not one of:"),
])
def test_workshop_open_refuses_a_drill_that_makes_no_sense(tmp_path: Path, args: list[str], says: str) -> None:
    result = CliRunner().invoke(cli, ["workshop", "open", "--home", str(tmp_path), "--title", "T", *args])
    assert result.exit_code == 2 and says in result.output, result.output
    with Store.open(tmp_path) as store:
        assert store.workshops() == []


def test_workshop_open_refuses_an_empty_drill_and_lists_tags(tmp_path: Path, catalog: Catalog) -> None:
    tags = sorted({t for ex in catalog.exercises for t in ex.tags})
    result = CliRunner().invoke(cli, ["workshop", "open", "--home", str(tmp_path), "--title", "T", "--tag", "x-none"])
    assert all(tag in result.output for tag in tags[:3])
    kind_tags = {t for ex in catalog.exercises if ex.kind == "ordering" for t in ex.tags}
    other = next(t for t in tags if t not in kind_tags)
    empty = CliRunner().invoke(cli, ["workshop", "open", "--home", str(tmp_path), "--title", "T", "--kind", "ordering",
                                     "--tag", other])
    assert empty.exit_code == 2 and "the participants' drill would be empty" in empty.output
    ok = CliRunner().invoke(cli, ["workshop", "open", "--home", str(tmp_path), "--title", "T", "-n", "200"])
    assert ok.exit_code == 0, ok.output


def test_serve_on_all_addresses_prints_this_machines_addresses(monkeypatch: pytest.MonkeyPatch) -> None:
    import playbook_lib._serve as serve

    monkeypatch.setattr(serve, "run_until_stopped", lambda args: 0)
    out = CliRunner().invoke(cli, ["workshop", "serve", "--app", "voila", "--ip", "0.0.0.0", "--port", "8123",
                                   "--no-browser"]).output
    urls = [line.strip() for line in out.splitlines() if line.startswith("  http://")]
    assert urls or "No network address found" in out
    with socket.socket() as listener:  # every address printed reaches this machine
        listener.bind(("0.0.0.0", 0))
        listener.listen()
        port = listener.getsockname()[1]
        for url in urls:
            host = url.split("//")[1].rsplit(":", 1)[0]
            assert not host.startswith("127.") and host != "localhost"
            with socket.create_connection((host, port), timeout=5):
                pass
    assert "On this computer: http://localhost:8123/" in out
    local = CliRunner().invoke(cli, ["workshop", "serve", "--app", "voila", "--port", "8123"]).output
    assert "this computer only" in local and "http://localhost:8123/" in local


@pytest.mark.slow
@pytest.mark.parametrize("stop_with", [signal.SIGTERM, signal.SIGINT])
def test_stopping_serve_stops_voila_and_its_kernels(tmp_path: Path, stop_with: signal.Signals) -> None:
    psutil = pytest.importorskip("psutil")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    state = tmp_path / "jupyter"
    env = dict(os.environ, PLAYBOOK_HOME=str(tmp_path / "home"), JUPYTER_RUNTIME_DIR=str(state / "runtime"),
               JUPYTER_DATA_DIR=str(state / "data"), JUPYTER_CONFIG_DIR=str(state / "config"), IPYTHONDIR=str(state / "ipy"))
    env.pop("PLAYBOOK_DB_URL", None)
    log = (tmp_path / "serve.log").open("w")
    serve = subprocess.Popen([sys.executable, "-m", "playbook_lib", "workshop", "serve", "--app", "voila", "--no-browser",
                              f"--port={port}"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 240  # a loaded machine takes a minute for the first page
        pages = 0
        while pages < 2 and time.monotonic() < deadline:  # every page load starts a kernel
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=60).read()
                pages += 1
            except OSError:
                time.sleep(0.5)
        family = psutil.Process(serve.pid).children(recursive=True)
        assert pages == 2 and len(family) >= 3, [p.cmdline() for p in family]  # Voilà and two kernels
        serve.send_signal(stop_with)
        assert serve.wait(timeout=60) == 0
        _, alive = psutil.wait_procs(family, timeout=30)
        assert alive == [], [p.cmdline() for p in alive]
    finally:
        if serve.poll() is None:
            serve.kill()
        log.close()


# --- figures: writers killed, servers stopped -----------------------------------------

DRILLER = textwrap.dedent("""
    import sys, time
    from playbook_lib import Workbook, StoreError
    wb = Workbook.open(home=sys.argv[1] or None, learner="Kim")
    exercises = [ex for ex in wb.catalog.exercises if ex.kind == "single-choice"]
    n = 0
    while True:
        for ex in exercises:
            while True:  # a learner who presses Check again until it saves
                try:
                    wb.answer(ex.id, ex.answer, seconds=1.0)
                    break
                except StoreError:
                    print("failed", flush=True)
                    time.sleep(0.05)
            n += 1
            print(n, flush=True)
""")


def drive(home: str, env: dict[str, str], until: int, during: Callable[[], None] | None = None) -> tuple[int, int]:
    """Answer until ``until`` are confirmed (calling ``during`` halfway), kill -9 the writer; (confirmed, failures seen)."""
    proc = subprocess.Popen([sys.executable, "-c", DRILLER, home], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    confirmed = failures = 0
    for line in proc.stdout:
        if line.startswith("failed"):
            failures += 1
            continue
        confirmed = int(line)
        if during is not None and confirmed == until // 2:
            during()
            during = None
        if confirmed >= until:
            break
    os.kill(proc.pid, signal.SIGKILL)
    for line in proc.stdout:
        if not line.startswith("failed"):
            confirmed = int(line)
    proc.wait()
    return confirmed, failures


@pytest.mark.slow
def test_postgres_writer_killed_mid_drill_loses_no_confirmed_answer(pg_url: str, tmp_path: Path) -> None:
    env = dict(os.environ, PLAYBOOK_DB_URL=pg_url)
    confirmed, _ = drive("", env, 150)
    with Store(url=pg_url) as store:
        rows = store.count("Kim")
    assert 150 <= confirmed <= rows <= confirmed + 1


@pytest.mark.slow
def test_postgres_restarted_mid_drill_loses_no_confirmed_answer(pg_server: PgServer) -> None:
    env = dict(os.environ, PLAYBOOK_DB_URL=pg_server.url)

    def restart() -> None:
        pg_server.stop()
        time.sleep(1)
        pg_server.start()

    confirmed, failures = drive("", env, 300, restart)
    with Store(url=pg_server.url) as store:
        rows = store.count("Kim")
    assert failures >= 1  # the learner saw "not saved" while the server was down
    assert 300 <= confirmed <= rows <= confirmed + 1
