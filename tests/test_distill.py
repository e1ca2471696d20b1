"""Tests of DistilledClassifier: validation, teacher handling, input and API."""

import pickle
import warnings

import joblib
import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction import DictVectorizer
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import Lasso, LogisticRegression, RidgeClassifier
from sklearn.metrics import accuracy_score
from sklearn.model_selection import GridSearchCV, cross_val_score, cross_validate
from sklearn.neighbors import KNeighborsClassifier
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC, LinearSVC
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
from sklearn.utils._param_validation import InvalidParameterError

from skdistill import DistilledClassifier

from _support import RecordingTreeRegressor, make_data, make_forest, make_tree

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


class RecordingLogisticRegression(LogisticRegression):
    """LogisticRegression that stores the X, y and weights it was fitted on."""

    def fit(self, X, y, sample_weight=None):
        self.fit_X_ = X
        self.fit_y_ = np.asarray(y)
        self.fit_sample_weight_ = sample_weight
        return super().fit(X, y, sample_weight=sample_weight)


class FitForbiddenTree(DecisionTreeClassifier):
    """DecisionTreeClassifier whose fit raises, to prove that fit is not reached."""

    def fit(self, X, y, sample_weight=None, check_input=True):
        raise RuntimeError("FitForbiddenTree.fit was called")


def held_out_distiller(*args, **kwargs):
    return DistilledClassifier(*args, transfer="held_out", **kwargs)


def frozen_forest(X, y):
    return FrozenEstimator(make_forest().fit(X, y))


def row_indices(X_seen, X):
    """Return the index in X of each row of X_seen. Rows of X must be unique."""
    index = {row.tobytes(): i for i, row in enumerate(np.asarray(X))}
    return np.array([index[row.tobytes()] for row in np.asarray(X_seen)])


# Parameter validation


def test_init_invalid_params_no_raise():
    clf = DistilledClassifier("not an estimator", temperature=-1, alpha=5)

    assert clf.temperature == -1


def test_set_params_invalid_no_raise():
    clf = DistilledClassifier(make_forest())

    clf.set_params(temperature=0, alpha=-1, transfer_size=2.5)

    assert clf.transfer_size == 2.5


@pytest.mark.parametrize(
    "param, value",
    [
        ("temperature", 0),
        ("temperature", -1.0),
        ("alpha", -0.1),
        ("alpha", 1.5),
        ("transfer_size", 0),
        ("transfer_size", -0.2),
        ("transfer_size", 1.0),
        ("transfer_size", 1.5),
        ("mlp_alpha", -1.0),
        ("mlp_alpha", "best"),
    ],
)
def test_fit_invalid_param_raises(param, value):
    X, y = make_data()
    clf = DistilledClassifier(make_forest(), make_tree(), **{param: value})

    with pytest.raises(InvalidParameterError, match=f"'{param}' parameter"):
        clf.fit(X, y)


def test_fit_invalid_param_is_value_error():
    X, y = make_data()
    clf = DistilledClassifier(make_forest(), make_tree(), alpha=2.0)

    with pytest.raises(ValueError, match="'alpha' parameter"):
        clf.fit(X, y)


@pytest.mark.parametrize("teacher", [None, "forest"], ids=str)
def test_fit_teacher_without_fit_raises(teacher):
    X, y = make_data()
    clf = DistilledClassifier(teacher, make_tree())

    with pytest.raises(InvalidParameterError, match="'teacher' parameter"):
        clf.fit(X, y)


@pytest.mark.parametrize("transfer", ["cross_fit", "held_out", "in_sample"])
def test_fit_teacher_without_proba_raises(transfer):
    X, y = make_data()
    clf = DistilledClassifier(Lasso(), make_tree(), transfer=transfer)

    with pytest.raises(TypeError, match="Lasso has neither predict_proba"):
        clf.fit(X, y)


def test_fit_invalid_student_raises():
    X, y = make_data()
    clf = DistilledClassifier(make_forest(), "tree")

    with pytest.raises(InvalidParameterError, match="'student' parameter"):
        clf.fit(X, y)


# Teacher fitted here


def test_fit_returns_self():
    X, y = make_data()
    clf = DistilledClassifier(make_forest(), make_tree(), random_state=0)

    assert clf.fit(X, y) is clf


