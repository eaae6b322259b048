"""Quality benchmark: boilercut against baselines on the dev set.

Run from the repository root::

    python -m bench.quality                      # boilercut and baselines, all variants
    python -m bench.quality --no-baselines       # boilercut only (fast)
    python -m bench.quality --ablation           # F1 with each built-in filter off
    python -m bench.quality --worst 10           # documents where boilercut loses gold
    python -m bench.quality --json out.json      # every figure, per document too
    python -m bench.quality --html               # the HTML path: F1 and documents/s
    python -m bench.quality --html --html-modes  # ... and each trafilatura mode
    python -m bench.quality --set train          # train, the line model scored by grouped CV
    python -m bench.quality --set train --thresholds 0.5 0.7 0.9   # the model's one knob
    python -m bench.quality --sites --rules      # site profiles, leave-one-out (bench.sites)

Each input variant is a scraped text of the same 181 pages (see shared/data/dev):
``article`` the article region with its clutter, ``page`` the whole page's text,
``recall`` a recall-oriented extraction, ``markdown`` the whole page as
markdown (scored on the text a reader sees: link and image targets, autolinks
and bare URLs dropped from input and output alike). boilercut (default pipeline) and the
text baselines clean each variant; trafilatura on the real HTML runs once, as
the anchor that sees markup. Scores are those of ``bench.metric``.

``--html`` scores the HTML path alone: trafilatura on the page bytes with its
defaults (the anchor), trafilatura with ``clean_html``'s settings and text
layout (``boilercut.html.extract``), and ``clean_html`` (that extraction,
cleaned), each with its documents per second in this process, after a warm-up,
best of ``--repeat`` passes over pages already in memory.

``--set train`` scores the 2,480 train pages (no HTML). The line model is
trained on train, so its figures there come from cross-validation grouped by
site (:mod:`bench.crossval`): each page is cleaned with a model fitted on the
other folds' sites. ``boilercut_rules`` is the pipeline without the model
(``--disable model``; the rules as they were before it). Figures are given per
variant, then per source and per page type; ``+meta`` scores the body plus the
lines moved to title, authors and dates, for gold that starts with the headline
and byline (Dragnet, a fifth of WCXB).

Baseline figures were measured with the versions pinned in
``bench/requirements.txt`` (trafilatura 2.3.1, jusText 3.0.2); other versions
give other figures.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import importlib.metadata
import json
import os
import platform
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from bench import baselines
from bench.data import (ALL_VARIANTS, MARKDOWN, SETS, Doc, load_docs, load_set, source_info,
                        train_dir)
from bench.metric import DocScore, Scores, aggregate, reader_text, score_document

# A system cleans one scraped text, given the document's language code.
System = Callable[[str, str], str]

HTML_SYSTEM = "trafilatura_html"
HTML_BOILERCUT = "boilercut_html"
# A system on the HTML path reads the page bytes (and the URL) and returns text.
HtmlSystem = Callable[[bytes, str], str]


def boilercut_system(pipeline=None) -> System:
    """Return boilercut's ``clean`` (default pipeline unless given) as a system."""
    import boilercut

    def clean(text: str, lang: str) -> str:
        return boilercut.clean(text, pipeline=pipeline).body

    return clean


def score(output: str, doc: Doc, variant: str) -> DocScore:
    """Score ``output``, cleaned from ``doc``'s ``variant`` input; markdown input and
    output alike are scored on the text a reader sees."""
    source = doc.inputs[variant]
    if variant == MARKDOWN:
        output, source = reader_text(output), reader_text(source)
    return score_document(output, doc.gold, source)


def run(system: System, docs: Sequence[Doc], variant: str) -> list[DocScore]:
    """Clean every document's ``variant`` input with ``system`` and score it."""
    return [score(system(doc.inputs[variant], doc.lang), doc, variant) for doc in docs]


def run_html(docs: Sequence[Doc]) -> list[DocScore]:
    """Score trafilatura on each page's HTML; line recall is over all gold lines."""
    return [
        score_document(baselines.trafilatura_html(doc.html(), doc.url), doc.gold) for doc in docs
    ]


