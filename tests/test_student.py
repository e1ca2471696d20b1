"""Tests of how the student learns the soft labels and predicts with them."""

import math
import warnings

import joblib
import numpy as np
import pytest
from scipy import sparse
from sklearn.base import clone
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs, make_classification
from sklearn.dummy import DummyRegressor
from sklearn.ensemble import RandomForestClassifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction import DictVectorizer
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import ARDRegression, LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVR
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
from sklearn.utils._param_validation import InvalidParameterError

from skdistill import DistilledClassifier
from skdistill._student import (
    MLP_ALPHA_CANDIDATES,
    _equal_batch_size,
    _match_mlp_batches,
    check_student_kind,
    choose_mlp_alpha,
    fit_student,
    student_proba,
)

from _support import RecordingTreeClassifier, RecordingTreeRegressor

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

NAMES = np.array(["cat", "dog", "emu"])


def make_data():
    return make_blobs(
        n_samples=120, n_features=4, centers=3, cluster_std=2.5, random_state=0
    )


def frozen_forest(X, y):
    forest = RandomForestClassifier(n_estimators=30, random_state=0).fit(X, y)
    return FrozenEstimator(forest)


def frozen_logistic(X, y):
    # Well separated blobs give probabilities far below 1e-4 on many rows.
    return FrozenEstimator(LogisticRegression().fit(X, y))


def row_indices(X_seen, X):
    """Return the index in X of each row of X_seen. Rows of X must be unique."""
    index = {row.tobytes(): i for i, row in enumerate(np.asarray(X))}
    return np.array([index[row.tobytes()] for row in np.asarray(X_seen)])


def weights_by_row_and_class(student, X, classes):
    """Sum the sample weights a recording student received per row and class."""
    rows = row_indices(student.fit_X_, X)
    columns = np.searchsorted(classes, student.fit_y_)
    weights = np.zeros((len(X), len(classes)))
    np.add.at(weights, (rows, columns), student.fit_sample_weight_)
    return rows, columns, weights


def entropy(proba):
    logs = np.log(np.where(proba > 0, proba, 1.0))
    return -np.sum(proba * logs, axis=1)


def mlp_parts(estimator):
    parts = [estimator]
    parts += [step for _, step in getattr(estimator, "steps", [])]
    parts += list(getattr(estimator, "estimators_", []))
    return [part for part in parts if hasattr(part, "coefs_")]


# Kinds of student


@pytest.mark.parametrize(
    "student",
    [
        DecisionTreeClassifier(),
        LogisticRegression(),
        MLPClassifier(),
        make_pipeline(StandardScaler(), LogisticRegression()),
        DecisionTreeRegressor(),
        MLPRegressor(),
        SVR(),
    ],
    ids=lambda s: type(s).__name__ if not hasattr(s, "steps") else "Pipeline",
)
def test_check_kind_accepts(student):
    check_student_kind(student)


def test_check_kind_kneighbors_raises():
    with pytest.raises(TypeError, match="KNeighborsClassifier.*sample_weight"):
        check_student_kind(KNeighborsClassifier())


def test_check_kind_kmeans_raises():
    with pytest.raises(TypeError, match="KMeans"):
        check_student_kind(KMeans(n_clusters=3))


@pytest.mark.parametrize(
    "student, name",
    [(KNeighborsClassifier(), "KNeighborsClassifier"), (KMeans(3), "KMeans")],
)
def test_fit_invalid_student_raises(student, name):
    X, y = make_data()
    clf = DistilledClassifier(frozen_forest(X, y), student)

    with pytest.raises(TypeError, match=name):
        clf.fit(X, y)


# Classifier students

CLASSIFIER_STUDENTS = [
    DecisionTreeClassifier(max_depth=4, random_state=0),
    MLPClassifier(hidden_layer_sizes=(16,), max_iter=300, random_state=0),
    LogisticRegression(),
    make_pipeline(StandardScaler(), LogisticRegression()),
]
CLASSIFIER_IDS = ["tree", "mlp", "logistic", "pipeline"]


