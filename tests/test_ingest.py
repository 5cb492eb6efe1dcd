"""Reading raw texts and the manifest: encodings, languages, checksums, missing documents."""

import hashlib
import shutil

import pandas as pd
import pytest

from gcts.sources.corpus import segment_source
from gcts.errors import InputError
from gcts.text.ingest import read_text
from gcts.sources.manifest import local_sources, missing_documents, missing_message, read_manifest, verify
from gcts.text.segment import segment_text

from .conftest import RAW, ROOT


def test_manifest_lists_the_series():
    m = read_manifest(ROOT / "data/resolutions.csv", ROOT)
    assert list(m["symbol"]) == ["A/RES/60/288", "A/RES/62/272", "A/RES/64/297", "A/RES/66/282",
                                 "A/RES/68/276", "A/RES/70/291", "A/RES/72/284", "A/RES/75/291",
                                 "A/RES/77/298"]
    assert list(m["review"]) == list(range(9))
    assert m["adopted"].str.match(r"^\d{4}-\d{2}-\d{2}$").all()


def test_corpus_copied_unchanged():
    m = read_manifest(ROOT / "data/resolutions.csv", ROOT)
    sources = local_sources(m, root=ROOT)
    assert {(s.symbol, s.lang) for s in sources} == {("A/RES/68/276", "zh"), ("A/RES/72/284", "en"),
                                                      ("A/RES/75/291", "en")}
    for s in sources:
        verify(s)                                   # sha256 as recorded in SOURCES.md
        shared = ROOT.parent / "shared" / "corpus" / s.path.name
        if shared.exists():
            assert shared.read_bytes() == s.path.read_bytes()


def test_missing_documents_message():
    m = read_manifest(ROOT / "data/resolutions.csv", ROOT)
    missing = missing_documents(m)
    assert ("A/RES/66/282", "zh") in missing and ("A/RES/68/276", "en") in missing
    assert ("A/RES/68/276", "zh") not in missing and len(missing) == 18 - 3
    msg = missing_message(m)
    assert "A/RES/77/298 (en)" in msg and "s=A/RES/66/282&l=zh&t=pdf" in msg


def test_changed_checksum_is_refused(tmp_path):
    m = read_manifest(ROOT / "data/resolutions.csv", ROOT)
    (source,) = [s for s in local_sources(m, root=ROOT) if s.lang == "zh"]
    copy = tmp_path / source.path.name
    shutil.copy(source.path, copy)
    with open(copy, "a", encoding="utf-8") as f:
        f.write("\n")
    changed = source.__class__(**{**source.__dict__, "path": copy})
    with pytest.raises(InputError, match="sha256 .* the file was changed"):
        verify(changed)
    with pytest.raises(InputError, match="sha256"):
        segment_source(changed)


def test_missing_file_is_refused(tmp_path):
    m = read_manifest(ROOT / "data/resolutions.csv", ROOT)
    source = local_sources(m, root=ROOT)[0]
    gone = source.__class__(**{**source.__dict__, "path": tmp_path / "nothing.txt"})
    with pytest.raises(InputError, match="file is missing"):
        verify(gone)


def write_manifest(tmp_path, changes):
    m = pd.read_csv(ROOT / "data/resolutions.csv", dtype=str, keep_default_na=False)
    for (row, col), value in changes.items():
        m.loc[row, col] = value
    path = tmp_path / "data" / "resolutions.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    m.to_csv(path, index=False)
    return path


def test_manifest_path_outside_data_refused(tmp_path):
    path = write_manifest(tmp_path, {(4, "zh_path"): "../etc/passwd"})
    with pytest.raises(InputError, match="outside data/"):
        read_manifest(path, tmp_path)


def test_manifest_bad_symbol_refused(tmp_path):
    path = write_manifest(tmp_path, {(0, "symbol"): "A/RES/../../x"})
    with pytest.raises(InputError, match="not of the form"):
        read_manifest(path, tmp_path)


def test_empty_file(tmp_path):
    f = tmp_path / "empty.txt"
    f.write_bytes(b"")
    with pytest.raises(InputError, match=r"empty\.txt: the file is empty"):
        read_text(f, "en")
    f.write_bytes(b" \n\t\n")
    with pytest.raises(InputError, match="empty"):
        read_text(f, "en")


def test_not_utf8(tmp_path):
    f = tmp_path / "gbk.txt"
    f.write_bytes((RAW / "A_RES_68_276.zh.txt").read_text(encoding="utf-8").encode("gb18030"))
    with pytest.raises(InputError, match=r"gbk\.txt: not valid UTF-8"):
        read_text(f, "zh")


def test_wrong_language(tmp_path):
    with pytest.raises(InputError, match="expected Chinese text"):
        read_text(RAW / "A_RES_72_284.en.txt", "zh")
    with pytest.raises(InputError, match="expected English text"):
        read_text(RAW / "A_RES_68_276.zh.txt", "en")
    with pytest.raises(InputError, match="language 'fr' is not supported"):
        read_text(RAW / "A_RES_72_284.en.txt", "fr")


def test_unnumbered_text(raw_texts):
    text, lang = raw_texts["A/RES/72/284"]
    unnumbered = "\n".join(line for line in text.split("\n") if not line.strip().rstrip(".").isdigit()
                           and not line.strip()[:3].rstrip(". ").isdigit())
    with pytest.raises(InputError, match="no numbered operative paragraphs"):
        segment_text(unnumbered, lang, "unnumbered.txt")


def test_not_a_resolution():
    with pytest.raises(InputError, match="no line 'The General Assembly,'"):
        segment_text("Some English text.\n\n1. Not a resolution.\n", "en", "x.txt")


def test_symbol_mismatch_refused(tmp_path):
    m = read_manifest(ROOT / "data/resolutions.csv", ROOT)
    source = [s for s in local_sources(m, root=ROOT) if s.symbol == "A/RES/72/284"][0]
    wrong = source.__class__(**{**source.__dict__, "symbol": "A/RES/75/291",
                                "sha256": hashlib.sha256(source.path.read_bytes()).hexdigest()})
    with pytest.raises(InputError, match="the text is A/RES/72/284, but the manifest lists it as A/RES/75/291"):
        segment_source(wrong)


def test_segment_rows_survive_json_and_need_no_pandas(tmp_path):
    """Rule segment writes segment_rows as JSON without importing pandas (most of a segment job's cost before);
    rule collect's frames() of the JSON equal the DataFrames of segment_source, column types included."""
    import json
    import subprocess
    import sys

    from gcts.sources.corpus import COLUMNS, frames, segment_rows, write_json

    source = local_sources(read_manifest(ROOT / "data/resolutions.csv", root=ROOT), root=ROOT)[0]
    path = tmp_path / "seg.json"
    write_json(segment_rows(source), path)
    got = frames([json.loads(path.read_text(encoding="utf-8"))])
    want = segment_source(source)
    for name in COLUMNS:
        pd.testing.assert_frame_equal(got[name], want[name])
    assert str(got["paragraphs"]["number"].dtype) == "int64" and got["paragraphs"]["truncated"].dtype == bool
    code = ("import sys, pickle; from gcts.sources.corpus import segment_rows, write_json; "
            f"s = pickle.loads({pickle_of(source)!r}); write_json(segment_rows(s), {str(tmp_path / 'b.json')!r}); "
            "print('pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def pickle_of(obj) -> bytes:
    import pickle

    return pickle.dumps(obj)
