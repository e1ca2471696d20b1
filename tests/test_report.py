"""Tests of distillation_report, DistillationReport and the model size count."""

import json
import math
import pickle
import sys

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.ensemble import (
    AdaBoostClassifier,
    GradientBoostingClassifier,
    HistGradientBoostingClassifier,
    RandomForestClassifier,
)
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.metrics import (
    accuracy_score,
    balanced_accuracy_score,
    brier_score_loss,
    f1_score,
    recall_score,
)
from sklearn.model_selection import train_test_split
from sklearn.multioutput import MultiOutputRegressor
from sklearn.neighbors import KNeighborsClassifier
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler, StandardScaler
from sklearn.svm import SVC, LinearSVC
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils._param_validation import InvalidParameterError

from skdistill import DistilledClassifier
from skdistill._model_size import count_parameters
from skdistill.datasets import load_srbct
from skdistill.metrics import (
    DistillationReport,
    distillation_report,
    expected_calibration_error,
    jensen_shannon_divergence,
    mean_kl_divergence,
    student_fidelity,
)

from _support import make_data, make_tree

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

SCORE_FUNCTIONS = {
    "accuracy": accuracy_score,
    "balanced_accuracy": balanced_accuracy_score,
    "macro_recall": lambda y_true, y_pred: recall_score(
        y_true, y_pred, average="macro", zero_division=0
    ),
    "macro_f1": lambda y_true, y_pred: f1_score(
        y_true, y_pred, average="macro", zero_division=0
    ),
}


def small_teacher():
    return RandomForestClassifier(n_estimators=10, random_state=0)


def quick_report(distiller, X, y, **kwargs):
    kwargs = {"n_bootstrap": 200, "n_repeats": 3, "random_state": 0, **kwargs}
    return distillation_report(distiller, X, y, **kwargs)


@pytest.fixture(scope="module")
def srbct_split():
    X, y = load_srbct(return_X_y=True, as_frame=False)
    return train_test_split(X, y, test_size=0.25, stratify=y, random_state=0)


@pytest.fixture(scope="module")
def srbct_distiller(srbct_split):
    X_train, _, y_train, _ = srbct_split
    student = DecisionTreeClassifier(max_depth=3, random_state=0)
    distiller = DistilledClassifier(small_teacher(), student, random_state=0)
    return distiller.fit(X_train, y_train)


@pytest.fixture(scope="module")
def srbct_report(srbct_distiller, srbct_split):
    _, X_test, _, y_test = srbct_split
    return distillation_report(
        srbct_distiller, X_test, y_test, n_repeats=3, random_state=0
    )


def test_report_type(srbct_report):
    assert isinstance(srbct_report, DistillationReport)


@pytest.mark.parametrize("name", list(SCORE_FUNCTIONS))
def test_report_scores_match_sklearn(name, srbct_report, srbct_distiller, srbct_split):
    _, X_test, _, y_test = srbct_split
    score = SCORE_FUNCTIONS[name]
    teacher_expected = score(y_test, srbct_distiller.teacher_.predict(X_test))
    student_expected = score(y_test, srbct_distiller.predict(X_test))
    assert srbct_report.teacher[name] == pytest.approx(teacher_expected)
    assert srbct_report.student[name] == pytest.approx(student_expected)


def test_report_brier_and_ece(srbct_report, srbct_distiller, srbct_split):
    _, X_test, _, y_test = srbct_split
    classes = srbct_distiller.classes_
    for role, proba in (
        ("teacher", srbct_distiller.teacher_.predict_proba(X_test)),
        ("student", srbct_distiller.predict_proba(X_test)),
    ):
        scores = getattr(srbct_report, role)
        brier = brier_score_loss(y_test, proba, labels=classes)
        ece = expected_calibration_error(y_test, proba, labels=classes)
        assert scores["brier_score"] == pytest.approx(brier)
        assert scores["expected_calibration_error"] == pytest.approx(ece)


