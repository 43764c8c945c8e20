"""Calls (branching role-play): every path scored against its rubric, the graph validated with file:line problems,
the chat view driven from Python, the recorded attempt replayed, review, the room's paths and the kind registry."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pytest

from playbook_lib import Workbook, dashboard, kinds, stats
from playbook_lib.content import DATA_DIR, Catalog, content_paths, load_catalog, validate_paths
from playbook_lib.demo import demo_attempts
from playbook_lib.engine import choice_order, grade
from playbook_lib.errors import AnswerError
from playbook_lib.i18n import ui
from playbook_lib.review import rating_name
from playbook_lib.store import Store
from playbook_lib.templates import TEMPLATE_KINDS
from playbook_lib.widgets import CallView, DrillView
from playbook_lib.widgets._assist import Assist
from playbook_lib.widgets._views import VIEWS

HERE = Path(__file__).resolve().parent
SAMPLE = "ex.test.call-printer-lease"
SAMPLE_FILE = HERE / "calls" / "sample-call.yaml"
SHIPPED = DATA_DIR / "exercises" / "calls.yaml"
MAX_PLAYED = 300  # paths played per call; a seeded sample beyond that


def _folders() -> list[Path]:
    return [SAMPLE_FILE.parent]


@pytest.fixture(scope="module")
def call_catalog() -> Catalog:
    """The shipped content, with its eight calls, and the sample call of these tests."""
    return load_catalog(content_paths(_folders()), use_cache=False)


def _calls() -> list[str]:
    catalog = load_catalog(content_paths(_folders()), use_cache=False)
    return [ex.id for ex in catalog.exercises if ex.kind == "call"]


@pytest.fixture
def wb(call_catalog: Catalog, tmp_path: Path) -> Iterator[Workbook]:
    book = Workbook(call_catalog, Store(tmp_path / "calls.sqlite"), learner="Ada", lang="en")
    yield book
    book.close()


# --- an independent walk of the graph (not the library's), to check the engine against ---------------------------


def every_path(call: Any) -> list[tuple[list[str], str]]:
    """(reply ids, ending id) of every path from start that takes no reply twice."""
    nodes = {n.id: n for n in call.nodes}
    endings = {e.id for e in call.endings}
    out: list[tuple[list[str], str]] = []

    def walk(node_id: str, trail: list[str]) -> None:
        for reply in nodes[node_id].replies:
            if reply.id in trail:
                continue
            if reply.next in endings:
                out.append(([*trail, reply.id], reply.next))
            else:
                walk(reply.next, [*trail, reply.id])

    walk(call.start, [])
    return out


def rubric_score(call: Any, path: list[str]) -> float:
    """Rubric points of the distinct replies on ``path``, each line capped at its points, over the total."""
    replies = {r.id: r for n in call.nodes for r in n.replies}
    got: dict[str, int] = {}
    for reply_id in set(path):
        for line, points in replies[reply_id].points.items():
            got[line] = got.get(line, 0) + points
    return sum(min(got.get(line.id, 0), line.points) for line in call.rubric) / sum(line.points for line in call.rubric)


def outcome_of(call: Any, ending: str) -> str:
    return next(e.outcome for e in call.endings if e.id == ending)


# --- every path through the engine ---------------------------------------------------------------------------------


def test_the_sample_and_the_eight_shipped_calls_are_played() -> None:
    ids = _calls()
    assert SAMPLE in ids and len(ids) == 9 and len(set(ids)) == 9
    shipped = load_catalog([DATA_DIR], use_cache=False)
    calls = [ex.id for ex in shipped.exercises if ex.kind == "call"]
    assert len(calls) == 8 and all(ex.startswith("ex.call.") for ex in calls)
    assert {Path(shipped.sources[ex].file).resolve() for ex in calls} == {SHIPPED}


@pytest.mark.parametrize("call_id", _calls())
def test_every_path_scores_its_rubric_and_the_best_path_scores_highest(call_catalog: Catalog, call_id: str) -> None:
    call = call_catalog.exercise(call_id)
    found = every_path(call)
    assert found, call_id
    played = found if len(found) <= MAX_PLAYED else random.Random(call_id).sample(found, MAX_PLAYED)
    best = None
    for path, ending in played:
        feedback = grade(call_catalog, call, {"path": path})
        expected = rubric_score(call, path)
        assert feedback.score == pytest.approx(expected), path
        assert feedback.correct == (outcome_of(call, ending) == "signed" and expected >= 0.8), path
        assert feedback.answer["path"] == path and feedback.answer["ending"] == ending
        assert [s["reply"] for s in feedback.answer["steps"]] == path
        best = feedback.expected
    assert best is not None
    top = rubric_score(call, best["path"])
    assert outcome_of(call, best["ending"]) == "signed" and top >= 0.8
    assert all(rubric_score(call, p) <= top for p, _ in found)
    assert all(rubric_score(call, p) < top for p, e in found if outcome_of(call, e) != "signed")
    for line in call.rubric:  # every rubric point can be earned on some path
        assert any(rubric_score_line(call, p, line.id) == line.points for p, _ in found), (call_id, line.id)


def rubric_score_line(call: Any, path: list[str], line: str) -> int:
    replies = {r.id: r for n in call.nodes for r in n.replies}
    cap = next(r.points for r in call.rubric if r.id == line)
    return min(sum(replies[r].points.get(line, 0) for r in set(path)), cap)


def test_two_signed_paths_score_differently_and_a_poor_signed_call_is_not_right(call_catalog: Catalog) -> None:
    call = call_catalog.exercise(SAMPLE)
    best = grade(call_catalog, call, {"path": ["n1a", "n2a", "n3a"]})
    fair = grade(call_catalog, call, {"path": ["n1b", "n2a", "n3a"]})
    poor = grade(call_catalog, call, {"path": ["n1a", "n2a", "n3c"]})
    lost = grade(call_catalog, call, ["n1a", "n2c"])
    assert (best.score, best.correct) == (1.0, True)
    assert (fair.score, fair.correct) == (pytest.approx(0.8), True)
    assert (poor.score, poor.correct, poor.answer["ending"]) == (pytest.approx(0.6), False, "e-signed")
    assert (lost.correct, lost.detail.outcome) == (False, "lost")
    assert best.expected == {"path": ["n1a", "n2a", "n3a"], "ending": "e-signed"}
    assert [n.right for n in poor.notes] == [True, True, False]
    assert "Signed · 3 of 5 rubric points (60 %)." in poor.summary


def test_a_declared_loop_may_be_taken_and_a_reply_counts_once(call_catalog: Catalog) -> None:
    call = call_catalog.exercise(SAMPLE)
    feedback = grade(call_catalog, call, {"path": ["n1a", "n2b", "n2b", "n2a", "n3a"], "seconds": [3, 4, 2.5, 6, 9]})
    assert feedback.score == 1.0
    assert [(s["node"], s["reply"], s["seconds"]) for s in feedback.answer["steps"]] == [
        ("n1", "n1a", 3.0), ("n2", "n2b", 4.0), ("n2", "n2b", 2.5), ("n2", "n2a", 6.0), ("n3", "n3a", 9.0)]


@pytest.mark.parametrize(("answer", "reason"), [
    ("n1a", "answer must be"),
    ({"path": []}, "the path is empty"),
    ({"path": ["n2a"]}, "'n2a' is not a reply at node 'n1'"),
    ({"path": ["n1a", "n2a"]}, "stops at node 'n3'"),
    ({"path": ["n1c", "n2a"]}, "ends the call"),
    ({"path": ["n1c"], "seconds": [1, 2]}, "one number per reply"),
    ({"path": ["n1c"], "seconds": [-1]}, "0 or more"),
    ({"path": ["n1c"], "steps": [{"node": "n1"}, {"node": "n2"}]}, "one {node, reply, seconds}"),
])
def test_answers_that_leave_the_call_raise(call_catalog: Catalog, answer: Any, reason: str) -> None:
    with pytest.raises(AnswerError, match=re.escape(reason)):
        grade(call_catalog, call_catalog.exercise(SAMPLE), answer)


def test_replies_are_shuffled_per_learner_and_in_file_order_for_authors(call_catalog: Catalog) -> None:
    call = call_catalog.exercise(SAMPLE)
    file_order = [r.id for n in call.nodes for r in n.replies]
    assert list(choice_order(call, shuffle=False)) == file_order
    orders = {choice_order(call, name) for name in ("Ada", "Bo", "Chen", "Dev", "Eli")}
    assert len(orders) > 1 and all(sorted(o) == sorted(file_order) for o in orders)


# --- validation: one FILE:LINE message per problem ------------------------------------------------------------------

BROKEN = """\
exercises:
  - id: ex.trainer.broken-call
    kind: call
    title: A broken call
    about: [technique.summary-close]
    prompt: You call Mr Tan back.
    start: n1
    rubric:
      - {id: asked, text: Asked for the order, points: 1}
    nodes:
      - id: n1
        customer: "“Well?”"
        replies:
          - {id: n1a, text: Ask, why: The moment is right., next: e-signed, shows: [asked-for-order], points: {asked: 1}}
          - {id: n1b, text: Wait, why: Nothing happens., next: n2, shows: [signal-herd]}
          - {id: n1c, text: Hang up, why: You give up., next: n9}
          - {id: n1d, text: Argue, why: It goes badly., next: e-lost}
      - id: n2
        customer: "“Hello?”"
      - id: n3
        customer: "“Nobody ever gets here.”"
        replies:
          - {id: n3a, text: Ask, why: Too late., next: e-lost}
          - {id: n3b, text: Wait, why: Too late., next: e-lost}
    endings:
      - {id: e-signed, outcome: signed, debrief: Signed.}
      - {id: e-lost, outcome: lost, debrief: Lost.}
