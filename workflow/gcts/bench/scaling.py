"""How the pipeline's cost grows with the number of documents, and what a cold and a no-op run cost.

Not a rule script: run it by hand from the project root.

    uv run python -m gcts.bench.scaling --sizes 10 50 200
    uv run python -m gcts.bench.scaling --baseline

Scaling: for each N it builds a SYNTHETIC corpus of N documents in a scratch copy of the project,
``results/benchmarks/synthetic/<N>/`` (its own ``data/resolutions.csv`` and ``data/raw/``; the real
``data/raw/`` is only read). The documents are made by recombining and perturbing the real paragraphs
of the embedded texts: every third document is Chinese (paragraphs of A/RES/68/276), the others
English (A/RES/72/284 and A/RES/75/291); each document is the previous one of its language with some
paragraphs rewritten (clauses dropped, swapped or borrowed from another paragraph), replaced, deleted
or inserted, as a review does. They are laid out like the real texts (title block, wrapped lines,
page headers and counters, pillar headings) and each is checked to segment into the paragraphs it was
built from. Their symbols are A/RES/999/<i>, their file names start with ``SYNTHETIC_`` and the
manifest's source column says what they are: they are not UN texts and never go into ``data/raw/``.
The whole pipeline is then run there (``snakemake --cores <cores>``), and one row per N is written to
``results/benchmarks/scaling.csv``: wall seconds, CPU seconds (user + system of snakemake and all its
jobs), peak memory (largest single process, from the kernel's rusage; the largest sum over the process
tree, sampled every 0.2 s, of the resident set sizes, which count a shared library once per process, and of the
proportional set sizes (PSS), which count it once, with what was running at the PSS peak; and which job the
largest sampled process was), and the seconds per rule
summed from Snakemake's ``benchmark:`` files (``rule_<name>_s``); per-rule detail goes to
``results/benchmarks/scaling_rules.csv``.

Baseline (``--baseline``): in one script run, the time of
``python -c "import spacy, sklearn, pandas, matplotlib.pyplot"`` (median of 6: 3 just before and 3 just after the
cold run, as the machine's speed drifts), a cold run of the main job on the embedded corpus in a fresh scratch copy,
and a run with nothing to do (median of 3), written
to ``results/benchmarks/baseline.csv``. Targets: cold run <= 8 x the import time; no-op run <= 3 s.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import textwrap
import threading
import time
import warnings
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[3]
OUT = ROOT / "results" / "benchmarks"
REAL = {"zh": [("A/RES/68/276", "A_RES_68_276.zh.txt")],
        "en": [("A/RES/72/284", "A_RES_72_284.en.txt"), ("A/RES/75/291", "A_RES_75_291.en.txt")]}
SESSION = 999                                  # symbols A/RES/999/<i>: no such resolutions exist
MARK = "SYNTHETIC"
CLAUSE = {"en": ", ", "zh": "，"}
END = {("en", "preambular"): ",", ("en", "operative"): ";", ("en", "last"): ".",
       ("zh", "preambular"): "，", ("zh", "operative"): "；", ("zh", "last"): "。"}
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]


# ---------------------------------------------------------------------------------------------------
# Synthetic documents

@dataclass
class Para:
    kind: str
    text: str
    section: str = ""
    verb: str = ""                             # Chinese: the lead-in the source marks in bold


@dataclass
class Doc:
    symbol: str
    lang: str
    review: int
    adopted: date
    paras: list = field(default_factory=list)


def real_paragraphs(lang: str) -> list[Para]:
    """The cleaned paragraphs of the embedded texts of one language, in order."""
    from gcts.text.segment import segment_text

    out = []
    for symbol, name in REAL[lang]:
        text = (ROOT / "data" / "raw" / name).read_text(encoding="utf-8")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            seg = segment_text(text, lang, name)
        out += [Para(p.kind, p.text, p.section, p.marked_verb) for p in seg.paragraphs if p.text]
    return out


def strip_end(text: str) -> str:
    return text.rstrip(" ,;.:，；。：")


def perturb(p: Para, pool: list[Para], lang: str, rng: random.Random) -> Para:
    """Edit one paragraph at clause level; the first clause (the lead-in) is kept."""
    sep = CLAUSE[lang]
    clauses = strip_end(p.text).split(sep)
    op = rng.choice(["drop", "swap", "borrow", "borrow"])
    if op == "drop" and len(clauses) > 2:
        del clauses[rng.randrange(1, len(clauses))]
    elif op == "swap" and len(clauses) > 2:
        i, j = rng.sample(range(1, len(clauses)), 2)
        clauses[i], clauses[j] = clauses[j], clauses[i]
    else:
        donor = strip_end(rng.choice(pool).text).split(sep)
        if len(donor) > 1:
            clauses.insert(rng.randrange(1, len(clauses) + 1), rng.choice(donor[1:]))
    return Para(p.kind, sep.join(clauses), p.section, p.verb)


def next_version(paras: list[Para], pool: list[Para], lang: str, rng: random.Random, size: tuple) -> list[Para]:
    """A review of the previous version: most paragraphs kept, some rewritten, replaced, dropped or new."""
    out = []
    for p in paras:
        r = rng.random()
        if r < 0.04:
            continue                                          # dropped
        if r < 0.12:
            p = perturb(p, pool, lang, rng)                   # rewritten
        elif r < 0.16:
            p = rng.choice([q for q in pool if q.kind == p.kind])   # replaced
        out.append(p)
        if rng.random() < 0.04:
            out.append(rng.choice([q for q in pool if q.kind == p.kind]))   # new paragraph
    for kind, (lo, hi) in zip(("preambular", "operative"), size):   # keep sizes in the real range
        ks = [i for i, p in enumerate(out) if p.kind == kind]
        while len(ks) > hi:
            del out[ks.pop(rng.randrange(len(ks)))]
            ks = [i for i, p in enumerate(out) if p.kind == kind]
        while len(ks) < lo:
            at = (ks[-1] + 1) if ks else 0
            out.insert(at, rng.choice([q for q in pool if q.kind == kind]))
            ks = [i for i, p in enumerate(out) if p.kind == kind]
    pre = [p for p in out if p.kind == "preambular"]
    return pre + [p for p in out if p.kind == "operative"]


def first_version(pool: list[Para], lang: str, rng: random.Random) -> list[Para]:
    if lang == "zh":
        return list(pool)
    pre = [p for p in pool if p.kind == "preambular"]
    ops = [p for p in pool if p.kind == "operative"]
    keep_pre = sorted(rng.sample(range(len(pre)), min(40, len(pre))))
    keep_ops = sorted(rng.sample(range(len(ops)), min(100, len(ops))))
    return [pre[i] for i in keep_pre] + [ops[i] for i in keep_ops]


def layout(doc: Doc, rng: random.Random) -> str:
    """The raw text of a document, shaped like the embedded texts."""
    n = doc.symbol.rsplit("/", 1)[1]
    title = f"{MARK} benchmark document {n} (not a UN resolution)"
    d = doc.adopted
    ops = [p for p in doc.paras if p.kind == "operative"]
    if doc.lang == "zh":
        lines = ["大会", "", "Distr.: General", "", f"{d.year}年{d.month}月{d.day}日大会决议", "",
                 f"{SESSION}/{n}. {title}", "", "大会，", ""]
        k = 0
        for p in doc.paras:
            body = strip_end(p.text)
            if p.kind == "operative":
                k += 1
                if p.verb and p.verb in body:
                    body = body.replace(p.verb, f"**{p.verb}**", 1)
                body = f"{k}. {body}{END['zh', 'last' if k == len(ops) else 'operative']}"
            else:
                body += END["zh", "preambular"]
            lines += [body, ""]
        lines += [f"{d.year} 年 {d.month} 月 {d.day} 日", "第 99 次全体会议", ""]
        return "\n".join(lines)

    symbol_line = doc.symbol
    job = f"{d.year % 100:02d}-{rng.randrange(10000, 99999)}"
    head = ["United Nations ", symbol_line, " ", "General Assembly ", "Distr.: General ",
            f"{d.day} {MONTHS[d.month - 1]} {d.year} ", " ", f"{job} (E)    010101 ", " ",
            " Resolution adopted by the General Assembly ", f"on {d.day} {MONTHS[d.month - 1]} {d.year} ",
            " ", f" {SESSION}/{n}. {title} ", " ", "The General Assembly, ", " "]
    body = []
    k, section, own_line = 0, "", rng.random() < 0.5
    for p in doc.paras:
        text = strip_end(p.text)
        if p.kind == "operative":
            k += 1
            text += END["en", "last" if k == len(ops) else "operative"]
            if p.section and p.section != section:
                body += [[p.section + " ", " "]]
            section = p.section or section
            wrapped = textwrap.wrap(text, 85)
            block = ([f"{k}. ", *wrapped] if own_line else [f"{k}. {wrapped[0]}", *wrapped[1:]])
        else:
            block = textwrap.wrap(text + END["en", "preambular"], 85)
        body.append([ln + " " for ln in block] + [" "])
    lines, since, page = list(head), 0, 1
    pages = 1 + sum(len(b) for b in body) // 45
    for block in body:
        for i, ln in enumerate(block):
            lines.append(ln)
            since += 1
            # a page break after 45 lines, where the segmenter reads the next line as a continuation
            if since >= 45 and page < pages and (i == len(block) - 1 or not re.search(r"[,;.:] $", ln)):
                page += 1
                lines += [" ", symbol_line + " ", title, " ", job, f"{page}/{pages} ", " "]
                since = 0
    lines += ["99th plenary meeting ", f"{d.day} {MONTHS[d.month - 1]} {d.year} ", " "]
    return "\n".join(lines)


def segments_as_built(text: str, doc: Doc) -> bool:
    """The segmenter reads back the paragraphs the document was built from."""
    from gcts.text.segment import segment_text

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        seg = segment_text(text, doc.lang, doc.symbol)
    kinds = [p.kind for p in seg.paragraphs]
    return kinds == [p.kind for p in doc.paras] and seg.header.get("symbol") == doc.symbol


def build_corpus(n: int, seed: int) -> list[tuple[Doc, str]]:
    rng = random.Random(seed)
    pools = {lang: real_paragraphs(lang) for lang in REAL}
    sizes = {"zh": ((15, 25), (35, 55)), "en": ((30, 50), (80, 125))}
    last: dict[str, list[Para]] = {}
    out = []
    for i in range(n):
        lang = "zh" if i % 3 == 0 else "en"
        doc = Doc(f"A/RES/{SESSION}/{i + 1}", lang, i, date(2101, 1, 1) + timedelta(days=61 * i))
        for attempt in range(20):
            paras = (next_version(last[lang], pools[lang], lang, rng, sizes[lang]) if lang in last
                     else first_version(pools[lang], lang, rng))
            doc.paras = paras
            text = layout(doc, rng)
            if segments_as_built(text, doc):
                break
        else:
            raise RuntimeError(f"could not build synthetic document {doc.symbol} that segments as built")
        last[lang] = doc.paras
        out.append((doc, text))
    return out


def copy_scratch(dest: Path) -> None:
    """A scratch copy of the project without the real texts and manifest."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    shutil.copy(ROOT / "Snakefile", dest / "Snakefile")
    shutil.copytree(ROOT / "workflow", dest / "workflow", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "data", dest / "data", ignore=shutil.ignore_patterns("raw", "resolutions.csv"))


