"""Tests for the bundled data sets and their loaders."""

import csv
import functools
import gzip
import hashlib
import sys
from collections import Counter
from importlib import resources

import numpy as np
import pytest

from skdistill.datasets import load_leukemia, load_splice, load_srbct, load_yeast
from skdistill.datasets._base import (
    _BundledTable,
    _check_header,
    _read_csv_pandas,
    _read_csv_stdlib,
    _validate,
)
from skdistill.datasets._splice import _SPLICE
from skdistill.datasets._srbct import _SRBCT

SRBCT_SHA256 = "dbc6e0d3508aa319476bf48a267d97a2a1aeda988b34a52880b0beb40e8f7d8e"
CLASS_COUNTS = {"EWS": 29, "RMS": 25, "NB": 18, "BL": 11}

# SHA-256 of every bundled file, as listed in data/README.md.
BUNDLED_SHA256 = {
    "srbct.csv.gz": SRBCT_SHA256,
    "leukemia_golub.csv.gz": (
        "b930e22b4b103ca40a95f6b807313a862f49487199ccc4a34e9154758025c0ac"
    ),
    "yeast.csv.gz": "710244c517c322ef5bced30e1e36cdb000fe7fb9d95510f6e27441fdde954f9a",
    "splice.csv.gz": (
        "58456f18896c4465085f6d71b610ab1b6fad13f202e1a490be27acbd2b9829c4"
    ),
}


def _data_file(name):
    return resources.files("skdistill.datasets").joinpath("data", name)


def _read_header(filename="srbct.csv.gz"):
    with _data_file(filename).open("rb") as compressed:
        with gzip.open(compressed, mode="rt", encoding="utf-8", newline="") as text:
            return next(csv.reader(text))


@pytest.fixture
def pd():
    """Return the pandas module, skipping the test when it is not installed."""
    return pytest.importorskip("pandas")


@pytest.fixture
def without_pandas(monkeypatch):
    """Make ``import pandas`` raise ImportError for the duration of a test."""
    monkeypatch.setitem(sys.modules, "pandas", None)


@pytest.mark.parametrize("filename", sorted(BUNDLED_SHA256))
def test_bundled_file_checksum(filename):
    digest = hashlib.sha256(_data_file(filename).read_bytes()).hexdigest()
    assert digest == BUNDLED_SHA256[filename]


@pytest.mark.parametrize("filename", sorted(BUNDLED_SHA256))
def test_bundled_readme_lists_checksum(filename):
    readme = _data_file("README.md").read_text(encoding="utf-8")
    assert f"{BUNDLED_SHA256[filename]}  {filename}" in readme
    assert f"## `{filename}`" in readme


def test_bundled_readme_present():
    readme = _data_file("README.md").read_text(encoding="utf-8")
    assert "Khan" in readme


def test_load_srbct_numpy_shapes():
    bunch = load_srbct(as_frame=False)
    assert isinstance(bunch.data, np.ndarray)
    assert bunch.data.shape == (83, 2308)
    assert bunch.data.dtype == np.float64
    assert isinstance(bunch.target, np.ndarray)
    assert bunch.target.shape == (83,)
    assert bunch.target.dtype == object
    assert bunch.frame is None


def test_load_srbct_values_in_documented_range():
    data = load_srbct(as_frame=False).data
    assert np.isfinite(data).all()
    assert data.min() == pytest.approx(0.0025)
    assert data.max() == pytest.approx(32.6601)


def test_load_srbct_class_counts():
    bunch = load_srbct(as_frame=False)
    assert dict(Counter(bunch.target.tolist())) == CLASS_COUNTS
    assert all(isinstance(label, str) for label in bunch.target)
    assert bunch.target_names.tolist() == ["BL", "EWS", "NB", "RMS"]


def test_load_srbct_rows_grouped_by_class():
    # The file keeps the source's row order: the first rows are one class.
    target = load_srbct(as_frame=False).target
    assert target[:23].tolist() == ["EWS"] * 23
    assert target[23:31].tolist() == ["BL"] * 8


@pytest.mark.parametrize("as_frame", [False, True])
def test_load_srbct_feature_names_match_header(as_frame):
    feature_names = load_srbct(as_frame=as_frame).feature_names
    header = _read_header()
    assert isinstance(feature_names, list)
    assert all(type(name) is str for name in feature_names)
    assert feature_names == header[:-1]
    assert len(set(feature_names)) == 2308
    assert feature_names[:3] == ["21652", "25725", "26184"]


