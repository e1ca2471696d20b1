"""The default synthetic="auto": MUNGE rows for a tree student on wide data."""

# SPDX-License-Identifier: BSD-3-Clause

import pickle

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from skdistill import MUNGE, DistilledClassifier
from skdistill._synthetic import AUTO_MUNGE_MAX_ROWS, resolve_synthetic

from _support import (
    RecordingTreeRegressor,
    make_data,
    make_forest,
    make_tree,
    make_wide_data,
    small_srbct,
)


def distiller(student, **params):
    return DistilledClassifier(make_forest(), student, random_state=0, **params)


@pytest.mark.parametrize(
    "student",
    [
        make_tree(),
        make_pipeline(StandardScaler(), make_tree()),
        DecisionTreeRegressor(max_depth=3, random_state=0),
    ],
    ids=["tree", "pipeline", "regressor"],
)
def test_auto_munge_for_wide_tree(student):
    X, y = make_wide_data()

    clf = distiller(student).fit(X, y)

    assert isinstance(clf.synthetic_, MUNGE)
    assert clf.synthetic_.get_params() == MUNGE().get_params()
    # MUNGE's default size makes 5 synthetic rows per real row.
    assert clf.n_transfer_samples_ == 6 * len(y)


def test_auto_rows_labelled_by_teacher():
    X, y = make_wide_data()
    student = RecordingTreeRegressor(max_depth=4, random_state=0)

    clf = distiller(student).fit(X, y)

    X_synthetic = MUNGE().sample(X, random_state=0)
    np.testing.assert_array_equal(clf.student_.fit_X_[len(y) :], X_synthetic)
    assert X_synthetic.min() >= X.min()
    assert X_synthetic.max() <= X.max()
    # The teacher fitted on all rows labels them, and they have no true label.
    np.testing.assert_allclose(
        clf.student_.fit_y_[len(y) :],
        clf.teacher_.predict_proba(X_synthetic),
        atol=1e-12,
    )


@pytest.mark.parametrize(
    "student",
    [
        LogisticRegression(),
        make_pipeline(StandardScaler(), LogisticRegression()),
        None,
    ],
    ids=["logistic", "pipeline", "default"],
)
def test_auto_adds_nothing_for_other_students(student):
    X, y = make_wide_data()

    clf = distiller(student).fit(X, y)

    assert clf.synthetic_ is None
    assert clf.n_transfer_samples_ == len(y)


def test_auto_adds_nothing_on_tall_data():
    X, y = make_data()

    clf = distiller(make_tree()).fit(X, y)

    assert clf.synthetic_ is None
    assert clf.n_transfer_samples_ == len(y)


def test_auto_adds_nothing_on_sparse_input():
    X, y = make_wide_data()

    clf = distiller(make_tree()).fit(sparse.csr_matrix(X), y)

    assert clf.synthetic_ is None
    assert clf.n_transfer_samples_ == len(y)


def test_auto_adds_nothing_when_values_are_missing():
    X, y = make_wide_data()
    X[3, 7] = np.nan
    teacher = HistGradientBoostingClassifier(max_iter=10, random_state=0)

    clf = DistilledClassifier(teacher, make_tree(), random_state=0).fit(X, y)

    assert clf.synthetic_ is None
    assert clf.n_transfer_samples_ == len(y)


def test_auto_on_dataframes():
    X, y = make_wide_data()
    frame = pd.DataFrame(X, columns=[f"g{i}" for i in range(X.shape[1])])

    clf = distiller(make_tree()).fit(frame, y)
    assert isinstance(clf.synthetic_, MUNGE)

    # A text column is a category to MUNGE, but "auto" keeps to numbers.
    frame["batch"] = np.where(np.arange(len(y)) % 2, "a", "b")
    teacher = make_pipeline(_drop_batch(), make_forest())
    clf = DistilledClassifier(
        teacher, make_pipeline(_drop_batch(), make_tree()), random_state=0
    ).fit(frame, y)
    assert clf.synthetic_ is None


def _drop_batch():
    return ColumnTransformer([("batch", "drop", ["batch"])], remainder="passthrough")


def test_explicit_values_are_kept():
    X, y = make_wide_data()
    generator = MUNGE(size=1)

    assert distiller(make_tree(), synthetic=None).fit(X, y).synthetic_ is None
    clf = distiller(make_tree(), synthetic=generator).fit(X, y)
    assert clf.n_transfer_samples_ == 2 * len(y)
    # A copy, so that set_params leaves the fitted generator unchanged.
    assert clf.synthetic_ is not generator
    clf.set_params(synthetic__size=7)
    assert clf.synthetic_.size == 1


class NoRowsGenerator:
    """Synthetic generator that returns no rows."""

    def sample(self, X, random_state=None):
        return np.asarray(X)[:0]


def test_no_rows_made_gives_none():
    X, y = make_wide_data()

    clf = distiller(make_tree(), synthetic=NoRowsGenerator()).fit(X, y)

    assert clf.synthetic_ is None
    assert clf.n_transfer_samples_ == len(y)


def test_generator_class_raises():
    X, y = make_wide_data()

    with pytest.raises(ValueError, match=r"synthetic=MUNGE is a class.*MUNGE\(\)"):
        distiller(make_tree(), synthetic=MUNGE).fit(X, y)


@pytest.mark.parametrize("shape", [(40,), (40, 10, 6)])
def test_auto_keeps_usual_shape_error(shape):
    X = np.zeros(shape)
    y = np.arange(shape[0]) % 2

    with pytest.raises(ValueError, match="Expected 2D array|dim 3"):
        distiller(make_tree()).fit(X, y)


def test_auto_is_reproducible_and_clones():
    X, y, _ = small_srbct(n_features=200)
    clf = distiller(DecisionTreeClassifier(max_depth=3, random_state=0))

    first = clone(clf).fit(X, y)
    second = pickle.loads(pickle.dumps(clone(clf))).fit(X, y)

    assert clf.get_params()["synthetic"] == "auto"
    assert isinstance(first.synthetic_, MUNGE)
    np.testing.assert_array_equal(first.predict_proba(X), second.predict_proba(X))


def test_resolve_synthetic_rule():
    X, _ = make_wide_data()
    tree = make_tree()

    assert isinstance(resolve_synthetic("auto", tree, X), MUNGE)
    assert resolve_synthetic("auto", tree, X[:, :30]) is None  # 40 rows, 30 columns
    assert resolve_synthetic("auto", tree, X.astype(object)) is None
    assert resolve_synthetic("auto", tree, X.tolist()) is None
    assert resolve_synthetic("auto", LogisticRegression(), X) is None
    X_inf = X.copy()
    X_inf[0, 0] = np.inf
    assert resolve_synthetic("auto", tree, X_inf) is None
    generator = MUNGE(size=2)
    assert resolve_synthetic(generator, tree, X).get_params() == {
        **MUNGE().get_params(),
        "size": 2,
    }
    assert resolve_synthetic(None, tree, X) is None


def test_auto_row_limit():
    tree = make_tree()
    limit = AUTO_MUNGE_MAX_ROWS

    assert isinstance(
        resolve_synthetic("auto", tree, np.ones((limit, limit + 1))), MUNGE
    )
    assert resolve_synthetic("auto", tree, np.ones((limit + 1, limit + 2))) is None
