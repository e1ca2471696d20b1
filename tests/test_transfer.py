"""Transfer strategies: cross-fitting, in-sample labels and unlabeled rows."""

# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from sklearn.datasets import make_blobs
from sklearn.ensemble import RandomForestClassifier
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import (
    GridSearchCV,
    KFold,
    PredefinedSplit,
    StratifiedKFold,
    cross_val_predict,
    cross_val_score,
)
from sklearn.tree import DecisionTreeRegressor
from sklearn.utils._param_validation import InvalidParameterError

from skdistill import MUNGE, DistilledClassifier
from skdistill._transfer import concat_rows, cross_fit_proba

from _support import RecordingTreeRegressor, make_data, make_forest, make_tree

# Rows seen by any fit, across clones; reset by each test that reads it.
SEEN_ROWS = []


class SeenRowsForest(RandomForestClassifier):
    """RandomForestClassifier that logs the rows of every fit."""

    def fit(self, X, y, sample_weight=None):
        SEEN_ROWS.append(np.asarray(X).copy())
        return super().fit(X, y, sample_weight=sample_weight)


class SeenRowsTreeRegressor(DecisionTreeRegressor):
    """DecisionTreeRegressor that logs the rows of every fit."""

    def fit(self, X, y, sample_weight=None, check_input=True):
        SEEN_ROWS.append(np.asarray(X).copy())
        return super().fit(X, y, sample_weight=sample_weight, check_input=check_input)


def row_set(X):
    return {row.tobytes() for row in np.asarray(X)}


# Cross-fitting


def test_cross_fit_labels_every_row():
    X, y = make_data()
    clf = DistilledClassifier(make_forest(), make_tree(), transfer="cross_fit")

    clf.fit(X, y)

    assert clf.n_transfer_samples_ == len(y)


def test_cross_fit_soft_labels_out_of_fold():
    X, y = make_data()
    student = RecordingTreeRegressor(random_state=0)
    clf = DistilledClassifier(
        make_forest(), student, transfer="cross_fit", cv=4, alpha=0.0
    )

    clf.fit(X, y)

    expected = cross_val_predict(
        make_forest(), X, y, cv=StratifiedKFold(4), method="predict_proba"
    )
    np.testing.assert_allclose(clf.student_.fit_y_, expected, atol=1e-12)


def test_cross_fit_final_teacher_all_rows():
    X, y = make_data()
    clf = DistilledClassifier(make_forest(), make_tree(), transfer="cross_fit")

    clf.fit(X, y)

    reference = make_forest().fit(X, y)
    np.testing.assert_array_equal(
        clf.teacher_.predict_proba(X), reference.predict_proba(X)
    )


def test_cross_fit_keep_teacher_false_skips_final_fit():
    X, y = make_data()
    SEEN_ROWS.clear()
    clf = DistilledClassifier(
        SeenRowsForest(n_estimators=5, random_state=0),
        make_tree(),
        transfer="cross_fit",
        cv=3,
        keep_teacher=False,
    )

    clf.fit(X, y)

    assert len(SEEN_ROWS) == 3
    assert not hasattr(clf, "teacher_")


def test_cross_fit_fold_missing_class_gets_zero():
    X, y = make_data(n_samples=30)
    # The test fold contains every row of class 2, so its teacher never saw it.
    test_fold = np.where(y == 2, 0, 1)
    proba = cross_fit_proba(
        make_forest(),
        X,
        y,
        np.unique(y),
        cv=PredefinedSplit(test_fold),
        sample_weight=None,
        n_jobs=None,
    )

    assert np.all(proba[y == 2, 2] == 0.0)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


def test_cross_fit_uncovered_rows_raises():
    X, y = make_data(n_samples=30)
    splits = [(np.arange(10, 30), np.arange(0, 10))]

    with pytest.raises(ValueError, match="20 rows out of every test fold"):
        cross_fit_proba(
            make_forest(),
            X,
            y,
            np.unique(y),
            cv=splits,
            sample_weight=None,
            n_jobs=None,
        )


def test_cross_fit_parallel_equals_serial():
    X, y = make_data()
    serial = DistilledClassifier(make_forest(), make_tree(), random_state=0)
    parallel = DistilledClassifier(make_forest(), make_tree(), n_jobs=2, random_state=0)

    serial.fit(X, y)
    parallel.fit(X, y)

    np.testing.assert_array_equal(serial.predict_proba(X), parallel.predict_proba(X))


