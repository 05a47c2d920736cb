"""Files a person writes by hand (YAML, JSON): a syntax error becomes one line naming the file and the place.

The parsers' own messages run over several lines (PyYAML draws the line with
a caret under it and names ``<unicode string>`` as the file), which a
terminal, a log or an API error envelope shows badly; these read
``bad.yaml line 3, column 5: mapping values are not allowed here``.
"""

from __future__ import annotations

import json
import re
import stat
from functools import cache
from pathlib import Path
from typing import Any

from reelgen.core.errors import InvalidRequest
from reelgen.core.json_repeats import Repeated, refuse_repeated, repeated_words
from reelgen.core.nul_text import no_nul
from reelgen.core.yaml_comment_cut import comment_cut
from reelgen.core.yaml_indent import new_item, said_plainly, tab_problem
from reelgen.core.yaml_words import no_stream_names, plain_words


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


#: The largest hand-written file read, in bytes. PyYAML reads about a megabyte a minute of
#: deep YAML, so a 50 MB file given by mistake held the command for an hour; a storyboard of a
#: thousand scenes is a few hundred kilobytes, a manifest of ten thousand items a few megabytes.
MAX_BYTES = {"YAML": 4 << 20, "JSON": 32 << 20, "text": 4 << 20}
#: The most values a YAML file may expand to through its aliases (``*name``): nine anchors of
#: nine aliases each (a "billion laughs") were hundreds of millions of values, minutes of work.
MAX_NODES = 1_000_000
#: The longest whole number read: Python refuses to read a longer one (a ValueError, not an error
#: naming the file), and no field takes one anywhere near it.
MAX_DIGITS = 4000
#: What YAML 1.1 (PyYAML) reads as an octal number: ``010`` was 8 and ``007`` 7, so a shoot-out
#: prompt of ``id: 010`` named its clips 8, and ``duration: 010`` was 8 seconds. Kept as written: a
#: name keeps its zeros, and a number field reads the text as the decimal number it shows (10).
OCTAL_LOOKING = re.compile(r"[-+]?0[0-7_]+")


def check_regular(path: Path, name: str, *, param: str) -> None:
    """Refuse ``path`` unless it is a regular file: a folder, a FIFO (which blocks whoever reads it
    until something writes to it), a device or a socket is named as what it is."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise InvalidRequest(f"{name} does not exist", param=param) from None
    except OSError as exc:
        raise InvalidRequest(f"{name} cannot be read: {exc.strerror or exc}", param=param) from None
    if stat.S_ISDIR(mode):
        raise InvalidRequest(f"{name} is a folder; give the file itself", param=param)
    if not stat.S_ISREG(mode):
        what = "a FIFO (named pipe)" if stat.S_ISFIFO(mode) else "a device or socket"
        raise InvalidRequest(f"{name} is {what}, not a regular file; give the file itself", param=param)


def _read_text(path: Path, name: str, kind: str, param: str) -> str:
    """The file's text; one that is not UTF-8 (a picture given by mistake, say) is an ``InvalidRequest``."""
    check_regular(path, name, param=param)
    limit = MAX_BYTES[kind]
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)  # not stat's size alone: a file may grow while read
    except OSError as exc:
        raise InvalidRequest(f"{name} cannot be read: {exc.strerror or exc}", param=param) from None
    if len(data) > limit:
        raise InvalidRequest(
            f"{name} is larger than {limit >> 20} MB, too large for a {kind} file written by hand; "
            "is it the file you meant?",
            param=param,
        )
    if (wide := wide_encoding(data)) is not None:
        raise InvalidRequest(f"{name} is not valid {kind}: it {save_as_utf8(wide)}", param=param)
    try:
        # utf-8-sig: the byte-order mark Windows editors (Notepad, PowerShell 5) put first is not text.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidRequest(_not_utf8(data, exc.start, name, kind), param=param) from None


