"""Shared fixtures: the shipped catalogue, a throwaway practice record, a workbook on it."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from playbook_lib import Workbook, load_catalog
from playbook_lib.content import Catalog
from playbook_lib.store import Store

ROOT = Path(__file__).resolve().parent.parent
# A single-choice item full of cues: the key is first and longest, one distractor a word, one "all of the above"
CUE_ITEM = """\
  - id: ex.cue.item-{n}
    kind: single-choice
    title: "Cue item {n}"
    about: [technique.summary-close]
    prompt: "The customer has agreed to every point. What now?"
    options:
      - id: a
        text: "Sum up the benefits the customer agreed to, paint the picture after signing, then ask for the order"
        why: "Right: this is the summary close."
      - id: b
        text: "Wait"
        why: "Waiting hands the moment to the customer."
      - id: c
        text: "All of the above"
        why: "Not a real option."
    answer: a
"""


def trainer_file(folder: Path, item: str, count: int, name: str = "cues.yaml") -> Path:
    """``folder`` (made if missing) with a file of ``count`` exercises, ``item`` formatted with ``n`` = 0, 1, ..."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text("exercises:\n" + "".join(item.format(n=n) for n in range(count)), encoding="utf-8")
    return folder


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the user's record, extra content folders or language: the locale is English unless a test
    sets another (a machine set up in Chinese runs the same tests)."""
    monkeypatch.setenv("PLAYBOOK_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("PLAYBOOK_CONTENT", raising=False)
    monkeypatch.delenv("PLAYBOOK_LANG", raising=False)
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    # C.UTF-8 exists everywhere (tools such as initdb refuse a locale the machine lacks); LANGUAGE, read after
    # LANG and only for the language of messages, makes it English
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("LANGUAGE", "en_US")
    monkeypatch.setenv("MPLBACKEND", "Agg")


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "record" / "practice.sqlite") as s:
        yield s


@pytest.fixture
def workbook(catalog: Catalog, tmp_path: Path) -> Iterator[Workbook]:
    wb = Workbook(catalog, Store(tmp_path / "wb" / "practice.sqlite"), learner="Ada")
    yield wb
    wb.close()


def first_of_kind(catalog: Catalog, kind: str):
    """The first exercise of a kind in the shipped bank."""
    return next(ex for ex in catalog.exercises if ex.kind == kind)


PG_ENV = "PLAYBOOK_TEST_PG_URL"


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database (``python3 run.py test`` starts the server)."""
    admin_url = os.environ.get(PG_ENV)
    if not admin_url:
        pytest.skip(f"no PostgreSQL server ({PG_ENV} is not set; `python3 run.py test` starts one)")
    import psycopg

    name = f"playbook_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(params=["sqlite", "postgresql"])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """The same tests on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        store = Store(tmp_path / "shared" / "practice.sqlite")
    else:
        store = Store(url=request.getfixturevalue("pg_url"))
    yield store
    store.close()
