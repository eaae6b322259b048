"""Package data: the line model's weights (``line.json``), written by ``python -m bench.train``."""
