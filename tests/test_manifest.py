"""The manifest's writing side (record_document, atomic writes) and the columns fetch/inbox add."""

import pandas as pd
import pytest

from gcts.errors import InputError
from gcts.sources.manifest import (Source, document_url, local_sources, manifest_languages, missing_message, read_manifest,
                           record_document, sha256_of, verify, write_atomic)

from .conftest import ROOT, copy_project

DIGEST = "ab" * 32


@pytest.fixture
def work(tmp_path):
    return copy_project(tmp_path / "project")


def test_record_document_adds_columns_and_changes_only_its_cells(work):
    path = work / "data/resolutions.csv"
    before = pd.read_csv(path, dtype=str, keep_default_na=False)
    record_document(path, "A/RES/66/282", "zh", {"path": "data/raw/A_RES_66_282.zh.txt", "sha256": DIGEST,
                                                 "source": "fetched from https://example.org/?s=A/RES/66/282, today",
                                                 "original": "data/raw/A_RES_66_282.zh.pdf", "original_sha256": DIGEST})
    after = pd.read_csv(path, dtype=str, keep_default_na=False)
    at = list(before.columns).index("zh_source") + 1                 # next to the language's other columns
    assert list(after.columns) == (list(before.columns[:at]) + ["zh_original", "zh_original_sha256"]
                                   + list(before.columns[at:]))
    changed = after.drop(columns=["zh_original", "zh_original_sha256"]).compare(before)
    assert list(changed.index) == [3]                                  # the 66/282 row only
    assert after.loc[3, "zh_source"].endswith(", today")              # quoted, read back intact
    assert not list((work / "data/.tmp").glob("*.part"))
    with pytest.raises(InputError, match="already lists .* never replaced"):
        record_document(path, "A/RES/66/282", "zh", {"path": "data/raw/other.txt", "sha256": DIGEST})
    with pytest.raises(InputError, match="A/RES/99/999 is not listed"):
        record_document(path, "A/RES/99/999", "zh", {"path": "data/raw/x.txt", "sha256": DIGEST})
    with pytest.raises(InputError, match="'de' is not one of"):
        record_document(path, "A/RES/66/282", "de", {"path": "data/raw/x.txt", "sha256": DIGEST})


def test_other_official_languages_get_their_own_columns(work):
    path = work / "data/resolutions.csv"
    record_document(path, "A/RES/72/284", "fr", {"path": "data/raw/A_RES_72_284.fr.txt", "sha256": DIGEST})
    m = read_manifest(path, work)
    assert manifest_languages(m) == ["zh", "en", "fr"]
    assert list(m.columns[-5:]) == ["fr_path", "fr_sha256", "fr_source", "fr_original", "fr_original_sha256"]
    assert {s.lang for s in local_sources(m, root=work)} == {"zh", "en"}   # the pipeline reads zh/en only


@pytest.mark.parametrize("column, value, problem", [
    ("zh_original", "../outside.pdf", "points outside data/"),
    ("zh_original_sha256", "not-a-digest", "zh_original_sha256 .* not a sha256"),
])
def test_bad_original_columns_are_refused(work, column, value, problem):
    path = work / "data/resolutions.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df["zh_original"], df["zh_original_sha256"] = "", ""
    row = df["symbol"] == "A/RES/68/276"
    df.loc[row, ["zh_original", "zh_original_sha256"]] = ["data/raw/A_RES_68_276.zh.pdf", DIGEST]
    df.loc[row, column] = value
    df.to_csv(path, index=False)
    with pytest.raises(InputError, match=problem):
        read_manifest(path, work)


def test_a_missing_original_is_an_error(work):
    m = read_manifest(work / "data/resolutions.csv", work)
    (source,) = [s for s in local_sources(m, root=work) if s.lang == "zh"]
    source = Source(*[getattr(source, f) for f in ("symbol", "lang", "path", "sha256", "review", "adopted", "title")],
                    work / "data/raw/A_RES_68_276.zh.pdf", DIGEST)
    with pytest.raises(InputError, match="original of A/RES/68/276 .* missing"):
        verify(source)
    (work / "data/raw/A_RES_68_276.zh.pdf").write_bytes(b"%PDF-1.4")
    with pytest.raises(InputError, match="the original was changed"):
        verify(source)
    verify(Source(*[getattr(source, f) for f in ("symbol", "lang", "path", "sha256", "review", "adopted", "title")],
                  source.original, sha256_of(source.original)))


def test_missing_message_gives_the_real_commands():
    msg = missing_message(read_manifest(ROOT / "data/resolutions.csv", ROOT))
    assert "uv run snakemake --cores 2 fetch\n" in msg and "uv run snakemake --cores 2 inbox" in msg
    assert "fetch_enabled" not in msg
    assert document_url("http://127.0.0.1:1/x", "A/RES/66/282", "zh") == "http://127.0.0.1:1/x?s=A/RES/66/282&l=zh&t=pdf"
    with pytest.raises(InputError):
        document_url(None, "A/RES/../../etc", "zh")


def test_write_atomic_leaves_nothing_on_failure(tmp_path):
    with pytest.raises(FileNotFoundError):
        write_atomic(b"data", tmp_path / "no-such-dir" / "file.txt", tmp_path)
    assert list(tmp_path.iterdir()) == []
    write_atomic(b"data", tmp_path / "file.txt", tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["file.txt"]
