"""The coach: transcripts in, signals, moments and methods out; parsing of text, .srt and .vtt; the customer's
speaker; the unsure threshold; the trial-close hint. The classifier is trained once per test session."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
import yaml
from click.testing import CliRunner

from playbook_lib.cli import cli
from playbook_lib.coach import model as coach_model
from playbook_lib.coach import parse, rules
from playbook_lib.coach.api import coach
from playbook_lib.coach.embed import shared
from playbook_lib.coach.hint import trial_close_hint
from playbook_lib.coach.model import Classifier, load_or_train
from playbook_lib.coach.transcript import parse_subtitles, parse_text
from playbook_lib.content import Catalog
from playbook_lib.errors import PlaybookError

HERE = Path(__file__).resolve().parent / "coach"
LINE_KEYS = {"speaker", "text", "signal", "kind", "confidence"}


@pytest.fixture(scope="session")
def trained(catalog: Catalog, tmp_path_factory: pytest.TempPathFactory) -> tuple[Classifier, Path]:
    """The classifier, trained once for the whole session into a throwaway cache folder."""
    folder = tmp_path_factory.mktemp("coach-cache")
    return load_or_train(catalog, folder=folder), folder


@pytest.fixture
def cached(trained: tuple[Classifier, Path], monkeypatch: pytest.MonkeyPatch) -> Classifier:
    """The session's model, and PLAYBOOK_CACHE pointing at it (so the command finds it)."""
    monkeypatch.setenv("PLAYBOOK_CACHE", str(trained[1]))
    return trained[0]