@pytest.mark.parametrize("student", CLASSIFIER_STUDENTS, ids=CLASSIFIER_IDS)
def test_classifier_student_learns(student):
    X, y = make_data()
    clf = DistilledClassifier(frozen_forest(X, y), student).fit(X, y)

    assert clf.score(X, y) > 0.7


@pytest.mark.parametrize("student", CLASSIFIER_STUDENTS, ids=CLASSIFIER_IDS)
def test_classifier_student_proba_rows(student):
    X, y = make_data()
    clf = DistilledClassifier(frozen_forest(X, y), student).fit(X, y)

    proba = clf.predict_proba(X)

    assert proba.shape == (len(X), 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-9)
    np.testing.assert_array_equal(clf.predict(X), clf.classes_[proba.argmax(axis=1)])


def test_classifier_rows_weighted_by_target():
    X, y = make_data()
    teacher = frozen_forest(X, y)
    student = RecordingTreeClassifier(random_state=0)
    clf = DistilledClassifier(teacher, student, alpha=0.0).fit(X, y)

    rows, columns, weights = weights_by_row_and_class(clf.student_, X, clf.classes_)

    pairs = set(zip(rows.tolist(), columns.tolist(), strict=True))
    assert len(pairs) == len(rows)
    np.testing.assert_allclose(weights, teacher.predict_proba(X), atol=1e-12)


def test_classifier_near_zero_dropped():
    X, y = make_data()
    teacher = frozen_logistic(X, y)
    student = RecordingTreeClassifier(random_state=0)
    clf = DistilledClassifier(teacher, student, alpha=0.0).fit(X, y)
    proba = teacher.predict_proba(X)
    assert (proba < 1e-6).any()

    _, _, weights = weights_by_row_and_class(clf.student_, X, clf.classes_)

    assert (weights[proba < 1e-6] == 0).all()
    np.testing.assert_allclose(weights[proba > 1e-3], proba[proba > 1e-3])


def test_classifier_weights_times_sample_weight():
    X, y = make_data()
    teacher = frozen_forest(X, y)
    sample_weight = np.random.RandomState(0).uniform(0.5, 2.0, size=len(y))
    student = RecordingTreeClassifier(random_state=0)
    clf = DistilledClassifier(teacher, student, alpha=0.0)
    clf.fit(X, y, sample_weight=sample_weight)

    _, _, weights = weights_by_row_and_class(clf.student_, X, clf.classes_)

    expected = teacher.predict_proba(X) * sample_weight[:, np.newaxis]
    np.testing.assert_allclose(weights, expected, atol=1e-12)


def test_pipeline_student_gets_sample_weight():
    X, y = make_data()
    sample_weight = np.full(len(y), 2.0)
    student = make_pipeline(StandardScaler(), RecordingTreeClassifier(random_state=0))
    clf = DistilledClassifier(frozen_forest(X, y), student)
    clf.fit(X, y, sample_weight=sample_weight)

    received = clf.student_[-1].fit_sample_weight_

    assert received is not None
    np.testing.assert_allclose(received.sum(), 2.0 * len(y))


def test_classifier_alpha_one_learns_true_labels():
    X, y = make_data()
    student = RecordingTreeClassifier(random_state=0)
    clf = DistilledClassifier(frozen_forest(X, y), student, alpha=1.0).fit(X, y)

    assert clf.student_.fit_X_ is X
    np.testing.assert_array_equal(clf.student_.fit_y_, y)
    assert clf.student_.fit_sample_weight_ is None


# String labels


