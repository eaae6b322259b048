"""Hostile inputs finish, and the contract holds on them.

Only that they finish is checked (a generous timeout per case), not how fast:
``python -m bench.speed --section linear`` measures how cost grows. Each case
runs in a fresh process, because a regular expression stuck in C cannot be
interrupted by a signal. The 10 MB line of the benchmark is 2 MB here and its
million short lines a quarter million (a million take over a minute of CPU on
this machine), to keep CI fast; the other cases have the benchmark's full sizes.
"""

import pytest

from tests.conftest import run_child

TIMEOUT = 60  # seconds per case

PROSE = ("The harbour ferry returned to service on Monday after four months in dry dock, "
         "and engineers said both engines had been replaced. ")
CASES = {
    "one 2 MB line, no newline": f"({PROSE!r} * 20_000)[:2_000_000]",
    "250,000 short lines": "'\\n'.join(('Home', 'News', 'By Jane Roe', '12', '***')[i % 5] "
                           "for i in range(250_000))",
    "a run of one letter": "'a' * 1_000_000",
    "a run of dashes, then a letter": "'-' * 1_000_000 + 'x'",
    "a run of spaces inside a line": "'a' + ' ' * 1_000_000 + 'b.'",
    "a run of dots between words": "'Read more' + '.' * 1_000_000 + ' now'",
    "a line of 100,000 'By '": "'By ' * 100_000",
    "100,000 lines of 'By'": "'\\n'.join(['By'] * 100_000)",
    "nested brackets": "'(' * 200_000 + 'Photo: AP' + ')' * 200_000",
}
CHILD = """
import sys
from boilercut import clean
from tests.conftest import assert_contract
text = {expr}
assert_contract(text, clean(text))
"""


@pytest.mark.parametrize("name", CASES)
def test_hostile_input_finishes_and_keeps_the_contract(name):
    run_child(CHILD.format(expr=CASES[name]), timeout=TIMEOUT, what=f"{name}: clean()")
