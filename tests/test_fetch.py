"""Fetch (gcts.sources.fetch, rule fetch): downloads from a local server on 127.0.0.1 into a scratch copy.

Good download, 404, timeout, truncated body, non-PDF body, offline; only the good one lands in
data/raw/, the others leave nothing behind and say why. The fixture PDFs are typeset from the
real paragraphs of the embedded corpus (tests/pdf_fixtures.py); they are not UN documents.
"""

import logging
import time

import pandas as pd
import pytest

from gcts.sources.fetch import Settings, download_with_retries, fetch_documents, summary, wanted_documents
from gcts.sources.manifest import local_sources, read_manifest, sha256_of, verify

from .conftest import copy_project, run_snakemake
from .pdf_fixtures import DocServer, closed_port_url, corpus_docx, corpus_pdf, drop_documents

ZH = ("A/RES/68/276", "zh")


def listing(work):
    return sorted(p.relative_to(work).as_posix() for p in (work / "data").rglob("*")
                  if p.is_file() and p.name != "manifest.lock")


@pytest.fixture
def scratch(tmp_path):
    work = copy_project(tmp_path / "project")
    drop_documents(work, [ZH])
    return work


def routes():
    pdf = corpus_pdf(ZH[0])
    return {ZH: ("pdf", pdf),                                   # good
            ("A/RES/62/272", "zh"): ("sleep", 3),               # no answer in time
            ("A/RES/64/297", "zh"): ("truncate", pdf, 4096),    # the body stops early
            ("A/RES/66/282", "zh"): ("html", "<!DOCTYPE html><html><body>Sign in</body></html>")}
    # anything else (A/RES/60/288) is a 404


def settings(base_url, **kw):
    return Settings(base_url, ("zh",), **{"timeout": 0.4, "connect_timeout": 2, "retries": 1, "backoff": 0.05, **kw})


def test_five_outcomes_only_the_good_one_lands(scratch, caplog):
    before = listing(scratch)
    wanted = [ZH, ("A/RES/60/288", "zh"), ("A/RES/62/272", "zh"), ("A/RES/64/297", "zh"), ("A/RES/66/282", "zh")]
    with DocServer(routes()) as server, caplog.at_level(logging.INFO):
        results = fetch_documents(wanted, settings(server.base_url), scratch / "data/resolutions.csv",
                                  scratch / "data/raw", root=scratch)
    status = {(r.symbol, r.lang): r for r in results}
    assert [status[w].status for w in wanted] == ["ok", "not found", "timeout", "truncated", "not a PDF"]
    assert "HTTP 404" in status[("A/RES/60/288", "zh")].message
    assert "no response within 0.4 s (2 attempts)" in status[("A/RES/62/272", "zh")].message
    assert "received 4096 of" in status[("A/RES/64/297", "zh")].message
    assert "text/html starting with '<!DOCTYPE html>" in status[("A/RES/66/282", "zh")].message
    for r in results:                                  # one message per document, in the log too
        assert sum(r.line() in m for m in caplog.messages) == 1
    # only the good one landed; nothing else in data/ (no partial downloads in data/.tmp either)
    after = listing(scratch)
    assert sorted(set(after) - set(before)) == ["data/raw/A_RES_68_276.zh.pdf", "data/raw/A_RES_68_276.zh.txt"]
    assert not list((scratch / "data/.tmp").glob("*.part"))
    assert (scratch / "data/raw/A_RES_68_276.zh.pdf").read_bytes() == corpus_pdf(ZH[0])
    # the manifest records text path + sha256 and the provenance of the PDF
    m = read_manifest(scratch / "data/resolutions.csv", scratch)
    row = m.set_index("symbol").loc[ZH[0]]
    assert row["zh_path"] == "data/raw/A_RES_68_276.zh.txt"
    assert row["zh_sha256"] == sha256_of(scratch / row["zh_path"])
    assert row["zh_original"] == "data/raw/A_RES_68_276.zh.pdf"
    assert row["zh_original_sha256"] == sha256_of(scratch / row["zh_original"])
    assert row["zh_source"].startswith(f"fetched from {status[ZH].url} on 20")
    assert f"PDF sha256 {row['zh_original_sha256']}" in row["zh_source"]
    for source in local_sources(m, root=scratch):      # later runs verify both files
        verify(source)
    assert ZH not in wanted_documents(m, {"manifest": "data/resolutions.csv", "fetch": {"languages": ["zh"]}})


