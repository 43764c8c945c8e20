"""Read a call transcript: plain text (``Speaker: text`` per line), or an .srt / .vtt file from a call recorder.

Stage directions in brackets, ``（客户频频点头）`` or ``(leans forward)``, are what was seen on a visit; a line
that is only a direction describes the customer. The customer's speaker is found from common labels
(客户, Customer, HR, 经理, Manager...) or named by the caller.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import PlaybookError
from ..resources import data_dir

MAX_BYTES = 2_000_000
SAMPLES = data_dir() / "coach" / "samples"  # by name: "sample-visit-en.txt"
SEEN = ""  # the speaker of a line that is only a stage direction, until the customer is known
CUSTOMER_WORDS: tuple[str, ...] = (
    "客户", "客戶", "顾客", "顧客", "客人", "customer", "client", "buyer", "prospect", "hr", "人事", "招聘",
    "经理", "經理", "manager", "主管", "老板", "老闆", "总监", "總監", "director", "采购", "採購", "厂长", "廠長",
    "园长", "園長", "店长", "店長", "owner", "boss", "行政", "财务", "財務", "总", "總",
)
REP_WORDS: tuple[str, ...] = (
    "销售", "銷售", "业务", "業務", "顾问", "顧問", "rep", "sales", "seller", "agent", "consultant", "account",
    "我", "me", "小王", "客服",
)
_TIME = r"\[?\(?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?\]?\)?"
_TURN = re.compile(rf"^\s*(?:{_TIME}\s*)?(?P<speaker>[^\s:：（(\[【][^:：]{{0,39}}?)\s*[:：]\s*(?P<text>.*)$")
_DIRECTION = re.compile(r"[（(\[【]([^（()）\[\]【】]{1,300})[）)\]】]")
_CUE_TIME = re.compile(r"^\s*(\d{1,2}:)?\d{2}:\d{2}[.,]\d{1,3}\s*-->\s*(\d{1,2}:)?\d{2}:\d{2}[.,]\d{1,3}")
_VOICE = re.compile(r"<v(?:\.[^ >]*)?\s+([^>]+)>(.*?)(?:</v>|$)", re.S)
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Turn:
    """One turn of the conversation."""

    speaker: str
    text: str
    line: int
    start: str | None = None
    is_customer: bool = False

    @property
    def directions(self) -> tuple[str, ...]:
        """The stage directions in the turn, without their brackets."""
        return tuple(d.strip() for d in _DIRECTION.findall(self.text) if d.strip())

    @property
    def speech(self) -> str:
        """What was said, without the stage directions."""
        return " ".join(_DIRECTION.sub(" ", self.text).split())


@dataclass(frozen=True)
class Transcript:
    """The turns of one call, in order, with the customer's speaker marked."""

    turns: tuple[Turn, ...]
    customer: tuple[str, ...] = field(default=())

    @property
    def speakers(self) -> tuple[str, ...]:
        """Every speaker, in order of first turn."""
        return tuple(dict.fromkeys(t.speaker for t in self.turns))


def _is_label(speaker: str) -> bool:
    """A plausible speaker label: short, at most four words."""
    return len(speaker) <= 30 and len(speaker.split()) <= 4 and not speaker.endswith(("http", "https"))


def parse_text(text: str) -> list[Turn]:
    """Turns of a plain-text transcript; a line without a label continues the turn before it."""
    turns: list[Turn] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        found = _TURN.match(line)
        if found and _is_label(found.group("speaker").strip()):
            turns.append(Turn(found.group("speaker").strip(), found.group("text").strip(), number))
        elif not _DIRECTION.sub("", line).strip():
            turns.append(Turn(SEEN, line, number))
        elif turns:
            last = turns[-1]
            turns[-1] = replace(last, text=f"{last.text} {line}".strip())
        else:
            raise PlaybookError(f"line {number}: no speaker; write each turn as 'Speaker: text' (or 说话人：文本)")
    return turns


def _cue_text(lines: list[str]) -> list[tuple[str | None, str]]:
    """(speaker or None, text) pieces of one subtitle cue."""
    pieces: list[tuple[str | None, str]] = []
    for line in lines:
        voices = _VOICE.findall(line)
        if voices:
            pieces += [(who.strip(), _TAG.sub("", said).strip()) for who, said in voices]
            continue
        line = _TAG.sub("", line).strip().lstrip("-–— ").strip()
        if not line:
            continue
        found = _TURN.match(line)
        if found and _is_label(found.group("speaker").strip()):
            pieces.append((found.group("speaker").strip(), found.group("text").strip()))
        else:
            pieces.append((None, line))
    return pieces