@pytest.mark.parametrize(
    "student",
    [
        DecisionTreeClassifier(max_depth=4, random_state=0),
        MLPClassifier(max_iter=300, random_state=0),
        MLPClassifier(max_iter=300, early_stopping=True, random_state=0),
    ],
    ids=["tree", "mlp", "mlp-early-stopping"],
)
def test_string_labels_round_trip(student):
    X, y = make_data()
    labels = NAMES[y]
    clf = DistilledClassifier(frozen_forest(X, labels), student).fit(X, labels)

    predicted = clf.predict(X)

    assert set(predicted) <= set(NAMES)
    assert predicted.dtype.kind in "UO"
    np.testing.assert_array_equal(clf.classes_, NAMES)
    assert clf.score(X, labels) == accuracy_score(labels, predicted)


# Regressor students

REGRESSOR_STUDENTS = [
    DecisionTreeRegressor(max_depth=4, random_state=0),
    MLPRegressor(hidden_layer_sizes=(16,), max_iter=300, random_state=0),
    SVR(),
]
REGRESSOR_IDS = ["tree", "mlp", "svr"]


@pytest.mark.parametrize("student", REGRESSOR_STUDENTS, ids=REGRESSOR_IDS)
def test_regressor_student_proba_rows(student):
    X, y = make_data()
    clf = DistilledClassifier(frozen_forest(X, y), student).fit(X, y)

    proba = clf.predict_proba(X)

    assert proba.min() >= 0.0
    assert proba.max() <= 1.0
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-9)
    np.testing.assert_array_equal(clf.predict(X), clf.classes_[proba.argmax(axis=1)])


@pytest.mark.parametrize("student", REGRESSOR_STUDENTS, ids=REGRESSOR_IDS)
def test_regressor_student_learns(student):
    X, y = make_data()
    clf = DistilledClassifier(frozen_forest(X, y), student).fit(X, y)

    assert clf.score(X, y) > 0.7


def test_regressor_fitted_on_targets():
    X, y = make_data()
    teacher = frozen_forest(X, y)
    clf = DistilledClassifier(
        teacher, RecordingTreeRegressor(random_state=0), alpha=0.0
    )
    clf.fit(X, y, sample_weight=np.full(len(y), 3.0))

    np.testing.assert_allclose(clf.student_.fit_y_, teacher.predict_proba(X))
    np.testing.assert_array_equal(clf.student_.fit_sample_weight_, 3.0)


def test_regressor_svr_sample_weight():
    X, y = make_data()
    sample_weight = np.where(y == 2, 0.0, 1.0)
    clf = DistilledClassifier(frozen_forest(X, y), SVR())

    unweighted = clf.fit(X, y).predict_proba(X)
    weighted = clf.fit(X, y, sample_weight=sample_weight).predict_proba(X)

    assert not np.allclose(weighted, unweighted)


def test_regressor_pipeline_sample_weight():
    X, y = make_data()
    student = make_pipeline(
        StandardScaler(),
        MLPRegressor(hidden_layer_sizes=(16,), max_iter=200, random_state=0),
    )
    clf = DistilledClassifier(frozen_forest(X, y), student)

    clf.fit(X, y, sample_weight=np.ones(len(y)))

    np.testing.assert_allclose(clf.predict_proba(X).sum(axis=1), 1.0, atol=1e-9)


def test_regressor_no_sample_weight_raises():
    X, y = make_data()
    clf = DistilledClassifier(frozen_forest(X, y), KNeighborsRegressor())

    with pytest.raises(TypeError, match="KNeighborsRegressor.*sample_weight"):
        clf.fit(X, y, sample_weight=np.ones(len(y)))


def test_regressor_ard_sample_weight_raises():
    X, y = make_data()
    clf = DistilledClassifier(frozen_forest(X, y), ARDRegression())

    with pytest.raises(TypeError, match="ARDRegression.*sample_weight"):
        clf.fit(X, y, sample_weight=np.ones(len(y)))


def test_temperature_flattens_regressor_outputs():
    X, y = make_data()
    teacher = frozen_forest(X, y)
    student = DecisionTreeRegressor(random_state=0)

    sharp = DistilledClassifier(teacher, student, temperature=1.0).fit(X, y)
    flat = DistilledClassifier(teacher, student, temperature=3.0).fit(X, y)

    assert (
        entropy(flat.predict_proba(X)).mean() > entropy(sharp.predict_proba(X)).mean()
    )


