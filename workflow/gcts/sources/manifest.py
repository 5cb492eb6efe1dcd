"""The document list (data/resolutions.csv): which resolutions exist, which are here, checksums."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from .. import lang
from ..errors import InputError
from ..lang import codes

if TYPE_CHECKING:
    import pandas as pd   # imported where used: rule segment unpickles a Source without needing pandas

LANGS = codes()                             # languages the pipeline reads (gcts.lang profiles)
OFFICIAL = tuple(lang.OFFICIAL)             # languages a document can be fetched in
SYMBOL_RE = re.compile(r"A/RES/[0-9]{2,3}/[0-9]{1,4}")      # whole string (fullmatch), ASCII digits
REQUIRED = ["symbol", "title", "session", "adopted", "review"]
DEFAULT_SERIES = "gcts"                     # the Strategy reviews: a row with no `series` belongs to it
SERIES_RE = re.compile(r"[a-z][a-z0-9_]{0,39}")   # a series name: also a folder and a rule-output key
UN_ODS = "https://documents.un.org/api/symbol/access"
PER_LANG = ("path", "sha256", "source", "original", "original_sha256")   # columns <lang>_<x>


@dataclass(frozen=True)
class Source:
    """One local text of one resolution in one language."""

    symbol: str
    lang: str
    path: Path
    sha256: str
    review: int
    adopted: str
    title: str
    original: Path | None = None     # the PDF/DOCX the text was made from, if kept
    original_sha256: str = ""
    series: str = DEFAULT_SERIES     # the recurring resolution this is a version of; versions align only within it
    order: int | None = None         # its place in the series (the review number for gcts; default: review)

    @property
    def position(self) -> int:
        return self.review if self.order is None else self.order

    @property
    def stem(self) -> str:
        return symbol_stem(self.symbol)


def symbol_stem(symbol: str) -> str:
    """A/RES/72/284 -> A_RES_72_284 (safe as a file name)."""
    check_symbol(symbol, "symbol")
    return symbol.replace("/", "_")


def check_symbol(symbol: str, where) -> str:
    if not isinstance(symbol, str) or not SYMBOL_RE.fullmatch(symbol):
        raise InputError(where, f"symbol {symbol!r} is not of the form A/RES/<session>/<number>")
    return symbol


def sha256_of(path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def read_manifest(path, root=".") -> pd.DataFrame:
    """Read and check the manifest; paths must stay inside <root>/data."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, "manifest not found")
    import pandas as pd

    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in REQUIRED + [f"{lang}_{x}" for lang in LANGS for x in ("path", "sha256", "source")]
               if c not in df.columns]
    if missing:
        raise InputError(path, f"manifest lacks columns {missing}")
    data_dir = (Path(root) / "data").resolve()
    langs = manifest_languages(df)
    df["series"] = [s.strip() or DEFAULT_SERIES for s in df["series"]] if "series" in df.columns else DEFAULT_SERIES
    orders = []
    for i, row in df.iterrows():
        where = f"{path} row {i + 2}"
        check_symbol(row["symbol"], where)
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["adopted"]):
            raise InputError(where, f"adopted {row['adopted']!r} is not an ISO date")
        orders.append(row_order(row, where))
        for lang in langs:
            for kind in ("path", "original"):
                p = row.get(f"{lang}_{kind}", "")
                if not p:
                    continue
                full = (Path(root) / p).resolve()
                if data_dir not in full.parents:
                    raise InputError(where, f"{lang}_{kind} {p!r} points outside data/; refused")
                digest = row.get(f"{lang}_sha256" if kind == "path" else f"{lang}_original_sha256", "")
                if not re.fullmatch(r"[0-9a-f]{64}", digest):
                    raise InputError(where, f"{lang}_{'sha256' if kind == 'path' else 'original_sha256'} "
                                            f"for {p} is missing or not a sha256 hex digest")
    if df["symbol"].duplicated().any():
        raise InputError(path, f"duplicate symbols {sorted(df.loc[df.symbol.duplicated(), 'symbol'])}")
    df["review"] = [r for r, _ in orders]   # for another series: its order (the cell may be left empty)
    df["order"] = [o for _, o in orders]
    check_unique_order(df, path)
    df["_rank"] = df["series"].map(series_rank)
    return df.sort_values(["_rank", "order"]).drop(columns="_rank").reset_index(drop=True)


def series_rank(series: str) -> tuple[int, str]:
    """Sort key of series names: the Strategy (gcts) first, then the others by name."""
    return (series != DEFAULT_SERIES, series)


