"""boilercut --parquet: a Parquet file cleaned row group by row group, every column kept."""

import pytest

pa = pytest.importorskip("pyarrow", reason="pyarrow not installed (boilercut[arrow])")
pq = pytest.importorskip("pyarrow.parquet")

from boilercut.batch import clean_arrow  # noqa: E402
from boilercut.cli import main  # noqa: E402
from tests.test_cli_inputs import ARTICLE, SENTENCE  # noqa: E402

ROWS = {"id": [1, 2, 3, 4, 5],
        "url": [f"https://a.example/{i}" for i in range(1, 6)],
        "text": [ARTICLE, "By Jane Roe\n\n" + SENTENCE, None, ARTICLE, "Advertisement"]}


@pytest.fixture
def cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write_parquet(path, rows=ROWS, row_group_size=2):
    table = pa.table(rows)
    pq.write_table(table, path, row_group_size=row_group_size)
    return table


@pytest.mark.parametrize("argv", [["--parquet", "in.parquet"], ["in.parquet", "--field", "text"]])
def test_parquet_in_parquet_out_with_clean_arrows_columns(cwd, capsys, argv):
    table = write_parquet(cwd / "in.parquet")
    assert main([*argv, "-o", "out.parquet"]) == 1  # row 3 is null
    out = pq.read_table(cwd / "out.parquet")
    assert out.equals(clean_arrow(table, column="text"))
    assert out.column_names[:3] == ["id", "url", "text"]
    assert out.column("body").to_pylist()[:2] == [SENTENCE, SENTENCE]
    assert out.column("authors").to_pylist()[1] == ["Jane Roe"]
    assert capsys.readouterr().err == "boilercut: in.parquet: row 3: 'text' is null\n"


def test_parquet_is_read_and_written_row_group_by_row_group(cwd, monkeypatch):
    write_parquet(cwd / "in.parquet")
    groups = []
    real = pq.ParquetFile.read_row_group

    def spy(self, i, *args, **kwargs):
        groups.append(i)
        return real(self, i, *args, **kwargs)

    monkeypatch.setattr(pq.ParquetFile, "read_row_group", spy)
    monkeypatch.setattr(pq.ParquetFile, "read", lambda *a, **k: pytest.fail("read whole"))
    assert main(["in.parquet", "-o", "out.parquet", "--quiet"]) == 1
    assert groups == [0, 1, 2]
    assert pq.ParquetFile(cwd / "out.parquet").num_row_groups == 3


def test_parquet_with_workers_and_another_column(cwd, capsys):
    rows = {"content": [ARTICLE] * 40, "n": list(range(40))}
    table = write_parquet(cwd / "in.parquet", rows, row_group_size=7)
    (cwd / "out").mkdir()  # an existing directory: the output is out/in.parquet
    assert main(["in.parquet", "--field", "content", "-o", "out", "--jobs", "2"]) == 0
    out = pq.read_table(cwd / "out" / "in.parquet")
    assert out.equals(clean_arrow(table, column="content"))
    assert out.column("n").to_pylist() == list(range(40))


def test_a_missing_column_is_one_error_naming_the_columns(cwd, capsys):
    write_parquet(cwd / "in.parquet", {"content": [ARTICLE], "id": [1]})
    assert main(["in.parquet", "-o", "out.parquet"]) == 1
    assert capsys.readouterr().err == (
        "boilercut: in.parquet: no column 'text' (it has 'content', 'id'); "
        "--field NAME names the text's column\n")
    assert not (cwd / "out.parquet").exists()


def test_columns_named_like_boilercuts_and_files_that_are_not_parquet(cwd, capsys):
    write_parquet(cwd / "in.parquet", {"text": [ARTICLE], "title": ["x"]})
    (cwd / "fake.parquet").write_bytes(b"PAR1 not really")
    assert main(["in.parquet", "fake.parquet", "-o", "out"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == ("boilercut: in.parquet: its column(s) 'title' have the names of columns "
                      "boilercut adds; rename them first")
    assert err[1].startswith("boilercut: fake.parquet: not a Parquet file (")
    assert not (cwd / "out").exists() or not list((cwd / "out").iterdir())


@pytest.mark.parametrize(("argv", "message"), [
    (["in.parquet"], "Parquet input needs -o"),
    (["--parquet", "-", "-o", "out.parquet"], "Parquet input must be a file, not stdin"),
    (["in.parquet", "-o", "o.parquet", "--explain"], "--explain does not apply to Parquet input"),
    (["in.parquet", "-o", "o.parquet", "--strict"], "--strict does not apply to Parquet input"),
    (["in.parquet", "-o", "o.parquet", "--html"], "--html does not apply to Parquet input"),
    (["--parquet", "--jsonl", "in.parquet"], "--parquet does not combine with --jsonl or --warc"),
])
def test_parquet_usage_errors(cwd, capsys, argv, message):
    write_parquet(cwd / "in.parquet")
    assert main(argv) == 2
    assert message in capsys.readouterr().err