def test_temperature_flattens_classifier_weights():
    X, y = make_data()
    teacher = frozen_forest(X, y)
    student = RecordingTreeClassifier(random_state=0)
    clf = DistilledClassifier(teacher, student, temperature=2.0, alpha=0.0).fit(X, y)

    _, _, weights = weights_by_row_and_class(clf.student_, X, clf.classes_)

    expected = np.sqrt(teacher.predict_proba(X))
    expected /= expected.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(weights, expected, atol=1e-12)


def test_student_proba_clips_and_normalises():
    X = np.zeros((2, 1))
    regressor = DummyRegressor(strategy="constant", constant=[1.5, -0.5, 0.5])
    regressor.fit(X, np.zeros((2, 3)))

    proba = student_proba(regressor, X, np.array([0, 1, 2]))

    np.testing.assert_allclose(proba, [[2 / 3, 0.0, 1 / 3]] * 2)


def test_student_proba_all_clipped_softmax():
    X = np.zeros((2, 1))
    regressor = DummyRegressor(strategy="constant", constant=[-1.0, -0.5])
    regressor.fit(X, np.zeros((2, 2)))

    proba = student_proba(regressor, X, np.array([0, 1]))

    # The softmax of the raw outputs keeps class 1 ahead.
    expected = np.exp([-1.0, -0.5]) / np.exp([-1.0, -0.5]).sum()
    np.testing.assert_allclose(proba, [expected, expected])


# Fitted copy


@pytest.mark.parametrize(
    "student",
    [
        DecisionTreeClassifier(random_state=0),
        MLPClassifier(max_iter=100, random_state=0),
        MLPRegressor(max_iter=100, random_state=0),
    ],
    ids=["tree", "mlp", "mlp-regressor"],
)
def test_student_not_modified(student):
    X, y = make_data()
    before = joblib.hash(student)

    clf = DistilledClassifier(frozen_forest(X, y), student).fit(X, y)

    assert joblib.hash(student) == before
    assert clf.student_ is not student


@pytest.mark.parametrize(
    "student",
    [
        MLPClassifier(max_iter=100, random_state=0),
        MLPClassifier(max_iter=100, early_stopping=True, random_state=0),
        make_pipeline(StandardScaler(), MLPClassifier(max_iter=100, random_state=0)),
        MLPRegressor(max_iter=100, random_state=0),
    ],
    ids=["mlp", "mlp-early-stopping", "pipeline", "mlp-regressor"],
)
def test_mlp_student_no_optimizer(student):
    X, y = make_data()
    clf = DistilledClassifier(frozen_forest(X, y), student, random_state=0).fit(X, y)

    parts = mlp_parts(clf.student_)

    assert parts
    for part in parts:
        assert not hasattr(part, "_optimizer")


def test_mlp_student_predicts_without_optimizer():
    X, y = make_data()
    student = MLPClassifier(max_iter=100, random_state=0)
    clf = DistilledClassifier(frozen_forest(X, y), student).fit(X, y)

    proba = clf.predict_proba(X)

    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-9)


# Input the student cannot take


def test_dict_rows_tree_student_raises():
    X, y = make_data()
    rows = [{"a": float(a), "b": float(b)} for a, b in X[:, :2]]
    teacher = make_pipeline(DictVectorizer(), LogisticRegression())
    clf = DistilledClassifier(teacher, DecisionTreeClassifier(), random_state=0)

    with pytest.raises((TypeError, ValueError), match="DecisionTreeClassifier"):
        clf.fit(rows, y)


def test_dict_rows_error_suggests_pipeline():
    X, y = make_data()
    rows = [{"a": float(a), "b": float(b)} for a, b in X[:, :2]]
    teacher = make_pipeline(DictVectorizer(), LogisticRegression())
    clf = DistilledClassifier(teacher, DecisionTreeClassifier(), random_state=0)

    with pytest.raises((TypeError, ValueError), match="Pipeline"):
        clf.fit(rows, y)