def html_systems() -> dict[str, HtmlSystem]:
    """The HTML-path systems: trafilatura alone (its defaults; clean_html's settings) and clean_html."""
    from boilercut.html import clean_html, extract

    return {
        HTML_SYSTEM: baselines.trafilatura_html,
        "trafilatura_html_settings": lambda page, url: extract(page, url=url).text,
        HTML_BOILERCUT: lambda page, url: clean_html(page, url=url).body,
    }


def run_html_system(system: HtmlSystem, docs: Sequence[Doc],
                    pages: Sequence[bytes]) -> tuple[list[DocScore], float]:
    """Score ``system`` on every page; also return the seconds the pass took."""
    import time

    start = time.process_time()
    outputs = [system(page, doc.url) for doc, page in zip(docs, pages)]
    seconds = time.process_time() - start
    return [score_document(out, doc.gold) for out, doc in zip(outputs, docs)], seconds


def html_section(docs: Sequence[Doc], systems: dict[str, HtmlSystem],
                 repeat: int = 2, warmup: int = 10) -> dict[str, dict]:
    """Scores and speed of each HTML system: best of ``repeat`` timed passes, the
    systems interleaved pass by pass, after ``warmup`` pages through each."""
    pages = [doc.html() for doc in docs]
    for system in systems.values():
        for doc, page in list(zip(docs, pages))[:warmup]:
            system(page, doc.url)
    scores: dict[str, list[DocScore]] = {}
    best: dict[str, float] = {}
    for attempt in range(repeat):
        for name, system in systems.items():
            _progress(f"html: {name}, pass {attempt + 1} of {repeat}")
            per_doc, seconds = run_html_system(system, docs, pages)
            scores.setdefault(name, per_doc)
            best[name] = min(seconds, best.get(name, float("inf")))
    return {name: {"per_doc": scores[name], "scores": aggregate(scores[name]),
                   "seconds": best[name], "docs_per_s": len(docs) / best[name]}
            for name in systems}


def cleaning_seconds(docs: Sequence[Doc], repeat: int = 2) -> float:
    """Seconds clean_html spends after trafilatura: the pipeline on stored extractions."""
    import time

    from boilercut.html import clean_extraction, extract

    extractions = [extract(doc.html(), url=doc.url) for doc in docs]
    for extraction in extractions[:10]:
        clean_extraction(extraction)
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        for extraction in extractions:
            clean_extraction(extraction)
        best = min(best, time.process_time() - start)
    return best


def html_table(results: dict[str, dict], reference: str = HTML_SYSTEM) -> str:
    """P, R, F1, line figures, documents/s and time relative to ``reference``."""
    base = results[reference]["seconds"]
    rows = [[name, *_figures(r["scores"]), f"{r['docs_per_s']:.1f}",
             f"{r['seconds'] / base:.2f}"] for name, r in results.items()]
    return markdown_table(["system", "P", "R", "F1", "line-P", "line-R", "docs/s",
                           f"time / {reference}"], rows)


def html_modes(docs: Sequence[Doc]) -> dict[str, dict[str, float]]:
    """F1 of trafilatura alone and after cleaning, in each trafilatura mode (no fallback)."""
    from boilercut.html import TRAFILATURA_OPTIONS, clean_extraction, extract

    pages = [doc.html() for doc in docs]
    modes = {"default": {}, "favor_recall": {"favor_recall": True},
             "favor_precision": {"favor_precision": True}}
    results = {}
    for mode, flags in modes.items():
        _progress(f"html modes: {mode}")
        options = {k: v for k, v in TRAFILATURA_OPTIONS.items()
                   if k not in ("favor_recall", "favor_precision")} | flags
        extractions = [extract(page, url=doc.url, options=options, fallback=False)
                       for doc, page in zip(docs, pages)]
        alone = aggregate([score_document(e.text, d.gold) for e, d in zip(extractions, docs)])
        cleaned = aggregate([score_document(clean_extraction(e).body, d.gold)
                             for e, d in zip(extractions, docs)])
        results[mode] = {"alone": alone.f1, "cleaned": cleaned.f1}
    return results


def boilercut_f1(docs: Sequence[Doc], variant: str, pipeline=None) -> float:
    """Return boilercut's F1 on ``variant`` (the figure the quality gate checks)."""
    return aggregate(run(boilercut_system(pipeline), docs, variant)).f1


