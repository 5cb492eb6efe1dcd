"""Figures: Chinese glyphs render (missing-glyph warnings are failures), thin data is said and not padded, and on the
pipeline's results every figure's data file holds exactly the values of the table it comes from."""

from __future__ import annotations

import io
import warnings
import xml.etree.ElementTree as ET

import matplotlib
import pandas as pd
import pytest
import yaml

from gcts.present import figdata, fonts, plots

from .conftest import ROOT

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

FIGURES = ["pillar_shares", "verb_profile_operative", "verb_profile_preambular", "strength_transitions",
           "alignment_flow", "growth", "term_emergence"]
A, B = "A/RES/72/284", "A/RES/75/291"


def render(chart: plots.Chart) -> None:
    """Draw to PNG and SVG with every warning (a missing glyph among them) turned into an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for fmt in ("png", "svg"):
            chart.fig.savefig(io.BytesIO(), format=fmt)
    plt.close(chart.fig)


# --- fonts --------------------------------------------------------------------------------------------------------

def test_font_comes_from_mplfonts_and_is_registered():
    from matplotlib import font_manager

    path = fonts.cjk_font_path()
    assert path.name == "NotoSansCJKsc-Regular.otf" and "mplfonts" in path.parts
    fonts.setup()
    assert any(f.fname == str(path) for f in font_manager.fontManager.ttflist)
    assert matplotlib.rcParams["font.family"][-1] == fonts.CJK_FAMILY


def test_missing_glyph_warning_is_caught_without_the_font_and_absent_with_it():
    fonts.setup()
    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):  # control: a font without Chinese glyphs
        fig, ax = plt.subplots()
        ax.set_title("敦促")
        with pytest.warns(UserWarning, match="missing from font"):
            fig.savefig(io.BytesIO(), format="png")
        plt.close(fig)
    fig, ax = plt.subplots()
    ax.set_title("urge 敦促, call upon 吁请, 再次明确强烈谴责")
    ax.set_xlabel("外国恐怖主义战斗人员 foreign terrorist fighters")
    render(plots.Chart(fig, ""))


# --- charts on small tables (hand-made alignment tables, marked as fixtures) ------------------------------------

def _alignment_fixture() -> pd.DataFrame:
    """Fixture: 6 decisions between two versions. Old op 3 and op 4 merged into new op 3; old op 5 split into new
    op 4 and op 5; old pp 1 unchanged; old op 1 dropped; new op 1 new."""
    rows = [("preambular", 1, "preambular", 1, "unchanged", "recall", "recall", 0.0),
            ("operative", 1, "", None, "dropped", "encourage", "", None),
            ("", None, "operative", 1, "new", "", "urge", None),
            ("operative", 3, "operative", 3, "merged", "encourage", "urge", 1.0),
            ("operative", 4, "operative", 3, "merged", "invite", "urge", 2.0),
            ("operative", 5, "operative", 4, "split", "urge", "encourage", -1.0),
            ("operative", 5, "operative", 5, "split", "urge", "note", None)]
    df = pd.DataFrame(rows, columns=["kind_a", "number_a", "kind_b", "number_b", "status", "verb_id_a",
                                     "verb_id_b", "strength_delta"])
    df.insert(0, "doc_a", A)
    df.insert(3, "doc_b", B)
    return df


def test_alignment_flow_counts_each_paragraph_once():
    data = figdata.alignment_flow({(A, B, "en"): _alignment_fixture()})
    got = {(r.side, r.status): r.n for r in data.itertuples()}
    assert got == {("a", "unchanged"): 1, ("a", "merged"): 2, ("a", "split"): 1, ("a", "dropped"): 1,
                   ("b", "unchanged"): 1, ("b", "merged"): 1, ("b", "split"): 2, ("b", "new"): 1}
    chart = plots.alignment_flow(data)
    assert "1 aligned pair available" in chart.caption
    render(chart)


def test_strength_transitions_directions():
    data = figdata.strength_transitions({(A, B, "en"): _alignment_fixture()})
    got = {(r.verb_id_a, r.verb_id_b): (r.direction, r.n) for r in data.itertuples()}
    assert got == {("recall", "recall"): ("same verb", 1), ("encourage", "urge"): ("harder", 1),
                   ("invite", "urge"): ("harder", 1), ("urge", "encourage"): ("softer", 1),
                   ("urge", "note"): ("not comparable", 1)}
    assert data["n"].sum() == 5  # matched rows only: the new and the dropped paragraph have no transition
    chart = plots.strength_transitions(data)
    assert "2 harder" in chart.caption and "1 softer" in chart.caption
    render(chart)


def test_no_aligned_pair_is_said_not_drawn():
    for build, draw in ((figdata.alignment_flow, plots.alignment_flow),
                        (figdata.strength_transitions, plots.strength_transitions)):
        data = build({})
        assert data.empty
        chart = draw(data, [])
        assert "no aligned pair available" in chart.caption.lower()
        assert "no aligned pair" in chart.fig.texts[0].get_text().lower() + chart.fig._suptitle.get_text().lower()
        render(chart)


def test_verb_profile_shares_and_chinese_labels(tmp_path):
    lexicon = tmp_path / "verbs.yaml"
    lexicon.write_text("verbs:\n  - {id: urge, zh: [敦促, 促请]}\n  - {id: call_upon, zh: [吁请, 呼吁]}\n"
                       "  - {id: recall, zh: ['{mod}回顾']}\n", encoding="utf-8")
    paragraphs = pd.DataFrame({"lang": ["zh", "zh", "zh"], "verb_id": ["call_upon", "call_upon", "urge"],
                               "verb": ["呼吁", "又呼吁", "敦促"]})
    labels = figdata.verb_labels(lexicon, paragraphs)
    assert labels == {"urge": "urge 敦促", "call_upon": "call upon 呼吁", "recall": "recall 回顾"}
    documents = pd.DataFrame({"doc": ["A/RES/68/276", A], "lang": ["zh", "en"], "review": [4, 6],
                              "adopted": ["2014-06-13", "2018-06-26"], "operative": [43, 85],
                              "preambular": [21, 38]})
    verbs = pd.DataFrame({"doc": ["A/RES/68/276", "A/RES/68/276", A, A], "lang": ["zh", "zh", "en", "en"],
                          "kind": ["operative"] * 4, "verb_id": ["urge", "call_upon", "urge", "invite"],
                          "paragraphs": [4, 2, 10, 0], "secondary": [0, 1, 2, 3]})
    data = figdata.verb_profile(verbs, documents, "operative", labels)
    assert dict(zip(zip(data["doc"], data["verb_id"]), data["share"])) == pytest.approx(
        {("A/RES/68/276", "urge"): 4 / 43, ("A/RES/68/276", "call_upon"): 2 / 43, (A, "urge"): 10 / 85})
    render(plots.verb_profile(data, "operative"))
    empty = figdata.verb_profile(verbs, documents, "preambular", labels)
    assert empty.empty
    render(plots.verb_profile(empty, "preambular"))


def test_growth_marks_missing_reviews_as_missing_not_zero():
    manifest = pd.DataFrame({"symbol": ["A/RES/66/282", A], "review": [3, 6], "adopted": ["2012-06-29", "2018-06-26"]})
    documents = pd.DataFrame({"doc": [A], "lang": ["en"], "preambular": [38], "operative": [85]})
    data = figdata.growth(documents, manifest)
    missing = data[data["doc"] == "A/RES/66/282"]
    assert len(missing) == 1 and not missing["available"].iloc[0] and missing["n"].isna().all()
    assert data.loc[data["available"], "n"].tolist() == [38, 85]
    chart = plots.growth(data)
    assert "66/282" in chart.caption
    render(chart)


def _shares(kind, counts, doc=A, lang="en"):
    """A pillar_shares.csv fragment: counts per pillar of one document and kind."""
    total = sum(counts.values())
    return pd.DataFrame([{"doc": doc, "lang": lang, "review": 6, "kind": kind, "pillar": p, "n": n, "n_override": 0,
                          "total": total, "share": n / total} for p, n in counts.items()])


def test_pillar_shares_leave_general_out_of_the_four_pillars():
    data = figdata.pillar_shares(_shares("operative", {"G": 2, "I": 1, "II": 2, "III": 0, "IV": 1}))
    assert dict(zip(data["pillar"], data["share"])) == {"I": 0.25, "II": 0.5, "III": 0.0, "IV": 0.25}
    assert set(data["general"]) == {2} and set(data["pillar_total"]) == {4} and set(data["paragraphs"]) == {6}
    render(plots.pillar_shares(data))
    render(plots.pillar_shares(figdata.pillar_shares(_shares("all", {"G": 1}).iloc[0:0])))


def test_save_writes_four_files(tmp_path):
    data = figdata.pillar_shares(_shares("all", {"G": 1, "I": 1, "II": 1, "III": 0, "IV": 0}))
    out = {k: tmp_path / f"x.{k}" for k in ("png", "svg", "data.csv", "caption.rst")}
    plots.save(plots.pillar_shares(data), data, *out.values())
    assert out["png"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    ET.parse(out["svg"])
    pd.testing.assert_frame_equal(pd.read_csv(out["data.csv"]), data, check_dtype=False)
    assert out["caption.rst"].read_text(encoding="utf-8").startswith("**")


def test_term_emergence_renders_chinese_terms():
    terms = pd.DataFrame({"lang": "zh", "doc": "A/RES/70/291", "review": 5, "previous": "A/RES/68/276",
                          "rank": [1, 2], "term": ["外国恐怖主义战斗人员", "暴力极端主义"], "count": [5, 3],
                          "paragraphs": [4, 3], "g2": [6.9, 4.1]})  # fixture: a made-up emergence table
    data = figdata.term_emergence(terms, top=1)
    assert data["term"].tolist() == ["外国恐怖主义战斗人员"]
    versions = {"zh": [("A/RES/68/276", "2014-06-13"), ("A/RES/70/291", "2016-07-01")],
                "en": [("A/RES/72/284", "2018-06-26")]}
    chart = plots.term_emergence(data, versions, top=1)
    assert "en: only one version available (72/284)" in chart.caption
    render(chart)
    render(plots.term_emergence(data.iloc[0:0], {"zh": [("A/RES/68/276", "2014-06-13")]}, top=1))


# --- many versions: per-version figures show the most recent ones (figures.max_versions) --------------------------

PER_VERSION = ["pillar_shares", "verb_profile_operative", "verb_profile_preambular", "strength_transitions",
               "alignment_flow", "term_emergence"]
LABELS = {"urge": "urge 敦促", "call_upon": "call upon 吁请", "recall": "recall 回顾"}


def _series(n: int) -> pd.DataFrame:
    """Fixture: documents.csv of n made-up versions A/RES/999/1..n in review order, every third one Chinese (as
    gcts.bench.scaling makes them); "A/RES/999/10" sorts before "A/RES/999/9" as a string."""
    rows = [{"doc": f"A/RES/999/{i + 1}", "lang": "zh" if i % 3 == 2 else "en", "review": i,
             "adopted": str(pd.Timestamp("2000-01-01").date() + pd.Timedelta(days=30 * i)),
             "preambular": 20 + i % 5, "operative": 40 + i % 7} for i in range(n)]
    return pd.DataFrame(rows)


def _inputs(docs: pd.DataFrame) -> dict:
    """Fixture: small made-up tables for every version and every consecutive pair of `docs`, in the shapes of
    pillar_shares.csv, verbs.csv, term_emergence.csv and results/compare/<A>__<B>.csv."""
    shares, verbs, terms, tables = [], [], [], {}
    for lang, g in docs.groupby("lang"):
        previous = None
        for k, d in enumerate(g.itertuples()):
            for kind in figdata.PILLAR_KINDS:
                counts = {"G": 2, "I": 1 + k % 3, "II": 3, "III": 1, "IV": k % 2}
                shares.append(_shares(kind, counts, d.doc, lang).assign(review=d.review))
            for kind in figdata.KINDS:
                verbs += [{"doc": d.doc, "lang": lang, "review": d.review, "kind": kind, "verb_id": v,
                           "paragraphs": 1 + (k + j) % 4, "secondary": 0} for j, v in enumerate(LABELS)]
            if previous is not None:
                words = ["外国恐怖主义战斗人员", "暴力极端主义", "网络"] if lang == "zh" else ["new term", "other", "last"]
                terms += [{"lang": lang, "doc": d.doc, "review": d.review, "previous": previous, "rank": r + 1,
                           "term": w, "count": 3 - r, "paragraphs": 1, "g2": 5.0 - r} for r, w in enumerate(words)]
                table = _alignment_fixture().assign(doc_a=previous, doc_b=d.doc, lang=lang)
                tables[previous, d.doc, lang] = table
            previous = d.doc
    return {"shares": pd.concat(shares, ignore_index=True), "verbs": pd.DataFrame(verbs),
            "terms": pd.DataFrame(terms), "tables": tables}


def _draw(docs: pd.DataFrame, most: int) -> dict[str, tuple[plots.Chart, pd.DataFrame]]:
    """The per-version figures of `docs` as the rule draws them with figures.max_versions = most."""
    inputs = _inputs(docs)
    recent = figdata.recent(docs, most)
    seen = figdata.shown(recent["lang"], docs["lang"])
    keep = figdata.recent_pairs(list(inputs["tables"]), docs, most)
    tables = {k: inputs["tables"][k] for k in keep}
    pairs_seen = figdata.shown([lang for _, _, lang in keep], [lang for _, _, lang in inputs["tables"]])
    out = {}
    data = figdata.pillar_shares(figdata.within(inputs["shares"], recent))
    out["pillar_shares"] = plots.pillar_shares(data, seen), data
    for kind in figdata.KINDS:
        data = figdata.verb_profile(figdata.within(inputs["verbs"], recent), recent, kind, LABELS)
        out[f"verb_profile_{kind}"] = plots.verb_profile(data, kind, seen), data
    data = figdata.strength_transitions(tables)
    out["strength_transitions"] = plots.strength_transitions(data, keep, pairs_seen), data
    data = figdata.alignment_flow(tables)
    out["alignment_flow"] = plots.alignment_flow(data, keep, pairs_seen), data
    data = figdata.term_emergence(figdata.within(inputs["terms"], recent), 3)
    out["term_emergence"] = plots.term_emergence(data, figdata.versions(docs), 3, seen), data
    return out


def _last(docs: pd.DataFrame, lang: str, n: int) -> list[str]:
    return docs[docs["lang"] == lang].sort_values("review")["doc"].tolist()[-n:]


def _within_cap(chart: plots.Chart) -> bool:
    width, height = chart.fig.get_size_inches()
    return width <= plots.MAX_WIDTH and height <= plots.MAX_HEIGHT


def test_many_versions_draw_only_the_most_recent_and_say_so():
    docs = _series(60)  # 40 en, 20 zh
    figures = _draw(docs, most=8)
    recent = {(d, lang) for lang in ("en", "zh") for d in _last(docs, lang, 8)}
    pairs = {(a, b, lang) for lang in ("en", "zh") for a, b in zip(_last(docs, lang, 9), _last(docs, lang, 9)[1:])}
    for name, (chart, data) in figures.items():
        assert _within_cap(chart), name
        if name in ("strength_transitions", "alignment_flow"):
            assert set(zip(data["doc_a"], data["doc_b"], data["lang"])) == pairs, name
            assert "16 most recent of 58 aligned pairs shown" in chart.fig.get_suptitle()
            assert ("Shows the 8 most recent of 39 English aligned pairs and the 8 most recent of 19 Chinese aligned "
                    "pairs; all aligned pairs are in ``results/compare/``") in chart.caption, name
            assert sum(ax.axison for ax in chart.fig.axes) == 16, name  # 8 panels per language
        else:
            assert set(zip(data["doc"], data["lang"])) == recent, name
            noun = "versions" if name == "term_emergence" else "documents"
            assert (f"Shows the 8 most recent of 40 English {noun} and the 8 most recent of 20 Chinese {noun}"
                    in chart.caption), name
    ax = figures["verb_profile_operative"][0].fig.axes[0]
    assert len(ax.get_xticklabels()) == 16  # one column per document shown
    assert "most recent versions shown: 8 of 40 en, 8 of 20 zh" in ax.get_title()
    assert sum(ax.axison for ax in figures["term_emergence"][0].fig.axes) == 16
    for chart, _ in figures.values():
        render(chart)  # Chinese renders and the layout fits: every warning is an error


def test_few_versions_leave_nothing_out_and_say_nothing_about_it():
    docs = _series(5)  # 4 en, 1 zh
    figures = _draw(docs, most=8)
    for name, (chart, data) in figures.items():
        if name in ("strength_transitions", "alignment_flow"):
            assert len(set(zip(data["doc_a"], data["doc_b"]))) == 3, name  # every en pair, no zh pair
            assert "3 aligned pairs available" in chart.caption, name
        elif name == "term_emergence":
            assert set(data["doc"]) == set(_last(docs, "en", 3)), name  # every version with a predecessor
            assert "zh: only one version available" in chart.caption
        else:
            assert len(set(zip(data["doc"], data["lang"]))) == 5, name
        for text in (chart.caption, chart.fig.get_suptitle(), *(ax.get_title() for ax in chart.fig.axes)):
            assert "most recent" not in text and "max_versions" not in text, name
        render(chart)


def test_figure_size_is_capped_when_every_version_is_drawn():
    figures = _draw(_series(30), most=100)  # 20 en, 10 zh: uncapped, every one of these figures would be larger
    for name, (chart, data) in figures.items():
        assert _within_cap(chart), name
        assert "most recent" not in chart.caption, name
        plt.close(chart.fig)
    top, middle, _ = figures["pillar_shares"][0].fig.axes  # one panel per kind of paragraph, one above the other
    assert top.get_subplotspec().rowspan.start == 0 and middle.get_subplotspec().rowspan.start == 1


def test_pair_paths_come_from_file_names_without_reading(tmp_path):
    from gcts.present import results

    docs = _series(4)  # en: 1, 2, 4; zh: 3
    both = pd.concat([docs, docs.iloc[[0, 1]].assign(lang="zh")], ignore_index=True)
    names = ["A_RES_999_1__A_RES_999_2.csv", "A_RES_999_2__A_RES_999_4.csv"]
    for name in names:
        (tmp_path / name).write_text("not an alignment table", encoding="utf-8")  # never read
    got = results.pair_paths([tmp_path / n for n in names], both)
    assert got == {("A/RES/999/1", "A/RES/999/2", "en"): tmp_path / names[0],
                   ("A/RES/999/1", "A/RES/999/2", "zh"): tmp_path / names[0],
                   ("A/RES/999/2", "A/RES/999/4", "en"): tmp_path / names[1]}
    assert figdata.recent_pairs(list(got), both, 1) == [("A/RES/999/2", "A/RES/999/4", "en"),
                                                       ("A/RES/999/1", "A/RES/999/2", "zh")]


def test_rule_script_reads_only_the_pairs_it_draws(tmp_path, monkeypatch):
    """workflow/scripts/figures.py on files of 18 versions with max_versions 4: the older alignment tables are not
    valid tables, so reading one would fail; the data files hold the 4 most recent versions of each language."""
    import logging
    import runpy

    from gcts import runlog
    from gcts.sources.manifest import symbol_stem

    from .conftest import LEXICON, ROOT

    docs = _series(18)  # 12 en, 6 zh
    inputs = _inputs(docs)
    docs.assign(title="", file="").to_csv(tmp_path / "documents.csv", index=False)
    inputs["shares"].to_csv(tmp_path / "shares.csv", index=False)
    inputs["verbs"].to_csv(tmp_path / "verbs.csv", index=False)
    inputs["terms"].to_csv(tmp_path / "terms.csv", index=False)
    pd.DataFrame({"lang": ["zh"], "verb": ["吁请"], "verb_id": ["call_upon"]}).to_parquet(tmp_path / "p.parquet")
    manifest = docs[["doc", "adopted", "review"]].rename(columns={"doc": "symbol"}).assign(title="", session="999")
    for col in ("zh_path", "zh_sha256", "zh_source", "en_path", "en_sha256", "en_source"):
        manifest[col] = ""
    manifest.to_csv(tmp_path / "manifest.csv", index=False)
    recent = {lang: _last(docs, lang, 5) for lang in ("en", "zh")}
    shown = {(a, b, lang) for lang, v in recent.items() for a, b in zip(v, v[1:])}
    paths = []
    for (a, b, lang), table in inputs["tables"].items():
        paths.append(tmp_path / f"{symbol_stem(a)}__{symbol_stem(b)}.csv")
        if (a, b, lang) in shown:
            table.to_csv(paths[-1], index=False)
        else:
            paths[-1].write_text("not,an\nalignment,table\n", encoding="utf-8")

    class Files(dict):  # snakemake's input, output and params: items that are also attributes
        def __getattr__(self, name):
            try:
                return self[name]
            except KeyError:
                raise AttributeError(name) from None

    out = Files()
    for name in FIGURES:
        out[f"{name}_png"], out[f"{name}_svg"] = tmp_path / f"{name}.png", tmp_path / f"{name}.svg"
        out[f"{name}_data"], out[f"{name}_caption"] = tmp_path / f"{name}.data.csv", tmp_path / f"{name}.caption.rst"
    inp = Files(shares=tmp_path / "shares.csv", verbs=tmp_path / "verbs.csv", paragraphs=tmp_path / "p.parquet",
                lexicon=LEXICON, pairs=paths, documents=tmp_path / "documents.csv",
                manifest=tmp_path / "manifest.csv", terms=tmp_path / "terms.csv",
                hide_terms=ROOT / "workflow/resources/figure_terms.yaml")
    job = Files(input=inp, output=out, log=[None], params=Files(names=FIGURES, top=3, max_versions=4))
    monkeypatch.setattr(runlog, "start", lambda path: logging.getLogger("gcts"))
    runpy.run_path(str(ROOT / "workflow/scripts/figures.py"), init_globals={"snakemake": job})

    for name in FIGURES:
        width, height = _png_size(out[f"{name}_png"])
        assert width <= 150 * plots.MAX_WIDTH and height <= 150 * plots.MAX_HEIGHT, name
    data = _fig_data(out, "alignment_flow")
    assert set(zip(data["doc_a"], data["doc_b"], data["lang"])) == shown
    for name in ("verb_profile_operative", "pillar_shares", "term_emergence"):
        data = _fig_data(out, name)
        assert set(zip(data["doc"], data["lang"])) == {(d, lang) for lang, v in recent.items() for d in v[1:]}, name
        caption = out[f"{name}_caption"].read_text(encoding="utf-8")
        assert "the 4 most recent of 12 English" in caption and "the 4 most recent of 6 Chinese" in caption, name
    assert len(_fig_data(out, "growth")) == 2 * 18  # growth keeps every review


def _png_size(path) -> tuple[int, int]:
    head = path.read_bytes()[16:24]
    return int.from_bytes(head[:4], "big"), int.from_bytes(head[4:], "big")


def _fig_data(out, name) -> pd.DataFrame:
    return pd.read_csv(out[f"{name}_data"], keep_default_na=False, na_values=[""])


# --- the pipeline's figures against the tables they come from -------------------------------------------------

def _fig(run, name) -> pd.DataFrame:
    return pd.read_csv(run / "results/figures" / f"{name}.data.csv", keep_default_na=False, na_values=[""])


def _table(run, rel) -> pd.DataFrame:
    return pd.read_csv(run / "results" / rel, keep_default_na=False, na_values=[""])


def test_every_figure_is_written(pipeline_run):
    for name in FIGURES:
        base = pipeline_run / "results/figures" / name
        assert base.with_suffix(".png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name
        ET.parse(base.with_suffix(".svg"))
        assert base.with_name(f"{name}.data.csv").exists()
        assert base.with_name(f"{name}.caption.rst").read_text(encoding="utf-8").startswith("**"), name
    for job in ("figures", "change_figures"):                                  # two jobs draw them all
        assert (pipeline_run / f"results/benchmarks/{job}.tsv").exists()


def test_growth_equals_documents_and_series(pipeline_run):
    data = _fig(pipeline_run, "growth")
    docs = _table(pipeline_run, "documents.csv").set_index(["doc", "lang"])
    series = _table(pipeline_run, "tables/series.csv").set_index(["doc", "lang"])
    avail = data[data["available"]]
    assert len(avail) == 2 * len(docs)
    for r in avail.itertuples():
        assert r.n == docs.loc[(r.doc, r.lang), r.kind] == series.loc[(r.doc, r.lang), r.kind]
    manifest = pd.read_csv(pipeline_run / "data/resolutions.csv")
    missing = set(manifest["symbol"]) - {d for d, _ in docs.index}
    assert set(data.loc[~data["available"], "doc"]) == missing and data.loc[~data["available"], "n"].isna().all()


@pytest.mark.parametrize("kind", ["operative", "preambular"])
def test_verb_profile_equals_verb_table(pipeline_run, kind):
    data = _fig(pipeline_run, f"verb_profile_{kind}")
    verbs = _table(pipeline_run, "tables/verbs.csv")
    verbs = verbs[(verbs["kind"] == kind) & (verbs["paragraphs"] > 0)]
    got = sorted(zip(data["doc"], data["lang"], data["verb_id"], data["n"]))
    assert got == sorted(zip(verbs["doc"], verbs["lang"], verbs["verb_id"], verbs["paragraphs"]))
    paragraphs = pd.read_parquet(pipeline_run / "results/paragraphs.parquet")
    paragraphs = paragraphs[paragraphs["kind"] == kind]
    counted = paragraphs.groupby(["doc", "lang", "verb_id"]).size()
    assert all(counted[(r.doc, r.lang, r.verb_id)] == r.n for r in data.itertuples())
    totals = paragraphs.groupby(["doc", "lang"]).size()
    for r in data.itertuples():
        assert totals[(r.doc, r.lang)] == r.total and r.share == pytest.approx(r.n / r.total)
    assert data["label"].str.contains(r"[\u4e00-\u9fff]").any()  # Chinese forms in the labels


def test_pillar_shares_equal_pillar_table_and_labels(pipeline_run):
    data = _fig(pipeline_run, "pillar_shares")
    shares = _table(pipeline_run, "tables/pillar_shares.csv").set_index(["doc", "lang", "kind", "pillar"])
    paragraphs = pd.read_parquet(pipeline_run / "results/paragraphs.parquet")
    assert set(data["kind"]) == {"all", "operative", "preambular"}
    assert len(data) == 4 * len(shares.reset_index()[["doc", "lang", "kind"]].drop_duplicates())
    for r in data.itertuples():
        assert r.n == shares.loc[(r.doc, r.lang, r.kind, r.pillar), "n"]
        sub = paragraphs[(paragraphs["doc"] == r.doc) & (paragraphs["lang"] == r.lang)]
        sub = sub if r.kind == "all" else sub[sub["kind"] == r.kind]
        assert r.n == (sub["pillar"] == r.pillar).sum() and r.general == (sub["pillar"] == "G").sum()
        assert r.pillar_total == sub["pillar"].isin(figdata.PILLARS).sum() and r.paragraphs == len(sub)
        assert r.share == pytest.approx(r.n / r.pillar_total)


def _compare_tables(run):
    from gcts.present.results import pairs

    return pairs(run / "results")


def test_alignment_flow_equals_compare_tables(pipeline_run):
    data = _fig(pipeline_run, "alignment_flow")
    paragraphs = pd.read_parquet(pipeline_run / "results/paragraphs.parquet")
    tables = _compare_tables(pipeline_run)
    assert sorted(set(zip(data["doc_a"], data["doc_b"], data["lang"]))) == sorted(tables)
    for (a, b, lang), table in tables.items():
        sub = data[(data["doc_a"] == a) & (data["doc_b"] == b) & (data["lang"] == lang)]
        for side, doc in (("a", a), ("b", b)):
            rows = table.dropna(subset=[f"number_{side}"]).drop_duplicates([f"kind_{side}", f"number_{side}"])
            expected = rows["status"].value_counts().to_dict()
            assert dict(zip(sub.loc[sub["side"] == side, "status"], sub.loc[sub["side"] == side, "n"])) == expected
            side_lang = lang.split("-")[0 if side == "a" else -1]   # "zh-en": a cross-lingual pair
            n_paragraphs = ((paragraphs["doc"] == doc) & (paragraphs["lang"] == side_lang)).sum()
            assert sub.loc[sub["side"] == side, "n"].sum() == n_paragraphs  # every paragraph once
    caption = (pipeline_run / "results/figures/alignment_flow.caption.rst").read_text(encoding="utf-8")
    assert f"{len(tables)} aligned pair{'s' if len(tables) != 1 else ''} available" in caption


def test_strength_transitions_equal_compare_tables(pipeline_run):
    data = _fig(pipeline_run, "strength_transitions")
    for (a, b, lang), table in _compare_tables(pipeline_run).items():
        matched = table[table["status"].isin(figdata.MATCHED)]
        sub = data[(data["doc_a"] == a) & (data["doc_b"] == b) & (data["lang"] == lang)]
        assert sub["n"].sum() == len(matched)
        for r in sub.itertuples():
            same = (matched["verb_id_a"] == r.verb_id_a) & (matched["verb_id_b"] == r.verb_id_b)
            delta = pd.to_numeric(matched["strength_delta"])
            same &= delta.isna() if pd.isna(r.strength_delta) else delta == r.strength_delta
            assert same.sum() == r.n
            if r.direction in ("harder", "softer"):
                assert (r.strength_delta > 0) == (r.direction == "harder")


def test_term_emergence_equals_term_table(pipeline_run):
    import yaml

    top = yaml.safe_load((pipeline_run / "workflow/config.yaml").read_text(encoding="utf-8"))["figures"]["top_terms"]
    data = _fig(pipeline_run, "term_emergence")
    terms = _table(pipeline_run, "tables/term_emergence.csv")
    terms = terms[terms["rank"] <= top]
    cols = ["lang", "doc", "rank", "term", "count", "g2"]
    pd.testing.assert_frame_equal(data[cols].sort_values(cols).reset_index(drop=True),
                                  terms[cols].sort_values(cols).reset_index(drop=True), check_dtype=False)
    docs = _table(pipeline_run, "documents.csv")
    caption = (pipeline_run / "results/figures/term_emergence.caption.rst").read_text(encoding="utf-8")
    for lang, g in docs.groupby("lang"):
        if len(g) == 1:  # thin data is said: one version only in this language
            assert f"{lang}: only one version available" in caption


def test_term_emergence_keeps_ties_together_and_leaves_out_boilerplate():
    """Fixture: a made-up emergence table; six terms tied at the top, a session name and a fragment among them."""
    terms = pd.DataFrame({"lang": "en", "doc": "A/RES/75/291", "review": 7, "previous": "A/RES/72/284",
                          "rank": range(1, 11),
                          "term": ["seventy-fifth session", "basis of xenophobia", "virtual assets", "hate speech",
                                   "civil aviation", "field presence", "terrorist content", "emerging threats",
                                   "religious sites", "report thereon"],
                          "count": [4, 4, 3, 3, 3, 3, 2, 2, 2, 2], "paragraphs": 1,
                          "g2": [3.861, 3.861, 2.896, 2.896, 2.896, 2.896, 1.93, 1.93, 1.93, 1.93]})
    hide = yaml.safe_load((ROOT / "workflow/resources/figure_terms.yaml").read_text(encoding="utf-8"))["hide"]
    data = figdata.term_emergence(terms, top=5, hide=hide)
    # the best group (4 terms tied at 2.896) is whole; the next (3 tied at 1.93) would pass 5: left out, not cut
    assert sorted(data["term"]) == ["civil aviation", "field presence", "hate speech", "virtual assets"]
    assert set(data["hidden"]) == {3} and set(data["not_shown"]) == {3} and set(data["group_size"]) == {4}
    chart = plots.term_emergence(data, {"en": [("A/RES/72/284", "2018"), ("A/RES/75/291", "2021")]}, top=5)
    assert "4 shown, 3 of lower keyness not shown, 3 left out" in chart.caption
    texts = [t.get_text() for ax in chart.fig.axes for t in ax.texts]
    assert any("civil aviation, field presence, hate speech, virtual assets" in t for t in texts)
    assert not any("session" in t or "basis of" in t for t in texts)
    render(chart)


def test_strength_transitions_say_what_the_numbers_mean():
    data = figdata.strength_transitions({(A, B, "en"): _alignment_fixture()})
    chart = plots.strength_transitions(data)
    assert "+0.5 is half the axis harder" in chart.caption and "of 5 matched paragraphs" in chart.fig.axes[0].get_title()
    texts = [t.get_text() for t in chart.fig.axes[0].texts]
    assert any(t.startswith("harder verb (2): ") for t in texts) and any("not comparable (1)" in t for t in texts)
    render(chart)