def test_sparse_dense_student_raises():
    X, y = make_data()
    clf = DistilledClassifier(LogisticRegression(), GaussianNB(), random_state=0)

    with pytest.raises((TypeError, ValueError), match="GaussianNB.*Pipeline"):
        clf.fit(sparse.csr_matrix(X), y)


def test_sparse_error_suggests_no_encoder():
    X, y = make_data()
    clf = DistilledClassifier(LogisticRegression(), GaussianNB(), random_state=0)

    with pytest.raises((TypeError, ValueError), match="dense") as excinfo:
        clf.fit(sparse.csr_matrix(X), y)

    assert "OneHotEncoder" not in str(excinfo.value)


# Weight decay of an MLP student


def wide_split(seed=0):
    """Few rows, a thousand features, ten of them informative: split in half."""
    X, y = make_classification(
        n_samples=120,
        n_features=1000,
        n_informative=10,
        n_redundant=10,
        n_classes=3,
        n_clusters_per_class=1,
        class_sep=1.5,
        random_state=seed,
    )
    return train_test_split(X, y, test_size=0.5, stratify=y, random_state=0)


def scaled_mlp(**params):
    return make_pipeline(
        StandardScaler(),
        MLPClassifier(hidden_layer_sizes=(32,), random_state=0, **params),
    )


def test_mlp_alpha_auto_matches_direct():
    X_train, X_test, y_train, y_test = wide_split()
    direct = scaled_mlp().fit(X_train, y_train).score(X_test, y_test)
    teacher = RandomForestClassifier(n_estimators=100, random_state=0)

    auto = DistilledClassifier(teacher, scaled_mlp(), random_state=0)
    auto.fit(X_train, y_train)
    own = DistilledClassifier(teacher, scaled_mlp(), mlp_alpha=None, random_state=0)
    own.fit(X_train, y_train)

    # With its own alpha=1e-4 the MLP keeps its random initial weights on soft
    # labels and scores below direct training here. The chosen decay does not.
    assert auto.student_[-1].alpha in MLP_ALPHA_CANDIDATES
    assert auto.mlp_alpha_ == auto.student_[-1].alpha
    assert own.mlp_alpha_ == 1e-4
    assert auto.score(X_test, y_test) >= direct
    assert own.score(X_test, y_test) < auto.score(X_test, y_test)
    assert own.student_[-1].alpha == 1e-4


@pytest.mark.parametrize(
    "student, param",
    [
        (MLPClassifier(hidden_layer_sizes=(4,), max_iter=50, random_state=0), "alpha"),
        (MLPRegressor(hidden_layer_sizes=(4,), max_iter=50, random_state=0), "alpha"),
        (
            make_pipeline(StandardScaler(), MLPClassifier(max_iter=50, random_state=0)),
            "mlpclassifier__alpha",
        ),
    ],
)
def test_mlp_alpha_float_sets_alpha(student, param):
    X, y = make_blobs(n_samples=60, centers=3, random_state=0)
    clf = DistilledClassifier(make_forest_small(), student, mlp_alpha=0.3)

    clf.fit(X, y)

    assert clf.student_.get_params()[param] == 0.3
    assert clf.mlp_alpha_ == 0.3
    # The student passed in keeps its own value.
    assert student.get_params()[param] == 1e-4


def test_mlp_alpha_auto_reproducible():
    X_train, _, y_train, _ = wide_split(seed=1)
    teacher = RandomForestClassifier(n_estimators=20, random_state=0)
    clf = DistilledClassifier(teacher, scaled_mlp(max_iter=100), random_state=4)

    first = clf.fit(X_train, y_train).predict_proba(X_train)
    alpha = clf.student_[-1].alpha
    second = clf.fit(X_train, y_train).predict_proba(X_train)

    np.testing.assert_array_equal(first, second)
    assert clf.student_[-1].alpha == alpha


