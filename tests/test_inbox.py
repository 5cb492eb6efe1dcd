"""Bring your own file (gcts.sources.inbox, rule inbox): PDF, DOCX and TXT put in data/inbox/ of a scratch
copy are imported like downloads; bad names are refused. The PDF and DOCX are fixtures typeset from
the real paragraphs of the embedded corpus (tests/pdf_fixtures.py)."""

import os
import warnings

import pytest

from gcts.errors import InputError
from gcts.sources.inbox import docx_text, import_inbox, parse_name, pending_note, scan
from gcts.sources.manifest import local_sources, read_manifest, sha256_of, verify
from gcts.text.segment import segment_text

from .conftest import ROOT, copy_project
from .pdf_fixtures import CORPUS, RAW, corpus_docx, corpus_pdf, drop_documents

CONFIG = {"manifest": "data/resolutions.csv", "raw_dir": "data/raw",
          "fetch": {"inbox": "data/inbox", "bold_fonts": "Bold|Black|Heavy|Hei"}}
DOCS = [("A/RES/68/276", "zh"), ("A/RES/72/284", "en"), ("A/RES/75/291", "en")]


@pytest.fixture
def scratch(tmp_path):
    work = copy_project(tmp_path / "project")
    drop_documents(work, DOCS)
    return work


def put_three(work):
    inbox = work / "data/inbox"
    (inbox / "A_RES_68_276.zh.pdf").write_bytes(corpus_pdf("A/RES/68/276"))
    (inbox / "A_RES_72_284.en.docx").write_bytes(corpus_docx("A/RES/72/284"))
    (inbox / "A_RES_75_291.en.txt").write_bytes((RAW / "A_RES_75_291.en.txt").read_bytes())
    return inbox


@pytest.mark.parametrize("name, problem", [
    ("A_RES_66_282.pdf", "name not understood"),
    ("A_RES_66_282.xx.pdf", "language 'xx' is not one of"),
    ("A_RES_66_282.zh.doc", r"type \.doc is not supported"),
    ("..\\..\\etc.zh.pdf", "path characters"),
    ("A_RES_66_282..zh.pdf", "path characters"),
    ("A_RES_66_282.zh.pdf\x00.txt", "path characters"),
    ("A-RES-66-282.zh.pdf", "name not understood"),
    ("A_RES_6_2.zh.pdf", "name not understood"),
    ("A_RES_٧٢_٢٨٤.zh.pdf", "name not understood"),                 # digits other than 0-9
])
def test_bad_names_are_refused(name, problem):
    with pytest.raises(InputError, match=problem):
        parse_name(name)


def test_good_names():
    assert parse_name("A_RES_66_282.zh.pdf") == ("A/RES/66/282", "zh", "pdf")
    assert parse_name("A_RES_77_298.en.DOCX") == ("A/RES/77/298", "en", "docx")


def test_pdf_docx_txt_are_imported_with_checksums(scratch):
    inbox = put_three(scratch)
    note = pending_note(CONFIG, scratch)
    assert "3 file(s) in data/inbox/ wait to be imported" in note and "snakemake --cores 2 inbox" in note
    results = import_inbox(CONFIG, scratch)
    assert [r["state"] for r in results] == ["imported now"] * 3, results
    m = read_manifest(scratch / "data/resolutions.csv", scratch).set_index("symbol")
    assert m.loc["A/RES/68/276", "zh_original"] == "data/raw/A_RES_68_276.zh.pdf"
    assert m.loc["A/RES/72/284", "en_original"] == "data/raw/A_RES_72_284.en.docx"
    assert m.loc["A/RES/75/291", "en_original"] == ""                 # a text file is its own original
    # the hand-imported TXT is byte for byte the original: same checksum as the shipped manifest
    shipped = read_manifest(ROOT / "data/resolutions.csv", ROOT).set_index("symbol")
    assert m.loc["A/RES/75/291", "en_sha256"] == shipped.loc["A/RES/75/291", "en_sha256"]
    assert m.loc["A/RES/72/284", "en_source"].startswith("imported by hand from data/inbox/A_RES_72_284.en.docx on 20")
    assert f"DOCX sha256 {sha256_of(inbox / 'A_RES_72_284.en.docx')}" in m.loc["A/RES/72/284", "en_source"]
    for source in local_sources(m.reset_index(), root=scratch):
        verify(source)
        assert not os.access(source.path, os.W_OK) or os.geteuid() == 0   # landed read-only
        assert oct(source.path.stat().st_mode)[-3:] == "444"
    # the files stay in the inbox, but are no longer pending; importing again does nothing
    assert pending_note(CONFIG, scratch) == ""
    assert [r["state"] for r in import_inbox(CONFIG, scratch)] == ["imported"] * 3