def build_project(n: int, seed: int) -> Path:
    dest = OUT / "synthetic" / str(n)
    copy_scratch(dest)
    raw = dest / "data" / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    rows = []
    for doc, text in build_corpus(n, seed):
        name = f"{MARK}_{doc.symbol.replace('/', '_')}.{doc.lang}.txt"
        (raw / name).write_text(text, encoding="utf-8")
        src = "A/RES/68/276" if doc.lang == "zh" else "A/RES/72/284 and A/RES/75/291"
        row = {"symbol": doc.symbol, "title": f"{MARK} benchmark document {doc.review + 1}",
               "session": str(SESSION), "adopted": doc.adopted.isoformat(), "review": doc.review}
        for lang in ("zh", "en"):
            here = lang == doc.lang
            row[f"{lang}_path"] = f"data/raw/{name}" if here else ""
            row[f"{lang}_sha256"] = hashlib.sha256((raw / name).read_bytes()).hexdigest() if here else ""
            row[f"{lang}_source"] = (f"{MARK}: paragraphs of {src} recombined and perturbed by "
                                     f"gcts.bench.scaling (seed {seed}); not a UN text"
                                     if here else "")
        rows.append(row)
    pd.DataFrame(rows).to_csv(dest / "data" / "resolutions.csv", index=False)
    (dest / f"{MARK}.txt").write_text(f"{MARK} benchmark project with {n} generated documents (seed {seed}); "
                                      "made by gcts.bench.scaling. Not UN texts.\n")
    return dest


