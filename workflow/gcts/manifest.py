"""The document list (data/resolutions.csv): which resolutions exist, which are here, checksums."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .errors import InputError

LANGS = ("zh", "en")
SYMBOL_RE = re.compile(r"^A/RES/\d{2,3}/\d{1,4}$")
REQUIRED = ["symbol", "title", "session", "adopted", "review"]


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

    @property
    def stem(self) -> str:
        return symbol_stem(self.symbol)


def symbol_stem(symbol: str) -> str:
    """A/RES/72/284 -> A_RES_72_284 (safe as a file name)."""
    check_symbol(symbol, "symbol")
    return symbol.replace("/", "_")


def check_symbol(symbol: str, where) -> str:
    if not isinstance(symbol, str) or not SYMBOL_RE.match(symbol):
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
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in REQUIRED + [f"{lang}_{x}" for lang in LANGS for x in ("path", "sha256", "source")]
               if c not in df.columns]
    if missing:
        raise InputError(path, f"manifest lacks columns {missing}")
    data_dir = (Path(root) / "data").resolve()
    for i, row in df.iterrows():
        where = f"{path} row {i + 2}"
        check_symbol(row["symbol"], where)
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["adopted"]):
            raise InputError(where, f"adopted {row['adopted']!r} is not an ISO date")
        if not row["review"].isdigit():
            raise InputError(where, f"review {row['review']!r} is not a whole number")
        for lang in LANGS:
            p = row[f"{lang}_path"]
            if not p:
                continue
            full = (Path(root) / p).resolve()
            if data_dir not in full.parents:
                raise InputError(where, f"{lang}_path {p!r} points outside data/; refused")
            if not re.fullmatch(r"[0-9a-f]{64}", row[f"{lang}_sha256"]):
                raise InputError(where, f"{lang}_sha256 for {p} is missing or not a sha256 hex digest")
    if df["symbol"].duplicated().any():
        raise InputError(path, f"duplicate symbols {sorted(df.loc[df.symbol.duplicated(), 'symbol'])}")
    df["review"] = df["review"].astype(int)
    return df.sort_values("review").reset_index(drop=True)


def local_sources(manifest: pd.DataFrame, languages=LANGS, root=".") -> list[Source]:
    """The texts listed with a local path, in series order. Does not check the files."""
    out = []
    for _, row in manifest.iterrows():
        for lang in languages:
            if row.get(f"{lang}_path"):
                out.append(Source(row["symbol"], lang, Path(root) / row[f"{lang}_path"],
                                  row[f"{lang}_sha256"], int(row["review"]), row["adopted"], row["title"]))
    return out


def verify(source: Source) -> None:
    """Stop with a clear error if a listed file is absent or its bytes changed."""
    if not source.path.exists():
        raise InputError(source.path, f"listed in the manifest for {source.symbol} ({source.lang}) but the file is missing")
    got = sha256_of(source.path)
    if got != source.sha256:
        raise InputError(source.path, f"sha256 is {got}, the manifest records {source.sha256}: "
                                      "the file was changed; restore it or update the manifest deliberately")


def missing_documents(manifest: pd.DataFrame, languages=LANGS) -> list[tuple[str, str]]:
    """(symbol, lang) pairs of the series that have no local text."""
    return [(row["symbol"], lang) for _, row in manifest.iterrows()
            for lang in languages if not row.get(f"{lang}_path")]


def missing_message(manifest: pd.DataFrame, languages=LANGS, base_url=None) -> str:
    """A plain note listing the absent documents and how to get them."""
    missing = missing_documents(manifest, languages)
    if not missing:
        return "All documents of the series are present locally."
    base = base_url or "https://documents.un.org/api/symbol/access"
    lines = [f"{len(missing)} document(s) of the series are not available locally:"]
    for symbol, lang in missing:
        lines.append(f"  - {symbol} ({lang})  {base}?s={symbol}&l={lang}&t=pdf")
    lines += ["To download them (needs network access to the UN Official Document System):",
              "  uv run snakemake --cores 2 fetch --config fetch_enabled=true",
              "or put a PDF/DOCX/TXT you downloaded yourself into data/inbox/ named like "
              "A_RES_66_282.zh.pdf and run the pipeline again."]
    return "\n".join(lines)
