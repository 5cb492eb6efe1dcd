"""Download missing documents from the UN Official Document System (or any server at
``fetch.base_url`` that answers ``?s=<symbol>&l=<lang>&t=pdf``), with provenance.

Only the named targets ``fetch`` (and the default run with ``fetch.enabled: true``) call this.
Each download goes to data/.tmp/ first; it lands in data/raw/ (gcts.sources.inbox.land) only when the
body is complete (Content-Length), starts with %PDF, ends with %%EOF and its text segments into a
resolution. One message per document says what happened.
"""

from __future__ import annotations

import hashlib
import http.client
import logging
import socket
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd

from ..errors import InputError
from ..lang import codes
from .inbox import converter, land, now
from .manifest import (OFFICIAL, STALE_SECONDS, check_symbol, document_url, missing_documents,
                       remove_stale_parts, symbol_stem, tmp_dir)
from .pdf import BOLD_FONTS, check_pattern
from ..text.checks import MAX_ORIGINAL_BYTES

MAX_BYTES = MAX_ORIGINAL_BYTES
SCHEMES = ("http", "https")        # redirects elsewhere (ftp:, file:, ...) are refused
USER_AGENT = "gcts-fetch/0.1 (research pipeline; Python urllib)"


@dataclass(frozen=True)
class Settings:
    base_url: str
    languages: tuple = codes()
    timeout: float = 30.0           # seconds without data (also: before the first byte) before a read gives up
    connect_timeout: float = 5.0    # seconds to open a connection (offline: fail fast)
    retries: int = 3                # extra attempts after a timeout, a cut body or a server error
    backoff: float = 2.0            # seconds before the first retry; doubles each time
    bold_fonts: str = BOLD_FONTS
    symbols: tuple = ()             # only these symbols (default: every missing one)
    deadline: float = 300.0         # seconds one download attempt may take in all, redirects included

    @classmethod
    def from_config(cls, cfg: dict) -> "Settings":
        check_pattern(cfg.get("bold_fonts", BOLD_FONTS), "config fetch.bold_fonts")
        return cls(cfg["base_url"], tuple(cfg.get("languages", codes())), float(cfg.get("timeout", 30)),
                   float(cfg.get("connect_timeout", 5)), int(cfg.get("retries", 3)), float(cfg.get("backoff", 2)),
                   cfg.get("bold_fonts", BOLD_FONTS), tuple(cfg.get("symbols") or ()),
                   float(cfg.get("deadline", 300)))


@dataclass
class Outcome:
    symbol: str
    lang: str
    url: str
    status: str    # ok, not found, http error, timeout, truncated, not a PDF, connection error, unreachable, refused
    message: str
    attempts: int = 0
    bytes: int = 0
    seconds: float = 0.0
    path: str = ""
    sha256: str = ""
    original: str = ""
    original_sha256: str = ""
    redirects: str = ""    # each hop followed: "302 <url>; 301 <url>"

    def line(self) -> str:
        return f"{self.symbol} ({self.lang}): {self.status}: {self.message}"


class FetchError(Exception):
    def __init__(self, status: str, message: str, retry: bool = False):
        super().__init__(message)
        self.status, self.message, self.retry, self.attempts = status, message, retry, 1


def fetch_enabled(config: dict) -> bool:
    """fetch.enabled, also when given on the command line (Snakemake passes "true" as a string)."""
    return str(config["fetch"].get("enabled", False)).lower() == "true"


def wanted_documents(manifest: pd.DataFrame, config: dict) -> list[tuple[str, str]]:
    """(symbol, lang) pairs to fetch: missing locally, in fetch.languages, limited to fetch.symbols and
    fetch.series (a document named by either; neither given: every missing one)."""
    cfg = config["fetch"]
    langs = [lang for lang in cfg.get("languages", []) if lang in OFFICIAL]
    only = [check_symbol(s, "config fetch.symbols") for s in cfg.get("symbols") or []]
    unknown = sorted(set(only) - set(manifest["symbol"]))
    if unknown:
        raise InputError("config fetch.symbols", f"{unknown} not listed in {config['manifest']}")
    only += series_symbols(manifest, cfg.get("series") or [], config["manifest"])
    return [(s, lang) for s, lang in missing_documents(manifest, langs) if not only or s in only]


