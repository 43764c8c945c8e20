"""Every kind of bad input is rejected with file, line, field and reason, and nothing is executed."""

from __future__ import annotations

import textwrap
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


def problems_for(tmp_path: Path, text: str | bytes, name: str = "trainer.yaml") -> list:
    folder = tmp_path / "trainer"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    found = validate_paths([folder])
    return [p for p in found if p.file.endswith(name)]


def only(problems: list, line: int, field: str, reason: str):
    assert problems, "expected a problem"
    match = [p for p in problems if p.line == line and field in p.field and reason in p.reason]
    assert match, "\n".join(map(str, problems))
    return match[0]


def test_good_trainer_file_passes(tmp_path: Path) -> None:
    assert problems_for(tmp_path, GOOD) == []
    catalog = load_catalog(content_paths([tmp_path / "trainer"]))
    assert catalog.exercise("ex.trainer.sample").title.en == "A sample"


def test_problem_prints_as_file_line_field_reason(tmp_path: Path) -> None:
    found = problems_for(tmp_path, GOOD.replace("    answer: a", "    answer: z"))
    assert str(found[0]).startswith(str(found[0].file) + ":14: exercises[0].answer: 'z' is not one of the options")


def test_malformed_yaml(tmp_path: Path) -> None:
    text = GOOD.replace('text: "Sign now or lose out."', 'text: "Sign now or lose out.')
    problem = problems_for(tmp_path, text)[0]
    assert problem.field == "file" and "malformed YAML" in problem.reason
    assert 12 <= problem.line <= 15


def test_tab_indentation(tmp_path: Path) -> None:
    only(problems_for(tmp_path, GOOD.replace("    prompt:", "\tprompt:")), 6, "file", "tab")


def test_empty_file(tmp_path: Path) -> None:
    only(problems_for(tmp_path, ""), 1, "file", "empty")
    only(problems_for(tmp_path, "# only a comment\n", "comment.yaml"), 1, "file", "empty")


def test_bytes_that_are_not_utf8(tmp_path: Path) -> None:
    data = GOOD.replace("A sample", "A sample \udcff").encode("utf-8", "surrogateescape")
    only(problems_for(tmp_path, data), 4, "file", "not UTF-8")


def test_duplicate_keys(tmp_path: Path) -> None:
    text = GOOD.replace("    prompt: Which", "    title: Again\n    prompt: Which")
    only(problems_for(tmp_path, text), 6, "file", "duplicate key 'title' (first on line 4)")


@pytest.mark.parametrize(("text", "what"), [("- a\n- b\n", "a list"), ("just words\n", "a single value")])
def test_file_that_is_not_a_mapping(tmp_path: Path, text: str, what: str) -> None:
    only(problems_for(tmp_path, text), 1, "file", f"the file is {what}; expected a mapping")


def test_python_tags_are_refused_and_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    text = f"exercises:\n  - !!python/object/apply:os.system ['touch {marker}']\n"
    only(problems_for(tmp_path, text), 2, "file", "tag tag:yaml.org,2002:python/object/apply:os.system is not allowed")
    assert not marker.exists()
    only(problems_for(tmp_path, "meta: !!python/name:os.system\n", "name.yaml"), 1, "file", "is not allowed")


