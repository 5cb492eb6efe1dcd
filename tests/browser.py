"""Headless Chromium (Debian package `chromium`) for looking at results/report.html as a reader's browser shows it."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars"]

# appended to a copy of the page: after layout, writes what overflows into the DOM, which --dump-dom prints
PROBE = """<script>
window.addEventListener("load", () => {
  const root = document.documentElement, out = [];
  if (root.scrollWidth > root.clientWidth) out.push("page " + root.scrollWidth + ">" + root.clientWidth);
  for (const t of document.querySelectorAll("table")) {
    const box = t.parentElement;
    if (t.getBoundingClientRect().right > root.clientWidth + 1 || box.scrollWidth > box.clientWidth + 1)
      out.push("table in #" + (t.closest("section") || {}).id + " " + Math.round(t.getBoundingClientRect().width));
  }
  const p = document.createElement("pre");
  p.id = "overflow-probe";
  p.textContent = "OVERFLOW[" + out.join("; ") + "]";
  document.body.appendChild(p);
});
</script>"""


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    return None


def run(page: Path, *args: str, width: int = 1280, height: int = 900) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory() as profile:
        cmd = [chromium(), *FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}", *args,
               page.resolve().as_uri()]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=180)


def overflow(page: Path, width: int = 1280) -> list[str]:
    """What is wider than the window: the page itself, or any table wider than its box."""
    probe = page.with_name(page.stem + ".probe.html")
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"), encoding="utf-8")
    try:
        proc = run(probe, "--dump-dom", "--virtual-time-budget=10000", width=width)
    finally:
        probe.unlink()
    dom = proc.stdout
    mark = '<pre id="overflow-probe">OVERFLOW['
    start = dom.find(mark)
    if start < 0:
        raise AssertionError(f"the probe did not run: {proc.stderr[-2000:]}")
    found = dom[start + len(mark):dom.index("]</pre>", start)]
    return [f for f in found.split("; ") if f]


def screenshot(page: Path, png: Path, width: int = 1280, height: int = 2400) -> Path:
    run(page, f"--screenshot={png.resolve()}", width=width, height=height)
    return png
