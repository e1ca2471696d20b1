"""The temperature fitted to out-of-sample soft labels (temperature="auto")."""

# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, train_test_split
from sklearn.utils._param_validation import InvalidParameterError

from skdistill import DistilledClassifier
from skdistill._soft_labels import MAX_TEMPERATURE, fit_temperature, soften
from skdistill._transfer import cross_fit_proba, held_out_split

from _support import RecordingTreeRegressor, make_data, make_forest, make_tree


def mean_log_loss(proba, y_encoded, temperature, sample_weight=None):
    softened = soften(proba, temperature)
    true = np.clip(softened[np.arange(len(y_encoded)), y_encoded], 1e-12, None)
    return -np.average(np.log(true), weights=sample_weight)


def noisy_wide_data():
    """Rows with a fifth of the labels flipped and more features than an
    unregularised logistic regression can fit without overconfidence."""
    return make_classification(
        n_samples=120,
        n_features=60,
        n_informative=5,
        flip_y=0.2,
        random_state=0,
    )


def out_of_fold(teacher, X, y, sample_weight=None):
    """The out-of-fold probabilities of the default cv=5."""
    return cross_fit_proba(
        teacher,
        X,
        y,
        np.unique(y),
        cv=StratifiedKFold(5),
        sample_weight=sample_weight,
        n_jobs=None,
    )


def overconfident_teacher():
    return LogisticRegression(C=1e4, max_iter=5000)


# fit_temperature


def test_fit_temperature_known_value():
    # Three rows of four are right at 0.9, so the calibrated probability of
    # the top class is 0.75: 9 ** (1 / T) = 3 gives T = 2.
    proba = np.tile([[0.9, 0.1], [0.9, 0.1], [0.9, 0.1], [0.1, 0.9]], (3, 1))

    temperature = fit_temperature(proba, np.tile([0, 0, 1, 1], 3))

    assert temperature == pytest.approx(2.0, rel=1e-4)


def test_fit_temperature_minimises_log_loss():
    rng = np.random.RandomState(0)
    proba = rng.dirichlet([0.3, 0.3, 0.3, 0.3], size=200)
    y_encoded = rng.randint(0, 4, size=200)

    temperature = fit_temperature(proba, y_encoded)

    grid = np.linspace(1.0, MAX_TEMPERATURE, 2000)
    best = grid[np.argmin([mean_log_loss(proba, y_encoded, t) for t in grid])]
    assert temperature > 1.0
    assert temperature == pytest.approx(best, abs=0.02)


def test_fit_temperature_underconfident():
    # Every row is right at 0.6, so sharpening would raise the likelihood.
    proba = np.tile([[0.6, 0.4], [0.4, 0.6]], (5, 1))

    assert fit_temperature(proba, np.tile([0, 1], 5)) == 1.0


def test_fit_temperature_one_hot_labels():
    # Softening leaves probabilities of 0 and 1 unchanged, right or wrong.
    proba = np.eye(3)[[0, 1, 2, 0, 1]]

    assert fit_temperature(proba, np.array([0, 1, 2, 1, 1])) == 1.0


def test_fit_temperature_bounded():
    proba = np.tile([[0.9999, 0.0001], [0.0001, 0.9999]], (10, 1))
    y_encoded = np.tile([0, 0, 1, 1], 5)

    temperature = fit_temperature(proba, y_encoded)

    assert 1.0 < temperature <= MAX_TEMPERATURE


def test_fit_temperature_sample_weight():
    block = np.array([[0.9, 0.1], [0.9, 0.1], [0.9, 0.1], [0.1, 0.9]])
    proba = np.tile(block, (5, 1))
    y_encoded = np.tile([0, 0, 1, 1], 5)

    # Weight 0 on the wrong rows leaves only right ones: no softening.
    zero = fit_temperature(proba, y_encoded, np.tile([1.0, 1.0, 0.0, 1.0], 5))
    # Weight 2 on a row counts like the row twice.
    weight = np.tile([2.0, 1.0, 1.0, 1.0], 5)
    weighted = fit_temperature(proba, y_encoded, weight)
    repeated = fit_temperature(
        np.vstack([proba, proba[::4]]), np.append(y_encoded, y_encoded[::4])
    )

    assert fit_temperature(proba, y_encoded) == pytest.approx(2.0, rel=1e-4)
    assert zero == 1.0
    assert weighted < 2.0
    assert weighted == pytest.approx(repeated, rel=1e-4)


# DistilledClassifier(temperature="auto")


def test_auto_is_default():
    assert DistilledClassifier(make_forest()).get_params()["temperature"] == "auto"