def test_report_fidelity(srbct_report, srbct_distiller, srbct_split):
    _, X_test, _, _ = srbct_split
    assert srbct_report.fidelity == pytest.approx(
        student_fidelity(srbct_distiller, X_test)
    )


def test_report_per_class_fidelity(srbct_report, srbct_distiller, srbct_split):
    _, X_test, _, _ = srbct_split
    classes = srbct_distiller.classes_
    y_teacher = srbct_distiller.teacher_.predict(X_test)
    expected = recall_score(
        y_teacher, srbct_distiller.predict(X_test), labels=classes, average=None
    )
    assert list(srbct_report.per_class_fidelity) == classes.tolist()
    assert list(srbct_report.per_class_fidelity.values()) == pytest.approx(expected)
    for label in classes:
        assert srbct_report.per_class_support[label] == np.sum(y_teacher == label)


def test_report_divergences(srbct_report, srbct_distiller, srbct_split):
    _, X_test, _, _ = srbct_split
    p_teacher = srbct_distiller.teacher_.predict_proba(X_test)
    p_student = srbct_distiller.predict_proba(X_test)
    kl = mean_kl_divergence(p_teacher, p_student)
    js = jensen_shannon_divergence(p_teacher, p_student)
    assert srbct_report.kl_divergence == pytest.approx(kl)
    assert srbct_report.js_divergence == pytest.approx(js)


def test_report_sizes(srbct_report, srbct_distiller):
    teacher_bytes = len(pickle.dumps(srbct_distiller.teacher_))
    student_bytes = len(pickle.dumps(srbct_distiller.student_))
    assert srbct_report.teacher["pickle_bytes"] == teacher_bytes
    assert srbct_report.student["pickle_bytes"] == student_bytes
    teacher_nodes = sum(
        tree.tree_.node_count for tree in srbct_distiller.teacher_.estimators_
    )
    assert srbct_report.teacher["n_tree_nodes"] == teacher_nodes
    assert srbct_report.teacher["n_parameters"] == 0
    student_nodes = srbct_distiller.student_.tree_.node_count
    assert srbct_report.student["n_tree_nodes"] == student_nodes


def test_report_times_positive(srbct_report):
    for scores in (srbct_report.teacher, srbct_report.student):
        assert scores["one_row_seconds"] > 0
        assert scores["batch_seconds"] > 0


def test_report_ratios(srbct_report):
    ratios = srbct_report.ratios
    teacher, student = srbct_report.teacher, srbct_report.student
    for name in ("one_row_seconds", "batch_seconds", "pickle_bytes"):
        assert ratios[name] == pytest.approx(teacher[name] / student[name])
    assert ratios["model_size"] == pytest.approx(
        teacher["n_tree_nodes"] / student["n_tree_nodes"]
    )


def test_bootstrap_intervals_contain_estimates(srbct_report):
    pairs = [
        (srbct_report.teacher["accuracy"], srbct_report.teacher["accuracy_interval"]),
        (srbct_report.student["accuracy"], srbct_report.student["accuracy_interval"]),
        (srbct_report.fidelity, srbct_report.fidelity_interval),
    ]
    for estimate, (low, high) in pairs:
        assert low >= 0.0
        assert low <= estimate
        assert estimate <= high
        assert high <= 1.0


def test_bootstrap_reproducible(srbct_distiller, srbct_split):
    _, X_test, _, y_test = srbct_split
    first = quick_report(srbct_distiller, X_test, y_test, random_state=3)
    second = quick_report(srbct_distiller, X_test, y_test, random_state=3)
    assert first.fidelity_interval == second.fidelity_interval
    assert first.student["accuracy_interval"] == second.student["accuracy_interval"]
    assert first.teacher["accuracy_interval"] == second.teacher["accuracy_interval"]


