"""``python -m boilercut``: the command line, as the ``boilercut`` script."""

import sys

from boilercut.cli import main

if __name__ == "__main__":
    sys.exit(main())
