"""Tests of the fidelity, divergence and calibration metrics."""

import math

import numpy as np
import pytest
from scipy.spatial.distance import jensenshannon
from scipy.stats import entropy
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.exceptions import NotFittedError
from sklearn.frozen import FrozenEstimator
from sklearn.metrics import accuracy_score
from sklearn.model_selection import cross_validate
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils._param_validation import InvalidParameterError

import skdistill.metrics
from skdistill import DistilledClassifier
from skdistill.metrics import (
    expected_calibration_error,
    fidelity_score,
    jensen_shannon_divergence,
    mean_kl_divergence,
    student_fidelity,
)

from _support import make_data, make_tree

DIVERGENCES = [mean_kl_divergence, jensen_shannon_divergence]


def small_teacher():
    return RandomForestClassifier(n_estimators=10, random_state=0)


@pytest.fixture(scope="module")
def fitted_distiller():
    X, y = make_data()
    distiller = DistilledClassifier(
        small_teacher(), make_tree(), transfer="in_sample", random_state=0
    )
    return distiller.fit(X, y), X, y


def test_metrics_module_exports():
    for name in skdistill.metrics.__all__:
        assert hasattr(skdistill.metrics, name)


# fidelity_score


def test_fidelity_score_hand_example():
    assert fidelity_score(["a", "b", "b", "a"], ["a", "b", "a", "a"]) == 0.75


def test_fidelity_score_matches_accuracy_score():
    rng = np.random.RandomState(0)
    y_teacher = rng.randint(3, size=50)
    y_student = np.where(rng.rand(50) < 0.7, y_teacher, rng.randint(3, size=50))
    weight = rng.rand(50)
    for normalize in (True, False):
        for sample_weight in (None, weight):
            expected = accuracy_score(
                y_teacher, y_student, normalize=normalize, sample_weight=sample_weight
            )
            result = fidelity_score(
                y_teacher, y_student, normalize=normalize, sample_weight=sample_weight
            )
            assert result == pytest.approx(expected)


def test_fidelity_score_unnormalized_counts_rows():
    assert fidelity_score([1, 2, 3, 4], [1, 2, 0, 0], normalize=False) == 2.0


def test_fidelity_score_returns_float():
    assert type(fidelity_score([1, 2], [1, 2])) is float


def test_fidelity_score_weights():
    score = fidelity_score([0, 1, 1], [0, 1, 0], sample_weight=[1, 1, 2])
    assert score == pytest.approx(0.5)


def test_fidelity_score_length_mismatch():
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        fidelity_score([0, 1, 1], [0, 1])


def test_fidelity_score_weight_length_mismatch():
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        fidelity_score([0, 1, 1], [0, 1, 1], sample_weight=[1, 1])


def test_fidelity_score_empty():
    with pytest.raises(ValueError, match="y_teacher is empty"):
        fidelity_score([], [])


def test_fidelity_score_mixed_label_types():
    with pytest.raises(ValueError, match="Mix of label input types"):
        fidelity_score(["a", "b"], [0, 1])


def test_fidelity_score_negative_weight():
    with pytest.raises(ValueError, match="Negative values in data"):
        fidelity_score([0, 1], [0, 1], sample_weight=[1, -1])


def test_fidelity_score_zero_weights():
    with pytest.raises(ValueError, match="at least one"):
        fidelity_score([0, 1], [0, 1], sample_weight=[0, 0])


def test_fidelity_score_two_dimensional_labels():
    with pytest.raises(ValueError, match="fidelity_score compares class labels"):
        fidelity_score([[0, 1], [1, 0]], [[0, 1], [1, 0]])


def test_fidelity_score_invalid_normalize():
    with pytest.raises(InvalidParameterError, match="normalize"):
        fidelity_score([0, 1], [0, 1], normalize="yes")


# student_fidelity


def test_student_fidelity_matches_fidelity_score(fitted_distiller):
    distiller, X, _ = fitted_distiller
    y_teacher = distiller.teacher_.predict(X)
    expected = fidelity_score(y_teacher, distiller.predict(X))
    assert student_fidelity(distiller, X) == pytest.approx(expected)


def test_student_fidelity_matches_fidelity_attribute(fitted_distiller):
    # With transfer="in_sample" the transfer rows are X and teacher_ labels them.
    distiller, X, _ = fitted_distiller
    assert student_fidelity(distiller, X) == pytest.approx(distiller.fidelity_)


def test_student_fidelity_weights(fitted_distiller):
    distiller, X, _ = fitted_distiller
    weight = np.arange(len(X)) % 3
    expected = fidelity_score(
        distiller.teacher_.predict(X), distiller.predict(X), sample_weight=weight
    )
    result = student_fidelity(distiller, X, sample_weight=weight)
    assert result == pytest.approx(expected)


