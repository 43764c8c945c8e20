"""Trainers' own content: templates, folders merged into drills, the JSON Schema, previews."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from playbook_lib import Workbook
from playbook_lib.cli import cli
from playbook_lib.content import DATA_DIR
from playbook_lib.templates import TEMPLATE_KINDS


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def trainer_folder(tmp_path: Path, *kinds: str) -> Path:
    folder = tmp_path / "my-course"
    folder.mkdir(exist_ok=True)
    for kind in kinds:
        (folder / f"{kind}.yaml").write_text(invoke("new", kind).output, encoding="utf-8")
    return folder


@pytest.mark.parametrize("kind", TEMPLATE_KINDS)
def test_every_template_validates_as_printed(tmp_path: Path, kind: str) -> None:
    folder = trainer_folder(tmp_path, kind)
    result = invoke("validate", str(folder))
    assert result.exit_code == 0, result.output
    assert "#" in (folder / f"{kind}.yaml").read_text()  # it is commented


def test_all_templates_together_still_validate(tmp_path: Path) -> None:
    folder = trainer_folder(tmp_path, *TEMPLATE_KINDS)
    assert invoke("validate", "--content", str(folder)).exit_code == 0


def test_unknown_template_kind_is_refused() -> None:
    result = CliRunner().invoke(cli, ["new", "essay"])
    assert result.exit_code == 2 and "essay" in result.output


def test_trainer_folder_from_environment_reaches_drills(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = trainer_folder(tmp_path, "signal-id", "best-moment")
    monkeypatch.setenv("PLAYBOOK_CONTENT", str(folder))
    wb = Workbook.open(home=tmp_path / "home")
    drill = wb.drill(n=None, kind="signal-id")
    assert {"ex.my.signal-first", "ex.my.signal-second"} <= {item.exercise.id for item in drill.items}
    feedback = wb.answer("ex.my.best-moment-first", "l3")
    assert feedback.correct
    wb.close()


def test_trainer_folder_with_the_content_option(tmp_path: Path) -> None:
    folder = trainer_folder(tmp_path, "ordering")
    data = json.loads(invoke("catalog", "--json", "--content", str(folder)).output)
    shipped = json.loads(invoke("catalog", "--json").output)
    assert data["exercises"] == shipped["exercises"] + 1


def test_trainer_items_of_their_own(tmp_path: Path) -> None:
    folder = trainer_folder(tmp_path, "technique-match")
    (folder / "methods.yaml").write_text(Path(__file__).with_name("trainer_method.yaml").read_text(), encoding="utf-8")
    result = invoke("validate", str(folder))
    assert result.exit_code == 0, result.output
    data = json.loads(invoke("catalog", "--json", "--content", str(folder)).output)
    assert {"id": "technique.trial-period-close", "kind": "technique", "title": "Trial-period close",
            "exercises": 1} in data["items"]


def test_clash_with_a_shipped_id_names_both_files(tmp_path: Path) -> None:
    folder = trainer_folder(tmp_path, "single-choice")
    text = (folder / "single-choice.yaml").read_text().replace("ex.my.single-choice-first", "ex.signal.stationery-sign-now")
    (folder / "single-choice.yaml").write_text(text)
    result = invoke("validate", str(folder))
    assert result.exit_code == 1
    line = next(line for line in result.output.splitlines() if "duplicate id" in line)
    assert "single-choice.yaml:" in line and "data/exercises/signals.yaml:" in line


def test_schema_accepts_every_shipped_file_and_template(tmp_path: Path) -> None:
    out = tmp_path / "schema.json"
    invoke("schema", "-o", str(out))
    schema = json.loads(out.read_text())
    validator = jsonschema.Draft202012Validator(schema)
    for path in sorted(DATA_DIR.rglob("*.yaml")):
        errors = list(validator.iter_errors(yaml.safe_load(path.read_text(encoding="utf-8"))))
        assert errors == [], (path, errors[:1])
    for kind in TEMPLATE_KINDS:
        assert list(validator.iter_errors(yaml.safe_load(invoke("new", kind).output))) == []


def test_schema_rejects_a_typo(tmp_path: Path) -> None:
    schema = json.loads(invoke("schema").output)
    bad = yaml.safe_load(invoke("new", "single-choice").output)
    bad["exercises"][0]["promt"] = bad["exercises"][0].pop("prompt")
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(bad))


def test_preview_shows_a_valid_file_and_records_nothing(tmp_path: Path) -> None:
    folder = trainer_folder(tmp_path, "signal-id")
    wb = Workbook.open(home=tmp_path / "home")
    box = wb.preview(folder / "signal-id.yaml")
    status, *views = box.children
    assert "✔ signal-id.yaml is valid" in status.value and "2 exercise(s)" in status.value
    assert len(views) == 2
    views[0].step_one.value = "signal"
    views[0].step_two.value = "signal.verbal.delivery-time"
    views[0].check_button.click()
    assert "✔ Right" in views[0].result.value
    assert wb.attempts() == []
    wb.close()


def test_preview_lists_problems_first(tmp_path: Path) -> None:
    folder = trainer_folder(tmp_path, "single-choice")
    path = folder / "single-choice.yaml"
    path.write_text(path.read_text().replace("    answer: a", "    answer: z"))
    wb = Workbook.open(home=tmp_path / "home")
    box = wb.preview(path)
    assert "✘ 1 problem(s)" in box.value and "single-choice.yaml:" in box.value and "answer" in box.value
    wb.close()


DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_example_course_validates_and_broken_course_shows_each_mistake() -> None:
    assert invoke("validate", str(DOCS / "examples" / "trainer-course")).exit_code == 0
    result = invoke("validate", str(DOCS / "examples" / "broken-course"))
    assert result.exit_code == 1
    reasons = [line.split(": ", 2)[-1] for line in result.output.splitlines() if "signals.yaml:" in line]
    assert reasons == ["unknown id 'signal.verbal.price-bargain'",
                       "'signal.verbal.delivery-time' is not one of the options "
                       "(signal.action, signal.verbal.price-bargaining, signal.verbal.sympathy)",
                       "required field is missing",
                       "unknown field; check its spelling against docs/content-format.md"]


def test_shipped_schema_file_is_up_to_date() -> None:
    assert json.loads((DOCS / "closing-playbook.schema.json").read_text()) == json.loads(invoke("schema").output)


def test_workbook_validate_and_template_for_the_notebook(tmp_path: Path) -> None:
    wb = Workbook.open(home=tmp_path / "home")
    assert "no problems" in wb.validate(DOCS / "examples" / "trainer-course").data
    assert "✘ 4 problem(s)" in wb.validate(DOCS / "examples" / "broken-course").data
    assert wb.template("ordering").data.startswith("```yaml\n# An ordering exercise")
    wb.close()
