"""What each rule costs and earns: gold and debris tokens removed, per filter and reason.

    python -m bench.costs --set train --variants recall article

For every page of the set and every variant, the pipeline's removals are labelled
with the metric's line rule (:mod:`bench.labels`: a line is gold when half of its
shingles are in the gold body). Per ``(filter, reason)`` the table gives the lines
removed, the share of them that were gold, and the tokens removed as a share of
all gold tokens (``lost``: the recall a rule costs) and of all debris tokens
(``earned``: the debris it takes away), summed over the pages of each group. A
rule whose ``lost`` is near its ``earned`` on a page type does that page type no
good. Lines moved to metadata (title, authors, dates) are counted like any other
removal: the gold of some sources keeps the headline and byline.

The default is the rules alone (``--disable model``): the model's own removals
and the rules it overrules depend on a fitted model, and the shipped one was
fitted on train. ``--model`` scores the default pipeline with each page cleaned by
the model of its cross-validation fold (:mod:`bench.crossval`; trains five models).
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bench.data import ALL_VARIANTS, SETS, Doc, load_set
from bench.labels import GoldIndex
from bench.metric import tokenize
from bench.quality import GROUPINGS, _progress, markdown_table
from boilercut.document import split_lines


@dataclass
class Tally:
    """Lines and tokens one rule removed in one group of pages."""

    lines: int = 0
    gold_lines: int = 0
    gold_tokens: int = 0
    debris_tokens: int = 0


@dataclass
class Totals:
    """The gold and debris tokens of a group of pages' inputs (the denominators)."""

    gold: int = 0
    debris: int = 0


def labels_by_offset(text: str, gold: str) -> dict[int, tuple[bool, int]]:
    """Each non-blank input line's start offset (a removal's ``start``) -> (is gold,
    token count); lines without a token are left out, as the metric cannot see them."""
    lines = split_lines(text)
    labels = GoldIndex(gold).labels([line.text for line in lines])
    return {line.start: (bool(label), len(tokenize(line.text)))
            for line, label in zip(lines, labels) if label is not None}


def tally(docs: Sequence[Doc], variant: str, pipeline_of: Callable[[Doc], object],
          group_of: Callable[[Doc], str]) -> tuple[dict, dict]:
    """Per (group, filter, reason) tallies and per-group totals for one variant."""
    tallies: dict[tuple[str, str, str], Tally] = defaultdict(Tally)
    totals: dict[str, Totals] = defaultdict(Totals)
    for doc in docs:
        text = doc.inputs[variant]
        labels = labels_by_offset(text, doc.gold)
        group = group_of(doc)
        for gold, tokens in labels.values():
            for name in (group, "all"):
                if gold:
                    totals[name].gold += tokens
                else:
                    totals[name].debris += tokens
        for removal in pipeline_of(doc).run(text).removals:
            if removal.start not in labels:
                continue
            gold, tokens = labels[removal.start]
            for name in (group, "all"):
                entry = tallies[name, removal.filter, removal.reason]
                entry.lines += 1
                entry.gold_lines += gold
                entry.gold_tokens += tokens if gold else 0
                entry.debris_tokens += 0 if gold else tokens
    return tallies, totals


def report(tallies: dict, totals: dict, group: str, top: int) -> str:
    """The table of one group's rules, the costliest first."""
    rows = sorted(((f, r, t) for (g, f, r), t in tallies.items() if g == group),
                  key=lambda row: -row[2].gold_tokens)[:top]
    total = totals[group]
    return markdown_table(
        ["filter", "reason", "lines", "gold share", "lost (of gold)", "earned (of debris)"],
        [[f, r, str(t.lines), f"{t.gold_lines / t.lines:.2f}",
          f"{t.gold_tokens / max(total.gold, 1):.4f}",
          f"{t.debris_tokens / max(total.debris, 1):.4f}"] for f, r, t in rows])


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.costs", description=__doc__.split("\n")[0])
    parser.add_argument("--set", choices=SETS, default="train", dest="set_name")
    parser.add_argument("--variants", nargs="+", choices=ALL_VARIANTS, default=["recall"])
    parser.add_argument("--by", choices=sorted(GROUPINGS), default="page_type")
    parser.add_argument("--top", type=int, default=8, help="rules per group (default 8)")
    parser.add_argument("--model", action="store_true",
                        help="the default pipeline, cross-validated (trains five models)")
    args = parser.parse_args(argv)

    from bench.quality import model_pipeline, rules_pipeline

    if args.model:
        from bench.crossval import fold_models, fold_of
        from bench.train import TRAIN_VARIANTS

        # The fold models learn from every training variant, whichever are reported.
        docs = load_set(args.set_name, sorted({*args.variants, *TRAIN_VARIANTS}))

        pipelines = {fold: model_pipeline(path) for fold, path in fold_models(docs).items()}
        pipeline_of = lambda doc: pipelines[fold_of(doc)]  # noqa: E731
    else:
        docs = load_set(args.set_name, args.variants)
        rules = rules_pipeline()
        pipeline_of = lambda doc: rules  # noqa: E731
    for variant in args.variants:
        _progress(f"{variant}: cleaning {len(docs)} pages")
        tallies, totals = tally(docs, variant, pipeline_of, GROUPINGS[args.by])
        for group in ["all", *sorted(g for g in totals if g != "all")]:
            print(f"\n### {variant}, {args.by} {group}\n")
            print(report(tallies, totals, group, args.top))


if __name__ == "__main__":
    main()
