"""Readable views of the student: export_text and plot_tree."""

# SPDX-License-Identifier: BSD-3-Clause

import pickle
import sys

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_blobs
from sklearn.decomposition import PCA
from sklearn.ensemble import RandomForestClassifier
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from skdistill import DistilledClassifier
from skdistill.inspection import export_text, plot_tree

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def make_marker_data(n_samples=60):
    """Rows whose class, "healthy" or "tumour", only the "marker" column sets."""
    rng = np.random.RandomState(0)
    y = np.where(np.arange(n_samples) % 2 == 0, "healthy", "tumour")
    X = pd.DataFrame(
        {
            "noise_a": rng.normal(size=n_samples),
            "marker": np.where(y == "tumour", 3.0, -3.0) + rng.normal(size=n_samples),
            "noise_b": rng.normal(size=n_samples),
        }
    )
    return X, y


def distill(student, **params):
    X, y = make_marker_data()
    teacher = RandomForestClassifier(n_estimators=10, random_state=0)
    return DistilledClassifier(teacher, student, random_state=0, **params).fit(X, y)


def stump():
    return DecisionTreeClassifier(max_depth=1, random_state=0)


# Tree students


def test_tree_rules_name_feature_and_classes():
    report = export_text(distill(stump()))

    lines = report.splitlines()
    assert lines[0].startswith("|--- marker <= ")
    assert lines[1] == "|   |--- class: healthy"
    assert lines[2].startswith("|--- marker >  ")
    assert lines[3] == "|   |--- class: tumour"


def test_tree_rules_name_panel_feature():
    clf = distill(stump(), max_features=1)

    report = export_text(clf)

    assert clf.panel_names_.tolist() == ["marker"]
    assert report.startswith("|--- marker <= ")


def test_tree_rules_without_column_names():
    X, y = make_marker_data()
    teacher = RandomForestClassifier(n_estimators=10, random_state=0)
    clf = DistilledClassifier(teacher, stump(), max_features=2, random_state=0)
    clf.fit(X.to_numpy(), y)

    report = export_text(clf)

    # The panel lists the marker, column x1, first, so the student calls it x1.
    assert clf.panel_[0] == 1
    assert report.startswith("|--- x1 <= ")


def test_tree_rules_show_weights():
    report = export_text(distill(stump()), show_weights=True)

    assert "weights: [" in report
    assert "class: tumour" in report


def test_tree_regressor_leaf_values():
    report = export_text(distill(DecisionTreeRegressor(max_depth=1, random_state=0)))

    lines = report.splitlines()
    assert lines[0] == (
        "Leaf values are the predicted probabilities of 'healthy', 'tumour', in "
        "that order."
    )
    assert lines[1].startswith("|--- marker <= ")


def test_tree_after_pca_notes_thresholds():
    student = make_pipeline(PCA(2, random_state=0), stump())

    report = export_text(distill(student))

    first_line = report.splitlines()[0]
    assert first_line == (
        "Thresholds apply to the output of the student's steps (pca), not to the "
        "raw features."
    )
    assert "|--- pca" in report


# Linear students


def test_linear_default_student_per_standard_deviation():
    report = export_text(distill(None), max_coefficients=1)

    lines = report.splitlines()
    assert lines[0].startswith(
        "LogisticRegression: coefficients per standard deviation of each feature"
    )
    assert lines[1] == (
        "Each score lists its 1 largest of 3 coefficients by absolute value."
    )
    assert lines[2] == (
        "Score of class 'tumour' against 'healthy' (positive favours 'tumour'):"
    )
    assert lines[3].split()[0] == "marker"
    assert float(lines[3].split()[1]) > 0
    assert lines[4].split()[0] == "intercept"
    assert len(lines) == 5


def test_linear_without_scaler_per_unit():
    report = export_text(distill(LogisticRegression()))

    lines = report.splitlines()
    assert lines[0] == "LogisticRegression: coefficients per unit of each feature."
    assert lines[1] == (
        "Score of class 'tumour' against 'healthy' (positive favours 'tumour'):"
    )
    assert lines[2].split()[0] == "marker"


