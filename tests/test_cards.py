"""Item cards: a Chinese reader sees Chinese only, an English reader the Chinese term beside the name, and
nobody reads an item id in the card's text (a trainer finds it in the card's attributes)."""

from __future__ import annotations

import html
import re

import pytest

from playbook_lib.cards import item_html
from playbook_lib.content import Catalog
from playbook_lib.lint import LATIN_IN_ZH

TAG = re.compile(r"<[^>]+>")
LATIN_WORD = re.compile(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'\-]*")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
ITEM_ID = re.compile(r"\b(?:section|barrier|stage|signal|technique|moment|caution)(?:\.[a-z0-9]+(?:-[a-z0-9]+)*)+")
ZH_GLOSS = re.compile(r"<span lang='zh-Hans'[^>]*>.*?</span>")


def visible(card: str) -> str:
    """What the reader reads: the card without tags and their attributes."""
    return html.unescape(TAG.sub(" ", card))


@pytest.mark.parametrize("lang", ["zh-Hans", "zh-Hant"])
def test_a_chinese_card_shows_chinese_only_and_no_id(catalog: Catalog, lang: str) -> None:
    """No Latin letters apart from the glossary's Latin words (``latin_in_zh``); no raw id in the text."""
    for item in catalog.items.values():
        text = visible(item_html(catalog, item, lang))
        stray = [word for word in LATIN_WORD.findall(text) if word not in LATIN_IN_ZH]
        assert stray == [], f"{item.id} ({lang}): English in a Chinese card: {stray[:8]}"
        assert not ITEM_ID.search(text), f"{item.id} ({lang}): id in the visible text"


def test_an_english_card_keeps_the_chinese_term_and_nothing_else_chinese(catalog: Catalog) -> None:
    for item in catalog.items.values():
        card = item_html(catalog, item, "en")
        assert len(ZH_GLOSS.findall(card)) == 1, item.id
        assert not CJK.search(ZH_GLOSS.sub(" ", card)), f"{item.id}: Chinese outside the name's gloss"
        assert not ITEM_ID.search(visible(card)), f"{item.id}: id in the visible text"


def test_the_bargaining_card_in_each_language(catalog: Catalog) -> None:
    item = catalog.item("signal.verbal.price-bargaining")
    count = len(catalog.about(item.id))
    chinese = item_html(catalog, item, "zh-Hans")
    assert "<h3>讨价还价</h3>" in chinese and f"{count} 道练习" in chinese and "Bargaining" not in chinese
    english = item_html(catalog, item, "en")
    assert "<h3>Bargaining on price <span lang='zh-Hans' style='color:#555'>(讨价还价)</span></h3>" in english
    assert f">{count} exercises</p>" in english
    traditional = visible(item_html(catalog, item, "zh-Hant"))
    assert "討價還價" in traditional and "讨价还价" not in traditional


def test_a_trainer_finds_the_id_in_the_attributes(catalog: Catalog) -> None:
    """The card carries its id as ``data-item`` and as the tooltip of the exercise count."""
    for lang in ("en", "zh-Hans"):
        card = item_html(catalog, catalog.item("technique.summary-close"), lang)
        assert 'data-item="technique.summary-close"' in card
        assert "title='technique.summary-close'" in card


def test_dialogue_and_sources_use_the_reader_punctuation(catalog: Catalog) -> None:
    """Chinese cards use full-width colons and brackets; English ones the ASCII forms."""
    technique = catalog.item("technique.summary-close")
    assert "<strong>销售：</strong>" in item_html(catalog, technique, "zh-Hans")
    assert "<strong>Rep:</strong>" in item_html(catalog, technique, "en")
    barrier = catalog.item("barrier.fear-of-rejection")
    assert "<em>（原文引用的研究）</em>" in item_html(catalog, barrier, "zh-Hans")


def test_a_chinese_card_writes_percentages_the_chinese_way(catalog: Catalog) -> None:
    item = catalog.item("barrier.fear-of-rejection")
    assert "<strong>70%</strong>" in item_html(catalog, item, "zh-Hans")
    assert "<strong>70 %</strong>" in item_html(catalog, item, "en")
