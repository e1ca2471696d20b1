"""BinomialThinning: sparse integer counts thinned row by row."""

# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils._param_validation import InvalidParameterError

from skdistill import BinomialThinning, DistilledClassifier

from _support import make_counts


def blocks_of(X_synthetic, n_rows):
    return [
        X_synthetic[start : start + n_rows]
        for start in range(0, X_synthetic.shape[0], n_rows)
    ]


def test_shape_is_size_blocks():
    X, _ = make_counts()

    X_synthetic = BinomialThinning(size=3).sample(X, random_state=0)

    assert X_synthetic.shape == (3 * X.shape[0], X.shape[1])


def test_sparse_stays_csr():
    X, _ = make_counts()

    X_synthetic = BinomialThinning(size=2).sample(X, random_state=0)

    assert sparse.issparse(X_synthetic)
    assert X_synthetic.format == "csr"
    assert X_synthetic.dtype == X.dtype
    assert X_synthetic.nnz <= 2 * X.nnz
    assert np.all(X_synthetic.data != 0)


@pytest.mark.parametrize("format", ["csc", "coo"])
def test_other_sparse_formats_give_csr(format):
    X, _ = make_counts()

    X_synthetic = BinomialThinning(size=2).sample(X.asformat(format), random_state=0)

    assert X_synthetic.format == "csr"
    assert X_synthetic.shape == (2 * X.shape[0], X.shape[1])


def test_counts_integer_within_source():
    X, _ = make_counts()
    X_synthetic = BinomialThinning(size=4).sample(X, random_state=0)

    assert np.all(X_synthetic.data == np.floor(X_synthetic.data))
    assert np.all(X_synthetic.data > 0)
    for block in blocks_of(X_synthetic, X.shape[0]):
        assert np.all(block.toarray() <= X.toarray())


def test_zeros_stay_zero():
    X, _ = make_counts()
    X_synthetic = BinomialThinning(size=3).sample(X, random_state=0)

    for block in blocks_of(X_synthetic, X.shape[0]):
        assert np.all(block.toarray()[X.toarray() == 0] == 0)


def test_keep_probability_one_copies_rows():
    X, _ = make_counts()

    X_synthetic = BinomialThinning(size=2, keep_probability=1.0).sample(X)

    for block in blocks_of(X_synthetic, X.shape[0]):
        assert (block != X).nnz == 0


def test_keep_probability_sets_depth():
    X, _ = make_counts(n_cells=600)

    X_synthetic = BinomialThinning(size=1, keep_probability=0.25).sample(
        X, random_state=0
    )

    ratio = X_synthetic.sum() / X.sum()
    assert 0.2 < ratio < 0.3


def test_keep_range_varies_by_row():
    X = sparse.csr_matrix(np.full((400, 5), 100.0))

    X_synthetic = BinomialThinning(size=1, keep_probability=(0.2, 0.8)).sample(
        X, random_state=0
    )

    depth = np.asarray(X_synthetic.sum(axis=1)).ravel() / 500
    assert depth.min() < 0.3
    assert depth.max() > 0.7


def test_same_seed_same_rows():
    X, _ = make_counts()
    thinning = BinomialThinning(size=2)

    first = thinning.sample(X, random_state=3)
    second = thinning.sample(X, random_state=3)
    other = thinning.sample(X, random_state=4)

    assert (first != second).nnz == 0
    assert (first != other).nnz > 0


def test_dense_array_and_frame():
    X, _ = make_counts()
    dense = X.toarray().astype(np.int32)
    frame = pd.DataFrame(dense, columns=[f"gene{i}" for i in range(dense.shape[1])])

    from_sparse = BinomialThinning(size=2).sample(X, random_state=0)
    from_dense = BinomialThinning(size=2).sample(dense, random_state=0)
    from_frame = BinomialThinning(size=2).sample(frame, random_state=0)

    assert from_dense.dtype == np.int32
    np.testing.assert_array_equal(from_dense, from_frame.to_numpy())
    assert list(from_frame.columns) == list(frame.columns)
    assert from_frame.index.equals(pd.RangeIndex(2 * dense.shape[0]))
    assert from_sparse.shape == from_dense.shape


@pytest.mark.parametrize(
    "value, message",
    [(-1.0, "non-negative"), (0.5, "whole-number"), (np.nan, "whole-number")],
)
@pytest.mark.parametrize(
    "to_input", [sparse.csr_matrix, np.asarray], ids=["csr", "dense"]
)
def test_non_count_values_raise(value, message, to_input):
    X = np.array([[1.0, 2.0], [3.0, value]])

    with pytest.raises(ValueError, match=message) as excinfo:
        BinomialThinning().sample(to_input(X))

    assert "raw counts" in str(excinfo.value)


def test_infinite_count_raises():
    X = sparse.csr_matrix(np.array([[1.0, np.inf]]))

    with pytest.raises(ValueError, match="whole-number"):
        BinomialThinning().sample(X)


@pytest.mark.parametrize(
    "keep_probability", [(0.0, 0.5), (0.8, 0.2), (0.5,), (0.5, 1.5)]
)
def test_invalid_keep_range_raises(keep_probability):
    X, _ = make_counts()

    with pytest.raises(ValueError, match="keep_probability=.*low <= high"):
        BinomialThinning(keep_probability=keep_probability).sample(X)


@pytest.mark.parametrize(
    "params",
    [{"size": 0}, {"keep_probability": 0.0}, {"keep_probability": 1.5}],
)
def test_invalid_params_raise(params):
    X, _ = make_counts()

    with pytest.raises(InvalidParameterError):
        BinomialThinning(**params).sample(X)


def test_one_dimensional_input_raises():
    with pytest.raises(ValueError, match="2-D"):
        BinomialThinning().sample(np.array([1, 2, 3]))


@pytest.mark.parametrize("transfer", ["cross_fit", "in_sample"])
def test_distiller_with_thinning(transfer):
    X, y = make_counts()
    clf = DistilledClassifier(
        LogisticRegression(max_iter=500),
        DecisionTreeClassifier(max_depth=4, random_state=0),
        transfer=transfer,
        synthetic=BinomialThinning(size=2),
        batch_size=50,
        random_state=0,
    )

    clf.fit(X, y)

    assert clf.n_transfer_samples_ == 3 * X.shape[0]
    assert clf.score(X, y) > 0.9


def test_distiller_thinning_reproducible():
    X, y = make_counts()

    def fit():
        clf = DistilledClassifier(
            LogisticRegression(max_iter=500),
            DecisionTreeClassifier(max_depth=4, random_state=0),
            synthetic=BinomialThinning(size=2),
            random_state=0,
        )
        return clf.fit(X, y).predict_proba(X)

    np.testing.assert_array_equal(fit(), fit())
