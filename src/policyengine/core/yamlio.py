"""Safe YAML loading that keeps line numbers, so every error can name file:line.

Bounded against hostile files: only regular files of at most MAX_BYTES of UTF-8 text are read, and
the node graph is checked before anything is built from it (at most MAX_NODES nodes once aliases are
expanded, at most MAX_DEPTH levels deep, mapping keys plain scalars, integers of at most MAX_DIGITS
digits), so alias bombs and deep nesting end in a PolicyFileError instead of minutes and gigabytes.
"""

from __future__ import annotations

import functools
import os
import stat
from typing import Any

from .errors import PolicyFileError, shown

MAX_BYTES = 4 * 1024 * 1024
MAX_NODES = 200_000
MAX_DEPTH = 48
MAX_DIGITS = 18  # integers the engine holds exactly (64-bit)

yaml: Any = None  # PyYAML, imported by `_loader()` when the first file is parsed


class LineDict(dict):
    """A dict that remembers the line of itself and of each of its keys (1-based)."""

    line: int = 0
    key_lines: dict

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.key_lines = {}


class LineList(list):
    """A list that remembers the line of each of its items (1-based)."""

    line: int = 0
    item_lines: list


def _mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    out = LineDict()
    out.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key_node, yaml.ScalarNode):
            raise PolicyFileError(
                f"a mapping key must be a plain name, not '{shown(key)}'",
                where=f"{getattr(loader, 'name', node.start_mark.name)}:{key_node.start_mark.line + 1}",
                hint="write the key as a word, e.g. activity: use",
            )
        if key in out:
            raise PolicyFileError(
                f"duplicate key '{key}'",
                where=f"{getattr(loader, 'name', node.start_mark.name)}:{key_node.start_mark.line + 1}",
                hint="each key may appear once in a mapping",
            )
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[key] = key_node.start_mark.line + 1
    return out


def _sequence(loader: yaml.SafeLoader, node: yaml.SequenceNode) -> LineList:
    out = LineList(loader.construct_object(child, deep=True) for child in node.value)
    out.line = node.start_mark.line + 1
    out.item_lines = [child.start_mark.line + 1 for child in node.value]
    return out


def _timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError as exc:
        raise PolicyFileError(
            f"'{node.value}' is not a real date ({exc})",
            where=f"{getattr(loader, 'name', node.start_mark.name)}:{node.start_mark.line + 1}",
            hint="write an ISO date that exists, e.g. 2020-01-31",
        ) from None


def _int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    digits = sum(c.isdigit() for c in str(node.value))
    if digits > MAX_DIGITS:
        raise PolicyFileError(
            f"the integer '{shown(node.value)}' has {digits} digits, more than the {MAX_DIGITS} allowed",
            where=f"{getattr(loader, 'name', node.start_mark.name)}:{node.start_mark.line + 1}",
            hint="write a smaller whole number",
        )
    return yaml.SafeLoader.construct_yaml_int(loader, node)


@functools.cache
def _loader() -> type:
    """The line-keeping safe loader class, built on first use: importing PyYAML costs about 8 ms, which
    `import policyengine` need not pay when its instruments come from the cache."""
    global yaml
    import yaml  # lazy: PyYAML is imported only when a file is parsed (the cache spares it)

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader is several times faster
    loader = type("_Loader", (base,), {})
    loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
    loader.add_constructor("tag:yaml.org,2002:int", _int)
    loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
    loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)
    return loader


def read_text(path: str) -> str:
    """The UTF-8 text of a regular file of at most MAX_BYTES; PolicyFileError otherwise."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise PolicyFileError("is not a regular file (a directory, FIFO or device)", where=path,
                                  hint="give the path of a .yaml file")
        if info.st_size > MAX_BYTES:
            raise PolicyFileError(f"is {info.st_size:,} bytes, more than the {MAX_BYTES:,} allowed", where=path,
                                  hint="split the file, or check that it is the right one")
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise PolicyFileError(f"cannot read the file ({exc.strerror})", where=path,
                              hint="check the path") from None
    if len(data) > MAX_BYTES:
        raise PolicyFileError(f"is more than {MAX_BYTES:,} bytes", where=path, hint="split the file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PolicyFileError(f"is not UTF-8 text (byte {exc.start + 1} is 0x{data[exc.start]:02x})",
                              where=f"{path}:{line}", hint="save the file as UTF-8 text") from None


def load_yaml(path: str) -> Any:
    """Load one YAML file with the safe loader, keeping line numbers; errors name file:line."""
    return parse_yaml(read_text(path), path)


def _check_graph(root: yaml.Node, name: str) -> None:
    """Refuse a node graph that is too large once aliases are expanded, or too deep (recursive
    aliases are infinitely deep)."""
    _measure(root, 1, {}, name)


def _measure(node: yaml.Node, depth: int, sizes: dict[int, int], name: str) -> int:
    if isinstance(node, yaml.ScalarNode):
        return 1
    if depth > MAX_DEPTH:
        raise PolicyFileError(f"nests more than {MAX_DEPTH} levels deep (or an alias refers to its own anchor)",
                              where=f"{name}:{node.start_mark.line + 1}",
                              hint="flatten the structure (all: and any: take lists)")
    key = id(node)
    size = sizes.get(key)
    if size is not None:
        return size
    size = 1
    if isinstance(node, yaml.SequenceNode):
        for child in node.value:
            size += 1 if isinstance(child, yaml.ScalarNode) else _measure(child, depth + 1, sizes, name)
    else:
        for key_node, value_node in node.value:
            size += _measure(key_node, depth + 1, sizes, name)
            size += 1 if isinstance(value_node, yaml.ScalarNode) else _measure(value_node, depth + 1, sizes, name)
    if size > MAX_NODES:
        raise PolicyFileError(
            f"expands to more than {MAX_NODES:,} values (aliases repeat their anchor's content)",
            where=f"{name}:{node.start_mark.line + 1}", hint="write the content out, or use fewer aliases")
    sizes[key] = size
    return size


def parse_yaml(text: str, name: str) -> Any:
    """Parse YAML text from `name` (a path or label) with the line-keeping safe loader."""
    loader = _loader()(text)
    loader.name = name  # the C loader leaves marks unnamed
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_graph(node, name)
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        raise PolicyFileError(
            f"not valid YAML: {exc.problem or exc.context}", where=f"{name}:{line}",
            hint="check the indentation and quoting on that line",
        ) from None
    except yaml.YAMLError as exc:
        raise PolicyFileError(f"not valid YAML: {exc}", where=name, hint="check the file") from None
    except (IndexError, KeyError, TypeError, ValueError, RecursionError) as exc:  # raised by the C composer
        raise PolicyFileError(f"not valid YAML ({type(exc).__name__}: {exc})", where=name,
                              hint="check anchors, aliases and nesting") from None
    finally:
        loader.dispose()


def where(path: str, node: Any, key: Any = None, index: int | None = None) -> str:
    """Return 'path:line' for a loaded node, one of its keys, or one of its items."""
    line = 0
    if key is not None and isinstance(node, LineDict):
        line = node.key_lines.get(key, node.line)
    elif index is not None and isinstance(node, LineList) and index < len(node.item_lines):
        line = node.item_lines[index]
    elif isinstance(node, (LineDict, LineList)):
        line = node.line
    return f"{path}:{line}" if line else path