def test_alias_bomb_is_refused(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    only(problems_for(tmp_path, "\n".join(lines) + "\n"), 1, "file", "aliases are not allowed")


def test_unknown_top_level_key(tmp_path: Path) -> None:
    only(problems_for(tmp_path, GOOD.replace("exercises:", "exercise:")), 1, "exercise", "unknown top-level key")


def test_section_that_is_not_a_list(tmp_path: Path) -> None:
    only(problems_for(tmp_path, "exercises: hello\n"), 1, "exercises", "expected a list")


def test_unknown_field(tmp_path: Path) -> None:
    text = GOOD.replace("    prompt:", "    promt: oops\n    prompt:")
    only(problems_for(tmp_path, text), 6, "exercises[0].promt", "unknown field")


def test_missing_field(tmp_path: Path) -> None:
    text = GOOD.replace("    title: A sample\n", "")
    only(problems_for(tmp_path, text), 2, "exercises[0].title", "required field is missing")


def test_missing_why_on_an_option(tmp_path: Path) -> None:
    text = GOOD.replace("        why: That is pressure, not a summary.\n", "")
    only(problems_for(tmp_path, text), 11, "exercises[0].options[1].why", "required field is missing")


def test_wrong_type(tmp_path: Path) -> None:
    text = GOOD.replace("    prompt:", "    difficulty: hard\n    prompt:")
    only(problems_for(tmp_path, text), 6, "exercises[0].difficulty", "integer")


def test_yes_no_read_as_boolean(tmp_path: Path) -> None:
    text = GOOD.replace('text: "Sign now or lose out."', "text: no")
    only(problems_for(tmp_path, text), 12, "exercises[0].options[1].text", "put the text in quotes")


def test_comma_in_flow_mapping_gets_a_hint(tmp_path: Path) -> None:
    text = GOOD.replace("    prompt:", "    situation: {customer: Ms Lin, the buyer, trade: software}\n    prompt:")
    only(problems_for(tmp_path, text), 6, "exercises[0].situation", "put the text in quotes")


def test_unknown_exercise_kind(tmp_path: Path) -> None:
    only(problems_for(tmp_path, GOOD.replace("kind: single-choice", "kind: essay")), 3, "exercises[0].kind",
         "kind 'essay' found using 'kind' does not match")


def test_duplicate_id_in_one_file(tmp_path: Path) -> None:
    body = GOOD.split("\n", 1)[1]
    text = GOOD + body
    found = problems_for(tmp_path, text)
    problem = only(found, 15, "exercises[1].id", "duplicate id 'ex.trainer.sample'")
    assert "trainer.yaml:2" in problem.reason


def test_duplicate_id_across_files_names_both(tmp_path: Path) -> None:
    shipped = {ex.id for ex in load_catalog().exercises}
    clash = GOOD.replace("ex.trainer.sample", sorted(shipped)[0])
    problem = only(problems_for(tmp_path, clash), 2, "exercises[0].id", "duplicate id")
    assert "data/exercises/" in problem.reason or str(DATA_DIR) in problem.reason


def test_unknown_reference(tmp_path: Path) -> None:
    text = GOOD.replace("about: [technique.summary-close]", "about: [technique.summary-clse]")
    only(problems_for(tmp_path, text), 5, "exercises[0].about[0]", "unknown id 'technique.summary-clse'")


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
    only(problems_for(tmp_path, text), 9, "exercises[0].options[1].id", "'signal.action' is a signal, not a technique")


def test_answer_key_naming_a_missing_option(tmp_path: Path) -> None:
    only(problems_for(tmp_path, GOOD.replace("    answer: a", "    answer: c")), 14, "exercises[0].answer",
         "'c' is not one of the options")


def test_multi_select_key_problems(tmp_path: Path) -> None:
    text = GOOD.replace("single-choice", "multi-select").replace("    answer: a", "    answer: [a, a, q]")
    text = text.replace("    options:\n", "    options:\n      - {id: c, text: Third, why: A third option to pick from.}\n")
    found = problems_for(tmp_path, text)
    only(found, 15, "exercises[0].answer[1]", "listed twice")
    only(found, 15, "exercises[0].answer[2]", "'q' is not one of the options")


def test_signal_item_without_its_answer(tmp_path: Path) -> None:
    text = textwrap.dedent("""\
        exercises:
          - id: ex.trainer.signal
            kind: signal-id
            title: Price talk
            about: [signal.verbal.price-bargaining]
            prompt: '"Knock off five percent and it is yours."'
            is_signal: true
            why_signal: A price condition tied to a yes is intent.
            options:
              - {id: signal.verbal.price-bargaining, why: She bargains on price.}
              - {id: signal.verbal.sympathy, why: She shows no sympathy for the rep.}
              - {id: signal.action, why: Nothing she does is described.}
        """)
    only(problems_for(tmp_path, text), 2, "exercises[0].answer", "required when is_signal is true")


def test_item_with_no_exercise(tmp_path: Path) -> None:
    text = textwrap.dedent("""\
        techniques:
          - id: technique.puppy-dog-close
            section: section.methods
            number: 15
            name: {en: Puppy-dog close, zh: 试用成交法}
            summary: Let the customer try the product first.
            gist: A free trial makes the product feel owned.
            when_to_use: The product sells itself once used.
            steps: [Offer a short trial, Agree the decision date]
            example:
              setting: Coffee machines, visit.
              lines:
                - {speaker: rep, text: Keep it for a week.}
                - {speaker: customer, text: Fine.}
            pitfalls: [A trial with no end date]
            honest_use: {risk: low, note: Fine if the trial is real., honest_version: Say when the trial ends.}
        """)
    only(problems_for(tmp_path, text), 2, "techniques[0].id", "no exercise is about this technique")


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = GOOD.replace("    answer: a", "    answer: c").replace("about: [technique.summary-close]", "about: [nope.nope]")
    assert len(problems_for(tmp_path, text)) == 2


def test_missing_path(tmp_path: Path) -> None:
    found = validate_paths([tmp_path / "nowhere"])
    only(found, 1, "path", "no such file or folder")


def test_load_catalog_raises_content_error_with_every_problem(tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "a.yaml").write_text("- 1\n")
    (folder / "b.yaml").write_text("")
    with pytest.raises(ContentError) as info:
        load_catalog(content_paths([folder]))
    assert len(info.value.problems) == 2
    assert info.value.line == 1 and info.value.field == "file"
