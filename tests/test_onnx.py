"""Tests of export_onnx: the ONNX student must match predict_proba."""

import json
import os
import sys

import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer, load_iris, load_wine
from sklearn.ensemble import RandomForestClassifier
from sklearn.exceptions import NotFittedError
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from skdistill import DistilledClassifier
from skdistill.onnx import export_onnx

from _support import make_forest

onnx = pytest.importorskip("onnx")
onnxruntime = pytest.importorskip("onnxruntime")
pytest.importorskip("skl2onnx")

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

STUDENTS = {
    "default": lambda: None,
    "tree": lambda: DecisionTreeClassifier(max_depth=4, random_state=0),
    "logistic": lambda: LogisticRegression(max_iter=500),
    "scaled_mlp": lambda: make_pipeline(
        StandardScaler(), MLPClassifier((8,), max_iter=200, random_state=0)
    ),
}


class SubclassedTree(DecisionTreeClassifier):
    """A tree classifier of a class that skl2onnx has no converter for."""


@pytest.fixture(scope="module")
def wine():
    return load_wine(return_X_y=True)


def distill(X, y, student, **params):
    params = {"random_state": 0, "mlp_alpha": None, **params}
    return DistilledClassifier(make_forest(), student, **params).fit(X, y)


def run_onnx(path, X):
    session = onnxruntime.InferenceSession(
        str(path), providers=["CPUExecutionProvider"]
    )
    return session.run(None, {"X": np.asarray(X, dtype=np.float32)})


@pytest.mark.parametrize("max_features", [None, 5])
@pytest.mark.parametrize("student_name", list(STUDENTS))
def test_export_matches_predict_proba(wine, tmp_path, student_name, max_features):
    X, y = wine
    distiller = distill(X, y, STUDENTS[student_name](), max_features=max_features)
    path = tmp_path / "student.onnx"
    export_onnx(distiller, path, X_check=X)
    labels, proba = run_onnx(path, X)
    assert proba.dtype == np.float32
    assert proba.shape == (len(X), 3)
    np.testing.assert_allclose(proba, distiller.predict_proba(X), rtol=1e-4, atol=1e-5)
    np.testing.assert_array_equal(labels, distiller.predict(X))


def test_export_panel_reads_full_rows(wine, tmp_path):
    X, y = wine
    distiller = distill(X, y, STUDENTS["tree"](), max_features=5)
    path = tmp_path / "student.onnx"
    model = export_onnx(distiller, path)
    assert model.graph.input[0].type.tensor_type.shape.dim[1].dim_value == 13
    gathers = [node for node in model.graph.node if node.op_type == "Gather"]
    assert any(node.input[0] == "X" for node in gathers)
    # Columns outside the panel must not change the output.
    X_changed = X.copy()
    outside = np.setdiff1d(np.arange(X.shape[1]), distiller.panel_)
    X_changed[:, outside] = 1e6
    _, proba = run_onnx(path, X)
    _, proba_changed = run_onnx(path, X_changed)
    np.testing.assert_array_equal(proba, proba_changed)


def test_export_string_labels(tmp_path):
    X, y = load_iris(return_X_y=True)
    labels = np.array(["setosa", "versicolor", "virginica"])[y]
    distiller = distill(X, labels, STUDENTS["logistic"]())
    path = tmp_path / "student.onnx"
    export_onnx(distiller, path, X_check=X)
    onnx_labels, _ = run_onnx(path, X)
    np.testing.assert_array_equal(onnx_labels, distiller.predict(X))


def test_export_binary(tmp_path):
    X, y = load_breast_cancer(return_X_y=True)
    X, y = X[::4], y[::4]
    distiller = distill(X, y, STUDENTS["scaled_mlp"](), max_features=5)
    path = tmp_path / "student.onnx"
    export_onnx(distiller, path, X_check=X)
    labels, proba = run_onnx(path, X)
    assert proba.shape == (len(X), 2)
    np.testing.assert_allclose(proba, distiller.predict_proba(X), rtol=1e-4, atol=1e-5)
    np.testing.assert_array_equal(labels, distiller.predict(X))


@pytest.mark.filterwarnings("ignore:The frozen teacher was fitted without the classes")
def test_export_student_missing_class(tmp_path):
    # A teacher that never saw class 2 gives it no soft label, so with alpha=0
    # the student learns classes 0 and 1 only and predict_proba gives class 2
    # probability 0.
    X, y = load_iris(return_X_y=True)
    seen = y < 2
    teacher = FrozenEstimator(
        DecisionTreeClassifier(random_state=0).fit(X[seen], y[seen])
    )
    distiller = DistilledClassifier(
        teacher, STUDENTS["logistic"](), alpha=0.0, transfer="in_sample"
    ).fit(X, y)
    assert distiller.student_.classes_.tolist() == [0, 1]
    path = tmp_path / "student.onnx"
    export_onnx(distiller, path, X_check=X)
    labels, proba = run_onnx(path, X)
    assert proba.shape == (len(X), 3)
    assert np.all(proba[:, 2] == 0.0)
    np.testing.assert_allclose(proba, distiller.predict_proba(X), rtol=1e-4, atol=1e-5)
    np.testing.assert_array_equal(labels, distiller.predict(X))


def test_export_returns_written_model(wine, tmp_path):
    X, y = wine
    distiller = distill(X, y, STUDENTS["tree"](), max_features=5)
    path = tmp_path / "student.onnx"
    model = export_onnx(distiller, str(path))
    assert path.read_bytes() == model.SerializeToString()
    assert [output.name for output in model.graph.output] == [
        "label",
        "probabilities",
    ]
    domains = [opset.domain for opset in model.opset_import]
    assert len(domains) == len(set(domains))
    onnx.checker.check_model(model)


