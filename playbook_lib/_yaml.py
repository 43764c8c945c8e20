"""Read one YAML file safely, keeping the line of every key and list entry.

The text is parsed into events (libyaml when present) and only plain mappings, lists and
scalars are built, with an explicit stack (no recursion, so no depth bomb): tags that would
build Python objects, aliases (so no alias-expansion bomb), merge keys, more than one
document and nesting deeper than ``MAX_DEPTH`` stop the file; duplicate keys, tab indentation,
overlong numbers and values that cannot be read are reported and reading goes on, so one pass
shows every problem of a file that parses. Dates stay text. Nothing is ever executed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml

from .errors import Message

MAX_BYTES = 1_000_000
MAX_DEPTH = 32
MAX_INT_DIGITS = 30
TAB_WIDTHS = (2, 4, 8)


class YamlProblem(Exception):
    """A problem in a file, with its 1-based line and a language-neutral message."""

    def __init__(self, line: int, message: Message) -> None:
        super().__init__(line, message)
        self.line = line
        self.message = message

    @property
    def reason(self) -> str:
        """The reason in English."""
        return self.message.render()

    def __str__(self) -> str:
        return self.reason


def problem(line: int, key: str, /, **values: Any) -> YamlProblem:
    """A ``YamlProblem`` with the message ``validate.KEY``."""
    return YamlProblem(line, Message(f"validate.{key}", tuple(values.items())))


class LineDict(dict):
    """A mapping that remembers its own line and the line of each key."""

    line: int = 1
    key_lines: dict[Any, int]


class LineList(list):
    """A list that remembers its own line and the line of each entry."""

    line: int = 1
    item_lines: list[int]


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: about ten times faster
_SCALAR_EVENT, _ALIAS, _DOC_START = yaml.ScalarEvent, yaml.AliasEvent, yaml.DocumentStartEvent
_STREAM_END = yaml.StreamEndEvent
_MAP_START, _MAP_END = yaml.MappingStartEvent, yaml.MappingEndEvent
_SEQ_START, _SEQ_END = yaml.SequenceStartEvent, yaml.SequenceEndEvent
_TAG = "tag:yaml.org,2002:"
_STR, _NULL, _BOOL, _INT, _FLOAT = (_TAG + t for t in ("str", "null", "bool", "int", "float"))
_SCALAR_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_MAP_TAGS = {None, "!", _TAG + "map"}
_SEQ_TAGS = {None, "!", _TAG + "seq"}
_RESOLVERS = yaml.resolver.Resolver.yaml_implicit_resolvers
_CONSTRUCT = yaml.constructor.SafeConstructor()
# libyaml's words for common mistakes, and the plain words a trainer gets instead
_HINTS = (
    ("mapping values are not allowed", "yaml.hint.colon"),
    ("cannot start any token", "yaml.hint.start"),
    ("could not find expected ':'", "yaml.hint.no-colon"),
    ("unexpected end of stream", "yaml.hint.unclosed"),
    ("did not find expected", "yaml.hint.indent"),
    ("expected <block end>", "yaml.hint.indent"),
    ("control characters are not allowed", "yaml.hint.control"),
    ("special characters are not allowed", "yaml.hint.control"),
)


_PLAIN_TEXT: dict[str, bool] = {}  # short plain scalars already resolved (keys repeat thousands of times)
_PLAIN_TEXT_SIZE, _PLAIN_TEXT_LENGTH = 4096, 40


def _resolve(value: str, implicit: tuple[bool, bool]) -> str:
    if not implicit[0]:
        return _STR
    tag = _STR
    for candidate, regexp in _RESOLVERS.get(value[:1] if value else "", []) + _RESOLVERS.get(None, []):
        if regexp.match(value):
            tag = candidate
            break
    if len(value) <= _PLAIN_TEXT_LENGTH and len(_PLAIN_TEXT) < _PLAIN_TEXT_SIZE:
        _PLAIN_TEXT[value] = tag == _STR
    return tag


class _Builder:
    """Builds LineDicts, LineLists and scalars from parser events; ``problems`` collects what does not stop it."""

    def __init__(self) -> None:
        self.problems: list[YamlProblem] = []

    def scalar(self, event: yaml.ScalarEvent, line: int, is_key: bool) -> Any:
        tag, value = event.tag, event.value
        if tag is None:
            tag = _resolve(value, event.implicit)
        elif tag == "!":
            tag = _STR
        if tag == _STR:
            return value
        if tag == _TAG + "merge" and is_key:
            raise problem(line, "yaml.merge")
        if tag not in _SCALAR_TAGS:
            if event.tag is None:  # an implicit tag with no meaning here ('=', '<<' as a value): plain text
                return value
            raise problem(line, "yaml.tag", tag=tag)
        if tag == _NULL:
            return None
        if tag == _BOOL and value.lower() in _CONSTRUCT.bool_values:
            return _CONSTRUCT.bool_values[value.lower()]
        if tag == _INT and sum(c.isdigit() for c in value) > MAX_INT_DIGITS:
            self.problems.append(problem(line, "yaml.long-number", digits=sum(c.isdigit() for c in value),
                                         limit=MAX_INT_DIGITS))
            return value
        if tag in (_INT, _FLOAT):
            try:
                return getattr(_CONSTRUCT, f"construct_yaml_{tag[len(_TAG):]}")(yaml.ScalarNode(tag, value))
            except (ValueError, TypeError, OverflowError, yaml.YAMLError):
                self.problems.append(problem(line, "yaml.bad-value", value=value[:40], tag=tag[len(_TAG):]))
                return value
        return value  # a timestamp, or an explicit !!bool that is not a yes/no word: the text as written

    def build(self, text: str) -> Any:
        """The document's root value; raises ``YamlProblem`` for what stops the file (the parser is freed either way)."""
        loader = _LOADER(text)
        try:
            return self._walk(loader.get_event)  # ``yaml.parse`` without its generator and per-event check
        finally:
            loader.dispose()

    def _walk(self, next_event: Any) -> Any:
        """Build the root value from the parser's events, one at a time."""
        # One frame per open container: [container, is_mapping, pending key or _NO_KEY, pending key line].
        # The loop runs once per event of a file (a million for a 10 MB bank), so it dispatches on the
        # event's type, keeps "is the next scalar a key?" in the frame and reads a line only where it is kept.
        stack: list[list[Any]] = []
        frame: list[Any] = [LineList(), False, _NO_KEY, 1]  # holds the root
        frame[0].item_lines = []
        outer = frame
        documents = 0
        while (kind := type(event := next_event())) is not _STREAM_END:
            if kind is _SCALAR_EVENT:
                value = event.value
                is_key = frame[1] and frame[2] is _NO_KEY
                if event.tag is not None or (event.implicit[0] and not _PLAIN_TEXT.get(value)):
                    value = self.scalar(event, event.start_mark.line + 1, is_key)  # not plain text
                line = 0
            elif kind is _MAP_START or kind is _SEQ_START:
                line = event.start_mark.line + 1
                mapping = kind is _MAP_START
                if frame[1] and frame[2] is _NO_KEY:
                    raise problem(line, "yaml.key")
                if event.tag not in (_MAP_TAGS if mapping else _SEQ_TAGS):
                    raise problem(line, "yaml.tag", tag=event.tag)
                if len(stack) >= MAX_DEPTH:
                    raise problem(line, "yaml.depth", limit=MAX_DEPTH)
                node: Any = LineDict() if mapping else LineList()
                node.line = line
                if mapping:
                    node.key_lines = {}
                else:
                    node.item_lines = []
                stack.append(frame)
                frame = [node, mapping, _NO_KEY, line]
                continue
            elif kind is _MAP_END or kind is _SEQ_END:
                value = frame[0]
                line = value.line
                frame = stack.pop()
                is_key = frame[1] and frame[2] is _NO_KEY
            elif kind is _ALIAS:
                raise problem(event.start_mark.line + 1, "yaml.alias", name=event.anchor)
            elif kind is _DOC_START:
                documents += 1
                if documents > 1:
                    raise problem(event.start_mark.line + 1, "yaml.documents")
                continue
            else:
                continue
            container = frame[0]
            if not line and (is_key or not frame[1]):
                line = event.start_mark.line + 1  # a scalar's line: kept for list entries and keys only
            if not frame[1]:
                container.append(value)
                container.item_lines.append(line)
            elif is_key:
                if not isinstance(value, (str, int, float, bool)):
                    raise problem(line, "yaml.key")
                frame[2], frame[3] = value, line
            else:
                key = frame[2]
                frame[2] = _NO_KEY
                if key in container:
                    self.problems.append(problem(frame[3], "yaml.duplicate-key", key=str(key),
                                                 first=container.key_lines[key]))
                else:
                    container[key] = value
                    container.key_lines[key] = frame[3]
        return outer[0][0] if outer[0] else None


