"""Read one YAML file safely, keeping the line of every key and list entry.

The text is composed into nodes (libyaml when present), then only plain mappings,
lists and scalars are built: tags that would build Python objects, aliases (so no
alias-expansion bomb), duplicate keys, tab indentation and bytes that are not UTF-8
are refused with the line where they occur. Nothing is ever executed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml

MAX_BYTES = 1_000_000


class YamlProblem(Exception):
    """A file that cannot be read as content; carries the 1-based line."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason


class LineDict(dict):
    """A mapping that remembers its own line and the line of each key."""

    line: int = 1
    key_lines: dict[Any, int]


class LineList(list):
    """A list that remembers its own line and the line of each entry."""

    line: int = 1
    item_lines: list[int]


_COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: about ten times faster
_SCALAR_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "timestamp")}
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"


class _Builder:
    """Turns a composed node graph into LineDicts, LineLists and plain scalars, refusing anything else."""

    def __init__(self) -> None:
        self.seen: set[int] = set()
        self.scalars = yaml.constructor.SafeConstructor()

    def build(self, node: yaml.Node) -> Any:
        line = node.start_mark.line + 1
        if id(node) in self.seen:
            raise YamlProblem(line, "this anchor is reused through an alias (*name); aliases are not allowed, write the text out")
        self.seen.add(id(node))
        if isinstance(node, yaml.MappingNode) and node.tag == _MAP_TAG:
            return self._mapping(node)
        if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ_TAG:
            result = LineList(self.build(child) for child in node.value)
            result.line = line
            result.item_lines = [child.start_mark.line + 1 for child in node.value]
            return result
        if isinstance(node, yaml.ScalarNode) and node.tag in _SCALAR_TAGS:
            return self.scalars.construct_object(node)
        raise YamlProblem(line, f"the tag {node.tag} is not allowed; content files hold plain text, lists and mappings")

    def _mapping(self, node: yaml.MappingNode) -> LineDict:
        result = LineDict()
        result.line = node.start_mark.line + 1
        result.key_lines = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlProblem(line, "merge keys (<<) are not allowed")
            key = self.build(key_node)
            if not isinstance(key, (str, int, float, bool)):
                raise YamlProblem(line, "a key must be a plain word")
            if key in result:
                raise YamlProblem(line, f"duplicate key '{key}' (first on line {result.key_lines[key]})")
            result[key] = self.build(value_node)
            result.key_lines[key] = line
        return result


def _tab_lines(text: str) -> Iterator[int]:
    for number, line in enumerate(text.splitlines(), start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            yield number


def load_mapping(data: bytes) -> LineDict:
    """Parse YAML bytes into a ``LineDict``; raise ``YamlProblem`` on anything unsafe or malformed."""
    if len(data) > MAX_BYTES:
        raise YamlProblem(1, f"file is larger than {MAX_BYTES // 1000} kB")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise YamlProblem(line, "bytes that are not UTF-8; save the file as UTF-8") from None
    text = text.removeprefix("\ufeff")
    for line in _tab_lines(text):
        raise YamlProblem(line, "tab used for indentation; indent with spaces")
    try:
        node = yaml.compose(text, Loader=_COMPOSER)  # nodes only: nothing is constructed or run here
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        reason = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        raise YamlProblem(line, f"malformed YAML: {reason}") from None
    except yaml.YAMLError as exc:
        raise YamlProblem(1, f"malformed YAML: {exc}") from None
    if node is None:
        raise YamlProblem(1, "the file is empty; expected a mapping such as 'exercises:'")
    loaded = _Builder().build(node)
    if loaded is None:
        raise YamlProblem(1, "the file is empty; expected a mapping such as 'exercises:'")
    if not isinstance(loaded, LineDict):
        what = "a list" if isinstance(loaded, list) else "a single value"
        raise YamlProblem(1, f"the file is {what}; expected a mapping such as 'exercises:'")
    return loaded


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
