"""Panel students: max_features, the feature rankings and the panel's columns."""

# SPDX-License-Identifier: BSD-3-Clause

import pickle

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.decomposition import PCA
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction import DictVectorizer
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold, cross_val_score, cross_validate
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils._param_validation import InvalidParameterError
from sklearn.utils.validation import check_is_fitted

from skdistill import DistilledClassifier
from skdistill._panel import (
    check_unique_columns,
    explained_variance_scores,
    lasso_path_ranking,
    rank_features,
    take_columns,
)

from _support import RecordingTreeRegressor, make_tree

RANKINGS = ["univariate", "lasso", "teacher"]

# Rows passed to a ranking callable, across clones. Each test that reads it
# clears it first.
RANKED_ROWS = []


def recording_ranking(X, soft_labels):
    """Log the rows it ranks on and score the columns by their variance."""
    RANKED_ROWS.append(np.asarray(X).copy())
    return np.var(np.asarray(X), axis=0)


def row_set(X):
    return {row.tobytes() for row in np.asarray(X)}


def make_panel_data(n_samples=120, n_features=20):
    """Four classes that differ in the first two features only."""
    return make_classification(
        n_samples=n_samples,
        n_features=n_features,
        n_informative=2,
        n_redundant=0,
        n_classes=4,
        n_clusters_per_class=1,
        class_sep=2.0,
        shuffle=False,
        random_state=0,
    )


def small_forest():
    return RandomForestClassifier(n_estimators=10, random_state=0)


def panel_distiller(**params):
    params.setdefault("max_features", 2)
    params.setdefault("random_state", 0)
    return DistilledClassifier(small_forest(), **params)


# The panel's size and columns


def test_panel_has_max_features_columns():
    X, y = make_panel_data()
    clf = panel_distiller(max_features=3).fit(X, y)

    assert clf.panel_.shape == (3,)
    assert len(np.unique(clf.panel_)) == 3
    assert clf.panel_names_.tolist() == [f"x{i}" for i in clf.panel_]
    assert clf.student_.n_features_in_ == 3
    assert clf.n_features_in_ == X.shape[1]


@pytest.mark.parametrize("ranking", RANKINGS)
def test_panel_finds_informative_features(ranking):
    X, y = make_panel_data()
    clf = panel_distiller(feature_ranking=ranking).fit(X, y)

    assert sorted(clf.panel_.tolist()) == [0, 1]


@pytest.mark.parametrize("ranking", RANKINGS)
def test_panel_reproducible_with_random_state(ranking):
    X, y = make_panel_data()
    params = dict(feature_ranking=ranking, max_features=5, transfer="held_out")

    first = panel_distiller(**params).fit(X, y)
    second = panel_distiller(**params).fit(X, y)

    np.testing.assert_array_equal(first.panel_, second.panel_)


def test_panel_in_ranking_order():
    X, y = make_panel_data()
    scores = np.arange(X.shape[1], dtype=float)
    clf = panel_distiller(max_features=3, feature_ranking=lambda X, t: scores)

    clf.fit(X, y)

    assert clf.panel_.tolist() == [19, 18, 17]


def test_max_features_equal_to_n_features():
    X, y = make_panel_data(n_features=6)
    clf = panel_distiller(max_features=6).fit(X, y)

    assert sorted(clf.panel_.tolist()) == list(range(6))


# The panel is chosen on the transfer set only


def test_panel_ranks_transfer_rows_only():
    X, y = make_panel_data()
    clf = panel_distiller(
        transfer="held_out", transfer_size=0.5, feature_ranking=recording_ranking
    )
    RANKED_ROWS.clear()

    clf.fit(X, y)

    assert len(RANKED_ROWS) == 1
    assert len(RANKED_ROWS[0]) == clf.n_transfer_samples_ == 60


def test_panel_chosen_without_test_rows():
    X, y = make_panel_data()
    cv = KFold(3, shuffle=True, random_state=0)
    clf = panel_distiller(feature_ranking=recording_ranking)

    for train, test in cv.split(X, y):
        RANKED_ROWS.clear()
        cross_val_score(clf, X, y, cv=[(train, test)])
        ranked = set().union(*(row_set(rows) for rows in RANKED_ROWS))
        assert ranked.isdisjoint(row_set(X[test]))
        assert ranked == row_set(X[train])