def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def environment() -> dict[str, str]:
    """Return the date and the versions the figures were measured with."""
    import boilercut

    return {
        "date": datetime.date.today().isoformat(),
        "python": platform.python_version(),
        "boilercut": getattr(boilercut, "__version__", None) or _version("boilercut"),
        "trafilatura": _version("trafilatura"),
        "justext": _version("jusText"),
    }


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Render a markdown table, columns padded to their widest cell."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows)]

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"

    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])


def _figures(s: Scores) -> list[str]:
    return [f"{v:.3f}" for v in (s.precision, s.recall, s.f1, s.line_precision, s.line_recall)]


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def ablation(docs: Sequence[Doc], variants: Sequence[str]) -> dict[str, dict[str, float]]:
    """Return F1 per variant for the full default pipeline and with each filter off."""
    from boilercut import Pipeline

    default = Pipeline.default()
    pipelines = {"(none)": default} | {name: default.without(name) for name in default.names}
    results = {}
    for name, pipeline in pipelines.items():
        _progress(f"ablation: {name} switched off")
        results[name] = {v: boilercut_f1(docs, v, pipeline) for v in variants}
    return results


def _delta(change: float) -> str:
    return f"{round(change, 3) + 0.0:+.3f}"  # + 0.0 turns -0.0 into 0.0


def ablation_table(results: dict[str, dict[str, float]], variants: Sequence[str]) -> str:
    """Render the ablation as F1 and its change from the full pipeline, per variant."""
    full = results["(none)"]
    header = ["filter off"] + [col for v in variants for col in (f"{v} F1", "Δ")]
    rows = [
        [name] + [cell for v in variants for cell in (f"{f1[v]:.3f}", _delta(f1[v] - full[v]))]
        for name, f1 in results.items()
    ]
    return markdown_table(header, rows)


def worst(
    docs: Sequence[Doc], scores: Sequence[DocScore], inputs: Sequence[DocScore], n: int
) -> list[dict]:
    """Return the ``n`` documents with the lowest recall (then precision).

    ``inputs`` scores the uncleaned input: its recall tells gold the cleaner
    dropped from gold the input never held.
    """
    ranked = sorted(zip(docs, scores, inputs), key=lambda row: (row[1].recall, row[1].precision))
    return [
        {
            "id": doc.id,
            "url": doc.url,
            "precision": score.precision,
            "recall": score.recall,
            "input_recall": given.recall,
        }
        for doc, score, given in ranked[:n]
    ]


def worst_table(rows: Sequence[dict]) -> str:
    """Render worst documents: id prefix (full ids in --json), url, P, R, input's R."""
    figures = ("precision", "recall", "input_recall")
    return markdown_table(
        ["id", "url", "P", "R", "input R"],
        [[r["id"][:12], r["url"], *(f"{r[k]:.3f}" for k in figures)] for r in rows],
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.quality", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--set", choices=SETS, default="dev", dest="set_name",
                        help="dev (default) or train (the line model by grouped cross-validation)")
    parser.add_argument("--variants", nargs="+", choices=ALL_VARIANTS,
                        default=list(ALL_VARIANTS))
    parser.add_argument("--thresholds", nargs="+", type=float, metavar="T",
                        help="with --set train: score the model at each threshold too")
    parser.add_argument("--no-baselines", action="store_true", help="score boilercut only")
    parser.add_argument("--ablation", action="store_true", help="F1 with each built-in filter off")
    parser.add_argument("--sites", action="store_true",
                        help="site profiles, leave-one-out on train (python -m bench.sites; "
                             "its options follow, see python -m bench.sites --help)")
    parser.add_argument(
        "--worst", type=int, default=0, metavar="N", help="N docs with the lowest boilercut recall"
    )
    parser.add_argument("--json", type=Path, metavar="PATH", help="write all figures to PATH")
    parser.add_argument("--html", action="store_true",
                        help="score the HTML path only: trafilatura alone and clean_html, with speed")
    parser.add_argument("--html-modes", action="store_true",
                        help="with --html: F1 in each trafilatura mode, alone and cleaned")
    parser.add_argument("--repeat", type=int, default=2, metavar="N",
                        help="with --html: timed passes per system, the best counts (default 2)")
    return parser.parse_args(argv)


