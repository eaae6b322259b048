"""Compressed inputs and outputs: gzip, bz2, xz and zstd, read by name and magic bytes,
written by the suffix of -o."""

import bz2
import gzip
import io
import json
import lzma
import sys

import pytest

from boilercut.cli import main
from tests.conftest import needs_trafilatura
from tests.test_cli_inputs import ARTICLE, SENTENCE, jsonl, write

try:
    import zstandard
except ImportError:
    zstandard = None
needs_zstd = pytest.mark.skipif(zstandard is None, reason="no zstandard (boilercut[zstd])")

COMPRESS = {
    ".gz": gzip.compress,
    ".bz2": bz2.compress,
    ".xz": lzma.compress,
    ".zst": lambda data: zstandard.ZstdCompressor().compress(data),
}
DECOMPRESS = {
    ".gz": gzip.decompress,
    ".bz2": bz2.decompress,
    ".xz": lzma.decompress,
    ".zst": lambda data: zstandard.ZstdDecompressor().stream_reader(
        io.BytesIO(data), read_across_frames=True).read(),
}
SUFFIXES = [".gz", ".bz2", ".xz", pytest.param(".zst", marks=needs_zstd)]


@pytest.fixture
def cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


RECORDS = jsonl([{"id": i, "text": ARTICLE} for i in range(200)]).encode()


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_compressed_text_and_jsonl_are_read_by_their_names(cwd, capsys, suffix):
    write(cwd / f"a.txt{suffix}", COMPRESS[suffix](ARTICLE.encode()))
    assert main([f"a.txt{suffix}"]) == 0
    assert capsys.readouterr().out == SENTENCE + "\n"
    write(cwd / f"crawl.jsonl{suffix}", COMPRESS[suffix](RECORDS))
    assert main([f"crawl.jsonl{suffix}"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 200 and json.loads(out[199])["boilercut"]["body"] == SENTENCE
    # The first bytes tell the format: a .gz that holds zstd data is read all the same.
    write(cwd / "other.txt.gz", COMPRESS[suffix](ARTICLE.encode()))
    assert main(["other.txt.gz"]) == 0
    assert capsys.readouterr().out == SENTENCE + "\n"


def test_only_a_compression_suffix_makes_a_named_file_compressed(cwd, capsys):
    write(cwd / "plain.jsonl", gzip.compress(RECORDS))  # a .jsonl is not decompressed
    assert main(["plain.jsonl", "--quiet"]) == 1
    assert capsys.readouterr().err == "boilercut: plain.jsonl: binary file (contains NUL bytes)\n"
    write(cwd / "notes.txt.gz", ARTICLE)
    assert main(["notes.txt.gz"]) == 1
    assert capsys.readouterr().err == (
        "boilercut: notes.txt.gz: not gzip data, though its name ends in .gz\n")


class Pipe(io.BytesIO):
    """stdin from a pipe: it cannot seek back to the start."""

    def seekable(self):
        return False


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_compressed_stdin_from_a_pipe(monkeypatch, capsys, suffix):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(Pipe(COMPRESS[suffix](RECORDS))))
    assert main(["--jsonl"]) == 0
    assert capsys.readouterr().out.count("\n") == 200
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(Pipe(COMPRESS[suffix](ARTICLE.encode()))))
    assert main([]) == 0
    assert capsys.readouterr().out == SENTENCE + "\n"


def test_concatenated_members_and_frames_are_all_read(cwd, capsys):
    half = len(RECORDS) // 2
    cut = RECORDS.index(b"\n", half) + 1
    for suffix, pack in COMPRESS.items():
        if suffix == ".zst" and zstandard is None:
            continue
        write(cwd / f"c.jsonl{suffix}", pack(RECORDS[:cut]) + pack(RECORDS[cut:]))
        assert main([f"c.jsonl{suffix}"]) == 0
        assert capsys.readouterr().out.count("\n") == 200, suffix


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_output_is_compressed_by_its_suffix(cwd, suffix):
    write(cwd / "crawl.jsonl", RECORDS)
    write(cwd / "a.txt", ARTICLE)
    assert main(["crawl.jsonl", "-o", "plain.jsonl"]) == 0
    assert main(["crawl.jsonl", "-o", f"out.jsonl{suffix}"]) == 0
    packed = (cwd / f"out.jsonl{suffix}").read_bytes()
    assert packed != (cwd / "plain.jsonl").read_bytes()
    assert DECOMPRESS[suffix](packed) == (cwd / "plain.jsonl").read_bytes()
    assert main(["a.txt", "-o", f"a.clean.txt{suffix}"]) == 0
    packed = (cwd / f"a.clean.txt{suffix}").read_bytes()
    assert DECOMPRESS[suffix](packed) == (SENTENCE + "\n").encode()


