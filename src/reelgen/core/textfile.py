"""Files a person writes by hand (YAML, JSON): a syntax error becomes one line naming the file and the place.

The parsers' own messages run over several lines (PyYAML draws the line with
a caret under it and names ``<unicode string>`` as the file), which a
terminal, a log or an API error envelope shows badly; these read
``bad.yaml line 3, column 5: mapping values are not allowed here``.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from reelgen.core.errors import InvalidRequest


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _read_text(path: Path, name: str, kind: str, param: str) -> str:
    """The file's text; one that is not UTF-8 (a picture given by mistake, say) is an ``InvalidRequest``."""
    try:
        # utf-8-sig: the byte-order mark Windows editors (Notepad, PowerShell 5) put first is not text.
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidRequest(
            f"{name} is not valid {kind}: it is not UTF-8 text (byte {exc.start}: {exc.reason})", param=param
        ) from None


@cache
def _unique_keys() -> Any:
    """A safe YAML loader that refuses a key given twice in one mapping: PyYAML keeps the last one
    silently, so a scene with two ``prompt:`` lines rendered the second and said nothing."""
    import yaml

    class UniqueKeys(yaml.SafeLoader):
        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            seen: dict[Any, int] = {}
            for key_node, _ in node.value:  # before merges (``<<``): overriding a merged key is fine
                if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                    key, line = self.construct_object(key_node), key_node.start_mark.line + 1
                    if key in seen:
                        raise yaml.constructor.ConstructorError(
                            None,
                            None,
                            f"{key!r} is given twice (first on line {seen[key]}); keep one",
                            key_node.start_mark,
                        )
                    seen[key] = line
            return super().construct_mapping(node, deep)

    return UniqueKeys


def parse_yaml(text: str, name: str, *, param: str) -> Any:
    """``text`` as YAML; a syntax error is an ``InvalidRequest`` saying ``NAME line L, column C: problem``."""
    import yaml

    if "\x00" in text:  # PyYAML names it only by its offset in "<unicode string>"
        before = text[: text.index("\x00")]
        line, column = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
        raise InvalidRequest(
            f"{name} line {line}, column {column}: a NUL character (\\0), which no YAML text may hold",
            param=param,
        )
    try:
        return yaml.load(text, Loader=_unique_keys())  # a SafeLoader, refusing repeated keys
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = _one_line(exc.problem or exc.context or "not valid YAML")
        where = f"{name} line {mark.line + 1}, column {mark.column + 1}" if mark else name
        # "while parsing a block mapping" alone says little; where that mapping starts says which one.
        if exc.problem and exc.context and exc.context_mark and exc.context_mark is not mark:
            start = exc.context_mark
            problem += (
                f" ({_one_line(exc.context)} that starts at line {start.line + 1}, column {start.column + 1})"
            )
        raise InvalidRequest(f"{where}: {problem}", param=param) from None
    except yaml.YAMLError as exc:
        raise InvalidRequest(f"{name} is not valid YAML: {_one_line(str(exc))}", param=param) from None
    except RecursionError:  # PyYAML recurses once per level: thousands of "[" ran it out
        raise InvalidRequest(f"{name} nests lists or mappings too deeply to read", param=param) from None


def _refuse_repeated(name: str, param: str) -> Any:
    """A JSON object hook that refuses a key given twice, as the YAML loader does: ``json`` keeps
    the last one silently, so an item with two ``"prompt"`` keys rendered the second unsaid."""

    def build(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out:
                raise InvalidRequest(f"{name}: {key!r} is given twice in one object; keep one", param=param)
            out[key] = value
        return out

    return build


def parse_json(text: str, name: str, *, param: str) -> Any:
    """``text`` as JSON; a syntax error is an ``InvalidRequest`` saying ``NAME line L, column C: problem``,
    and a key given twice in one object is refused by name."""
    try:
        return json.loads(text.removeprefix("\ufeff"), object_pairs_hook=_refuse_repeated(name, param))
    except json.JSONDecodeError as exc:
        raise InvalidRequest(
            f"{name} line {exc.lineno}, column {exc.colno}: {exc.msg} (not valid JSON)", param=param
        ) from None
    except RecursionError:  # past what the parser follows (about a thousand levels)
        raise InvalidRequest(f"{name} nests lists or objects too deeply to read", param=param) from None


def nul_at(value: Any, where: str = "") -> str | None:
    """Where in ``value`` (``items[0].images[1]``) the first text holding a NUL character is, or None.

    No file name can hold one (Python refuses such a path with a ValueError), no database
    stores one, and no text a model reads needs one. Keys are looked at too.
    """
    pending: list[tuple[str, Any]] = [(where, value)]
    while pending:
        path, item = pending.pop()
        if isinstance(item, str) and "\x00" in item:
            return path
        if isinstance(item, dict):
            for key, inner in item.items():
                name = f"{path}.{key}" if path else str(key)
                pending += [(name, key), (name, inner)]
        elif isinstance(item, list):
            pending.extend((f"{path}[{i}]", inner) for i, inner in enumerate(item))
    return None


def refuse_nul(cls: Any, data: Any) -> Any:
    """A request model's "before" validator (``model_validator(mode="before")(refuse_nul)``): no text in
    ``data`` may hold a NUL character; as a path it was a bare ValueError deep in resolving."""
    where = nul_at(data)
    if where:
        raise InvalidRequest(
            f"{where} holds a NUL character (\\0), which no file name or text may hold", param=where
        )
    return data


def no_nul(data: Any, name: str) -> Any:
    """``data`` as parsed from the file ``name``, refused when a text in it holds a NUL character
    (YAML's ``\\0``, JSON's ``\\u0000``)."""
    where = nul_at(data)
    if where is not None:
        raise InvalidRequest(
            f"{name}: {where or 'the file'} holds a NUL character (\\0), which no file name or text may hold",
            param=where or None,
        )
    return data


def read_yaml(path: Path, name: str, *, param: str) -> Any:
    """The YAML file at ``path``, parsed; every problem reading it is one ``InvalidRequest`` line."""
    return no_nul(parse_yaml(_read_text(path, name, "YAML", param), name, param=param), name)


def read_json(path: Path, name: str, *, param: str) -> Any:
    """The JSON file at ``path``, parsed; every problem reading it is one ``InvalidRequest`` line."""
    return no_nul(parse_json(_read_text(path, name, "JSON", param), name, param=param), name)


def read_lines(path: Path, name: str, *, param: str) -> list[str]:
    """The non-empty lines of the text file at ``path``, stripped, ``#`` comment lines left out."""
    text = _read_text(path, name, "text", param)
    lines = [line.strip() for line in text.splitlines()]
    return no_nul([line for line in lines if line and not line.startswith("#")], name)