# ---------------------------------------------------------------------------------------------------
# Measuring a run

def pss_mb(pid: int) -> float:
    """Proportional set size (MB): the process's private memory plus its share of pages it shares with others
    (libraries mapped by several jobs count once over the tree, not once per process as in RSS)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def process_tree(root_pid: int) -> list[tuple[float, str, int]]:
    """(resident MB, command, pid) of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                parts = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(d), int(parts[1])
        children.setdefault(ppid, []).append(pid)
        rss[pid] = int(parts[21]) * os.sysconf("SC_PAGE_SIZE")
    out, stack = [], [root_pid]
    while stack:
        pid = stack.pop()
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            cmd = "?"
        out.append((rss.get(pid, 0) / 2**20, cmd, pid))
        stack += children.get(pid, [])
    return out


def job_name(cmd: str) -> str:
    """The rule of a Snakemake script job (.snakemake/scripts/tmpXXXX.<script>.py), else the command."""
    m = re.search(r"\.snakemake/scripts/tmp\w+\.(\w+)\.py", cmd)
    if m:
        return f"script {m.group(1)}.py"
    return "snakemake (main process)" if "-m snakemake" in cmd else cmd[:60]


ENV = dict(os.environ)                         # environment of every measured command


def use_bytecode_cache(folder: Path) -> None:
    """Let Python cache compiled modules in <folder> even where PYTHONDONTWRITEBYTECODE=1 and the venv has
    no .pyc files (uv does not compile on install unless told to), then warm the cache once."""
    ENV.pop("PYTHONDONTWRITEBYTECODE", None)
    ENV["PYTHONPYCACHEPREFIX"] = str(folder.resolve())
    for cmd in (["-c", "import spacy, sklearn, pandas, matplotlib.pyplot, scipy, jieba, pyarrow, gcts.sources.corpus"],
                ["-m", "snakemake", "--version"]):
        subprocess.run([sys.executable, *cmd], env=ENV, check=True, capture_output=True)


