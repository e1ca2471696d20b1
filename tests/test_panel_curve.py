"""panel_curve and PanelCurveDisplay: scores against the panel size."""

# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold, StratifiedKFold, cross_val_score
from sklearn.tree import DecisionTreeClassifier

from skdistill import DistilledClassifier
from skdistill.inspection import PanelCurveDisplay, panel_curve


def make_one_marker_data(n_samples=60, n_noise=7):
    """Rows whose class only column 3 sets; the other columns are noise."""
    rng = np.random.RandomState(0)
    y = np.arange(n_samples) % 2
    X = rng.normal(size=(n_samples, n_noise + 1))
    X[:, 3] = np.where(y == 1, 3.0, -3.0) + rng.normal(scale=0.5, size=n_samples)
    return X, y


def make_distiller(**params):
    return DistilledClassifier(
        LogisticRegression(),
        DecisionTreeClassifier(max_depth=2, random_state=0),
        cv=3,
        random_state=0,
        **params,
    )


def test_panel_curve_shapes_and_ranges():
    X, y = make_one_marker_data()
    curve = panel_curve(make_distiller(), X, y, sizes=[1, 4, None], cv=4)

    assert curve.sizes == [1, 4, None]
    for name in ("accuracy", "fidelity", "teacher_accuracy"):
        scores = getattr(curve, name)
        assert scores.shape == (3, 4)
        assert np.all((scores >= 0) & (scores <= 1))


def test_panel_curve_one_gene_panel():
    # The marker column alone separates the classes, so a panel of one
    # feature keeps the full student's accuracy.
    X, y = make_one_marker_data()
    curve = panel_curve(make_distiller(), X, y, sizes=[1, None], cv=3)

    assert curve.accuracy[0].mean() >= 0.95
    np.testing.assert_allclose(curve.accuracy[0], curve.accuracy[1])


def test_panel_curve_matches_cross_val_score():
    X, y = make_one_marker_data()
    cv = StratifiedKFold(n_splits=3)
    curve = panel_curve(make_distiller(), X, y, sizes=[2, 5], cv=cv)

    for row, size in enumerate([2, 5]):
        expected = cross_val_score(
            make_distiller(max_features=size), X, y, cv=cv, scoring="accuracy"
        )
        np.testing.assert_allclose(curve.accuracy[row], expected)


def test_panel_curve_same_splits():
    # A shuffling splitter without a seed would draw new folds on each call;
    # the curve draws them once. With one size given twice, the two rows of
    # scores can only match if the folds are the same.
    X, y = make_one_marker_data()
    cv = KFold(n_splits=3, shuffle=True)
    curve = panel_curve(make_distiller(), X, y, sizes=[2, 2], cv=cv)

    np.testing.assert_array_equal(curve.accuracy[0], curve.accuracy[1])
    np.testing.assert_array_equal(curve.fidelity[0], curve.fidelity[1])


def test_panel_curve_distiller_unchanged():
    X, y = make_one_marker_data()
    distiller = make_distiller(max_features=3)
    panel_curve(distiller, X, y, sizes=[1], cv=3)

    assert distiller.max_features == 3
    assert not hasattr(distiller, "student_")


def test_panel_curve_default_sizes_cut():
    X, y = make_one_marker_data(n_noise=9)  # 10 features
    curve = panel_curve(make_distiller(), X, y, cv=3)

    assert curve.sizes == [5, None]


@pytest.mark.parametrize(
    "sizes, match",
    [
        ([], "sizes is empty"),
        ([0], "sizes has 0"),
        ([9], "sizes has 9"),
        ([2.5], "sizes has 2.5"),
        ([True], "sizes has True"),
        (["all"], "sizes has 'all'"),
        ("10", "sizes='10' is a string"),
    ],
)
def test_panel_curve_rejects_bad_sizes(sizes, match):
    X, y = make_one_marker_data()  # 8 features
    with pytest.raises(ValueError, match=match):
        panel_curve(make_distiller(), X, y, sizes=sizes, cv=3)


def test_panel_curve_rejects_bad_distillers():
    X, y = make_one_marker_data()
    with pytest.raises(TypeError, match="needs a DistilledClassifier itself"):
        panel_curve(LogisticRegression(), X, y, sizes=[1])
    with pytest.raises(ValueError, match="keep_teacher=False"):
        panel_curve(make_distiller(keep_teacher=False), X, y, sizes=[1])


def test_display_plots_means_and_teacher():
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    X, y = make_one_marker_data()
    display = PanelCurveDisplay.from_estimator(
        make_distiller(), X, y, sizes=[1, 2, None], cv=3
    )
    try:
        accuracy = display.lines_["accuracy"].get_ydata()
        np.testing.assert_allclose(accuracy, display.accuracy.mean(axis=1))
        teacher = display.lines_["teacher_accuracy"].get_ydata()
        assert teacher[0] == pytest.approx(display.teacher_accuracy.mean())
        labels = [tick.get_text() for tick in display.ax_.get_xticklabels()]
        assert labels == ["1", "2", "all"]
        assert display.figure_ is display.ax_.figure
    finally:
        plt.close(display.figure_)


def test_display_without_teacher():
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    try:
        display = PanelCurveDisplay(
            sizes=[5, None], accuracy=[[0.8, 0.9], [1.0, 1.0]], fidelity=[[1, 1]] * 2
        ).plot(ax=ax)
        assert set(display.lines_) == {"accuracy", "fidelity"}
        assert display.ax_ is ax
    finally:
        plt.close(fig)
