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

from .conftest import CUE_ITEM, trainer_file


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
    shipped = Workbook.open(home=tmp_path / "home").catalog
    clash = next(ex.id for ex in shipped.exercises if ex.kind == "single-choice")
    first = shipped.sources[clash]
    text = (folder / "single-choice.yaml").read_text().replace("ex.my.single-choice-first", clash)
    (folder / "single-choice.yaml").write_text(text)
    result = invoke("validate", str(folder))
    assert result.exit_code == 1
    line = next(line for line in result.output.splitlines() if "duplicate id" in line)
    assert line == f"{folder / 'single-choice.yaml'}:6: exercises[0].id: duplicate id '{clash}' (first in {first})"


def test_schema_accepts_every_shipped_file_and_template(tmp_path: Path) -> None:
    out = tmp_path / "schema.json"
    invoke("schema", "-o", str(out))
    schema = json.loads(out.read_text())
    validator = jsonschema.Draft202012Validator(schema)
    for path in sorted(p for p in DATA_DIR.rglob("*.yaml") if not {"i18n", "coach"} & set(p.parts)):
        errors = list(validator.iter_errors(yaml.safe_load(path.read_text(encoding="utf-8"))))
        assert errors == [], (path, errors[:1])
    for kind in TEMPLATE_KINDS:
        for lang in ("en", "zh-Hans"):
            assert list(validator.iter_errors(yaml.safe_load(invoke("new", kind, "--lang", lang).output))) == []


def test_schema_rejects_a_typo(tmp_path: Path) -> None:
    schema = json.loads(invoke("schema").output)
    bad = yaml.safe_load(invoke("new", "single-choice").output)
    bad["exercises"][0]["promt"] = bad["exercises"][0].pop("prompt")
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(bad))


def test_preview_shows_a_valid_file_and_records_nothing(tmp_path: Path) -> None:
    folder = trainer_folder(tmp_path, "signal-id")
    wb = Workbook.open(home=tmp_path / "home")
    box = wb.trainer.preview(folder / "signal-id.yaml")
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
    box = wb.trainer.preview(path)
    assert "✘ 1 problem(s)" in box.value and "single-choice.yaml:" in box.value and "answer" in box.value
    wb.close()


DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_example_course_validates_and_broken_course_shows_each_mistake() -> None:
    assert invoke("validate", str(DOCS / "examples" / "trainer-course")).exit_code == 0
    result = invoke("validate", str(DOCS / "examples" / "broken-course"))
    assert result.exit_code == 1
    reasons = [line.split(": ", 2)[-1] for line in result.output.splitlines() if "signals.yaml:" in line]
    assert reasons == ["unknown id 'signal.verbal.price-bargain'; did you mean 'signal.verbal.price-bargaining'?",
                       "'signal.verbal.delivery-time' is not one of the options "
                       "(signal.action, signal.verbal.price-bargaining, signal.verbal.sympathy)",
                       "required field is missing",
                       "unknown field; did you mean 'prompt'?"]


def test_shipped_schema_file_is_up_to_date() -> None:
    assert json.loads((DOCS / "closing-playbook.schema.json").read_text()) == json.loads(invoke("schema").output)


def test_workbook_validate_and_template_for_the_notebook(tmp_path: Path) -> None:
    wb = Workbook.open(home=tmp_path / "home")
    assert "no problems" in wb.trainer.validate(DOCS / "examples" / "trainer-course").data
    assert "✘ 4 problem(s)" in wb.trainer.validate(DOCS / "examples" / "broken-course").data
    assert wb.trainer.template("ordering").data.startswith("```yaml\n# An ordering exercise")
    wb.close()


def test_the_notebooks_trainer_calls_speak_the_workbooks_language(tmp_path: Path) -> None:
    wb = Workbook.open(home=tmp_path / "home", lang="zh-Hans")
    assert wb.trainer.template("signal-id").data.startswith("```yaml\n# 成交信号")
    assert "没有问题" in wb.trainer.validate(DOCS / "examples" / "trainer-course").data
    broken = wb.trainer.validate(DOCS / "examples" / "broken-course").data
    assert "✘ 发现 4 个问题：" in broken and "signals.yaml:" in broken
    assert "检查通过" in wb.trainer.preview(DOCS / "examples" / "trainer-course").children[0].value
    wb.lang = "zh-Hant"
    assert "沒有問題" in wb.trainer.validate(DOCS / "examples" / "trainer-course").data
    wb.close()