def run_json(*args: str) -> dict:
    result = CliRunner().invoke(cli, ["coach", *args, "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def check_shape(out: dict) -> None:
    assert set(out) >= {"lines", "moments", "methods"}
    for line in out["lines"]:
        assert set(line) >= LINE_KEYS
        if line["role"] == "rep":
            assert line["signal"] is None and line["kind"] is None
        elif line["signal"] is not None:
            assert 0.5 <= line["confidence"] <= 1
            assert line["kind"] is None or line["kind"].startswith("signal.")
    for moment in out["moments"]:
        assert moment["type"] in ("after-signal", "after-key-objection", "after-proposal")
        assert isinstance(moment["asked"], bool) and 0 <= moment["line"] < len(out["lines"])
    for method in out["methods"]:
        assert method["id"].startswith("technique.") and method["card"] == f'wb.show("{method["id"]}")'
        assert method["drill"] == f'wb.drill(about="{method["id"]}")'


def test_chinese_phone_call(cached: Classifier) -> None:
    out = run_json(str(HERE / "call-zh.txt"))
    check_shape(out)
    lines = out["lines"]
    assert [line["role"] for line in lines] == ["rep", "customer"] * 6
    assert lines[5]["kind"] == "signal.verbal.price-bargaining"  # 你再让一点，我这个月就签
    assert lines[7]["kind"] == "signal.verbal.results-and-cases"  # 效果怎么样？
    missed = [(m["type"], m["line"]) for m in out["moments"] if not m["asked"]]
    assert ("after-signal", 5) in missed and ("after-signal", 7) in missed and ("after-proposal", 4) in missed
    assert lines[10]["asks"] is True  # 那我现在把合同发给您？
    ids = [m["id"] for m in out["methods"]]
    assert "technique.social-proof" in ids and "technique.concession-close" in ids


def test_english_visit_with_stage_directions(cached: Classifier) -> None:
    out = run_json(str(HERE / "visit-en.txt"))
    check_shape(out)
    lines = out["lines"]
    assert lines[5]["speaker"] == "Customer" and lines[5]["kind"] == "signal.action"  # (leans forward ...)
    assert lines[5]["source"] == "rule"
    assert lines[6]["kind"] == "signal.verbal.delivery-time"
    assert lines[8]["signal"] is False and lines[8]["not_signal"] == "objection"
    by_type = {m["type"]: m for m in out["moments"]}
    assert by_type["after-key-objection"]["asked"] is True and by_type["after-key-objection"]["ask_line"] == 11
    assert by_type["after-proposal"]["asked"] is False
    assert not any(m["line"] == 12 for m in out["moments"])  # "(smiles) Go on then, book it." answers the ask


def test_known_labels_are_mostly_found(cached: Classifier, catalog: Catalog) -> None:
    """Lines written for this test (not trained on): most signals and kinds must be right in both languages."""
    entries = yaml.safe_load((HERE / "labelled.yaml").read_text(encoding="utf-8"))["lines"]
    for lang in ("en", "zh"):
        text = "\n".join(f"Customer: {e[lang]}\nRep: OK." for e in entries)
        report = coach(text, catalog, model=cached)
        said = [line for line in report.lines if line.role == "customer"]
        signal_right = sum((line.signal is True) == e["kind"].startswith("signal.") for line, e in zip(said, entries,
                                                                                                         strict=True))
        kinds = [(line.kind, e["kind"]) for line, e in zip(said, entries, strict=True) if e["kind"].startswith("signal.")]
        assert signal_right >= 10, (lang, [(x.text, x.signal, x.kind) for x in said])
        assert sum(got == want for got, want in kinds) >= 6, (lang, kinds)


def test_srt_and_vtt_are_parsed() -> None:
    srt = parse(HERE / "call.srt")
    assert [t.speaker for t in srt.turns] == ["Rep", "Customer", "Rep", "Customer", "Rep"]
    assert srt.turns[1].text == "Hello. I'm in a meeting, so make it quick."  # two cues of one speaker, one turn
    assert srt.turns[1].start == "00:00:04,500" and srt.customer == ("Customer",)
    vtt = parse(HERE / "call.vtt")
    assert [t.speaker for t in vtt.turns] == ["销售", "李经理"] * 2 + ["销售"]
    assert vtt.customer == ("李经理",) and vtt.turns[3].text.startswith("这周六的招聘会")
    assert parse_subtitles("WEBVTT\n\n00:01.000 --> 00:02.000\n<v.loud Customer>Hello <b>there</b></v>\n")[0].text == \
        "Hello there"


def test_plain_text_turns_directions_and_either_colon() -> None:
    turns = parse_text("销售：您好\n客户: （频频点头）好的\n继续说\n(leans forward)\n")
    assert [(t.speaker, t.text) for t in turns] == [("销售", "您好"), ("客户", "（频频点头）好的 继续说"),
                                                   ("", "(leans forward)")]
    assert turns[1].directions == ("频频点头",) and turns[1].speech == "好的 继续说"
    call = parse("销售：您好\n客户：嗯\n（客户频频点头）")
    assert call.turns[2].speaker == "客户" and call.turns[2].is_customer
    with pytest.raises(PlaybookError, match="no speaker"):
        parse_text("hello there\nRep: hi")


def test_customer_is_found_from_labels_or_named(cached: Classifier) -> None:
    assert parse("Rep: Hi\nHR Manager Li: Hello").customer == ("HR Manager Li",)
    assert parse("小王：您好\n顾总：你好").customer == ("顾总",)
    text = "Ada: Good morning, this is Zhitong Jobs.\nMr Zhou: Hello. How long until the jobs are online?\n"
    with pytest.raises(PlaybookError, match="--customer"):
        parse(text)
    assert parse(text, customer="mr zhou").customer == ("Mr Zhou",)
    with pytest.raises(PlaybookError, match="no speaker called"):
        parse(text, customer="Li")
    path = HERE.parent / "coach" / "call-zh.txt"
    out = run_json(str(path), "--customer", "销售")  # the labels say otherwise; the name decides
    assert [line["role"] for line in out["lines"]][:2] == ["customer", "rep"]


def test_customer_option_on_the_command_line(cached: Classifier, tmp_path: Path) -> None:
    call = tmp_path / "call.txt"
    call.write_text("Ada: Good morning, this is Zhitong Jobs.\nMr Zhou: How long until our jobs are online?\n"
                    "Ada: Usually the same day.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["coach", str(call)])
    assert result.exit_code != 0 and "--customer" in result.output
    out = run_json(str(call), "--customer", "Mr Zhou")
    assert [line["role"] for line in out["lines"]] == ["rep", "customer", "rep"]
    assert out["lines"][1]["kind"] == "signal.verbal.delivery-time"


def test_unsure_below_the_threshold(cached: Classifier, catalog: Catalog, monkeypatch: pytest.MonkeyPatch) -> None:
    text = (HERE / "call-zh.txt").read_text(encoding="utf-8")
    monkeypatch.setattr(coach_model, "SIGNAL_THRESHOLD", 0.999)
    strict = coach(text, catalog, model=cached)
    by_model = [line for line in strict.lines if line.role == "customer" and line.source == "model"]
    assert by_model and all(line.unsure and line.signal is None and line.kind is None for line in by_model)
    assert all(line.confidence is not None and line.confidence < 0.999 for line in by_model)
    assert not strict.moments or all(m.type == "after-proposal" for m in strict.moments)
    monkeypatch.setattr(coach_model, "SIGNAL_THRESHOLD", 0.5)
    assert not any(line.unsure for line in coach(text, catalog, model=cached).lines)
    signal = np.array([not label.startswith("not.") for label in cached.labels])
    row = np.where(signal, 0.5 / signal.sum(), 0.5 / (~signal).sum())  # as likely a signal as not
    decided = cached.decide(row, threshold=0.65)
    assert decided.signal is None and decided.kind is None and decided.confidence == 0.5
    sure = np.where(signal, 0.0, 0.01)
    sure[cached.labels.index("signal.action")] = 1 - sure.sum()
    assert cached.decide(sure, threshold=0.65).kind == "signal.action"


def test_a_stale_model_is_rebuilt_and_retrain_writes_the_cache(catalog: Catalog, trained: tuple[Classifier, Path],
                                                                tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model = trained[0]
    stale = Classifier(model.labels, model.weights, model.bias, "not-the-current-fingerprint", model.backend)
    stale.save(tmp_path)
    rebuilt = load_or_train(catalog, folder=tmp_path, embedder=shared(model.backend))
    assert rebuilt.fingerprint == model.fingerprint == Classifier.load(tmp_path).fingerprint
    monkeypatch.setenv("PLAYBOOK_CACHE", str(tmp_path / "fresh"))
    result = CliRunner().invoke(cli, ["coach", "--retrain"], catch_exceptions=False)
    assert result.exit_code == 0 and (tmp_path / "fresh" / "coach-model.npz").exists()


def test_rules_for_asks_and_directions() -> None:
    assert rules.asks_for_order("Shall I send you the agreement now?")
    assert rules.asks_for_order("那我现在把合同发给您？")
    assert not rules.asks_for_order("Our weekend fairs are held in Nancheng.")
    assert rules.direction_kind("客户频频点头") == rules.ACTION
    assert rules.direction_kind("her face lights up") == rules.EXPRESSION
    assert rules.direction_kind("glances at his watch") == "not"
    assert rules.pressure("This price is only for today, sign now.") == ("fake-deadline",)


def test_trial_close_hint(catalog: Catalog, cached: Classifier) -> None:
    hint = trial_close_hint("季度会员和半年会员，您看哪个更合适？", catalog)
    assert hint.method == "technique.alternative-choice-close" and hint.asks and not hint.pressure
    hint = trial_close_hint("Our plan has job posting and résumé search.", catalog)
    assert not hint.asks
    hint = trial_close_hint("Sign today, the price is only for today, and I'm short of my quota.", catalog)
    assert set(hint.pressure) == {"fake-deadline", "quota-plea"}
    assert "kickback" in trial_close_hint("合同成了少不了您个人的好处", catalog).pressure


def test_workbook_coach_returns_a_report_or_the_widget(workbook, cached: Classifier, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    report = workbook.coach(HERE / "visit-en.txt")
    assert "coach-missed" in report._repr_html_() and report.missed_kinds
    view = workbook.coach()
    view.text.value = (HERE / "call-zh.txt").read_text(encoding="utf-8")
    assert view.analyse() is not None and view.drills.children
    drill = view.start_drill(view.report.missed_kinds[0])
    assert drill is view.drill_area.children[0] and drill.items
    assert list(work.iterdir()) == []  # analysing stores nothing
    saved = view.save()
    assert saved is not None and saved.parent == work.resolve() and "coach-turn" in saved.read_text(encoding="utf-8")


def test_the_widget_names_its_box_and_reads_out_the_outcome(workbook, cached: Classifier) -> None:
    """The transcript box has a visible name; after Analyse the live region says how many moments were taken and
    focus moves to the report; an empty box says so instead of analysing."""
    view = workbook.coach()
    assert view.text.description == "Transcript" and "playbook-coach" in view._dom_classes
    assert view.analyse() is None and view.assist.announce == "Paste a transcript or upload a file first."
    view.text.value = (HERE / "visit-en.txt").read_text(encoding="utf-8")
    report = view.analyse()
    assert report is not None
    taken = sum(m.asked for m in report.moments)
    assert view.assist.announce == f"Moments to ask: {taken} of {len(report.moments)} taken"
    assert view.assist.focus == ".coach-call" and view.assist.focus_seq == 1
    html = view.result.value
    assert html.count('class="coach-turn') == len(report.lines)
    highlighted = re.findall(r'class="coach-turn [^"]*\bcoach-signal\b', html)
    assert len(highlighted) == sum(bool(line.signal) for line in report.lines) >= 3
    assert html.count('class="coach-verdict"') == len(report.moments)


def test_the_model_is_cached_with_the_workbook_never_in_the_home_folder(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The trained model goes where the workbook caches its catalogue: PLAYBOOK_CACHE, else the record's folder."""
    monkeypatch.delenv("PLAYBOOK_CACHE", raising=False)
    monkeypatch.setenv("PLAYBOOK_HOME", str(tmp_path / "home"))
    assert coach_model.cache_dir() == tmp_path / "home" / "cache"
    monkeypatch.setenv("PLAYBOOK_CACHE", str(tmp_path / "elsewhere"))
    assert coach_model.cache_dir() == tmp_path / "elsewhere"
    monkeypatch.setenv("PLAYBOOK_CACHE", "off")
    assert coach_model.cache_dir() is None