def test_mlp_alpha_ignored_by_other_students():
    X, y = make_blobs(n_samples=60, centers=3, random_state=0)
    student = DecisionTreeClassifier(max_depth=2, random_state=0)

    clf = DistilledClassifier(make_forest_small(), student, mlp_alpha=5.0).fit(X, y)

    assert clf.student_.get_params() == student.get_params()
    assert clf.mlp_alpha_ is None


def test_mlp_alpha_auto_logged(capsys):
    X, y = make_data()
    student = MLPClassifier(hidden_layer_sizes=(4,), max_iter=20, random_state=0)
    clf = DistilledClassifier(make_forest_small(), student, verbose=1, random_state=0)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X, y)

    assert f"mlp_alpha='auto' resolved to {clf.mlp_alpha_:g}" in capsys.readouterr().out
    assert clf.mlp_alpha_ == clf.student_.alpha


def test_choose_mlp_alpha_few_rows_keeps_own():
    X = np.arange(16.0).reshape(8, 2)
    target = np.tile([[0.7, 0.3], [0.2, 0.8]], (4, 1))
    student = MLPClassifier(alpha=0.02, max_iter=20, random_state=0)

    alpha = choose_mlp_alpha(student, X, target, np.array([0, 1]), None, 0)

    assert alpha == 0.02


def test_choose_mlp_alpha_scores_every_candidate():
    X_train, _, y_train, _ = wide_split()
    target = np.eye(3)[y_train] * 0.5 + 0.5 / 3
    fitted_alphas = []

    class CountingMLP(MLPClassifier):
        def fit(self, X, y, sample_weight=None):
            fitted_alphas.append(self.alpha)
            return super().fit(X, y, sample_weight=sample_weight)

    student = CountingMLP(hidden_layer_sizes=(8,), max_iter=30, random_state=0)
    alpha = choose_mlp_alpha(student, X_train, target, np.arange(3), None, 0)

    assert sorted(fitted_alphas) == sorted([1e-4, *MLP_ALPHA_CANDIDATES])
    assert alpha in fitted_alphas


def make_forest_small():
    return RandomForestClassifier(n_estimators=10, random_state=0)


# Minibatches of an MLP on repeated rows


def nearly_sure_target(n_rows, n_sure):
    """Targets of two classes: n_rows - n_sure rows keep both classes, with the
    second at 0.0005, and n_sure rows are one-hot."""
    target = np.tile([0.9995, 0.0005], (n_rows, 1))
    target[:n_sure] = [1.0, 0.0]
    target[::2] = target[::2, ::-1]
    return target


def test_mlp_repeated_rows_no_small_remainder():
    # 101 source rows repeat into 201 rows. batch_size="auto" would cut them
    # into minibatches of 200 and 1 row; a lone row of weight 0.0005 divides
    # its L2 penalty by 0.0005 and the training loss jumps by orders of
    # magnitude from one epoch to the next.
    X, _ = make_blobs(n_samples=101, centers=2, n_features=20, random_state=0)
    target = nearly_sure_target(101, n_sure=1)
    student = MLPClassifier(hidden_layer_sizes=(8,), alpha=1.0, random_state=0)

    fitted = fit_student(clone(student), X, target, np.array([0, 1]))

    assert fitted.batch_size == 101
    loss = np.asarray(fitted.loss_curve_)
    assert loss.max() == loss[0]
    assert loss[-1] < 0.5 * loss[0]
    assert student.batch_size == "auto"


def test_mlp_repeated_rows_equal_batches():
    # 450 source rows repeat into 899 rows, which batch_size="auto" would cut
    # into 4 minibatches of 200 and one of 99. They get 5 of at most 180.
    X, _ = make_blobs(n_samples=450, centers=2, random_state=0)
    target = nearly_sure_target(450, n_sure=1)
    student = make_pipeline(
        StandardScaler(), MLPClassifier(hidden_layer_sizes=(4,), max_iter=5)
    )

    fitted = fit_student(clone(student), X, target, np.array([0, 1]))

    assert fitted[-1].batch_size == 180


