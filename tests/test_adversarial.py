"""Holes an adversarial run found (issue 15), one test each, and the questionable cases decided.

Every test checks that data/raw/ is byte-for-byte unchanged (every file hashed before and after), in the
repository and in the scratch copy it works on, and that the refusal names the file (or config key) and the
reason. The hostile server binds 127.0.0.1 only, sends a bounded number of bytes and stops by itself.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import threading
import time
import tracemalloc
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest
import yaml

from gcts.config import MAX_VALUES, prepare
from gcts.errors import InputError
from gcts.resources import read_yaml
from gcts.sources.corpus import segment_rows
from gcts.sources.fetch import Settings, download, fetch_documents
from gcts.sources.inbox import docx_text, import_inbox, land
from gcts.sources.manifest import Source, read_manifest, sha256_of

from .conftest import RAW, ROOT, copy_project, run_snakemake
from .pdf_fixtures import corpus_docx, corpus_pdf, drop_documents

SCHEMA = ROOT / "workflow/schemas/config.schema.yaml"
EN = (RAW / "A_RES_72_284.en.txt").read_text(encoding="utf-8")
ZH = ("A/RES/68/276", "zh")
CONFIG = {"manifest": "data/resolutions.csv", "raw_dir": "data/raw",
          "fetch": {"inbox": "data/inbox", "bold_fonts": "Bold|Black|Heavy|Hei"}}


def hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(autouse=True)
def repository_raw_unchanged():
    before = hashes(RAW)
    yield
    assert hashes(RAW) == before


@pytest.fixture
def scratch(tmp_path):
    """A scratch project without the Chinese text (so it can come back by inbox or fetch); afterwards every
    file its data/raw/ held is unchanged, and any new one is a document that was missing."""
    work = copy_project(tmp_path / "project")
    drop_documents(work, [ZH])
    work_raw = work / "data/raw"
    before = hashes(work_raw)
    yield work
    after = hashes(work_raw)
    assert {k: after.get(k) for k in before} == before        # nothing present before was changed or removed
    for name in set(after) - set(before):                     # only documents that were missing came in
        assert re.fullmatch(r"A_RES_\d+_\d+\.(zh|en)\.(txt|pdf|docx)", name), name


def no_parts(work: Path) -> list:
    return list((work / "data/.tmp").glob("*.part")) if (work / "data/.tmp").exists() else []


# --- a hostile document server ---------------------------------------------------------------------------

class Hostile:
    """Serves ?s=<symbol>&l=<lang> on 127.0.0.1 from a table of behaviours:
    ("pdf", bytes); ("trickle", seconds_per_byte, n_bytes): a Content-Length of n, then one byte at a time;
    ("slow-headers", seconds_per_byte): the status line and headers one byte at a time;
    ("redirect", code, location). Every byte it sends is counted (at most ``max_bytes``, then it stops
    sending) and it shuts itself down after ``lifetime`` seconds."""

    def __init__(self, routes: dict, lifetime: float = 15.0, max_bytes: int = 8 * 2**20):
        self.routes, self.requests, self.sent, self.max_bytes = routes, [], 0, max_bytes
        self.stop = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def put(self, data: bytes) -> bool:
                if outer.stop.is_set() or outer.sent + len(data) > outer.max_bytes:
                    return False
                self.wfile.write(data)
                self.wfile.flush()
                outer.sent += len(data)
                return True

            def do_GET(self):
                q = parse_qs(urlparse(self.path).query)
                key = (q.get("s", [""])[0], q.get("l", [""])[0])
                outer.requests.append(key)
                how = outer.routes.get(key, ("404",))
                try:
                    if how[0] == "pdf":
                        self.put(f"HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\nContent-Length: {len(how[1])}"
                                 "\r\nConnection: close\r\n\r\n".encode() + how[1])
                    elif how[0] == "trickle":
                        self.put(f"HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\nContent-Length: {how[2]}"
                                 "\r\n\r\n".encode())
                        for byte in (b"%PDF-1.4\n" + b" " * how[2])[:how[2]]:
                            if outer.stop.wait(how[1]) or not self.put(bytes([byte])):
                                break
                    elif how[0] == "slow-headers":
                        for byte in b"HTTP/1.1 200 OK\r\n" + b"X-Slow: " + b"y" * 10_000:
                            if outer.stop.wait(how[1]) or not self.put(bytes([byte])):
                                break
                    elif how[0] == "redirect":
                        self.put(f"HTTP/1.1 {how[1]} Moved\r\nLocation: {how[2]}\r\nContent-Length: 0\r\n"
                                 "Connection: close\r\n\r\n".encode())
                    else:
                        self.put(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                except (BrokenPipeError, ConnectionResetError):
                    pass
                self.close_connection = True

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}/api/symbol/access"
        self.timer = threading.Timer(lifetime, self.close)
        self.timer.daemon = True

    def close(self):
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self):
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.timer.start()
        return self

    def __exit__(self, *exc):
        self.timer.cancel()
        if not self.stop.is_set():
            self.close()


def settings(base_url, **kw) -> Settings:
    return Settings(base_url, **{"languages": ("zh",), "timeout": 0.5, "connect_timeout": 1, "retries": 0,
                                 "backoff": 0.01, "deadline": 1.5, **kw})


def fetch(work: Path, wanted, s: Settings):
    return fetch_documents(wanted, s, work / "data/resolutions.csv", work / "data/raw", root=work)


# --- hole 2: the inbox applies every check of the main run, before anything lands ---------------------------

FILLER = {"en": "\nThe General Assembly repeats this filler sentence so that the file grows.\n",
          "zh": "\n大会重复这一句填充文字，使文件变大。\n"}


def padded(text: str, size: int, lang: str = "en") -> bytes:
    """A real resolution text followed by filler lines in its language up to ``size`` bytes (a concatenation
    that passes the language check)."""
    data = text.encode("utf-8")
    filler = FILLER[lang].encode()
    return data + filler * ((size - len(data)) // len(filler) + 1)


def test_hole2_inbox_refuses_a_12_mb_text(scratch):
    manifest = (scratch / "data/resolutions.csv").read_bytes()
    big = scratch / "data/inbox/A_RES_68_276.zh.txt"
    big.write_bytes(padded((RAW / "A_RES_68_276.zh.txt").read_text(encoding="utf-8"), 12 * 2**20, "zh"))
    (result,) = import_inbox(CONFIG, scratch)
    assert result["state"] == "refused"
    assert re.search(r"data/inbox/A_RES_68_276\.zh\.txt: is 12\.0 MB; .* limit is 10 MB", result["note"]), result
    assert (scratch / "data/resolutions.csv").read_bytes() == manifest
    assert not no_parts(scratch)


def junk_line(text: str) -> str:
    return text + "\n" + "x" * 10_066_329 + "\n"                # 9.6 MB on one line, under the size limit


BAD_TEXTS = {   # what the main run refuses -> the reason; the inbox must refuse the same
    "too-large": (lambda t: padded(t, 11 * 2**20).decode(), r"is 11\.0 MB; .* limit is 10 MB"),
    "junk-line": (junk_line, r"line \d+ \(from character \d+\) is 10,066,329 characters long.*junk appended"),
    "unnumbered": (lambda t: "\n".join(ln for ln in t.split("\n") if not re.match(r"\s*\d{1,3}\.\s", ln)),
                   r"no numbered operative paragraphs"),
    "wrong-language": (lambda t: (RAW / "A_RES_68_276.zh.txt").read_text(encoding="utf-8"),
                       r"expected English text"),
}


@pytest.mark.parametrize("case", list(BAD_TEXTS))
def test_hole2_main_run_and_inbox_refuse_the_same_texts(tmp_path, case):
    """One set of checks: a text the main run (gcts.sources.corpus) refuses, the inbox (and fetch, which lands
    through the same function) refuses for the same reason, before anything lands."""
    make, reason = BAD_TEXTS[case]
    text = make(EN)
    f = tmp_path / "A_RES_72_284.en.txt"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=reason) as main:
        segment_rows(Source("A/RES/72/284", "en", f, sha256_of(f), 6, "2018-06-26", "fixture"))
    assert main.value.source == str(f)
    work = copy_project(tmp_path / "project")
    drop_documents(work, [("A/RES/72/284", "en")])
    before, manifest = hashes(work / "data/raw"), (work / "data/resolutions.csv").read_bytes()
    with pytest.raises(InputError, match=reason) as inbox:
        land(f, "A/RES/72/284", "en", "txt", "test", manifest=work / "data/resolutions.csv",
             raw_dir=work / "data/raw", root=work)
    assert inbox.value.source == str(f)
    assert hashes(work / "data/raw") == before
    assert (work / "data/resolutions.csv").read_bytes() == manifest


@pytest.mark.slow
def test_hole2_inbox_rule_reports_refusals_in_one_line_and_keeps_inbox_csv(scratch):
    """`snakemake inbox` with a 12 MB text and a good DOCX: the DOCX lands, the text is refused with one line
    naming it and the reason (no CalledProcessError, no script path), and results/fetch/inbox.csv lists both."""
    (scratch / "data/inbox/A_RES_68_276.zh.docx").write_bytes(corpus_docx(ZH[0]))
    (scratch / "data/inbox/A_RES_70_291.zh.txt").write_bytes(
        padded((RAW / "A_RES_68_276.zh.txt").read_text(encoding="utf-8"), 12 * 2**20, "zh"))
    proc = run_snakemake(scratch, "inbox", check=False)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-3000:]
    assert "CalledProcessError" not in out and ".inbox.py" not in out
    assert re.search(r"A/RES/70/291 \(zh\): data/inbox/A_RES_70_291\.zh\.txt: is 12\.0 MB", out), out[-3000:]
    table = pd.read_csv(scratch / "results/fetch/inbox.csv", keep_default_na=False).set_index("file")
    assert table.loc["A_RES_70_291.zh.txt", "state"] == "refused"
    assert "is 12.0 MB" in table.loc["A_RES_70_291.zh.txt", "note"]
    assert table.loc["A_RES_68_276.zh.docx", "state"] == "imported now"
    assert read_manifest(scratch / "data/resolutions.csv", scratch).set_index("symbol").loc[
        "A/RES/70/291", "zh_path"] == ""


# --- hole 3: a slow server meets an overall deadline; no partial download stays -----------------------------

@pytest.mark.parametrize("how", [("trickle", 0.1, 5000), ("slow-headers", 0.1)], ids=["slow-body", "slow-headers"])
def test_hole3_slow_server_hits_the_deadline(scratch, how):
    with Hostile({ZH: how}, lifetime=10) as server:
        t0 = time.monotonic()
        (r,) = fetch(scratch, [ZH], settings(server.base_url, timeout=0.5, deadline=1.5, retries=2))
        took = time.monotonic() - t0
    assert r.status == "timeout" and "took more than 1.5 s (fetch.deadline)" in r.message, r
    assert r.attempts == 1                                  # a server that slow is not asked again
    assert took < 1.5 + 0.5 + 1.5, took                     # deadline + one read timeout + slack
    assert server.sent < 200                                 # bytes actually sent before the cut
    assert not no_parts(scratch)
    assert not (scratch / "data/raw/A_RES_68_276.zh.txt").exists()


def test_hole3_stale_partial_downloads_are_removed(scratch):
    """A fetch killed with SIGKILL cannot clean up; the next fetch removes its .part file."""
    tmp = scratch / "data/.tmp"
    tmp.mkdir(exist_ok=True)
    stale = tmp / "download.abc.part"
    stale.write_bytes(b"")
    old = time.time() - 7200
    os.utime(stale, (old, old))
    with Hostile({ZH: ("pdf", corpus_pdf(ZH[0]))}) as server:
        (r,) = fetch(scratch, [ZH], settings(server.base_url, deadline=20, timeout=5))
    assert r.status == "ok", r
    assert not stale.exists() and not no_parts(scratch)


# --- hole 4: numbers given on the command line ----------------------------------------------------------------

def base_config() -> dict:
    return yaml.safe_load((ROOT / "workflow/config.yaml").read_text(encoding="utf-8"))


def test_hole4_command_line_numbers_are_converted():
    config = base_config()
    # what Snakemake makes of --config pillars='{cv_repeats: 5}' fetch='{timeout: 3, enabled: true}'
    config["pillars"]["cv_repeats"] = "5"
    config["fetch"].update(timeout="3", connect_timeout="0.5", enabled="true", retries="2")
    config["compare"]["threshold"]["en"] = "0.4"
    config["compare"]["terms"]["ngrams"]["en"] = ["2", "3"]
    prepare(config, SCHEMA)
    assert config["pillars"]["cv_repeats"] == 5 and isinstance(config["pillars"]["cv_repeats"], int)
    assert config["fetch"]["timeout"] == 3 and config["fetch"]["connect_timeout"] == 0.5
    assert config["fetch"]["retries"] == 2 and config["compare"]["threshold"]["en"] == 0.4
    assert config["compare"]["terms"]["ngrams"]["en"] == [2, 3]
    assert config["fetch"]["enabled"] in (True, "true")
    config["pillars"]["cv_repeats"] = "five"                 # a word stays a word, and the schema says so
    with pytest.raises(InputError, match=r"^config pillars\.cv_repeats: 'five' is not of type 'integer'"):
        prepare(config, SCHEMA)


@pytest.mark.slow
def test_hole4_snakemake_accepts_numbers_on_the_command_line(tmp_path):
    work = copy_project(tmp_path / "project")
    before = hashes(work / "data/raw")
    proc = run_snakemake(work, "-n", "--config", "pillars={cv_repeats: 5}", "fetch={timeout: 3}", check=False)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    assert "rule pillar_eval" in proc.stdout
    assert hashes(work / "data/raw") == before


# --- hole 5: non-finite numbers ---------------------------------------------------------------------------------

@pytest.mark.parametrize("value", [float("nan"), float("inf"), ".nan", "-.inf"])
def test_hole5_non_finite_numbers_are_refused(value):
    config = base_config()
    config["fetch"]["timeout"] = value
    with pytest.raises(InputError, match=r"^config fetch\.timeout: -?(nan|inf) is not a finite number"):
        prepare(config, SCHEMA)


@pytest.mark.slow
def test_hole5_and_typos_give_one_line_at_start_up(tmp_path):
    work = copy_project(tmp_path / "project")
    before = hashes(work / "data/raw")
    for args, expected in [(["fetch={timeout: .nan}"], "config fetch.timeout: nan is not a finite number"),
                           (["fetch={timeuot: 3}"], "config fetch: unknown key 'timeuot'; allowed: enabled,")]:
        proc = run_snakemake(work, "-n", "--config", *args, check=False)
        out = proc.stdout + proc.stderr
        assert proc.returncode != 0
        assert f"Error in the configuration: {expected}" in out, out[-2000:]
        assert len(out.strip().splitlines()) <= 3, out              # not the schema (285 lines before)
    assert hashes(work / "data/raw") == before
    assert not (work / "results").exists()


# --- hole 6: YAML alias bombs -----------------------------------------------------------------------------------

def alias_bomb(levels: int = 9, top: str = "") -> str:
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, levels)]
    return "\n".join(lines) + "\n" + top


def test_hole6_project_yaml_is_read_with_bounds(tmp_path):
    bomb = tmp_path / "verbs.yaml"
    bomb.write_text(alias_bomb(9), encoding="utf-8")            # 9**9 = 387 million strings once expanded
    tracemalloc.start()
    try:
        with pytest.raises(InputError, match=r"verbs\.yaml: its YAML aliases expand to more than 1,000,000"):
            read_yaml(bomb, "verb lexicon")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20 * 2**20, peak
    for real in (ROOT / "workflow/resources").glob("*.yaml"):   # the real files pass
        assert read_yaml(real)


def test_hole6_config_alias_bomb_is_refused_before_validation():
    config = base_config()
    config["fetch"]["symbols"] = yaml.safe_load(alias_bomb(9, "s: *a8"))["s"]
    with pytest.raises(InputError, match=rf"^config: holds more than {MAX_VALUES:,} values once YAML aliases"):
        prepare(config, SCHEMA)


@pytest.mark.slow
def test_hole6_configfile_alias_bomb_stops_in_one_line(tmp_path):
    work = copy_project(tmp_path / "project")
    (work / "bomb.yaml").write_text(alias_bomb(9, "fetch:\n  symbols: *a8\n"), encoding="utf-8")
    proc = run_snakemake(work, "-n", "--configfile", "bomb.yaml", check=False)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "Error in the configuration: config: holds more than 100,000 values once YAML aliases" in out, out[-2000:]
    assert not (work / "results").exists()


# --- hole 7: a DOCX zip bomb ----------------------------------------------------------------------------------

def zip_bomb(unpacked: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w") as member:      # streamed: the test holds 1 MB at a time
            block = b" " * 2**20
            for _ in range(unpacked // len(block)):
                member.write(block)
    return buf.getvalue()


@pytest.mark.parametrize("unpacked", [64 * 2**20, 8 * 2**20], ids=["64 MB", "8 MB at 1000:1"])
def test_hole7_docx_zip_bomb_is_refused_before_reading(scratch, unpacked):
    f = scratch / "data/inbox/A_RES_68_276.zh.docx"
    f.write_bytes(zip_bomb(unpacked))
    assert f.stat().st_size < unpacked / 500
    tracemalloc.start()
    try:
        with pytest.raises(InputError, match=r"A_RES_68_276\.zh\.docx: word/document\.xml inside the Word file "
                                             r"unpacks to \d+\.\d MB \(\d+ times its packed size\).*zip bomb"):
            docx_text(f, "zh")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 * 2**20, peak                             # nothing was unpacked
    (result,) = import_inbox(CONFIG, scratch)                  # the inbox says the same, and lands nothing
    assert result["state"] == "refused" and "zip bomb" in result["note"]


def test_hole7_a_real_docx_passes_the_bounds(tmp_path):
    f = tmp_path / "A_RES_68_276.zh.docx"
    f.write_bytes(corpus_docx(ZH[0]))
    assert "大会" in docx_text(f, "zh")


# --- questionable: redirects ------------------------------------------------------------------------------------

def test_redirect_to_another_host_is_followed_and_every_hop_recorded(scratch):
    pdf = corpus_pdf(ZH[0])
    with Hostile({ZH: ("pdf", pdf)}) as final:
        hop2 = f"{final.base_url.replace('127.0.0.1', 'localhost')}?s={ZH[0]}&l=zh&t=pdf"
        with Hostile({ZH: ("redirect", 301, hop2)}) as middle:
            hop1 = f"{middle.base_url}?s={ZH[0]}&l=zh&t=pdf"
            with Hostile({ZH: ("redirect", 302, hop1)}) as first:
                (r,) = fetch(scratch, [ZH], settings(first.base_url, deadline=20, timeout=5))
    assert r.status == "ok", r
    assert r.redirects == f"302 {hop1}; 301 {hop2}"
    row = read_manifest(scratch / "data/resolutions.csv", scratch).set_index("symbol").loc[ZH[0]]
    assert row["zh_source"].startswith(f"fetched from {r.url} (redirected: 302 {hop1}; 301 {hop2}) on 20")


def test_redirect_to_ftp_is_refused_and_the_server_not_marked_down(tmp_path):
    other = ("A/RES/72/284", "en")
    scratch = copy_project(tmp_path / "project")
    drop_documents(scratch, [ZH, other])
    before = hashes(scratch / "data/raw")
    with Hostile({ZH: ("redirect", 302, "ftp://127.0.0.1/A_RES_68_276.zh.pdf"),
                  other: ("pdf", corpus_pdf(other[0]))}) as server:
        r1, r2 = fetch(scratch, [ZH, other], settings(server.base_url, languages=("zh", "en"), deadline=20, timeout=5))
    assert r1.status == "bad redirect"
    assert "to ftp://127.0.0.1/A_RES_68_276.zh.pdf; only http and https redirects are followed" in r1.message
    assert r2.status == "ok"                                   # the next document is still asked for
    assert not no_parts(scratch)
    after = hashes(scratch / "data/raw")
    assert {k: after.get(k) for k in before} == before
    assert sorted(set(after) - set(before)) == ["A_RES_72_284.en.pdf", "A_RES_72_284.en.txt"]


def test_a_redirect_loop_is_stopped(tmp_path):
    with Hostile({}) as server:
        url = f"{server.base_url}?s=A/RES/68/276&l=zh&t=pdf"
        server.routes[ZH] = ("redirect", 302, url)                # a loop: urllib stops it after 10 hops
        with pytest.raises(Exception) as err:
            download(url, tmp_path, settings(server.base_url, deadline=5))
    assert "redirect" in str(err.value).lower()
    assert list(tmp_path.iterdir()) == []


# --- questionable: the series order, a fetch that cannot reach its server ----------------------------------------

def test_two_documents_with_the_same_review_number_are_refused(tmp_path):
    work = copy_project(tmp_path / "project")
    path = work / "data/resolutions.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.loc[df["symbol"] == "A/RES/75/291", "review"] = "6"      # same as A/RES/72/284
    df.to_csv(path, index=False, lineterminator="\n")
    with pytest.raises(InputError, match=r"resolutions\.csv: review 6 is given to A/RES/72/284 \(row 8\) and "
                                         r"A/RES/75/291 \(row 9\); each document of the series needs its own"):
        read_manifest(path, work)


@pytest.mark.slow
def test_fetch_enabled_with_the_server_unreachable_still_builds_local_results(scratch):
    from .pdf_fixtures import closed_port_url

    target = "results/interim/segments/A_RES_72_284.en.json"
    offline = f"fetch={{enabled: true, base_url: '{closed_port_url()}', connect_timeout: 1}}"
    proc = run_snakemake(scratch, "fetch", target, "--config", offline, check=False)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-3000:]
    assert (scratch / target).exists()
    report = pd.read_csv(scratch / "results/fetch/fetch.csv", keep_default_na=False)
    assert set(report["status"]) == {"unreachable"} and "cannot connect to 127.0.0.1" in report["message"].iloc[0]
    assert "A/RES/68/276 (zh): unreachable: not fetched: cannot connect" in out
    # the next run tries again (documents are still missing), it does not call the failed fetch done
    again = run_snakemake(scratch, "-n", "fetch", "--config", offline)
    assert "rule fetch:" in again.stdout
