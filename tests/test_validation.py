"""Every kind of bad input is rejected with file, line, field and reason in plain words, and nothing is executed."""

from __future__ import annotations

import os
import textwrap
import threading
from pathlib import Path

import pytest

from playbook_lib import ContentError, load_catalog
from playbook_lib.content import DATA_DIR, content_paths, validate_paths

GOOD = """\
exercises:
  - id: ex.trainer.sample
    kind: single-choice
    title: A sample
    about: [technique.summary-close]
    prompt: Which line sums up the benefits?
    options:
      - id: a
        text: "You get posting, search and weekend fairs in one plan."
        why: It lists the benefits before the ask.
      - id: b
        text: "Sign now or lose out."
        why: That is pressure, not a summary.
    answer: a
"""
SIGNAL = """\
exercises:
  - id: ex.trainer.signal
    kind: signal-id
    title: Price talk
    about: [signal.verbal.price-bargaining]
    prompt: '"Knock off five percent and it is yours."'
    is_signal: true
    why_signal: A price condition tied to a yes is intent.
    answer: signal.verbal.price-bargaining
    options:
      - {id: signal.verbal.price-bargaining, why: She bargains on price.}
      - {id: signal.verbal.sympathy, why: She shows no sympathy for the rep.}
      - {id: signal.action, why: Nothing she does is described.}
"""
KINDS = "single-choice, multi-select, signal-id, best-moment, technique-match, ordering, reflection, call"
TOP_KEYS = "meta, sections, barriers, stages, signals, moments, techniques, cautions, exercises"


def problems_for(tmp_path: Path, text: str | bytes, name: str = "trainer.yaml") -> list[str]:
    """The problems of one trainer file, as ``NAME:LINE: field: reason`` lines."""
    folder = tmp_path / "trainer"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return [f"{name}:{p.line}: {p.field}: {p.reason}" for p in validate_paths([folder]) if p.file.endswith(name)]


def test_good_trainer_file_passes(tmp_path: Path) -> None:
    assert problems_for(tmp_path, GOOD) == []
    catalog = load_catalog(content_paths([tmp_path / "trainer"]))
    assert catalog.exercise("ex.trainer.sample").title.en == "A sample"


def test_problem_prints_as_file_line_field_reason(tmp_path: Path) -> None:
    folder = tmp_path / "trainer"
    problems_for(tmp_path, GOOD.replace("    answer: a", "    answer: z"))
    problem = next(p for p in validate_paths([folder]) if p.file.endswith("trainer.yaml"))
    assert str(problem) == f"{problem.file}:14: exercises[0].answer: 'z' is not one of the options (a, b)"


def test_malformed_yaml(tmp_path: Path) -> None:
    text = GOOD.replace('text: "Sign now or lose out."', 'text: "Sign now or lose out.')
    assert problems_for(tmp_path, text) == [
        "trainer.yaml:15: file: malformed YAML: while scanning a quoted scalar found unexpected end of stream; "
        "a quote or a bracket is opened and never closed"]


def test_unquoted_colon_gets_a_quoting_hint(tmp_path: Path) -> None:
    text = GOOD.replace("prompt: Which line sums up the benefits?", "prompt: Note: which line sums it up?")
    assert problems_for(tmp_path, text) == [
        "trainer.yaml:6: file: malformed YAML: mapping values are not allowed in this context; a ': ' inside "
        "unquoted text starts a new field: put the whole text in double quotes"]


def test_tab_indentation_does_not_hide_the_other_problems(tmp_path: Path) -> None:
    text = GOOD.replace("    prompt:", "\tprompt:").replace("    answer: a", "    answer: z")
    assert problems_for(tmp_path, text) == [
        "trainer.yaml:6: file: tab used for indentation; indent with spaces",
        "trainer.yaml:14: exercises[0].answer: 'z' is not one of the options (a, b)"]


def test_empty_file(tmp_path: Path) -> None:
    expected = "file: the file is empty; expected a mapping such as 'exercises:'"
    assert problems_for(tmp_path, "") == [f"trainer.yaml:1: {expected}"]
    assert problems_for(tmp_path, "# only a comment\n", "comment.yaml") == [f"comment.yaml:1: {expected}"]