def run_measured(cmd: list[str], cwd: Path, log: Path) -> dict:
    """Run a command; wall and CPU seconds, peak single-process RSS, and the peak sampled tree RSS and PSS (with
    what was running at the PSS peak)."""
    peak, top, pss = [0.0], [0.0, ""], [0.0, ""]
    with open(log, "w") as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=ENV)
        done = threading.Event()

        def sample():
            while not done.is_set():
                tree = process_tree(proc.pid)
                peak[0] = max(peak[0], sum(mb for mb, _, _ in tree))
                big = max(tree, default=(0.0, "", 0))
                if big[0] > top[0]:
                    top[:] = [big[0], job_name(big[1])]
                shares = [(pss_mb(pid), cmd) for _, cmd, pid in tree]
                total = sum(mb for mb, _ in shares)
                if total > pss[0]:      # what was running at the peak
                    pss[:] = [total, " + ".join(f"{job_name(cmd)} {mb:.0f}" for mb, cmd in sorted(shares, reverse=True)
                                                if mb >= 20)]
                done.wait(0.2)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
    return {"exit": proc.returncode, "wall_s": round(wall, 2), "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
            "peak_rss_mb": round(usage.ru_maxrss / 1024, 1), "peak_tree_rss_mb": round(peak[0], 1),
            "peak_tree_pss_mb": round(pss[0], 1), "peak_tree_pss_at": pss[1],
            "largest_process": f"{top[1]} ({top[0]:.0f} MB sampled)"}