def row_order(row, where) -> tuple[int, int]:
    """A row's place in its series, as a whole number: `order` if given (a whole number, or an ISO date read as
    YYYYMMDD), else the review number. A gcts row needs its review number; another series' row may leave
    `review` empty, it then takes the order (its session if `order` is empty too). Returns (review, order)."""
    if not SERIES_RE.fullmatch(row["series"]):
        raise InputError(where, f"series {row['series']!r} is not a lower-case name of letters, digits and _ "
                                "(starting with a letter), e.g. wmd")
    review, order = row["review"].strip(), str(row.get("order", "") or "").strip()
    if review and not review.isdigit():
        raise InputError(where, f"review {review!r} is not a whole number")
    if not review and row["series"] == DEFAULT_SERIES:
        raise InputError(where, f"review is empty: a row of the Strategy series ({DEFAULT_SERIES}) needs its review "
                                "number; a row of another series names it in the `series` column")
    if order and review and row["series"] == DEFAULT_SERIES and order != review:
        raise InputError(where, f"order {order!r} differs from review {review!r}: in the Strategy series ({DEFAULT_SERIES}) "
                                "the order is the review number (leave order empty)")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", order):
        value = int(order.replace("-", ""))
    elif order.isdigit():
        value = int(order)
    elif order:
        raise InputError(where, f"order {order!r} is neither a whole number (review, session) nor an ISO date")
    elif review:
        value = int(review)
    elif str(row["session"]).strip().isdigit():
        value = int(row["session"])
    else:
        raise InputError(where, "order, review and session are all empty: give the row's order in its series")
    return int(review or value), value


def check_unique_order(df: pd.DataFrame, path) -> None:
    """Two documents with the same order in one series cannot be put in sequence (nor each pair compared):
    refuse, naming the manifest rows. In the Strategy series the order is the review number."""
    dup = df[df.duplicated(["series", "order"], keep=False)]
    if dup.empty:
        return
    series, n = dup["series"].iloc[0], dup["order"].iloc[0]
    rows = dup[(dup["series"] == series) & (dup["order"] == n)]
    listed = [f"{s} (row {i + 2})" for i, s in rows["symbol"].items()]
    named = " and ".join(listed[:3]) + (f" and {len(listed) - 3} more" if len(listed) > 3 else "")
    if series == DEFAULT_SERIES:
        raise InputError(path, f"review {n} is given to {named}; each document of the series needs its own review "
                               "number")
    raise InputError(path, f"order {n} in series {series!r} is given to {named}; each document of a series needs "
                           "its own order (its session, or its adoption date when the series has two texts in one "
                           "session)")


def manifest_languages(df: pd.DataFrame) -> list[str]:
    """The supported languages and any other language with a <lang>_path column."""
    extra = sorted({c[:-5] for c in df.columns if re.fullmatch(r"[a-z]{2}_path", c)} - set(LANGS))
    return list(LANGS) + extra


def local_sources(manifest: pd.DataFrame, languages=LANGS, root=".") -> list[Source]:
    """The texts listed with a local path, in series order. Does not check the files."""
    out = []
    for _, row in manifest.iterrows():
        for lang in languages:
            if row.get(f"{lang}_path"):
                original = row.get(f"{lang}_original") or ""
                out.append(Source(row["symbol"], lang, Path(root) / row[f"{lang}_path"],
                                  row[f"{lang}_sha256"], int(row["review"]), row["adopted"], row["title"],
                                  Path(root) / original if original else None,
                                  row.get(f"{lang}_original_sha256") or "",
                                  row.get("series", DEFAULT_SERIES), int(row.get("order", row["review"]))))
    return out


def verify(source: Source) -> None:
    """Stop with a clear error if a listed file is absent or its bytes changed."""
    if not source.path.exists():
        raise InputError(source.path, f"listed in the manifest for {source.symbol} ({source.lang}) but the file is missing")
    got = sha256_of(source.path)
    if got != source.sha256:
        raise InputError(source.path, f"sha256 is {got}, the manifest records {source.sha256}: "
                                      "the file was changed; restore it or update the manifest deliberately")
    if source.original is not None:
        if not source.original.exists():
            raise InputError(source.original, f"listed in the manifest as the original of {source.symbol} "
                                              f"({source.lang}) but the file is missing")
        got = sha256_of(source.original)
        if got != source.original_sha256:
            raise InputError(source.original, f"sha256 is {got}, the manifest records {source.original_sha256}: "
                                              "the original was changed; restore it")


def missing_documents(manifest: pd.DataFrame, languages=LANGS) -> list[tuple[str, str]]:
    """(symbol, lang) pairs of the series that have no local text."""
    return [(row["symbol"], lang) for _, row in manifest.iterrows()
            for lang in languages if not row.get(f"{lang}_path")]


def document_url(base_url, symbol: str, lang: str) -> str:
    """The address of a document's PDF, e.g. ...access?s=A/RES/66/282&l=zh&t=pdf."""
    check_symbol(symbol, "symbol")
    base = base_url or UN_ODS
    return f"{base}?{urlencode({'s': symbol, 'l': lang, 't': 'pdf'}, safe='/')}"


