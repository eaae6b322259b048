"""Speed benchmark: boilercut against its peers, linearity, and scaling over cores.

Run from the repository root::

    python -m bench.speed                         # all sections, quick sizes
    python -m bench.speed --section one-core      # docs/s and MB/s on one core, with ratios
    python -m bench.speed --section linear        # 1x, 4x, 16x inputs, realistic and adversarial
    python -m bench.speed --section scale         # 1 vs 2 workers: multiprocessing and Ray
    python -m bench.speed --corpus-mb 300         # the full run: a few hundred MB corpus
    python -m bench.speed --section one-core --profile   # where boilercut's time goes

Sections:

``one-core``
    On each dev-set variant (``shared/data/dev/variants/*.jsonl``) and on a
    seeded corpus generated from them (``--corpus-mb``), every system cleans
    every document in a fresh process of its own, after a warm-up on other
    documents (boilercut remembers phrase matches per line, so a system timed
    after another in one process would find the caches filled with the
    measured lines):
    boilercut, the C4 paper's line rules, jusText and trafilatura on the text
    wrapped as ``<p>`` lines, and trafilatura on the page HTML (once: it reads
    the HTML, not a variant). Absolute times drift on shared machines, so the
    table gives ratios measured in the same run: boilercut's documents per
    second over each peer's. The peers are those of ``bench.quality``
    (``bench.baselines``).
``linear``
    Time of one ``clean()`` call on inputs of 1x, 4x and 16x a base size:
    concatenated real articles, and hostile inputs (one line of 10 MB with no
    newline, a million short lines, long runs of one character, a line of
    100,000 "By "); the 16x size is the one named. Each runs in a fresh
    process with a timeout (``--timeout``). Linear cost shows as a 16x/1x
    ratio near 16; quadratic cost as one near 256.
``scale``
    The corpus as JSON Lines on disk, streamed through :func:`boilercut.batch.clean_chunks`
    in this process, in 1 and 2 worker processes, and through Ray Data
    (``boilercut.ray.clean_dataset``, ``num_cpus`` 1 and 2) when Ray is
    installed. Each configuration runs in a fresh process; it reports
    documents per second, per core, and peak memory (largest process and the
    sum over the process tree, sampled from ``/proc``).

The corpus: records of the three variants in a seeded random order, repeated
until the size is reached; from the second copy on, the words inside each
line of eight words or more are shuffled (the first and last word stay), so
that no copy repeats an article's prose while labels, bylines and menus repeat
as they do across a site's pages. It is written once to a cache folder
(``--workdir``, default a temporary folder) and reused.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from bench import baselines
from bench.data import ALL_VARIANTS, VARIANTS, Doc, load_docs

SECTIONS = ("one-core", "linear", "scale")
# boilercut_rules: the default pipeline without the line model (what the model costs).
TEXT_PEERS = ("c4_rules", "justext", "trafilatura_text", "boilercut_rules")
HTML_PEER = "trafilatura_html"
SEED = 20261127
WARMUP_DOCS = 20
LINEAR_FACTORS = (1, 4, 16)
MB = 1_000_000


# --- inputs --------------------------------------------------------------------


def utf8_len(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


def _shuffle_line(line: str, rng: random.Random) -> str:
    words = line.split(" ")
    if len(words) < 8:
        return line
    inner = words[1:-1]
    rng.shuffle(inner)
    return " ".join([words[0], *inner, words[-1]])


def corpus_records(docs: Sequence[Doc], megabytes: float, seed: int = SEED,
                   sites: bool = False) -> Iterator[dict]:
    """Records ``{"id", "text"}`` of about ``megabytes`` MB of text (see the module docstring);
    with ``sites``, also a ``url`` on the page's site (its domain), for site profiles."""
    rng = random.Random(seed)
    site = {doc.id: doc.domain or doc.id for doc in docs}
    pool = [(doc.id, variant, doc.inputs[variant]) for doc in docs for variant in VARIANTS]
    target, size, copy = megabytes * MB, 0, 0
    while size < target:
        rng.shuffle(pool)
        for doc_id, variant, text in pool:
            if copy:
                text = "\n".join(_shuffle_line(line, rng) for line in text.split("\n"))
            record = {"id": f"{doc_id}:{variant}:{copy}", "text": text}
            if sites:
                record["url"] = f"https://{site[doc_id]}/{doc_id}/{variant}/{copy}"
            yield record
            size += utf8_len(text)
            if size >= target:
                return
        copy += 1


