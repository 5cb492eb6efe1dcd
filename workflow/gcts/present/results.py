"""Load the pipeline's results for notebooks and the report: `load("paragraphs")`, `pairs()`, `figure_data(...)`.

The results directory is `results/` under the working directory, or the one named by the environment variable
GCTS_RESULTS, or the `results` argument.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from ..errors import InputError
from ..lang import codes
from .figdata import recent_pairs
from ..sources.manifest import symbol_stem

# name -> candidate files under results/, first existing wins (Parquet keeps list cells and dtypes)
TABLES = {
    "paragraphs": ["paragraphs.parquet", "paragraphs.csv"],
    "footnotes": ["footnotes.parquet", "footnotes.csv"],
    "documents": ["documents.csv"],
    "artefacts": ["artefacts.parquet"],
}


def results_dir(results=None) -> Path:
    return Path(results or os.environ.get("GCTS_RESULTS") or "results")


def path_of(name: str, results=None) -> Path:
    """The file behind a table name: a key of TABLES, `tables/<name>`, `<name>` or a path relative to results/."""
    root = results_dir(results)
    candidates = TABLES.get(name, []) + [f"tables/{name}.parquet", f"tables/{name}.csv", f"{name}.parquet",
                                         f"{name}.csv", name]
    for rel in candidates:
        if (root / rel).is_file():
            return root / rel
    raise InputError(root / name, f"no table {name!r} in {root} (run `snakemake --cores 2` first?)")


def read(path) -> pd.DataFrame:
    path = Path(path)
    if path.suffix == ".parquet":
        return pd.read_parquet(path)
    return pd.read_csv(path, keep_default_na=False, na_values=[""])


def load(name: str, results=None) -> pd.DataFrame:
    """A results table by name, e.g. load("paragraphs"), load("verbs"), load("pillar_shares"), load("series")."""
    return read(path_of(name, results))


def pair_files(results=None) -> list[Path]:
    return sorted((results_dir(results) / "compare").glob("*__*.csv"))


def pair_key(table: pd.DataFrame, path, doc_lang: dict[str, set[str]] | None = None) -> tuple[str, str, str]:
    """(doc_a, doc_b, lang) of one alignment table; lang from a `lang` column, the file name or the documents."""
    docs_a, docs_b = set(table["doc_a"].dropna()) - {""}, set(table["doc_b"].dropna()) - {""}
    if len(docs_a) != 1 or len(docs_b) != 1:
        raise InputError(path, f"expected one document on each side, found {sorted(docs_a)} and {sorted(docs_b)}")
    a, b = docs_a.pop(), docs_b.pop()
    if "lang" in table.columns and table["lang"].nunique() == 1:
        return a, b, str(table["lang"].iloc[0])
    for lang in codes():
        if f".{lang}." in Path(path).name or Path(path).stem.endswith(f"_{lang}") or f"__{lang}" in Path(path).name:
            return a, b, lang
    common = (doc_lang or {}).get(a, set()) & (doc_lang or {}).get(b, set())
    if len(common) == 1:
        return a, b, common.pop()
    raise InputError(path, "cannot tell the language of this alignment table (no lang column, not in the name)")


def pair_paths(paths, documents: pd.DataFrame) -> dict[tuple[str, str, str], Path]:
    """{(doc_a, doc_b, lang): file} of alignment tables named <A>__<B>.csv, without reading them: the symbols from
    the file name, the languages from those both documents have in `documents` (results/documents.csv)."""
    symbols = {symbol_stem(d): d for d in documents["doc"]}
    langs = documents.groupby("doc")["lang"].agg(set)
    out = {}
    for path in paths:
        a, _, b = Path(path).stem.partition("__")
        if a not in symbols or b not in symbols:
            raise InputError(path, "not named <A>__<B>.csv (or .parquet) after two documents of results/documents.csv")
        shared = sorted(langs[symbols[a]] & langs[symbols[b]])
        for lang in shared or [f"{la}-{lb}" for la in sorted(langs[symbols[a]]) for lb in sorted(langs[symbols[b]])]:
            out[symbols[a], symbols[b], lang] = Path(path)   # "zh-en": a cross-lingual alignment (no shared language)
    return out


def pair_paths_within(paths, documents: pd.DataFrame) -> list:
    """The alignment files <A>__<B>.csv (or .parquet) whose two documents are both in `documents`, e.g. the rows of
    one series (figdata.of_series): the pairs of that series."""
    stems = {symbol_stem(d) for d in documents["doc"]}
    return [p for p in paths if all(x in stems for x in Path(p).stem.split("__"))]


def pairs(results=None, paths=None, documents: pd.DataFrame | None = None) -> dict[tuple[str, str, str], pd.DataFrame]:
    """Every alignment table as {(doc_a, doc_b, lang): DataFrame}, in series order."""
    if documents is None:
        try:
            documents = load("documents", results)
        except InputError:
            documents = pd.DataFrame(columns=["doc", "lang"])
    doc_lang: dict[str, set[str]] = {}
    for d in documents.itertuples():
        doc_lang.setdefault(d.doc, set()).add(d.lang)
    out = {}
    for path in (paths if paths is not None else pair_files(results)):
        table = read(path)
        if "lang" in table.columns and table["lang"].nunique() > 1:  # one file, several shared languages
            parts = [g for _, g in table.groupby("lang", sort=True)]
        else:
            parts = [table]
        for part in parts:
            out[pair_key(part.reset_index(drop=True), path, doc_lang)] = part.reset_index(drop=True)
    return dict(sorted(out.items(), key=lambda kv: (kv[0][2], kv[0][0], kv[0][1])))


def figure_data(name: str, results=None) -> pd.DataFrame:
    """The values plotted in results/figures/<name>.png."""
    return read(results_dir(results) / "figures" / f"{name}.data.csv")


def recent_pair_tables(paths, documents: pd.DataFrame, most: int) -> tuple[dict, dict]:
    """The alignment tables of the `most` most recent pairs of each language (figdata.recent_pairs), reading only
    those files, in series order; and {(doc_a, doc_b, lang): file} of every pair, to say what was left out."""
    files = pair_paths(paths, documents)
    keep = recent_pairs(list(files), documents, most)
    loaded = pairs(paths=sorted({files[k] for k in keep}), documents=documents)
    return {k: loaded[k] for k in keep if k in loaded}, files   # a file may hold a language not shown