def parse_subtitles(text: str) -> list[Turn]:
    """Turns of an .srt or .vtt file; consecutive cues of one speaker make one turn."""
    turns: list[Turn] = []
    blocks = re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff"))
    line_no = 1
    for block in blocks:
        lines = block.split("\n")
        first_line = line_no
        line_no += len(lines) + 1
        timing = next((i for i, line in enumerate(lines) if _CUE_TIME.match(line)), None)
        if timing is None:
            continue  # the WEBVTT header, NOTE, STYLE and REGION blocks
        start = lines[timing].split("-->")[0].strip()
        for speaker, said in _cue_text(lines[timing + 1:]):
            if speaker is None and not turns and _DIRECTION.sub("", said).strip():
                raise PlaybookError(f"line {first_line}: the subtitles name no speaker; start a cue with 'Speaker: text'"
                                    " or a <v Speaker> tag")
            who = speaker if speaker is not None else (SEEN if not _DIRECTION.sub("", said).strip()
                                                       else turns[-1].speaker)
            if turns and turns[-1].speaker == who and who != SEEN:
                turns[-1] = replace(turns[-1], text=f"{turns[-1].text} {said}".strip())
            else:
                turns.append(Turn(who, said, first_line + timing, start))
    return turns


def _matches(label: str, words: tuple[str, ...]) -> bool:
    low = label.lower()
    return any((w in low) if not w.isascii() else re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", low)
               for w in words)


def find_customer(speakers: tuple[str, ...], named: str | None = None) -> tuple[str, ...]:
    """The customer's speaker label(s): ``named`` (exact, then a unique partial match), else from the labels."""
    present = tuple(s for s in speakers if s != SEEN)
    if named:
        wanted = " ".join(named.split()).lower()
        exact = tuple(s for s in present if s.lower() == wanted)
        partial = tuple(s for s in present if wanted in s.lower())
        if exact or len(partial) == 1:
            return exact or partial
        raise PlaybookError(f"no speaker called {named!r} in the transcript (speakers: {', '.join(present)})")
    reps = tuple(s for s in present if _matches(s, REP_WORDS))
    customers = tuple(s for s in present if s not in reps and _matches(s, CUSTOMER_WORDS))
    if not customers and len(present) == 2 and len(reps) == 1:
        customers = tuple(s for s in present if s not in reps)
    if not customers:
        raise PlaybookError(f"cannot tell which speaker is the customer (speakers: {', '.join(present) or 'none'}); "
                            "name them with --customer NAME (wb.coach(text, customer=NAME))")
    return customers


def read_source(source: str | Path) -> tuple[str, str]:
    """(text, format) of a path, a shipped sample's name or transcript text; the format is ``srt``, ``vtt`` or
    ``text``."""
    text: str
    suffix = ""
    one_line = not isinstance(source, Path) and "\n" not in source and len(source) < 400
    if one_line and not Path(source).expanduser().is_file() and (SAMPLES / source).is_file():
        source = SAMPLES / source
    if isinstance(source, Path) or (one_line and Path(source).expanduser().is_file()):
        path = Path(source).expanduser()
        if path.stat().st_size > MAX_BYTES:
            raise PlaybookError(f"{path}: a transcript is at most {MAX_BYTES // 1_000_000} MB")
        text = path.read_bytes().decode("utf-8-sig", errors="replace")
        suffix = path.suffix.lower()
    else:
        text = str(source)
    head = text.lstrip("\ufeff").lstrip()
    if suffix == ".vtt" or head.startswith("WEBVTT"):
        return text, "vtt"
    if suffix == ".srt" or re.match(r"^\d+\s*\n\s*\d{1,2}:\d{2}:\d{2},\d{3}\s*-->", head):
        return text, "srt"
    return text, "text"


def parse(source: str | Path, customer: str | None = None) -> Transcript:
    """A transcript from text or a file, with the customer's turns marked (a bare stage direction is theirs)."""
    text, kind = read_source(source)
    turns = parse_subtitles(text) if kind in ("srt", "vtt") else parse_text(text)
    if not turns:
        raise PlaybookError("the transcript is empty")
    who = find_customer(tuple(dict.fromkeys(t.speaker for t in turns)), customer)
    marked = tuple(replace(t, speaker=t.speaker or who[0], is_customer=t.speaker in who or t.speaker == SEEN)
                   for t in turns)
    return Transcript(marked, who)
