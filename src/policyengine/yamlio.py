"""Safe YAML loading that keeps line numbers, so every error can name file:line."""

from __future__ import annotations

from typing import Any

import yaml

from .errors import PolicyFileError

try:  # the C loader is several times faster; the pure one behaves the same
    _Base = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Base = yaml.SafeLoader


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


class _Loader(_Base):  # type: ignore[misc, valid-type]
    pass


def _mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    out = LineDict()
    out.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
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


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


def load_yaml(path: str) -> Any:
    """Load one YAML file with the safe loader, keeping line numbers; errors name file:line."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError as exc:
        raise PolicyFileError(f"cannot read the file ({exc.strerror})", where=path,
                              hint="check the path") from None
    return parse_yaml(text, path)


def parse_yaml(text: str, name: str) -> Any:
    """Parse YAML text from `name` (a path or label) with the line-keeping safe loader."""
    loader = _Loader(text)
    loader.name = name  # the C loader leaves marks unnamed
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        raise PolicyFileError(
            f"not valid YAML: {exc.problem or exc.context}", where=f"{name}:{line}",
            hint="check the indentation and quoting on that line",
        ) from None
    except yaml.YAMLError as exc:
        raise PolicyFileError(f"not valid YAML: {exc}", where=name, hint="check the file") from None
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