# --- strict mode, required languages, messages in Chinese ------------------------------------------

def cue_folder(tmp_path: Path) -> Path:
    return trainer_file(tmp_path / "cues", CUE_ITEM, 6)


def test_the_shipped_bank_passes_strict_validation_with_both_languages() -> None:
    from playbook_lib.validation import check

    report = check(require=("en", "zh"))
    assert [str(p) for p in report.errors] == []
    assert [str(p) for p in report.warnings] == []
    result = invoke("validate", "--strict", "--require", "en,zh")
    assert result.exit_code == 0 and result.output.startswith("OK: ")


def test_warnings_are_listed_after_a_heading_and_do_not_fail_without_strict(tmp_path: Path) -> None:
    folder = cue_folder(tmp_path)
    result = invoke("validate", str(folder))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("OK: ")
    assert lines[1] == "Warnings (14): cues that give the answer away, and language slips"
    cues = str(folder / "cues.yaml")
    per_item = [[f"{cues}:{9 + 16 * n}: exercises[{n}].options[0].text.en: this option is 24.8 times as long as the "
                 "shortest (99 vs 4 characters); options of very unequal length give the answer away",
                 f"{cues}:{15 + 16 * n}: exercises[{n}].options[2].text.en: 'all/none of the above' rewards "
                 "test-taking, not judgement; write a real option"] for n in range(6)]
    assert lines[2:] == [
        f"{cues}:2: exercises[0].id: the key is option 1 (in file order) in 6 of 6 items of this file; vary where the key stands",
        f"{cues}:2: exercises[0].id: the key is the longest option (en) in 6 of 6 single-choice items of this file; "
        "keep it to a third at most (ex.cue.item-0, ex.cue.item-1, ex.cue.item-2, ex.cue.item-3, ex.cue.item-4, "
        "ex.cue.item-5)",
        *(line for pair in per_item for line in pair),
        "The warnings do not stop learners; fix them, or check with --strict before sharing."]


def test_strict_fails_on_a_cue_ridden_trainer_file(tmp_path: Path) -> None:
    folder = cue_folder(tmp_path)
    result = invoke("validate", "--strict", str(folder))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == "Warnings (14): cues that give the answer away, and language slips"
    assert lines[-2:] == ["14 problem(s) found.", "--strict: the warnings count as problems."]


def test_an_about_that_contradicts_the_key_fails_even_without_strict(tmp_path: Path) -> None:
    folder = trainer_folder(tmp_path, "signal-id")
    path = folder / "signal-id.yaml"
    path.write_text(path.read_text().replace("about: [signal.verbal.delivery-time]", "about: [signal.action]"))
    result = invoke("validate", str(folder))
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{path}:10: exercises[0].about: about names signal.action but the answer is 'signal.verbal.delivery-time'; "
        "about lists the signal practised, so it must name the answer",
        "1 problem(s) found."]


def test_required_languages_fail_an_english_only_folder(tmp_path: Path) -> None:
    folder = trainer_folder(tmp_path, "reflection")
    assert invoke("validate", str(folder)).exit_code == 0
    result = invoke("validate", "--require", "zh,en", str(folder))
    assert result.exit_code == 1
    path = folder / "reflection.yaml"
    assert result.output.splitlines()[:2] == [
        f"{path}:6: exercises[0].title: no Chinese text; this folder requires zh, en",
        f"{path}:8: exercises[0].prompt: no Chinese text; this folder requires zh, en"]
    assert result.output.splitlines()[-1] == "6 problem(s) found."


def test_a_folder_setting_requires_languages(tmp_path: Path) -> None:
    folder = trainer_folder(tmp_path, "reflection")
    (folder / "playbook-folder.yaml").write_text("require: [zh, en]\n", encoding="utf-8")
    result = invoke("validate", str(folder))
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        f"{folder / 'reflection.yaml'}:6: exercises[0].title: no Chinese text; this folder requires zh, en")
    (folder / "playbook-folder.yaml").write_text("requires: [zh, fr]\n", encoding="utf-8")
    result = invoke("validate", str(folder))
    assert result.output.splitlines()[0] == (
        f"{folder / 'playbook-folder.yaml'}:1: requires: unknown setting; the settings are: require; did you mean 'require'?")