def test_cross_fit_splitter_accepted():
    X, y = make_data()
    cv = KFold(3, shuffle=True, random_state=0)
    clf = DistilledClassifier(make_forest(), make_tree(), cv=cv)

    clf.fit(X, y)

    assert clf.n_transfer_samples_ == len(y)


def test_cross_fit_sample_weight_reaches_folds():
    X, y = make_data()
    weight = np.where(y == 0, 0.0, 1.0)
    student = RecordingTreeRegressor(random_state=0)
    clf = DistilledClassifier(
        LogisticRegression(), student, transfer="cross_fit", cv=3, alpha=0.0
    )

    clf.fit(X, y, sample_weight=weight)

    # Folds fitted with zero weight on class 0 give it almost no probability.
    assert clf.student_.fit_y_[:, 0].max() < 1e-3
    np.testing.assert_array_equal(clf.student_.fit_sample_weight_, weight)


@pytest.mark.parametrize("cv", [1, "five", 2.5])
def test_cross_fit_bad_cv_raises(cv):
    X, y = make_data()
    clf = DistilledClassifier(make_forest(), make_tree(), cv=cv)

    with pytest.raises(InvalidParameterError, match="'cv' parameter"):
        clf.fit(X, y)


def test_bad_transfer_raises():
    X, y = make_data()
    clf = DistilledClassifier(make_forest(), make_tree(), transfer="holdout")

    with pytest.raises(InvalidParameterError, match="'transfer' parameter"):
        clf.fit(X, y)


@pytest.mark.parametrize("n_jobs", [1.5, "two"])
def test_bad_n_jobs_raises(n_jobs):
    X, y = make_data()
    clf = DistilledClassifier(make_forest(), make_tree(), n_jobs=n_jobs)

    with pytest.raises(InvalidParameterError, match="'n_jobs' parameter"):
        clf.fit(X, y)


# In-sample labels


def test_in_sample_teacher_labels_all_rows():
    X, y = make_data()
    student = RecordingTreeRegressor(random_state=0)
    clf = DistilledClassifier(make_forest(), student, transfer="in_sample", alpha=0.0)

    clf.fit(X, y)

    np.testing.assert_allclose(
        clf.student_.fit_y_, clf.teacher_.predict_proba(X), atol=1e-12
    )


# No test row reaches the teacher or the student


@pytest.mark.parametrize("transfer", ["cross_fit", "held_out", "in_sample"])
def test_test_rows_never_seen(transfer):
    X, y = make_data()
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    clf = DistilledClassifier(
        SeenRowsForest(n_estimators=5, random_state=0),
        SeenRowsTreeRegressor(max_depth=3, random_state=0),
        transfer=transfer,
        cv=3,
        random_state=0,
    )

    for train, test in cv.split(X, y):
        SEEN_ROWS.clear()
        cross_val_score(clf, X, y, cv=[(train, test)])
        seen = set().union(*(row_set(rows) for rows in SEEN_ROWS))
        assert seen.isdisjoint(row_set(X[test]))
        assert seen <= row_set(X[train])


# Unlabeled rows


def test_unlabeled_rows_join_transfer_set():
    X, y = make_data()
    X_unlabeled, _ = make_blobs(n_samples=25, n_features=4, random_state=1)
    clf = DistilledClassifier(make_forest(), make_tree(), transfer="in_sample")

    clf.fit(X, y, X_unlabeled=X_unlabeled)

    assert clf.n_transfer_samples_ == len(y) + 25


def test_unlabeled_rows_labelled_by_teacher():
    X, y = make_data()
    X_unlabeled, _ = make_blobs(n_samples=25, n_features=4, random_state=1)
    student = RecordingTreeRegressor(random_state=0)
    clf = DistilledClassifier(make_forest(), student, alpha=0.5)

    clf.fit(X, y, X_unlabeled=X_unlabeled)

    # No true label to mix in: the unlabeled rows keep the teacher's labels.
    np.testing.assert_allclose(
        clf.student_.fit_y_[len(y) :],
        clf.teacher_.predict_proba(X_unlabeled),
        atol=1e-12,
    )


