"""Language accuracy of candidate detectors on the gold bodies of dev and train.

Run from the repository root::

    python -m bench.language                 # py3langid (shipped) and langdetect, dev and train

The reference is each page's ``lang`` in the set's manifest (ISO 639-1, from the
sources' own metadata). A detector is scored on the gold article body, cut to
the first 2,000 characters as boilercut gives it (see
:func:`boilercut.language.detect`), with its documents per second.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Sequence

from bench.data import SETS, load_set
from bench.quality import markdown_table


def detectors() -> dict[str, Callable[[str], str | None]]:
    """The shipped detector and the measured alternative, each text -> ISO 639-1 code."""
    from boilercut.language import detect

    def langdetect_code(text: str) -> str | None:
        import langdetect

        langdetect.DetectorFactory.seed = 0  # langdetect samples: seed it for repeatable figures
        try:
            return langdetect.detect(text[:2000]).split("-")[0]
        except langdetect.LangDetectException:
            return None

    return {"py3langid": detect, "langdetect": langdetect_code}


def measure(sets: Sequence[str]) -> list[list[str]]:
    rows = []
    for name in sets:
        docs = [d for d in load_set(name, ("article",)) if d.gold.strip()]
        for system, detect in detectors().items():
            detect(docs[0].gold)  # load the model outside the timing
            start = time.perf_counter()
            found = [detect(d.gold) for d in docs]
            seconds = time.perf_counter() - start
            right = sum(f == d.lang for f, d in zip(found, docs))
            rows.append([name, system, str(len(docs)), f"{right / len(docs):.4f}",
                         f"{len(docs) / seconds:.0f}"])
    return rows


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.language", description=__doc__.split("\n")[0])
    parser.add_argument("--sets", nargs="+", choices=SETS, default=list(SETS))
    args = parser.parse_args(argv)
    print(markdown_table(["set", "detector", "docs", "accuracy", "docs/s"], measure(args.sets)))


if __name__ == "__main__":
    main()
