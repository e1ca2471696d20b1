"""The weight of the true label resolved from alpha="auto"."""

# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.feature_extraction import DictVectorizer
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import (
    LogisticRegression,
    LogisticRegressionCV,
    Ridge,
    SGDClassifier,
)
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils._param_validation import InvalidParameterError

from skdistill import DistilledClassifier
from skdistill._student import DEFAULT_ALPHA, resolve_alpha

from _support import make_forest, make_wide_data


def wide_data(n_samples=40, n_features=100):
    return make_wide_data(n_samples, n_features, n_informative=10, n_classes=3)


def default_student():
    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))


# resolve_alpha


@pytest.mark.parametrize("alpha", [0.0, 0.3, 1.0])
def test_resolve_alpha_keeps_a_number(alpha):
    resolved = resolve_alpha(alpha, LogisticRegression(), 100, 10, frozen_teacher=False)

    assert resolved == alpha


@pytest.mark.parametrize(
    "student",
    [
        LogisticRegression(),
        LogisticRegressionCV(),
        SGDClassifier(loss="log_loss"),
        make_pipeline(StandardScaler(), LogisticRegression()),
    ],
    ids=["logistic", "logistic_cv", "sgd", "pipeline"],
)
@pytest.mark.parametrize("n_features", [50, 51])
def test_resolve_alpha_logistic_wide(student, n_features):
    resolved = resolve_alpha(
        "auto", student, n_features, n_rows=50, frozen_teacher=False
    )

    assert resolved == 1.0


def test_resolve_alpha_logistic_narrow():
    resolved = resolve_alpha("auto", LogisticRegression(), 49, 50, frozen_teacher=False)

    assert resolved == DEFAULT_ALPHA


@pytest.mark.parametrize(
    "student",
    [
        DecisionTreeClassifier(max_depth=3),
        MLPClassifier(),
        make_pipeline(StandardScaler(), MLPClassifier()),
        Ridge(),
        # Linear, but not fitted by the log-loss.
        LinearSVC(),
        SGDClassifier(loss="hinge"),
    ],
    ids=["tree", "mlp", "mlp_pipeline", "regressor", "linear_svc", "sgd_hinge"],
)
def test_resolve_alpha_other_students(student):
    resolved = resolve_alpha("auto", student, 1000, 50, frozen_teacher=False)

    assert resolved == DEFAULT_ALPHA


def test_resolve_alpha_frozen_teacher():
    student = LogisticRegression()
    assert resolve_alpha("auto", student, 100, 50, frozen_teacher=True) == DEFAULT_ALPHA


def test_resolve_alpha_input_without_columns():
    resolved = resolve_alpha(
        "auto", LogisticRegression(), None, 50, frozen_teacher=False
    )

    assert resolved == DEFAULT_ALPHA


# DistilledClassifier


def test_wide_logistic_learns_true_labels():
    X, y = wide_data()

    clf = DistilledClassifier(make_forest(), random_state=0).fit(X, y)
    direct = default_student().fit(X, y)

    assert clf.alpha_ == 1.0
    # One-hot targets give each row once with weight 1: the direct fit.
    student = clf.student_[-1]
    np.testing.assert_allclose(student.coef_, direct[-1].coef_, rtol=1e-6)
    np.testing.assert_array_equal(clf.predict(X[:10]), direct.predict(X[:10]))


def test_default_alpha_on_narrow_data():
    X, y = make_classification(n_samples=120, n_features=8, random_state=0)

    clf = DistilledClassifier(make_forest(), random_state=0).fit(X, y)

    assert clf.alpha_ == DEFAULT_ALPHA


def test_auto_alpha_counts_the_panel():
    X, y = wide_data()

    clf = DistilledClassifier(make_forest(), max_features=5, random_state=0)

    assert clf.fit(X, y).alpha_ == DEFAULT_ALPHA


def test_auto_alpha_counts_unlabeled_rows():
    X, y = wide_data(n_samples=60, n_features=80)
    X_unlabeled = X[:50] + 0.1

    clf = DistilledClassifier(make_forest(), random_state=0)

    assert clf.fit(X[:40], y[:40]).alpha_ == 1.0
    assert clf.fit(X[:40], y[:40], X_unlabeled=X_unlabeled).alpha_ == DEFAULT_ALPHA


def test_auto_alpha_tree_on_wide_data():
    X, y = wide_data()
    tree = DecisionTreeClassifier(max_depth=3, random_state=0)

    clf = DistilledClassifier(make_forest(), tree, random_state=0).fit(X, y)

    assert clf.alpha_ == DEFAULT_ALPHA


def test_explicit_alpha_on_wide_data():
    X, y = wide_data()

    clf = DistilledClassifier(make_forest(), alpha=0.5, random_state=0).fit(X, y)

    assert clf.alpha_ == 0.5


def test_auto_alpha_is_logged(capsys):
    X, y = wide_data()

    DistilledClassifier(make_forest(), random_state=0, verbose=1).fit(X, y)

    assert "alpha='auto' resolved to 1" in capsys.readouterr().out


def test_auto_alpha_clone_reproducible():
    X, y = wide_data()
    clf = DistilledClassifier(make_forest(), random_state=0)

    first = clf.fit(X, y).predict_proba(X)
    second = clone(clf).fit(X, y).predict_proba(X)

    np.testing.assert_array_equal(first, second)


@pytest.mark.parametrize("alpha", ["automatic", -0.5, 1.5, None])
def test_invalid_alpha(alpha):
    X, y = wide_data()

    clf = DistilledClassifier(make_forest(), alpha=alpha)

    with pytest.raises(InvalidParameterError, match="'alpha' parameter"):
        clf.fit(X, y)


def test_auto_alpha_with_a_frozen_teacher():
    X, y = wide_data()
    teacher = FrozenEstimator(make_forest().fit(X, y))

    clf = DistilledClassifier(teacher, random_state=0).fit(X, y)

    assert clf.alpha_ == DEFAULT_ALPHA


def test_auto_alpha_positive_weight_rows():
    X, y = wide_data(n_samples=40, n_features=30)
    weight = np.r_[np.zeros(15), np.ones(25)]

    clf = DistilledClassifier(make_forest(), random_state=0)

    assert clf.fit(X, y).alpha_ == DEFAULT_ALPHA
    assert clf.fit(X, y, sample_weight=weight).alpha_ == 1.0


def test_auto_alpha_width_of_this_fit():
    X, y = wide_data()
    clf = DistilledClassifier(make_forest(), LogisticRegression(), random_state=0)
    assert clf.fit(X, y).alpha_ == 1.0

    # Two columns in dicts: the width of the earlier array must not count.
    rows = [{"a": float(a), "b": float(b)} for a, b in X[:, :2]]
    clf.set_params(
        teacher=make_pipeline(DictVectorizer(), make_forest()),
        student=make_pipeline(DictVectorizer(), LogisticRegression()),
    )

    assert clf.fit(rows, y).alpha_ == DEFAULT_ALPHA
