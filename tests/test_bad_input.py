"""Bad input: each case gives a clear error naming the file and the problem, or a documented warning;
never a partial result table, and never a change under data/raw/.

Library functions are called directly where that proves the point; the pipeline runs (in a scratch
copy) are few: three dry runs for the start-up checks (checksum, manifest, config) and one real run
with several broken texts at once (``--keep-going``).
"""

from __future__ import annotations

import copy
import hashlib
import random
import re
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pandas as pd
import pytest
import yaml

from gcts.config import prepare
from gcts.sources.corpus import segment_source
from gcts.errors import InputError
from gcts.text.ingest import MAX_BYTES, read_text
from gcts.sources.manifest import Source, read_manifest, symbol_stem
from gcts.text.segment import segment_text

from .conftest import RAW, ROOT, copy_project, run_snakemake

ZH = (RAW / "A_RES_68_276.zh.txt").read_text(encoding="utf-8")
EN = (RAW / "A_RES_72_284.en.txt").read_text(encoding="utf-8")


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def raw_hashes(project: Path) -> dict[str, str]:
    return {p.name: sha(p) for p in sorted((project / "data" / "raw").iterdir()) if p.is_file()}


def source_for(path: Path, lang="en", symbol="A/RES/72/284") -> Source:
    return Source(symbol, lang, path, sha(path), 6, "2018-06-26", "fixture")


# ---------------------------------------------------------------------------------------------------
# Library level: reading a text

@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n", "\ufeff  \n".encode(), "\u3000\u3000\n\xa0\n".encode(),
                                  b"\f\v \n"], ids=["empty", "blanks", "bom", "fullwidth", "formfeed"])
def test_empty_or_only_whitespace(tmp_path, data):
    f = tmp_path / "blank.txt"
    f.write_bytes(data)
    with pytest.raises(InputError, match=r"blank\.txt: the file is empty or holds only white space"):
        read_text(f, "en")


@pytest.mark.parametrize("data, problem", [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "is a PDF file"),
    (b"PK\x03\x04\x14\x00\x06\x00", "ZIP archive"),
    ("The General Assembly,\n".encode("utf-16"), "UTF-16"),
    (b"The General Assembly,\n\x00\x00\x01", "NUL bytes"),
    (ZH.encode("gb18030"), "not valid UTF-8"),
    (EN.encode("cp1252", errors="replace").replace(b"'", b"\x92"), "not valid UTF-8"),
], ids=["pdf-named-txt", "docx", "utf16", "nul", "gb18030", "cp1252"])
def test_not_a_utf8_text(tmp_path, data, problem):
    f = tmp_path / "resolution.txt"
    f.write_bytes(data)
    with pytest.raises(InputError, match=rf"resolution\.txt: .*{problem}"):
        read_text(f, "zh" if "gb" in problem else "en")


def test_50_mb_text_refused_before_reading(tmp_path):
    """A 50 MB text (the real 72/284 body repeated) is refused from its size, without reading it: the
    segmenter is superlinear on such input (measured: 8 MB take 18 s and 190 MB; see the report)."""
    head, body = EN.split("The General Assembly,", 1)
    big = tmp_path / "big.en.txt"
    chunk = body.encode("utf-8")
    with open(big, "wb") as f:
        f.write((head + "The General Assembly,").encode("utf-8"))
        while f.tell() < 50 * 10**6:
            f.write(chunk)
    assert big.stat().st_size > MAX_BYTES
    tracemalloc.start()
    t0 = time.perf_counter()
    with pytest.raises(InputError, match=r"big\.en\.txt: is 4\d\.\d MB; .* limit is 10 MB"):
        read_text(big, "en")
    seconds = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"50 MB text: refused in {seconds:.4f} s, peak Python allocation {peak / 1e6:.2f} MB")
    assert peak < 5 * 10**6                         # the 50 MB were never loaded


# ---------------------------------------------------------------------------------------------------
# Language

def english_paragraphs(k: int) -> str:
    """k real preambular paragraphs of 72/284, one per line (a fixture of known edits)."""
    paras = [p for p in EN.split("\n \n") if re.match(r"[A-Z][a-z]+ing\b", p)]
    return "\n\n".join(" ".join(p.split()) for p in paras[:k])


def test_mixed_chinese_with_some_english_warns(tmp_path):
    zh = ZH.replace("回顾大会在审查", english_paragraphs(2) + "\n\n回顾大会在审查", 1)
    with pytest.warns(UserWarning, match=r"mixed\.zh\.txt: mixed Chinese and English: \d+% of its letters are Latin"):
        seg = segment_text(zh, "zh", "mixed.zh.txt")
    assert sum(p.kind == "operative" for p in seg.paragraphs) == 43