def corpus_file(docs: Sequence[Doc], megabytes: float, workdir: Path, seed: int = SEED,
                sites: bool = False) -> Path:
    """The corpus as JSON Lines, generated once into ``workdir`` and reused."""
    path = workdir / (f"corpus-{megabytes:g}mb-seed{seed}-{len(docs)}docs"
                      f"{'-sites' if sites else ''}.jsonl")
    if not path.exists():
        workdir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with tmp.open("w", encoding="utf-8") as fh:
            for record in corpus_records(docs, megabytes, seed, sites):
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        tmp.replace(path)
    return path


def read_corpus(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line)["text"] for line in fh]


def _prose(docs: Sequence[Doc], size: int) -> str:
    """``size`` characters of real article prose on one line (the dev set's gold bodies)."""
    words = " ".join(doc.gold.replace("\n", " ") for doc in docs).split()
    text = " ".join(words)
    return (text * (size // len(text) + 1))[:size]


def linear_input(case: str, factor: int, docs: Sequence[Doc]) -> str:
    """The input of a linearity case at ``factor`` x its base size (16x = the size named)."""
    if case == "realistic":  # 8 real articles per 1x, joined as one document
        texts = [doc.inputs["article"] for doc in docs]
        return "\n\n".join(texts[i % len(texts)] for i in range(8 * factor))
    if case == "one-line-10MB":
        return _prose(docs, 10 * MB * factor // 16)
    if case == "1M-short-lines":
        labels = ("Home", "News", "Share", "By Jane Roe", "12", "Tweet", "World", "More", "***", "Login")
        return "\n".join(labels[i % len(labels)] for i in range(1_000_000 * factor // 16))
    if case == "run-letter-4MB":
        return "a" * (4 * MB * factor // 16)
    if case == "run-dash-4MB":  # punctuation, then a letter: the worst case for edge stripping
        return "-" * (4 * MB * factor // 16) + "x"
    if case == "run-spaces-4MB":
        return "a" + " " * (4 * MB * factor // 16) + "b."
    if case == "100k-By":
        return "By " * (100_000 * factor // 16)
    raise ValueError(f"unknown case {case!r}")


LINEAR_CASES = ("realistic", "one-line-10MB", "1M-short-lines", "run-letter-4MB", "run-dash-4MB",
                "run-spaces-4MB", "100k-By")


# --- measuring -------------------------------------------------------------------


def text_systems(peers: Sequence[str]) -> dict[str, Callable[[str, str], str]]:
    """boilercut's ``clean().body`` and the named text peers, as ``(text, lang) -> str``."""
    import boilercut

    systems = {"boilercut": lambda text, lang: boilercut.clean(text).body}
    rules = boilercut.Pipeline.default().without("model")
    for name in peers:
        systems[name] = (baselines.TEXT_BASELINES.get(name)
                         or (lambda text, lang: rules.run(text).body))
    return systems


def time_pass(fn: Callable[[str, str], str], texts: Sequence[str], langs: Sequence[str]) -> float:
    gc.collect()
    start = time.perf_counter()
    for text, lang in zip(texts, langs):
        fn(text, lang)
    return time.perf_counter() - start


def time_fresh(name: str, peers: Sequence[str], warm: Sequence[str], warm_langs: Sequence[str],
               texts: Sequence[str], langs: Sequence[str]) -> float:
    """Seconds of :func:`time_pass` for the system ``name`` of :func:`text_systems`,
    warmed up on ``warm``, in a fresh process (no caches another system filled)."""
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(_fresh_pass, name, list(peers), list(warm), list(warm_langs),
                           list(texts), list(langs)).result()


def _fresh_pass(name: str, peers: list[str], warm: list[str], warm_langs: list[str],
                texts: list[str], langs: list[str]) -> float:
    fn = text_systems(peers)[name]
    time_pass(fn, warm, warm_langs)
    return time_pass(fn, texts, langs)


def peak_rss_mb() -> float:
    """This process's peak resident set in MB.

    ``VmHWM`` from /proc where there is one: ``getrusage``'s ``ru_maxrss``
    survives ``exec``, so a child started from a big parent would report the
    parent's size.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024 / MB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / MB  # KiB on Linux


class TreeMonitor:
    """Samples this process and all its descendants from /proc: peak resident memory
    (largest process, and the sum over the tree) and CPU time used."""

    def __init__(self, interval: float = 0.1):
        self.interval, self.peak_sum, self.peak_max = interval, 0.0, 0.0
        self._cpu: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._base = dict(self._cpu_of_tree())  # CPU spent before the measurement
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.sample()

    @property
    def cpu_seconds(self) -> float:
        return sum(cpu - self._base.get(pid, 0.0) for pid, cpu in self._cpu.items())

    def _run(self):
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self):
        stats = _tree_stats(os.getpid())
        if stats:
            self.peak_sum = max(self.peak_sum, sum(rss for rss, _ in stats.values()))
            self.peak_max = max(self.peak_max, max(rss for rss, _ in stats.values()))
            for pid, (_, cpu) in stats.items():
                self._cpu[pid] = max(self._cpu.get(pid, 0.0), cpu)

    def _cpu_of_tree(self):
        return {pid: cpu for pid, (_, cpu) in _tree_stats(os.getpid()).items()}


def _tree_stats(root: int) -> dict[int, tuple[float, float]]:
    """``pid -> (RSS in MB, CPU seconds)`` for ``root`` and its descendants (Linux /proc)."""
    parents: dict[int, int] = {}
    stats: dict[int, tuple[float, float]] = {}
    page, tick = os.sysconf("SC_PAGE_SIZE"), os.sysconf("SC_CLK_TCK")
    try:
        entries = os.listdir("/proc")
    except OSError:
        return {}
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
            parents[int(entry)] = int(fields[1])
            stats[int(entry)] = (int(fields[21]) * page / MB,
                                 (int(fields[11]) + int(fields[12])) / tick)
        except (OSError, IndexError, ValueError):
            continue
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        for child, parent in parents.items():
            if parent == pid and child not in tree:
                tree.add(child)
                frontier.append(child)
    return {pid: stats[pid] for pid in tree if pid in stats}


# --- one core ----------------------------------------------------------------------


def one_core(docs: Sequence[Doc], variants: Sequence[str], peers: Sequence[str],
             corpus: Path | None, corpus_peers: Sequence[str], html: bool) -> list[dict]:
    """Rows of ``{input, system, docs, mb, seconds}``; each system timed in a fresh process (:func:`time_fresh`)."""
    rows = []
    systems = text_systems(peers)
    for variant in variants:
        texts = [doc.inputs[variant] for doc in docs]
        langs = [doc.lang for doc in docs]
        # Warm-up on documents of another variant: imports, compiled patterns,
        # caches, without having seen the measured texts.
        other = ALL_VARIANTS[(ALL_VARIANTS.index(variant) + 1) % len(ALL_VARIANTS)]
        warm = [doc.inputs[other] for doc in docs[:WARMUP_DOCS]]
        for name in systems:
            seconds = time_fresh(name, peers, warm, langs[:WARMUP_DOCS], texts, langs)
            rows.append({"input": variant, "system": name, "docs": len(texts),
                         "mb": sum(map(utf8_len, texts)) / MB, "seconds": seconds})
            _progress(f"one-core {variant} {name}: {seconds:.2f} s")
    if html:
        pages = [doc.html() for doc in docs]
        urls = [doc.url for doc in docs]
        fn = baselines.trafilatura_html
        time_pass(lambda page, url: fn(page, url), pages[:WARMUP_DOCS], urls[:WARMUP_DOCS])
        seconds = time_pass(lambda page, url: fn(page, url), pages, urls)
        rows.append({"input": "html", "system": HTML_PEER, "docs": len(pages),
                     "mb": sum(map(len, pages)) / MB, "seconds": seconds})
        _progress(f"one-core html {HTML_PEER}: {seconds:.2f} s")
    if corpus is not None:
        texts = read_corpus(corpus)
        langs = ["en"] * len(texts)
        warm = [doc.inputs["article"] for doc in docs[:WARMUP_DOCS]]
        for name in text_systems(corpus_peers):
            seconds = time_fresh(name, corpus_peers, warm, langs[:WARMUP_DOCS], texts, langs)
            rows.append({"input": f"corpus {corpus_mb(corpus):g} MB", "system": name,
                         "docs": len(texts), "mb": sum(map(utf8_len, texts)) / MB,
                         "seconds": seconds})
            _progress(f"one-core corpus {name}: {seconds:.2f} s")
    return rows


def corpus_mb(path: Path) -> float:
    return float(path.name.split("-")[1].removesuffix("mb"))


def one_core_table(rows: Sequence[dict]) -> str:
    """Docs/s, MB/s and boilercut's docs/s over the peer's, per input."""
    mine = {row["input"]: row["docs"] / row["seconds"] for row in rows if row["system"] == "boilercut"}
    lines = [("input", "system", "docs", "MB", "seconds", "docs/s", "MB/s", "boilercut/peer docs/s")]
    for row in rows:
        rate = row["docs"] / row["seconds"]
        if row["system"] == "boilercut":
            ratio = ""
        elif row["system"] == HTML_PEER:  # same pages: compare with boilercut on each variant
            ratio = ", ".join(f"{v} {mine[v] / rate:.2f}x" for v in mine if not v.startswith("corpus"))
        else:
            ratio = f"{mine[row['input']] / rate:.3f}x" if row["input"] in mine else ""
        lines.append((row["input"], row["system"], str(row["docs"]), f"{row['mb']:.2f}",
                      f"{row['seconds']:.2f}", f"{rate:,.0f}", f"{row['mb'] / row['seconds']:.2f}",
                      ratio))
    return markdown(lines)


def import_time_ms(runs: int = 5) -> float:
    """Median time of ``import boilercut`` in a fresh interpreter (the limit is 150 ms)."""
    code = ("import time; start = time.perf_counter(); import boilercut; "
            "print(time.perf_counter() - start)")
    times = [float(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                                  text=True).stdout) for _ in range(runs)]
    return statistics.median(times) * 1000


def profile_boilercut(docs: Sequence[Doc], variant: str) -> str:
    """pyinstrument's call tree (cProfile's top functions without it) for a pass over ``variant``."""
    import boilercut

    texts = [doc.inputs[variant] for doc in docs]
    for text in texts[:WARMUP_DOCS]:
        boilercut.clean(text)
    try:
        from pyinstrument import Profiler
    except ImportError:
        import cProfile
        import io
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        for text in texts:
            boilercut.clean(text)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(25)
        return out.getvalue()
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for text in texts:
        boilercut.clean(text)
    profiler.stop()
    return profiler.output_text(unicode=True, color=False, show_all=False)


# --- linearity ----------------------------------------------------------------------


def _linear_child(case: str, factor: int) -> None:
    """In a fresh process: build one input, clean it once, print the figures as JSON."""
    import boilercut

    docs = load_docs(variants=("article",))
    boilercut.clean(docs[0].inputs["article"])  # imports and patterns out of the timing
    text = linear_input(case, factor, docs)
    start = time.perf_counter()
    result = boilercut.clean(text)
    seconds = time.perf_counter() - start
    print(json.dumps({"case": case, "factor": factor, "mb": utf8_len(text) / MB,
                      "lines": text.count("\n") + 1, "seconds": seconds,
                      "removed": len(result.removals), "peak_rss_mb": peak_rss_mb()}))


def linear(cases: Sequence[str], factors: Sequence[int], timeout: float) -> list[dict]:
    rows = []
    for case in cases:
        for factor in factors:
            cmd = [sys.executable, "-m", "bench.speed", "--_linear", case, str(factor)]
            try:
                done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
            except subprocess.TimeoutExpired:
                rows.append({"case": case, "factor": factor, "timeout": timeout})
                _progress(f"linear {case} {factor}x: timed out after {timeout:g} s")
                break  # larger sizes would time out too
            if done.returncode:
                raise RuntimeError(f"linear case {case} {factor}x failed:\n{done.stderr}")
            rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
            _progress(f"linear {case} {factor}x: {rows[-1]['seconds']:.2f} s")
    return rows


def linear_table(rows: Sequence[dict]) -> str:
    lines = [("input", "size", "MB", "lines", "seconds", "MB/s", "time / 1x time", "peak RSS MB")]
    base: dict[str, float] = {}
    for row in rows:
        if "timeout" in row:
            lines.append((row["case"], f"{row['factor']}x", "", "", f"> {row['timeout']:g} (timeout)",
                          "", "", ""))
            continue
        base.setdefault(row["case"], row["seconds"])
        growth = row["seconds"] / base[row["case"]] if base[row["case"]] else float("nan")
        lines.append((row["case"], f"{row['factor']}x", f"{row['mb']:.2f}", f"{row['lines']:,}",
                      f"{row['seconds']:.3f}", f"{row['mb'] / row['seconds']:.2f}",
                      f"{growth:.1f}", f"{row['peak_rss_mb']:.0f}"))
    return markdown(lines)


# --- scale ----------------------------------------------------------------------------


def _scale_child(engine: str, jobs: int, corpus: str, chunk: int) -> None:
    """In a fresh process: clean the corpus with one engine, print the figures as JSON."""
    from boilercut.batch import chunked, clean_chunks

    path = Path(corpus)
    setup = 0.0
    with TreeMonitor() as monitor:
        if engine == "ray":
            os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")  # bind to 127.0.0.1
            os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
            import ray

            from boilercut.ray import clean_dataset

            start = time.perf_counter()
            ray.init(num_cpus=jobs, include_dashboard=False, log_to_driver=False,
                     configure_logging=False, object_store_memory=512 * 2**20)
            ray.data.DataContext.get_current().enable_progress_bars = False
            setup = time.perf_counter() - start
            start = time.perf_counter()
            ds = clean_dataset(ray.data.read_json(str(path)), batch_size=chunk)
            docs = errors = 0
            for batch in ds.iter_batches(batch_format="pyarrow", batch_size=None):
                docs += batch.num_rows
                errors += batch.num_rows - batch.column("error").null_count
            seconds = time.perf_counter() - start
            monitor.sample()
            ray.shutdown()
        else:
            start = time.perf_counter()
            with path.open(encoding="utf-8") as fh:
                records = (json.loads(line) for line in fh)
                docs = errors = 0
                for out in clean_chunks(chunked(records, chunk), jobs=jobs,
                                        in_process=engine == "inline"):
                    docs += len(out)
                    errors += sum("error" in r["boilercut"] for r in out)
            seconds = time.perf_counter() - start
    print(json.dumps({"engine": engine, "jobs": jobs, "docs": docs, "errors": errors,
                      "seconds": seconds, "setup": setup, "mb": path.stat().st_size / MB,
                      "cpu_seconds": monitor.cpu_seconds, "load": os.getloadavg()[0],
                      "peak_self_mb": peak_rss_mb(), "peak_max_mb": monitor.peak_max,
                      "peak_tree_mb": monitor.peak_sum}))


def scale(corpus: Path, configs: Sequence[tuple[str, int]], chunk: int, timeout: float) -> list[dict]:
    rows = []
    for engine, jobs in configs:
        cmd = [sys.executable, "-m", "bench.speed", "--_scale", engine, str(jobs), str(corpus),
               str(chunk)]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            rows.append({"engine": engine, "jobs": jobs, "timeout": timeout})
            continue
        if done.returncode:
            raise RuntimeError(f"scale {engine} x{jobs} failed:\n{done.stderr[-3000:]}")
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
        _progress(f"scale {engine} x{jobs}: {rows[-1]['seconds']:.1f} s")
    return rows


ENGINE_NAMES = {"inline": "in-process (no pool)", "mp": "multiprocessing", "ray": "Ray Data"}


def scale_table(rows: Sequence[dict]) -> str:
    """Wall-clock rates, and CPU-time rates, which other work on the machine does not skew."""
    lines = [("engine", "workers", "docs", "MB", "seconds", "docs/s", "speed-up",
              "docs/s per worker", "CPU s", "docs per CPU s", "peak RSS MB: largest / tree",
              "start-up s", "load")]
    base = None
    for row in rows:
        name = ENGINE_NAMES[row["engine"]]
        if "timeout" in row:
            lines.append((name, str(row["jobs"]), "", "", f"> {row['timeout']:g}", *[""] * 8))
            continue
        rate = row["docs"] / row["seconds"]
        base = base or rate
        lines.append((name, str(row["jobs"]), f"{row['docs']:,}", f"{row['mb']:.1f}",
                      f"{row['seconds']:.1f}", f"{rate:,.0f}", f"{rate / base:.2f}x",
                      f"{rate / row['jobs']:,.0f}", f"{row['cpu_seconds']:.1f}",
                      f"{row['docs'] / row['cpu_seconds']:,.0f}",
                      f"{row['peak_max_mb']:.0f} / {row['peak_tree_mb']:.0f}",
                      f"{row['setup']:.1f}" if row["engine"] == "ray" else "",
                      f"{row['load']:.1f}"))
    return markdown(lines)


def scale_configs(jobs: Sequence[int]) -> list[tuple[str, int]]:
    configs = [("inline", 1)] + [("mp", n) for n in jobs]
    try:
        import ray  # noqa: F401
    except ImportError:
        _progress("scale: Ray is not installed (pip install 'boilercut[ray]'); skipping it")
    else:
        configs += [("ray", n) for n in jobs]
    return configs


# --- output ------------------------------------------------------------------------------


def markdown(rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    out = []
    for n, row in enumerate(rows):
        out.append("| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths)) + " |")
        if n == 0:
            out.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(out)


def _load() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def _progress(message: str) -> None:
    print(f"[speed] {message}", file=sys.stderr, flush=True)


def environment() -> str:
    import boilercut

    versions = []
    for dist in ("trafilatura", "jusText", "ray", "pyarrow"):
        try:
            from importlib.metadata import version

            versions.append(f"{dist} {version(dist)}")
        except Exception:  # not installed
            versions.append(f"{dist} -")
    return (f"Python {platform.python_version()}, boilercut {boilercut.__version__}, "
            f"{', '.join(versions)}; {os.cpu_count()} CPUs, {platform.machine()}; "
            f"load average at start {_load()} (other work on the machine skews the figures)")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.speed", description=__doc__.split("\n\n")[0])
    add = parser.add_argument
    add("--section", choices=(*SECTIONS, "all"), default="all")
    add("--variants", nargs="+", choices=ALL_VARIANTS, default=list(VARIANTS),
        help="inputs timed one-core (default: the three text variants; markdown too on request)")
    add("--peers", nargs="*", choices=TEXT_PEERS, default=list(TEXT_PEERS),
        help="text peers to time (default: all)")
    add("--no-html", action="store_true", help="skip trafilatura on the page HTML")
    add("--corpus-mb", type=float, default=20, metavar="MB",
        help="size of the generated corpus (default %(default)g; the full run: 300; "
             "0: none, one-core only)")
    add("--corpus-peers", nargs="*", choices=TEXT_PEERS, default=["c4_rules"],
        help="peers timed on the corpus too (default: c4_rules; the others are slow)")
    add("--seed", type=int, default=SEED)
    add("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "boilercut-bench",
        help="where the corpus is cached (default: %(default)s)")
    add("--cases", nargs="+", choices=LINEAR_CASES, default=list(LINEAR_CASES))
    add("--factors", nargs="+", type=int, default=list(LINEAR_FACTORS))
    add("--jobs", nargs="+", type=int, default=[1, 2], help="worker counts for the scale section")
    add("--chunk", type=int, default=64, help="records per task in the scale section")
    add("--timeout", type=float, default=300, help="seconds per linear case or scale run")
    add("--profile", action="store_true",
        help="with one-core: print a profile of boilercut on the first variant")
    add("--json", type=Path, metavar="PATH", help="write all figures to PATH")
    add("--_linear", nargs=2, help=argparse.SUPPRESS)
    add("--_scale", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.corpus_mb <= 0 and args.section in ("scale", "all"):
        parser.error("the scale section needs a corpus: --corpus-mb above 0")
    return args


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    if args._linear:
        return _linear_child(args._linear[0], int(args._linear[1]))
    if args._scale:
        engine, jobs, corpus, chunk = args._scale
        return _scale_child(engine, int(jobs), corpus, int(chunk))
    sections = SECTIONS if args.section == "all" else (args.section,)
    docs = load_docs(variants=ALL_VARIANTS)  # the warm-up reads another variant than the timed one
    figures: dict[str, object] = {"environment": environment()}
    print(f"# python -m bench.speed {' '.join(argv if argv is not None else sys.argv[1:])}".rstrip())
    print(f"{figures['environment']}\n")
    corpus = None
    if args.corpus_mb > 0 and ("one-core" in sections or "scale" in sections):
        corpus = corpus_file(docs, args.corpus_mb, args.workdir, args.seed)
    if "one-core" in sections:
        figures["import_ms"] = import_time_ms()
        rows = one_core(docs, args.variants, args.peers, corpus, args.corpus_peers, not args.no_html)
        figures["one_core"] = rows
        print(f"## One core (a fresh process per system; import boilercut: {figures['import_ms']:.0f} ms; "
              f"load average now {_load()})\n")
        print(one_core_table(rows) + "\n")
        if args.profile:
            print(f"## Profile: boilercut on {args.variants[0]}\n")
            print(profile_boilercut(docs, args.variants[0]))
    if "linear" in sections:
        rows = linear(args.cases, args.factors, args.timeout)
        figures["linear"] = rows
        print(f"## Linearity: one clean() call per input, in a fresh process "
              f"(load average now {_load()})\n")
        print(linear_table(rows) + "\n")
    if "scale" in sections:
        rows = scale(corpus, scale_configs(args.jobs), args.chunk, args.timeout)
        figures["scale"] = rows
        print(f"## Scale: the {args.corpus_mb:g} MB corpus, streamed, {args.chunk} records per task "
              f"(load average now {_load()})\n")
        print(scale_table(rows) + "\n")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
