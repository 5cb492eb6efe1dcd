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
from .manifest import OFFICIAL, check_symbol, document_url, missing_documents, symbol_stem, tmp_dir
from .pdf import BOLD_FONTS, check_pattern

MAX_BYTES = 200 * 1024 * 1024
USER_AGENT = "gcts-fetch/0.1 (research pipeline; Python urllib)"


@dataclass(frozen=True)
class Settings:
    base_url: str
    languages: tuple = codes()
    timeout: float = 30.0           # seconds without data before a read gives up
    connect_timeout: float = 5.0    # seconds to open a connection (offline: fail fast)
    retries: int = 3                # extra attempts after a timeout, a cut body or a server error
    backoff: float = 2.0            # seconds before the first retry; doubles each time
    bold_fonts: str = BOLD_FONTS
    symbols: tuple = ()             # only these symbols (default: every missing one)

    @classmethod
    def from_config(cls, cfg: dict) -> "Settings":
        check_pattern(cfg.get("bold_fonts", BOLD_FONTS), "config fetch.bold_fonts")
        return cls(cfg["base_url"], tuple(cfg.get("languages", codes())), float(cfg.get("timeout", 30)),
                   float(cfg.get("connect_timeout", 5)), int(cfg.get("retries", 3)), float(cfg.get("backoff", 2)),
                   cfg.get("bold_fonts", BOLD_FONTS), tuple(cfg.get("symbols") or ()))


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


# --- HTTP with a short connect timeout and a longer read timeout ---------------------------------

def _connection(base, read_timeout):
    class Connection(base):
        def connect(self):
            super().connect()                     # uses the connect timeout
            self.sock.settimeout(read_timeout)    # then every read waits at most read_timeout
    return Connection


class _HTTP(urllib.request.HTTPHandler):
    def __init__(self, read_timeout):
        super().__init__()
        self.connection = _connection(http.client.HTTPConnection, read_timeout)

    def http_open(self, req):
        return self.do_open(self.connection, req)


class _HTTPS(urllib.request.HTTPSHandler):
    def __init__(self, read_timeout):
        super().__init__()
        self.connection = _connection(http.client.HTTPSConnection, read_timeout)

    def https_open(self, req):
        return self.do_open(self.connection, req, context=self._context)


def opener(settings: Settings):
    """urllib opener (proxies from the environment, redirects) with both timeouts."""
    return urllib.request.build_opener(_HTTP(settings.timeout), _HTTPS(settings.timeout))


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


def download(url: str, tmp: Path, settings: Settings, client=None) -> tuple[Path, dict]:
    """One attempt: the body in a temporary file under ``tmp``, checked; raises FetchError."""
    client = client or opener(settings)
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "application/pdf"})
    fd, name = tempfile.mkstemp(dir=tmp, prefix="download.", suffix=".part")
    part = Path(name)
    try:
        with open(fd, "wb") as out:
            try:
                resp = client.open(req, timeout=settings.connect_timeout)
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
                    except (http.client.HTTPException, ConnectionError) as e:
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
        return part, {"bytes": got, "sha256": digest.hexdigest(), "content_type": ctype}
    except BaseException:
        part.unlink(missing_ok=True)
        raise


def download_with_retries(url: str, tmp: Path, settings: Settings, log, label: str, sleep=time.sleep):
    """Up to 1 + retries attempts with exponential back-off; returns (path, info, attempts)."""
    client = opener(settings)
    for attempt in range(1, settings.retries + 2):
        try:
            path, info = download(url, tmp, settings, client)
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
    provenance = (f"fetched from {url} on {now()}; PDF sha256 {info['sha256']}; text by {converter('pdf')}")
    try:
        done = land(path, symbol, lang, "pdf", provenance, manifest=manifest, raw_dir=raw_dir, root=root,
                    bold=settings.bold_fonts, move=True, source=f"the PDF from {url}")
    except InputError as e:
        kept = tmp / "rejected" / f"{symbol_stem(symbol)}.{lang}.pdf"
        kept.parent.mkdir(exist_ok=True)
        path.replace(kept)
        return Outcome(symbol, lang, url, "refused", f"downloaded {info['bytes']} bytes; {e} "
                                                     f"(the PDF is kept in {kept} for inspection)", attempts,
                       info["bytes"])
    finally:
        Path(path).unlink(missing_ok=True)
    return Outcome(symbol, lang, url, "ok", f"{info['bytes']} bytes, PDF sha256 {info['sha256'][:12]}…; "
                                            f"{'; '.join(done['notes'])}; saved {done['original']} and {done['path']}",
                   attempts, info["bytes"], path=done["path"], sha256=done["sha256"], original=done["original"],
                   original_sha256=done["original_sha256"])


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

