"""The "Coach my call" notebook in JupyterLab in Debian's Chromium: paste a transcript into the coach, Analyse, and see the
call as a conversation with the buying signals highlighted (a visible box and a ▲ mark, not colour alone) and the
missed moments marked; Chinese drawn as glyphs; nothing clipped or overlapping, at desktop and phone widths;
then a drill on a signal kind the call let pass.

The classifier is trained once in the test process into a throwaway cache the kernels read
(``PLAYBOOK_CACHE``), so nothing is written to the home folder. Screenshots are kept in tests/artifacts/.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from playbook_lib import load_catalog

from .browser import (
    DESKTOP,
    PHONE,
    Lab,
    browser_marks,
    chromium_page,
    distinct_glyphs,
    measure_layout,
    open_and_run_all,
    shoot,
    wait_until_idle,
)

pytestmark = browser_marks
HERE = Path(__file__).resolve().parent / "coach"
NOTEBOOK = "09-coach-my-call.ipynb"
CASES: dict[str, dict[str, Any]] = {
    # the transcript pasted, customer turns the coach must highlight, and at least how many moments pass
    "en": {"file": "visit-en.txt", "signals": ("leans forward", "How long would it take", "That's true"),
           "not": ("Did you find the building", "Our current agency is cheaper"), "missed": 2,
           "analyse": "Analyse", "drill": "Drill:"},
    "zh-Hans": {"file": "call-zh.txt", "signals": ("五千八还是贵了点", "你们帮别的电子厂招过普工吗"),
                "not": ("资料我看了",), "missed": 3, "analyse": "分析", "drill": "练习："},
    "zh-Hant": {"file": "call-zh.txt", "signals": ("五千八還是貴了點", "你們幫別的電子廠招過普工嗎"),
                "not": ("資料我看了",), "missed": 3, "analyse": "分析", "drill": "練習："},
}

LOOK_JS = """
(root) => {
  // How each turn of the report looks: its box, colours, border and whether it sits inside the coach.
  const rgb = (s) => { const m = /rgba?\\(([^)]+)\\)/.exec(s); return m ? m[1].split(/[\\s,\\/]+/).map(Number) : null; };
  const lum = (c) => {
    const [r, g, b] = c.slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const page = (el) => {
    for (let e = el.parentElement; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c && (c.length < 4 || c[3] > 0.5)) return c;
    }
    return [255, 255, 255];
  };
  const area = root.getBoundingClientRect();
  return [...root.querySelectorAll('.coach-turn')].map(t => {
    const cs = getComputedStyle(t);
    const text = t.querySelector('.coach-text');
    const r = t.getBoundingClientRect();
    return {
      cls: t.className, text: text.innerText.trim(), note: (t.querySelector('.coach-note') || {innerText: ''}).innerText,
      background: cs.backgroundColor, border: parseFloat(cs.borderTopWidth), borderStyle: cs.borderTopStyle,
      borderContrast: ratio(rgb(cs.borderTopColor), page(t)),
      textContrast: ratio(rgb(getComputedStyle(text).color), rgb(cs.backgroundColor)),
      box: [Math.round(r.left), Math.round(r.right), Math.round(area.left), Math.round(area.right), window.innerWidth],
      inside: r.left >= area.left - 1 && r.right <= area.right + 1 && r.right <= window.innerWidth + 1
        && r.width > 40 && r.height > 10,
    };
  });
}
"""

FOLD_JS = """
(fold) => {
  const app = window.jupyterapp;
  if (app.shell.leftCollapsed !== fold) return app.commands.execute('application:toggle-left-area');
}
"""


@pytest.fixture(scope="module")
def model_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The coach's classifier, trained once from the shipped content; the kernels load it instead of training."""
    from playbook_lib.coach.model import load_or_train

    folder = tmp_path_factory.mktemp("coach-cache")
    load_or_train(load_catalog(), folder=folder)
    return folder


@pytest.fixture(scope="module", params=list(CASES))
def lab(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, model_cache: Path) -> Iterator[Lab]:
    with pytest.MonkeyPatch.context() as env:
        env.setenv("PLAYBOOK_CACHE", str(model_cache))
        server = Lab(tmp_path_factory.mktemp(f"coach-lab-{request.param}"), lang=request.param)
    yield server
    server.stop()


def pasted(lang: str) -> str:
    text = (HERE / CASES[lang]["file"]).read_text(encoding="utf-8")
    if lang == "zh-Hant":  # a call written down in traditional characters
        import opencc

        text = opencc.OpenCC("s2tw").convert(text)
    return text