def test_messages_in_chinese_keep_the_file_line_field_prefix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = trainer_folder(tmp_path, "single-choice")
    path = folder / "single-choice.yaml"
    path.write_text(path.read_text().replace("    answer: a ", "    answer: z "))
    expected = [f"{path}:27: exercises[0].answer: 'z' 不在选项里（a, b, c）", "发现 1 个问题。"]
    assert invoke("validate", "--lang", "zh-Hans", str(folder)).output.splitlines() == expected
    monkeypatch.setenv("PLAYBOOK_LANG", "zh-Hant")
    assert invoke("validate", str(folder)).output.splitlines() == [f"{path}:27: exercises[0].answer: 'z' 不在選項裡（a, b, c）",
                                                                  "發現 1 個問題。"]
    monkeypatch.delenv("PLAYBOOK_LANG")
    assert invoke("validate", str(folder)).output.splitlines()[0] == (
        f"{path}:27: exercises[0].answer: 'z' is not one of the options (a, b, c)")


@pytest.mark.parametrize("kind", TEMPLATE_KINDS)
def test_chinese_templates_have_chinese_comments_and_both_languages(tmp_path: Path, kind: str) -> None:
    folder = tmp_path / "zh-course"
    folder.mkdir()
    text = invoke("new", kind, "--lang", "zh-Hans").output
    (folder / f"{kind}.yaml").write_text(text, encoding="utf-8")
    comments = [line for line in text.splitlines() if line.startswith("#")]
    assert comments and all(any("\u4e00" <= ch <= "\u9fff" for ch in line) for line in comments[:2])
    result = invoke("validate", "--strict", "--require", "zh,en", str(folder))
    assert result.exit_code == 0, result.output
    hant = invoke("new", kind, "--lang", "zh-Hant").output
    assert hant.splitlines()[0] != text.splitlines()[0]  # the comments in traditional characters
    assert [line for line in hant.splitlines() if not line.lstrip().startswith("#") and "#" not in line] == [
        line for line in text.splitlines() if not line.lstrip().startswith("#") and "#" not in line]


# --- the catalogue cache ---------------------------------------------------------------------------


def test_unchanged_content_is_read_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from playbook_lib import _cache, content

    folder = trainer_folder(tmp_path, "ordering")
    first = content.load_catalog(content.content_paths([folder]))
    assert list((tmp_path / "home" / "cache").glob("catalog-*.pickle"))

    def no_validation(*args, **kwargs):
        raise AssertionError("validated again")

    monkeypatch.setattr(content.Builder, "build", no_validation)
    again = content.load_catalog(content.content_paths([folder]))
    assert again.version == first.version and again.exercise("ex.my.ordering-first") == first.exercise("ex.my.ordering-first")
    assert str(again.problem("ex.my.ordering-first", "items[1].why", "x")).endswith(":16: exercises[0].items[1].why: x")
    path = folder / "ordering.yaml"
    path.write_text(path.read_text().replace("From yes to paid", "From yes to paid, changed"))
    with pytest.raises(AssertionError, match="validated again"):
        content.load_catalog(content.content_paths([folder]))
    monkeypatch.undo()
    content.load_catalog(content.content_paths([folder]))
    monkeypatch.setattr(content.Builder, "build", no_validation)
    monkeypatch.setattr(_cache, "_stamp", lambda: b"another version")
    with pytest.raises(AssertionError, match="validated again"):
        content.load_catalog(content.content_paths([folder]))


def test_a_cache_that_cannot_be_written_or_read_never_fails_loading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from playbook_lib import content

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("PLAYBOOK_CACHE", str(blocker / "cache"))
    assert content.load_catalog().exercises
    monkeypatch.setenv("PLAYBOOK_CACHE", str(tmp_path / "cache"))
    content.load_catalog()
    for cached in (tmp_path / "cache").glob("catalog-*.pickle"):
        cached.write_bytes(cached.read_bytes()[:200])  # a truncated cache file
    assert content.load_catalog().exercises
