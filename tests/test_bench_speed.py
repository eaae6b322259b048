"""bench.speed loads what its timing reads (the timing itself is a benchmark, not a test)."""

import pytest

from bench import speed


def test_every_variant_a_warm_up_reads_is_loaded(monkeypatch):
    asked = []

    def load_docs(variants):
        asked.append(set(variants))
        raise SystemExit(0)

    monkeypatch.setattr(speed, "load_docs", load_docs)
    with pytest.raises(SystemExit):
        speed.main(["--section", "one-core", "--corpus-mb", "0", "--no-html"])
    timed = set(speed.VARIANTS)
    warm_ups = {speed.ALL_VARIANTS[(speed.ALL_VARIANTS.index(v) + 1) % len(speed.ALL_VARIANTS)]
                for v in timed}
    assert timed | warm_ups <= asked[0]