def main_html(args: argparse.Namespace) -> None:
    """``--html``: the HTML path's table (and the modes' with ``--html-modes``)."""
    docs = load_docs(variants=())
    source, env = source_info(), environment()
    results = html_section(docs, html_systems(), repeat=args.repeat)
    print(
        f"boilercut HTML path on {source['source_repo']}@{source['source_commit'][:7]} "
        f"{source['set']} ({len(docs)} docs), {env['date']}: python {env['python']}, "
        f"boilercut {env['boilercut']}, trafilatura {env['trafilatura']}, "
        f"{os.cpu_count()} CPUs, one process\n"
    )
    print(html_table(results))
    print(
        f"\nP, R, F1: 4-gram shingles, means over documents; line-R over all gold lines. "
        f"docs/s: best of {args.repeat} passes. {HTML_SYSTEM}: trafilatura.extract with its "
        "defaults (comments off); trafilatura_html_settings: boilercut.html.extract (clean_html's "
        f"trafilatura settings and text layout, no cleaning); {HTML_BOILERCUT}: clean_html."
    )
    ref = results[HTML_SYSTEM]["seconds"]
    cleaning = cleaning_seconds(docs, repeat=args.repeat)
    print(f"Cleaning alone (the pipeline on stored extractions, best of {args.repeat}): "
          f"{cleaning:.2f} s, {cleaning / ref:.1%} of {HTML_SYSTEM}'s time "
          f"({ref:.2f} s); clean_html in all takes "
          f"{results[HTML_BOILERCUT]['seconds'] / ref:.2f}x {HTML_SYSTEM}'s time.")
    report: dict = {"environment": env, "source": source, "cleaning_seconds": cleaning, "html": {
        name: {"scores": dataclasses.asdict(r["scores"]), "seconds": r["seconds"],
               "docs_per_s": r["docs_per_s"],
               "per_doc": {d.id: dataclasses.asdict(s) for d, s in zip(docs, r["per_doc"])}}
        for name, r in results.items()}}
    if args.html_modes:
        report["html_modes"] = html_modes(docs)
        print("\nF1 by trafilatura mode, alone (boilercut.html.extract) and cleaned (clean_html), "
              "without the short-text fallback:\n")
        print(markdown_table(["mode", "alone", "cleaned"],
                             [[m, f"{r['alone']:.4f}", f"{r['cleaned']:.4f}"]
                              for m, r in report["html_modes"].items()]))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
        _progress(f"wrote {args.json}")


RULES = "boilercut_rules"
GROUPINGS = {"source": lambda doc: doc.source, "page_type": lambda doc: doc.page_type or "(none)"}
# Metadata fields whose lines a gold body may hold (Dragnet's gold starts with headline and byline).
META_LINES = frozenset({"title", "authors", "dates"})


def rules_pipeline():
    """The default pipeline without the line model: the rules alone."""
    from boilercut import Pipeline

    return Pipeline.default().without("model")


def model_pipeline(weights: Path | None = None, threshold: float | None = None):
    """The default pipeline with the line model's weights file and threshold set."""
    from boilercut import Pipeline

    options = {}
    if weights is not None:
        options["weights"] = str(weights)
    if threshold is not None:
        options["threshold"] = threshold
    return Pipeline.from_config({"options": {"model": options}} if options else {})


def with_meta_lines(text: str, result) -> str:
    """The body plus the whole lines moved to title, authors or dates, in input order."""
    moved = {r.start for r in result.removals if any(f in META_LINES for f, _ in r.metadata)}
    removed = {r.start for r in result.removals} - moved
    lines, pos = [], 0
    for raw in text.split("\n"):
        if raw.strip() and pos not in removed:
            lines.append(raw.rstrip())
        pos += len(raw) + 1
    return "\n".join(lines)


