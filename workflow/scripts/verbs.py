"""Rule verbs: lead-in verb, modifiers, strength and secondary verbs of every paragraph."""

from pathlib import Path

import pandas as pd

from gcts.annotate.lexicon import load_verb_lexicon, load_scale
from gcts.runlog import start
from gcts.annotate.verbs import VerbTagger, unknown_verbs, verb_counts, write_verbs

log = start(snakemake.log[0])
inp, out = snakemake.input, snakemake.output
paragraphs = pd.read_parquet(inp.paragraphs)
lexicon = load_verb_lexicon(inp.lexicon)
tagger = VerbTagger(lexicon, load_scale(inp.scales, snakemake.params.scale))
verbs = tagger.tag(paragraphs)
write_verbs(verbs, out.verbs)
Path(out.counts).parent.mkdir(parents=True, exist_ok=True)
verb_counts(verbs, paragraphs, lexicon).to_csv(out.counts, index=False)
unknown = unknown_verbs(verbs, paragraphs)
unknown.to_csv(out.unknown, index=False)

agree = tagger.bold_agreement(paragraphs)
log.info("%d paragraphs; scale %s; verb source: %s", len(verbs), snakemake.params.scale,
         verbs["verb_source"].value_counts().to_dict())
log.info("bold lead-ins read the same from the lexicon: %d of %d", int(agree["agree"].sum()), len(agree))
for row in agree[~agree["agree"]].itertuples():
    log.warning("%s: bold %r (%s), lexicon %r (%s)", row.pid, row.bold, row.bold_id, row.lexicon, row.lexicon_id)
log.info("%d secondary verbs", int(verbs["secondary_verbs"].map(len).sum()))
if len(unknown):
    log.warning("%d lead-ins are not in the lexicon; see %s", len(unknown), out.unknown)