def test_refused_files_say_why_and_leave_nothing(scratch):
    inbox = scratch / "data/inbox"
    (inbox / "A_RES_66_282.en.txt").write_bytes((RAW / "A_RES_72_284.en.txt").read_bytes())   # wrong document
    (inbox / "A_RES_60_288.zh.txt").write_text("大会，\n\n没有编号的段落。\n", encoding="utf-8")   # no operative part
    (inbox / "A_RES_99_999.en.pdf").write_bytes(corpus_pdf("A/RES/72/284"))                   # not in the manifest
    (inbox / "notes.docx").write_bytes(b"PK")                                                  # bad name
    (inbox / "A_RES_62_272.en.docx").write_bytes(b"not a zip")                                  # broken Word file
    os.symlink(RAW / "A_RES_72_284.en.txt", inbox / "A_RES_64_297.en.txt")                     # a link
    before = sorted(p.name for p in (scratch / "data/raw").iterdir())
    manifest = (scratch / "data/resolutions.csv").read_bytes()
    results = {r["file"]: r for r in import_inbox(CONFIG, scratch)}
    assert {r["state"] for r in results.values()} == {"refused"}
    assert "the text is A/RES/72/284, but its name says A/RES/66/282" in results["A_RES_66_282.en.txt"]["note"]
    assert "no numbered operative paragraphs" in results["A_RES_60_288.zh.txt"]["note"]
    assert "A/RES/99/999 is not listed" in results["A_RES_99_999.en.pdf"]["note"]
    assert "name not understood" in results["notes.docx"]["note"]
    assert "not a readable Word (.docx) file" in results["A_RES_62_272.en.docx"]["note"]
    assert "symbolic link" in results["A_RES_64_297.en.txt"]["note"]
    assert sorted(p.name for p in (scratch / "data/raw").iterdir()) == before
    assert (scratch / "data/resolutions.csv").read_bytes() == manifest
    # the end-of-run note checks names and the manifest only (no conversion): content problems
    # show when the import is tried
    note = pending_note(CONFIG, scratch)
    assert "3 file(s) in data/inbox/ cannot be imported" in note and "notes.docx" in note
    assert "3 file(s) in data/inbox/ wait to be imported" in note


def test_a_file_for_a_document_already_present_is_a_conflict(tmp_path):
    work = copy_project(tmp_path / "project")
    (work / "data/inbox/A_RES_72_284.en.pdf").write_bytes(corpus_pdf("A/RES/72/284"))
    (entry,) = scan(CONFIG, work)
    assert entry["state"] == "conflict" and "existing files are never replaced" in entry["note"]
    assert "A_RES_72_284.en.pdf" in pending_note(CONFIG, work)


@pytest.mark.parametrize("symbol", list(CORPUS))
@pytest.mark.parametrize("numbering", [False, True], ids=["typed numbers", "Word numbering"])
def test_docx_text_segments_like_the_original(tmp_path, symbol, numbering):
    name, lang, _ = CORPUS[symbol]
    path = tmp_path / "x.docx"
    path.write_bytes(corpus_docx(symbol, numbering))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = segment_text((RAW / name).read_text(encoding="utf-8"), lang)
        got = segment_text(docx_text(path, lang), lang)
    key = [(p.kind, p.number, p.section, p.text, p.marked_verb, p.footnotes) for p in got.paragraphs]
    assert key == [(p.kind, p.number, p.section, p.text, p.marked_verb, p.footnotes) for p in want.paragraphs]
    assert [(n["marker"], n["text"]) for n in got.footnotes] == [(n["marker"], n["text"]) for n in want.footnotes]
