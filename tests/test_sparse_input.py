"""Sparse input end to end: the teacher and the student get CSR rows."""

# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
import pytest
from scipy import sparse
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier
from sklearn.tree import DecisionTreeClassifier

import skdistill._distill
from skdistill import DistilledClassifier

from _support import make_counts

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


class RecordingFitMixin:
    """Store the X and sample_weight that fit receives, then fit as usual."""

    def fit(self, X, y, sample_weight=None):
        self.fit_X_ = X
        self.fit_sample_weight_ = sample_weight
        return super().fit(X, y, sample_weight=sample_weight)


class RecordingLogistic(RecordingFitMixin, LogisticRegression):
    pass


class RecordingMLP(RecordingFitMixin, MLPClassifier):
    pass


class RecordingTree(RecordingFitMixin, DecisionTreeClassifier):
    pass


class SparseCheckingLogistic(LogisticRegression):
    """LogisticRegression whose predict_proba rejects anything but CSR rows."""

    def predict_proba(self, X):
        assert sparse.issparse(X), type(X)
        assert X.format == "csr", X.format
        return super().predict_proba(X)


def frozen_tree_teacher(X, y):
    # A shallow tree gives exact zeros in its probabilities, so the student's
    # targets have fewer nonzero entries than rows times classes.
    tree = DecisionTreeClassifier(max_depth=3, random_state=0).fit(X, y)
    return FrozenEstimator(tree)


def n_nonzero_targets(teacher, X, rows=slice(None)):
    """Count the nonzero soft labels that alpha=0 and temperature=1 give."""
    return np.count_nonzero(teacher.predict_proba(X)[rows])


STUDENTS = {
    "logistic": lambda: RecordingLogistic(max_iter=200),
    "mlp": lambda: RecordingMLP(hidden_layer_sizes=(8,), max_iter=50, random_state=0),
    "tree": lambda: RecordingTree(max_depth=3, random_state=0),
}


@pytest.mark.parametrize("name", list(STUDENTS))
def test_student_gets_csr_rows(name):
    X, y = make_counts()
    teacher = frozen_tree_teacher(X, y)
    clf = DistilledClassifier(
        teacher, STUDENTS[name](), alpha=0.0, mlp_alpha=None, random_state=0
    )

    clf.fit(X, y)

    fit_X = clf.student_.fit_X_
    assert sparse.issparse(fit_X)
    assert fit_X.format == "csr"
    assert fit_X.shape[0] <= n_nonzero_targets(teacher, X)
    assert fit_X.shape[0] < X.shape[0] * 3


@pytest.mark.parametrize("name", list(STUDENTS))
def test_zero_weight_rows_not_repeated(name):
    X, y = make_counts()
    sample_weight = np.where(np.arange(len(y)) % 2 == 0, 1.0, 0.0)
    # A stump's leaves mix the three cell types, so rows get several classes
    # and are repeated.
    stump = DecisionTreeClassifier(max_depth=1, random_state=0).fit(X, y)
    teacher = FrozenEstimator(stump)
    clf = DistilledClassifier(
        teacher, STUDENTS[name](), alpha=0.0, mlp_alpha=None, random_state=0
    )

    clf.fit(X, y, sample_weight=sample_weight)

    fit_X = clf.student_.fit_X_
    assert sparse.issparse(fit_X)
    assert fit_X.shape[0] == n_nonzero_targets(teacher, X, sample_weight > 0)
    assert fit_X.shape[0] > np.count_nonzero(sample_weight)
    assert np.all(clf.student_.fit_sample_weight_ > 0)


@pytest.mark.parametrize("name", list(STUDENTS))
def test_one_class_per_row_no_copy(name):
    X, y = make_counts()
    sample_weight = np.where(np.arange(len(y)) % 2 == 0, 1.0, 0.0)
    # The teacher's pure leaves give each row a single class.
    teacher = frozen_tree_teacher(X, y)
    clf = DistilledClassifier(
        teacher, STUDENTS[name](), alpha=0.0, mlp_alpha=None, random_state=0
    )

    clf.fit(X, y, sample_weight=sample_weight)

    assert clf.student_.fit_X_ is X
    np.testing.assert_array_equal(clf.student_.fit_sample_weight_, sample_weight)


def test_zero_weight_rows_same_student():
    X, y = make_counts()
    sample_weight = np.where(np.arange(len(y)) % 4 == 0, 0.0, 1.0)
    teacher = frozen_tree_teacher(X, y)
    positive_weight = sample_weight > 0

    weighted = DistilledClassifier(teacher, RecordingTree(random_state=0)).fit(
        X, y, sample_weight=sample_weight
    )
    dropped = DistilledClassifier(teacher, RecordingTree(random_state=0)).fit(
        X[positive_weight], y[positive_weight]
    )

    np.testing.assert_array_equal(weighted.predict_proba(X), dropped.predict_proba(X))


def test_default_student_gets_csr_rows(monkeypatch):
    X, y = make_counts()
    monkeypatch.setattr(skdistill._distill, "LogisticRegression", RecordingLogistic)
    teacher = frozen_tree_teacher(X, y)
    clf = DistilledClassifier(teacher, alpha=0.0, random_state=0)

    clf.fit(X, y)

    classifier = clf.student_[-1]
    assert isinstance(classifier, RecordingLogistic)
    assert sparse.issparse(classifier.fit_X_)
    assert classifier.fit_X_.shape[0] <= n_nonzero_targets(teacher, X)


@pytest.mark.parametrize("transfer", ["cross_fit", "held_out", "in_sample"])
def test_teacher_batches_stay_csr(transfer):
    X, y = make_counts()
    X_unlabeled = X[:20]
    clf = DistilledClassifier(
        SparseCheckingLogistic(),
        STUDENTS["tree"](),
        transfer=transfer,
        batch_size=16,
        random_state=0,
    )

    clf.fit(X, y, X_unlabeled=X_unlabeled)

    assert sparse.issparse(clf.student_.fit_X_)
    assert clf.n_transfer_samples_ > 0


def test_panel_student_gets_csr_rows():
    X, y = make_counts()
    clf = DistilledClassifier(
        frozen_tree_teacher(X, y),
        STUDENTS["tree"](),
        max_features=8,
        feature_ranking="univariate",
        random_state=0,
    )

    clf.fit(X, y)

    assert sparse.issparse(clf.student_.fit_X_)
    assert clf.student_.fit_X_.shape[1] == 8
