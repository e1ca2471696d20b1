"""Teacher labelling in batches of rows: same soft labels, bounded calls."""

# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC
from sklearn.utils._param_validation import InvalidParameterError

from skdistill import MUNGE, DistilledClassifier
from skdistill._transfer import label_in_batches

from _support import RecordingTreeRegressor, make_data, make_forest, make_tree

# Row counts of each predict_proba call of a CallCountingLogistic, across
# clones; reset by each test that reads it.
CALL_ROWS = []


class CallCountingLogistic(LogisticRegression):
    """LogisticRegression that records how many rows each predict_proba gets."""

    def predict_proba(self, X):
        CALL_ROWS.append(X.shape[0])
        return super().predict_proba(X)


def as_kind(X, kind):
    if kind == "csr":
        return sparse.csr_matrix(X)
    if kind == "frame":
        return pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    return X


@pytest.mark.parametrize("kind", ["dense", "csr", "frame"])
@pytest.mark.parametrize("batch_size", [1, 7, 89, 90, 200])
@pytest.mark.parametrize(
    "teacher",
    [make_forest(), LogisticRegression(), LinearSVC()],
    ids=["forest", "logistic", "linear_svc"],
)
def test_label_in_batches_equals_one_call(kind, batch_size, teacher):
    X, y = make_data()
    X = as_kind(X, kind)
    teacher = teacher.fit(X, y)
    classes = np.unique(y)

    whole = label_in_batches(teacher, X, classes)
    batched = label_in_batches(teacher, X, classes, batch_size=batch_size)

    one_row_batch = batch_size == 1 or len(y) % batch_size == 1
    if one_row_batch and kind != "csr" and not hasattr(teacher, "estimators_"):
        # BLAS computes a one-row product on another path, which can round
        # the last bit differently. With batches of 89, the last batch
        # contains one of the 90 rows.
        np.testing.assert_allclose(batched, whole, rtol=1e-12, atol=1e-15)
    else:
        np.testing.assert_array_equal(batched, whole)


def test_label_in_batches_list_rows():
    X, y = make_data(n_samples=30)
    teacher = LogisticRegression().fit(X, y)
    rows = X.tolist()

    batched = label_in_batches(teacher, rows, np.unique(y), batch_size=4)

    np.testing.assert_array_equal(batched, teacher.predict_proba(X))


def test_label_in_batches_call_sizes():
    X, y = make_data(n_samples=30)
    teacher = CallCountingLogistic().fit(X, y)
    CALL_ROWS.clear()

    label_in_batches(teacher, X, np.unique(y), batch_size=8)

    assert CALL_ROWS == [8, 8, 8, 6]


def fit_targets(X, y, **params):
    """Fit a distiller with a regressor student; return it and its targets."""
    clf = DistilledClassifier(
        make_forest(), RecordingTreeRegressor(random_state=0), random_state=0, **params
    )
    clf.fit(X, y, X_unlabeled=X[:13])
    return clf, clf.student_.fit_y_


@pytest.mark.parametrize("transfer", ["cross_fit", "held_out", "in_sample"])
@pytest.mark.parametrize("kind", ["dense", "csr", "frame"])
def test_distiller_batched_equals_unbatched(transfer, kind):
    X, y = make_data()
    X = as_kind(X, kind)
    synthetic = None if kind == "csr" else MUNGE(size=2)

    _, whole = fit_targets(X, y, transfer=transfer, synthetic=synthetic)
    _, batched = fit_targets(
        X, y, transfer=transfer, synthetic=synthetic, batch_size=11
    )

    np.testing.assert_array_equal(batched, whole)


def test_frozen_teacher_batched_equals_unbatched():
    X, y = make_data()
    teacher = FrozenEstimator(make_forest().fit(X, y))

    whole = DistilledClassifier(teacher, make_tree(), random_state=0).fit(X, y)
    batched = DistilledClassifier(
        teacher, make_tree(), batch_size=16, random_state=0
    ).fit(X, y)

    np.testing.assert_array_equal(batched.predict_proba(X), whole.predict_proba(X))
    assert batched.fidelity_ == whole.fidelity_


@pytest.mark.parametrize("transfer", ["cross_fit", "held_out", "in_sample"])
def test_distiller_calls_within_batch_size(transfer):
    X, y = make_data()
    clf = DistilledClassifier(
        CallCountingLogistic(),
        make_tree(),
        transfer=transfer,
        synthetic=MUNGE(size=2),
        batch_size=10,
        keep_teacher=False,
        random_state=0,
    )
    CALL_ROWS.clear()

    clf.fit(X, y, X_unlabeled=X[:25])

    assert max(CALL_ROWS) <= 10
    n_labelled = {"cross_fit": 90, "held_out": 45, "in_sample": 90}[transfer]
    # Real rows, two synthetic rows per row of X and the unlabeled rows.
    assert sum(CALL_ROWS) == n_labelled + 2 * 90 + 25


def test_parallel_batches_equal_serial():
    X, y = make_data()

    _, serial = fit_targets(X, y, transfer="in_sample", batch_size=9)
    _, parallel = fit_targets(X, y, transfer="in_sample", batch_size=9, n_jobs=2)

    np.testing.assert_array_equal(parallel, serial)


@pytest.mark.parametrize("batch_size", [0, -1, 2.5, "x"])
def test_invalid_batch_size_raises(batch_size):
    X, y = make_data()
    clf = DistilledClassifier(make_forest(), make_tree(), batch_size=batch_size)

    with pytest.raises(InvalidParameterError, match="'batch_size' parameter"):
        clf.fit(X, y)


@pytest.mark.parametrize("n_jobs", [0, "x", 1.5])
@pytest.mark.parametrize("transfer", ["cross_fit", "in_sample"])
def test_invalid_n_jobs_raises(n_jobs, transfer):
    X, y = make_data()
    clf = DistilledClassifier(
        make_forest(), make_tree(), transfer=transfer, n_jobs=n_jobs
    )

    with pytest.raises(InvalidParameterError, match="'n_jobs' parameter"):
        clf.fit(X, y)


def test_negative_n_jobs_accepted():
    X, y = make_data(n_samples=30)
    clf = DistilledClassifier(LogisticRegression(), make_tree(), n_jobs=-1, cv=2)

    clf.fit(X, y)

    assert clf.n_transfer_samples_ == 30