def test_panel_in_fold_matches_fit_on_train():
    X, y = make_panel_data()
    cv = KFold(3, shuffle=True, random_state=0)
    clf = panel_distiller(max_features=4)

    result = cross_validate(clf, X, y, cv=cv, return_estimator=True)

    for (train, _), fold_estimator in zip(
        cv.split(X, y), result["estimator"], strict=True
    ):
        on_train = clone(clf).fit(X[train], y[train])
        np.testing.assert_array_equal(fold_estimator.panel_, on_train.panel_)


def test_student_fitted_on_panel_columns():
    X, y = make_panel_data()
    student = RecordingTreeRegressor(random_state=0)
    clf = panel_distiller(max_features=3, transfer="in_sample", student=student)

    clf.fit(X, y)

    np.testing.assert_array_equal(clf.student_.fit_X_, X[:, clf.panel_])


# Prediction takes the full-width rows


def test_predict_uses_panel_columns():
    X, y = make_panel_data()
    clf = panel_distiller(max_features=3).fit(X, y)
    panel_rows = X[:, clf.panel_]

    np.testing.assert_allclose(
        clf.predict_proba(X), clf.student_.predict_proba(panel_rows)
    )
    np.testing.assert_allclose(
        clf.decision_function(X), clf.student_.decision_function(panel_rows)
    )
    np.testing.assert_array_equal(
        clf.predict(X), clf.classes_[clf.student_.predict(panel_rows)]
    )


def test_predict_rejects_panel_width_rows():
    X, y = make_panel_data()
    clf = panel_distiller(max_features=3).fit(X, y)

    with pytest.raises(ValueError, match="20 features"):
        clf.predict(X[:, clf.panel_])


def test_panel_dataframe_names():
    X, y = make_panel_data()
    columns = [f"gene_{i}" for i in range(X.shape[1])]
    X_frame = pd.DataFrame(X, columns=columns)
    clf = panel_distiller().fit(X_frame, y)

    assert sorted(clf.panel_names_.tolist()) == ["gene_0", "gene_1"]
    assert clf.panel_names_.tolist() == [columns[i] for i in clf.panel_]
    assert clf.student_.feature_names_in_.tolist() == clf.panel_names_.tolist()
    np.testing.assert_allclose(
        clf.predict_proba(X_frame),
        clf.student_.predict_proba(X_frame[clf.panel_names_]),
    )


def test_panel_sparse_input():
    X, y = make_panel_data()
    X_sparse = sparse.csr_matrix(X)
    clf = panel_distiller(max_features=3).fit(X_sparse, y)
    panel_rows = X_sparse[:, clf.panel_]

    assert sorted(clf.panel_.tolist())[:2] == [0, 1]
    assert sparse.issparse(panel_rows)
    np.testing.assert_allclose(
        clf.predict_proba(X_sparse), clf.student_.predict_proba(panel_rows)
    )
    np.testing.assert_allclose(
        clf.predict_proba(X_sparse.tocoo()), clf.predict_proba(X_sparse)
    )


def test_panel_list_input():
    X, y = make_panel_data()
    clf = panel_distiller().fit(X.tolist(), y)

    np.testing.assert_allclose(clf.predict_proba(X.tolist()), clf.predict_proba(X))


# Errors


def test_max_features_above_n_features():
    X, y = make_panel_data(n_features=6)

    with pytest.raises(ValueError, match=r"max_features=7 is larger than the 6"):
        panel_distiller(max_features=7).fit(X, y)


@pytest.mark.parametrize("max_features", [0, -1])
def test_max_features_below_one(max_features):
    X, y = make_panel_data()

    with pytest.raises(InvalidParameterError, match=r"'max_features'.*range \[1"):
        panel_distiller(max_features=max_features).fit(X, y)


@pytest.mark.parametrize("max_features", [2.5, 2.0, "2"])
def test_max_features_not_integer(max_features):
    X, y = make_panel_data()

    with pytest.raises(InvalidParameterError, match="'max_features'.*an int"):
        panel_distiller(max_features=max_features).fit(X, y)


def test_feature_ranking_unknown():
    X, y = make_panel_data()

    with pytest.raises(InvalidParameterError, match="'feature_ranking'"):
        panel_distiller(feature_ranking="mutual_information").fit(X, y)


def test_teacher_ranking_without_importances():
    X, y = make_panel_data()
    clf = DistilledClassifier(
        KNeighborsClassifier(), max_features=2, feature_ranking="teacher"
    )

    with pytest.raises(ValueError, match="KNeighborsClassifier has neither"):
        clf.fit(X, y)


def test_teacher_ranking_pipeline_not_one_to_one():
    X, y = make_panel_data()
    teacher = make_pipeline(PCA(5), LogisticRegression())
    clf = DistilledClassifier(teacher, max_features=2, feature_ranking="teacher")

    with pytest.raises(ValueError, match=r"\(pca\) do not keep the input columns"):
        clf.fit(X, y)