"""


def problems_of(tmp_path: Path, text: str) -> list[str]:
    folder = tmp_path / "trainer"
    folder.mkdir(exist_ok=True)
    (folder / "calls.yaml").write_text(text, encoding="utf-8")
    return [f"calls.yaml:{p.line}: {p.field}: {p.reason}" for p in validate_paths([folder]) if p.file.endswith("calls.yaml")]


def test_a_planted_broken_call_gets_one_message_per_problem(tmp_path: Path) -> None:
    assert problems_of(tmp_path, BROKEN) == [
        "calls.yaml:15: exercises[0].nodes[0].replies[1].shows[0]: unknown tag 'signal-herd'; choose from "
        "signal-heard, signal-missed, trial-close, asked-for-order, method, pressure, dishonest, kickback-refused, "
        "kickback-accepted, gave-up, asked-again, key-objection-resolved, waited; did you mean 'signal-heard'?",
        "calls.yaml:16: exercises[0].nodes[0].replies[2].next: leads nowhere: 'n9' is neither a node (n1, n2, n3) "
        "nor an ending (e-signed, e-lost)",
        "calls.yaml:18: exercises[0].nodes[1].replies: dead end: node 'n2' has no replies; give it 2 to 4, each with next",
        "calls.yaml:20: exercises[0].nodes[2].id: node 'n3' cannot be reached from start 'n1'; lead a reply to it or "
        "remove it",
    ]


GOOD = SAMPLE_FILE.read_text(encoding="utf-8").replace("ex.test.call-printer-lease", "ex.trainer.call")


@pytest.mark.parametrize(("old", "new", "field", "reason"), [
    ("next: n2\n            shows: [dishonest]", "next: n1\n            shows: [dishonest]",
     "nodes[0].id", "a path can come back to node 'n1' (a loop), but it is not in loops"),
    ("next: e-call-back\n            shows: [waited]", "next: n3\n            shows: [waited]",
     "nodes[2].id", "a path can come back to node 'n3' (a loop), but it is not in loops"),
    ("    loops: [n2]", "    loops: []", "nodes[1].id", "a path can come back to node 'n2' (a loop), but it is not in loops"),
    ("    loops: [n2]", "    loops: [n2, n7]", "loops[1]", "'n7' in loops is not a node"),
    ("    start: n1", "    start: n0", "start", "'n0' is not a node of this call"),
    ("points: {signals: 1}\n          - id: n1b", "points: {signals: 1, signal: 1}\n          - id: n1b",
     "nodes[0].replies[0].points.signal", "no rubric line 'signal'; the rubric has signals, right-moment, honest; "
                                          "did you mean 'signals'?"),
    ("points: {signals: 1}\n          - id: n1b", "points: {signals: 3}\n          - id: n1b",
     "nodes[0].replies[0].points.signals", "3 points on 'signals', more than the rubric line's 2"),
    ("{id: honest, text: {en: \"Stayed honest\", zh: \"保持诚实\"}, points: 1}",
     "{id: honest, text: {en: \"Stayed honest\", zh: \"保持诚实\"}, points: 2}",
     "rubric[2].points", "only 1 of the 2 points of 'honest' can be earned on any path"),
    ("next: e-lost\n            shows: [pressure]", "next: e-lost\n            shows: [pressure]\n"
     "            points: {signals: 2, right-moment: 2, honest: 1}", "endings[1].id",
     "a path to this Lost ending scores 100 %, as much as the best signed path (100 %)"),
    ("{id: e-call-back, outcome: call-back, debrief: {en: \"She will think about it.\", zh: \"她说再考虑考虑。\"}}",
     "{id: e-call-back, outcome: call-back}", "endings[2].debrief", "ending 'e-call-back' has no debrief"),
    ("          - id: n1b\n", "          - id: n1a\n", "nodes[0].replies[1].id",
     "duplicate id 'n1a' (first at nodes[0].replies[0].id)"),
    ("technique: technique.summary-close", "technique: technique.summary-clos", "nodes[2].replies[0].technique",
     "unknown id 'technique.summary-clos'; did you mean 'technique.summary-close'?"),
    ("signal: signal.verbal.service-details", "signal: technique.summary-close", "nodes[1].replies[0].signal",
     "'technique.summary-close' is a technique, not a signal"),
])
def test_graph_rules(tmp_path: Path, old: str, new: str, field: str, reason: str) -> None:
    assert problems_of(tmp_path, GOOD) == []
    assert old in GOOD
    found = problems_of(tmp_path, GOOD.replace(old, new, 1))
    assert len(found) == 1, found
    assert re.match(rf"calls\.yaml:\d+: exercises\[0\]\.{re.escape(field)}: {re.escape(reason)}", found[0]), found


def test_a_loop_with_no_way_out(tmp_path: Path) -> None:
    trapped = GOOD.replace("next: n3\n", "next: n2\n", 1).replace("next: e-lost\n", "next: n2\n", 1)
    found = problems_of(tmp_path, trapped)
    assert any("exercises[0].nodes[1].id: no path from node 'n2' reaches an ending" in p for p in found), found


def test_a_call_nobody_can_get_right(tmp_path: Path) -> None:
    rubric = '      - {id: honest, text: {en: "Stayed honest", zh: "保持诚实"}, points: 1}\n'
    weak = GOOD.replace(rubric, rubric + "      - {id: calm, text: Kept calm, points: 3}\n")
    weak = weak.replace("next: e-lost\n            shows: [pressure]\n",
                        "next: e-lost\n            shows: [pressure]\n            points: {calm: 3}\n")
    assert [p.split(": ", 2)[1:] for p in problems_of(tmp_path, weak)] == [
        ["exercises[0].rubric", "the best path to a signed deal earns 62 %; it needs at least 80 % so the call can be "
                                "got right"]]


def wide_call(nodes: int) -> str:
    """A call of ``nodes`` nodes in a row, each with four replies to the next: 4 ** nodes paths."""
    lines = ["exercises:", "  - id: ex.trainer.wide", "    kind: call", "    title: Wide", "    about: [technique.summary-close]",
             "    prompt: Go.", "    start: n0", "    rubric: [{id: asked, text: Asked, points: 1}]",
             "    endings: [{id: e-signed, outcome: signed, debrief: Done.}]", "    nodes:"]
    for i in range(nodes):
        target = f"n{i + 1}" if i < nodes - 1 else "e-signed"
        lines += [f"      - id: n{i}", "        customer: Hm.", "        replies:"]
        lines += [f"          - {{id: n{i}{c}, text: {c}, why: {c}., next: {target}"
                  + (", points: {asked: 1}}" if c == "a" else "}") for c in "abcd"]
    return "\n".join(lines) + "\n"


def test_a_call_with_more_paths_than_anyone_can_check_is_refused(tmp_path: Path) -> None:
    from playbook_lib.kinds._call_graph import MAX_PATHS, paths

    assert problems_of(tmp_path, wide_call(5)) == []
    catalog = load_catalog(content_paths([tmp_path / "trainer"]), use_cache=False)
    assert len(paths(catalog.exercise("ex.trainer.wide"))) == 4 ** 5
    assert 4 ** 7 > MAX_PATHS
    assert [p.split(": ", 2)[1:] for p in problems_of(tmp_path, wide_call(7))] == [
        ["exercises[0].nodes", f"more than {MAX_PATHS} paths; split the call into shorter ones"]]


def test_validation_messages_speak_chinese(tmp_path: Path) -> None:
    folder = tmp_path / "trainer"
    problems_of(tmp_path, BROKEN)
    reasons = [p.message.render("zh-Hans") for p in validate_paths([folder]) if p.file.endswith("calls.yaml")]
    assert any(r.startswith("死胡同：节点 'n2' 没有回应") for r in reasons)
    assert any(r.startswith("从起点 'n1' 走不到节点 'n3'") for r in reasons)


# --- the view -------------------------------------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def play(wb: Workbook, exercise_id: str, clock: Clock | None = None, lang: str = "en") -> CallView:
    call = wb.catalog.exercise(exercise_id)

    def submit(exercise: Any, answer: Any, seconds: float) -> Any:
        return wb.answer(exercise.id, answer, seconds=seconds)

    return CallView(call, wb.catalog, submit, choice_order(call, wb.learner), clock or Clock(), lang)


def test_the_view_plays_turn_by_turn_records_one_attempt_and_replays(wb: Workbook) -> None:
    clock = Clock()
    view = play(wb, SAMPLE, clock)
    assert isinstance(wb.exercise(SAMPLE), CallView)
    assert view.node_id == "n1" and sorted(view.buttons) == ["n1a", "n1b", "n1c"]
    assert "our last printer was down" in view.chat.value and "<em>She taps the sample print.</em>" in view.chat.value
    assert view.check_button.layout.display == "none" and view.result.value == ""
    clock.now += 12
    assert view.choose("n1a") is None
    assert view.node_id == "n2" and "What did that week cost you?" in view.chat.value
    assert "So what happens when it breaks?" in view.chat.value and sorted(view.buttons) == ["n2a", "n2b", "n2c"]
    assert view.assist.announce.startswith("Customer: “So what happens")
    clock.now += 5
    view.buttons["n2b"].click()  # round the declared loop once
    assert view.node_id == "n2" and view.chat.value.count("So what happens when it breaks?") == 2
    clock.now += 7
    view.choose("n2a")
    assert not wb.attempts()
    clock.now += 20
    feedback = view.choose("n3a")
    assert feedback is not None and feedback.correct and view.answered and view.node_id is None
    rows = wb.attempts()
    assert len(rows) == 1
    row = rows[0]
    assert row.answer == {"path": ["n1a", "n2b", "n2a", "n3a"], "ending": "e-signed", "steps": [
        {"node": "n1", "reply": "n1a", "seconds": 12.0}, {"node": "n2", "reply": "n2b", "seconds": 5.0},
        {"node": "n2", "reply": "n2a", "seconds": 7.0}, {"node": "n3", "reply": "n3a", "seconds": 20.0}]}
    assert (row.kind, row.score, row.correct, row.seconds) == ("call", 1.0, True, 44.0)
    result = view.result.value
    assert result.count("<li>") == 4 and "✔ good move" in result and "✘ costly" in result  # n2b missed the signal
    assert "Heard the objection and the signal" in result and "2 of 2" in result and "5 of 5" in result
    assert "How it ended: Signed" in result and "She signs the lease." in result
    call = wb.catalog.exercise(SAMPLE)
    whys = {r.id: r.why.en for n in call.nodes for r in n.replies}
    assert all(whys[r] in result for r in ("n1a", "n2b", "n2a", "n3a"))  # each choice explained
    assert view.best.value == "" and view.best_button.layout.display is None
    view.best_button.click()
    assert "The best path (Signed, 100 %)" in view.best.value and view.best.value.count("<li>") == 3
    assert view.best_button.layout.display == "none"
    view.retry_button.click()
    assert view.node_id == "n1" and not view.answered and view.result.value == "" and view.best.value == ""
    assert view.chat.value.count("playbook-call-line") == 1
    replayed = wb.replay().data
    assert "Your call, replayed" in replayed and replayed.count("Let me first show you the colour scanner.") >= 1
    assert "The best path (Signed, 100 %)" in replayed and "12 s" in replayed


@pytest.mark.parametrize("lang", ["en", "zh-Hans", "zh-Hant"])
def test_every_call_plays_its_best_path_through_the_view(call_catalog: Catalog, tmp_path: Path, lang: str) -> None:
    book = Workbook(call_catalog, Store(tmp_path / "best.sqlite"), learner="Ada", lang=lang)
    for call_id in _calls():
        view = play(book, call_id, lang=lang)
        best = grade(call_catalog, call_catalog.exercise(call_id), {"path": every_path(view.exercise)[0][0]}).expected
        for reply in best["path"]:
            view.choose(reply)
        assert view.feedback is not None and view.feedback.correct, call_id
        assert view.result.value.count("<li>") == len(best["path"]) and ui("call.outcome.signed", lang) in view.result.value
    assert len(book.attempts()) == len(_calls())
    book.close()


def test_a_recorded_call_grades_again_to_the_same_result(wb: Workbook) -> None:
    view = play(wb, SAMPLE)
    for reply in ("n1b", "n2a", "n3c"):
        view.choose(reply)
    row = wb.attempts()[-1]
    again = grade(wb.catalog, wb.catalog.exercise(SAMPLE), row.answer)
    assert (again.answer, again.score, again.correct, again.expected) == (row.answer, row.score, row.correct, row.expected)
    assert row.score == pytest.approx(0.4) and row.correct is False
    assert "No call played yet." in Workbook(wb.catalog, wb.store, learner="Bo").replay().data


def test_choose_refuses_a_reply_that_is_not_on_show(wb: Workbook) -> None:
    view = play(wb, SAMPLE)
    with pytest.raises(ValueError, match="'n2a' is not a reply on show"):
        view.choose("n2a")
    view.choose("n1c")
    with pytest.raises(ValueError):
        view.choose("n1a")
    assert len(wb.attempts()) == 1


def test_the_view_escapes_text_and_speaks_the_views_language(call_catalog: Catalog, tmp_path: Path) -> None:
    folder = tmp_path / "odd"
    folder.mkdir()
    text = SAMPLE_FILE.read_text(encoding="utf-8").replace("ex.test.call-printer-lease", "ex.odd.call")
    text = text.replace("“Ours never breaks down.”", "<b>Ours</b> never & never breaks")
    text = text.replace("She taps the sample print.", "<script>alert(1)</script>")
    (folder / "call.yaml").write_text(text, encoding="utf-8")
    catalog = load_catalog(content_paths([folder]), use_cache=False)
    book = Workbook(catalog, Store(tmp_path / "odd.sqlite"), learner="Ada", lang="en")
    view = play(book, "ex.odd.call")
    assert "<script>" not in view.chat.value and "&lt;script&gt;" in view.chat.value
    assert view.buttons["n1b"].description == "<b>Ours</b> never & never breaks"  # a button shows text, not HTML
    view.choose("n1b")
    assert "&lt;b&gt;Ours&lt;/b&gt; never &amp; never breaks" in view.chat.value
    book.set_language("zh-Hant")
    hant = play(book, "ex.odd.call", lang="zh-Hant")
    assert "客戶" in hant.chat.value and "打得很漂亮" in hant.chat.value
    assert hant.buttons["n1a"].description == "“那一週給您造成了多大損失？”"
    for reply in ("n1a", "n2a", "n3a"):
        hant.choose(reply)
    assert "通話回放" in hant.result.value and "簽單" in hant.result.value and "她簽了租約。" in hant.result.value
    assert "<p>客戶：" in hant.result.value and "<p>你：<strong>" in hant.result.value and "客戶: " not in hant.result.value
    assert hant.retry_button.description == "再打一次" and hant.best_button.description == "查看最佳路線"
    book.close()


def test_the_view_is_keyboard_usable_and_its_buttons_wrap(wb: Workbook) -> None:
    view = play(wb, SAMPLE)
    leaves, stack = [], [view]
    while stack:
        w = stack.pop()
        children = getattr(w, "children", None)
        if children:
            stack.extend(children)
        elif isinstance(w, widgets.DOMWidget) and not isinstance(w, widgets.HTML | Assist):
            leaves.append(w)
    shown = [w for w in leaves if w.layout.display != "none"]
    assert shown and all(isinstance(w, widgets.Button) and w.description for w in shown)
    assert all({"playbook-button", "playbook-call-reply"} <= set(b._dom_classes) for b in view.buttons.values())
    from playbook_lib._call_html import CSS
    from playbook_lib.widgets._style import CSS as SHARED

    assert "white-space: normal" in SHARED.split(".playbook-button {")[1].split("}")[0]
    assert "@media (max-width: 600px)" in CSS and "overflow-wrap: anywhere" in CSS


def test_a_call_in_a_drill_enables_next(wb: Workbook) -> None:
    from playbook_lib.engine import build_drill

    items = build_drill(wb.catalog, n=None, ids=[SAMPLE], shuffle=False, learner=wb.learner)
    drill = DrillView(items, wb.catalog, lambda ex, answer, secs: wb.answer(ex.id, answer, seconds=secs))
    assert isinstance(drill.view, CallView) and drill.next_button.disabled
    for reply in ("n1a", "n2c"):
        drill.view.choose(reply)
    assert not drill.next_button.disabled and drill.scores == {0: pytest.approx(0.2)}


def test_drills_pick_calls_only_when_asked(call_catalog: Catalog) -> None:
    from playbook_lib.engine import build_drill, select

    calls = [ex.id for ex in call_catalog.exercises if ex.kind == "call"]
    assert not any(ex.kind == "call" for ex in select(call_catalog))
    assert not any(i.exercise.kind == "call" for i in build_drill(call_catalog, n=None, section="timing"))
    assert [ex.id for ex in select(call_catalog, kind="call")] == calls
    assert [ex.id for ex in select(call_catalog, ids=calls[:2])] == calls[:2]  # review and weakest name them by id
    assert [ex.id for ex in select(call_catalog, kind="call", tag="visit")] == [
        ex.id for ex in call_catalog.exercises if ex.kind == "call" and "visit" in ex.tags]


# --- review -----------------------------------------------------------------------------------------------------------


def test_a_poor_call_comes_back_sooner_than_a_good_one(call_catalog: Catalog, tmp_path: Path) -> None:
    assert rating_name("call", False, 0.9, 60) == "Again"  # lost, however well it went
    assert rating_name("call", True, 0.8, 60) == "Hard"  # signed with points missed
    assert rating_name("call", True, 1.0, 60) == "Easy"
    assert rating_name("call", True, 1.0, 200) == "Good"
    assert rating_name("call", True, 1.0, 500) == "Hard"
    start = datetime(2026, 3, 2, 9, tzinfo=UTC)
    due = {}
    for name, path in (("Poor", ["n1a", "n2c"]), ("Fair", ["n1b", "n2a", "n3a"]), ("Good", ["n1a", "n2a", "n3a"])):
        now = start
        book = Workbook(call_catalog, Store(tmp_path / f"{name}.sqlite"), learner=name,
                        clock=lambda: now)  # noqa: B023 - the clock reads the loop's current time on purpose
        for _ in range(3):  # the same call three times, each time as soon as it is due
            book.answer(SAMPLE, {"path": path}, seconds=120)
            now = book.store.cards(name)[0].due
        due[name] = now - start
        book.close()
    assert due["Poor"] < due["Fair"] < timedelta(days=1) < due["Good"]


# --- the room: where the calls went -------------------------------------------------------------------------------------


def test_the_room_sees_who_took_each_reply_and_where_calls_were_lost(call_catalog: Catalog, any_store: Store) -> None:
    """On SQLite and on PostgreSQL (where answers are JSON values, not text)."""
    store = any_store
    trainer = Workbook(call_catalog, store, learner="Trainer")
    code = trainer.open_workshop("Calls, Friday").code
    paths = {"Ana": ["n1a", "n2a", "n3a"], "Ben": ["n1a", "n2c"], "Cai": ["n1b", "n2c"], "Dee": ["n1c"],
             "Eve": ["n1a", "n2b", "n2a", "n3b"]}
    for name, path in paths.items():
        book = Workbook(call_catalog, store, learner=name)
        book.join(code, name)
        book.answer(SAMPLE, {"path": path}, seconds=60)
    Workbook(call_catalog, store, learner="Solo").answer(SAMPLE, ["n1a", "n2c"])  # not in the workshop
    (room,) = stats.call_paths(store, call_catalog, session=code)
    assert (room.exercise_id, room.calls, room.signed, room.lost, room.call_back) == (SAMPLE, 5, 1, 2, 2)
    counts = {r.reply: (r.node, r.taken, r.lost) for r in room.replies}
    assert counts == {"n1a": ("n1", 3, 0), "n1b": ("n1", 1, 0), "n1c": ("n1", 1, 0), "n2a": ("n2", 2, 0),
                      "n2b": ("n2", 1, 0), "n2c": ("n2", 2, 2), "n3a": ("n3", 1, 0), "n3b": ("n3", 1, 0),
                      "n3c": ("n3", 0, 0)}
    assert [r.reply for r in room.replies] == [r.id for n in call_catalog.exercise(SAMPLE).nodes for r in n.replies]
    assert len(stats.call_paths(store, call_catalog)) == 1 and stats.call_paths(store, call_catalog)[0].calls == 6
    html, _ = dashboard.load(store, call_catalog, code)
    assert "Calls: where the room went" in html and "The printer lease: 5 calls, 1 signed, 2 lost, 2 call-back" in html
    table = html.split("playbook-call-room", 1)[1].split("</table>", 1)[0]
    assert "<td class='num'>2 (40 %)</td><td class='num'>2</td>" in table  # n2c: 2 of the 5 answers at n2, both lost
    assert "“Sign today or the price goes up.”" in table
    zh = dashboard.load(store, call_catalog, code, "zh-Hans")[0]
    assert "情景通话：大家怎么走的" in zh and "随即丢单" in zh
    board = trainer.dashboard(code)  # what the trainer sees in 07-workshop-dashboard
    assert board.picker.value == code and "playbook-call-room" in board.tables.value
    assert "The printer lease: 5 calls, 1 signed, 2 lost, 2 call-back" in board.tables.value


def test_a_workshop_of_calls_from_the_panel_gives_participants_the_calls(call_catalog: Catalog, tmp_path: Path) -> None:
    store = Store(tmp_path / "panel.sqlite")
    trainer = Workbook(call_catalog, store, learner="Trainer", lang="zh-Hans")
    panel = trainer.workshop_panel()
    assert ("情景通话", "call") in panel.kind.options
    code = trainer.open_workshop("情景通话", kind="call", n=3).code
    book = Workbook(call_catalog, store, learner="Ana")
    book.join(code, "Ana")
    drill = book.workshop_drill()
    assert len(drill.items) == 3 and all(item.exercise.kind == "call" for item in drill.items)
    assert isinstance(drill.view, CallView)
    mixed = Workbook(call_catalog, store, learner="Trainer").open_workshop("Mixed").code
    other = Workbook(call_catalog, store, learner="Ben")
    other.join(mixed, "Ben")
    assert not any(item.exercise.kind == "call" for item in other.workshop_drill().items)
    store.close()


def test_demo_records_include_calls_that_grade(call_catalog: Catalog) -> None:
    found = [a for a in demo_attempts(call_catalog, 600, seed=3) if a.kind == "call"]
    assert found and {a.answer["ending"] for a in found} >= {"e-signed"}
    assert all(0 <= a.score <= 1 and a.answer["path"] for a in found)


# --- the kind registry --------------------------------------------------------------------------------------------------


def test_every_kind_has_one_home_with_all_it_declares() -> None:
    from playbook_lib.models import EXERCISE_KINDS
    from playbook_lib.templates import template

    assert kinds.names() == EXERCISE_KINDS and EXERCISE_KINDS[-1] == "call"
    assert set(VIEWS) == set(EXERCISE_KINDS) and VIEWS["call"] is CallView
    for kind in kinds.all_kinds():
        assert kind.model.model_fields["kind"].annotation.__args__ == (kind.name,)
        assert kind.order in kinds.ORDERS and 0 < kind.fast_seconds < kind.slow_seconds
        assert ui(kind.label_key) and ui(kind.name_key, "zh-Hans")
        assert kind.name in TEMPLATE_KINDS and template(kind.name).startswith("#") and template(kind.name, "zh-Hans")


def test_a_new_kind_plugs_in_without_touching_the_engine(call_catalog: Catalog, monkeypatch: pytest.MonkeyPatch) -> None:
    from typing import Literal

    from pydantic import StrictBool

    from playbook_lib.demo import _guess
    from playbook_lib.feedback import Feedback, base
    from playbook_lib.models import ExerciseBase
    from playbook_lib.review import timing

    class YesNo(ExerciseBase):
        kind: Literal["yes-no"]
        answer: StrictBool

    class YesNoKind(kinds.Kind):
        name = "yes-no"
        model = YesNo
        order = "keep"
        fast_seconds, slow_seconds = 3.0, 9.0

        def grade(self, catalog: Any, exercise: Any, answer: Any, lang: str) -> Feedback:
            right = answer is exercise.answer
            return Feedback(**base(exercise, lang), answer=answer, correct=right, score=float(right), expected=exercise.answer)

        def demo_answer(self, exercise: Any, rng: random.Random, knows: bool) -> Any:
            return exercise.answer if knows else rng.random() < 0.5

    monkeypatch.setitem(kinds._KINDS, "yes-no", YesNoKind())
    ex = YesNo(id="ex.toy.yes-no", kind="yes-no", title="Toy", about=["technique.summary-close"], prompt="Ask now?",
               answer=True)
    assert grade(call_catalog, ex, True).correct and not grade(call_catalog, ex, False).correct
    assert choice_order(ex, "Ada") == () and timing("yes-no") == (3.0, 9.0)
    assert rating_name("yes-no", True, 1.0, 5) == "Good" and rating_name("yes-no", True, 1.0, 2) == "Easy"
    assert _guess(ex, random.Random(0), 1.0) is True
    assert "yes-no" in kinds.names()
