"""The shipped content: complete, valid, and as rich as the brief asks."""

from __future__ import annotations

from collections import Counter

from playbook_lib.content import Catalog, validate_paths


def test_shipped_content_has_no_problems() -> None:
    assert validate_paths() == []


def test_catalog_holds_every_item_of_the_brief(catalog: Catalog) -> None:
    counts = Counter(item.kind for item in catalog.items.values())
    assert counts["section"] == 6
    assert counts["barrier"] == 3
    assert counts["stage"] == 7
    assert counts["signal"] == 8
    assert counts["technique"] == 14
    assert counts["moment"] == 3
    assert counts["caution"] == 13
    assert [t.number for t in catalog.of_kind("technique")] == list(range(1, 15))
    assert [s.number for s in catalog.of_kind("stage")] == list(range(1, 8))
    verbal = [s for s in catalog.of_kind("signal") if s.channel == "verbal"]
    assert len(verbal) == 6


def test_names_carry_chinese_for_sections_signals_techniques(catalog: Catalog) -> None:
    for kind in ("section", "signal", "technique"):
        for item in catalog.of_kind(kind):
            assert item.name.zh, item.id


def test_barrier_facts_and_stories(catalog: Catalog) -> None:
    fear = catalog.item("barrier.fear-of-rejection")
    text = " ".join(f.text.en + " " + (f.figure or "") for f in fear.facts)
    assert "70" in text and "6" in text
    assert catalog.item("barrier.waiting-for-customer").story is not None
    assert catalog.item("barrier.giving-up-too-soon").story is not None


def test_kickback_is_a_prohibited_red_flag(catalog: Catalog) -> None:
    kickback = catalog.item("technique.benefit-inducement")
    assert kickback.honest_use.risk == "prohibited"
    note = kickback.honest_use.note.en + kickback.gist.en
    assert "Bribery" in note or "bribery" in note


def test_every_technique_has_an_honest_use_note(catalog: Catalog) -> None:
    for technique in catalog.of_kind("technique"):
        assert technique.honest_use.note.en and technique.honest_use.honest_version.en
        assert len(technique.example.lines) >= 4


def test_exercise_bank_sizes(catalog: Catalog) -> None:
    assert len(catalog.exercises) >= 120
    kinds = Counter(ex.kind for ex in catalog.exercises)
    assert set(kinds) == {"single-choice", "multi-select", "signal-id", "best-moment", "technique-match",
                          "ordering", "reflection", "call"}
    assert kinds["call"] >= 8
    assert kinds["signal-id"] >= 40
    assert kinds["best-moment"] >= 6
    signal_items = [ex for ex in catalog.exercises if ex.kind == "signal-id"]
    assert {ex.not_signal for ex in signal_items if not ex.is_signal} == {"stall", "objection", "small-talk"}
    channels = {catalog.items[ex.answer].channel for ex in signal_items if ex.is_signal}
    assert channels == {"verbal", "action", "expression"}


def _about_kind(catalog: Catalog, kind: str) -> list:
    return [ex for ex in catalog.exercises if any(catalog.items[a].kind == kind for a in ex.about)]


def test_exercise_counts_per_topic(catalog: Catalog) -> None:
    assert len(_about_kind(catalog, "barrier")) >= 9
    assert len(_about_kind(catalog, "technique")) >= 28
    contract = [ex for ex in catalog.exercises if "section.contracts" in catalog.sections_of(ex)]
    collection = [ex for ex in catalog.exercises if "section.collection" in catalog.sections_of(ex)]
    assert len(contract) >= 8 and len(collection) >= 8
    assert len([ex for ex in catalog.exercises if "compliance" in ex.tags]) >= 6


def test_every_item_has_at_least_two_exercises(catalog: Catalog) -> None:
    thin = {row["id"]: row["exercises"] for row in catalog.overview()["items"] if row["exercises"] < 2}
    assert thin == {}


def test_situations_vary_in_channel_and_trade(catalog: Catalog) -> None:
    situations = [ex.situation for ex in catalog.exercises if ex.situation is not None]
    assert {s.channel for s in situations} >= {"phone", "visit", "wechat", "email", "video"}
    assert len({s.trade.en.lower() for s in situations if s.trade is not None}) >= 8


def test_every_choice_explains_itself(catalog: Catalog) -> None:
    for ex in catalog.exercises:
        for choice in ex.choices:
            why = getattr(choice, "why", None)
            if ex.kind != "reflection":
                assert why is not None and len(why.en) >= 15, (ex.id, choice.id)


def test_overview_kinds_are_the_documented_ones(catalog: Catalog) -> None:
    kinds = {row["kind"] for row in catalog.overview()["items"]}
    assert kinds == {"section", "barrier", "stage", "signal", "technique", "moment", "caution"}


def test_article_examples_are_all_there(catalog: Catalog) -> None:
    assert len(catalog.item("moment.create").examples) == 8  # the eight lines that create the moment
    assert all(e.note for e in catalog.item("moment.create").examples)  # each with an honest-use note
    utterances = [ex for ex in catalog.exercises if ex.kind == "signal-id" and "article-example" in ex.tags]
    assert len(utterances) == 8  # the eight utterances
    groups = Counter(c.group for c in catalog.of_kind("caution"))
    assert groups == {"contract": 7, "collection-cause": 4, "collection-rule": 2}
    assert [s.title for s in catalog.of_kind("stage")] == ["Attention", "Interest", "Association", "Desire",
                                                           "Comparison", "Decision", "Raising objections"]
    assert all(catalog.item(f"moment.{m}").examples for m in ("after-proposal", "after-key-objection"))


def test_loading_pauses_the_cycle_collector_and_restores_it() -> None:
    """The collector is off while content loads, on again afterwards (also after a failure), and a loaded
    catalogue is frozen out of its sight; a disabled collector stays disabled."""
    import gc

    import pytest

    from playbook_lib._gc import collector_paused

    seen: list[bool] = []
    frozen = gc.get_freeze_count()
    try:
        with collector_paused(keep=True):
            seen.append(gc.isenabled())
            kept = [[] for _ in range(100)]
        assert seen == [False] and gc.isenabled() and gc.get_freeze_count() >= frozen + len(kept)
        with pytest.raises(ValueError), collector_paused(keep=True):
            raise ValueError("a broken file")
        assert gc.isenabled()
        gc.disable()
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
        gc.unfreeze()