def test_auto_cross_fit_value():
    X, y = noisy_wide_data()
    teacher = overconfident_teacher()
    clf = DistilledClassifier(teacher, RecordingTreeRegressor(), alpha=0.0)

    clf.fit(X, y)

    proba = out_of_fold(teacher, X, y)
    expected = fit_temperature(proba, y)
    assert clf.temperature_ > 1.0
    assert clf.temperature_ == pytest.approx(expected, rel=1e-12)
    # The student learns the soft labels softened at that temperature.
    np.testing.assert_allclose(
        clf.student_.fit_y_, soften(proba, clf.temperature_), atol=1e-12
    )


def test_auto_held_out_softens():
    X, y = noisy_wide_data()
    clf = DistilledClassifier(
        overconfident_teacher(), make_tree(), transfer="held_out", random_state=0
    )

    clf.fit(X, y)

    assert clf.temperature_ > 1.0


@pytest.mark.parametrize("frozen", [False, True], ids=["in_sample", "frozen"])
def test_auto_in_sample_is_one(frozen):
    X, y = noisy_wide_data()
    teacher = overconfident_teacher()
    if frozen:
        teacher = FrozenEstimator(teacher.fit(X, y))
    clf = DistilledClassifier(teacher, make_tree(), transfer="in_sample")

    clf.fit(X, y)

    assert clf.temperature_ == 1.0


def test_auto_keeps_underconfident_teacher():
    # A 20-tree forest on well separated blobs is right on nearly every
    # out-of-fold row with probabilities below 1.
    X, y = make_data()

    clf = DistilledClassifier(make_forest(), make_tree()).fit(X, y)

    assert clf.temperature_ == 1.0


def test_auto_uses_sample_weight():
    X, y = noisy_wide_data()
    teacher = overconfident_teacher()
    weight = np.random.RandomState(0).randint(1, 4, size=len(y)).astype(float)
    clf = DistilledClassifier(teacher, make_tree(), keep_teacher=False)

    clf.fit(X, y, sample_weight=weight)

    proba = out_of_fold(teacher, X, y, weight)
    expected = fit_temperature(proba, y, weight)
    assert clf.temperature_ == pytest.approx(expected, rel=1e-12)
    assert expected != pytest.approx(fit_temperature(proba, y), rel=1e-3)


@pytest.mark.parametrize("temperature", [0.5, 1.0, 3.0])
def test_float_temperature_recorded(temperature):
    X, y = make_data()
    clf = DistilledClassifier(make_forest(), make_tree(), temperature=temperature)

    clf.fit(X, y)

    assert clf.temperature_ == temperature


@pytest.mark.parametrize("temperature", ["hot", "AUTO", None])
def test_invalid_temperature_raises(temperature):
    X, y = make_data()
    clf = DistilledClassifier(make_forest(), make_tree(), temperature=temperature)

    with pytest.raises(InvalidParameterError, match="'temperature' parameter"):
        clf.fit(X, y)


def test_auto_logged(capsys):
    X, y = noisy_wide_data()
    clf = DistilledClassifier(overconfident_teacher(), make_tree(), verbose=1)

    clf.fit(X, y)

    assert "temperature='auto' resolved to" in capsys.readouterr().out


def test_auto_reproducible_across_clones():
    X, y = noisy_wide_data()
    X_train, X_test, y_train, _ = train_test_split(X, y, random_state=0)
    clf = DistilledClassifier(overconfident_teacher(), make_tree(), random_state=0)

    first = clf.fit(X_train, y_train)
    temperature, proba = first.temperature_, first.predict_proba(X_test)
    second = clone(clf).fit(X_train, y_train)

    assert second.temperature_ == temperature
    np.testing.assert_array_equal(second.predict_proba(X_test), proba)


def test_fit_temperature_few_rows():
    # One confident mistake in 9 rows is too little to fit a temperature on.
    proba = np.tile([[0.999, 0.001]], (9, 1))
    y_encoded = np.array([0] * 8 + [1])

    assert fit_temperature(proba, y_encoded) == 1.0
    assert fit_temperature(np.vstack([proba, proba[:1]]), np.append(y_encoded, 0)) > 1


def test_fit_temperature_zero_weights():
    proba = np.tile([[0.9, 0.1]], (20, 1))
    y_encoded = np.tile([0, 1], 10)

    assert fit_temperature(proba, y_encoded, np.zeros(20)) == 1.0


def test_auto_zero_weight_held_out():
    # The held-out rows weigh nothing, so no temperature is fitted. The
    # unlabeled rows still give the student something to learn.
    X, y = noisy_wide_data()
    _, transfer_rows = held_out_split(y, np.unique(y), 0.5, 0)
    weight = np.ones(len(y))
    weight[transfer_rows] = 0.0
    clf = DistilledClassifier(
        overconfident_teacher(), make_tree(), transfer="held_out", random_state=0
    )

    clf.fit(X, y, sample_weight=weight, X_unlabeled=X[:20] + 0.1)

    assert clf.temperature_ == 1.0