def test_student_fidelity_as_scoring():
    X, y = make_data()
    distiller = DistilledClassifier(
        small_teacher(), make_tree(), transfer="in_sample", random_state=0
    )
    scores = cross_validate(
        distiller, X, y, cv=2, scoring={"fidelity": student_fidelity}
    )
    assert scores["test_fidelity"].shape == (2,)
    assert np.all(scores["test_fidelity"] >= 0)
    assert np.all(scores["test_fidelity"] <= 1)


def test_student_fidelity_dropped_teacher():
    X, y = make_data()
    distiller = DistilledClassifier(
        small_teacher(), make_tree(), transfer="in_sample", keep_teacher=False
    ).fit(X, y)
    with pytest.raises(ValueError, match="keep_teacher=True") as error:
        student_fidelity(distiller, X)
    assert "frozen teacher" not in str(error.value)


def test_student_fidelity_dropped_frozen_teacher():
    X, y = make_data()
    frozen = FrozenEstimator(small_teacher().fit(X, y))
    distiller = DistilledClassifier(frozen, make_tree(), keep_teacher=False).fit(X, y)
    with pytest.raises(ValueError, match=r"distiller\.teacher\.predict\(X\)"):
        student_fidelity(distiller, X)


def test_student_fidelity_unfitted():
    distiller = DistilledClassifier(small_teacher(), make_tree())
    with pytest.raises(NotFittedError):
        student_fidelity(distiller, [[0.0, 1.0, 2.0, 3.0]])


def test_student_fidelity_rejects_other_estimators():
    X, y = make_data()
    tree = DecisionTreeClassifier().fit(X, y)
    with pytest.raises(InvalidParameterError, match="DistilledClassifier"):
        student_fidelity(tree, X)


# mean_kl_divergence and jensen_shannon_divergence


def test_kl_divergence_hand_computed():
    p_teacher = [[0.5, 0.5], [0.8, 0.2]]
    p_student = [[0.25, 0.75], [0.8, 0.2]]
    first_row = 0.5 * math.log(0.5 / 0.25) + 0.5 * math.log(0.5 / 0.75)
    expected = (first_row + 0.0) / 2
    assert mean_kl_divergence(p_teacher, p_student) == pytest.approx(expected)


def test_kl_divergence_matches_scipy_entropy():
    rng = np.random.RandomState(0)
    p_teacher = rng.dirichlet(np.ones(4), size=20)
    p_student = rng.dirichlet(np.ones(4), size=20)
    expected = entropy(p_teacher, p_student, axis=1).mean()
    result = mean_kl_divergence(p_teacher, p_student, eps=0)
    assert result == pytest.approx(expected)


def test_kl_divergence_zero_teacher_mass_costs_nothing():
    # 0 * log(0 / q) = 0, so a class the teacher rules out adds nothing.
    result = mean_kl_divergence([[1.0, 0.0]], [[0.5, 0.5]])
    assert result == pytest.approx(math.log(2))


def test_kl_divergence_eps_keeps_it_finite():
    p_teacher = [[0.5, 0.5]]
    p_student = [[1.0, 0.0]]
    assert math.isinf(mean_kl_divergence(p_teacher, p_student, eps=0))
    finite = mean_kl_divergence(p_teacher, p_student, eps=1e-12)
    assert math.isfinite(finite)
    # The floored row is (1, 1e-12) / (1 + 1e-12).
    expected = 0.5 * math.log(0.5) + 0.5 * math.log(0.5 / 1e-12)
    assert finite == pytest.approx(expected, rel=1e-9)


def test_kl_divergence_is_asymmetric():
    p = [[0.9, 0.1]]
    q = [[0.5, 0.5]]
    assert mean_kl_divergence(p, q) != pytest.approx(mean_kl_divergence(q, p))


def test_kl_divergence_invalid_eps():
    for eps in (-0.1, 1.0):
        with pytest.raises(InvalidParameterError, match="eps"):
            mean_kl_divergence([[1.0, 0.0]], [[1.0, 0.0]], eps=eps)


def test_js_divergence_disjoint_rows():
    result = jensen_shannon_divergence([[1.0, 0.0]], [[0.0, 1.0]])
    assert result == pytest.approx(math.log(2))


def test_js_divergence_hand_computed():
    p_teacher = [[0.5, 0.5]]
    p_student = [[1.0, 0.0]]
    # midpoint (0.75, 0.25)
    teacher_part = 0.5 * math.log(0.5 / 0.75) + 0.5 * math.log(0.5 / 0.25)
    student_part = math.log(1.0 / 0.75)
    expected = (teacher_part + student_part) / 2
    assert jensen_shannon_divergence(p_teacher, p_student) == pytest.approx(expected)