@pytest.mark.parametrize("solver", ["adam", "sgd"])
def test_mlp_repeated_weights_average_source_weight(solver):
    # 300 source rows of weight 2 keep one, two or three classes: 600
    # repeated rows, 2 per source row, whose weights sum to 2 per source row.
    # Multiplied by 2, their mean is 2, as on the source rows.
    target = np.repeat([[1.0, 0.0, 0.0], [0.5, 0.5, 0.0], [0.5, 0.3, 0.2]], 100, 0)
    rows, columns = np.nonzero(target)
    weight = 2 * target[rows, columns]
    student = MLPClassifier(solver=solver)

    scaled = _match_mlp_batches(student, weight, rows)

    assert scaled.mean() == pytest.approx(2.0)
    np.testing.assert_allclose(scaled, 2 * weight)
    assert student.batch_size == 200


def uniform_target(n_rows, n_classes):
    return np.full((n_rows, n_classes), 1.0 / n_classes)


def mostly_sure_target(n_rows, n_split):
    """Return one-hot targets of two classes, with n_split rows at 0.5 and 0.5."""
    target = np.zeros((n_rows, 2))
    target[:, 0] = 1.0
    target[:n_split] = 0.5
    return target


@pytest.mark.parametrize(
    ("target", "params", "expected_sum"),
    [
        (uniform_target(100, 4), {}, 100),
        (uniform_target(66, 4), {}, 66),
        (uniform_target(150, 4), {"batch_size": 64}, 64),
        (mostly_sure_target(199, 2), {}, 199),
        (mostly_sure_target(1000, 600), {}, 200),
        # 350 of 400 repeated rows and 87 of 100 source rows are trained on.
        (
            uniform_target(100, 4),
            {"early_stopping": True, "validation_fraction": 0.125},
            87,
        ),
    ],
    ids=[
        "one-batch",
        "srbct-fold",
        "batch-size-set",
        "two-batches-of-101",
        "many-batches",
        "early-stopping",
    ],
)
@pytest.mark.parametrize("in_pipeline", [False, True], ids=["mlp", "pipeline"])
def test_mlp_repeated_minibatch_weighs_source_batch(
    target, params, expected_sum, in_pipeline
):
    # A minibatch of repeated rows weighs on average min(batch_size, n), what
    # a full minibatch of the n source rows weighs when trained directly.
    rows, columns = np.nonzero(target)
    mlp = MLPClassifier(**params)
    student = make_pipeline(StandardScaler(), mlp) if in_pipeline else mlp

    scaled = _match_mlp_batches(student, target[rows, columns], rows)

    assert scaled.mean() * mlp.batch_size == pytest.approx(expected_sum)


@pytest.mark.parametrize(
    "params",
    [
        {"batch_size": 0},
        {"batch_size": "x"},
        {"early_stopping": True, "validation_fraction": "x"},
    ],
    ids=["batch-size-0", "batch-size-x", "validation-fraction-x"],
)
def test_mlp_repeated_rows_invalid_params(params):
    # scikit-learn's own check reports them, not an error of the scaling.
    X, _ = make_blobs(n_samples=60, centers=2, random_state=0)
    student = MLPClassifier(hidden_layer_sizes=(4,), max_iter=5, **params)

    with pytest.raises(InvalidParameterError):
        fit_student(student, X, uniform_target(60, 2), np.array([0, 1]))


def test_mlp_repeated_weights_lbfgs_unchanged():
    # L-BFGS takes full steps: all the weights sum to the source rows' total,
    # as when trained directly.
    rows = np.repeat(np.arange(50), 2)
    weight = np.tile([0.7, 0.3], 50)
    student = MLPClassifier(solver="lbfgs")

    assert _match_mlp_batches(student, weight, rows) is weight
    assert student.batch_size == "auto"