def test_teacher_clone_fitted():
    X, y = make_data()
    teacher = make_forest()
    clf = DistilledClassifier(teacher, make_tree(), random_state=0).fit(X, y)

    assert clf.teacher_ is not teacher
    assert hasattr(clf.teacher_, "estimators_")
    assert not hasattr(teacher, "estimators_")


def test_teacher_split_disjoint():
    X, y = make_data()
    teacher = RecordingLogisticRegression()
    student = RecordingLogisticRegression()
    clf = held_out_distiller(teacher, student, random_state=0).fit(X, y)

    teacher_rows = set(row_indices(clf.teacher_.fit_X_, X).tolist())
    transfer_rows = set(row_indices(clf.student_.fit_X_, X).tolist())

    assert teacher_rows.isdisjoint(transfer_rows)
    assert teacher_rows | transfer_rows == set(range(len(X)))
    assert len(transfer_rows) == clf.n_transfer_samples_


def test_teacher_split_stratified():
    X, _ = make_data()
    y = np.repeat([0, 1, 2], [50, 25, 15])
    clf = held_out_distiller(RecordingLogisticRegression(), make_tree(), random_state=0)
    clf.fit(X, y)

    counts = np.bincount(clf.teacher_.fit_y_, minlength=3)

    np.testing.assert_allclose(counts, [25, 12.5, 7.5], atol=1)


def test_teacher_split_two_row_classes():
    # A stratified half split puts one row of each two-row class on each side.
    # A plain random split does so for all ten classes in about 0.1% of seeds.
    X, _ = make_data()
    y = np.concatenate([np.zeros(70, dtype=int), np.repeat(np.arange(1, 11), 2)])
    clf = held_out_distiller(RecordingLogisticRegression(), make_tree(), random_state=0)
    clf.fit(X, y)

    counts = np.bincount(clf.teacher_.fit_y_, minlength=11)

    np.testing.assert_array_equal(counts[1:], 1)


@pytest.mark.parametrize(
    "transfer_size, n_transfer", [(0.5, 45), (0.3, 27), (30, 30), (3, 3)]
)
def test_transfer_size_rows(transfer_size, n_transfer):
    X, y = make_data()
    clf = held_out_distiller(
        RecordingLogisticRegression(),
        make_tree(),
        transfer_size=transfer_size,
        random_state=0,
    )
    clf.fit(X, y)

    assert clf.n_transfer_samples_ == n_transfer
    assert len(clf.teacher_.fit_y_) == len(X) - n_transfer


def test_fitted_teacher_warns_clone():
    X, y = make_data()
    clf = DistilledClassifier(make_forest().fit(X, y), make_tree(), random_state=0)

    with pytest.warns(UserWarning, match="already fitted.*clone"):
        clf.fit(X, y)


def test_fitted_teacher_warning_names_frozen():
    X, y = make_data()
    clf = DistilledClassifier(make_forest().fit(X, y), make_tree(), random_state=0)

    with pytest.warns(UserWarning, match="FrozenEstimator"):
        clf.fit(X, y)


def test_fitted_teacher_warning_points_to_caller():
    X, y = make_data()
    clf = DistilledClassifier(make_forest().fit(X, y), make_tree(), random_state=0)

    with pytest.warns(UserWarning, match="FrozenEstimator") as records:
        clf.fit(X, y)

    assert records[0].filename == __file__


def test_unfitted_teacher_no_warning():
    X, y = make_data()
    clf = DistilledClassifier(make_forest(), make_tree(), random_state=0)

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        clf.fit(X, y)


def test_fitted_teacher_refit_in_cross_validate():
    X, y = make_data()
    clf = held_out_distiller(make_forest().fit(X, y), make_tree(), random_state=0)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        result = cross_validate(clf, X, y, cv=3, n_jobs=2, return_estimator=True)

    for estimator in result["estimator"]:
        assert estimator.n_transfer_samples_ == 30


# Frozen teacher


def test_frozen_teacher_used_as_is():
    X, y = make_data()
    teacher = frozen_forest(X, y)
    before = joblib.hash(teacher.estimator)
    clf = DistilledClassifier(teacher, make_tree()).fit(X, y)

    assert clf.teacher_ is teacher
    assert joblib.hash(teacher.estimator) == before


@pytest.mark.parametrize("transfer_size", [0.5, 10])
def test_frozen_teacher_all_rows_transfer(transfer_size):
    X, y = make_data()
    clf = DistilledClassifier(
        frozen_forest(X, y), make_tree(), transfer_size=transfer_size
    )

    clf.fit(X, y)

    assert clf.n_transfer_samples_ == len(X)