def cross_validated(docs: Sequence[Doc], variants: Sequence[str],
                    thresholds: Sequence[float | None] = (None,),
                    folder: Path | None = None) -> dict[tuple[str, str], list]:
    """Per-document scores of boilercut with the line model, each page cleaned by the
    model of its fold (see :mod:`bench.crossval`); keys ``(system, variant)``, where
    system is ``boilercut``, ``boilercut+meta`` or ``boilercut@T`` for other thresholds."""
    from bench.crossval import fold_models, fold_of

    paths = fold_models(docs, folder)
    out: dict[tuple[str, str], list] = {}
    for threshold in thresholds:
        name = "boilercut" if threshold is None else f"boilercut@{threshold:g}"
        pipelines = {fold: model_pipeline(path, threshold) for fold, path in paths.items()}
        for variant in variants:
            _progress(f"scoring {name} on {variant} (cross-validated)")
            results = [pipelines[fold_of(doc)].run(doc.inputs[variant]) for doc in docs]
            out[name, variant] = [score(r.body, d, variant) for r, d in zip(results, docs)]
            if threshold is None:
                out[name + "+meta", variant] = [
                    score(with_meta_lines(d.inputs[variant], r), d, variant)
                    for r, d in zip(results, docs)]
    return out


def fitting_variants(variants: Sequence[str]) -> list[str]:
    """``variants`` and those the fold models are fitted on (:data:`bench.train.TRAIN_VARIANTS`)."""
    from bench.train import TRAIN_VARIANTS

    return sorted(set(variants) | set(TRAIN_VARIANTS))


def train_cv_f1(variants: Sequence[str]) -> dict[str, float]:
    """boilercut's cross-validated F1 on train per variant (the figures the quality gate checks)."""
    docs = load_set("train", fitting_variants(variants))
    per_doc = cross_validated(docs, variants)
    return {variant: aggregate(per_doc["boilercut", variant]).f1 for variant in variants}


def train_scores(variants: Sequence[str], baselines_too: bool = True,
                 thresholds: Sequence[float] = ()) -> tuple[list[Doc], dict]:
    """Per-document scores on train: baselines, the rules alone, the cross-validated model."""
    docs = load_set("train", fitting_variants(variants))
    rules = rules_pipeline()
    systems: dict[str, System] = {"unchanged": baselines.unchanged}
    if baselines_too:
        systems |= {"c4_rules": baselines.c4_rules, "justext": baselines.justext}
    per_doc: dict[tuple[str, str], list[DocScore]] = {}
    for variant in variants:
        for name, system in systems.items():
            _progress(f"scoring {name} on {variant}")
            per_doc[name, variant] = run(system, docs, variant)
        _progress(f"scoring {RULES} on {variant}")
        results = [rules.run(doc.inputs[variant]) for doc in docs]
        per_doc[RULES, variant] = [score(r.body, d, variant) for r, d in zip(results, docs)]
        per_doc[RULES + "+meta", variant] = [
            score(with_meta_lines(d.inputs[variant], r), d, variant)
            for r, d in zip(results, docs)]
    per_doc |= cross_validated(docs, variants, [None, *thresholds])
    return docs, per_doc


def grouped_table(docs: Sequence[Doc], per_doc: dict, variant: str, key: Callable,
                  systems: Sequence[str]) -> str:
    """F1 (and shingle recall) of each system per group of pages, for one variant."""
    groups: dict[str, list[int]] = {}
    for i, doc in enumerate(docs):
        groups.setdefault(key(doc), []).append(i)
    rows = []
    for group, idx in sorted(groups.items(), key=lambda item: -len(item[1])):
        cells = [group, str(len(idx))]
        for system in systems:
            scores = aggregate([per_doc[system, variant][i] for i in idx])
            cells.append(f"{scores.f1:.3f} ({scores.recall:.3f})")
        rows.append(cells)
    return markdown_table(["group", "pages", *systems], rows)