def missing_message(manifest: pd.DataFrame, languages=LANGS, base_url=None) -> str:
    """A plain note listing the absent documents and how to get them."""
    missing = missing_documents(manifest, languages)
    if not missing:
        return "All documents of the series are present locally."
    lines = [f"{len(missing)} document(s) of the series are not available locally:"]
    for symbol, lang in missing:
        lines.append(f"  - {symbol} ({lang})  {document_url(base_url, symbol, lang)}")
    lines += ["To download them (needs network access to the UN Official Document System):",
              "  uv run snakemake --cores 2 fetch",
              "or put a PDF/DOCX/TXT you downloaded yourself into data/inbox/ named like "
              "A_RES_66_282.zh.pdf and import it with:",
              "  uv run snakemake --cores 2 inbox",
              "New documents are processed by the next run."]
    return "\n".join(lines)


# Writing: only the fetch and inbox steps add documents; they never change an existing entry.

def tmp_dir(manifest_path) -> Path:
    """data/.tmp (git-ignored): temporary files on the same file system as data/, for atomic writes."""
    d = Path(manifest_path).parent / ".tmp"
    d.mkdir(parents=True, exist_ok=True)
    return d


STALE_SECONDS = 3600     # a download or a landing takes seconds; a .part file this old was left by a killed run


def remove_stale_parts(tmp, older_than: float = STALE_SECONDS) -> list[Path]:
    """Remove the *.part files in ``tmp`` (data/.tmp) older than ``older_than`` seconds: left by a run that
    was killed (SIGKILL gives no chance to clean up); a younger one may belong to a run still going."""
    removed = []
    for part in Path(tmp).glob("*.part"):
        try:
            if time.time() - part.stat().st_mtime > older_than:
                part.unlink()
                removed.append(part)
        except FileNotFoundError:
            pass
    return removed


@contextmanager
def manifest_lock(manifest_path):
    """Serialise writers of the manifest (e.g. `snakemake fetch inbox` running both rules)."""
    with open(tmp_dir(manifest_path) / "manifest.lock", "w") as handle:
        try:
            import fcntl
        except ImportError:               # pragma: no cover - Windows: no lock
            yield
            return
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_atomic(data: bytes, dest, tmp) -> None:
    """Write bytes to a temporary file in <tmp>, then rename it to <dest> in one step."""
    fd, name = tempfile.mkstemp(dir=tmp, prefix=Path(dest).name + ".", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(name, dest)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def copy_atomic(src, dest, tmp) -> None:
    """Copy a file to a temporary file in <tmp>, then rename it to <dest> in one step."""
    fd, name = tempfile.mkstemp(dir=tmp, prefix=Path(dest).name + ".", suffix=".part")
    os.close(fd)
    try:
        shutil.copyfile(src, name)
        os.replace(name, dest)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def record_document(manifest_path, symbol: str, lang: str, values: dict) -> None:
    """Fill the <lang>_* cells of one row (path, sha256, source, original, original_sha256) and
    rewrite the manifest atomically. Refuses to change a row that already lists a text.
    Call it inside ``manifest_lock``."""
    manifest_path = Path(manifest_path)
    check_symbol(symbol, manifest_path)
    if lang not in OFFICIAL:
        raise InputError(manifest_path, f"language {lang!r} is not one of {', '.join(OFFICIAL)}")
    unknown = set(values) - set(PER_LANG)
    if unknown:
        raise ValueError(f"unknown manifest fields {sorted(unknown)}")
    import pandas as pd

    df = pd.read_csv(manifest_path, dtype=str, keep_default_na=False)
    hit = df.index[df["symbol"] == symbol]
    if len(hit) != 1:
        raise InputError(manifest_path, f"{symbol} is not listed; add its row (symbol, title, session, "
                                        "adopted, review, or series and order) before fetching or importing it")
    i = hit[0]
    for x in PER_LANG:                                  # new columns next to the language's others
        col = f"{lang}_{x}"
        if col not in df.columns:
            group = [c for c in df.columns if c.startswith(f"{lang}_")]
            at = df.columns.get_loc(group[-1]) + 1 if group else len(df.columns)
            df.insert(at, col, "")
    if df.at[i, f"{lang}_path"]:
        raise InputError(manifest_path, f"{symbol} ({lang}) already lists {df.at[i, f'{lang}_path']}; "
                                        "existing entries are never replaced")
    for x, v in values.items():
        df.at[i, f"{lang}_{x}"] = "" if v is None else str(v)
    write_atomic(df.to_csv(index=False, lineterminator="\n").encode("utf-8"), manifest_path,
                 tmp_dir(manifest_path))