def wide_encoding(data: bytes) -> str | None:
    """``UTF-16`` or ``UTF-32`` where ``data`` is text saved so (Notepad's "Unicode"; was "not text")."""
    wide = "UTF-32" if data[:4] in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff") else "UTF-16"
    # Unmarked Latin text in UTF-16 is a NUL and a letter in turn (a quiet .wav's NULs are not so).
    halves = ((data[1:512:2], data[0:512:2]), (data[0:512:2], data[1:512:2])) if len(data) >= 4 else ()
    marked = wide == "UTF-32" or data[:2] in (b"\xff\xfe", b"\xfe\xff")
    letters = [(z.count(0), sum(31 < b < 127 or b in b"\t\n\r" for b in t), len(t)) for z, t in halves]
    return wide if marked or any(z >= 0.9 * n and t >= 0.9 * n for z, t, n in letters) else None


def save_as_utf8(wide: str) -> str:
    return (
        f"is saved as {wide}, not UTF-8; save it as UTF-8 (in the editor's Save As, choose UTF-8 as the "
        f"encoding; or: iconv -f {wide.lower()} -t utf-8)"
    )


def _not_utf8(data: bytes, start: int, name: str, kind: str) -> str:
    """Why ``data`` is no UTF-8 text, where, and what to do: a file saved as Latin-1 or Windows-1252
    (a café, an Été) was told only "byte 25: invalid continuation byte"."""
    if b"\x00" in data[:8192]:  # no text file holds NULs: a picture or an archive given by mistake
        return f"{name} is not valid {kind}: it is not text (byte {start} is not UTF-8); is it the file you meant?"
    before = data[:start]
    line, column = (
        before.count(b"\n") + 1,
        len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1,
    )
    byte = data[start : start + 1]
    try:
        seen = f", which is {byte.decode('cp1252')!r} in Windows-1252 or Latin-1,"
    except UnicodeDecodeError:
        seen = ""
    return (
        f"{name} line {line}, column {column}: byte 0x{byte.hex()}{seen} is not UTF-8 text: the file was saved "
        "in another encoding; save it as UTF-8 (in the editor's Save As, or: iconv -f latin1 -t utf-8)"
    )


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
                        # A list item's first field again: its '-' was likely lost, joining two items.
                        mark, again = node.start_mark, ""
                        if seen[key] == mark.line + 1 and (mark.buffer or "")[: mark.pointer].rstrip(
                            " "
                        ).endswith("-"):
                            # Said of the list it is in: a keyframe so joined was "a new scene".
                            item = new_item(mark.buffer or "", seen[key] - 1)
                            again = f", or, if line {line} starts {item}, start it with '- ' as line {seen[key]} does"
                        raise yaml.constructor.ConstructorError(
                            None,
                            None,
                            f"{key!r} is given twice (first on line {seen[key]}); keep one{again}",
                            key_node.start_mark,
                        )
                    seen[key] = line
            return super().construct_mapping(node, deep)

        def construct_yaml_int(self, node: Any) -> Any:
            if OCTAL_LOOKING.fullmatch(str(node.value)):
                return str(node.value)
            if len(str(node.value)) > MAX_DIGITS:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"a number {len(node.value)} digits long; no field takes one that large",
                    node.start_mark,
                )
            return super().construct_yaml_int(node)

    UniqueKeys.add_constructor("tag:yaml.org,2002:int", UniqueKeys.construct_yaml_int)
    return UniqueKeys


def _expanded_size(node: Any, sizes: dict[int, int]) -> int:
    """How many values ``node`` stands for once every alias is read as a copy (memoised: each
    node is counted once however often it is aliased, so a bomb is measured without expanding it)."""
    known = sizes.get(id(node))
    if known is not None:
        return known
    size = 1
    if isinstance(node.value, list):
        for item in node.value:
            parts = item if isinstance(item, tuple) else (item,)  # a mapping's (key, value) pairs
            size += sum(_expanded_size(part, sizes) for part in parts)
    sizes[id(node)] = size
    return size


