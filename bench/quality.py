"""Quality benchmark: boilercut against baselines on the dev set.

Run from the repository root::

    python -m bench.quality                      # boilercut and baselines, all variants
    python -m bench.quality --no-baselines       # boilercut only (fast)
    python -m bench.quality --ablation           # F1 with each built-in filter off
    python -m bench.quality --worst 10           # documents where boilercut loses gold
    python -m bench.quality --json out.json      # every figure, per document too

Each input variant is a scraped text of the same 181 pages (see shared/data/dev):
``article`` the article region with its clutter, ``page`` the whole page's text,
``recall`` a recall-oriented extraction. boilercut (default pipeline) and the
text baselines clean each variant; trafilatura on the real HTML runs once, as
the anchor that sees markup. Scores are those of ``bench.metric``.

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
import platform
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from bench import baselines
from bench.data import VARIANTS, Doc, load_docs, source_info
from bench.metric import DocScore, Scores, aggregate, score_document

# A system cleans one scraped text, given the document's language code.
System = Callable[[str, str], str]

HTML_SYSTEM = "trafilatura_html"


def boilercut_system(pipeline=None) -> System:
    """Return boilercut's ``clean`` (default pipeline unless given) as a system."""
    import boilercut

    def clean(text: str, lang: str) -> str:
        return boilercut.clean(text, pipeline=pipeline).body

    return clean


def run(system: System, docs: Sequence[Doc], variant: str) -> list[DocScore]:
    """Clean every document's ``variant`` input with ``system`` and score it."""
    return [
        score_document(system(doc.inputs[variant], doc.lang), doc.gold, doc.inputs[variant])
        for doc in docs
    ]


def run_html(docs: Sequence[Doc]) -> list[DocScore]:
    """Score trafilatura on each page's HTML; line recall is over all gold lines."""
    return [
        score_document(baselines.trafilatura_html(doc.html(), doc.url), doc.gold) for doc in docs
    ]


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
    parser.add_argument("--variants", nargs="+", choices=VARIANTS, default=list(VARIANTS))
    parser.add_argument("--no-baselines", action="store_true", help="score boilercut only")
    parser.add_argument("--ablation", action="store_true", help="F1 with each built-in filter off")
    parser.add_argument(
        "--worst", type=int, default=0, metavar="N", help="N docs with the lowest boilercut recall"
    )
    parser.add_argument("--json", type=Path, metavar="PATH", help="write all figures to PATH")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
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
        note += f" {HTML_SYSTEM} reads the page HTML: its line-R is over all gold lines."
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
