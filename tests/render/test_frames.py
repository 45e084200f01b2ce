import polars as pl
import pytest

from framing.errors import InputError
from framing.render.frames import neutralise_csv, write_frames


def test_csv_formula_prefixes_are_neutralised():
    frame = pl.DataFrame({"text": ["=HYPERLINK(1)", "+1", "-2", "@x", "plain", None], "n": [1, 2, 3, 4, 5, 6]})
    out = neutralise_csv(frame)
    assert out["text"].to_list() == ["'=HYPERLINK(1)", "'+1", "'-2", "'@x", "plain", None]
    assert out["n"].to_list() == [1, 2, 3, 4, 5, 6]


def test_list_columns_are_joined_in_csv():
    frame = pl.DataFrame({"removed": [["chrome: Header Ads", "=evil"], []]})
    assert neutralise_csv(frame)["removed"].to_list() == ["chrome: Header Ads | =evil", ""]


@pytest.mark.parametrize("fmt, ext", [("parquet", "parquet"), ("csv", "csv"), ("jsonl", "jsonl")])
def test_write_frames_is_byte_identical(tmp_path, fmt, ext):
    frames = {"b": pl.DataFrame({"x": [1, 2]}), "a": pl.DataFrame({"y": ["=1", "z"]})}
    first = write_frames(frames, tmp_path / "one", fmt=fmt)
    second = write_frames(frames, tmp_path / "two", fmt=fmt)
    assert [p.name for p in first] == [f"a.{ext}", f"b.{ext}"]
    assert all(p.read_bytes() == q.read_bytes() for p, q in zip(first, second))
    if fmt == "csv":
        assert (tmp_path / "one" / "a.csv").read_text().splitlines() == ["y", "'=1", "z"]


def test_unknown_format_is_a_clear_error(tmp_path):
    with pytest.raises(InputError, match="choose one of parquet, csv, jsonl"):
        write_frames({"a": pl.DataFrame({"x": [1]})}, tmp_path, fmt="xlsx")