def _load(text: str, name: str, param: str) -> Any:
    """``text`` composed, measured (aliases expanded) and only then built into Python values."""
    loader = _unique_keys()(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if _expanded_size(node, {}) > MAX_NODES:
            raise InvalidRequest(
                f"{name} stands for more than {MAX_NODES:,} values once its aliases (*name) are "
                "expanded; use fewer aliases of aliases",
                param=param,
            )
        return loader.construct_document(node)
    finally:
        loader.dispose()


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
        return _load(text, name, param)  # a SafeLoader, refusing repeated keys
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = _one_line(exc.problem or exc.context or "not valid YAML")
        where = f"{name} line {mark.line + 1}, column {mark.column + 1}" if mark else name
        # First: a field under a value is no ': ' to quote, and a `#` in `{colour: #fff}` hid its '}'.
        plain = comment_cut(text, exc) or said_plainly(text, exc)
        if plain is not None:
            line, column, words = plain  # PyYAML's parser states unsaid, and the line to mend named
            raise InvalidRequest(
                f"{name} line {line + 1}, column {column + 1}: {words}", param=param
            ) from None
        if (said := plain_words(text, exc)) is not None:  # a bracket or quote left open: the place is kept
            raise InvalidRequest(f"{where}: {said}", param=param) from None
        problem += _quote_hint(text, mark) if exc.problem == "mapping values are not allowed here" else ""
        if (exc.problem or "").startswith(
            "found undefined alias"
        ):  # `seed: *x`: YAML's alias of an &x anchor
            problem += (
                "; a value starting with * repeats one marked &name earlier in the file, and none is marked so:"
                " put the value in quotes if the * is part of it"
            )
        if exc.problem == "found character '\\t' that cannot start any token" and mark is not None:
            problem = tab_problem(text, mark)
        # "while parsing a block mapping" alone says little; where that mapping starts says which one.
        if exc.problem and exc.context and exc.context_mark and exc.context_mark is not mark:
            start = exc.context_mark
            problem += (
                f" ({_one_line(exc.context)} that starts at line {start.line + 1}, column {start.column + 1})"
            )
        raise InvalidRequest(f"{where}: {no_stream_names(problem)}", param=param) from None
    except yaml.YAMLError as exc:
        raise InvalidRequest(f"{name} is not valid YAML: {_one_line(str(exc))}", param=param) from None
    except RecursionError:  # PyYAML recurses once per level: thousands of "[" ran it out
        raise InvalidRequest(f"{name} nests lists or mappings too deeply to read", param=param) from None


#: A line of ``key: value`` (in a list or not): a second ": " in the value is YAML's "mapping values are not
#: allowed here", which said nothing of the cure.
_KEY_VALUE = re.compile(r"\s*(?:-\s+)?([^\s:#'\"][^:#]*?):\s+(\S.*?)\s*$")


def _quote_hint(text: str, mark: Any) -> str:
    """How to write a value holding ``: `` (``prompt: a car: at night``) so YAML reads it as one text."""
    lines = text.splitlines()
    found = _KEY_VALUE.fullmatch(lines[mark.line]) if mark is not None and mark.line < len(lines) else None
    if found is None or found.group(2)[:1] in "'\"[{|>&*!":
        return ""
    key, value = found[1], re.split(r"\s+#", found[2])[0]  # a comment after the value stays out of it
    quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"; a value holding ': ' must be quoted: write {key}: {quoted}"


def _whole_number(digits: str, name: str, param: str) -> int:
    if len(digits) > MAX_DIGITS:
        raise InvalidRequest(
            f"{name}: a number {len(digits)} digits long; no field takes one that large", param=param
        )
    return int(digits)


def parse_json(text: str, name: str, *, param: str) -> Any:
    """``text`` as JSON; a syntax error is an ``InvalidRequest`` saying ``NAME line L, column C: problem``,
    and a key given twice in one object is refused by name."""
    text = text.removeprefix("\ufeff")
    try:
        return json.loads(
            text,
            object_pairs_hook=refuse_repeated,
            parse_int=lambda digits: _whole_number(digits, name, param),
        )
    except Repeated as exc:
        # Named with its line and object, as the YAML reader names the line: "'model' is given twice in
        # one object" left a manifest of a thousand items to search.
        place, inside = repeated_words(text)
        raise InvalidRequest(
            f"{name}{place}: {exc.key!r} is given twice in {inside}; keep one", param=param
        ) from None
    except json.JSONDecodeError as exc:
        raise InvalidRequest(
            f"{name} line {exc.lineno}, column {exc.colno}: {exc.msg} (not valid JSON)", param=param
        ) from None
    except RecursionError:  # past what the parser follows (about a thousand levels)
        raise InvalidRequest(f"{name} nests lists or objects too deeply to read", param=param) from None


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