def test_frozen_teacher_no_warning():
    X, y = make_data()
    clf = DistilledClassifier(frozen_forest(X, y), make_tree())

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        clf.fit(X, y)


def test_frozen_unfitted_teacher_raises():
    X, y = make_data()
    clf = DistilledClassifier(FrozenEstimator(make_forest()), make_tree())

    with pytest.raises(NotFittedError, match="FrozenEstimator.*RandomForest"):
        clf.fit(X, y)


def make_teacher_check(probe, expected):
    """Build a scorer that returns 1.0 when the fold's teacher is the original."""

    def teacher_is_original(estimator, X, y):
        proba = estimator.teacher_.predict_proba(probe)
        return float(np.array_equal(proba, expected))

    return teacher_is_original


def test_frozen_teacher_cross_val_score_parallel():
    X, y = make_data()
    forest = make_forest().fit(X, y)
    probe = X[:1]
    check = make_teacher_check(probe, forest.predict_proba(probe))
    clf = DistilledClassifier(FrozenEstimator(forest), make_tree())

    scores = cross_val_score(clf, X, y, cv=3, n_jobs=2, scoring=check)

    np.testing.assert_array_equal(scores, 1.0)


def test_frozen_teacher_cross_validate_unchanged():
    X, y = make_data()
    forest = make_forest().fit(X, y)
    clf = DistilledClassifier(FrozenEstimator(forest), make_tree())

    result = cross_validate(clf, X, y, cv=3, n_jobs=2, return_estimator=True)

    for estimator in result["estimator"]:
        assert joblib.hash(estimator.teacher_.estimator) == joblib.hash(forest)


def test_frozen_teacher_grid_search_parallel():
    X, y = make_data()
    forest = make_forest().fit(X, y)
    probe = X[:1]
    expected = forest.predict_proba(probe)
    clf = DistilledClassifier(FrozenEstimator(forest), make_tree())
    search = GridSearchCV(
        clf,
        {"student__max_depth": [1, 2, 4]},
        cv=3,
        n_jobs=2,
        scoring=make_teacher_check(probe, expected),
    )

    search.fit(X, y)

    np.testing.assert_array_equal(search.cv_results_["mean_test_score"], 1.0)
    best_proba = search.best_estimator_.teacher_.predict_proba(probe)
    np.testing.assert_array_equal(best_proba, expected)


def test_grid_search_student_depth():
    X, y = make_data()
    clf = DistilledClassifier(frozen_forest(X, y), make_tree())
    search = GridSearchCV(clf, {"student__max_depth": [1, 3]}, cv=3)

    search.fit(X, y)

    depth = search.best_estimator_.student_.get_depth()
    assert depth <= search.best_params_["student__max_depth"]


@pytest.mark.parametrize("frozen", [True, False], ids=["frozen", "unfitted"])
def test_fit_keeps_inputs_unchanged(frozen):
    X, y = make_data()
    teacher = frozen_forest(X, y) if frozen else make_forest()
    student = make_tree()
    teacher_hash = joblib.hash(teacher)
    student_hash = joblib.hash(student)

    DistilledClassifier(teacher, student, random_state=0).fit(X, y)

    assert joblib.hash(teacher) == teacher_hash
    assert joblib.hash(student) == student_hash


# Classes of the teacher and of y


def test_teacher_fewer_classes():
    X, y = make_data()
    known = y != 1
    forest = make_forest().fit(X[known], y[known])
    student = DecisionTreeClassifier(random_state=0)
    clf = DistilledClassifier(FrozenEstimator(forest), student, alpha=0.0)
    with pytest.warns(UserWarning, match="without the classes"):
        clf.fit(X, y)

    proba = clf.predict_proba(X)

    np.testing.assert_array_equal(clf.classes_, [0, 1, 2])
    assert (proba[:, 1] == 0).all()
    assert 1 not in clf.predict(X)
    np.testing.assert_array_equal(clf.predict(X), forest.predict(X))


def test_teacher_fewer_classes_soft_labels():
    X, y = make_data()
    known = y != 1
    forest = make_forest().fit(X[known], y[known])
    student = RecordingTreeRegressor(random_state=0)
    clf = DistilledClassifier(FrozenEstimator(forest), student, alpha=0.0)
    with pytest.warns(UserWarning, match="without the classes"):
        clf.fit(X, y)

    target = clf.student_.fit_y_

    assert (target[:, 1] == 0).all()
    np.testing.assert_allclose(target[:, 2], forest.predict_proba(X)[:, 1])