def test_landed_files_are_verified_later(scratch):
    with DocServer(routes()) as server:
        fetch_documents([ZH], settings(server.base_url), scratch / "data/resolutions.csv", scratch / "data/raw",
                        root=scratch)
    pdf = scratch / "data/raw/A_RES_68_276.zh.pdf"
    pdf.chmod(0o644)
    pdf.write_bytes(pdf.read_bytes() + b"\n")
    (source,) = [s for s in local_sources(read_manifest(scratch / "data/resolutions.csv", scratch), root=scratch)
                 if s.lang == "zh"]
    with pytest.raises(Exception, match="the original was changed"):
        verify(source)


def test_existing_files_are_never_overwritten(scratch):
    stray = scratch / "data/raw/A_RES_68_276.zh.txt"
    stray.write_text("someone else's file\n", encoding="utf-8")
    with DocServer(routes()) as server:
        (r,) = fetch_documents([ZH], settings(server.base_url), scratch / "data/resolutions.csv",
                               scratch / "data/raw", root=scratch)
        assert server.requests == []                   # not even downloaded
    assert r.status == "refused" and "exists but is not listed" in r.message
    assert stray.read_text(encoding="utf-8") == "someone else's file\n"


def test_broken_connections_and_server_errors(scratch):
    pdf = corpus_pdf(ZH[0])
    table = {ZH: ("flaky", pdf),                                   # 503, then the PDF on the retry
             ("A/RES/60/288", "zh"): ("drop",),                    # closes without an answer
             ("A/RES/62/272", "zh"): ("chunked-cut", pdf, 5000),   # chunked body cut short
             ("A/RES/64/297", "zh"): ("no-length", pdf[:-200]),    # no Content-Length, no %%EOF
             ("A/RES/66/282", "zh"): ("no-length", b"%PDF-1.4 not really\n%%EOF\n")}
    wanted = list(table)
    with DocServer(table) as server:
        results = fetch_documents(wanted, settings(server.base_url), scratch / "data/resolutions.csv",
                                  scratch / "data/raw", root=scratch)
    got = {(r.symbol, r.lang): r for r in results}
    assert got[ZH].status == "ok" and got[ZH].attempts == 2
    assert got[("A/RES/60/288", "zh")].status == "connection error"
    assert got[("A/RES/62/272", "zh")].status == "truncated"
    assert "no %%EOF trailer" in got[("A/RES/64/297", "zh")].message
    assert got[("A/RES/66/282", "zh")].status == "refused"              # a PDF that cannot be read
    assert "unreadable PDF" in got[("A/RES/66/282", "zh")].message
    assert not list((scratch / "data/.tmp").glob("*.part"))
    assert [p.name for p in (scratch / "data/.tmp/rejected").iterdir()] == ["A_RES_66_282.zh.pdf"]
    assert sorted(p.name for p in (scratch / "data/raw").iterdir() if "A_RES_6" in p.name) == \
        ["A_RES_68_276.zh.pdf", "A_RES_68_276.zh.txt"]


def test_retries_back_off_exponentially(tmp_path):
    waits = []
    with DocServer({ZH: ("sleep", 2)}) as server:
        url = f"{server.base_url}?s=A/RES/68/276&l=zh&t=pdf"
        with pytest.raises(Exception) as err:
            download_with_retries(url, tmp_path, settings(server.base_url, timeout=0.15, retries=3, backoff=0.5),
                                  logging.getLogger("test"), "A/RES/68/276 (zh)", sleep=waits.append)
        assert len(server.requests) == 4
    assert waits == [0.5, 1.0, 2.0]
    assert err.value.status == "timeout" and "(4 attempts)" in err.value.message
    assert list(tmp_path.iterdir()) == []


def test_offline_fails_fast_and_names_every_document(scratch):
    wanted = [ZH, ("A/RES/60/288", "zh"), ("A/RES/77/298", "en")]
    t0 = time.monotonic()
    results = fetch_documents(wanted, settings(closed_port_url(), retries=3, backoff=2.0),
                              scratch / "data/resolutions.csv", scratch / "data/raw", root=scratch)
    assert time.monotonic() - t0 < 5        # no retries, no back-off: one refused connection
    assert [r.status for r in results] == ["unreachable"] * 3
    text = summary(results)
    assert "Could not get 3 document(s)" in text
    for symbol, lang in wanted:
        assert f"{symbol} ({lang}): unreachable: not fetched: cannot connect to 127.0.0.1" in text