def test_paste_a_call_and_see_its_signals(lab: Lab) -> None:
    case = CASES[lab.lang]
    with chromium_page(DESKTOP, lab.lang) as page:
        path = NOTEBOOK if lab.lang == "en" else f"{lab.lang}/{NOTEBOOK}"
        open_and_run_all(page, lab, path)
        wait_until_idle(page, lab.lang, timeout=240)
        errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error']").all_inner_texts()
        assert errors == [], errors
        coach = page.locator(".playbook-coach").first
        coach.wait_for()
        assert coach.get_attribute("lang") == lab.lang

        # paste the transcript (text arrives as one input, as a paste does) and Analyse
        box = coach.locator("textarea")
        box.scroll_into_view_if_needed()
        box.click()
        page.keyboard.insert_text(pasted(lab.lang))
        shoot(page, f"coach-{lab.lang}-pasted.png")
        coach.locator("button", has_text=case["analyse"]).click()
        report = coach.locator(".playbook-coach-result .coach-call")
        report.wait_for(timeout=120_000)
        assert report.get_attribute("lang") == lab.lang
        page.wait_for_function("() => document.activeElement && document.activeElement.classList.contains('coach-call')",
                               timeout=10_000)  # focus follows the work, to the report
        live = coach.locator(".playbook-live")
        page.wait_for_function("l => l.textContent.trim().length > 0", arg=live.element_handle())
        page.wait_for_timeout(500)

        turns = page.evaluate(LOOK_JS, coach.element_handle())
        assert len(turns) == len(pasted(lab.lang).strip().splitlines()), turns
        highlighted = [t for t in turns if "coach-signal" in t["cls"]]
        plain = [t for t in turns if "coach-customer" in t["cls"] and "coach-signal" not in t["cls"]]
        for wanted in case["signals"]:
            assert any(wanted in t["text"] for t in highlighted), (wanted, [t["text"] for t in highlighted])
        for unwanted in case["not"]:
            assert not any(unwanted in t["text"] for t in highlighted), unwanted
        assert plain, "every customer turn is highlighted: nothing to compare the highlight with"
        for turn in highlighted:  # seen without colour: a thick dark border and the ▲ mark in words
            assert turn["note"].startswith("▲"), turn
            assert turn["border"] >= 2 and turn["borderStyle"] == "solid" and turn["borderContrast"] >= 3, turn
            assert turn["background"] != plain[0]["background"] and turn["border"] > plain[0]["border"], turn
        for turn in turns:
            assert turn["textContrast"] >= 4.5 and turn["inside"], turn
        missed = coach.locator(".coach-moment.coach-missed")
        assert missed.count() >= case["missed"] and missed.first.is_visible()

        if lab.lang.startswith("zh"):  # glyphs, not empty boxes
            sample = highlighted[0]["text"][:8]
            assert distinct_glyphs(page, sample) == len(set(sample)), "Chinese is drawn as empty boxes"

        measured, problems = measure_layout(page)
        highlighted_turn = report.locator(".coach-signal").first
        highlighted_turn.scroll_into_view_if_needed()
        shoot(page, f"coach-{lab.lang}-desktop.png")
        assert measured > 20 and problems == [], problems

        page.set_viewport_size(PHONE)  # as on a phone: the file browser folded away, the notebook the whole width
        page.evaluate(FOLD_JS, True)
        page.wait_for_timeout(800)
        turns = page.evaluate(LOOK_JS, coach.element_handle())
        _, problems = measure_layout(page)
        highlighted_turn.scroll_into_view_if_needed()
        shoot(page, f"coach-{lab.lang}-phone.png")
        assert all(t["inside"] for t in turns), [(t["text"][:30], t["box"]) for t in turns if not t["inside"]]
        assert problems == [], problems
        page.set_viewport_size(DESKTOP)
        page.evaluate(FOLD_JS, False)
        page.wait_for_timeout(500)

        # the first signal kind the call let pass: a drill on it opens inside the coach
        drill_button = coach.locator("button", has_text=case["drill"]).first
        drill_button.scroll_into_view_if_needed()
        drill_button.click()
        drill = coach.locator(".playbook-drill")
        drill.wait_for(timeout=60_000)
        drill.locator(".playbook-view").first.wait_for()
        page.wait_for_timeout(500)
        _, problems = measure_layout(page)
        shoot(page, f"coach-{lab.lang}-drill.png")
        assert problems == [], problems
