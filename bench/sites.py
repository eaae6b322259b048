"""Site profiles, leave-one-out: each page cleaned with a profile of its site's other pages.

On train's sites with at least three pages, every page is cleaned twice with the
pipeline of its cross-validation fold (so the line model never saw the site):
without a profile, and with a profile learned from K of the site's other pages
(K = 2, 5, 10 and all; the first K in manifest order). A naive baseline drops
every line (digits masked) seen on half of the other pages, then cleans.
Figures: shingle P, R and F1 as in :mod:`bench.quality`, on the pages of those
sites, and what learning costs.

    python -m bench.sites [--variants page article recall markdown] [--folds DIR]

Markdown is scored on the text a reader sees (link targets and image sources
left out of input, output and gold alike).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from bench.data import VARIANTS, Doc, load_set
from bench.metric import aggregate, score_document
from bench.quality import markdown_table

SIZES = (2, 5, 10, None)
MIN_SITE_PAGES = 3
_LINK_TARGET = re.compile(r"(\]\([^)\n]*\))|(!\[)")


def visible(text: str) -> str:
    """Markdown as a reader sees it: ``[text](url)`` as ``[text]``, ``![alt](src)`` as ``[alt]``."""
    return _LINK_TARGET.sub(lambda m: "]" if m.group(1) else "[", text)


def multi_page_sites(docs: Sequence[Doc], minimum: int = MIN_SITE_PAGES) -> dict[str, list[Doc]]:
    """Pages by domain, for the domains with at least ``minimum`` pages."""
    sites: dict[str, list[Doc]] = defaultdict(list)
    for doc in docs:
        if doc.domain:
            sites[doc.domain].append(doc)
    return {site: pages for site, pages in sites.items() if len(pages) >= minimum}


def naive_clean(pipeline, text: str, profile) -> str:
    """The naive baseline: drop lines seen on half of the other pages, then clean."""
    keep = [line for line in text.split("\n")
            if not line.strip() or profile.count(line) < 0.5 * profile.documents]
    return pipeline.run("\n".join(keep)).body


def evaluate(sites: dict[str, list[Doc]], variants: Sequence[str], pipelines, fold_of,
             sizes: Sequence[int | None] = SIZES) -> dict:
    """Per variant and system, the aggregate scores over every page of ``sites``."""
    from boilercut.sites import SiteProfile

    scores: dict[tuple[str, str], list] = defaultdict(list)
    learn_seconds, learned_docs, profile_keys = 0.0, 0, []
    for variant in variants:
        _progress(f"leave-one-out on {variant}")
        show = visible if variant == "markdown" else (lambda text: text)
        for pages in sites.values():
            for doc in pages:
                pipeline = pipelines[fold_of(doc)]
                text, gold = doc.inputs[variant], show(doc.gold)
                others = [d.inputs[variant] for d in pages if d is not doc]
                scores["without profile", variant].append(
                    score_document(show(pipeline.run(text).body), gold, show(text)))
                for size in sizes:
                    started = time.perf_counter()
                    profile = SiteProfile.learn(others[:size])
                    learn_seconds += time.perf_counter() - started
                    learned_docs += len(others[:size])
                    profile_keys.append(len(profile.lines))
                    body = pipeline.run(text, site=profile).body
                    name = f"profile of {size or 'all'} pages"
                    scores[name, variant].append(score_document(show(body), gold, show(text)))
                    if size is None:
                        scores["naive (half of others)", variant].append(
                            score_document(show(naive_clean(pipeline, text, profile)), gold,
                                           show(text)))
                scores["input", variant].append(score_document(show(text), gold, show(text)))
    return {"scores": {key: aggregate(value) for key, value in scores.items()},
            "learn_docs_per_s": learned_docs / learn_seconds if learn_seconds else 0.0,
            "mean_profile_keys": sum(profile_keys) / max(len(profile_keys), 1)}


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", nargs="+", default=["page", "article", "recall", "markdown"])
    parser.add_argument("--folds", type=Path,
                        help="folder of the fold models: reused when there, else written there")
    parser.add_argument("--rules", action="store_true",
                        help="clean with the rules alone (no line model, no fold models)")
    args = parser.parse_args(argv)
    from boilercut import Pipeline
    from bench.crossval import FOLDS, fold_models, fold_of
    from bench.quality import model_pipeline

    docs = load_set("train", tuple(dict.fromkeys([*VARIANTS, *args.variants])))
    sites = multi_page_sites(docs)
    _progress(f"{len(sites)} sites with at least {MIN_SITE_PAGES} pages, "
              f"{sum(map(len, sites.values()))} pages")
    if args.rules:
        pipelines = {fold: Pipeline.default().without("model") for fold in range(FOLDS)}
    else:
        paths = {fold: (args.folds / f"fold{fold}.json") if args.folds else None
                 for fold in range(FOLDS)}
        if not all(p and p.is_file() for p in paths.values()):
            if args.folds:
                args.folds.mkdir(parents=True, exist_ok=True)
            paths = fold_models(docs, args.folds)
        pipelines = {fold: model_pipeline(path) for fold, path in paths.items()}
    out = evaluate(sites, args.variants, pipelines, fold_of)
    systems = sorted({system for system, _ in out["scores"]},
                     key=lambda s: (s != "input", s != "without profile", s))
    rows = []
    for variant in args.variants:
        for system in systems:
            s = out["scores"][system, variant]
            rows.append([system, variant, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}"])
    print(markdown_table(["system", "variant", "P", "R", "F1"], rows))
    print(f"\nlearning: {out['learn_docs_per_s']:.0f} docs/s; "
          f"mean profile size {out['mean_profile_keys']:.0f} keys")


if __name__ == "__main__":
    main()