def test_bytes_that_are_not_utf8(tmp_path: Path) -> None:
    data = GOOD.replace("A sample", "A sample \udcff").encode("utf-8", "surrogateescape")
    assert problems_for(tmp_path, data) == ["trainer.yaml:4: file: bytes that are not UTF-8; save the file as UTF-8"]


def test_duplicate_keys_do_not_hide_the_other_problems(tmp_path: Path) -> None:
    text = GOOD.replace("    prompt: Which", "    title: Again\n    prompt: Which").replace("    answer: a", "    answer: c")
    assert problems_for(tmp_path, text) == [
        "trainer.yaml:6: file: duplicate key 'title' (first on line 4)",
        "trainer.yaml:15: exercises[0].answer: 'c' is not one of the options (a, b)"]


@pytest.mark.parametrize(("text", "what"), [("- a\n- b\n", "a list"), ("just words\n", "a single value")])
def test_file_that_is_not_a_mapping(tmp_path: Path, text: str, what: str) -> None:
    assert problems_for(tmp_path, text) == [f"trainer.yaml:1: file: the file is {what}; expected a mapping such as 'exercises:'"]


def test_python_tags_are_refused_and_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    text = f"exercises:\n  - !!python/object/apply:os.system ['touch {marker}']\n"
    assert problems_for(tmp_path, text) == [
        "trainer.yaml:2: file: the tag tag:yaml.org,2002:python/object/apply:os.system is not allowed; "
        "content files hold plain text, lists and mappings"]
    assert not marker.exists()
    assert problems_for(tmp_path, "meta: !!python/name:os.system\n", "name.yaml") == [
        "name.yaml:1: file: the tag tag:yaml.org,2002:python/name:os.system is not allowed; "
        "content files hold plain text, lists and mappings"]