def series_symbols(manifest: pd.DataFrame, series: list[str], where) -> list[str]:
    """The symbols of the manifest rows of the given series (config fetch.series); an unknown series is refused."""
    known = set(manifest["series"]) if "series" in manifest.columns else {"gcts"}
    unknown = sorted(set(series) - known)
    if unknown:
        raise InputError("config fetch.series", f"series {unknown} have no row in {where} (its series: "
                                                f"{', '.join(sorted(known))})")
    if "series" not in manifest.columns:
        return list(manifest["symbol"]) if series else []
    return list(manifest.loc[manifest["series"].isin(series), "symbol"])


def fetch_attempt(manifest: pd.DataFrame, config: dict) -> str:
    """A value that changes on every run while documents are wanted (so rule fetch tries again; a failed
    attempt leaves its report, not a failed job), and stays '' once nothing is missing."""
    return now() if wanted_documents(manifest, config) else ""


# --- HTTP: a connect timeout, a read timeout, an overall deadline; redirects checked and recorded ---

class Deadline:
    """The clock of one download attempt. A server that trickles a byte a second never lets a single
    read time out, so a watchdog shuts each connection's socket when the time is up; the blocked read
    then returns and ``expired`` tells why."""

    def __init__(self, seconds: float):
        self.seconds, self.end, self.expired, self._timers = seconds, time.monotonic() + seconds, False, []

    def left(self) -> float:
        return max(self.end - time.monotonic(), 0.0)

    def watch(self, sock) -> None:
        def stop():
            self.expired = True
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        timer = threading.Timer(self.left(), stop)
        timer.daemon = True
        timer.start()
        self._timers.append(timer)

    def cancel(self) -> None:
        for timer in self._timers:
            timer.cancel()


def _connection(base, read_timeout, deadline):
    class Connection(base):
        def connect(self):
            super().connect()                     # uses the connect timeout
            self.sock.settimeout(max(min(read_timeout, deadline.left()), 0.001))   # then each read waits this long
            deadline.watch(self.sock)             # and all reads together end at the deadline
    return Connection


class _HTTP(urllib.request.HTTPHandler):
    def __init__(self, read_timeout, deadline):
        super().__init__()
        self.connection = _connection(http.client.HTTPConnection, read_timeout, deadline)

    def http_open(self, req):
        return self.do_open(self.connection, req)


