"""Reading the data files in workflow/resources/ (lexicons, scales, term lists)."""

from __future__ import annotations

from pathlib import Path

import yaml

from .errors import InputError

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)   # libyaml's parser when PyYAML has it: about 10x faster


def load_yaml(text_or_stream):
    """yaml.safe_load, with libyaml's parser when available (the lexicons are read by several jobs)."""
    return yaml.load(text_or_stream, Loader=LOADER)  # noqa: S506 (a safe loader)


def read_yaml(path, what: str = "file") -> dict:
    """A YAML mapping, or an InputError naming the file: missing, not YAML, not a mapping."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, f"{what} not found")
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise InputError(path, f"not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise InputError(path, "expected a mapping at the top level")
    return data