def test_bootstrap_seed_changes_intervals(srbct_distiller, srbct_split):
    _, X_test, _, y_test = srbct_split
    intervals = {
        quick_report(
            srbct_distiller, X_test, y_test, n_bootstrap=20, random_state=seed
        ).teacher["accuracy_interval"]
        for seed in range(5)
    }
    assert len(intervals) > 1


def test_bootstrap_lower_level_is_narrower(srbct_distiller, srbct_split):
    _, X_test, _, y_test = srbct_split
    wide = quick_report(srbct_distiller, X_test, y_test, confidence_level=0.95)
    narrow = quick_report(srbct_distiller, X_test, y_test, confidence_level=0.5)
    wide_low, wide_high = wide.teacher["accuracy_interval"]
    narrow_low, narrow_high = narrow.teacher["accuracy_interval"]
    assert wide_low <= narrow_low
    assert narrow_high <= wide_high


def test_report_str_table(srbct_report):
    text = str(srbct_report)
    assert text.startswith("Teacher and student on 21 test rows")
    for label in (
        "accuracy",
        "balanced accuracy",
        "macro recall",
        "macro F1",
        "Brier score",
        "ECE (10 bins)",
        "fidelity to teacher",
        "KL(teacher || student) (nats)",
        "JS divergence (nats)",
        "predict_proba, 1 row (ms)",
        "predict_proba, 21 rows (ms)",
        "pickled size (bytes)",
        "parameters + tree nodes",
        "95% percentile bootstrap interval over 1000 resamples",
    ):
        assert label in text
    for label in srbct_report.classes:
        assert any(line.startswith(label) for line in text.splitlines())


def test_report_str_unknown_size():
    X, y = make_data()
    teacher = KNeighborsClassifier()
    distiller = DistilledClassifier(teacher, make_tree(), transfer="in_sample")
    distiller.fit(X, y)
    report = quick_report(distiller, X, y)
    assert report.teacher["n_parameters"] is None
    assert report.teacher["n_tree_nodes"] is None
    assert report.ratios["model_size"] is None
    size_line = next(
        line for line in str(report).splitlines() if line.startswith("parameters")
    )
    assert "unknown" in size_line
    assert size_line.endswith("n/a")


def test_report_to_dict_is_json(srbct_report):
    data = srbct_report.to_dict()
    text = json.dumps(data, allow_nan=False)
    assert json.loads(text)["fidelity"] == pytest.approx(srbct_report.fidelity)
    assert data["classes"] == srbct_report.classes.tolist()
    assert data["teacher"]["accuracy_interval"] == list(
        srbct_report.teacher["accuracy_interval"]
    )
    assert data["ratios"] == srbct_report.ratios


@pytest.mark.filterwarnings("ignore:y_pred contains classes not in y_true")
def test_report_to_dict_nan_is_none(srbct_distiller, srbct_split):
    _, X_test, _, y_test = srbct_split
    rows = y_test == "EWS"
    report = quick_report(srbct_distiller, X_test[rows], y_test[rows])
    missing = [label for label, count in report.per_class_support.items() if count == 0]
    assert missing
    data = report.to_dict()
    for label in missing:
        assert math.isnan(report.per_class_fidelity[label])
        assert data["per_class_fidelity"][label] is None
    json.dumps(data, allow_nan=False)
    per_class_text = str(report).split("Fidelity per class")[1]
    assert "-" in per_class_text


def test_report_to_frame(srbct_report):
    frame = srbct_report.to_frame()
    assert list(frame.columns) == ["teacher", "student", "teacher/student"]
    assert frame.loc["accuracy", "teacher"] == srbct_report.teacher["accuracy"]
    assert frame.loc["macro_f1", "student"] == srbct_report.student["macro_f1"]
    assert frame.loc["fidelity", "student"] == srbct_report.fidelity
    assert np.isnan(frame.loc["fidelity", "teacher"])
    low, high = srbct_report.fidelity_interval
    assert frame.loc["fidelity_low", "student"] == low
    assert frame.loc["fidelity_high", "student"] == high
    assert frame.loc["pickle_bytes", "teacher/student"] == pytest.approx(
        srbct_report.ratios["pickle_bytes"]
    )
    for label, value in srbct_report.per_class_fidelity.items():
        assert frame.loc[f"fidelity[{label}]", "student"] == pytest.approx(value)