_NO_KEY = object()


def _tab_lines(text: str) -> Iterator[int]:
    if "\t" not in text:
        return
    for number, line in enumerate(text.split("\n"), start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            yield number


def _expand_tabs(text: str, width: int) -> str:
    lines = text.split("\n")
    for index, line in enumerate(lines):
        body = line.lstrip(" \t")
        lines[index] = line[: len(line) - len(body)].expandtabs(width) + body
    return "\n".join(lines)


def _parse(text: str) -> tuple[Any, list[YamlProblem]]:
    builder = _Builder()
    try:
        root = builder.build(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        detail = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        hint = next((key for words, key in _HINTS if words in detail), None)
        if hint:
            raise problem(line, "yaml.malformed-hint", detail=detail, hint=Message(f"validate.{hint}")) from None
        raise problem(line, "yaml.malformed", detail=detail) from None
    except yaml.YAMLError as exc:
        raise problem(1, "yaml.malformed", detail=str(exc)) from None
    except RecursionError:  # pragma: no cover - the stack builder does not recurse; kept as a last guard
        raise problem(1, "yaml.depth", limit=MAX_DEPTH) from None
    return root, builder.problems


def read_mapping(data: bytes) -> tuple[LineDict | None, list[YamlProblem]]:
    """Parse YAML bytes: the mapping (``None`` when the file cannot be used) and every problem found."""
    if len(data) > MAX_BYTES:
        return None, [problem(1, "yaml.too-big", size=len(data) // 1000, limit=MAX_BYTES // 1000)]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [problem(data[: exc.start].count(b"\n") + 1, "yaml.not-utf8")]
    text = text.removeprefix("\ufeff")
    found = [problem(line, "yaml.tab") for line in _tab_lines(text)]
    try:
        if found:
            root, more = _parse_with_tabs(text)
        else:
            root, more = _parse(text)
    except YamlProblem as exc:
        return None, [*found, exc] if not found else found
    found += more
    if root is None:
        return None, [*found, problem(1, "yaml.empty")]
    if not isinstance(root, LineDict):
        what = "yaml.what.list" if isinstance(root, list) else "yaml.what.value"
        return None, [*found, problem(1, "yaml.not-mapping", what=Message(f"validate.{what}"))]
    return root, found


def _parse_with_tabs(text: str) -> tuple[Any, list[YamlProblem]]:
    """Read a file indented with tabs as a tab of 2, 4 or 8 spaces, whichever parses, to report the rest too."""
    for width in TAB_WIDTHS:
        try:
            return _parse(_expand_tabs(text, width))
        except YamlProblem:
            continue
    raise problem(1, "yaml.tab")


def load_mapping(data: bytes) -> LineDict:
    """Parse YAML bytes into a ``LineDict``; raise the first ``YamlProblem`` on anything unsafe or malformed."""
    root, found = read_mapping(data)
    if found:
        raise found[0]
    assert root is not None
    return root


def line_of(root: Any, loc: tuple[Any, ...]) -> int:
    """The line of the deepest node of ``loc`` found under ``root``."""
    node, line = root, getattr(root, "line", 1)
    for part in loc:
        if isinstance(node, LineDict) and part in node:
            line = node.key_lines[part]
            node = node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and 0 <= part < len(node):
            line = node.item_lines[part]
            node = node[part]
    return line