def test_teacher_extra_class_raises():
    X, y = make_data()
    known = y != 1
    clf = DistilledClassifier(frozen_forest(X, y), make_tree())

    with pytest.raises(ValueError, match=r"teacher.*\[1\]"):
        clf.fit(X[known], y[known])


def test_teacher_int_labels_string_y_raises():
    X, y = make_data()
    clf = DistilledClassifier(frozen_forest(X, y), make_tree())
    names = np.array(["cat", "dog", "emu"])

    with pytest.raises(ValueError, match=r"\[0, 1, 2\].*'cat', 'dog', 'emu'") as info:
        clf.fit(X, names[y])

    assert "encode" in str(info.value).lower()


def test_single_row_class_warns():
    X, _ = make_data(n_samples=20)
    y = np.repeat([0, 1, 2], [10, 9, 1])
    clf = held_out_distiller(make_forest(), make_tree(), transfer_size=0.3)

    with pytest.warns(UserWarning, match=r"2.*single row"):
        clf.set_params(random_state=0).fit(X, y)

    np.testing.assert_array_equal(clf.classes_, [0, 1, 2])


def test_single_row_class_warning_points_to_caller():
    X, _ = make_data(n_samples=20)
    y = np.repeat([0, 1, 2], [10, 9, 1])
    clf = held_out_distiller(make_forest(), make_tree(), transfer_size=0.3)

    with pytest.warns(UserWarning, match="single row") as records:
        clf.set_params(random_state=0).fit(X, y)

    assert records[0].filename == __file__


def test_too_few_transfer_rows_raises():
    X, _ = make_data(n_samples=8)
    y = np.arange(8) % 4
    clf = held_out_distiller(FitForbiddenTree(), FitForbiddenTree(), transfer_size=0.25)

    with pytest.raises(ValueError, match="at least 4 transfer rows"):
        clf.fit(X, y)


def test_too_few_teacher_rows_raises():
    X, _ = make_data(n_samples=8)
    y = np.arange(8) % 4
    clf = held_out_distiller(FitForbiddenTree(), FitForbiddenTree(), transfer_size=6)

    with pytest.raises(ValueError, match="teacher, which needs at least 4"):
        clf.fit(X, y)


def test_transfer_size_above_rows_raises():
    X, _ = make_data(n_samples=8)
    y = np.arange(8) % 4
    clf = held_out_distiller(FitForbiddenTree(), FitForbiddenTree(), transfer_size=20)

    with pytest.raises(ValueError, match="larger than the 8 rows passed to fit"):
        clf.fit(X, y)


def test_single_class_y_raises():
    X, _ = make_data()
    clf = DistilledClassifier(make_forest(), make_tree())

    with pytest.raises(ValueError, match="at least 2 classes"):
        clf.fit(X, np.zeros(len(X)))


# Soft labels of teachers without predict_proba

SCORE_TEACHERS = [LinearSVC(random_state=0), RidgeClassifier(), SVC(random_state=0)]


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("teacher", SCORE_TEACHERS, ids=lambda t: type(t).__name__)
def test_score_teacher_soft_labels(teacher, n_classes):
    X, y = make_data(n_classes=n_classes)
    student = RecordingTreeRegressor(random_state=0)
    clf = held_out_distiller(teacher, student, random_state=0, alpha=0.0).fit(X, y)

    target = clf.student_.fit_y_
    teacher_labels = clf.teacher_.predict(clf.student_.fit_X_)

    np.testing.assert_allclose(target.sum(axis=1), 1.0, atol=1e-12)
    np.testing.assert_array_equal(clf.classes_[target.argmax(axis=1)], teacher_labels)


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("teacher", SCORE_TEACHERS, ids=lambda t: type(t).__name__)
def test_score_teacher_classifier_student(teacher, n_classes):
    X, y = make_data(n_classes=n_classes)
    clf = DistilledClassifier(teacher, make_tree(), random_state=0).fit(X, y)

    proba = clf.predict_proba(X)

    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-9)


# Temperature and alpha