@pytest.mark.parametrize("as_frame", [False, True])
def test_load_srbct_keeps_unusual_names(as_frame):
    # pandas would rename an empty header cell to "Unnamed: 156" on its own.
    feature_names = load_srbct(as_frame=as_frame).feature_names
    assert feature_names[156] == ""
    assert "44255-2" in feature_names
    assert "-2" in feature_names


def test_load_srbct_frame(pd):
    bunch = load_srbct(as_frame=True)
    assert isinstance(bunch.data, pd.DataFrame)
    assert isinstance(bunch.target, pd.Series)
    assert isinstance(bunch.frame, pd.DataFrame)
    assert bunch.data.shape == (83, 2308)
    assert bunch.frame.shape == (83, 2309)
    assert list(bunch.data.columns) == bunch.feature_names
    assert list(bunch.frame.columns) == [*bunch.feature_names, "label"]
    assert set(bunch.data.dtypes) == {np.dtype(np.float64)}
    assert bunch.target.name == "label"
    assert all(isinstance(label, str) for label in bunch.target)


def test_load_srbct_frame_matches_arrays(pd):
    frame_bunch = load_srbct(as_frame=True)
    array_bunch = load_srbct(as_frame=False)
    np.testing.assert_array_equal(frame_bunch.data.to_numpy(), array_bunch.data)
    np.testing.assert_array_equal(frame_bunch.target.to_numpy(), array_bunch.target)
    np.testing.assert_array_equal(frame_bunch.target_names, array_bunch.target_names)


def test_load_srbct_auto_with_pandas(pd):
    bunch = load_srbct()
    assert isinstance(bunch.data, pd.DataFrame)
    assert isinstance(bunch.frame, pd.DataFrame)


def test_load_srbct_auto_without_pandas(without_pandas):
    bunch = load_srbct(as_frame="auto")
    assert isinstance(bunch.data, np.ndarray)
    assert bunch.data.dtype == np.float64
    assert bunch.frame is None
    assert len(bunch.feature_names) == 2308


def test_load_srbct_frame_without_pandas(without_pandas):
    with pytest.raises(ImportError, match=r"pip install \"skdistill\[pandas\]\""):
        load_srbct(as_frame=True)


def test_load_srbct_arrays_without_pandas(without_pandas):
    X, y = load_srbct(return_X_y=True, as_frame=False)
    assert X.shape == (83, 2308)
    assert dict(Counter(y.tolist())) == CLASS_COUNTS


@pytest.mark.parametrize("as_frame", [False, True])
def test_load_srbct_return_X_y(as_frame):
    result = load_srbct(return_X_y=True, as_frame=as_frame)
    bunch = load_srbct(as_frame=as_frame)
    assert isinstance(result, tuple)
    assert len(result) == 2
    X, y = result
    assert type(X) is type(bunch.data)
    assert type(y) is type(bunch.target)
    np.testing.assert_array_equal(np.asarray(X), np.asarray(bunch.data))
    np.testing.assert_array_equal(np.asarray(y), np.asarray(bunch.target))


@pytest.mark.parametrize("as_frame", ["yes", "Auto", 1, 0, None, "true"])
def test_load_srbct_invalid_as_frame(as_frame):
    with pytest.raises(ValueError, match=rf"as_frame: {as_frame!r}"):
        load_srbct(as_frame=as_frame)


def test_load_srbct_accepts_numpy_bool():
    bunch = load_srbct(as_frame=np.False_)
    assert isinstance(bunch.data, np.ndarray)


def test_load_srbct_metadata():
    bunch = load_srbct(as_frame=False)
    assert bunch.filename.endswith("srbct.csv.gz")
    assert "Khan" in bunch.DESCR
    assert "83" in bunch.DESCR


def test_validate_srbct_rejects_wrong_shape():
    target = np.array(["EWS"] * 29 + ["RMS"] * 25 + ["NB"] * 18 + ["BL"] * 11)
    with pytest.raises(ValueError, match=r"shape \(83, 2307\)"):
        _validate(_SRBCT, np.ones((83, 2307)), target)


def test_validate_srbct_rejects_wrong_counts():
    target = np.array(["EWS"] * 30 + ["RMS"] * 24 + ["NB"] * 18 + ["BL"] * 11)
    with pytest.raises(ValueError, match="class counts"):
        _validate(_SRBCT, np.ones((83, 2308)), target)


def test_check_header_rejects_missing_label():
    with pytest.raises(ValueError, match="last column is 'class'"):
        _check_header(["21652", "25725", "class"], "srbct.csv.gz")


