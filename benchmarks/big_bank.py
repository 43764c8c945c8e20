"""Start-up with the content cache, and a big trainer bank, as ratios measured in one run.

Targets:
- ``Workbook.open()`` with the shipped content, warm (cache filled), <= 1.5 x ``import pydantic, yaml``;
- a generated 10,000-exercise trainer bank: opened warm in under 1 s, validated cold in under 5 s.

Each figure is the median of fresh interpreters (``import`` times have the bare start subtracted).
Run: .venv/bin/python benchmarks/big_bank.py
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EXERCISES = 10_000
PER_FILE = 100
SIGNALS = ("signal.verbal.price-bargaining", "signal.verbal.delivery-time", "signal.verbal.service-details",
           "signal.verbal.sympathy")
OPEN = """
import json, sys, time
from playbook_lib import Workbook
start = time.perf_counter()
wb = Workbook.open(content=sys.argv[1:])
print(json.dumps({"seconds": time.perf_counter() - start, "exercises": len(wb.catalog.exercises)}))
wb.close()
"""
VALIDATE = """
import json, sys, time
from playbook_lib.content import validate_paths
start = time.perf_counter()
problems = validate_paths(sys.argv[1:])
print(json.dumps({"seconds": time.perf_counter() - start, "problems": len(problems)}))
"""


def single_choice(n: int) -> str:
    key = "abc"[n % 3]
    return f"""\
  - id: ex.bank.item-{n}
    kind: single-choice
    title: {{en: "Bank item {n}", zh: "题库第 {n} 题"}}
    about: [moment.after-proposal]
    situation: {{customer: {{en: "Ms Lin, buyer", zh: "林女士，采购"}}, channel: phone}}
    prompt:
      en: "The customer in case {n} nods after the proposal and says nothing. What do you do?"
      zh: "第 {n} 个案例里，客户听完方案点点头，没有说话。你怎么做？"
    difficulty: {1 + n % 3}
    options:
      - id: a
        text: {{en: "Ask for the order now, plainly.", zh: "现在就直接提出成交。"}}
        why: {{en: "{'Right' if key == 'a' else 'Not here'}: the moment decides.", zh: "关键看时机。"}}
      - id: b
        text: {{en: "Talk about more features first.", zh: "先再介绍一些功能。"}}
        why: {{en: "{'Right' if key == 'b' else 'Not here'}: new topics cool interest.", zh: "新话题会让兴趣冷下来。"}}
      - id: c
        text: {{en: "Wait for the customer to ask.", zh: "等客户自己开口。"}}
        why: {{en: "{'Right' if key == 'c' else 'Not here'}: customers rarely ask.", zh: "客户很少先开口。"}}
    answer: {key}
"""


def signal_id(n: int) -> str:
    kind = SIGNALS[n % 3]
    options = "".join(f"      - {{id: {s}, why: {{en: \"Why {s.rsplit('.', 1)[-1]}.\", zh: \"理由。\"}}}}\n"
                      for s in SIGNALS[:3])
    return f"""\
  - id: ex.bank.signal-{n}
    kind: signal-id
    title: {{en: "Signal {n}", zh: "信号第 {n} 题"}}
    about: [{kind}]
    prompt: {{en: "“Line number {n} from the customer.”", zh: "“客户的第 {n} 句话。”"}}
    is_signal: true
    why_signal: {{en: "The customer pictures the purchase.", zh: "客户已经在设想购买之后的事。"}}
    answer: {kind}
    options:
{options}"""


def make_bank(folder: Path, n: int = EXERCISES) -> int:
    """Write ``n`` exercises in files of ``PER_FILE``; the total size in bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    size = 0
    for start in range(0, n, PER_FILE):
        body = "".join(signal_id(i) if i % 4 == 3 else single_choice(i) for i in range(start, min(n, start + PER_FILE)))
        path = folder / f"bank-{start // PER_FILE:03d}.yaml"
        path.write_text("exercises:\n" + body, encoding="utf-8")
        size += path.stat().st_size
    return size


def run(code: str, *args: str, env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, *args], check=True, env=env, capture_output=True)
    return time.perf_counter() - start


def inner(code: str, *args: str, env: dict[str, str]) -> dict:
    out = subprocess.run([sys.executable, "-c", code, *args], check=True, env=env, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def median(values: list[float]) -> float:
    return statistics.median(values)


def main(runs: int = 5) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "PLAYBOOK_HOME": str(Path(tmp) / "home")}
        env.pop("PLAYBOOK_CONTENT", None)
        bare = median([run("pass") for _ in range(runs)])
        floor = median([run("import pydantic, yaml") for _ in range(runs)]) - bare
        inner(OPEN, env=env)  # fills the cache
        warm_open = median([inner(OPEN, env=env)["seconds"] for _ in range(runs)])
        whole = median([run(OPEN, env=env) for _ in range(runs)]) - bare
        cold_env = {**env, "PLAYBOOK_CACHE": "off"}
        cold_open = median([inner(OPEN, env=cold_env)["seconds"] for _ in range(3)])

        bank = Path(tmp) / "bank"
        size = make_bank(bank)
        checked = inner(VALIDATE, str(bank), env=env)
        assert checked["problems"] == 0, checked
        bank_cold = median([inner(VALIDATE, str(bank), env=env)["seconds"] for _ in range(3)])
        first = inner(OPEN, str(bank), env=env)  # cold: validates, then fills the cache
        assert first["exercises"] > EXERCISES, first
        bank_warm = median([inner(OPEN, str(bank), env=env)["seconds"] for _ in range(runs)])

    print(f"(bare interpreter start, subtracted: {bare * 1000:.0f} ms; median of {runs} fresh interpreters)")
    print(f"  import pydantic, yaml                           {floor * 1000:7.0f} ms   1.00 x")
    print(f"  Workbook.open(), shipped content, warm          {warm_open * 1000:7.0f} ms   {warm_open / floor:4.2f} x"
          "   (target <= 1.5 x)")
    print(f"  Workbook.open(), shipped content, cold          {cold_open * 1000:7.0f} ms   {cold_open / floor:4.2f} x"
          f"   (cache off: {cold_open / warm_open:.1f} x the warm open)")
    print(f"  import + Workbook.open(), warm, whole process   {whole * 1000:7.0f} ms   {whole / floor:4.2f} x")
    print(f"  {EXERCISES:,}-exercise bank ({size / 1e6:.1f} MB in {EXERCISES // PER_FILE} files):")
    print(f"    validate, cold                                {bank_cold:7.2f} s    (target < 5 s)")
    print(f"    Workbook.open(), warm                         {bank_warm:7.2f} s    (target < 1 s)")
    print(f"    Workbook.open(), first (validate + cache)     {first['seconds']:7.2f} s")


if __name__ == "__main__":
    main()