def test_mixed_mostly_english_declared_chinese_refused():
    zh = ZH.replace("回顾大会在审查", english_paragraphs(30) + "\n\n回顾大会在审查", 1)
    with pytest.raises(InputError, match=r"mixed\.zh\.txt: expected Chinese text, but only \d+%"):
        segment_text(zh, "zh", "mixed.zh.txt")


def test_english_with_a_chinese_paragraph_warns_or_refuses():
    one = ZH.split("\n\n")[12]                          # one real Chinese preambular paragraph
    en = EN.replace("Recalling the pivotal role", one + "\n \nRecalling the pivotal role", 1)
    with pytest.warns(UserWarning, match=r"mixed\.en\.txt: mixed Chinese and English: \d+ Chinese characters"):
        segment_text(en, "en", "mixed.en.txt")
    many = EN.replace("Recalling the pivotal role", "\n \n".join(ZH.split("\n\n")[10:]) + "\n \nRecalling", 1)
    with pytest.raises(InputError, match=r"mixed\.en\.txt: expected English text"):
        segment_text(many, "en", "mixed.en.txt")


# ---------------------------------------------------------------------------------------------------
# Numbering

def operative_line(text: str, n: int) -> re.Match:
    m = re.search(rf"(?m)^{n}\.(?= |$)", text)
    assert m, f"operative {n} not found"
    return m


def renumbered() -> str:
    """72/284 with operative 6 printed as '5.' (duplicate) and operative 9 deleted (skipped)."""
    m = operative_line(EN, 6)
    text = EN[:m.start()] + "5." + EN[m.end():]
    return text[:operative_line(text, 9).start()] + text[operative_line(text, 10).start():]


def test_duplicated_and_skipped_numbers_give_a_documented_warning():
    with pytest.warns(UserWarning, match=r"renumbered\.txt: operative numbering is not 1\.\.84: "
                                         r"duplicated \[5\], skipped \[6, 9\]"):
        seg = segment_text(renumbered(), "en", "renumbered.txt")
    numbers = [p.number for p in seg.paragraphs if p.kind == "operative"]
    assert numbers[:9] == [1, 2, 3, 4, 5, 5, 7, 8, 10]     # printed numbers are kept, not "repaired"


def test_duplicated_numbers_keep_pids_unique(tmp_path):
    f = tmp_path / "renumbered.en.txt"
    f.write_text(renumbered(), encoding="utf-8")
    out = segment_source(source_for(f))
    assert out["paragraphs"]["pid"].is_unique
    assert any("duplicated [5]" in w for w in out["header"]["warnings"])


# ---------------------------------------------------------------------------------------------------
# Manifest: symbols and paths

@pytest.mark.parametrize("symbol", ["A/RES/../../etc", "A/RES/72/284/../../x", "../A/RES/72/284", "/A/RES/72/284",
                                    "A/RES/72/284 ", "A/RES/72/2841x", "A\\RES\\72\\284", "A/RES/72/284\x00",
                                    "A/RES/72/284\n", "A/RES/٧٢/٢٨٤"])
def test_symbol_that_could_escape_a_path_is_refused(symbol):
    with pytest.raises(InputError, match="is not of the form A/RES/<session>/<number>"):
        symbol_stem(symbol)


def write_manifest(project: Path, changes: dict) -> Path:
    path = project / "data" / "resolutions.csv"
    m = pd.read_csv(path, dtype=str, keep_default_na=False)
    for (symbol, col), value in changes.items():
        m.loc[m["symbol"] == symbol, col] = value
    m.to_csv(path, index=False)
    return path


def test_symlink_out_of_data_is_refused(tmp_path):
    project = copy_project(tmp_path / "p")
    outside = tmp_path / "outside.txt"
    outside.write_text(EN, encoding="utf-8")
    (project / "data" / "raw" / "link.en.txt").symlink_to(outside)
    path = write_manifest(project, {("A/RES/77/298", "en_path"): "data/raw/link.en.txt",
                                    ("A/RES/77/298", "en_sha256"): sha(outside)})
    with pytest.raises(InputError, match=r"row 10: en_path 'data/raw/link\.en\.txt' points outside data/; refused"):
        read_manifest(path, project)


# ---------------------------------------------------------------------------------------------------
# Config: Snakemake's schema validation (the same call the Snakefile makes)

