"""The two ways a classifier student learns soft targets: repeated or drawn."""

# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
import pytest
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import make_blobs
from sklearn.ensemble import RandomForestClassifier
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.utils._param_validation import InvalidParameterError

import skdistill._student
from skdistill import DistilledClassifier
from skdistill._student import (
    SAMPLE_ABOVE_ROWS,
    draw_labels,
    resolve_student_rows,
)

from _support import RecordingTreeClassifier, make_counts, make_data, make_forest

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


class UniformClassifier(ClassifierMixin, BaseEstimator):
    """Classifier whose probabilities are equal for every class and row."""

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        return self

    def predict_proba(self, X):
        return np.full((len(X), len(self.classes_)), 1 / len(self.classes_))

    def predict(self, X):
        return self.classes_[np.zeros(len(X), dtype=int)]


def frozen_forest(X, y):
    return FrozenEstimator(make_forest().fit(X, y))


def sampling_distiller(teacher, random_state=0, **params):
    """Return a distiller that draws labels for a recording tree student."""
    return DistilledClassifier(
        teacher,
        RecordingTreeClassifier(random_state=0),
        student_rows="sample",
        random_state=random_state,
        **params,
    )


def targets(teacher, X, y, alpha):
    proba = teacher.predict_proba(X)
    return (1 - alpha) * proba + alpha * np.eye(proba.shape[1])[y]


# draw_labels


def test_draw_labels_frequencies_follow_target():
    target = np.tile([0.1, 0.6, 0.3], (60_000, 1))

    labels = draw_labels(target, random_state=0)

    shares = np.bincount(labels, minlength=3) / len(labels)
    np.testing.assert_allclose(shares, [0.1, 0.6, 0.3], atol=0.01)


def test_draw_labels_one_hot_rows_keep_their_class():
    columns = np.array([2, 0, 1, 1, 0, 2])
    target = np.eye(3)[columns]

    np.testing.assert_array_equal(draw_labels(target, random_state=0), columns)


def test_draw_labels_never_draws_a_zero_class():
    target = np.array([[0.5, 0.0, 0.5]] * 5_000 + [[0.0, 0.0, 1.0]] * 5_000)

    labels = draw_labels(target, random_state=0)

    assert not np.any(labels == 1)
    assert np.all(labels[5_000:] == 2)


def test_draw_labels_rows_summing_just_under_one():
    # Rounding can leave a row's total a little below 1; a draw must still
    # land on one of the row's classes.
    target = np.full((10_000, 3), (1 - 1e-12) / 3)

    labels = draw_labels(target, random_state=0)

    assert labels.min() >= 0
    assert labels.max() <= 2


def test_draw_labels_reproducible():
    target = np.random.RandomState(0).dirichlet(np.ones(4), size=500)

    first = draw_labels(target, random_state=3)
    second = draw_labels(target, random_state=3)
    other = draw_labels(target, random_state=4)

    np.testing.assert_array_equal(first, second)
    assert np.any(first != other)


# The routes inside DistilledClassifier


@pytest.mark.parametrize(
    ("student_rows", "n_rows", "expected"),
    [
        ("auto", SAMPLE_ABOVE_ROWS, "repeat"),
        ("auto", SAMPLE_ABOVE_ROWS + 1, "sample"),
        ("repeat", 10 * SAMPLE_ABOVE_ROWS, "repeat"),
        ("sample", 10, "sample"),
    ],
)
def test_resolve_student_rows(student_rows, n_rows, expected):
    assert resolve_student_rows(student_rows, n_rows) == expected


def test_sample_fits_the_transfer_rows_themselves():
    X, y = make_data()
    teacher = frozen_forest(X, y)
    clf = sampling_distiller(teacher).fit(X, y)

    student = clf.student_
    assert student.fit_X_ is X
    assert student.fit_sample_weight_ is None
    expected = draw_labels(targets(teacher, X, y, clf.alpha_), random_state=0)
    np.testing.assert_array_equal(student.fit_y_, expected)


