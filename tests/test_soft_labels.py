"""Tests of the soft-label helpers: column alignment, temperature and alpha."""

import numpy as np
import pytest
from scipy.special import expit, softmax
from sklearn.base import clone
from sklearn.datasets import make_blobs
from sklearn.dummy import DummyClassifier
from sklearn.ensemble import RandomForestClassifier
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression, RidgeClassifier
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC, LinearSVC
from sklearn.tree import DecisionTreeClassifier

from skdistill._soft_labels import (
    check_classes_known,
    mix_hard_labels,
    predict_proba_aligned,
    soften,
)

# Classifiers without predict_proba. SVC has none by default, and scikit-learn 1.9
# deprecates passing its `probability` parameter at all.
SCORE_TEACHERS = [LinearSVC(random_state=0), RidgeClassifier(), SVC(random_state=0)]


def make_data(n_classes, n_samples=90):
    return make_blobs(
        n_samples=n_samples,
        n_features=4,
        centers=n_classes,
        cluster_std=3.0,
        random_state=0,
    )


def entropy(proba):
    logs = np.log(np.where(proba > 0, proba, 1.0))
    return -np.sum(proba * logs, axis=1)


class PredictOnlyClassifier(DummyClassifier):
    """DummyClassifier with neither predict_proba nor decision_function."""

    @property
    def predict_proba(self):
        raise AttributeError("PredictOnlyClassifier has no predict_proba")


# soften


def test_soften_temperature_one_keeps_proba():
    proba = np.array([[0.7, 0.2, 0.1], [0.05, 0.05, 0.9]])

    softened = soften(proba, temperature=1.0)

    np.testing.assert_allclose(softened, proba, rtol=1e-12)


def test_soften_temperature_two_known_value():
    softened = soften(np.array([[0.8, 0.2]]), temperature=2.0)

    np.testing.assert_allclose(softened, [[2 / 3, 1 / 3]], rtol=1e-12)


@pytest.mark.parametrize("temperature", [0.25, 0.5, 2.0, 5.0])
def test_soften_matches_power_formula(temperature):
    rng = np.random.RandomState(0)
    proba = rng.dirichlet(np.ones(4), size=20)

    softened = soften(proba, temperature)

    expected = proba ** (1 / temperature)
    expected /= expected.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(softened, expected, rtol=1e-10)


@pytest.mark.parametrize("temperature", [0.5, 1.0, 2.0])
def test_soften_exact_zero_one_finite(temperature):
    proba = np.array([[1.0, 0.0, 0.0], [0.0, 0.5, 0.5]])

    softened = soften(proba, temperature)

    assert np.isfinite(softened).all()
    np.testing.assert_allclose(softened.sum(axis=1), 1.0, atol=1e-12)
    assert softened[0, 0] == 1.0
    assert softened[0, 1] == 0.0


def test_soften_negative_noise_counts_as_zero():
    proba = np.array([[1.0, -1e-17, 0.0]])

    softened = soften(proba, temperature=2.0)

    assert np.isfinite(softened).all()
    np.testing.assert_allclose(softened, [[1.0, 0.0, 0.0]])


def test_soften_high_temperature_flattens():
    proba = np.array([[0.7, 0.2, 0.1], [0.05, 0.15, 0.8]])

    flat = soften(proba, temperature=3.0)

    assert (entropy(flat) > entropy(proba)).all()


def test_soften_low_temperature_sharpens():
    proba = np.array([[0.7, 0.2, 0.1], [0.05, 0.15, 0.8]])

    sharp = soften(proba, temperature=0.5)

    assert (entropy(sharp) < entropy(proba)).all()


def test_soften_keeps_argmax():
    rng = np.random.RandomState(1)
    proba = rng.dirichlet(np.ones(3), size=30)

    softened = soften(proba, temperature=4.0)

    np.testing.assert_array_equal(softened.argmax(axis=1), proba.argmax(axis=1))


# mix_hard_labels


def test_mix_alpha_zero_returns_soft_labels():
    proba = np.array([[0.6, 0.4], [0.1, 0.9]])

    target = mix_hard_labels(proba, np.array([1, 0]), alpha=0.0)

    np.testing.assert_array_equal(target, proba)


def test_mix_alpha_one_returns_one_hot():
    proba = np.array([[0.6, 0.3, 0.1], [0.1, 0.2, 0.7]])

    target = mix_hard_labels(proba, np.array([2, 0]), alpha=1.0)

    np.testing.assert_array_equal(target, [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]])


def test_mix_alpha_weighted_sum():
    proba = np.array([[0.6, 0.3, 0.1], [0.1, 0.2, 0.7]])
    y_encoded = np.array([1, 0])
    one_hot = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])

    target = mix_hard_labels(proba, y_encoded, alpha=0.25)

    np.testing.assert_allclose(target, 0.25 * one_hot + 0.75 * proba, rtol=1e-12)
    np.testing.assert_allclose(target.sum(axis=1), 1.0, rtol=1e-12)


def test_mix_does_not_modify_input():
    proba = np.array([[0.6, 0.4], [0.1, 0.9]])
    original = proba.copy()

    mix_hard_labels(proba, np.array([1, 0]), alpha=0.5)

    np.testing.assert_array_equal(proba, original)


# check_classes_known


def test_check_classes_subset_passes():
    check_classes_known(np.array([0, 2]), np.array([0, 1, 2]), role="teacher")


def test_check_classes_extra_label_raises():
    with pytest.raises(ValueError, match=r"teacher.*\[3\]"):
        check_classes_known(np.array([0, 1, 3]), np.array([0, 1, 2]), role="teacher")


