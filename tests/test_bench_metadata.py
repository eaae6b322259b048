"""bench.metadata: both metadata scorers are cross-validated, each fold fitted without its sites."""

import json

from bench import authors, title
from bench.crossval import FOLDS, fold_of
from bench.data import Doc
from bench.metadata import fold_weights
from boilercut import authorship, headline

PARAGRAPHS = [
    "The city council voted on Monday to close the old river bridge for repairs until spring.",
    "Engineers found cracks in two of its supports during an inspection last month, officials said.",
]
HEADLINES = ["Bridge repairs begin", "Ferry fares rise in March", "Tram line opens downtown",
             "Library extends its hours", "Harbour gets a new crane"]
NAMES = ["Mara Quell", "Tom Lee", "Ana Ruiz", "Jon Bakker", "Lea Roux"]


def page(i: int) -> Doc:
    headline_text, name = HEADLINES[i % len(HEADLINES)], NAMES[i % len(NAMES)]
    other = NAMES[(i + 1) % len(NAMES)]
    text = "\n".join([f"{headline_text} | Site {i}", "Bridges", "Roads", headline_text, f"By {name}",
                      "", *PARAGRAPHS, "", other])
    return Doc(f"d{i}", "", "en", "\n".join(PARAGRAPHS), None, {"page": text, "markdown": text},
               source="test", domain=f"site{i}.example", title=headline_text, author=name)


def test_each_fold_gets_both_scorers_fitted_without_its_own_sites(tmp_path):
    docs = [page(i) for i in range(30)]
    assert len({fold_of(d) for d in docs}) == FOLDS
    paths = fold_weights(docs, tmp_path)
    assert set(paths) == set(range(FOLDS))
    for module, name, reader in ((title, "title", headline.read_weights),
                                 (authors, "byline", authorship.read_weights)):
        rows = module.collect(docs)
        for fold, files in paths.items():
            written = reader(files[name].read_text(encoding="utf-8"))
            expected = title.fit([r for r in rows if fold_of(r[0]) != fold])
            assert written == expected, (name, fold)
            assert json.loads(files[name].read_text(encoding="utf-8"))["features"] == list(module.FEATURES)


def test_the_byline_scorer_reads_markdown_pages_as_the_pipeline_does():
    """A markdown page's candidates come from its visible text, as in the pipeline:
    "**By Mara Quell**" is a labelled byline there, not a bold line of markup."""
    markdown = "\n\n".join(["# Bridge repairs begin", "* [Home](/)", "* [Roads](/roads)",
                            "**By Mara Quell**", *PARAGRAPHS])
    doc = Doc("m1", "", "en", "\n".join(PARAGRAPHS), None, {"page": markdown, "markdown": markdown},
              source="test", domain="m.example", title="Bridge repairs begin", author="Mara Quell")
    (_, _, found, labels), _ = authors.collect([doc])
    byline = [(c, label) for c, label in zip(found, labels) if c.names == ("Mara Quell",)]
    assert len(byline) == 1 and byline[0][1]
    assert byline[0][0].features[authorship.FEATURES.index("prefixed")] == 1.0