def test_teacher_ranking_pipeline_one_to_one():
    X, y = make_panel_data()
    teacher = make_pipeline(StandardScaler(), LogisticRegression())
    clf = DistilledClassifier(teacher, max_features=2, feature_ranking="teacher")

    clf.fit(X, y)

    assert sorted(clf.panel_.tolist()) == [0, 1]


def test_teacher_ranking_frozen_teacher():
    X, y = make_panel_data()
    forest = small_forest().fit(X, y)
    clf = DistilledClassifier(
        FrozenEstimator(forest), max_features=4, feature_ranking="teacher"
    )

    clf.fit(X, y)

    expected = np.argsort(-forest.feature_importances_, kind="stable")[:4]
    np.testing.assert_array_equal(clf.panel_, expected)


def test_teacher_ranking_keep_teacher_false():
    X, y = make_panel_data()
    clf = panel_distiller(feature_ranking="teacher", keep_teacher=False)

    clf.fit(X, y)

    assert sorted(clf.panel_.tolist()) == [0, 1]
    assert not hasattr(clf, "teacher_")


def test_ranking_callable_wrong_shape():
    X, y = make_panel_data()

    def one_score(X, soft_labels):
        return np.zeros(3)

    with pytest.raises(ValueError, match=r"one_score returned scores of shape \(3,\)"):
        panel_distiller(feature_ranking=one_score).fit(X, y)


def test_teacher_ranking_wrong_width():
    X, y = make_panel_data()
    forest = small_forest().fit(X[:, :5], y)

    with pytest.raises(ValueError, match=r"importances of shape \(5,\) .* 20 features"):
        rank_features("teacher", X, np.eye(4)[y], teacher=forest)


def test_univariate_ranking_rejects_nan():
    X, y = make_panel_data()
    X[0, 5] = np.nan
    # Both the teacher and the student accept NaN, but the ranking does not.
    clf = DistilledClassifier(
        HistGradientBoostingClassifier(max_iter=10),
        make_tree(),
        max_features=2,
        feature_ranking="univariate",
    )

    with pytest.raises(ValueError, match="'univariate' needs numeric features"):
        clf.fit(X, y)


def test_list_of_dicts_rejected():
    rows = [{"a": 1.0}, {"a": 2.0}, {"b": 1.0}, {"b": 3.0}] * 5
    labels = [0, 0, 1, 1] * 5
    pipeline = make_pipeline(DictVectorizer(), LogisticRegression())
    clf = DistilledClassifier(pipeline, clone(pipeline), max_features=1)

    with pytest.raises(ValueError, match="no fixed number of columns"):
        clf.fit(rows, labels)


def test_duplicated_dataframe_columns_rejected():
    frame = pd.DataFrame(np.ones((3, 3)), columns=["a", "b", "a"])

    with pytest.raises(ValueError, match="columns 'a' occur more than once"):
        check_unique_columns(frame)


# Fitted state and the estimator's other behaviour


def test_max_features_none_keeps_all_features():
    X, y = make_panel_data()
    clf = DistilledClassifier(small_forest(), random_state=0).fit(X, y)

    assert not hasattr(clf, "panel_")
    assert not hasattr(clf, "panel_names_")
    assert clf.student_.n_features_in_ == X.shape[1]
    assert clf.get_feature_names_out().tolist() == [f"x{i}" for i in range(20)]


def test_refit_without_max_features_drops_panel():
    X, y = make_panel_data()
    clf = panel_distiller().fit(X, y)

    clf.set_params(max_features=None).fit(X, y)

    assert not hasattr(clf, "panel_")
    assert not hasattr(clf, "panel_names_")


def test_get_feature_names_out_returns_panel():
    X, y = make_panel_data()
    X_frame = pd.DataFrame(X, columns=[f"gene_{i}" for i in range(X.shape[1])])
    clf = panel_distiller(max_features=3).fit(X_frame, y)

    names = clf.get_feature_names_out()

    np.testing.assert_array_equal(names, clf.panel_names_)
    np.testing.assert_array_equal(clf.get_feature_names_out(X_frame.columns), names)
    with pytest.raises(ValueError, match="input_features is not equal"):
        clf.get_feature_names_out([f"other_{i}" for i in range(X.shape[1])])


def test_get_feature_names_out_unfitted():
    with pytest.raises(NotFittedError):
        panel_distiller().get_feature_names_out()