def test_unlabeled_rows_weight_one():
    X, y = make_data()
    X_unlabeled, _ = make_blobs(n_samples=5, n_features=4, random_state=1)
    weight = np.full(len(y), 3.0)
    student = RecordingTreeRegressor(random_state=0)
    clf = DistilledClassifier(LogisticRegression(), student)

    clf.fit(X, y, sample_weight=weight, X_unlabeled=X_unlabeled)

    np.testing.assert_array_equal(clf.student_.fit_sample_weight_[: len(y)], 3.0)
    np.testing.assert_array_equal(clf.student_.fit_sample_weight_[len(y) :], 1.0)


def test_unlabeled_rows_frozen_teacher():
    X, y = make_data()
    X_unlabeled, _ = make_blobs(n_samples=10, n_features=4, random_state=1)
    clf = DistilledClassifier(
        FrozenEstimator(make_forest().fit(X, y)), make_tree(), keep_teacher=False
    )

    clf.fit(X, y, X_unlabeled=X_unlabeled)

    assert clf.n_transfer_samples_ == len(y) + 10


def test_unlabeled_rows_cross_fit_without_kept_teacher():
    X, y = make_data()
    X_unlabeled, _ = make_blobs(n_samples=10, n_features=4, random_state=1)
    clf = DistilledClassifier(make_forest(), make_tree(), keep_teacher=False)

    clf.fit(X, y, X_unlabeled=X_unlabeled)

    assert clf.n_transfer_samples_ == len(y) + 10
    assert not hasattr(clf, "teacher_")


def test_unlabeled_wrong_width_raises():
    X, y = make_data()
    clf = DistilledClassifier(make_forest(), make_tree())

    with pytest.raises(ValueError, match="columns of X: X has 3 features"):
        clf.fit(X, y, X_unlabeled=np.zeros((5, 3)))


def test_unlabeled_wrong_names_raises():
    X, y = make_data()
    X_frame = pd.DataFrame(X, columns=["f0", "f1", "f2", "f3"])
    X_unlabeled = pd.DataFrame(np.ones((5, 4)), columns=["f0", "f1", "f2", "g3"])
    clf = DistilledClassifier(make_forest(), make_tree())

    with pytest.raises(ValueError, match="X_unlabeled does not have the columns"):
        clf.fit(X_frame, y, X_unlabeled=X_unlabeled)


def test_unlabeled_empty_raises():
    X, y = make_data()
    clf = DistilledClassifier(make_forest(), make_tree())

    with pytest.raises(ValueError, match="X_unlabeled has 0 rows"):
        clf.fit(X, y, X_unlabeled=np.zeros((0, 4)))


def test_unlabeled_other_kind_raises():
    X, y = make_data()
    clf = DistilledClassifier(LogisticRegression(), LogisticRegression())

    with pytest.raises(TypeError, match="X_unlabeled is a sparse matrix but X"):
        clf.fit(X, y, X_unlabeled=sparse.csr_matrix(np.ones((5, 4))))


def test_unlabeled_dataframe_rows():
    X, y = make_data()
    columns = ["f0", "f1", "f2", "f3"]
    X_frame = pd.DataFrame(X, columns=columns)
    X_unlabeled = pd.DataFrame(np.ones((5, 4)), columns=columns)
    clf = DistilledClassifier(make_forest(), make_tree())

    clf.fit(X_frame, y, X_unlabeled=X_unlabeled)

    assert clf.n_transfer_samples_ == len(y) + 5


# Row concatenation


def test_concat_rows_kinds():
    array = np.arange(6.0).reshape(3, 2)
    frame = pd.DataFrame(array, columns=["a", "b"])

    assert concat_rows([array, array]).shape == (6, 2)
    assert list(concat_rows([frame, frame]).index) == list(range(6))
    assert sparse.issparse(concat_rows([sparse.csr_matrix(array)] * 2))
    assert concat_rows([[{"a": 1}], [{"a": 2}]]) == [{"a": 1}, {"a": 2}]


# Synthetic rows


def test_synthetic_rows_join_transfer_set():
    X, y = make_data()
    clf = DistilledClassifier(
        make_forest(), make_tree(), synthetic=MUNGE(size=2), random_state=0
    )

    clf.fit(X, y)

    assert clf.n_transfer_samples_ == 3 * len(y)