def test_repeat_fits_more_rows_than_sample():
    X, y = make_data()
    teacher = frozen_forest(X, y)
    repeated = DistilledClassifier(
        teacher, RecordingTreeClassifier(random_state=0), student_rows="repeat"
    ).fit(X, y)

    assert len(repeated.student_.fit_y_) > len(X)


def test_sample_keeps_zero_weight_rows_uncopied():
    X, y = make_data()
    weight = np.random.RandomState(0).uniform(0.5, 2.0, size=len(y))
    weight[:10] = 0.0
    clf = sampling_distiller(frozen_forest(X, y))
    clf.fit(X, y, sample_weight=weight)

    student = clf.student_
    assert student.fit_X_ is X
    np.testing.assert_array_equal(student.fit_sample_weight_, weight)


def test_repeat_one_class_per_row_makes_no_copy():
    X, y = make_data()
    clf = DistilledClassifier(
        frozen_forest(X, y), RecordingTreeClassifier(random_state=0), alpha=1.0
    ).fit(X, y)

    assert clf.student_.fit_X_ is X
    np.testing.assert_array_equal(clf.student_.fit_y_, y)


def test_sample_drawn_labels_match_alpha_one():
    X, y = make_data()
    clf = sampling_distiller(frozen_forest(X, y), alpha=1.0).fit(X, y)

    np.testing.assert_array_equal(clf.student_.fit_y_, y)


def test_sample_keeps_sparse_input_uncopied():
    X, y = make_counts(n_cells=200)
    X = sparse.csr_matrix(X)
    teacher = FrozenEstimator(LogisticRegression(max_iter=500).fit(X, y))
    clf = sampling_distiller(teacher).fit(X, y)

    assert clf.student_.fit_X_ is X


def test_sample_reproducible_with_random_state():
    X, y = make_data()
    teacher = frozen_forest(X, y)

    def fitted_labels(seed):
        clf = DistilledClassifier(
            teacher,
            RecordingTreeClassifier(random_state=0),
            student_rows="sample",
            random_state=seed,
        )
        return clf.fit(X, y).student_.fit_y_

    np.testing.assert_array_equal(fitted_labels(0), fitted_labels(0))
    assert np.any(fitted_labels(0) != fitted_labels(1))


def test_sample_close_to_repeat_on_many_rows():
    X_all, y_all = make_blobs(
        n_samples=6_000, n_features=4, centers=3, cluster_std=3.0, random_state=0
    )
    X, y, X_test = X_all[:4_000], y_all[:4_000], X_all[4_000:]
    teacher = frozen_forest(X, y)

    def student_proba(student_rows):
        clf = DistilledClassifier(
            teacher,
            LogisticRegression(),
            alpha=0.0,
            student_rows=student_rows,
            random_state=0,
        )
        return clf.fit(X, y).predict_proba(X_test)

    repeated, drawn = student_proba("repeat"), student_proba("sample")

    assert np.mean(repeated.argmax(axis=1) == drawn.argmax(axis=1)) > 0.97
    assert np.abs(repeated - drawn).mean() < 0.03


def test_sample_with_mlp_alpha_auto():
    X, y = make_data()
    clf = DistilledClassifier(
        frozen_forest(X, y),
        MLPClassifier(hidden_layer_sizes=(8,), max_iter=50, random_state=0),
        student_rows="sample",
        random_state=0,
    ).fit(X, y)

    assert clf.student_.alpha in (1e-4, 0.1, 1.0, 10.0)
    assert clf.predict_proba(X).shape == (len(X), 3)


def test_sample_ignored_by_regressor_student():
    X, y = make_data()
    teacher = frozen_forest(X, y)
    student = MLPRegressor(hidden_layer_sizes=(8,), max_iter=50, random_state=0)

    def fitted(student_rows):
        clf = DistilledClassifier(
            teacher, student, mlp_alpha=None, student_rows=student_rows
        )
        return clf.fit(X, y).predict_proba(X)

    np.testing.assert_array_equal(fitted("sample"), fitted("repeat"))