def test_alias_bomb_is_refused(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    assert problems_for(tmp_path, "\n".join(lines) + "\n") == [
        "trainer.yaml:2: file: an alias (*a0) repeats an anchor; aliases are not allowed, write the text out"]


def test_unknown_top_level_key_suggests_the_right_one(tmp_path: Path) -> None:
    assert problems_for(tmp_path, GOOD.replace("exercises:", "exercise:")) == [
        f"trainer.yaml:1: exercise: unknown top-level key; expected one of {TOP_KEYS}; did you mean 'exercises'?"]


def test_section_that_is_not_a_list(tmp_path: Path) -> None:
    assert problems_for(tmp_path, "exercises: hello\n") == [
        "trainer.yaml:1: exercises: expected a list of entries, each starting with '- '"]


def test_unknown_field_suggests_the_right_one(tmp_path: Path) -> None:
    text = GOOD.replace("    prompt:", "    promt: oops\n    prompt:")
    assert problems_for(tmp_path, text) == ["trainer.yaml:6: exercises[0].promt: unknown field; did you mean 'prompt'?"]
    text = GOOD.replace("    prompt:", "    colour: red\n    prompt:")
    assert problems_for(tmp_path, text) == [
        "trainer.yaml:6: exercises[0].colour: unknown field; check its spelling against docs/content-format.md"]


def test_unknown_language_in_a_text(tmp_path: Path) -> None:
    text = GOOD.replace("title: A sample", "title: {en: A sample, fr: Un exemple}")
    assert problems_for(tmp_path, text) == [
        "trainer.yaml:4: exercises[0].title.fr: unknown language 'fr'; text takes en: (English) and zh: (Chinese)"]


def test_missing_field(tmp_path: Path) -> None:
    assert problems_for(tmp_path, GOOD.replace("    title: A sample\n", "")) == [
        "trainer.yaml:2: exercises[0].title: required field is missing"]


def test_missing_why_on_an_option(tmp_path: Path) -> None:
    assert problems_for(tmp_path, GOOD.replace("        why: That is pressure, not a summary.\n", "")) == [
        "trainer.yaml:11: exercises[0].options[1].why: required field is missing"]


def test_wrong_type_in_plain_words(tmp_path: Path) -> None:
    text = GOOD.replace("    prompt:", "    difficulty: hard\n    prompt:")
    assert problems_for(tmp_path, text) == [
        "trainer.yaml:6: exercises[0].difficulty: expected a whole number, found the text 'hard'"]
    text = GOOD.replace("    prompt:", "    difficulty: 7\n    prompt:")
    assert problems_for(tmp_path, text) == ["trainer.yaml:6: exercises[0].difficulty: must be 3 or less, found 7"]
    text = GOOD.replace("title: A sample", "title: 12")
    assert problems_for(tmp_path, text) == ["trainer.yaml:4: exercises[0].title: expected text, found the number 12"]


def test_too_few_and_too_many_options_in_plain_words(tmp_path: Path) -> None:
    two = SIGNAL.replace("      - {id: signal.action, why: Nothing she does is described.}\n", "")
    assert problems_for(tmp_path, two) == ["trainer.yaml:10: exercises[0].options: needs at least 3 options, found 2"]
    extra = "".join(f"      - {{id: x{n}, text: Extra {n}, why: Filler {n}.}}\n" for n in range(5))
    text = GOOD.replace("    answer: a", extra + "    answer: a")
    assert problems_for(tmp_path, text) == ["trainer.yaml:7: exercises[0].options: takes at most 6 options, found 7"]


def test_a_choice_outside_the_list_names_the_choices(tmp_path: Path) -> None:
    text = GOOD.replace("    prompt:", "    situation: {channel: fax}\n    prompt:")
    assert problems_for(tmp_path, text) == [
        "trainer.yaml:6: exercises[0].situation.channel: 'fax' is not allowed here; "
        "choose one of phone, visit, wechat, chat, email, video"]
    text = GOOD.replace("    prompt:", "    situation: {channel: phonee}\n    prompt:")
    assert problems_for(tmp_path, text) == [
        "trainer.yaml:6: exercises[0].situation.channel: 'phonee' is not allowed here; "
        "choose one of phone, visit, wechat, chat, email, video; did you mean 'phone'?"]


def test_yes_no_read_as_boolean(tmp_path: Path) -> None:
    text = GOOD.replace('text: "Sign now or lose out."', "text: no")
    assert problems_for(tmp_path, text) == [
        "trainer.yaml:12: exercises[0].options[1].text: a yes/no word was read as true/false; put the text in quotes"]


def test_comma_in_flow_mapping_gets_a_hint(tmp_path: Path) -> None:
    text = GOOD.replace("    prompt:", "    situation: {customer: Ms Lin, the buyer, trade: software}\n    prompt:")
    assert problems_for(tmp_path, text) == [
        "trainer.yaml:6: exercises[0].situation.the buyer: unknown field; a comma inside {...} splits the text there: "
        "put the text in quotes"]


def test_unknown_exercise_kind_suggests_the_right_one(tmp_path: Path) -> None:
    assert problems_for(tmp_path, GOOD.replace("kind: single-choice", "kind: essay")) == [
        f"trainer.yaml:3: exercises[0].kind: unknown kind 'essay'; choose one of {KINDS}"]
    assert problems_for(tmp_path, GOOD.replace("kind: single-choice", "kind: single-choise")) == [
        f"trainer.yaml:3: exercises[0].kind: unknown kind 'single-choise'; choose one of {KINDS}; "
        "did you mean 'single-choice'?"]


def test_duplicate_id_in_one_file(tmp_path: Path) -> None:
    assert problems_for(tmp_path, GOOD + GOOD.split("\n", 1)[1]) == [
        f"trainer.yaml:15: exercises[1].id: duplicate id 'ex.trainer.sample' (first in {tmp_path}/trainer/trainer.yaml:2)"
        if not str(tmp_path).startswith(os.getcwd()) else
        "trainer.yaml:15: exercises[1].id: duplicate id 'ex.trainer.sample' (first in "
        f"{os.path.relpath(tmp_path / 'trainer' / 'trainer.yaml')}:2)"]


def test_a_duplicate_id_does_not_hide_a_missing_answer(tmp_path: Path) -> None:
    second = SIGNAL.split("\n", 1)[1].replace("    answer: signal.verbal.price-bargaining\n", "")
    found = problems_for(tmp_path, SIGNAL + second)
    assert [line.split(" (first in")[0] for line in found] == [
        "trainer.yaml:14: exercises[1].answer: required when is_signal is true: the right signal kind",
        "trainer.yaml:14: exercises[1].id: duplicate id 'ex.trainer.signal'"]


def test_duplicate_id_across_files_names_both(tmp_path: Path) -> None:
    shipped = sorted(ex.id for ex in load_catalog().exercises)[0]
    found = problems_for(tmp_path, GOOD.replace("ex.trainer.sample", shipped))
    assert len(found) == 1 and found[0].startswith(f"trainer.yaml:2: exercises[0].id: duplicate id '{shipped}' (first in ")
    assert "data/exercises/" in found[0] or str(DATA_DIR) in found[0]


def test_unknown_reference_suggests_the_right_id(tmp_path: Path) -> None:
    text = GOOD.replace("about: [technique.summary-close]", "about: [technique.summary-clse]")
    assert problems_for(tmp_path, text) == [
        "trainer.yaml:5: exercises[0].about[0]: unknown id 'technique.summary-clse'; did you mean 'technique.summary-close'?"]
    text = GOOD.replace("about: [technique.summary-close]", "about: [technique.nothing-like-it]")
    assert problems_for(tmp_path, text) == ["trainer.yaml:5: exercises[0].about[0]: unknown id 'technique.nothing-like-it'"]


def test_an_unknown_id_suggests_the_item_its_words_describe(tmp_path: Path) -> None:
    # "cycle" is the article's recruiting cycle: the signal "asking how long results take"
    text = SIGNAL.replace("about: [signal.verbal.price-bargaining]", "about: [signal.verbal.cycle]")
    assert ("trainer.yaml:5: exercises[0].about[0]: unknown id 'signal.verbal.cycle'; "
            "did you mean 'signal.verbal.delivery-time'?") in problems_for(tmp_path, text)
    text = SIGNAL.replace("about: [signal.verbal.price-bargaining]", "about: [signal.verbal.sympathie]")
    assert ("trainer.yaml:5: exercises[0].about[0]: unknown id 'signal.verbal.sympathie'; "
            "did you mean 'signal.verbal.sympathy'?") in problems_for(tmp_path, text)


def test_reference_of_the_wrong_kind(tmp_path: Path) -> None:
    text = textwrap.dedent("""\
        exercises:
          - id: ex.trainer.match
            kind: technique-match
            title: Which method
            about: [technique.summary-close]
            prompt: A customer wants a recap.
            options:
              - {id: technique.summary-close, why: It recaps the benefits.}
              - {id: signal.action, why: "That is a signal, not a method."}
              - {id: technique.rational-close, why: "Close, but it weighs options."}
            answer: technique.summary-close
        """)
    assert problems_for(tmp_path, text) == [
        "trainer.yaml:9: exercises[0].options[1].id: 'signal.action' is a signal, not a technique"]


def test_answer_key_naming_a_missing_option(tmp_path: Path) -> None:
    assert problems_for(tmp_path, GOOD.replace("    answer: a", "    answer: c")) == [
        "trainer.yaml:14: exercises[0].answer: 'c' is not one of the options (a, b)"]


def test_multi_select_key_problems(tmp_path: Path) -> None:
    text = GOOD.replace("single-choice", "multi-select").replace("    answer: a", "    answer: [a, a, q]")
    text = text.replace("    options:\n", "    options:\n      - {id: c, text: Third, why: A third option to pick from.}\n")
    assert problems_for(tmp_path, text) == [
        "trainer.yaml:15: exercises[0].answer[1]: 'a' is listed twice",
        "trainer.yaml:15: exercises[0].answer[2]: 'q' is not one of the options (a, b, c)"]


def test_signal_item_without_its_answer(tmp_path: Path) -> None:
    assert problems_for(tmp_path, SIGNAL.replace("    answer: signal.verbal.price-bargaining\n", "")) == [
        "trainer.yaml:2: exercises[0].answer: required when is_signal is true: the right signal kind"]


def test_about_that_contradicts_the_answer_is_an_error(tmp_path: Path) -> None:
    text = SIGNAL.replace("about: [signal.verbal.price-bargaining]", "about: [signal.action]")
    assert problems_for(tmp_path, text) == [
        "trainer.yaml:5: exercises[0].about: about names signal.action but the answer is 'signal.verbal.price-bargaining'; "
        "about lists the signal practised, so it must name the answer"]


def test_about_of_a_non_signal_names_a_kind_it_could_be_mistaken_for(tmp_path: Path) -> None:
    text = SIGNAL.replace("    answer: signal.verbal.price-bargaining\n", "").replace(
        "is_signal: true", "is_signal: false\n    not_signal: stall").replace(
        "about: [signal.verbal.price-bargaining]", "about: [signal.verbal.delivery-time]")
    assert problems_for(tmp_path, text) == [
        "trainer.yaml:5: exercises[0].about[0]: a line that is not a signal is about the signal kind it could be "
        "mistaken for; 'signal.verbal.delivery-time' is not among the options "
        "(signal.verbal.price-bargaining, signal.verbal.sympathy, signal.action)"]


def test_item_with_no_exercise(tmp_path: Path) -> None:
    text = Path(__file__).with_name("trainer_method.yaml").read_text(encoding="utf-8").split("exercises:")[0]
    assert problems_for(tmp_path, text) == [
        "trainer.yaml:3: techniques[0].id: no exercise is about this technique; "
        "add one with about: [technique.trial-period-close]"]


def test_shape_and_reference_problems_are_reported_together(tmp_path: Path) -> None:
    text = GOOD.replace("    title: A sample\n", "").replace("    answer: a", "    answer: c")
    text = text.replace("about: [technique.summary-close]", "about: [technique.summary-clse]")
    assert problems_for(tmp_path, text) == [
        "trainer.yaml:2: exercises[0].title: required field is missing",
        "trainer.yaml:4: exercises[0].about[0]: unknown id 'technique.summary-clse'; did you mean 'technique.summary-close'?",
        "trainer.yaml:13: exercises[0].answer: 'c' is not one of the options (a, b)"]


def test_missing_path(tmp_path: Path) -> None:
    found = [p for p in validate_paths([tmp_path / "nowhere"]) if p.file.endswith("nowhere")]
    assert [(p.line, p.field, p.reason) for p in found] == [(1, "path", "no such file or folder")]


def test_load_catalog_raises_content_error_with_every_problem(tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "a.yaml").write_text("- 1\n")
    (folder / "b.yaml").write_text("")
    with pytest.raises(ContentError) as info:
        load_catalog(content_paths([folder]))
    assert [p.reason for p in info.value.problems] == [
        "the file is a list; expected a mapping such as 'exercises:'",
        "the file is empty; expected a mapping such as 'exercises:'"]
    assert info.value.line == 1 and info.value.field == "file"


# --- robustness: odd input gives a FILE:LINE message, never a traceback, never a silent skip ---------


def test_a_bad_date_is_read_as_the_text_it_is(tmp_path: Path) -> None:
    assert problems_for(tmp_path, GOOD.replace("title: A sample", "title: 2001-13-45")) == []
    assert load_catalog(content_paths([tmp_path / "trainer"])).exercise("ex.trainer.sample").title.en == "2001-13-45"


def test_an_integer_of_thousands_of_digits(tmp_path: Path) -> None:
    text = GOOD.replace("    prompt:", f"    difficulty: {'9' * 5000}\n    prompt:")
    assert problems_for(tmp_path, text) == [
        "trainer.yaml:6: exercises[0].difficulty: expected a whole number, found the text '" + "9" * 37 + "...'",
        "trainer.yaml:6: file: a number of 5000 digits; numbers here have at most 30 digits (put text in quotes)"]


def test_deeply_nested_brackets(tmp_path: Path) -> None:
    text = "a: " + "[" * 330 + "]" * 330 + "\n"
    assert len(text.encode()) == 664
    assert problems_for(tmp_path, text) == [
        "trainer.yaml:1: file: nested more than 32 levels deep; content is never that deep, check the brackets"]


def test_an_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_open = os.open

    def refuse(path, flags, *args, **kwargs):  # as root, chmod 000 would not stop the read
        if str(path).endswith("secret.yaml"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    assert problems_for(tmp_path, GOOD, "secret.yaml") == [
        "secret.yaml:1: file: cannot read this file (Permission denied); check its permissions"]


def test_an_unreadable_subfolder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "trainer" / "locked").mkdir(parents=True)
    real_scandir = os.scandir

    def refuse(path="."):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", refuse)
    found = [p for p in validate_paths([tmp_path / "trainer"]) if "locked" in p.file]
    assert [f"{Path(p.file).name}:{p.line}: {p.field}: {p.reason}" for p in found] == [
        "locked:1: folder: cannot open this folder (Permission denied); its files were not checked"]


def test_an_upper_case_extension_is_read(tmp_path: Path) -> None:
    assert problems_for(tmp_path, GOOD.replace("    answer: a", "    answer: z"), "a.YAML") == [
        "a.YAML:14: exercises[0].answer: 'z' is not one of the options (a, b)"]


def test_a_pipe_in_a_trainer_folder_is_skipped_with_a_message(tmp_path: Path) -> None:
    folder = tmp_path / "trainer"
    folder.mkdir()
    os.mkfifo(folder / "pipe.yaml")
    result: list = []
    worker = threading.Thread(target=lambda: result.append(validate_paths([folder])), daemon=True)
    worker.start()
    worker.join(120)
    assert not worker.is_alive(), "validation blocked on a pipe"
    assert [(Path(p.file).name, p.line, p.field, p.reason) for p in result[0] if "pipe" in p.file] == [
        ("pipe.yaml", 1, "file", "not a regular file (a pipe, a device or a broken link); skipped")]


def test_a_folder_over_the_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from playbook_lib import _files

    monkeypatch.setattr(_files, "MAX_FOLDER_BYTES", 2_000_000)
    folder = tmp_path / "big"
    folder.mkdir()
    for n in range(3):
        (folder / f"part-{n}.yaml").write_text("# padding\n" * 100_000)
    found = [p for p in validate_paths([folder]) if p.file.endswith("big")]
    assert [(p.line, p.field, p.reason) for p in found] == [
        (1, "folder", "the YAML files here add up to 3 MB, over the limit of 2 MB; split the bank into several folders")]


def test_odd_input_never_shows_a_traceback(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from playbook_lib.cli import cli

    folder = tmp_path / "odd"
    folder.mkdir()
    (folder / "date.yaml").write_text("exercises:\n  - id: ex.odd.date\n    title: 2001-13-45\n")
    (folder / "digits.yaml").write_text(f"exercises:\n  - difficulty: {'1' * 5000}\n")
    (folder / "nested.yaml").write_text("a: " + "[" * 330 + "]" * 330 + "\n")
    os.mkfifo(folder / "pipe.yaml")
    result = CliRunner().invoke(cli, ["validate", str(folder)])
    assert (result.exit_code == 1 and result.exception is None) or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert {line.split(":")[0].rsplit("/", 1)[-1] for line in result.output.splitlines() if "odd/" in line} == {
        "date.yaml", "digits.yaml", "nested.yaml", "pipe.yaml"}


def test_the_yaml_parser_is_freed_whether_the_file_reads_or_not(monkeypatch: pytest.MonkeyPatch) -> None:
    import playbook_lib._yaml as reader

    freed: list[bool] = []
    real = reader._LOADER

    class Watched(real):  # type: ignore[misc, valid-type]
        def dispose(self) -> None:
            freed.append(True)
            super().dispose()

    monkeypatch.setattr(reader, "_LOADER", Watched)
    assert reader.read_mapping(b"id: a\nitems: [1, 2]\n")[0] == {"id": "a", "items": [1, 2]}
    for bad in (b"a: [1, 2\n", b"a: &x 1\nb: *x\n", b"--- 1\n--- 2\n"):
        root, problems = reader.read_mapping(bad)
        assert root is None and problems
    assert len(freed) == 4
