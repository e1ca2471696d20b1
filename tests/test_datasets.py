"""Tests for the bundled SRBCT data and its loader."""

import csv
import gzip
import hashlib
import sys
from collections import Counter
from importlib import resources

import numpy as np
import pytest

from skdistill.datasets import load_srbct
from skdistill.datasets._base import _check_header, _validate_srbct

SRBCT_SHA256 = "dbc6e0d3508aa319476bf48a267d97a2a1aeda988b34a52880b0beb40e8f7d8e"
CLASS_COUNTS = {"EWS": 29, "RMS": 25, "NB": 18, "BL": 11}


def _data_file(name):
    return resources.files("skdistill.datasets").joinpath("data", name)


def _read_header():
    with _data_file("srbct.csv.gz").open("rb") as compressed:
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


def test_bundled_file_checksum():
    digest = hashlib.sha256(_data_file("srbct.csv.gz").read_bytes()).hexdigest()
    assert digest == SRBCT_SHA256


def test_bundled_readme_present():
    readme = _data_file("README.md").read_text(encoding="utf-8")
    assert SRBCT_SHA256 in readme
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
    with pytest.raises(ImportError, match=r"pip install skdistill\[pandas\]"):
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
        _validate_srbct((83, 2307), target)


def test_validate_srbct_rejects_wrong_counts():
    target = np.array(["EWS"] * 30 + ["RMS"] * 24 + ["NB"] * 18 + ["BL"] * 11)
    with pytest.raises(ValueError, match="class counts"):
        _validate_srbct((83, 2308), target)


def test_check_header_rejects_missing_label():
    with pytest.raises(ValueError, match="last column is 'class'"):
        _check_header(["21652", "25725", "class"])