@pytest.mark.parametrize("temperature", [0.5, 1.0, 2.0])
def test_full_tree_teacher_targets_finite(temperature):
    X, y = make_data()
    tree = DecisionTreeClassifier(random_state=0).fit(X, y)
    student = RecordingTreeRegressor(random_state=0)
    clf = DistilledClassifier(
        FrozenEstimator(tree), student, temperature=temperature, alpha=0.2
    )

    clf.fit(X, y)

    target = clf.student_.fit_y_
    assert np.isfinite(target).all()
    np.testing.assert_allclose(target.sum(axis=1), 1.0, atol=1e-9)


@pytest.mark.parametrize("temperature", [0.0, -1.0])
def test_nonpositive_temperature_raises(temperature):
    X, y = make_data()
    tree = DecisionTreeClassifier(random_state=0).fit(X, y)
    clf = DistilledClassifier(FrozenEstimator(tree), temperature=temperature)

    with pytest.raises(InvalidParameterError, match="'temperature' parameter"):
        clf.fit(X, y)


def test_temperature_one_keeps_teacher_proba():
    X, y = make_data()
    teacher = frozen_forest(X, y)
    clf = DistilledClassifier(
        teacher, RecordingTreeRegressor(random_state=0), alpha=0.0
    )

    clf.fit(X, y)

    np.testing.assert_allclose(clf.student_.fit_y_, teacher.predict_proba(X))


def test_temperature_two_power_formula():
    X, y = make_data()
    teacher = frozen_forest(X, y)
    clf = DistilledClassifier(
        teacher,
        RecordingTreeRegressor(random_state=0),
        temperature=2.0,
        alpha=0.0,
    )

    clf.fit(X, y)

    expected = np.sqrt(teacher.predict_proba(X))
    expected /= expected.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(clf.student_.fit_y_, expected, rtol=1e-10)


def test_alpha_mixes_true_labels():
    X, y = make_data()
    teacher = frozen_forest(X, y)
    clf = DistilledClassifier(
        teacher, RecordingTreeRegressor(random_state=0), alpha=0.4
    )

    clf.fit(X, y)

    one_hot = np.eye(3)[y]
    expected = 0.4 * one_hot + 0.6 * teacher.predict_proba(X)
    np.testing.assert_allclose(clf.student_.fit_y_, expected)


# Input forms


def make_frame():
    X, y = make_classification(
        n_samples=100,
        n_features=3,
        n_informative=3,
        n_redundant=0,
        random_state=0,
    )
    return pd.DataFrame(X, columns=["f0", "f1", "f2"]), y


def make_scaled_logistic():
    return make_pipeline(StandardScaler(), LogisticRegression())


def test_dataframe_no_warning():
    X, y = make_frame()
    clf = DistilledClassifier(make_scaled_logistic(), make_tree(), random_state=0)

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        clf.fit(X, y)
        clf.predict(X)
        clf.predict_proba(X)

    np.testing.assert_array_equal(clf.feature_names_in_, ["f0", "f1", "f2"])


def test_dataframe_reaches_teacher():
    X, y = make_frame()
    clf = DistilledClassifier(
        RecordingLogisticRegression(), make_tree(), random_state=0
    )

    clf.fit(X, y)

    assert isinstance(clf.teacher_.fit_X_, pd.DataFrame)


def test_dataframe_reordered_columns_raises():
    X, y = make_frame()
    clf = DistilledClassifier(make_scaled_logistic(), make_tree(), random_state=0)
    clf.fit(X, y)

    with pytest.raises(ValueError, match="feature names"):
        clf.predict(X[["f2", "f0", "f1"]])


def test_array_input_no_feature_names():
    X, y = make_data()
    clf = DistilledClassifier(make_forest(), make_tree(), random_state=0).fit(X, y)

    assert not hasattr(clf, "feature_names_in_")


def test_wrong_feature_count_raises():
    X, y = make_data()
    clf = DistilledClassifier(make_forest(), make_tree(), random_state=0).fit(X, y)

    with pytest.raises(ValueError, match="4 features"):
        clf.predict(X[:, :3])


def test_sparse_reaches_teacher_and_student():
    X, y = make_data()
    X_sparse = sparse.csr_matrix(X)
    clf = DistilledClassifier(
        RecordingLogisticRegression(), RecordingLogisticRegression(), random_state=0
    )

    clf.fit(X_sparse, y)

    assert sparse.issparse(clf.teacher_.fit_X_)
    assert sparse.issparse(clf.student_.fit_X_)
    assert clf.n_features_in_ == 4


def test_sparse_predict():
    X, y = make_data()
    X_sparse = sparse.csr_matrix(X)
    clf = DistilledClassifier(
        LogisticRegression(), LogisticRegression(), random_state=0
    )

    clf.fit(X_sparse, y)

    assert clf.score(X_sparse, y) > 0.7