def test_check_classes_disjoint_names_both_sets():
    with pytest.raises(ValueError, match=r"\[0, 1, 2\].*'cat', 'dog', 'emu'"):
        check_classes_known(
            np.array([0, 1, 2]), np.array(["cat", "dog", "emu"]), role="teacher"
        )


def test_check_classes_disjoint_asks_to_encode():
    with pytest.raises(ValueError, match="Encode y the same way"):
        check_classes_known(
            np.array([0, 1, 2]), np.array(["cat", "dog", "emu"]), role="teacher"
        )


def test_check_classes_role_in_message():
    with pytest.raises(ValueError, match="student"):
        check_classes_known(np.array(["x"]), np.array(["a", "b"]), role="student")


# predict_proba_aligned


def test_aligned_proba_teacher_matches_predict_proba():
    X, y = make_data(3)
    teacher = RandomForestClassifier(n_estimators=20, random_state=0).fit(X, y)

    proba = predict_proba_aligned(teacher, X, np.array([0, 1, 2]))

    np.testing.assert_allclose(proba, teacher.predict_proba(X))


def test_aligned_missing_class_gets_zero():
    X, y = make_data(3)
    known = y != 1
    teacher = LogisticRegression().fit(X[known], y[known])

    proba = predict_proba_aligned(teacher, X, np.array([0, 1, 2]))

    assert (proba[:, 1] == 0).all()
    np.testing.assert_allclose(proba[:, [0, 2]], teacher.predict_proba(X))


def test_aligned_string_labels_by_label():
    X, y = make_data(3)
    names = np.array(["cat", "dog", "emu"])
    known = y != 0
    teacher = LogisticRegression().fit(X[known], names[y[known]])

    proba = predict_proba_aligned(teacher, X, names)

    assert (proba[:, 0] == 0).all()
    np.testing.assert_allclose(proba[:, 2], teacher.predict_proba(X)[:, 1])


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("teacher", SCORE_TEACHERS, ids=lambda t: type(t).__name__)
def test_aligned_scores_rows_sum_to_one(teacher, n_classes):
    X, y = make_data(n_classes)
    teacher = clone(teacher).fit(X, y)

    proba = predict_proba_aligned(teacher, X, np.arange(n_classes))

    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-12)


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("teacher", SCORE_TEACHERS, ids=lambda t: type(t).__name__)
def test_aligned_scores_argmax_matches_predict(teacher, n_classes):
    X, y = make_data(n_classes)
    teacher = clone(teacher).fit(X, y)

    proba = predict_proba_aligned(teacher, X, np.arange(n_classes))

    np.testing.assert_array_equal(proba.argmax(axis=1), teacher.predict(X))


def test_aligned_binary_margin_sigmoid():
    X, y = make_data(2)
    teacher = LinearSVC(random_state=0).fit(X, y)

    proba = predict_proba_aligned(teacher, X, np.array([0, 1]))

    margin = teacher.decision_function(X)
    np.testing.assert_allclose(proba[:, 1], expit(margin), rtol=1e-10)


def test_aligned_multiclass_scores_softmax():
    X, y = make_data(3)
    teacher = RidgeClassifier().fit(X, y)

    proba = predict_proba_aligned(teacher, X, np.arange(3))

    expected = softmax(teacher.decision_function(X), axis=1)
    np.testing.assert_allclose(proba, expected, rtol=1e-10)


def test_aligned_binary_scores_missing_class():
    X, y = make_data(3)
    known = y != 1
    teacher = LinearSVC(random_state=0).fit(X[known], y[known])

    proba = predict_proba_aligned(teacher, X, np.arange(3))

    assert (proba[:, 1] == 0).all()
    np.testing.assert_array_equal(proba.argmax(axis=1), teacher.predict(X))


def test_aligned_svc_ovo_raises():
    X, y = make_data(3)
    teacher = SVC(decision_function_shape="ovo", random_state=0).fit(X, y)

    with pytest.raises(ValueError, match="decision_function_shape='ovr'"):
        predict_proba_aligned(teacher, X, np.arange(3))


def test_aligned_frozen_pipeline_svc_ovo_raises():
    X, y = make_data(3)
    teacher = make_pipeline(StandardScaler(), SVC(decision_function_shape="ovo"))
    frozen = FrozenEstimator(teacher.fit(X, y))

    with pytest.raises(ValueError, match="SVC has decision_function_shape='ovo'"):
        predict_proba_aligned(frozen, X, np.arange(3))


def test_aligned_ovr_wrapper_of_ovo_svc():
    X, y = make_data(3)
    teacher = OneVsRestClassifier(SVC(decision_function_shape="ovo")).fit(X, y)

    proba = predict_proba_aligned(teacher, X, np.arange(3))

    np.testing.assert_array_equal(proba.argmax(axis=1), teacher.predict(X))


def test_aligned_predict_only_one_hot():
    X, y = make_data(3)
    model = PredictOnlyClassifier(strategy="most_frequent").fit(X, y)
    assert not hasattr(model, "predict_proba")

    proba = predict_proba_aligned(model, X, np.arange(3))

    expected = np.zeros_like(proba)
    expected[np.arange(len(X)), model.predict(X)] = 1.0
    np.testing.assert_array_equal(proba, expected)


@pytest.mark.parametrize("temperature", [0.5, 1.0, 2.0])
def test_full_tree_targets_finite(temperature):
    X, y = make_data(3)
    teacher = DecisionTreeClassifier(random_state=0).fit(X, y)
    assert set(np.unique(teacher.predict_proba(X))) == {0.0, 1.0}

    proba = predict_proba_aligned(teacher, X, np.arange(3))
    target = mix_hard_labels(soften(proba, temperature), y, alpha=0.3)

    assert np.isfinite(target).all()
    np.testing.assert_allclose(target.sum(axis=1), 1.0, atol=1e-9)