class _HTTPS(urllib.request.HTTPSHandler):
    def __init__(self, read_timeout, deadline):
        super().__init__()
        self.connection = _connection(http.client.HTTPSConnection, read_timeout, deadline)

    def https_open(self, req):
        return self.do_open(self.connection, req, context=self._context)


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows http/https redirects only, and records each hop (status and address) in ``hops``."""

    def __init__(self, hops: list):
        super().__init__()
        self.hops = hops

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urlsplit(newurl).scheme.lower() not in SCHEMES:
            fp.close()
            raise FetchError("bad redirect", f"HTTP {code} from {req.full_url} to {newurl}; only http and https "
                                             "redirects are followed")
        self.hops.append(f"{code} {newurl}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def opener(settings: Settings, deadline: Deadline | None = None, hops: list | None = None):
    """urllib opener (proxies from the environment) with both timeouts, the deadline, checked redirects."""
    deadline = deadline or Deadline(settings.deadline)
    return urllib.request.build_opener(_HTTP(settings.timeout, deadline), _HTTPS(settings.timeout, deadline),
                                       _Redirects([] if hops is None else hops))


def probe(url: str, timeout: float) -> str | None:
    """None if a TCP connection to the server (or the proxy) opens within ``timeout`` seconds,
    else the reason. Name resolution gets the same deadline."""
    parts = urlsplit(url)
    host, port = parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)
    proxy = urllib.request.getproxies().get(parts.scheme)
    if proxy and not urllib.request.proxy_bypass(host):
        p = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
        host, port = p.hostname, p.port or 80
    found: dict = {}

    def resolve():
        try:
            found["addr"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][4]
        except OSError as e:
            found["error"] = e

    worker = threading.Thread(target=resolve, daemon=True)
    worker.start()
    worker.join(timeout)
    if "addr" not in found:
        why = found.get("error") or f"no answer from the name server within {timeout:g} s"
        return f"cannot resolve {host} ({why})"
    try:
        socket.create_connection(found["addr"][:2], timeout=timeout).close()
    except TimeoutError:
        return f"cannot connect to {host}:{port} (no answer within {timeout:g} s)"
    except OSError as e:
        return f"cannot connect to {host}:{port} ({e.strerror or e})"
    return None


def download(url: str, tmp: Path, settings: Settings) -> tuple[Path, dict]:
    """One attempt, within settings.deadline: the body in a temporary file under ``tmp``, checked; raises
    FetchError (the temporary file is removed)."""
    deadline, hops = Deadline(settings.deadline), []
    client = opener(settings, deadline, hops)
    fd, name = tempfile.mkstemp(dir=tmp, prefix="download.", suffix=".part")
    part = Path(name)
    try:
        try:
            info = _receive(client, url, fd, settings, deadline)
        except Exception as e:
            if deadline.expired or (isinstance(e, FetchError) and e.status == "timeout" and not deadline.left()):
                raise FetchError("timeout", f"the download took more than {settings.deadline:g} s "
                                            "(fetch.deadline); the server is too slow") from None
            raise
        finally:
            deadline.cancel()
        return part, {**info, "redirects": "; ".join(hops)}
    except BaseException:
        part.unlink(missing_ok=True)
        raise


def _receive(client, url: str, fd: int, settings: Settings, deadline: Deadline) -> dict:
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "application/pdf"})
    with open(fd, "wb") as out:
        try:
            resp = client.open(req, timeout=min(settings.connect_timeout, deadline.left() or 0.001))
        except urllib.error.HTTPError as e:
            if e.code in (404, 410):
                raise FetchError("not found", f"HTTP {e.code} from {url}") from None
            raise FetchError("http error", f"HTTP {e.code} {e.reason} from {url}",
                             retry=e.code >= 500 or e.code == 429) from None
        except urllib.error.URLError as e:
            if isinstance(e.reason, TimeoutError):
                raise FetchError("timeout", f"no connection within {settings.connect_timeout:g} s",
                                 retry=True) from None
            raise FetchError("unreachable", f"cannot connect ({e.reason})", retry=True) from None
        except TimeoutError:
            raise FetchError("timeout", f"no response within {settings.timeout:g} s", retry=True) from None
        except (http.client.HTTPException, ConnectionError) as e:
            raise FetchError("connection error", f"the connection broke before a response "
                                                 f"({type(e).__name__}: {e})", retry=True) from None
        with resp:
            ctype = resp.headers.get_content_type()
            announced = resp.headers.get("Content-Length")
            expected = int(announced) if announced and announced.isdigit() else None
            if expected and expected > MAX_BYTES:
                raise FetchError("too large", f"{expected} bytes announced; the limit is {MAX_BYTES}")
            digest, got, head, tail = hashlib.sha256(), 0, b"", b""
            while True:
                try:
                    block = resp.read(1 << 16)
                except TimeoutError:
                    raise FetchError("timeout", f"no data for {settings.timeout:g} s after {got} bytes",
                                     retry=True) from None
                except http.client.IncompleteRead as e:
                    block, cut = e.partial, True
                except (http.client.HTTPException, OSError) as e:
                    raise FetchError("truncated", f"the connection broke after {got} bytes "
                                                  f"({type(e).__name__})", retry=True) from None
                else:
                    cut = False
                if block:
                    out.write(block)
                    digest.update(block)
                    got += len(block)
                    head = head or block[:64]
                    tail = (tail + block)[-2048:]
                if got > MAX_BYTES:
                    raise FetchError("too large", f"more than {MAX_BYTES} bytes")
                if cut or not block:
                    break
                if not deadline.left():
                    raise FetchError("timeout", f"deadline reached after {got} bytes")
    if expected is not None and got != expected:
        raise FetchError("truncated", f"received {got} of {expected} bytes announced by Content-Length",
                         retry=True)
    if not head.startswith(b"%PDF"):
        preview = head[:48].decode("utf-8", "replace").replace("\n", " ").strip()
        raise FetchError("not a PDF", f"the server sent {ctype or 'no content type'} starting with {preview!r} "
                                      f"({got} bytes)")
    if b"%%EOF" not in tail:
        raise FetchError("truncated", f"the PDF has no %%EOF trailer after {got} bytes (cut short?)",
                         retry=True)
    return {"bytes": got, "sha256": digest.hexdigest(), "content_type": ctype}


def download_with_retries(url: str, tmp: Path, settings: Settings, log, label: str, sleep=time.sleep):
    """Up to 1 + retries attempts with exponential back-off; returns (path, info, attempts)."""
    for attempt in range(1, settings.retries + 2):
        try:
            path, info = download(url, tmp, settings)
            return path, info, attempt
        except FetchError as e:
            e.attempts = attempt
            if not e.retry or attempt > settings.retries:
                if attempt > 1:
                    e.message += f" ({attempt} attempts)"
                raise
            wait = settings.backoff * 2 ** (attempt - 1)
            log.warning("%s: attempt %d of %d: %s: %s; retrying in %g s", label, attempt, settings.retries + 1,
                        e.status, e.message, wait)
            sleep(wait)


def fetch_documents(wanted, settings: Settings, manifest, raw_dir, root=".", log=None) -> list[Outcome]:
    """Fetch each (symbol, lang) in ``wanted``; good documents land in raw_dir and the manifest."""
    log = log or logging.getLogger("gcts.sources.fetch")
    results: list[Outcome] = []
    if not wanted:
        log.info("nothing to fetch: every requested document is present locally")
        return results
    tmp = tmp_dir(manifest)
    for stale in remove_stale_parts(tmp, max(2 * settings.deadline, STALE_SECONDS)):
        log.info("removed %s, left by an interrupted run", stale)
    down = probe(settings.base_url, settings.connect_timeout)
    for symbol, lang in wanted:
        url = document_url(settings.base_url, symbol, lang)
        label = f"{symbol} ({lang})"
        stem = symbol_stem(symbol)
        t0 = time.monotonic()
        if down:
            out = Outcome(symbol, lang, url, "unreachable", f"not fetched: {down}")
        elif any((Path(raw_dir) / f"{stem}.{lang}.{x}").exists() for x in ("pdf", "txt")):
            out = Outcome(symbol, lang, url, "refused", f"{raw_dir}/{stem}.{lang}.* exists but is not listed in the "
                                                        "manifest; existing files are never overwritten")
        else:
            out = _fetch_one(symbol, lang, url, tmp, settings, manifest, raw_dir, root, log, label)
            if out.status == "unreachable":
                down = f"{out.message}; the server stopped answering"
        out.seconds = round(time.monotonic() - t0, 3)
        log.log(logging.INFO if out.status == "ok" else logging.ERROR, "%s", out.line())
        results.append(out)
    return results


def _fetch_one(symbol, lang, url, tmp, settings, manifest, raw_dir, root, log, label) -> Outcome:
    try:
        path, info, attempts = download_with_retries(url, tmp, settings, log, label)
    except FetchError as e:
        return Outcome(symbol, lang, url, e.status, e.message, e.attempts)
    hops = f" (redirected: {info['redirects']})" if info["redirects"] else ""
    provenance = (f"fetched from {url}{hops} on {now()}; PDF sha256 {info['sha256']}; text by {converter('pdf')}")
    try:
        done = land(path, symbol, lang, "pdf", provenance, manifest=manifest, raw_dir=raw_dir, root=root,
                    bold=settings.bold_fonts, move=True, source=f"the PDF from {url}")
    except InputError as e:
        kept = tmp / "rejected" / f"{symbol_stem(symbol)}.{lang}.pdf"
        kept.parent.mkdir(exist_ok=True)
        path.replace(kept)
        return Outcome(symbol, lang, url, "refused", f"downloaded {info['bytes']} bytes; {e} "
                                                     f"(the PDF is kept in {kept} for inspection)", attempts,
                       info["bytes"], redirects=info["redirects"])
    finally:
        Path(path).unlink(missing_ok=True)
    return Outcome(symbol, lang, url, "ok", f"{info['bytes']} bytes, PDF sha256 {info['sha256'][:12]}…; "
                                            f"{'; '.join(done['notes'])}; saved {done['original']} and {done['path']}",
                   attempts, info["bytes"], path=done["path"], sha256=done["sha256"], original=done["original"],
                   original_sha256=done["original_sha256"], redirects=info["redirects"])


def report(results: list[Outcome]) -> pd.DataFrame:
    return pd.DataFrame([asdict(r) for r in results], columns=list(Outcome.__dataclass_fields__))


def summary(results: list[Outcome]) -> str:
    """The closing message: how many landed, and each document that did not, with the reason."""
    bad = [r for r in results if r.status != "ok"]
    lines = [f"fetch: {len(results) - len(bad)} of {len(results)} document(s) fetched."]
    if bad:
        lines.append(f"Could not get {len(bad)} document(s):")
        lines += [f"  - {r.line()}" for r in bad]
    return "\n".join(lines)