def test_report_to_frame_without_pandas(srbct_report, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match="pip install pandas"):
        srbct_report.to_frame()


def test_report_plot(srbct_report):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure = srbct_report.plot()
    try:
        assert len(figure.axes) == 3
        titles = [ax.get_title() for ax in figure.axes]
        assert titles[0] == "Test scores (21 rows)"
        bar_heights = [patch.get_height() for patch in figure.axes[1].patches]
        expected = list(srbct_report.per_class_fidelity.values())
        assert bar_heights == pytest.approx(expected)
    finally:
        plt.close(figure)


def test_report_plot_without_matplotlib(srbct_report, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match="pip install matplotlib"):
        srbct_report.plot()


def test_report_dataframe_input():
    pd = pytest.importorskip("pandas")
    X, y = make_data()
    X = pd.DataFrame(X, columns=[f"feature_{i}" for i in range(X.shape[1])])
    distiller = DistilledClassifier(
        small_teacher(), make_tree(), transfer="in_sample"
    ).fit(X, y)
    report = quick_report(distiller, X, y)
    assert report.n_samples == len(X)


def test_report_decision_function_teacher():
    X, y = make_data()
    distiller = DistilledClassifier(LinearSVC(), make_tree(), transfer="in_sample")
    distiller.fit(X, y)
    report = quick_report(distiller, X, y)
    expected = accuracy_score(y, distiller.teacher_.predict(X))
    assert report.teacher["accuracy"] == pytest.approx(expected)
    assert report.teacher["n_parameters"] == 3 * 4 + 3


def test_report_string_labels():
    X, y = make_data()
    labels = np.array(["ant", "bee", "cat"])[y]
    distiller = DistilledClassifier(small_teacher(), make_tree(), transfer="in_sample")
    report = quick_report(distiller.fit(X, labels), X, labels)
    assert list(report.per_class_fidelity) == ["ant", "bee", "cat"]


def test_report_dropped_teacher():
    X, y = make_data()
    distiller = DistilledClassifier(
        small_teacher(), make_tree(), transfer="in_sample", keep_teacher=False
    ).fit(X, y)
    with pytest.raises(ValueError, match="keep_teacher=True"):
        quick_report(distiller, X, y)


def test_report_unfitted():
    X, y = make_data()
    with pytest.raises(NotFittedError):
        quick_report(DistilledClassifier(small_teacher()), X, y)


def test_report_rejects_other_estimators():
    X, y = make_data()
    forest = small_teacher().fit(X, y)
    with pytest.raises(InvalidParameterError, match="DistilledClassifier"):
        quick_report(forest, X, y)


def test_report_unknown_test_label(srbct_distiller, srbct_split):
    _, X_test, _, y_test = srbct_split
    y_bad = y_test.copy().astype(object)
    y_bad[0] = "XYZ"
    with pytest.raises(ValueError, match=r"labels \['XYZ'\] that the distiller"):
        quick_report(srbct_distiller, X_test, y_bad)


def test_report_mixed_label_types(srbct_distiller, srbct_split):
    _, X_test, _, _ = srbct_split
    with pytest.raises(ValueError, match="Mix of label input types"):
        quick_report(srbct_distiller, X_test, np.zeros(len(X_test), dtype=int))


def test_report_length_mismatch(srbct_distiller, srbct_split):
    _, X_test, _, y_test = srbct_split
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        quick_report(srbct_distiller, X_test, y_test[:-1])