def test_linear_multiclass_block_per_class():
    X, y = make_marker_data(90)
    y = np.array(["a", "b", "c"])[np.digitize(X["marker"], [-1.5, 1.5])]
    teacher = RandomForestClassifier(n_estimators=10, random_state=0)
    clf = DistilledClassifier(teacher, LogisticRegression(), random_state=0)
    clf.fit(X, y)

    report = export_text(clf, max_coefficients=1, decimals=3)

    lines = report.splitlines()
    assert lines[2::3] == [
        "Score of class 'a':",
        "Score of class 'b':",
        "Score of class 'c':",
    ]
    # The outer classes lie at either end of the marker, so their scores depend
    # on it most. The middle class's score depends little on it.
    a_name, a_value = lines[3].split()
    c_name, c_value = lines[9].split()
    assert a_name == "marker"
    assert float(a_value) < 0
    assert c_name == "marker"
    assert float(c_value) > 0
    assert len(a_value.split(".")[1]) == 3


def test_linear_max_coefficients_none_shows_all():
    report = export_text(distill(LogisticRegression()), max_coefficients=None)

    names = [line.split()[0] for line in report.splitlines()[2:]]
    assert sorted(names) == ["intercept", "marker", "noise_a", "noise_b"]


@pytest.mark.parametrize("max_coefficients", [0, -1, 2.5])
def test_max_coefficients_invalid(max_coefficients):
    clf = distill(LogisticRegression())

    with pytest.raises(ValueError, match=f"max_coefficients={max_coefficients}"):
        export_text(clf, max_coefficients=max_coefficients)


def test_linear_regressor_student_probabilities():
    report = export_text(distill(Ridge()))

    assert "Probability of class 'healthy':" in report
    assert "Probability of class 'tumour':" in report


# Students without a readable view, and errors


def test_mlp_student_has_no_view():
    student = MLPClassifier(hidden_layer_sizes=(3,), max_iter=50, random_state=0)
    clf = distill(student, mlp_alpha=None)

    with pytest.raises(TypeError, match="cannot show the MLPClassifier student"):
        export_text(clf)


def test_export_text_unfitted():
    with pytest.raises(NotFittedError):
        export_text(DistilledClassifier(LogisticRegression()))


def test_export_text_after_pickle():
    clf = distill(stump(), max_features=2)

    restored = pickle.loads(pickle.dumps(clf))

    assert export_text(restored) == export_text(clf)


def test_export_text_leaves_student_unchanged():
    student = stump()
    params = student.get_params()
    clf = distill(student)

    export_text(clf)

    assert student.get_params() == params
    assert not hasattr(student, "tree_")
    assert clf.student_.classes_.tolist() == [0, 1]


# plot_tree


def test_plot_tree_names_feature_and_classes():
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, ax = plt.subplots()
    try:
        annotations = plot_tree(distill(stump()), ax=ax)
        texts = [annotation.get_text() for annotation in annotations]
    finally:
        plt.close(figure)

    assert texts[0].startswith("marker <= ")
    assert any("class = healthy" in text for text in texts)
    assert any("class = tumour" in text for text in texts)


def test_plot_tree_without_matplotlib(monkeypatch):
    clf = distill(stump())
    # A None entry makes `import matplotlib` raise ImportError.
    monkeypatch.setitem(sys.modules, "matplotlib", None)

    with pytest.raises(ImportError, match="pip install matplotlib"):
        plot_tree(clf)


def test_plot_tree_linear_student():
    pytest.importorskip("matplotlib")

    with pytest.raises(TypeError, match="cannot draw the LogisticRegression"):
        plot_tree(distill(LogisticRegression()))


def test_plot_tree_scaled_tree_student():
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    student = make_pipeline(StandardScaler(), stump())
    figure, ax = plt.subplots()
    try:
        annotations = plot_tree(distill(student), ax=ax)
    finally:
        plt.close(figure)

    assert annotations[0].get_text().startswith("marker <= ")


@pytest.mark.parametrize("function", [export_text, plot_tree])
def test_plain_estimator_rejected(function):
    X, y = make_blobs(n_samples=30, centers=2, random_state=0)
    fitted_tree = DecisionTreeClassifier(max_depth=1).fit(X, y)

    with pytest.raises(TypeError, match="Expected a fitted DistilledClassifier"):
        function(fitted_tree)