def test_export_metadata(wine, tmp_path):
    X, y = wine
    distiller = distill(X, y, STUDENTS["tree"](), max_features=5)
    model = export_onnx(distiller, tmp_path / "student.onnx")
    metadata = {prop.key: prop.value for prop in model.metadata_props}
    assert json.loads(metadata["classes"]) == [0, 1, 2]
    assert json.loads(metadata["panel_columns"]) == distiller.panel_.tolist()
    assert json.loads(metadata["panel_names"]) == distiller.panel_names_.tolist()
    assert metadata["n_features_in"] == "13"


def test_export_check_mismatch_raises(wine, tmp_path, monkeypatch):
    X, y = wine
    distiller = distill(X, y, STUDENTS["tree"]())
    path = tmp_path / "student.onnx"
    path.write_bytes(b"previous model")
    real_predict_proba = distiller.predict_proba
    monkeypatch.setattr(
        distiller, "predict_proba", lambda X: real_predict_proba(X) * 0.9
    )
    with pytest.raises(ValueError, match=r"differ from distiller.predict_proba"):
        export_onnx(distiller, path, X_check=X)
    assert path.read_bytes() == b"previous model"
    assert os.listdir(tmp_path) == ["student.onnx"]


def test_export_check_reports_difference(wine, tmp_path, monkeypatch):
    X, y = wine
    distiller = distill(X, y, STUDENTS["logistic"]())
    real_predict_proba = distiller.predict_proba
    monkeypatch.setattr(
        distiller, "predict_proba", lambda X: real_predict_proba(X) + 0.25
    )
    with pytest.raises(ValueError, match=r"on 178 of 178 rows .* by up to 0\.25"):
        export_onnx(distiller, tmp_path / "student.onnx", X_check=X)
    assert os.listdir(tmp_path) == []


def test_export_check_tolerance(wine, tmp_path, monkeypatch):
    X, y = wine
    distiller = distill(X, y, STUDENTS["tree"]())
    real_predict_proba = distiller.predict_proba
    monkeypatch.setattr(
        distiller, "predict_proba", lambda X: real_predict_proba(X) + 1e-3
    )
    export_onnx(distiller, tmp_path / "student.onnx", X_check=X, atol=1e-2)
    assert os.listdir(tmp_path) == ["student.onnx"]


@pytest.mark.parametrize("module", ["skl2onnx", "onnxruntime", "onnx"])
def test_export_without_extra(wine, tmp_path, monkeypatch, module):
    X, y = wine
    distiller = distill(X, y, STUDENTS["tree"]())
    monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(ImportError, match=rf"requires {module}.*skdistill\[onnx\]"):
        export_onnx(distiller, tmp_path / "student.onnx")
    assert os.listdir(tmp_path) == []


def test_export_unsupported_student(wine, tmp_path):
    X, y = wine
    distiller = distill(X, y, SubclassedTree(max_depth=3, random_state=0))
    with pytest.raises(TypeError, match="cannot convert the student SubclassedTree"):
        export_onnx(distiller, tmp_path / "student.onnx")
    assert os.listdir(tmp_path) == []


def test_export_unsupported_pipeline_step(wine, tmp_path):
    X, y = wine
    student = make_pipeline(StandardScaler(), SubclassedTree(random_state=0))
    distiller = distill(X, y, student)
    with pytest.raises(TypeError, match=r"Pipeline\(StandardScaler, SubclassedTree\)"):
        export_onnx(distiller, tmp_path / "student.onnx")


def test_export_regressor_student(wine, tmp_path):
    X, y = wine
    distiller = distill(X, y, DecisionTreeRegressor(max_depth=3, random_state=0))
    with pytest.raises(TypeError, match="DecisionTreeRegressor is not one"):
        export_onnx(distiller, tmp_path / "student.onnx")


def test_export_student_without_predict_proba(wine, tmp_path):
    X, y = wine
    distiller = distill(X, y, make_pipeline(StandardScaler(), LinearSVC()))
    with pytest.raises(TypeError, match="has none"):
        export_onnx(distiller, tmp_path / "student.onnx")


def test_export_unfitted(tmp_path):
    with pytest.raises(NotFittedError):
        export_onnx(DistilledClassifier(make_forest()), tmp_path / "student.onnx")
    assert os.listdir(tmp_path) == []


def test_tree_routes_missing_values_like_sklearn(tmp_path):
    # NaN in the training rows of column 1 only: at splits on the other
    # columns scikit-learn sends NaN to the child with more samples, which
    # skl2onnx alone does not reproduce.
    X, y = load_iris(return_X_y=True)
    X = X.copy()
    X[::7, 1] = np.nan
    distiller = DistilledClassifier(
        RandomForestClassifier(n_estimators=10, random_state=0),
        DecisionTreeClassifier(max_depth=4, random_state=0),
        random_state=0,
    ).fit(X, y)
    path = tmp_path / "tree.onnx"
    export_onnx(distiller, path)

    X_missing = X.copy()
    X_missing[np.random.default_rng(0).random(X.shape) < 0.3] = np.nan
    session = onnxruntime.InferenceSession(str(path))
    _, proba = session.run(None, {"X": X_missing.astype(np.float32)})

    np.testing.assert_allclose(
        proba, distiller.predict_proba(X_missing), rtol=1e-5, atol=1e-6
    )