def test_student_passed_in_not_modified():
    X, y = make_panel_data()
    student = DecisionTreeClassifier(max_depth=3, random_state=0)
    params = student.get_params()

    panel_distiller(student=student, max_features=3).fit(X, y)

    assert student.get_params() == params
    with pytest.raises(NotFittedError):
        check_is_fitted(student)


def test_pickle_keeps_panel():
    X, y = make_panel_data()
    clf = panel_distiller(max_features=3).fit(X, y)

    restored = pickle.loads(pickle.dumps(clf))

    np.testing.assert_array_equal(restored.panel_, clf.panel_)
    np.testing.assert_array_equal(restored.panel_names_, clf.panel_names_)
    np.testing.assert_allclose(restored.predict_proba(X), clf.predict_proba(X))


def test_panel_tags_reject_nan():
    # Both the teacher and the student accept NaN, but the ranking does not.
    clf = DistilledClassifier(HistGradientBoostingClassifier(), make_tree())

    assert clf.__sklearn_tags__().input_tags.allow_nan is True
    clf.set_params(max_features=2)
    assert clf.__sklearn_tags__().input_tags.allow_nan is False
    clf.set_params(feature_ranking="teacher")
    assert clf.__sklearn_tags__().input_tags.allow_nan is True


# The rankings on their own


def test_univariate_sparse_matches_dense():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(30, 6)) * (rng.uniform(size=(30, 6)) < 0.5)
    soft_labels = rng.dirichlet(np.ones(3), size=30)
    weight = rng.uniform(0.5, 2.0, size=30)

    dense = explained_variance_scores(X, soft_labels, weight)
    from_sparse = explained_variance_scores(sparse.csr_matrix(X), soft_labels, weight)

    np.testing.assert_allclose(from_sparse, dense)


def test_univariate_zero_weight_drops_rows():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(30, 6))
    soft_labels = rng.dirichlet(np.ones(3), size=30)
    weight = np.r_[np.ones(20), np.zeros(10)]

    weighted = explained_variance_scores(X, soft_labels, weight)
    subset = explained_variance_scores(X[:20], soft_labels[:20])

    np.testing.assert_allclose(weighted, subset)


def test_univariate_constant_feature_scores_zero():
    rng = np.random.RandomState(0)
    X = np.column_stack([rng.normal(size=30), np.full(30, 7.3)])
    soft_labels = rng.dirichlet(np.ones(2), size=30)

    scores = explained_variance_scores(X, soft_labels)

    assert scores[1] == 0


def test_lasso_skips_redundant_copy():
    rng = np.random.RandomState(0)
    signal = rng.normal(size=80)
    other = rng.normal(size=80)
    copy = signal + 0.01 * rng.normal(size=80)
    X = np.column_stack([signal, copy, other, rng.normal(size=(80, 5))])
    p = 1 / (1 + np.exp(-2 * signal - other))
    soft_labels = np.column_stack([1 - p, p])

    univariate = rank_features("univariate", X, soft_labels)
    lasso = lasso_path_ranking(X, soft_labels, max_features=2)

    assert sorted(univariate[:2].tolist()) == [0, 1]
    assert lasso[:2].tolist() == [0, 2]


def test_lasso_ranks_every_column_once():
    X, y = make_panel_data(n_features=300)
    soft_labels = np.eye(4)[y]

    order = lasso_path_ranking(sparse.csr_matrix(X), soft_labels, max_features=2)

    assert sorted(order.tolist()) == list(range(300))
    assert sorted(order[:2].tolist()) == [0, 1]


def test_nan_score_ranks_last():
    X = np.zeros((4, 3))

    order = rank_features(
        lambda X, soft_labels: np.array([np.nan, 1.0, 2.0]), X, np.eye(4)[:, :2]
    )

    assert order.tolist() == [2, 1, 0]


@pytest.mark.parametrize(
    "make_input",
    [np.asarray, sparse.csr_matrix, sparse.coo_matrix, pd.DataFrame, list],
    ids=["array", "csr", "coo", "dataframe", "list"],
)
def test_take_columns_input_kinds(make_input):
    X = np.arange(12.0).reshape(3, 4)

    selected = take_columns(make_input(X.tolist()), np.array([3, 1]))

    dense = selected.toarray() if sparse.issparse(selected) else np.asarray(selected)
    np.testing.assert_array_equal(dense, X[:, [3, 1]])


def test_callable_ranking_all_nan_raises():
    X, y = make_panel_data()
    clf = panel_distiller(feature_ranking=lambda X, Y: np.full(X.shape[1], np.nan))

    with pytest.raises(ValueError, match="returned NaN for every feature"):
        clf.fit(X, y)
