"""The workbook in English, simplified and traditional Chinese: complete content, one term per idea,
derived traditional text, and every exercise rendered in one language only."""

from __future__ import annotations

import json
import random
import re
from collections import Counter

import pytest

from playbook_lib import Workbook, kinds
from playbook_lib.content import Catalog
from playbook_lib.engine import grade
from playbook_lib.i18n import (
    LANGS,
    _overrides,
    normalise_lang,
    resolve_lang,
    say,
    to_traditional,
    ui,
    ui_keys,
)
from playbook_lib.lint import LATIN_IN_ZH, _language_problems, lint, texts
from playbook_lib.models import Text
from playbook_lib.store import Store

from .conftest import ROOT

CJK = re.compile(r"[\u3400-\u9fff]")
HAN_RUN = re.compile(r"[\u3400-\u9fff]+")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]+")
TAG = re.compile(r"<[^>]+>")
SPAN_GLOSS = re.compile(r"<span lang='zh-Hans'[^>]*>.*?</span>")


def every_text(catalog: Catalog):
    for owner in [*catalog.items.values(), *catalog.exercises]:
        for path, text in texts(owner):
            yield owner.id, path, text


def test_every_learner_facing_field_has_english_and_chinese(catalog: Catalog) -> None:
    missing = [(owner, path) for owner, path, text in every_text(catalog) if text.en is None or text.zh is None]
    assert missing == []
    assert sum(1 for _ in every_text(catalog)) > 2500  # titles, prompts, options, whys, cards...


def test_the_shipped_bank_passes_the_language_and_cue_check(catalog: Catalog) -> None:
    assert [str(p) for p in lint(catalog, require=("en", "zh"))] == []


def test_the_latin_words_allowed_in_chinese_are_listed_in_the_glossary(catalog: Catalog) -> None:
    """``latin_in_zh`` in data/i18n/glossary.yaml (with a comment saying what it is for) is what the language
    check accepts in Chinese text; any other Latin word is reported."""
    from playbook_lib._yaml import load_mapping
    from playbook_lib.lint import GLOSSARY_FILE, GLOSSARY_LATIN_KEY

    text = GLOSSARY_FILE.read_text(encoding="utf-8")
    assert set(load_mapping(text.encode())[GLOSSARY_LATIN_KEY]) == LATIN_IN_ZH and {"HR", "logo"} <= LATIN_IN_ZH
    before = text.split(f"\n{GLOSSARY_LATIN_KEY}:", 1)[0].splitlines()
    assert before[-1].startswith("#") and "Chinese" in before[-1], "a comment above the key says what it is for"
    ex_id = next(ex.id for ex in catalog.exercises if ex.kind == "single-choice")
    problems = list(_language_problems(catalog, ex_id, "title", Text(en="HR", zh="请 HR 把 Word 文件发过来"), ()))
    assert [p.reason for p in problems] == ["English words in Chinese text: Word"]


def test_traditional_is_derived_for_all_content_and_every_override_applies(catalog: Catalog) -> None:
    chinese = [text.zh for _, _, text in every_text(catalog) if text.zh]
    chinese += [ui(key, "zh-Hans") for key in ui_keys()]
    for path in sorted((ROOT / "notebooks" / "zh-Hans").glob("*.ipynb")):
        chinese += ["".join(c["source"]) for c in json.loads(path.read_text(encoding="utf-8"))["cells"]
                    if c["cell_type"] == "markdown"]
    converted = [to_traditional(zh) for zh in chinese]
    assert sum(1 for a, b in zip(chinese, converted, strict=True) if a != b) > len(chinese) / 2
    assert "簽單" in to_traditional("签单") and "成交信號" in to_traditional("成交信号")
    import opencc

    plain = opencc.OpenCC("s2tw")
    for wrong, right in _overrides():
        hits = [zh for zh in chinese if wrong in plain.convert(zh)]
        assert hits, f"override {wrong} -> {right} applies to no text; remove it"
        assert wrong == right or any(right in to_traditional(zh) and to_traditional(zh) != plain.convert(zh)
                                     for zh in hits)


def test_interface_strings_have_both_languages_and_the_same_placeholders() -> None:
    from playbook_lib.i18n import _strings, placeholders

    for key, entry in _strings().items():
        assert entry["en"].strip() and entry["zh"].strip(), key
        assert placeholders(entry["en"]) == placeholders(entry["zh"]), key
        assert not CJK.search(entry["en"]), key


