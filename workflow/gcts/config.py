"""The run's configuration, checked before Snakemake validates it against the schema.

- ``--config pillars='{cv_repeats: 5}'``: Snakemake parses the value of a key with YAML's BaseLoader, so
  nested numbers and booleans arrive as strings ('5'); they are converted where the schema asks for a
  number, an integer or a boolean.
- Non-finite numbers (.nan, .inf) are refused: no setting of the pipeline means one.
- A configuration that YAML aliases blow up (an "alias bomb" in a --configfile) is refused by its size
  before anything walks it.
- A schema error is one line naming the key and what is allowed, not the whole schema.
"""

from __future__ import annotations

import math

from .errors import InputError
from .resources import count_values, read_yaml

MAX_VALUES = 100_000     # values in the configuration, aliases expanded (workflow/config.yaml has about 100)
NON_FINITE = {".nan": "nan", ".inf": "inf", "+.inf": "inf", "-.inf": "-inf"}


def prepare(config: dict, schema_path) -> dict:
    """Check and convert ``config`` in place (see the module docstring); raises a short InputError."""
    schema = read_yaml(schema_path, "config schema")
    check_size(config)
    coerce(config, schema)
    check_finite(config)
    check_schema(config, schema)
    return config


def check_size(config, limit: int = MAX_VALUES) -> None:
    if count_values(config, limit) > limit:
        raise InputError("config", f"holds more than {limit:,} values once YAML aliases are expanded "
                                   "(an alias bomb?); refused. Use a configuration file without repeated aliases")


def _types(schema: dict) -> set:
    kind = schema.get("type", ())
    return {kind} if isinstance(kind, str) else set(kind)


def _scalar(text: str, types: set):
    """'5' -> 5, '0.5' -> 0.5, 'true' -> True, '.nan' -> nan (refused later), as the schema asks; else the text."""
    t = text.strip()
    if "boolean" in types and t.lower() in ("true", "false"):
        return t.lower() == "true"
    if types & {"integer", "number"}:
        try:
            return int(t)
        except ValueError:
            pass
    if "number" in types:
        try:
            return float(NON_FINITE.get(t.lower(), t))
        except ValueError:
            pass
    return text


def coerce(value, schema: dict):
    """``value`` with strings converted where ``schema`` (a JSON schema) wants numbers or booleans; dicts and
    lists are converted in place."""
    types = _types(schema)
    if isinstance(value, str) and types & {"integer", "number", "boolean"}:
        return _scalar(value, types)
    if isinstance(value, dict):
        props = schema.get("properties", {})
        for k, v in value.items():
            if k in props:
                value[k] = coerce(v, props[k])
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        value[:] = [coerce(v, schema["items"]) for v in value]
    return value


def _where(path) -> str:
    return "config " + ".".join(str(p) for p in path) if path else "config"


def check_finite(value, path=()) -> None:
    if isinstance(value, float) and not math.isfinite(value):
        raise InputError(_where(path), f"{value} is not a finite number; give a number such as 3 or 0.5")
    if isinstance(value, dict):
        for k, v in value.items():
            check_finite(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            check_finite(v, (*path, i))


def check_schema(config: dict, schema: dict) -> None:
    """The most relevant schema error as one line: the key, and what is allowed."""
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import best_match

    error = best_match(Draft202012Validator(schema).iter_errors(config))
    if error is None:
        return
    where = _where(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = list(error.schema.get("properties", {}))
        unknown = [k for k in error.instance if k not in allowed]
        raise InputError(where, f"unknown key {', '.join(map(repr, unknown))}; allowed: {', '.join(allowed)}")
    message = error.message if len(error.message) <= 200 else error.message[:200] + "…"
    described = error.schema.get("description") if isinstance(error.schema, dict) else None
    raise InputError(where, message + (f" ({described})" if described else "")
                     + " (see workflow/config.yaml and workflow/schemas/config.schema.yaml)")


def prepare_config(config: dict, schema_path) -> dict:
    """``prepare`` for the Snakefile: a bad configuration stops the run with one line naming the key."""
    try:
        return prepare(config, schema_path)
    except InputError as e:
        raise SystemExit(f"Error in the configuration: {e}") from None
