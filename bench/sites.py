"""Site profiles, leave-one-out: each page cleaned with a profile of its site's other pages.

On train's sites with at least three pages (by the manifest's ``domain``),
every page is cleaned without a profile and with a profile learned from up to
K of the site's other pages (K = 2, 5, 10 and all; the first K in manifest
order; a site with fewer other pages gives all it has, so K=10 and "all" differ
only on sites of more than 11 pages). No page's own text helps clean it. A
naive baseline (page variant) drops every line, digits masked, seen on half of
the other pages, then cleans as usual.

    python -m bench.sites [--variants page article markdown] [--rules] [--jobs N]
    python -m bench.quality --sites [same options]

Figures: shingle P, R and F1 as in :mod:`bench.quality`, means over those
pages; what the site filter removed with the profile of all other pages
(lines, and how many of them are gold lines: the article text it took);
learning throughput (docs/s, MB/s); cleaning time per page with and without
the profile (the overhead); profile size (keys, JSON bytes). Markdown is scored
on the text a reader sees (link targets and image sources left out of input,
output and gold alike). ``--rules`` cleans with the rules alone; else each page
is cleaned with the line model of its cross-validation fold (trained here, or
read from ``--folds DIR``), so the model never saw the site.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path

from bench.data import Doc, load_set
from bench.metric import aggregate, score_document
from bench.quality import markdown_table

SIZES = (2, 5, 10, None)
MIN_SITE_PAGES = 3
VARIANTS = ("page", "article", "markdown")
NAIVE = "naive (half of others)"
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


def evaluate_site(task: tuple[str, list[tuple[str, str, int]]], pipelines) -> dict:
    """One site in one variant: ``(variant, [(text, gold, fold), ...])`` to scores and costs."""
    from boilercut.sites import SiteProfile

    variant, pages = task
    show = visible if variant == "markdown" else (lambda text: text)
    out: dict = {"scores": defaultdict(list), "learn_seconds": 0.0, "learned_docs": 0,
                 "learned_bytes": 0, "plain_seconds": 0.0, "site_seconds": 0.0,
                 "keys": [], "json_bytes": [], "removed": 0, "removed_gold": 0}
    for n, (text, gold, fold) in enumerate(pages):
        pipeline = pipelines[fold]
        others = [p[0] for i, p in enumerate(pages) if i != n]
        seen, gold_lines = show(text), {line.strip() for line in gold.split("\n")}

        def score(body: str) -> object:
            return score_document(show(body), show(gold), seen)

        started = time.perf_counter()
        plain = pipeline.run(text).body
        out["plain_seconds"] += time.perf_counter() - started
        out["scores"]["input"].append(score(text))
        out["scores"]["without profile"].append(score(plain))
        runs: dict[int, tuple] = {}  # by pages learned from: profile, result, seconds, score
        for size in SIZES:
            learned = others[:size]
            if len(learned) not in runs:
                started = time.perf_counter()
                profile = SiteProfile.learn(learned)
                out["learn_seconds"] += time.perf_counter() - started
                out["learned_docs"] += len(learned)
                out["learned_bytes"] += sum(len(t.encode("utf-8")) for t in learned)
                started = time.perf_counter()
                result = pipeline.run(text, site=profile)
                elapsed = time.perf_counter() - started
                runs[len(learned)] = (profile, result, elapsed, score(result.body))
            profile, result, elapsed, scored = runs[len(learned)]
            if size is None:
                out["site_seconds"] += elapsed
                out["keys"].append(len(profile.lines))
                out["json_bytes"].append(len(json.dumps(profile.to_dict(), ensure_ascii=False)))
                removed = [r for r in result.removals if r.filter == "site"]
                out["removed"] += len(removed)
                out["removed_gold"] += sum(r.text.strip() in gold_lines for r in removed)
                if variant == "page":
                    out["scores"][NAIVE].append(score(naive_clean(pipeline, text, profile)))
            out["scores"][f"profile of {size or 'all'} pages"].append(scored)
    return out


def evaluate(sites: dict[str, list[Doc]], variants: Sequence[str], pipelines, fold_of,
             jobs: int = 1) -> dict:
    """Per variant and system, the aggregate scores over every page of ``sites``, and costs."""
    tasks = [(variant, [(d.inputs[variant], d.gold, fold_of(d)) for d in pages])
             for variant in variants for pages in sites.values()]
    run = partial(evaluate_site, pipelines=pipelines)
    if jobs == 1:
        parts = map(run, tasks)
    else:
        pool = ProcessPoolExecutor(jobs)
        parts = pool.map(run, tasks, chunksize=4)
    scores: dict[tuple[str, str], list] = defaultdict(list)
    costs: dict[str, dict] = {}
    for (variant, _), part in zip(tasks, parts):
        for system, values in part["scores"].items():
            scores[system, variant].extend(values)
        total = costs.setdefault(variant, defaultdict(float, keys=[], json_bytes=[]))
        for key, value in part.items():
            if key != "scores":
                total[key] = total[key] + value
    if jobs != 1:
        pool.shutdown()
    return {"scores": {key: aggregate(value) for key, value in scores.items()}, "costs": costs}


def cost_rows(costs: dict[str, dict]) -> list[list[str]]:
    """Per variant: learning throughput, cleaning time with and without, profile size, removals."""
    rows = []
    for variant, c in costs.items():
        pages = len(c["keys"])
        rows.append([
            variant, f"{c['learned_docs'] / c['learn_seconds']:.0f}",
            f"{c['learned_bytes'] / c['learn_seconds'] / 1e6:.1f}",
            f"{pages / c['plain_seconds']:.1f}",
            f"{1e3 * c['plain_seconds'] / pages:.1f}", f"{1e3 * c['site_seconds'] / pages:.1f}",
            f"{c['site_seconds'] / c['plain_seconds'] - 1:+.1%}",
            f"{sum(c['keys']) / pages:.0f}", f"{sum(c['json_bytes']) / pages / 1e3:.1f}",
            f"{c['removed']:.0f}", f"{c['removed_gold']:.0f}"])
    return rows


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.sites",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS),
                        choices=("page", "article", "recall", "markdown"))
    parser.add_argument("--folds", type=Path,
                        help="folder of the fold models: reused when there, else written there")
    parser.add_argument("--rules", action="store_true",
                        help="clean with the rules alone (no line model, no fold models)")
    parser.add_argument("--jobs", type=int, default=1,
                        help="worker processes, one site and variant per task (default 1)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    from bench.crossval import FOLDS, fold_models, fold_of
    from bench.quality import environment, model_pipeline
    from boilercut import Pipeline

    docs = load_set("train", tuple(args.variants))
    sites = multi_page_sites(docs)
    pages = sum(map(len, sites.values()))
    _progress(f"{len(sites)} sites with at least {MIN_SITE_PAGES} pages, {pages} pages")
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
    out = evaluate(sites, args.variants, pipelines, fold_of, args.jobs)
    env = environment()
    print(f"Site profiles, leave-one-out on train's {len(sites)} sites with at least "
          f"{MIN_SITE_PAGES} pages ({pages} pages), {env['date']}: python {env['python']}, "
          f"boilercut {env['boilercut']}, "
          f"{'rules only (no line model)' if args.rules else 'line model of each fold'}\n")
    systems = ["input", "without profile", *(f"profile of {size or 'all'} pages" for size in SIZES),
               NAIVE]
    rows = []
    for variant in args.variants:
        base = out["scores"]["without profile", variant]
        for system in systems:
            s = out["scores"].get((system, variant))
            if s is not None:
                rows.append([variant, system, f"{s.precision:.3f}", f"{s.recall:.3f}",
                             f"{s.f1:.3f}", f"{s.f1 - base.f1:+.3f}",
                             f"{s.recall - base.recall:+.3f}"])
    print(markdown_table(["variant", "system", "P", "R", "F1", "ΔF1", "ΔR"], rows))
    print()
    print(markdown_table(
        ["variant", "learn docs/s", "learn MB/s", "clean docs/s", "ms/page without",
         "ms/page with", "overhead", "keys/profile", "KB/profile (JSON)",
         "site removals", "of which gold lines"], cost_rows(out["costs"])))


if __name__ == "__main__":
    main()