# Expected content of the data sets added after SRBCT, one row per loader:
# file name, shape, feature dtype and class counts.
NEW_DATASETS = {
    "leukemia": (
        load_leukemia,
        "leukemia_golub.csv.gz",
        (72, 5147),
        np.float64,
        {"ALL": 47, "AML": 25},
    ),
    "yeast": (
        load_yeast,
        "yeast.csv.gz",
        (1484, 8),
        np.float64,
        {
            "CYT": 463,
            "NUC": 429,
            "MIT": 244,
            "ME3": 163,
            "ME2": 51,
            "ME1": 44,
            "EXC": 35,
            "VAC": 30,
            "POX": 20,
            "ERL": 5,
        },
    ),
    "splice": (
        load_splice,
        "splice.csv.gz",
        (3190, 60),
        object,
        {"EI": 767, "IE": 768, "N": 1655},
    ),
}


@functools.cache
def _load_cached(name, as_frame):
    """Load a data set once per test session. Tests must not modify it."""
    loader = NEW_DATASETS[name][0]
    return loader(as_frame=as_frame)


@pytest.mark.parametrize("name", sorted(NEW_DATASETS))
def test_loader_numpy_shapes_and_dtypes(name):
    _, filename, shape, feature_dtype, _ = NEW_DATASETS[name]
    bunch = _load_cached(name, False)
    assert isinstance(bunch.data, np.ndarray)
    assert bunch.data.shape == shape
    assert bunch.data.dtype == feature_dtype
    assert isinstance(bunch.target, np.ndarray)
    assert bunch.target.shape == (shape[0],)
    assert bunch.target.dtype == object
    assert bunch.frame is None
    assert bunch.filename.endswith(filename)
    assert str(shape[0]) in bunch.DESCR


@pytest.mark.parametrize("name", sorted(NEW_DATASETS))
@pytest.mark.parametrize("as_frame", [False, True])
def test_loader_class_counts(name, as_frame):
    if as_frame:
        pytest.importorskip("pandas")
    class_counts = NEW_DATASETS[name][4]
    bunch = _load_cached(name, as_frame)
    target = list(bunch.target)
    assert dict(Counter(target)) == class_counts
    assert all(type(label) is str for label in target)
    assert bunch.target_names.tolist() == sorted(class_counts)
    assert all(type(label) is str for label in bunch.target_names)


@pytest.mark.parametrize("name", sorted(NEW_DATASETS))
@pytest.mark.parametrize("as_frame", [False, True])
def test_loader_feature_names_match_header(name, as_frame):
    if as_frame:
        pytest.importorskip("pandas")
    filename, shape = NEW_DATASETS[name][1:3]
    feature_names = _load_cached(name, as_frame).feature_names
    assert isinstance(feature_names, list)
    assert all(type(feature) is str for feature in feature_names)
    assert feature_names == _read_header(filename)[:-1]
    assert len(set(feature_names)) == shape[1]


@pytest.mark.parametrize("name", sorted(NEW_DATASETS))
def test_loader_frame(pd, name):
    _, _, shape, feature_dtype, _ = NEW_DATASETS[name]
    bunch = _load_cached(name, True)
    assert isinstance(bunch.data, pd.DataFrame)
    assert isinstance(bunch.target, pd.Series)
    assert isinstance(bunch.frame, pd.DataFrame)
    assert bunch.data.shape == shape
    assert bunch.frame.shape == (shape[0], shape[1] + 1)
    assert list(bunch.data.columns) == bunch.feature_names
    assert list(bunch.frame.columns) == [*bunch.feature_names, "label"]
    assert set(bunch.data.dtypes) == {np.dtype(feature_dtype)}
    assert bunch.target.dtype == object
    assert bunch.target.name == "label"


@pytest.mark.parametrize("name", sorted(NEW_DATASETS))
def test_loader_frame_matches_arrays(pd, name):
    frame_bunch = _load_cached(name, True)
    array_bunch = _load_cached(name, False)
    np.testing.assert_array_equal(frame_bunch.data.to_numpy(), array_bunch.data)
    np.testing.assert_array_equal(frame_bunch.target.to_numpy(), array_bunch.target)
    np.testing.assert_array_equal(frame_bunch.target_names, array_bunch.target_names)


@pytest.mark.parametrize("name", sorted(NEW_DATASETS))
def test_loader_auto_with_pandas(pd, name):
    loader = NEW_DATASETS[name][0]
    bunch = loader()
    assert isinstance(bunch.data, pd.DataFrame)
    assert isinstance(bunch.frame, pd.DataFrame)