def config_cases():
    yield "unknown-top", lambda c: c.update(bogus_key=1), "bogus_key"
    yield "unknown-nested", lambda c: c["compare"].update(treshold=0.5), "treshold"
    yield "languages-string", lambda c: c.update(languages="en"), "languages"
    yield "languages-unsupported", lambda c: c.update(languages=["fr"]), "languages"
    yield "folds-string", lambda c: c["pillars"].update(cv_folds="five"), "cv_folds"
    yield "threshold-range", lambda c: c["compare"]["threshold"].update(en=2), "threshold"
    yield "url-scheme", lambda c: c["fetch"].update(base_url="ftp://example.org"), "base_url"
    yield "missing-key", lambda c: c.pop("manifest"), "manifest"


@pytest.mark.parametrize("change, key", [c[1:] for c in config_cases()], ids=[c[0] for c in config_cases()])
def test_bad_config_names_the_key(change, key):
    from snakemake.exceptions import WorkflowError
    from snakemake.utils import validate

    config = yaml.safe_load((ROOT / "workflow/config.yaml").read_text(encoding="utf-8"))
    validate(copy.deepcopy(config), str(ROOT / "workflow/schemas/config.schema.yaml"))   # the real one is valid
    change(config)
    with pytest.raises(WorkflowError, match="Error validating config") as e:
        validate(copy.deepcopy(config), str(ROOT / "workflow/schemas/config.schema.yaml"))
    assert key in str(e.value)
    with pytest.raises(InputError) as short:             # what the Snakefile prints first: one line
        prepare(config, ROOT / "workflow/schemas/config.schema.yaml")
    assert key in str(short.value) and "\n" not in str(short.value) and len(str(short.value)) < 400


# ---------------------------------------------------------------------------------------------------
# Broken PDF (gcts.sources.pdf converts the fetched PDFs)