@pytest.mark.parametrize("transfer", ["in_sample", "held_out", "cross_fit"])
def test_synthetic_rows_labelled_by_final_teacher(transfer):
    X, y = make_data()
    student = RecordingTreeRegressor(random_state=0)
    clf = DistilledClassifier(
        make_forest(),
        student,
        transfer=transfer,
        synthetic=MUNGE(size=1),
        temperature=1.0,
        random_state=0,
    )

    clf.fit(X, y)

    X_synthetic = clf.student_.fit_X_[-len(y) :]
    np.testing.assert_allclose(
        clf.student_.fit_y_[-len(y) :],
        clf.teacher_.predict_proba(X_synthetic),
        atol=1e-12,
    )


def test_cross_fit_synthetic_fits_final_teacher():
    # The synthetic rows need the teacher fitted on all rows even when the
    # distiller does not keep it.
    SEEN_ROWS.clear()
    X, y = make_data()
    clf = DistilledClassifier(
        SeenRowsForest(n_estimators=5, random_state=0),
        make_tree(),
        transfer="cross_fit",
        cv=3,
        synthetic=MUNGE(size=1),
        keep_teacher=False,
        random_state=0,
    )

    clf.fit(X, y)

    assert len(SEEN_ROWS) == 4
    assert clf.n_transfer_samples_ == 2 * len(y)
    assert not hasattr(clf, "teacher_")


class PartialBlockGenerator:
    """Synthetic generator that returns one row fewer than len(X)."""

    def sample(self, X, random_state=None):
        return np.asarray(X)[:-1] + 0.01


def test_synthetic_rows_not_in_blocks_raises():
    X, y = make_data()
    clf = DistilledClassifier(
        make_forest(), make_tree(), synthetic=PartialBlockGenerator()
    )

    with pytest.raises(ValueError, match="returned 89 rows for 90 rows of X"):
        clf.fit(X, y)


def test_synthetic_rows_inherit_weight():
    X, y = make_data()
    weight = np.linspace(0.5, 2.0, len(y))
    student = RecordingTreeRegressor(random_state=0)
    clf = DistilledClassifier(
        LogisticRegression(), student, synthetic=MUNGE(size=2), random_state=0
    )

    clf.fit(X, y, sample_weight=weight)

    np.testing.assert_array_equal(clf.student_.fit_sample_weight_, np.tile(weight, 3))


def test_synthetic_reproducible():
    X, y = make_data()
    clf = DistilledClassifier(
        make_forest(), make_tree(), synthetic=MUNGE(size=2), random_state=3
    )

    first = clf.fit(X, y).predict_proba(X)
    second = clf.fit(X, y).predict_proba(X)

    np.testing.assert_array_equal(first, second)


def test_synthetic_sparse_raises():
    X, y = make_data()
    clf = DistilledClassifier(
        LogisticRegression(), LogisticRegression(), synthetic=MUNGE()
    )

    with pytest.raises(ValueError, match="MUNGE"):
        clf.fit(sparse.csr_matrix(X), y)


def test_synthetic_without_sample_raises():
    X, y = make_data()
    clf = DistilledClassifier(make_forest(), make_tree(), synthetic="munge")

    with pytest.raises(InvalidParameterError, match="'synthetic' parameter"):
        clf.fit(X, y)


def test_synthetic_size_grid_search():
    X, y = make_data()
    clf = DistilledClassifier(make_forest(), make_tree(), synthetic=MUNGE())
    search = GridSearchCV(clf, {"synthetic__size": [1, 2]}, cv=3)

    search.fit(X, y)

    assert search.best_params_["synthetic__size"] in (1, 2)


class WideBlockGenerator:
    """Synthetic generator that adds a column to every row."""

    def sample(self, X, random_state=None):
        X = np.asarray(X)
        return np.hstack([X, np.zeros((len(X), 1))])


def test_synthetic_rows_wrong_columns_raises():
    X, y = make_data()
    clf = DistilledClassifier(
        make_forest(), make_tree(), synthetic=WideBlockGenerator()
    )

    with pytest.raises(ValueError, match="rows with 5 columns, but X has 4"):
        clf.fit(X, y)