@pytest.mark.parametrize("name", sorted(NEW_DATASETS))
def test_loader_auto_without_pandas(without_pandas, name):
    loader, _, shape, feature_dtype, class_counts = NEW_DATASETS[name]
    bunch = loader(as_frame="auto")
    assert isinstance(bunch.data, np.ndarray)
    assert bunch.data.shape == shape
    assert bunch.data.dtype == feature_dtype
    assert bunch.frame is None
    assert dict(Counter(bunch.target.tolist())) == class_counts


@pytest.mark.parametrize("name", sorted(NEW_DATASETS))
def test_loader_frame_without_pandas(without_pandas, name):
    loader = NEW_DATASETS[name][0]
    with pytest.raises(ImportError, match=r"pip install \"skdistill\[pandas\]\""):
        loader(as_frame=True)


@pytest.mark.parametrize("name", sorted(NEW_DATASETS))
@pytest.mark.parametrize("as_frame", [False, True])
def test_loader_return_X_y(name, as_frame):
    if as_frame:
        pytest.importorskip("pandas")
    loader = NEW_DATASETS[name][0]
    result = loader(return_X_y=True, as_frame=as_frame)
    bunch = _load_cached(name, as_frame)
    assert isinstance(result, tuple)
    assert len(result) == 2
    X, y = result
    assert type(X) is type(bunch.data)
    assert type(y) is type(bunch.target)
    np.testing.assert_array_equal(np.asarray(X), np.asarray(bunch.data))
    np.testing.assert_array_equal(np.asarray(y), np.asarray(bunch.target))


@pytest.mark.parametrize("name", sorted(NEW_DATASETS))
def test_loader_invalid_as_frame(name):
    loader = NEW_DATASETS[name][0]
    with pytest.raises(ValueError, match="as_frame: 'yes'"):
        loader(as_frame="yes")


def test_load_leukemia_integer_values_as_float():
    # The file stores integers. They load as float64 without any rounding.
    data = _load_cached("leukemia", False).data
    assert np.isfinite(data).all()
    np.testing.assert_array_equal(data, np.round(data))
    assert data.min() == -10162.0
    assert data.max() == 71369.0
    assert (data < 0).sum() == 56401


def test_load_leukemia_original_split():
    target = _load_cached("leukemia", False).target
    assert target[:27].tolist() == ["ALL"] * 27
    assert target[27:38].tolist() == ["AML"] * 11
    assert target[38:58].tolist() == ["ALL"] * 20
    assert target[58:].tolist() == ["AML"] * 14


def test_load_leukemia_keeps_source_value():
    # The source has -6 where another public copy has -60 (patient 62).
    bunch = _load_cached("leukemia", False)
    column = bunch.feature_names.index("Z78285_f_at")
    assert bunch.data[-1, column] == -6.0


def test_load_yeast_values():
    bunch = _load_cached("yeast", False)
    assert bunch.feature_names == [
        "mcg",
        "gvh",
        "alm",
        "mit",
        "erl",
        "pox",
        "vac",
        "nuc",
    ]
    assert bunch.data.min() == 0.0
    assert bunch.data.max() == 1.0
    assert set(bunch.data[:, 4].tolist()) == {0.5, 1.0}


def test_load_yeast_duplicate_rows():
    bunch = _load_cached("yeast", False)
    features = [tuple(row) for row in bunch.data.tolist()]
    rows = list(zip(features, bunch.target.tolist(), strict=True))
    assert len(rows) - len(set(rows)) == 31
    # Equal counts mean that no repeated feature vector has two labels.
    assert len(set(features)) == len(set(rows))


@pytest.mark.parametrize("as_frame", [False, True])
def test_load_splice_letters(as_frame):
    if as_frame:
        pytest.importorskip("pandas")
    data = np.asarray(_load_cached("splice", as_frame).data)
    letters = Counter(data.ravel().tolist())
    assert all(type(letter) is str for letter in letters)
    assert set(letters) == set("ACGTNDSR")
    assert letters["N"] == 56
    assert letters["D"] == 2
    assert letters["S"] == 1
    assert letters["R"] == 1


@pytest.mark.parametrize("as_frame", [False, True])
def test_load_splice_label_n_not_missing(as_frame):
    if as_frame:
        pytest.importorskip("pandas")
    bunch = _load_cached("splice", as_frame)
    target = list(bunch.target)
    assert target.count("N") == 1655
    assert all(type(label) is str for label in target)
    assert "N" in bunch.target_names.tolist()


def test_load_splice_frame_has_no_missing(pd):
    frame = _load_cached("splice", True).frame
    assert not frame.isna().to_numpy().any()