def make_nan_data():
    X, y = make_classification(n_samples=150, n_features=4, random_state=0)
    rng = np.random.RandomState(0)
    X[rng.uniform(size=X.shape) < 0.1] = np.nan
    return X, y


def make_boosting():
    return HistGradientBoostingClassifier(max_iter=20, random_state=0)


def test_nan_tree_student_works():
    X, y = make_nan_data()
    student = DecisionTreeClassifier(max_depth=4, random_state=0)
    clf = DistilledClassifier(make_boosting(), student, random_state=0).fit(X, y)

    proba = clf.predict_proba(X)

    assert np.isfinite(proba).all()
    assert clf.score(X, y) > 0.6


def test_nan_mlp_student_suggests_imputer():
    X, y = make_nan_data()
    clf = DistilledClassifier(make_boosting(), MLPClassifier(), random_state=0)

    with pytest.raises(ValueError, match=r"(?s)MLPClassifier.*SimpleImputer"):
        clf.fit(X, y)


def test_dict_rows_pipeline():
    X, y = make_data()
    rows = [{"a": float(a), "b": float(b), "c": float(c)} for a, b, c, _ in X]

    def make_dict_pipeline():
        return make_pipeline(DictVectorizer(), LogisticRegression())

    clf = DistilledClassifier(
        make_dict_pipeline(), make_dict_pipeline(), random_state=0
    )
    clf.fit(rows, y)

    assert set(clf.predict(rows)) <= set(clf.classes_)
    assert clf.score(rows, y) > 0.7


# Fitted attributes and prediction API


def test_fitted_attributes():
    X, y = make_data()
    clf = held_out_distiller(make_forest(), make_tree(), random_state=0).fit(X, y)

    assert hasattr(clf.teacher_, "estimators_")
    assert hasattr(clf.student_, "tree_")
    np.testing.assert_array_equal(clf.classes_, [0, 1, 2])
    assert clf.n_features_in_ == 4
    assert clf.n_transfer_samples_ == 45
    assert 0.0 <= clf.fidelity_ <= 1.0


def test_fidelity_on_transfer_rows():
    X, y = make_data()
    teacher = frozen_forest(X, y)
    clf = DistilledClassifier(teacher, make_tree()).fit(X, y)

    agreement = np.mean(clf.predict(X) == teacher.predict(X))

    assert clf.fidelity_ == pytest.approx(agreement)


def test_predict_before_fit_raises():
    X, _ = make_data()
    clf = DistilledClassifier(make_forest(), make_tree())

    with pytest.raises(NotFittedError, match="not fitted"):
        clf.predict(X)


@pytest.mark.parametrize(
    "student",
    [make_tree(), LogisticRegression(), DecisionTreeRegressor(max_depth=3)],
    ids=["tree", "logistic", "regressor"],
)
def test_predict_matches_argmax_proba(student):
    X, y = make_data()
    clf = DistilledClassifier(frozen_forest(X, y), student).fit(X, y)

    proba = clf.predict_proba(X)

    np.testing.assert_array_equal(clf.predict(X), clf.classes_[proba.argmax(axis=1)])


def test_predict_log_proba_is_log():
    X, y = make_data()
    clf = DistilledClassifier(frozen_forest(X, y), LogisticRegression()).fit(X, y)

    log_proba = clf.predict_log_proba(X)

    np.testing.assert_allclose(np.exp(log_proba), clf.predict_proba(X), rtol=1e-10)


def test_score_is_accuracy():
    X, y = make_data()
    clf = DistilledClassifier(frozen_forest(X, y), make_tree()).fit(X, y)

    assert clf.score(X, y) == accuracy_score(y, clf.predict(X))


def test_decision_function_absent_for_tree():
    X, y = make_data()
    clf = DistilledClassifier(frozen_forest(X, y), make_tree())

    assert not hasattr(clf, "decision_function")
    assert not hasattr(clf.fit(X, y), "decision_function")


@pytest.mark.parametrize("n_classes", [2, 3])
def test_decision_function_logistic(n_classes):
    X, y = make_data(n_classes=n_classes)
    clf = DistilledClassifier(frozen_forest(X, y), LogisticRegression()).fit(X, y)

    scores = clf.decision_function(X)

    np.testing.assert_allclose(scores, clf.student_.decision_function(X))


