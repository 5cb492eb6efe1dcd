"""The self-contained results/report.html (no missing images, no links to files, a side-by-side diff per aligned pair)
and Snakemake's own report (`snakemake --report`)."""

from __future__ import annotations

import html
import re
import zipfile
from html.parser import HTMLParser

import pandas as pd
import pytest

from gcts.compare import diff
from gcts.present import figdata, report
from gcts.present.results import pairs as load_pairs

from .conftest import run_snakemake


class Refs(HTMLParser):
    """Every image source, every link and every external resource of a page."""

    def __init__(self):
        super().__init__()
        self.imgs, self.links, self.external, self.svgs, self.ids = [], [], [], 0, set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "img":
            self.imgs.append(a.get("src") or "")
        elif tag == "svg":
            self.svgs += 1
        elif tag == "a" and "href" in a:
            self.links.append(a["href"])
        elif tag in ("link", "script", "iframe", "embed", "object", "source", "video", "audio"):
            ref = a.get("href") or a.get("src") or a.get("data")
            if ref:
                self.external.append(ref)


def text_of(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


# Fixture: OLD is 75/291 operative 1 as segmented; NEW is an edited copy made for this test (not resolution text):
# a word deleted, one replaced, and an insertion with characters that HTML must escape.
OLD = ("Reiterates its strong and unequivocal condemnation of terrorism in all its forms and manifestations, "
       "committed by whomever, wherever and for whatever purposes;")
NEW = ("Reiterates its unequivocal condemnation of terrorism in all its forms and manifestations, "
       "committed by whomsoever, wherever and for whatever purposes & <at any time>;")


def test_side_by_side_keeps_both_texts_and_marks_the_edits():
    segs = diff.segments(OLD, NEW, "en")
    left, right = diff.side_html(segs, "a"), diff.side_html(segs, "b")
    assert text_of(left) == OLD and text_of(right) == NEW
    assert re.findall(r"<del>(.*?)</del>", left) == ["strong and", "whomever"]
    assert "<ins>whomsoever</ins>" in right and "&lt;at any time&gt;" in right
    assert "<ins>" not in left and "<del>" not in right


def test_chinese_side_by_side():
    old = "又回顾大会2011年11月18日第66/10号决议，并赞赏地注意到联合国反恐中心已开始活动"  # start of 68/276 pp 3
    new = "又回顾大会第66/10号决议，并赞赏地注意到联合国反恐怖主义中心已全面开始活动"  # edited copy (fixture)
    segs = diff.segments(old, new, "zh")
    left, right = diff.side_html(segs, "a"), diff.side_html(segs, "b")
    assert text_of(left) == old and text_of(right) == new
    assert "2011年11月18日" in "".join(re.findall(r"<del>(.*?)</del>", left))
    assert "全面" in "".join(re.findall(r"<ins>(.*?)</ins>", right))


def test_report_html(pipeline_run):
    page = (pipeline_run / "results/report.html").read_text(encoding="utf-8")
    refs = Refs()
    refs.feed(page)
    pngs = sorted((pipeline_run / "results/figures").glob("*.png"))
    assert pngs and len(refs.imgs) == len(pngs)
    assert all(src.startswith("data:image/") for src in refs.imgs)  # embedded, none missing
    assert refs.external == []
    for link in refs.links:   # in-page anchors, or the CSV files next to the page in results/
        assert (link[1:] in refs.ids) if link.startswith("#") else (pipeline_run / "results" / link).is_file(), link
    for heading in ("Documents", "Figures", "Paragraph counts", "Pillar classifier quality", "Lead-in verbs",
                    "Series", "Aligned versions, side by side"):
        assert f">{heading}</h2>" in page
    docs = pd.read_csv(pipeline_run / "results/documents.csv")
    assert all(doc in page for doc in docs["doc"])
    for (a, b, lang), table in load_pairs(pipeline_run / "results").items():
        pair = figdata.pair_label(a, b, lang)   # "68/276 zh → 72/284 en (across languages)" for a cross-lingual pair
        assert f"{html.escape(pair)}</h3>" in page or f"{pair}</h3>" in page
        changed = table[table["status"] == "modified"]
        assert len(changed) == 0 or page.count("<del>") + page.count("<ins>") >= len(changed)


def plain_text(markup: str) -> str:
    """The words of an HTML fragment, white space collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def test_snakemake_report(pipeline_run, tmp_path):
    """`snakemake --report` packs every registered figure and renders its caption: the static text of
    workflow/report/<name>.rst and the generated results/figures/<name>.caption.rst, without a docutils error
    (measured: about 5 s on the embedded corpus)."""
    from docutils.core import publish_parts

    out = tmp_path / "report.zip"
    proc = run_snakemake(pipeline_run, "--report", str(out))
    assert "System Message" not in proc.stdout + proc.stderr
    archive = zipfile.ZipFile(out)
    names = archive.namelist()
    page = archive.read(next(n for n in names if n.endswith("report.html"))).decode("utf-8")
    assert "System Message" not in page
    # the captions sit in the page as JSON strings of HTML (\\n, \\", \\uXXXX escapes)
    unescaped = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), page)
    text = plain_text(unescaped.replace("\\n", " ").replace('\\"', '"'))
    pngs = sorted((pipeline_run / "results/figures").glob("*.png"))
    assert pngs
    for png in pngs:
        assert any(n.endswith(png.name) for n in names), png.name
        caption = png.with_name(png.name.replace(".png", ".caption.rst")).read_text(encoding="utf-8")
        rendered = plain_text(publish_parts(caption, writer="html")["body"])
        assert rendered and rendered in text, png.name
        static = (pipeline_run / "workflow/report" / f"{png.stem}.rst").read_text(encoding="utf-8")
        first = plain_text(publish_parts(static.split(".. include::")[0], writer="html")["body"])
        assert first in text, png.name


@pytest.mark.parametrize("status", ["new", "dropped"])
def test_one_sided_rows_are_shown_whole(status):
    table = pd.DataFrame([{"doc_a": "A/RES/72/284", "kind_a": "operative" if status == "dropped" else "",
                           "number_a": 3 if status == "dropped" else None, "doc_b": "A/RES/75/291",
                           "kind_b": "operative" if status == "new" else "",
                           "number_b": 4 if status == "new" else None, "status": status, "similarity": None,
                           "text_a": OLD if status == "dropped" else "", "text_b": NEW if status == "new" else ""}])
    (row,) = report.diff_rows(table, "en")
    assert text_of(row["left"] + row["right"]) == (OLD if status == "dropped" else NEW)
    assert ("<del>" in row["left"]) == (status == "dropped") and ("<ins>" in row["right"]) == (status == "new")


def test_report_says_when_older_pairs_are_left_out(pipeline_run):
    documents = pd.read_csv(pipeline_run / "results/documents.csv", keep_default_na=False)
    paragraphs = pd.read_parquet(pipeline_run / "results/paragraphs.parquet")
    shown = load_pairs(pipeline_run / "results")
    page = report.build([], documents, paragraphs, [], {}, shown, all_pairs=len(shown) + 5)
    assert f"The {len(shown)} most recent of {len(shown) + 5} aligned pairs are shown" in text_of(page)
    assert f"{len(shown) + 5} aligned pairs." in text_of(page)
    whole = report.build([], documents, paragraphs, [], {}, shown)
    assert "most recent of" not in text_of(whole)


def test_report_uses_the_compare_jobs_side_by_side_html():
    """A table with side_a_html/side_b_html (the Parquet of rule compare) is shown as it is, not diffed again."""
    row = {"doc_a": "A/RES/72/284", "kind_a": "operative", "number_a": 1, "doc_b": "A/RES/75/291",
           "kind_b": "operative", "number_b": 1, "status": "modified", "similarity": 0.9, "text_a": OLD, "text_b": NEW}
    segs = diff.segments(OLD, NEW, "en")
    (plain,) = report.diff_rows(pd.DataFrame([row]), "en")
    (given,) = report.diff_rows(pd.DataFrame([{**row, "side_a_html": "LEFT", "side_b_html": "RIGHT"}]), "en")
    assert (plain["left"], plain["right"]) == (diff.side_html(segs, "a"), diff.side_html(segs, "b"))
    assert (given["left"], given["right"]) == ("LEFT", "RIGHT")


def test_report_reads_the_compare_parquet(pipeline_run):
    pair = pipeline_run / "results/compare/A_RES_72_284__A_RES_75_291.parquet"
    table = pd.read_parquet(pair)
    csv = pd.read_csv(pair.with_suffix(".csv"))
    assert len(table) == len(csv) and list(csv.columns) == [c for c in table.columns if not c.endswith("_html")]
    page = (pipeline_run / "results/report.html").read_text(encoding="utf-8")
    changed = table[table["status"] != "unchanged"]
    assert all(r.side_b_html in page for r in changed.itertuples() if r.side_b_html)


def section_of(page: str, anchor: str) -> str:
    start = page.index(f'<section id="{anchor}">')
    return page[start:page.index("</section>", start)]


def test_report_tables_are_made_for_reading(pipeline_run):
    page = (pipeline_run / "results/report.html").read_text(encoding="utf-8")
    cells = [text_of(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", page, re.S)]
    assert cells
    counted = [text_of(c).strip() for a in ("documents", "counts", "lead-in-verbs", "series", "term-emergence")
               for c in re.findall(r"<td[^>]*>(.*?)</td>", section_of(page, a), re.S)]
    assert not [c for c in counted if re.fullmatch(r"-?\d+\.0+", c)]       # whole numbers without decimals
    assert not [c for c in cells if c.startswith(("{", "[")) and c.endswith(("}", "]"))]   # no JSON in cells
    # pillar shares: one row per document and kind, one column per pillar
    shares = pd.read_csv(pipeline_run / "results/tables/pillar_shares.csv")
    part = section_of(page, "pillar-shares")
    heads = [text_of(h).strip() for h in re.findall(r"<th[^>]*>(.*?)</th>", part, re.S)]
    assert set(shares["pillar"].astype(str)) <= set(heads)
    assert part.count("<tr") == 1 + shares.groupby(["doc", "lang", "kind"]).ngroups
    # term emergence: the top rows with a link to the whole table, no column of paragraph ids
    terms = pd.read_csv(pipeline_run / "results/tables/term_emergence.csv")
    part = section_of(page, "term-emergence")
    shown = part.count("<tr") - 1
    assert 0 < shown < len(terms) and f"of {len(terms)} rows" in text_of(part)
    assert 'href="tables/term_emergence.csv"' in part and "pids" not in part
    # lead-in verbs: no verb that opens no paragraph anywhere
    verbs = pd.read_csv(pipeline_run / "results/tables/verbs.csv")
    used = verbs.groupby("verb_id")["paragraphs"].sum()
    part = section_of(page, "lead-in-verbs")
    assert all(f">{v}</td>" not in part for v in used[used == 0].index)


def test_report_diff_keeps_the_spaces(pipeline_run):
    """Read as plain text (tags dropped), both sides of each changed pair are the texts themselves, and no two cells
    run together (e.g. "Convincedand convinced", "68/27672/284")."""
    page = (pipeline_run / "results/report.html").read_text(encoding="utf-8")
    part = section_of(page, "alignments")
    plain = html.unescape(re.sub(r"<[^>]+>", "", part))
    for (a, b, lang), table in load_pairs(pipeline_run / "results").items():
        short_a, short_b = a.removeprefix("A/RES/"), b.removeprefix("A/RES/")
        assert short_a + short_b not in plain
        changed = table[table["status"] != "unchanged"]
        for text in list(changed["text_a"].dropna()) + list(changed["text_b"].dropna()):
            if text:
                assert text in plain, text[:80]


def test_report_in_a_browser(pipeline_run):
    """Headless Chromium shows the page without horizontal overflow (page or table); the screenshot is kept in
    results/report.png to look at."""
    from . import browser

    if browser.chromium() is None:
        pytest.skip("no Chromium here (Debian: apt-get install chromium); the page was not looked at in a browser")
    page = pipeline_run / "results/report.html"
    assert browser.overflow(page) == []
    assert browser.overflow(page, width=1024) == []
    png = browser.screenshot(page, pipeline_run / "results/report.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000


def test_a_table_renders_the_same_each_time():
    """pandas gives each Styler a random id; the report sets a stable one, so the same tables give the same page."""
    frame = pd.DataFrame({"doc": ["A/RES/75/291"], "paragraphs": [166]})
    one = report.Table(frame, "results/documents.csv", title="Documents").html()
    assert one == report.Table(frame.copy(), "results/documents.csv", title="Documents").html()
    assert one != report.Table(frame, "results/series.csv", title="Series").html()


def test_agreement_table_shows_only_the_readings_rows():
    ev = pd.DataFrame({"model": ["concepts", "reading", "blind preamble reading"], "class": ["macro avg", "all", "preambular"],
                       "f1": [0.7, None, None], "support": [119, 64, 38], "agreement": [None, 0.844, 0.711],
                       "documents": [None, "A/RES/68/276", "A/RES/72/284"]})
    shown = report.agreement_table(ev).frame
    assert shown["compared"].tolist() == ["reading", "blind preamble reading"]
    assert shown["paragraphs"].tolist() == [64, 38]
    assert "reading" not in report.pillar_eval_table(ev).frame["model"].tolist()
