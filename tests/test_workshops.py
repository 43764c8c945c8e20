"""Workshops on SQLite and PostgreSQL: codes, joining, a class of 30 at once, import, the dashboard."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from playbook_lib import Workbook, WorkshopError
from playbook_lib.cli import cli
from playbook_lib.content import Catalog
from playbook_lib.dashboard import class_summary
from playbook_lib.i18n import ui
from playbook_lib.store import STORE_NAME, Store, is_valid_code, new_code

ROOT = Path(__file__).resolve().parent.parent


def book(catalog: Catalog, store: Store) -> Workbook:
    return Workbook(catalog, store)


def answer_some(wb: Workbook, n: int, right: bool = True) -> None:
    signals = [e for e in wb.catalog.exercises if e.kind == "signal-id"][:n]
    for ex in signals:
        truth = {"signal": True, "kind": ex.answer} if ex.is_signal else {"signal": False}
        wb.answer(ex.id, truth if right else {"signal": not ex.is_signal, "kind": ex.options[0].id}, seconds=7)


def test_workshop_panel_opens_only_on_click_and_closes(any_store: Store, catalog: Catalog) -> None:
    trainer = book(catalog, any_store)
    panel = trainer.workshop_panel()
    assert any_store.workshops() == [] and panel.close_button.disabled
    panel.title.value = "Tuesday group"
    panel.n.value = 4
    panel.open_button.click()
    (opened,) = any_store.workshops()
    assert opened.code in panel.status.value and opened.drill == {"n": 4, "kind": "signal-id", "lang": "en"}
    assert panel.to_close.value == opened.code
    panel.close_button.click()
    assert not any_store.workshop(opened.code).is_open and "Closed" in panel.status.value
    assert panel.to_close.options == ()


def test_dashboard_picker_switches_workshop(any_store: Store, catalog: Catalog, tmp_path: Path) -> None:
    trainer = book(catalog, any_store)
    first = trainer.open_workshop("First").code
    second = trainer.open_workshop("Second").code
    rep = book(catalog, any_store)
    rep.join(first, "Ana")
    answer_some(rep, 2)
    view = trainer.dashboard(export_folder=tmp_path)
    assert view.picker.value in (first, second)
    view.picker.value = first
    assert "Ana" in view.tables.value and "First" in view.tables.value
    view.picker.value = second
    assert "No one has joined yet" in view.tables.value


def test_codes_are_short_and_checked() -> None:
    codes = {new_code() for _ in range(200)}
    assert len(codes) == 200 and all(len(c) == 6 and is_valid_code(c) for c in codes)
    code = sorted(codes)[0]
    typo = code[:2] + ("A" if code[2] != "A" else "B") + code[3:]
    assert not is_valid_code(typo) or typo == code
    assert is_valid_code(code.lower()[:3] + "-" + code.lower()[3:])


def test_join_answer_and_close(any_store: Store, catalog: Catalog) -> None:
    trainer = book(catalog, any_store)
    workshop = trainer.open_workshop("Signals, Tuesday", kind="signal-id", n=5)
    rep = book(catalog, any_store)
    participant = rep.join(workshop.code.lower(), "Sam")
    assert participant.code == workshop.code and rep.mode == "workshop" and rep.session == workshop.code
    drill = rep.workshop_drill()
    assert len(drill.items) == 5 and {i.exercise.kind for i in drill.items} == {"signal-id"}
    answer_some(rep, 3)
    rows = any_store.attempts(session=workshop.code)
    assert len(rows) == 3 and {r.participant for r in rows} == {participant.id} and {r.mode for r in rows} == {"workshop"}
    any_store.close_workshop(workshop.code)
    with pytest.raises(WorkshopError, match="is closed"):
        book(catalog, any_store).join(workshop.code, "Late Larry")
    assert len(any_store.attempts(session=workshop.code)) == 3  # closing keeps the answers


def test_unknown_code_gets_a_clear_message(any_store: Store, catalog: Catalog) -> None:
    with pytest.raises(WorkshopError, match="No workshop has the code 'NOPE42'"):
        book(catalog, any_store).join("nope-42", "Sam")


def test_same_name_participants_stay_apart(any_store: Store, catalog: Catalog) -> None:
    code = book(catalog, any_store).open_workshop("Pairs").code
    first, second = book(catalog, any_store), book(catalog, any_store)
    a, b = first.join(code, "Sam Lee"), second.join(code, "Sam Lee")
    assert a.id != b.id
    answer_some(first, 4, right=True)
    answer_some(second, 4, right=False)
    summary = class_summary(any_store, catalog, code)
    assert [p.name for p in summary.participants] == ["Sam Lee (1)", "Sam Lee (2)"]
    assert [p.mean_score for p in summary.participants] == [1.0, 0.0]


def test_offline_join_on_a_laptop(tmp_path: Path, catalog: Catalog) -> None:
    laptop = book(catalog, Store(tmp_path / STORE_NAME))
    code = new_code()
    joined = laptop.join(code, "Kim", offline=True)  # a code opened on the trainer's computer: unchecked here
    assert joined.code == code and joined.offline and laptop.store.participants(code) == [joined]
    assert laptop.store.workshops() == []  # and no workshop is made up in this record


def test_shared_postgres_only_takes_codes_it_opened(pg_url: str, catalog: Catalog) -> None:
    with pytest.raises(WorkshopError, match="No workshop has the code"):
        book(catalog, Store(url=pg_url)).join(new_code(), "Kim")


def test_dashboard_for_an_empty_and_a_full_session(any_store: Store, catalog: Catalog, tmp_path: Path) -> None:
    trainer = book(catalog, any_store)
    empty = trainer.dashboard(export_folder=tmp_path)
    assert "No workshop yet" in empty.tables.value and empty.export_button.disabled
    code = trainer.open_workshop("Dashboard check").code
    empty.refresh_button.click()  # a workshop opened meanwhile appears on Refresh
    assert empty.picker.value == code and "No one has joined yet" in empty.tables.value
    view = trainer.dashboard(export_folder=tmp_path)
    assert "No one has joined yet" in view.tables.value and code in view.tables.value
    for name, right in (("Ana", True), ("Ben", False), ("Cy", True)):
        rep = book(catalog, any_store)
        rep.join(code, name)
        answer_some(rep, 6, right)
    view.refresh_button.click()
    html = view.tables.value
    assert "3 participants" in html and "18 answers" in html and "Ana" in html and "Slowest items" in html
    assert "confuses most" in html
    assert view.refreshed == 2 and len(view.figure.axes) == 2
    view.export_button.click()
    exported = (tmp_path / f"workshop-{code}.csv").read_text(encoding="utf-8").splitlines()
    assert len(exported) == 1 + 18 and "Saved" in view.status.value


def _cells(html: str, tag: str = "td") -> list[tuple[bool, str]]:
    """(is numeric, text) of every cell of a table."""
    return [(bool(num), text) for num, text in re.findall(rf"<{tag}( class='num')?>(.*?)</{tag}>", html)]


@pytest.mark.parametrize(("lang", "heading", "people"), [("en", "Participants", "2 participants"),
                                                         ("zh-Hans", "参与者", "2 位参与者"),
                                                         ("zh-Hant", "參與者", "2 位參與者")])
def test_dashboard_speaks_the_trainers_language(store: Store, catalog: Catalog, tmp_path: Path, lang: str, heading: str,
                                                people: str) -> None:
    trainer = Workbook(catalog, store, lang=lang)
    code = trainer.open_workshop("<b>Room</b> $5$").code
    for name, right in (("Ana <i>", True), ("Ben", False)):
        rep = book(catalog, store)
        rep.join(code, name)
        answer_some(rep, 4, right)
    view = trainer.dashboard(code, export_folder=tmp_path)
    html = view.tables.value
    assert f"<h4>{heading}</h4>" in html and people in html and f"lang='{lang}'" in html
    assert "&lt;b&gt;Room&lt;/b&gt; $5$" in html and "<b>Room" not in html and "Ana &lt;i&gt;" in html
    cells = _cells(html)
    numbers = [text for num, text in cells if num]
    words = [text for num, text in cells if not num]
    assert numbers and all(re.fullmatch(r"\d+( ?%)?|–", text) for text in numbers)
    assert words and not any(re.fullmatch(r"\d+( ?%)?", text) for text in words)
    assert [num for num, _ in _cells(html, "th")] == [False, True, True] * 2
    confused = ui("signal.no", lang)
    assert confused in html.split(ui("dashboard.confused", lang))[1]  # kinds named in the trainer's language
    assert view.figure.axes[0].get_title() == ui("dashboard.spread.title", lang)


def test_dashboard_counts_a_class_once(store: Store, catalog: Catalog) -> None:
    code = book(catalog, store).open_workshop("Counts").code
    for name, right in (("Ana", True), ("Ben", False), ("Cy", True)):
        rep = book(catalog, store)
        rep.join(code, name)
        answer_some(rep, 3, right)
    summary = class_summary(store, catalog, code)
    assert [(p.name, p.answers, p.mean_score) for p in summary.participants] == [("Ana", 3, 1.0), ("Ben", 3, 0.0),
                                                                                ("Cy", 3, 1.0)]
    assert sorted((i.answers, i.share_right) for i in summary.items) == [(3, pytest.approx(2 / 3))] * 3
    assert summary.confusion.answers == 9 and summary.answers == 9


PARTICIPANT = textwrap.dedent("""
    import sys
    from playbook_lib import Workbook
    wb = Workbook.open(home=sys.argv[1] or None)
    wb.join(sys.argv[2], "Rep")   # everyone has the same name: ids keep them apart
    exercises = [e for e in wb.catalog.exercises if e.kind == "signal-id"][: int(sys.argv[3])]
    for ex in exercises:
        wb.answer(ex.id, {"signal": False}, seconds=3)
    print(wb.participant)