def test_js_divergence_matches_scipy_distance():
    rng = np.random.RandomState(0)
    p_teacher = rng.dirichlet(np.ones(3), size=15)
    p_student = rng.dirichlet(np.ones(3), size=15)
    expected = np.mean(jensenshannon(p_teacher, p_student, axis=1) ** 2)
    assert jensen_shannon_divergence(p_teacher, p_student) == pytest.approx(expected)


def test_js_divergence_is_symmetric():
    p = [[0.9, 0.1], [0.3, 0.7]]
    q = [[0.5, 0.5], [0.6, 0.4]]
    assert jensen_shannon_divergence(p, q) == pytest.approx(
        jensen_shannon_divergence(q, p)
    )


@pytest.mark.parametrize("divergence", DIVERGENCES)
def test_divergence_zero_for_equal_rows(divergence):
    p = [[0.2, 0.3, 0.5], [1.0, 0.0, 0.0]]
    # The KL floor eps=1e-12 on the zero columns leaves about 1e-12.
    assert divergence(p, p) == pytest.approx(0.0, abs=1e-9)


@pytest.mark.parametrize("divergence", DIVERGENCES)
def test_divergence_weighted_mean(divergence):
    p_teacher = [[0.5, 0.5], [0.9, 0.1]]
    p_student = [[0.2, 0.8], [0.9, 0.1]]
    unweighted = divergence(p_teacher, p_student)
    # Row 2 contributes 0, so weighting row 1 by 3 and row 2 by 1 gives 3/4 of
    # twice the unweighted mean.
    weighted = divergence(p_teacher, p_student, sample_weight=[3, 1])
    assert weighted == pytest.approx(2 * unweighted * 3 / 4)


@pytest.mark.parametrize("divergence", DIVERGENCES)
def test_divergence_accepts_float32_softmax(divergence):
    rng = np.random.RandomState(0)
    logits = rng.normal(size=(10, 50)).astype(np.float32)
    proba = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    assert divergence(proba, proba) == pytest.approx(0.0, abs=1e-6)


@pytest.mark.parametrize("divergence", DIVERGENCES)
def test_divergence_rejects_one_dimensional(divergence):
    with pytest.raises(ValueError, match=r"np\.column_stack\(\[1 - p, p\]\)"):
        divergence([0.2, 0.8], [0.3, 0.7])


@pytest.mark.parametrize("divergence", DIVERGENCES)
def test_divergence_rejects_three_dimensional(divergence):
    proba = np.full((2, 2, 2), 0.5)
    with pytest.raises(ValueError, match=r"must be 2-D .* got shape \(2, 2, 2\)"):
        divergence(proba, proba)


@pytest.mark.parametrize("divergence", DIVERGENCES)
def test_divergence_rejects_shape_mismatch(divergence):
    with pytest.raises(ValueError, match=r"shape \(1, 2\) but p_student has shape"):
        divergence([[0.5, 0.5]], [[0.2, 0.3, 0.5]])


@pytest.mark.parametrize("divergence", DIVERGENCES)
def test_divergence_rejects_negative_values(divergence):
    with pytest.raises(ValueError, match="p_student contains negative values"):
        divergence([[0.5, 0.5]], [[1.2, -0.2]])


@pytest.mark.parametrize("divergence", DIVERGENCES)
def test_divergence_rejects_unnormalised_rows(divergence):
    with pytest.raises(ValueError, match="row 1 sums to 0.9"):
        divergence([[0.5, 0.5], [0.6, 0.3]], [[0.5, 0.5], [0.5, 0.5]])


@pytest.mark.parametrize("divergence", DIVERGENCES)
def test_divergence_rejects_nan(divergence):
    with pytest.raises(ValueError, match="p_teacher contains NaN"):
        divergence([[np.nan, 0.5]], [[0.5, 0.5]])


@pytest.mark.parametrize("divergence", DIVERGENCES)
def test_divergence_rejects_empty(divergence):
    with pytest.raises(ValueError, match="minimum of 1 is required"):
        divergence(np.empty((0, 2)), np.empty((0, 2)))


@pytest.mark.parametrize("divergence", DIVERGENCES)
def test_divergence_rejects_weight_length(divergence):
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        divergence([[0.5, 0.5]], [[0.5, 0.5]], sample_weight=[1, 1])


# expected_calibration_error


def test_ece_calibrated_model_is_zero():
    # Ten rows at confidence 0.8, eight of them correct.
    y_proba = np.tile([0.8, 0.2], (10, 1))
    y_true = [0] * 8 + [1] * 2
    assert expected_calibration_error(y_true, y_proba) == pytest.approx(0.0)


def test_ece_overconfident_model():
    # Confidence 0.9 with accuracy 0.5.
    y_proba = np.tile([0.1, 0.9], (4, 1))
    y_true = [1, 1, 0, 0]
    assert expected_calibration_error(y_true, y_proba) == pytest.approx(0.4)