def test_sample_single_drawn_class_raises():
    # With three rows and a five-tree forest, some seeds draw class 0 for
    # every row although the targets give class 1 some mass.
    X = np.array([[0.0], [1.0], [2.0]])
    y = np.array([0, 0, 1])
    teacher = FrozenEstimator(
        RandomForestClassifier(n_estimators=5, random_state=0).fit(X, y)
    )
    seeds = [
        seed
        for seed in range(200)
        if np.all(
            draw_labels(targets(teacher, X, y, alpha=0.0), random_state=seed) == 0
        )
    ]
    assert seeds

    clf = sampling_distiller(teacher, alpha=0.0, random_state=seeds[0])
    with pytest.raises(ValueError, match="student_rows='repeat'"):
        clf.fit(X, y)


def test_single_drawn_class_among_weighted_rows_raises():
    # The rows of weight 0 hold the other drawn class, and the positive rows
    # all drew class 0, although the teacher's labels spread over both.
    X = np.array([[0.0], [1.0], [2.0], [3.0]])
    y = np.array([0, 1, 0, 1])
    teacher = FrozenEstimator(UniformClassifier().fit(X, y))
    weight = np.array([1.0, 1.0, 0.0, 0.0])
    target = np.full((4, 2), 0.5)
    seed = next(
        seed
        for seed in range(200)
        if np.all(draw_labels(target, random_state=seed)[:2] == 0)
        and np.any(draw_labels(target, random_state=seed)[2:] == 1)
    )
    clf = sampling_distiller(teacher, alpha=0.0, random_state=seed)

    with pytest.raises(ValueError, match="Every label drawn .* is 0, so"):
        clf.fit(X, y, sample_weight=weight)


def test_sample_warns_for_a_class_never_drawn():
    # Nine rows with equal soft labels on three classes: some seeds never
    # draw one of them, although its labels add up to three rows.
    X = np.arange(9.0).reshape(-1, 1)
    y = np.arange(9) % 3
    teacher = FrozenEstimator(UniformClassifier().fit(X, y))
    target = np.full((9, 3), 1 / 3)
    seed = next(
        seed
        for seed in range(500)
        if len(np.unique(draw_labels(target, random_state=seed))) == 2
    )
    missing = ({0, 1, 2} - set(draw_labels(target, random_state=seed))).pop()
    clf = sampling_distiller(teacher, alpha=0.0, random_state=seed)

    with pytest.warns(UserWarning, match=f"No transfer row drew class {missing},"):
        clf.fit(X, y)
    assert clf.predict_proba(X)[:, missing].max() == 0


def test_student_rows_attribute_and_log(capsys):
    X, y = make_data()
    teacher = frozen_forest(X, y)

    repeated = DistilledClassifier(teacher, verbose=1).fit(X, y)
    assert repeated.student_rows_ == "repeat"
    assert "as weighted repeated rows" in capsys.readouterr().out

    drawn = DistilledClassifier(teacher, student_rows="sample", verbose=1)
    drawn.fit(X, y)
    assert drawn.student_rows_ == "sample"
    assert "with drawn labels" in capsys.readouterr().out

    regressor = DistilledClassifier(teacher, MLPRegressor(max_iter=20)).fit(X, y)
    assert regressor.student_rows_ is None


def test_sample_mlp_alpha_scored_on_soft_labels(monkeypatch):
    X, y = make_data()
    seen = {}
    original = skdistill._student.choose_mlp_alpha

    def recording(*args, **kwargs):
        seen["target"], seen["score_target"] = args[2], kwargs["score_target"]
        return original(*args, **kwargs)

    monkeypatch.setattr(skdistill._student, "choose_mlp_alpha", recording)
    teacher = frozen_forest(X, y)
    clf = DistilledClassifier(
        teacher,
        MLPClassifier(hidden_layer_sizes=(8,), max_iter=50, random_state=0),
        student_rows="sample",
        random_state=0,
    ).fit(X, y)

    assert set(np.unique(seen["target"])) == {0.0, 1.0}
    np.testing.assert_allclose(seen["score_target"], targets(teacher, X, y, clf.alpha_))


def test_bad_student_rows_raises():
    X, y = make_data()
    clf = DistilledClassifier(frozen_forest(X, y), student_rows="draw")

    with pytest.raises(InvalidParameterError, match="student_rows"):
        clf.fit(X, y)