@pytest.mark.slow
def test_fetch_and_inbox_rules_then_the_whole_pipeline(tmp_path):
    """`snakemake fetch inbox`: two fixture PDFs come from the local server (with the four failing
    cases beside them) and a fixture DOCX from the inbox (beside a refused file); then the default
    target takes all three through segmentation to paragraphs, verbs and pillars, and sends no
    request."""
    work = copy_project(tmp_path / "project")
    drop_documents(work, [ZH, ("A/RES/72/284", "en"), ("A/RES/75/291", "en")])
    (work / "data/inbox/A_RES_75_291.en.docx").write_bytes(corpus_docx("A/RES/75/291"))
    (work / "data/inbox/A_RES_66_282.zh.doc").write_bytes(b"old Word")
    table = routes()
    table[("A/RES/72/284", "en")] = ("pdf", corpus_pdf("A/RES/72/284"))
    with DocServer(table) as server:
        (work / "fetch.yaml").write_text(
            f"fetch: {{base_url: '{server.base_url}', languages: [zh, en], timeout: 0.4, connect_timeout: 2,"
            f" retries: 1, backoff: 0.05, symbols: [A/RES/60/288, A/RES/62/272, A/RES/64/297, A/RES/66/282,"
            f" A/RES/68/276, A/RES/72/284]}}\n", encoding="utf-8")
        proc = run_snakemake(work, "fetch", "inbox", "--configfile", "fetch.yaml", check=False)
        out = proc.stdout + proc.stderr
        assert proc.returncode == 0, out[-3000:]   # failures are reported, in the log and the reports, not fatal
        assert "CalledProcessError" not in out
        fetched = pd.read_csv(work / "results/fetch/fetch.csv", keep_default_na=False)
        assert (fetched["status"] == "ok").sum() == 2 and len(fetched) == 12
        inbox = pd.read_csv(work / "results/fetch/inbox.csv", keep_default_na=False)
        assert sorted(inbox["state"]) == ["imported now", "refused"]
        for line in ["A/RES/68/276 (zh): ok:", "A/RES/72/284 (en): ok:", "A/RES/60/288 (zh): not found: HTTP 404",
                     "A/RES/62/272 (zh): timeout:", "A/RES/64/297 (zh): truncated:",
                     "A/RES/66/282 (zh): not a PDF:", "fetch: 2 of 12 document(s) fetched.",
                     "A_RES_66_282.zh.doc: type .doc is not supported",
                     "inbox: 1 file(s) imported, 0 imported before, 1 refused."]:
            assert line in out, (line, out[-3000:])
        assert (work / "results/logs/fetch.log").read_text(encoding="utf-8").count("not found: HTTP 404") >= 5
        asked = len(server.requests)
        run_snakemake(work, "results/paragraphs.csv", "--configfile", "fetch.yaml")
        assert len(server.requests) == asked                           # the default run never connects
    para = pd.read_csv(work / "results/paragraphs.csv", keep_default_na=False)
    for doc, lang, pre, ops in [("A/RES/68/276", "zh", 21, 43), ("A/RES/72/284", "en", 38, 85),
                                ("A/RES/75/291", "en", 47, 119)]:
        part = para[para["doc"] == doc]
        assert part["file"].str.endswith(f".{lang}.txt").all()
        assert part.groupby("kind").size().to_dict() == {"preambular": pre, "operative": ops}
    zh_ops = para[(para["doc"] == "A/RES/68/276") & (para["kind"] == "operative")]
    assert (zh_ops["marked_verb"] != "").all()                          # bold recovered from the PDF
    pillars = para.loc[(para["doc"] == "A/RES/75/291") & (para["kind"] == "operative"), "section"]
    assert pillars.str.startswith("Pillar").sum() == 119 - 12           # headings recovered from the DOCX
    # Stages built by others: assert on their columns only if they are in the table already.
    for prefix in ("verb", "pillar"):
        cols = [c for c in para.columns if c.startswith(prefix)]
        if cols:
            assert (para[cols[0]].astype(str) != "").any(), cols[0]


@pytest.mark.slow
def test_fetch_enabled_puts_the_fetch_in_the_default_run(tmp_path):
    work = copy_project(tmp_path / "project")
    # a dry run; `true` arrives as a string from --config and is accepted
    proc = run_snakemake(work, "-n", "--config", "fetch={enabled: true}")
    assert "rule fetch:" in proc.stdout
    assert not (work / "data/.tmp").exists()                  # a dry run changes nothing