def rule_times(project: Path) -> pd.DataFrame:
    """Per-rule totals from Snakemake's benchmark files (results/benchmarks/<rule>[/...].tsv)."""
    rows = []
    bench = project / "results" / "benchmarks"
    for tsv in sorted(bench.rglob("*.tsv")):
        rel = tsv.relative_to(bench)
        rule = rel.parts[0].removesuffix(".tsv")
        t = pd.read_csv(tsv, sep="\t")
        rows.append({"rule": rule, "s": float(t["s"].iloc[0]),
                     "max_rss": pd.to_numeric(t["max_rss"], errors="coerce").iloc[0]})
    df = pd.DataFrame(rows, columns=["rule", "s", "max_rss"])
    return (df.groupby("rule").agg(jobs=("s", "size"), seconds=("s", "sum"), max_rss_mb=("max_rss", "max"))
            .reset_index().round(2))


def snakemake_cmd(cores: int, *extra: str) -> list[str]:
    return [sys.executable, "-m", "snakemake", "--cores", str(cores), *extra]


def merge_csv(path: Path, new: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    if path.exists():
        old = pd.read_csv(path)
        old = old.merge(new[key].drop_duplicates(), on=key, how="left", indicator=True)
        old = old[old["_merge"] == "left_only"].drop(columns="_merge")
        new = pd.concat([old, new], ignore_index=True)
    new = new.sort_values(key).reset_index(drop=True)
    rules = sorted(c for c in new.columns if c.startswith("rule_"))
    new = new[[c for c in new.columns if c not in rules] + rules]
    path.parent.mkdir(parents=True, exist_ok=True)
    new.to_csv(path, index=False)
    return new


def scaling(sizes: list[int], cores: int, seed: int, keep: bool) -> pd.DataFrame:
    rows, rule_rows = [], []
    for n in sizes:
        t0 = time.perf_counter()
        project = build_project(n, seed)
        built = time.perf_counter() - t0
        print(f"N={n}: built {n} synthetic documents in {built:.1f} s ({project})", flush=True)
        load = round(os.getloadavg()[0], 2)             # other work on the machine skews the figures
        m = run_measured(snakemake_cmd(cores), project, project / "snakemake.log")
        if m["exit"] != 0:
            raise SystemExit(f"N={n}: the pipeline failed (exit {m['exit']}); see {project / 'snakemake.log'}")
        rules = rule_times(project)
        paragraphs = len(pd.read_parquet(project / "results" / "paragraphs.parquet", columns=["pid"]))
        raw_mb = sum(f.stat().st_size for f in (project / "data" / "raw").iterdir()) / 2**20
        row = {"N": n, "documents": n, "paragraphs": paragraphs, "raw_mb": round(raw_mb, 2), "cores": cores,
               **{k: v for k, v in m.items() if k != "exit"}, "jobs": int(rules["jobs"].sum()),
               "measured": time.strftime("%Y-%m-%d %H:%M"), "load_before": load,
               "bytecode_cache": "PYTHONPYCACHEPREFIX" in ENV}
        row.update({f"rule_{r.rule}_s": r.seconds for r in rules.itertuples()})
        rows.append(row)
        rule_rows.append(rules.assign(N=n)[["N", "rule", "jobs", "seconds", "max_rss_mb"]])
        print(f"N={n}: {m['wall_s']} s wall, {m['cpu_s']} s CPU, peak {m['peak_rss_mb']} MB (one process), "
              f"{m['peak_tree_rss_mb']} MB (process tree RSS), {m['peak_tree_pss_mb']} MB (process tree PSS: "
              f"{m['peak_tree_pss_at']}), largest {m['largest_process']}, {row['jobs']} jobs, "
              f"{paragraphs} paragraphs", flush=True)
        if not keep:
            shutil.rmtree(project)
    table = merge_csv(OUT / "scaling.csv", pd.DataFrame(rows), ["N"])
    merge_csv(OUT / "scaling_rules.csv", pd.concat(rule_rows, ignore_index=True), ["N", "rule"])
    return table


def import_times(repeat: int) -> list[float]:
    cmd = [sys.executable, "-c", "import spacy, sklearn, pandas, matplotlib.pyplot"]
    return [run_measured(cmd, ROOT, OUT / "baseline_import.log")["wall_s"] for _ in range(repeat)]


def baseline(cores: int, repeat: int = 3) -> pd.DataFrame:
    """Import time of the main libraries vs a cold and a no-op run of the main job, in one go. The import line is
    timed `repeat` times just before and just after the cold run (the machine's speed drifts), and its median over
    both is the reference."""
    load = round(os.getloadavg()[0], 2)
    before = import_times(repeat)
    project = OUT / "baseline" / "project"
    if project.exists():
        shutil.rmtree(project)
    project.mkdir(parents=True)
    shutil.copy(ROOT / "Snakefile", project / "Snakefile")
    shutil.copytree(ROOT / "workflow", project / "workflow", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "data", project / "data")
    cold = run_measured(snakemake_cmd(cores), project, project / "cold.log")
    if cold["exit"] != 0:
        raise SystemExit(f"cold run failed; see {project / 'cold.log'}")
    after = import_times(repeat)
    imports = before + after
    rules = rule_times(project)
    noops = [run_measured(snakemake_cmd(cores), project, project / "noop.log") for _ in range(repeat)]
    imp, noop = round(statistics.median(imports), 3), statistics.median(m["wall_s"] for m in noops)
    row = {"measured": time.strftime("%Y-%m-%d %H:%M"), "cores": cores, "import_s": imp,
           "import_runs": " ".join(map(str, imports)), "cold_run_s": cold["wall_s"], "cold_cpu_s": cold["cpu_s"],
           "cold_peak_rss_mb": cold["peak_rss_mb"], "cold_over_import": round(cold["wall_s"] / imp, 2),
           "noop_s": noop, "noop_runs": " ".join(str(m["wall_s"]) for m in noops),
           "target_cold_over_import": 8, "target_noop_s": 3,
           "load_before": load, "bytecode_cache": "PYTHONPYCACHEPREFIX" in ENV}
    table = pd.DataFrame([row])
    path = OUT / "baseline.csv"
    if path.exists():
        table = pd.concat([pd.read_csv(path), table], ignore_index=True)
    table.to_csv(path, index=False)
    rules.assign(measured=row["measured"]).to_csv(OUT / "baseline_rules.csv", index=False)
    print(rules.sort_values("seconds", ascending=False).to_string(index=False))
    print(f"import {imp} s (runs {imports}); cold run {cold['wall_s']} s = {row['cold_over_import']} x import "
          f"(target <= 8); no-op run {noop} s (target <= 3); load average before {load}")
    shutil.rmtree(project)
    return table


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[10, 50, 200], help="corpus sizes N (default 10 50 200)")
    ap.add_argument("--baseline", action="store_true", help="measure import vs cold and no-op runs instead")
    ap.add_argument("--cores", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--keep", action="store_true", help="keep results/benchmarks/synthetic/<N>/ afterwards")
    ap.add_argument("--bytecode-cache", type=Path, metavar="DIR",
                    help="cache compiled Python modules in DIR (for a venv without .pyc files)")
    args = ap.parse_args(argv)
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT / "workflow"))
    if args.bytecode_cache:
        use_bytecode_cache(args.bytecode_cache)
    if args.baseline:
        baseline(args.cores)
    else:
        print(scaling(args.sizes, args.cores, args.seed, args.keep).to_string(index=False))


if __name__ == "__main__":
    main()