def test_load_splice_matches_file():
    bunch = _load_cached("splice", False)
    with _data_file("splice.csv.gz").open("rb") as compressed:
        with gzip.open(compressed, mode="rt", encoding="utf-8", newline="") as text:
            rows = list(csv.reader(text))[1:]
    assert bunch.data.tolist() == [row[:-1] for row in rows]
    assert bunch.target.tolist() == [row[-1] for row in rows]


def test_load_splice_feature_names():
    feature_names = _load_cached("splice", False).feature_names
    assert feature_names[:2] == ["p-30", "p-29"]
    assert feature_names[29:31] == ["p-1", "p+1"]
    assert feature_names[-1] == "p+30"
    assert "p0" not in feature_names


def test_load_splice_rows_grouped_by_class():
    target = _load_cached("splice", False).target
    assert target[:767].tolist() == ["EI"] * 767
    assert target[767:1535].tolist() == ["IE"] * 768
    assert target[1535:].tolist() == ["N"] * 1655


def test_load_splice_duplicate_sequences():
    bunch = _load_cached("splice", False)
    sequences = ["".join(row) for row in bunch.data]
    assert len(sequences) - len(set(sequences)) == 185
    assert sequences[1021] == sequences[1968]
    assert bunch.target[1021] == "IE"
    assert bunch.target[1968] == "N"


def test_load_splice_columns_stay_object(pd):
    # pandas 3 infers its `str` dtype for text columns by default, and
    # pandas 2.1 to 2.3 do so under this option. The loader requests object.
    try:
        pd.get_option("future.infer_string")
    except pd.errors.OptionError:
        pytest.skip("pandas before 2.1 has no future.infer_string option")
    with pd.option_context("future.infer_string", True):
        bunch = load_splice(as_frame=True)
    assert set(bunch.data.dtypes) == {np.dtype(object)}
    assert bunch.target.dtype == object
    assert (bunch.data.to_numpy() == "A").sum() > 0


def test_validate_rejects_missing_value():
    data = np.ones((83, 2308))
    data[5, 7] = np.nan
    target = np.array(["EWS"] * 29 + ["RMS"] * 25 + ["NB"] * 18 + ["BL"] * 11)
    with pytest.raises(ValueError, match="1 missing feature values"):
        _validate(_SRBCT, data, target)


def test_validate_rejects_unknown_letter():
    data = np.full((3190, 60), "A", dtype=object)
    data[0, 0] = "X"
    target = np.array(["EI"] * 767 + ["IE"] * 768 + ["N"] * 1655, dtype=object)
    with pytest.raises(ValueError, match=r"feature values \['X'\]"):
        _validate(_SPLICE, data, target)


def test_validate_rejects_non_string_feature():
    data = np.full((3190, 60), "A", dtype=object)
    data[0, 0] = np.nan
    target = np.array(["EI"] * 767 + ["IE"] * 768 + ["N"] * 1655, dtype=object)
    with pytest.raises(ValueError, match="non-string feature values"):
        _validate(_SPLICE, data, target)


def _write_gzip_csv(path, text):
    with gzip.open(path, mode="wt", encoding="utf-8", newline="") as handle:
        handle.write(text)
    return path


TINY_TABLE = _BundledTable(
    filename="tiny.csv.gz",
    n_samples=2,
    n_features=2,
    class_counts={"N": 1, "EI": 1},
    descr="",
    feature_dtype=object,
    feature_values=frozenset("ACGT"),
)


def test_read_csv_stdlib_rejects_short_row(tmp_path):
    path = _write_gzip_csv(tmp_path / "tiny.csv.gz", "a,b,label\nA,C,N\nG,EI\n")
    with pytest.raises(ValueError, match="line 3 has 2 fields, expected 3"):
        _read_csv_stdlib(path, TINY_TABLE)


@pytest.mark.parametrize("reader", ["stdlib", "pandas"])
def test_read_csv_keeps_n_and_na_strings(tmp_path, reader):
    # "NA" and "N/A" are in pandas' default list of missing-value markers.
    path = _write_gzip_csv(tmp_path / "tiny.csv.gz", "a,b,label\nNA,N/A,N\nG,T,EI\n")
    if reader == "pandas":
        pytest.importorskip("pandas")
        data, target, _ = _read_csv_pandas(path, TINY_TABLE)
        data, target = data.to_numpy(), target.to_numpy()
    else:
        _, data, target = _read_csv_stdlib(path, TINY_TABLE)
    assert data.tolist() == [["NA", "N/A"], ["G", "T"]]
    assert target.tolist() == ["N", "EI"]
