"""Reading the data files in workflow/resources/ (lexicons, scales, term lists)."""

from __future__ import annotations

from pathlib import Path

import yaml

from .errors import InputError

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)   # libyaml's parser when PyYAML has it: about 10x faster
# Bounds of a YAML file the project reads itself (the lexicons are 1-25 kB, a few thousand values): a file far
# larger, or whose aliases expand it far beyond what it spells out (an "alias bomb"), is refused.
MAX_YAML_BYTES = 10 * 2**20
MAX_VALUES = 1_000_000


def count_values(value, limit: int) -> int:
    """Values (mappings, lists and scalars) as a reader walking ``value`` meets them, a shared (aliased) list
    each time it is used; counted in time linear in the distinct objects, and stopped past ``limit``."""
    sizes: dict[int, int] = {}

    def size(v) -> int:
        if not isinstance(v, (dict, list, tuple)):
            return 1
        if id(v) not in sizes:
            sizes[id(v)] = 0                         # a cycle counts once
            total = 1
            for child in (v.values() if isinstance(v, dict) else v):
                total += size(child)
                if total > limit:
                    break
            sizes[id(v)] = total
        return sizes[id(v)]

    return size(value)


def load_yaml(text_or_stream, source="<yaml>"):
    """yaml.safe_load (libyaml's parser when available), bounded: at most MAX_YAML_BYTES, and at most
    MAX_VALUES values once aliases are expanded. Raises InputError naming ``source``."""
    text = text_or_stream if isinstance(text_or_stream, str) else text_or_stream.read()
    if len(text) > MAX_YAML_BYTES:
        raise InputError(source, f"is {len(text) / 2**20:.1f} MB of YAML; the limit is {MAX_YAML_BYTES // 2**20} MB")
    data = yaml.load(text, Loader=LOADER)  # noqa: S506 (a safe loader; aliases share objects, so this is cheap)
    if "*" in text and count_values(data, MAX_VALUES) > MAX_VALUES:
        raise InputError(source, f"its YAML aliases expand to more than {MAX_VALUES:,} values (an alias bomb?); "
                                 "refused")
    return data


def read_yaml(path, what: str = "file") -> dict:
    """A YAML mapping, or an InputError naming the file: missing, not YAML, too large, not a mapping."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, f"{what} not found")
    if path.stat().st_size > MAX_YAML_BYTES:
        raise InputError(path, f"is {path.stat().st_size / 2**20:.1f} MB; a {what} is a few kB and the limit is "
                               f"{MAX_YAML_BYTES // 2**20} MB")
    try:
        data = load_yaml(path.read_text(encoding="utf-8"), path)
    except yaml.YAMLError as exc:
        raise InputError(path, f"not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise InputError(path, "expected a mapping at the top level")
    return data