def test_string_labels_stay_strings():
    X, y = make_data()
    labels = np.array(["cat", "dog", "emu"])[y]
    clf = DistilledClassifier(make_forest(), make_tree(), random_state=0)

    clf.fit(X, labels)

    assert set(clf.predict(X)) <= {"cat", "dog", "emu"}


# Composition with scikit-learn tools


def test_clone_keeps_params():
    clf = DistilledClassifier(make_forest(), make_tree(), temperature=2.0, alpha=0.1)

    cloned = clone(clf)

    assert cloned.get_params()["temperature"] == 2.0
    assert cloned.get_params()["student__max_depth"] == 4


def test_in_pipeline():
    X, y = make_data()
    clf = DistilledClassifier(make_forest(), make_tree(), random_state=0)
    pipeline = make_pipeline(StandardScaler(), clf).fit(X, y)

    assert pipeline.score(X, y) > 0.7


def test_cross_val_score_runs():
    X, y = make_data()
    clf = DistilledClassifier(make_forest(), make_tree(), random_state=0)

    scores = cross_val_score(clf, X, y, cv=3)

    assert (scores > 0.5).all()


def test_pickle_round_trip():
    X, y = make_data()
    clf = DistilledClassifier(make_forest(), random_state=0).fit(X, y)

    restored = pickle.loads(pickle.dumps(clf))

    np.testing.assert_array_equal(restored.predict_proba(X), clf.predict_proba(X))


def test_joblib_round_trip(tmp_path):
    X, y = make_data()
    clf = DistilledClassifier(make_forest(), make_tree(), random_state=0).fit(X, y)
    path = tmp_path / "model.joblib"

    joblib.dump(clf, path)
    restored = joblib.load(path)

    np.testing.assert_array_equal(restored.predict_proba(X), clf.predict_proba(X))


# sample_weight, verbose and random_state


def test_sample_weight_reaches_teacher():
    X, y = make_data()
    sample_weight = np.random.RandomState(0).uniform(0.5, 2.0, size=len(y))
    clf = DistilledClassifier(
        RecordingLogisticRegression(), make_tree(), random_state=0
    )

    clf.fit(X, y, sample_weight=sample_weight)

    rows = row_indices(clf.teacher_.fit_X_, X)
    np.testing.assert_array_equal(clf.teacher_.fit_sample_weight_, sample_weight[rows])


def test_zero_weight_class_changes_proba():
    X, y = make_data()
    sample_weight = np.where(y == 2, 0.0, 1.0)
    clf = DistilledClassifier(make_forest(), make_tree(), random_state=0)

    unweighted = clf.fit(X, y).predict_proba(X)
    weighted = clf.fit(X, y, sample_weight=sample_weight).predict_proba(X)

    assert weighted[:, 2].mean() < unweighted[:, 2].mean()


def test_zero_weight_class_frozen_teacher():
    X, y = make_data()
    sample_weight = np.where(y == 2, 0.0, 1.0)
    clf = DistilledClassifier(frozen_forest(X, y), make_tree())

    unweighted = clf.fit(X, y).predict_proba(X)
    weighted = clf.fit(X, y, sample_weight=sample_weight).predict_proba(X)

    assert weighted[:, 2].mean() < unweighted[:, 2].mean()


def test_teacher_no_sample_weight_raises():
    X, y = make_data()
    clf = DistilledClassifier(KNeighborsClassifier(), make_tree(), random_state=0)

    with pytest.raises(ValueError, match="KNeighborsClassifier.*sample_weight"):
        clf.fit(X, y, sample_weight=np.ones(len(y)))


def test_frozen_teacher_no_sample_weight_ok():
    X, y = make_data()
    teacher = FrozenEstimator(KNeighborsClassifier().fit(X, y))
    clf = DistilledClassifier(teacher, make_tree())

    clf.fit(X, y, sample_weight=np.ones(len(y)))

    assert clf.score(X, y) > 0.7


def test_negative_sample_weight_raises():
    X, y = make_data()
    clf = DistilledClassifier(make_forest(), make_tree(), random_state=0)

    with pytest.raises(ValueError, match="[Nn]egative"):
        clf.fit(X, y, sample_weight=-np.ones(len(y)))


def test_verbose_prints_progress(capsys):
    X, y = make_data()
    clf = DistilledClassifier(make_forest(), make_tree(), random_state=0, verbose=1)

    clf.fit(X, y)

    lines = capsys.readouterr().out.splitlines()
    assert len(lines) >= 3
    assert any("teacher" in line.lower() for line in lines)
    assert any("student" in line.lower() for line in lines)