""")


def run_class(home: str, code: str, env: dict[str, str], people: int = 30, answers: int = 40) -> list[str]:
    procs = [subprocess.Popen([sys.executable, "-c", PARTICIPANT, home, code, str(answers)], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(people)]
    outs = [p.communicate(timeout=600) for p in procs]
    assert [p.returncode for p in procs] == [0] * people, [err for _, err in outs if err][:1]
    return [out.strip() for out, _ in outs]


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_thirty_participants_at_once_lose_nothing(backend: str, tmp_path: Path, catalog: Catalog,
                                                  request: pytest.FixtureRequest) -> None:
    import os

    env = dict(os.environ)
    if backend == "postgresql":
        url = request.getfixturevalue("pg_url")
        env["PLAYBOOK_DB_URL"] = url
        store, home = Store(url=url), ""
    else:
        env.pop("PLAYBOOK_DB_URL", None)
        store, home = Store(tmp_path / STORE_NAME), str(tmp_path)
    code = book(catalog, store).open_workshop("Thirty").code
    ids = run_class(home, code, env)
    assert len(set(ids)) == 30
    assert store.count(session=code) == 30 * 40
    summary = class_summary(store, catalog, code)
    assert len(summary.participants) == 30 and {p.answers for p in summary.participants} == {40}
    store.close()


def test_results_files_import_once(tmp_path: Path, catalog: Catalog) -> None:
    code = new_code()
    files = []
    for name in ("Ana", "Ben"):
        home = tmp_path / name
        rep = Workbook.open(home=home)
        rep.join(code, name, offline=True)
        answer_some(rep, 5)
        rep.close()
        out = tmp_path / f"{name}.{'csv' if name == 'Ana' else 'json'}"
        fmt = "csv" if name == "Ana" else "json"
        result = CliRunner().invoke(cli, ["export", "--home", str(home), "--session", code, "--format", fmt,
                                          "-o", str(out)])
        assert result.exit_code == 0
        files.append(str(out))
    trainer_home = tmp_path / "trainer"
    first = CliRunner().invoke(cli, ["import", "--home", str(trainer_home), *files])
    assert "5 new of 5" in first.output
    again = CliRunner().invoke(cli, ["import", "--home", str(trainer_home), *files])
    assert again.output.count("0 new of 5") == 2
    with Store(trainer_home / STORE_NAME) as store:
        rows = store.attempts(session=code)
        assert len(rows) == 10 and {r.learner for r in rows} == {"Ana", "Ben"}
        assert all(r.participant for r in rows) and rows[0].answer in ({"signal": False, "kind": None},
                                                                        {"signal": True, "kind": rows[0].answer["kind"]})


def test_import_of_a_bad_file_says_so(tmp_path: Path) -> None:
    bad = tmp_path / "notes.csv"
    bad.write_text("hello,world\n1,2\n")
    result = subprocess.run([sys.executable, "-m", "playbook_lib", "import", "--home", str(tmp_path), str(bad)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 1 and "not a results file" in result.stderr and "Traceback" not in result.stderr


def test_workshop_commands(tmp_path: Path) -> None:
    home = str(tmp_path / "home")
    opened = CliRunner().invoke(cli, ["workshop", "open", "--home", home, "--title", "Tuesday", "--kind", "signal-id"])
    assert opened.exit_code == 0, opened.output
    code = opened.output.split("Code: ")[1].split()[0]
    listed = CliRunner().invoke(cli, ["workshop", "list", "--home", home]).output
    assert code in listed and "open" in listed and "Tuesday" in listed
    closed = CliRunner().invoke(cli, ["workshop", "close", "--home", home, code.lower()])
    assert f"Closed {code}" in closed.output
    assert "closed" in CliRunner().invoke(cli, ["workshop", "list", "--home", home]).output
    bad = CliRunner().invoke(cli, ["workshop", "open", "--home", home, "--title", "X", "--technique", "nope"])
    assert bad.exit_code != 0


def test_json_export_round_trips(tmp_path: Path) -> None:
    rep = Workbook.open(home=tmp_path)
    answer_some(rep, 2)
    rep.close()
    data = json.loads(CliRunner().invoke(cli, ["export", "--home", str(tmp_path), "--format", "json"]).output)
    assert len(data) == 2 and data[0]["participant"] == ""
