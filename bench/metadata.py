"""Metadata figures on train: title and authors against the WCXB gold, by grouped CV.

Run from the repository root::

    python -m bench.metadata                       # page and markdown variants
    python -m bench.metadata --variants page article recall markdown

Title and author gold exist for the WCXB pages of train (1,219 and 608 pages).
A value is scored as exact match after case folding and punctuation/whitespace
normalisation (:func:`normal`) and as token F1; a list of authors is joined
with "; " as the gold joins it. Each figure is given again over the pages whose
gold occurs in the input (normalised), separating what is findable from what
is not; authors named on the WCXB pages that have no gold author are counted
apart (they are wrong). The headline and byline scorers are fitted on train, so each page is
cleaned with weights fitted on the other folds' sites (:mod:`bench.crossval`).
"""

from __future__ import annotations

import argparse
import datetime
import json
import tempfile
from collections.abc import Sequence
from pathlib import Path

import regex

from bench.crossval import FOLDS, fold_of
from bench.data import load_set
from bench.quality import markdown_table

_PUNCT = regex.compile(r"[\p{P}\p{S}\s]+")
ALL_VARIANTS = ("page", "article", "recall", "markdown")


def normal(text: str | None) -> str:
    """Case-folded, punctuation and whitespace collapsed to single spaces."""
    return " ".join(_PUNCT.sub(" ", (text or "").casefold()).split())


def token_f1(found: str | None, gold: str) -> float:
    """F1 of the normalised tokens (as multisets) of ``found`` against ``gold``."""
    from collections import Counter

    a, b = Counter(normal(found).split()), Counter(normal(gold).split())
    common = sum((a & b).values())
    if not common:
        return 0.0
    precision, recall = common / sum(a.values()), common / sum(b.values())
    return 2 * precision * recall / (precision + recall)


def field_scores(pairs: Sequence[tuple[str | None, str, str]]) -> dict[str, float]:
    """``pairs`` of (found, gold, input): exact and token F1, over all and over findable pages."""
    findable = [p for p in pairs if normal(p[1]) and normal(p[1]) in normal(p[2])]

    def figures(rows):
        n = len(rows) or 1
        return (sum(normal(f) == normal(g) for f, g, _ in rows) / n,
                sum(token_f1(f, g) for f, g, _ in rows) / n)

    exact, f1 = figures(pairs)
    exact_in, f1_in = figures(findable)
    return {"pages": len(pairs), "exact": exact, "token_f1": f1,
            "findable": len(findable), "findable_exact": exact_in, "findable_token_f1": f1_in}


def fold_weights(docs, folder: Path) -> dict[int, dict[str, Path]]:
    """Per fold, the headline and byline scorers' weights fitted on the other folds' pages,
    as pipeline options (``{filter: {"weights": path}}``)."""
    from bench import authors, title

    scorers = {"title": (title, title.collect(docs)), "byline": (authors, authors.collect(docs))}
    out: dict[int, dict[str, Path]] = {}
    for fold in range(FOLDS):
        for name, (module, rows) in scorers.items():
            weights = title.fit([r for r in rows if fold_of(r[0]) != fold])
            path = folder / f"{name}{fold}.json"
            path.write_text(json.dumps({"features": module.FEATURES, "weights": weights}), encoding="utf-8")
            out.setdefault(fold, {})[name] = path
    return out


def measure(variants: Sequence[str]) -> dict[str, dict[str, dict[str, float]]]:
    """Title and authors figures per variant, each page cleaned with its fold's scorers."""
    from bench import authors, title
    from boilercut import Pipeline

    # the scorers are fitted on these variants
    loaded = list(dict.fromkeys([*variants, *title.VARIANTS, *authors.VARIANTS]))
    docs = [d for d in load_set("train", loaded) if d.title or d.author]
    paths = fold_weights(docs, Path(tempfile.mkdtemp(prefix="boilercut-metadata-")))
    pipelines = {fold: Pipeline.from_config({"options": {name: {"weights": str(path)}
                                                         for name, path in scorers.items()}})
                 for fold, scorers in paths.items()}
    out = {}
    for variant in variants:
        titles, authors_found, authorless = [], [], []
        for doc in docs:
            text = doc.inputs[variant]
            meta = pipelines[fold_of(doc)].run(text).metadata
            if doc.title:
                titles.append((meta["title"], doc.title, text))
            if doc.author:
                authors_found.append(("; ".join(meta["authors"]), doc.author, text))
            elif authors.has_author_gold(doc):
                authorless.append(bool(meta["authors"]))
        out[variant] = {"title": field_scores(titles), "authors": field_scores(authors_found),
                        "authorless": {"pages": len(authorless),
                                       "given": sum(authorless) / max(1, len(authorless))}}
    return out


def table(results: dict) -> str:
    rows = []
    for variant, fields in results.items():
        for name, f in fields.items():
            if name == "authorless":
                continue
            rows.append([variant, name, str(f["pages"]), f"{f['exact']:.3f}", f"{f['token_f1']:.3f}",
                         str(f["findable"]), f"{f['findable_exact']:.3f}", f"{f['findable_token_f1']:.3f}"])
    return markdown_table(["variant", "field", "pages", "exact", "token F1", "findable pages",
                           "exact (findable)", "token F1 (findable)"], rows)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.metadata", description=__doc__.split("\n")[0])
    parser.add_argument("--variants", nargs="+", choices=ALL_VARIANTS, default=["page", "markdown"])
    args = parser.parse_args(argv)
    results = measure(args.variants)
    print(f"boilercut metadata on train (WCXB gold), {datetime.date.today().isoformat()}, "
          f"headline and byline scorers cross-validated ({FOLDS} folds grouped by site)\n")
    print(table(results))
    print("\nAuthors named on pages whose gold has none (WCXB pages without an author): " + ", ".join(
        f"{v} {f['authorless']['given']:.3f}" for v, f in results.items())
        + f" of {next(iter(results.values()))['authorless']['pages']} pages")


if __name__ == "__main__":
    main()