def test_verbose_zero_silent(capsys):
    X, y = make_data()
    clf = DistilledClassifier(make_forest(), make_tree(), random_state=0)

    clf.fit(X, y)

    assert capsys.readouterr().out == ""


def test_random_state_reproducible():
    X, y = make_data()

    def fit_proba():
        clf = DistilledClassifier(make_forest(), random_state=0).fit(X, y)
        return clf.predict_proba(X)

    np.testing.assert_array_equal(fit_proba(), fit_proba())


def test_random_state_changes_split():
    X, y = make_data()

    def teacher_rows(seed):
        teacher = RecordingLogisticRegression()
        clf = held_out_distiller(teacher, make_tree(), random_state=seed).fit(X, y)
        return np.sort(row_indices(clf.teacher_.fit_X_, X))

    assert not np.array_equal(teacher_rows(0), teacher_rows(1))


def test_keep_teacher_false_drops_teacher():
    X, y = make_data()
    clf = DistilledClassifier(make_forest(), make_tree(), keep_teacher=False)

    clf.fit(X, y)

    assert not hasattr(clf, "teacher_")
    assert 0.0 <= clf.fidelity_ <= 1.0


def test_keep_teacher_false_smaller_pickle():
    X, y = make_data()
    kept = DistilledClassifier(make_forest(), make_tree(), random_state=0).fit(X, y)
    dropped = clone(kept).set_params(keep_teacher=False).fit(X, y)

    assert len(pickle.dumps(dropped)) < len(pickle.dumps(kept))
    np.testing.assert_array_equal(dropped.predict_proba(X), kept.predict_proba(X))


def test_keep_teacher_false_refit_removes_old_teacher():
    X, y = make_data()
    clf = DistilledClassifier(make_forest(), make_tree(), random_state=0).fit(X, y)

    clf.set_params(keep_teacher=False).fit(X, y)

    assert not hasattr(clf, "teacher_")


def test_frozen_teacher_missing_class_warns():
    X, y = make_data()
    teacher = make_forest().fit(X[y != 1], y[y != 1])
    clf = DistilledClassifier(FrozenEstimator(teacher), make_tree())

    with pytest.warns(UserWarning, match=r"without the classes \[1\] of y"):
        clf.fit(X, y)


@pytest.mark.parametrize(
    ("value", "message"),
    [(np.nan, "y contains NaN"), (np.inf, "y contains infinity")],
    ids=["nan", "inf"],
)
def test_non_finite_label_raises(value, message):
    # No warning either: an infinite label must not reach an integer cast.
    X, y = make_data()
    y = y.astype(float)
    y[0] = value
    clf = DistilledClassifier(make_forest(), make_tree())

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match=message):
            clf.fit(X, y)


@pytest.mark.parametrize("missing", [None, np.nan], ids=["none", "nan"])
def test_missing_string_label_raises(missing):
    X, y = make_data()
    labels = np.array(["a", "b", "c"], dtype=object)[y]
    labels[[3, 7]] = missing
    clf = DistilledClassifier(make_forest(), make_tree())

    with pytest.raises(ValueError, match="2 missing labels .* first at row 3"):
        clf.fit(X, labels)


def test_unfitted_stacking_teacher():
    from sklearn.ensemble import StackingClassifier

    X, y = make_data()
    teacher = StackingClassifier(
        [("forest", make_forest()), ("logistic", LogisticRegression())]
    )
    clf = DistilledClassifier(teacher, make_tree(), transfer="held_out")

    clf.fit(X, y)

    assert clf.score(X, y) > 0.8


def test_metadata_routing_default_student():
    import sklearn

    X, y = make_data()
    with sklearn.config_context(enable_metadata_routing=True):
        clf = DistilledClassifier(make_forest()).fit(X, y)
        proba = clf.predict_proba(X)

    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


def test_metadata_routing_unrequested_raises():
    import sklearn
    from sklearn.exceptions import UnsetMetadataPassedError

    X, y = make_data()
    student = make_pipeline(StandardScaler(), LogisticRegression())
    with sklearn.config_context(enable_metadata_routing=True):
        clf = DistilledClassifier(make_forest(), student)
        with pytest.raises(UnsetMetadataPassedError, match="sample_weight"):
            clf.fit(X, y)