@pytest.mark.parametrize(
    ("n_source_rows", "direct_weight"),
    [(300, 1.0), (100, 0.5)],
    ids=["three-minibatches", "one-minibatch"],
)
def test_mlp_repeated_rows_train_like_rows(n_source_rows, direct_weight):
    # Targets of 0.5 and 0.5 repeat each source row into one row per class,
    # of weight 0.5. From 300 source rows, scaled to weight 1, they make three
    # minibatches of 200 that each weigh 200. From 100 source rows they make
    # one minibatch that weighs 100, as the source rows do when trained
    # directly, so they keep weight 0.5. Either way the MLP trains exactly as
    # on the same rows passed to it directly with those weights.
    X, _ = make_blobs(n_samples=n_source_rows, centers=2, random_state=0)
    target = np.full((n_source_rows, 2), 0.5)
    student = MLPClassifier(
        hidden_layer_sizes=(4,), alpha=1.0, max_iter=5, random_state=0
    )

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        fitted = fit_student(clone(student), X, target, np.array([0, 1]))
        direct = clone(student).fit(
            np.repeat(X, 2, axis=0),
            np.tile([0, 1], n_source_rows),
            sample_weight=np.full(2 * n_source_rows, direct_weight),
        )

    assert fitted.batch_size == 200
    np.testing.assert_allclose(fitted.loss_curve_, direct.loss_curve_)
    for fitted_coef, direct_coef in zip(fitted.coefs_, direct.coefs_, strict=True):
        np.testing.assert_allclose(fitted_coef, direct_coef)


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"batch_size": 32}, 32),
        ({"solver": "lbfgs"}, "auto"),
    ],
    ids=["batch-size-set", "lbfgs"],
)
def test_mlp_batch_size_kept(params, expected):
    X, _ = make_blobs(n_samples=60, centers=2, random_state=0)
    target = nearly_sure_target(60, n_sure=1)
    student = MLPClassifier(hidden_layer_sizes=(4,), max_iter=5, **params)

    fitted = fit_student(clone(student), X, target, np.array([0, 1]))

    assert fitted.batch_size == expected


def test_mlp_drawn_labels_keep_auto():
    X, _ = make_blobs(n_samples=60, centers=2, random_state=0)
    target = nearly_sure_target(60, n_sure=1)
    student = MLPClassifier(hidden_layer_sizes=(4,), max_iter=5)

    fitted = fit_student(
        clone(student), X, target, np.array([0, 1]), student_rows="sample"
    )

    assert fitted.batch_size == "auto"


def test_mlp_early_stopping_batch_size():
    # The MLP trains on the rows left after its validation share, so the
    # minibatch must not be larger than those (scikit-learn would warn).
    X, _ = make_blobs(n_samples=101, centers=2, n_features=20, random_state=0)
    target = nearly_sure_target(101, n_sure=1)
    student = MLPClassifier(
        hidden_layer_sizes=(4,), max_iter=5, early_stopping=True, random_state=0
    )

    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        warnings.simplefilter("ignore", ConvergenceWarning)
        fitted = fit_student(clone(student), X, target, np.array([0, 1]))

    assert fitted.batch_size == 201 - 21


@pytest.mark.parametrize(
    ("n_rows", "n_batches"), [(38401, 192), (899, 3), (4000, 6), (10, 3), (201, 1)]
)
def test_equal_batch_size_remainder(n_rows, n_batches):
    size = _equal_batch_size(n_rows, n_batches)

    remainder = n_rows % size
    assert remainder == 0 or 2 * remainder >= size
    assert math.ceil(n_rows / size) >= n_batches


def test_mlp_alpha_candidates_do_not_warn():
    # The four candidate fits stop at max_iter=5 like the final fit; only the
    # final fit's ConvergenceWarning reaches the caller.
    X, y = make_data()
    student = MLPClassifier(hidden_layer_sizes=(4,), max_iter=5, random_state=0)
    clf = DistilledClassifier(frozen_forest(X, y), student, random_state=0)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        clf.fit(X, y)

    convergence = [w for w in caught if w.category is ConvergenceWarning]
    assert len(convergence) == 1
