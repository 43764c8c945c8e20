"""The content-free session the command line works with, and the records it writes."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from playbook_lib import PlaybookError, Workbook
from playbook_lib.cli import cli
from playbook_lib.content import Catalog
from playbook_lib.engine import grade
from playbook_lib.records import COLUMNS, Attempt, Placement, check_attempt
from playbook_lib.session import Session
from playbook_lib.store import STORE_NAME, Store

PACKAGE = Path(__file__).resolve().parent.parent / "playbook_lib"


def test_an_attempt_is_built_once_from_feedback(catalog: Catalog) -> None:
    exercise = next(ex for ex in catalog.exercises if ex.kind == "single-choice")
    feedback = grade(catalog, exercise, exercise.choices[0].id, "zh-Hans")
    attempt = Attempt.from_feedback(feedback, Placement.of(catalog, exercise), learner="Ada", seconds=3.0)
    assert (attempt.exercise_id, attempt.kind, attempt.lang) == (exercise.id, "single-choice", "zh-Hans")
    assert attempt.section == catalog.section_of(exercise) and attempt.content_version == catalog.version
    assert attempt.mode == "practice" and attempt.answered_at.tzinfo is not None
    row = check_attempt(attempt)
    assert Attempt.from_row(row) == attempt and len(row) == len(COLUMNS)


def test_a_session_records_and_joins_without_content(catalog: Catalog, tmp_path: Path) -> None:
    exercise = next(ex for ex in catalog.exercises if ex.kind == "single-choice")
    feedback = grade(catalog, exercise, exercise.choices[0].id)
    with Session(Store(tmp_path / STORE_NAME), "Trainer") as trainer:
        code = trainer.trainer.open_workshop("Tuesday", n=5).code
        participant = Session(trainer.store)  # the participant app on the trainer's laptop: one record
        participant.join(code, "Kim")
        saved = participant.record(feedback, Placement.of(catalog, exercise), seconds=4.0)
        assert saved.mode == "workshop" and saved.session == code and saved.learner == "Kim"
        assert trainer.store.card("Kim", exercise.id) is not None  # the review card moved in the same write
        ((workshop, people, answers),) = trainer.trainer.workshops()
        assert (workshop.code, people, answers) == (code, 1, 1)
        assert [a.uid for a in trainer.attempts(code=code.lower(), all_learners=True)] == [saved.uid]


def test_a_learner_not_remembered_is_only_used(tmp_path: Path) -> None:
    store = Store(tmp_path / STORE_NAME)
    Session(store, "Ada").close()
    with Session(Store(tmp_path / STORE_NAME), "Bo", remember=False) as other:
        assert other.learner == "Bo"
    with Session(Store(tmp_path / STORE_NAME)) as again:
        assert again.learner == "Ada" and again.learner_known
    with pytest.raises(PlaybookError, match="1 to 80"):
        Session(Store(tmp_path / STORE_NAME), "x" * 81)


def test_trainer_calls_are_grouped_and_the_old_ones_still_work(catalog: Catalog, tmp_path: Path) -> None:
    wb = Workbook(catalog, Store(tmp_path / STORE_NAME), learner="Trainer")
    assert wb.trainer.open_workshop("Grouped", kind="signal-id").code
    assert wb.open_workshop("Old call", n=3).code  # earlier notebooks' one-line call
    with pytest.raises(PlaybookError):
        wb.trainer.open_workshop("No such kind", kind="no-such-kind")
    assert wb.workshop_panel.__name__ == "panel" and wb.dashboard.__name__ == "dashboard"
    with pytest.raises(AttributeError):
        wb.no_such_call  # noqa: B018
    wb.close()


def test_shared_options_go_before_or_after_the_command(tmp_path: Path) -> None:
    home = tmp_path / "h"
    opened = CliRunner().invoke(cli, ["--home", str(home), "workshop", "open", "--title", "Before", "-n", "3"])
    assert opened.exit_code == 0, opened.output
    listed = CliRunner().invoke(cli, ["workshop", "list", "--home", str(home)])
    assert "Before" in listed.output
    where = CliRunner().invoke(cli, ["where", "--home", str(home)]).output
    assert str(home / STORE_NAME) in where
    assert json.loads(CliRunner().invoke(cli, ["--home", str(home), "export", "--format", "json"]).output) == []


def test_the_command_line_never_opens_the_store_and_only_the_store_writes_sql() -> None:
    cli_source = (PACKAGE / "cli.py").read_text()
    assert "Store" not in {node.id for node in ast.walk(ast.parse(cli_source)) if isinstance(node, ast.Name)}
    assert ".learner =" not in cli_source
    sql = ("SELECT ", "INSERT INTO", "DELETE FROM", "UPDATE ", "CREATE TABLE")
    writers = sorted(p.name for p in PACKAGE.rglob("*.py") if any(word in p.read_text() for word in sql))
    assert writers == ["_db.py", "stats.py", "store.py"]


def test_the_language_is_remembered_per_learner_on_a_shared_computer(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import getpass

    from playbook_lib.session import LANG_KEY, _user_key

    monkeypatch.delenv("PLAYBOOK_LANG", raising=False)
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    store = Store(tmp_path / STORE_NAME)
    Session(store, "陈静").set_language("zh-Hant")
    Session(store, "Kim").set_language("en")  # the same computer user, another learner
    assert Session(store, "陈静").lang == "zh-Hant" and Session(store).lang == "zh-Hant"
    assert Session(store, "Kim", remember=False).lang == "en"
    assert Session(store, "Bo").lang == "en"  # no choice of their own: this computer user's last one
    switched = Session(store, "Kim")
    switched.set_learner("陈静")
    assert switched.lang == "zh-Hant"
    given = Session(store, "Kim", lang="zh-Hans")  # a language given for this session stays
    given.set_learner("陈静")
    assert given.lang == "zh-Hans"
    monkeypatch.setattr(getpass, "getuser", lambda: "another-user")
    assert Session(store, "陈静").lang == "zh-Hant"  # the learner's choice, whoever is logged in
    assert Session(store, "Lin").lang == "en"  # nothing remembered for this user: the locale
    store.close()
    older = Store(tmp_path / "older.sqlite")  # a record from before: one language per computer user
    older.set_setting(_user_key(LANG_KEY), "zh-Hans")
    assert Session(older, "Ada").lang == "zh-Hans"
    older.close()


def test_the_start_form_links_to_the_notebook_in_the_chosen_language(catalog: Catalog, tmp_path: Path) -> None:
    notebooks = PACKAGE.parent / "notebooks"
    for page_lang, chosen, href, words in [("en", "zh-Hant", "zh-Hant/00-start-here.ipynb", "打開本頁的繁體中文版"),
                                           ("zh-Hans", "en", "../00-start-here.ipynb", "Open this page in English"),
                                           ("zh-Hant", "zh-Hans", "../zh-Hans/00-start-here.ipynb", "打开本页的简体中文版")]:
        wb = Workbook(catalog, Store(tmp_path / f"{page_lang}.sqlite"), learner="陈静", lang=page_lang)
        form = wb.name_form()
        form.save_button.click()
        assert "href" not in form.status.value  # the notebook's own language: no link
        form.language.value = chosen
        form.save_button.click()
        assert f"href='{href}'" in form.status.value and words in form.status.value, form.status.value
        assert (notebooks / (page_lang if page_lang != "en" else "") / href).resolve().is_file()
        wb.close()