def test_gzip_output_is_the_same_bytes_every_run(cwd):
    write(cwd / "crawl.jsonl", RECORDS)
    assert main(["crawl.jsonl", "-o", "one.jsonl.gz"]) == 0
    assert main(["crawl.jsonl", "-o", "two.jsonl.gz"]) == 0
    assert (cwd / "one.jsonl.gz").read_bytes() == (cwd / "two.jsonl.gz").read_bytes()


@needs_zstd
def test_a_directory_of_compressed_files_is_mirrored_compressed(cwd):
    write(cwd / "in" / "a.txt.gz", gzip.compress(ARTICLE.encode()))
    write(cwd / "in" / "sub" / "b.txt", ARTICLE)
    write(cwd / "in" / "c.jsonl.zst", COMPRESS[".zst"](RECORDS))
    write(cwd / "in" / "d.tar.gz", b"not ours")
    assert main(["in", "-o", "out"]) == 0
    assert sorted(str(p.relative_to(cwd / "out")) for p in (cwd / "out").rglob("*.*")) == [
        "a.txt.gz", "sub/b.txt"]
    cleaned = gzip.decompress((cwd / "out" / "a.txt.gz").read_bytes())
    assert cleaned == (SENTENCE + "\n").encode()
    assert main(["in", "-o", "json", "--format", "json"]) == 0
    result = json.loads(gzip.decompress((cwd / "json" / "a.json.gz").read_bytes()))
    assert result["body"] == SENTENCE
    assert main(["--jsonl", "in", "-o", "records"]) == 0
    assert DECOMPRESS[".zst"]((cwd / "records" / "c.jsonl.zst").read_bytes()).count(b"\n") == 200


ENDED = "(Compressed file ended before the end-of-stream marker was reached)"


@pytest.mark.parametrize(("suffix", "reason"), [
    (".gz", f"damaged gzip data {ENDED}"),
    (".bz2", f"damaged bz2 data {ENDED}"),
    (".xz", f"damaged xz data {ENDED}"),
    pytest.param(".zst", "damaged zstd data (the data ends inside a frame)", marks=needs_zstd),
])
def test_a_truncated_compressed_file_is_one_error_and_no_output(cwd, capsys, suffix, reason):
    packed = COMPRESS[suffix](RECORDS)
    write(cwd / f"crawl.jsonl{suffix}", packed[:len(packed) // 2])
    assert main([f"crawl.jsonl{suffix}", "-o", "out.jsonl", "--quiet"]) == 1
    assert capsys.readouterr().err == f"boilercut: crawl.jsonl{suffix}: {reason}\n"
    assert not (cwd / "out.jsonl").exists()


@needs_zstd
def test_without_zstandard_the_command_names_the_extra(cwd, capsys, monkeypatch):
    write(cwd / "a.txt.zst", COMPRESS[".zst"](ARTICLE.encode()))
    write(cwd / "b.txt", ARTICLE)
    monkeypatch.setitem(sys.modules, "zstandard", None)  # import zstandard now fails
    assert main(["a.txt.zst", "b.txt"]) == 1
    out, err = capsys.readouterr()
    assert SENTENCE in out  # the other input is still cleaned
    assert err.splitlines()[0] == (
        "boilercut: a.txt.zst: zstd needs the zstandard package: pip install 'boilercut[zstd]'")
    assert main(["a.txt.zst", "b.txt", "-o", "out"]) == 2  # out/a.txt.zst: nothing cleaned
    assert not (cwd / "out").exists()
    capsys.readouterr()
    assert main(["b.txt", "-o", "b.txt.zst"]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "boilercut: error: cannot write b.txt.zst: zstd needs the zstandard package: "
        "pip install 'boilercut[zstd]'")


@needs_trafilatura
def test_a_warc_file_compressed_with_xz_is_read(cwd, capsys):
    pytest.importorskip("warcio")
    from tests.test_warc import build_warc

    warc = build_warc(gzipped=False, broken=False)
    write(cwd / "crawl.warc", warc)
    write(cwd / "crawl.warc.xz", lzma.compress(warc))
    assert main(["crawl.warc", "--quiet"]) == 0
    plain = capsys.readouterr().out
    assert main(["crawl.warc.xz", "--quiet"]) == 0
    assert capsys.readouterr().out == plain.replace('"source":"crawl.warc"',
                                                    '"source":"crawl.warc.xz"')


def test_damaged_compressed_stdin_is_one_error(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(Pipe(gzip.compress(ARTICLE.encode())[:20])))
    assert main([]) == 1
    assert capsys.readouterr() == ("", "boilercut: <stdin>: damaged gzip data " + ENDED + "\n")