def test_language_is_chosen_explicitly_by_env_by_memory_then_locale(tmp_path, monkeypatch) -> None:
    assert [normalise_lang(v) for v in ("zh_CN.UTF-8", "zh-TW", "zh_HK", "en_GB.UTF-8", "zh-hans")] == [
        "zh-Hans", "zh-Hant", "zh-Hant", "en", "zh-Hans"]
    monkeypatch.delenv("PLAYBOOK_LANG", raising=False)
    monkeypatch.setenv("LANG", "zh_TW.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    assert resolve_lang() == "zh-Hant"
    assert resolve_lang(remembered="en") == "en"
    monkeypatch.setenv("PLAYBOOK_LANG", "zh-Hans")
    assert resolve_lang(remembered="en") == "zh-Hans"
    assert resolve_lang("en", remembered="zh-Hant") == "en"


def test_the_choice_is_remembered_per_learner_and_recorded_with_each_answer(catalog: Catalog, tmp_path,
                                                                            monkeypatch) -> None:
    monkeypatch.delenv("PLAYBOOK_LANG", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("LC_ALL", "C")
    store = Store(tmp_path / "practice.sqlite")
    wb = Workbook(catalog, store, learner="陈静")
    assert wb.lang == "en"
    form = wb.name_form()
    form.language.value = "zh-Hant"
    form.save_button.click()
    assert wb.lang == "zh-Hant" and "歡迎" in form.status.value
    again = Workbook(catalog, store)
    assert again.lang == "zh-Hant"
    ex = next(e for e in catalog.exercises if e.kind == "single-choice")
    again.answer(ex.id, ex.answer)
    assert store.attempts()[-1].lang == "zh-Hant"
    store.close()


def test_a_missing_language_is_shown_with_a_tag_not_silently() -> None:
    english_only = Text(en="Call the HR manager back")
    chinese_only = Text(zh="给人事经理回电话")
    assert say(english_only, "zh-Hans", tag=True) == "Call the HR manager back （仅英文）"
    assert say(english_only, "zh-Hant", tag=True).endswith("（僅英文）")
    assert say(chinese_only, "en", tag=True) == "给人事经理回电话 (Chinese only)"
    assert say(english_only, "en", tag=True) == "Call the HR manager back"


def _visible(html_text: str) -> str:
    return re.sub(r"\s+", " ", TAG.sub(" ", SPAN_GLOSS.sub(" ", html_text)))


def _rendered(wb: Workbook, exercise) -> str:
    from playbook_lib.widgets import view_for

    view = view_for(exercise, wb.catalog, lambda *a: None, lang=wb.lang)
    labels = " ".join(str(getattr(o, "description", "")) for o in view.inputs.children) if hasattr(
        view.inputs, "children") else ""
    options = []
    for name in ("choice", "step_two", "picker"):
        widget = getattr(view, name, None)
        if widget is not None:
            options += [label for label, _ in widget.options]
    for box in getattr(view, "boxes", {}).values():
        options.append(box.description)
    options += [button.description for button in getattr(view, "buttons", {}).values()]  # a call's replies
    chat = getattr(view, "chat", None)  # a call's first line
    feedback = view._result_html(grade(wb.catalog, exercise, _an_answer(exercise), wb.lang))
    return " ".join([view.header.value, labels, *options, chat.value if chat else "", feedback])


def _an_answer(exercise):
    """A plausible answer of the exercise's kind (not always the right one), as demo records make them."""
    return kinds.of(exercise).demo_answer(exercise, random.Random(exercise.id), False)


@pytest.mark.parametrize("lang", LANGS)
def test_every_exercise_renders_in_one_language_only(catalog: Catalog, tmp_path, lang: str) -> None:
    wb = Workbook(catalog, Store(tmp_path / "p.sqlite"), learner="Ada", lang=lang)
    stray: Counter[str] = Counter()
    for exercise in catalog.exercises:
        text = _visible(_rendered(wb, exercise))
        if lang == "en":
            stray.update(f"{exercise.id}: {run}" for run in HAN_RUN.findall(text))
        else:
            stray.update(f"{exercise.id}: {word}" for word in LATIN_WORD.findall(text) if word not in LATIN_IN_ZH)
    assert list(stray) == []
    wb.close()


def test_traditional_rendering_has_no_simplified_leftovers(catalog: Catalog, tmp_path) -> None:
    import opencc

    to_simplified = opencc.OpenCC("t2s").convert
    to_trad = opencc.OpenCC("s2tw").convert
    wb = Workbook(catalog, Store(tmp_path / "p.sqlite"), learner="Ada", lang="zh-Hant")
    for exercise in catalog.exercises[::7]:
        text = _visible(_rendered(wb, exercise))
        # simplified-only characters would change when converted to traditional again
        assert to_trad(text) == text or to_simplified(to_trad(text)) == to_simplified(text), exercise.id
    wb.close()