@pytest.mark.parametrize(
    "parameter, value",
    [
        ("n_bootstrap", 0),
        ("confidence_level", 1.0),
        ("confidence_level", 0.0),
        ("n_bins", 0),
        ("n_repeats", 0),
        ("random_state", "seed"),
    ],
)
def test_report_invalid_parameters(parameter, value, srbct_distiller, srbct_split):
    _, X_test, _, y_test = srbct_split
    with pytest.raises(InvalidParameterError, match=parameter):
        quick_report(srbct_distiller, X_test, y_test, **{parameter: value})


# count_parameters


def small_classification():
    return make_classification(
        n_samples=60, n_features=5, n_informative=3, n_classes=3, random_state=0
    )


def test_count_linear_model():
    X, y = small_classification()
    model = LogisticRegression(max_iter=500).fit(X, y)
    assert count_parameters(model) == (3 * 5 + 3, 0)


def test_count_linear_model_without_intercept():
    X, y = small_classification()
    model = LinearSVC(fit_intercept=False).fit(X, y)
    assert count_parameters(model) == (3 * 5, 0)


def test_count_pipeline_with_scaler():
    X, y = small_classification()
    model = make_pipeline(StandardScaler(), MinMaxScaler(), LogisticRegression())
    model.fit(X, y)
    assert count_parameters(model) == (5 + 5 + 5 + 5 + 3 * 5 + 3, 0)


def test_count_mlp():
    X, y = small_classification()
    model = MLPClassifier(hidden_layer_sizes=(4,), max_iter=50, random_state=0)
    model.fit(X, y)
    assert count_parameters(model) == (5 * 4 + 4 + 4 * 3 + 3, 0)


def test_count_tree_and_forest():
    X, y = small_classification()
    tree = DecisionTreeClassifier(max_depth=2, random_state=0).fit(X, y)
    assert count_parameters(tree) == (0, tree.tree_.node_count)
    forest = small_teacher().fit(X, y)
    nodes = sum(member.tree_.node_count for member in forest.estimators_)
    assert count_parameters(forest) == (0, nodes)


def test_count_gradient_boosting():
    X, y = small_classification()
    model = GradientBoostingClassifier(n_estimators=3, max_depth=2, random_state=0)
    model.fit(X, y)
    nodes = sum(tree.tree_.node_count for tree in model.estimators_.ravel())
    assert model.estimators_.shape == (3, 3)
    assert count_parameters(model) == (0, nodes)


def test_count_hist_gradient_boosting():
    X, y = small_classification()
    model = HistGradientBoostingClassifier(max_iter=3, max_depth=2, random_state=0)
    model.fit(X, y)
    n_parameters, n_tree_nodes = count_parameters(model)
    assert n_parameters == 0
    # 3 iterations x 3 classes of trees with at most 7 nodes each.
    assert n_tree_nodes >= 9
    assert n_tree_nodes <= 9 * 7


def test_count_multi_output_pipelines():
    X, y = small_classification()
    target = np.eye(3)[y]
    model = MultiOutputRegressor(make_pipeline(StandardScaler(), LinearRegression()))
    model.fit(X, target)
    assert count_parameters(model) == (3 * (5 + 5 + 5 + 1), 0)


def test_count_unknown_models():
    X, y = small_classification()
    for model in (
        KNeighborsClassifier(),
        SVC(kernel="linear"),
        AdaBoostClassifier(n_estimators=2, random_state=0),
        make_pipeline(StandardScaler(), KNeighborsClassifier()),
    ):
        assert count_parameters(model.fit(X, y)) is None


def test_count_default_student():
    X, y = make_data()
    distiller = DistilledClassifier(small_teacher(), transfer="in_sample").fit(X, y)
    n_features, n_classes = X.shape[1], 3
    expected = 2 * n_features + n_classes * n_features + n_classes
    assert count_parameters(distiller.student_) == (expected, 0)