def test_ece_weights_bins_by_rows():
    # 4 rows at confidence 0.6 with accuracy 0.5: gap 0.1, share 0.4.
    # 6 rows at confidence 0.95 with accuracy 1: gap 0.05, share 0.6.
    y_proba = [[0.6, 0.4]] * 4 + [[0.05, 0.95]] * 6
    y_true = [0, 0, 1, 1] + [1] * 6
    expected = 0.4 * 0.1 + 0.6 * 0.05
    assert expected_calibration_error(y_true, y_proba) == pytest.approx(expected)


def test_ece_bins_are_closed_on_the_right():
    # With 5 bins, 0.6 falls in (0.4, 0.6] and 0.7 in (0.6, 0.8], so the two
    # rows are apart and each bin has its own gap.
    y_proba = [[0.6, 0.3, 0.1], [0.7, 0.2, 0.1]]
    y_true = [0, 1]
    result = expected_calibration_error(y_true, y_proba, n_bins=5, labels=[0, 1, 2])
    assert result == pytest.approx(0.5 * 0.4 + 0.5 * 0.7)


def test_ece_one_bin_is_accuracy_gap():
    y_proba = [[0.6, 0.4], [0.2, 0.8], [0.7, 0.3]]
    y_true = [0, 0, 0]
    mean_confidence = (0.6 + 0.8 + 0.7) / 3
    expected = abs(2 / 3 - mean_confidence)
    result = expected_calibration_error(y_true, y_proba, n_bins=1, labels=[0, 1])
    assert result == pytest.approx(expected)


def test_ece_string_labels_follow_labels_order():
    y_proba = [[0.9, 0.1], [0.9, 0.1]]
    # Column 0 is "spam", so both rows are correct at confidence 0.9.
    result = expected_calibration_error(
        ["spam", "spam"], y_proba, labels=["spam", "ham"]
    )
    assert result == pytest.approx(0.1)


def test_ece_sample_weight_equals_repeated_rows():
    y_proba = [[0.7, 0.3], [0.4, 0.6], [0.55, 0.45]]
    y_true = [0, 0, 1]
    weighted = expected_calibration_error(y_true, y_proba, sample_weight=[2, 1, 3])
    repeated = expected_calibration_error(
        [0, 0, 0, 1, 1, 1], [y_proba[0]] * 2 + [y_proba[1]] + [y_proba[2]] * 3
    )
    assert weighted == pytest.approx(repeated)


def test_ece_missing_class_needs_labels():
    with pytest.raises(ValueError, match="Pass labels"):
        expected_calibration_error([0, 0], [[0.5, 0.3, 0.2], [0.6, 0.2, 0.2]])


def test_ece_labels_length_mismatch():
    with pytest.raises(ValueError, match="labels has 2 entries but y_proba has 3"):
        expected_calibration_error([0], [[0.5, 0.3, 0.2]], labels=[0, 1])


def test_ece_duplicate_labels():
    with pytest.raises(ValueError, match="labels contains duplicates"):
        expected_calibration_error([0], [[0.5, 0.5]], labels=[0, 0])


def test_ece_unknown_true_label():
    with pytest.raises(ValueError, match=r"labels \[7\] that are not in labels"):
        expected_calibration_error([0, 7], [[0.5, 0.5]] * 2, labels=[0, 1])


def test_ece_rejects_one_dimensional_proba():
    with pytest.raises(ValueError, match="y_proba must be 2-D"):
        expected_calibration_error([0, 1], [0.2, 0.8])


def test_ece_rejects_unnormalised_rows():
    with pytest.raises(ValueError, match="rows of y_proba must sum to 1"):
        expected_calibration_error([0, 1], [[0.2, 0.2], [0.5, 0.5]])


def test_ece_length_mismatch():
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        expected_calibration_error([0, 1, 1], [[0.5, 0.5], [0.5, 0.5]])


def test_ece_invalid_n_bins():
    with pytest.raises(InvalidParameterError, match="n_bins"):
        expected_calibration_error([0, 1], [[0.5, 0.5]] * 2, n_bins=0)


def test_ece_of_fitted_classifier_in_range():
    X, y = make_classification(
        n_samples=200, n_classes=3, n_informative=4, random_state=0
    )
    proba = small_teacher().fit(X[:150], y[:150]).predict_proba(X[150:])
    ece = expected_calibration_error(y[150:], proba)
    assert ece >= 0.0
    assert ece <= 1.0


def test_divergence_column_mismatch_names_shapes():
    teacher = np.full((4, 3), 1 / 3)
    student = np.full((4, 2), 0.5)

    with pytest.raises(ValueError, match=r"shape \(4, 3\) but p_student"):
        mean_kl_divergence(teacher, student)