def test_broken_pdf_gives_an_input_error(tmp_path):
    pdf = pytest.importorskip("gcts.sources.pdf")
    fpdf = pytest.importorskip("fpdf")
    doc = fpdf.FPDF()
    doc.add_page()
    doc.set_font("helvetica", size=11)
    for line in EN.split("\n")[30:80]:
        doc.cell(0, 5, line.strip().encode("latin-1", "replace").decode("latin-1"), new_x="LMARGIN", new_y="NEXT")
    good = bytes(doc.output())
    assert "The General Assembly" in pdf.pdf_to_text(good, "en", source="good.pdf")
    rng = random.Random(8)
    broken = {"truncated": good[: len(good) // 3], "header-only": b"%PDF-1.7\n", "not-a-pdf": b"<html></html>",
              "zeroed-middle": good[:200] + bytes(len(good) - 400) + good[-200:]}
    for k in range(8):                                   # random byte damage
        data = bytearray(good)
        for _ in range(20):
            data[rng.randrange(len(data))] = rng.randrange(256)
        broken[f"flipped-{k}"] = bytes(data)
    outcomes = {}
    for name, data in broken.items():
        try:
            pdf.pdf_to_text(data, "en", source=f"{name}.pdf")
            outcomes[name] = "text"                      # damage the PDF reader can repair is fine
        except InputError as e:
            assert e.source == f"{name}.pdf" and e.problem
            outcomes[name] = "InputError"
    for name in ("truncated", "header-only", "not-a-pdf"):
        assert outcomes[name] == "InputError", outcomes


# ---------------------------------------------------------------------------------------------------
# The pipeline: start-up checks (dry run) and failing jobs (real run), on scratch copies

def assert_refused(project: Path, proc, before: dict, *patterns: str):
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, out[-3000:]
    for pattern in patterns:
        assert re.search(pattern, out), f"{pattern!r} not in output:\n{out[-4000:]}"
    assert not (project / "results" / "paragraphs.csv").exists()
    assert not (project / "results" / "paragraphs.parquet").exists()
    assert raw_hashes(project) == before


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    """One scratch project; each dry-run case restores manifest and config afterwards."""
    project = copy_project(tmp_path_factory.mktemp("bad"))
    saved = {p: p.read_bytes() for p in (project / "data/resolutions.csv", project / "workflow/config.yaml")}
    yield project
    for p, data in saved.items():
        p.write_bytes(data)


def break_checksum(project):
    f = project / "data/raw/A_RES_72_284.en.txt"
    write_manifest(project, {("A/RES/72/284", "en_sha256"): "0" * 64})
    return [rf"{re.escape(str(f.relative_to(project)))}: sha256 is [0-9a-f]{{64}}, the manifest records 0{{64}}: "
            "the file was changed"]


def path_outside_data(project):
    write_manifest(project, {("A/RES/72/284", "en_path"): "../A_RES_72_284.en.txt"})
    return [r"resolutions\.csv row \d+: en_path '\.\./A_RES_72_284\.en\.txt' points outside data/; refused"]


def unknown_config_key(project):
    cfg = project / "workflow/config.yaml"
    cfg.write_text(cfg.read_text(encoding="utf-8") + "\nlanguage: [en]\n", encoding="utf-8")
    return [r"Error in the configuration: config: unknown key 'language'; allowed: manifest, raw_dir, languages"]


@pytest.mark.slow
@pytest.mark.parametrize("breaker", [break_checksum, path_outside_data, unknown_config_key],
                         ids=["changed-checksum", "path-outside-data", "unknown-config-key"])
def test_pipeline_refuses_at_start_up(scratch, breaker):
    saved = {p: p.read_bytes() for p in (scratch / "data/resolutions.csv", scratch / "workflow/config.yaml")}
    before = raw_hashes(scratch)
    try:
        patterns = breaker(scratch)
        proc = run_snakemake(scratch, "-n", check=False)
        assert_refused(scratch, proc, before, *patterns)
    finally:
        for p, data in saved.items():
            p.write_bytes(data)


BROKEN = {  # file name -> (manifest symbol, lang, bytes, expected problem)
    "bad_empty.en.txt": ("A/RES/60/288", "en", b"", r"the file is empty or holds only white space"),
    "bad_gb18030.zh.txt": ("A/RES/62/272", "zh", ZH.encode("gb18030"), r"not valid UTF-8"),
    "bad_chinese_as_english.en.txt": ("A/RES/64/297", "en", ZH.encode(), r"expected English text, but \d+%"),
    "bad_unnumbered.en.txt": ("A/RES/66/282", "en", None, r"no numbered operative paragraphs"),
    "bad_50mb.zh.txt": ("A/RES/70/291", "zh", None, r"is 4\d\.\d MB; .* limit is 10 MB"),
}


def unnumbered(text: str) -> str:
    return "\n".join(ln for ln in text.split("\n") if not re.match(r"^\s*\d{1,3}\.(\s|$)", ln))


@pytest.mark.slow
def test_pipeline_with_broken_texts(tmp_path):
    """One run, --keep-going: every broken text fails its own job with a message naming the file and the
    problem; the good text is segmented, but no paragraph table is written; data/raw is unchanged."""
    project = copy_project(tmp_path / "p")
    raw = project / "data" / "raw"
    changes = {("A/RES/72/284", "en_path"): "", ("A/RES/75/291", "en_path"): ""}   # keep one good text: 68/276
    for name, (symbol, lang, data, _) in BROKEN.items():
        f = raw / name
        if name == "bad_unnumbered.en.txt":
            f.write_text(unnumbered(EN), encoding="utf-8")
        elif name == "bad_50mb.zh.txt":
            with open(f, "wb") as out:
                while out.tell() < 50 * 10**6:
                    out.write(ZH.encode())
        else:
            f.write_bytes(data)
        changes[(symbol, f"{lang}_path")] = f"data/raw/{name}"
        changes[(symbol, f"{lang}_sha256")] = sha(f)
        changes[(symbol, f"{lang}_source")] = "test fixture: broken on purpose"
    write_manifest(project, changes)
    before = raw_hashes(project)
    proc = run_snakemake(project, "--keep-going", check=False)
    patterns = [rf"data/raw/{re.escape(name)}: {problem}" for name, (*_, problem) in BROKEN.items()]
    assert_refused(project, proc, before, *patterns)
    assert (project / "results/interim/segments/A_RES_68_276.zh.json").exists()
    for name, (symbol, lang, *_) in BROKEN.items():      # no partial output of a failed job
        assert not list((project / "results/interim/segments").glob(f"{symbol_stem(symbol)}.{lang}.*"))


def test_rule_log_records_the_error(tmp_path):
    log = tmp_path / "segment.log"
    script = ("from gcts.runlog import start\nfrom gcts.errors import InputError\n"
              f"start({str(log)!r})\n"
              "raise InputError('data/raw/x.en.txt', 'the file is empty or holds only white space')\n")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0
    assert "data/raw/x.en.txt: the file is empty" in log.read_text(encoding="utf-8")