def main_train(args: argparse.Namespace) -> None:
    """``--set train``: every system on train, the model cross-validated by site."""
    env = environment()
    docs, per_doc = train_scores(args.variants, not args.no_baselines, args.thresholds or ())
    results = {key: aggregate(scores) for key, scores in per_doc.items()}
    print(f"boilercut quality on train ({len(docs)} pages, {train_dir()}), {env['date']}: "
          f"python {env['python']}, boilercut {env['boilercut']}, jusText {env['justext']}; "
          "boilercut (the line model) cross-validated, grouped by site\n")
    print(markdown_table(
        ["system", "variant", "P", "R", "F1", "line-P", "line-R"],
        [[name, variant, *_figures(scores)] for (name, variant), scores in results.items()]))
    systems = [s for s in ("unchanged", "c4_rules", "justext", RULES, "boilercut",
                           "boilercut+meta")
               if (s, args.variants[0]) in per_doc]
    for variant in args.variants:
        for grouping, key in GROUPINGS.items():
            print(f"\nF1 (shingle recall) by {grouping}, {variant} variant:\n")
            print(grouped_table(docs, per_doc, variant, key, systems))
    if args.json:
        report = {"environment": env, "results": [
            {"system": name, "variant": variant, **dataclasses.asdict(scores)}
            for (name, variant), scores in results.items()],
            "per_doc": {f"{name}/{variant}": {d.id: dataclasses.asdict(s)
                                              for d, s in zip(docs, scores)}
                        for (name, variant), scores in per_doc.items()}}
        args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
        _progress(f"wrote {args.json}")


def main(argv: Sequence[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else list(argv)
    if "--sites" in argv:  # site profiles, leave-one-out on train: bench.sites, its options
        from bench.sites import main as main_sites

        main_sites([a for a in argv if a != "--sites"])
        return
    args = parse_args(argv)
    if args.html:
        main_html(args)
        return
    if args.set_name == "train":
        main_train(args)
        return
    docs = load_docs(variants=args.variants)
    source = source_info()
    env = environment()

    systems: dict[str, System] = {"boilercut": boilercut_system()}
    if not args.no_baselines:
        systems |= baselines.TEXT_BASELINES

    per_doc: dict[tuple[str, str], list[DocScore]] = {}
    for variant in args.variants:
        for name, system in systems.items():
            _progress(f"scoring {name} on {variant}")
            per_doc[name, variant] = run(system, docs, variant)
    if not args.no_baselines:
        _progress(f"scoring {HTML_SYSTEM} on html")
        per_doc[HTML_SYSTEM, "html"] = run_html(docs)
        _progress(f"scoring {HTML_BOILERCUT} on html")
        per_doc[HTML_BOILERCUT, "html"] = run_html_system(
            html_systems()[HTML_BOILERCUT], docs, [doc.html() for doc in docs])[0]
    results = {key: aggregate(scores) for key, scores in per_doc.items()}

    print(
        f"boilercut quality on {source['source_repo']}@{source['source_commit'][:7]} "
        f"{source['set']} ({len(docs)} docs), {env['date']}: python {env['python']}, "
        f"boilercut {env['boilercut']}, trafilatura {env['trafilatura']}, "
        f"jusText {env['justext']}\n"
    )
    print(markdown_table(
        ["system", "variant", "P", "R", "F1", "line-P", "line-R"],
        [[name, variant, *_figures(scores)] for (name, variant), scores in results.items()],
    ))
    note = (
        "\nP, R, F1: 4-gram shingles, means over documents. line-P, line-R: over documents "
        "whose input holds a gold line verbatim."
    )
    if not args.no_baselines:
        note += (f" {HTML_SYSTEM} and {HTML_BOILERCUT} (clean_html) read the page HTML: their "
                 "line-R is over all gold lines.")
    print(note)

    report: dict = {
        "environment": env,
        "source": source,
        "results": [
            {"system": name, "variant": variant, **dataclasses.asdict(scores)}
            for (name, variant), scores in results.items()
        ],
        "per_doc": {
            f"{name}/{variant}": {d.id: dataclasses.asdict(s) for d, s in zip(docs, scores)}
            for (name, variant), scores in per_doc.items()
        },
    }

    if args.ablation:
        report["ablation"] = ablation(docs, args.variants)
        print("\nF1 with one built-in filter switched off (Δ: change from the full pipeline):\n")
        print(ablation_table(report["ablation"], args.variants))

    if args.worst:
        report["worst"] = {}
        for variant in args.variants:
            given = per_doc.get(("unchanged", variant)) or run(baselines.unchanged, docs, variant)
            report["worst"][variant] = worst(docs, per_doc["boilercut", variant], given, args.worst)
            print(f"\n{args.worst} documents with the lowest boilercut recall on {variant}:\n")
            print(worst_table(report["worst"][variant]))

    if args.json:
        args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
        _progress(f"wrote {args.json}")


if __name__ == "__main__":
    main()
