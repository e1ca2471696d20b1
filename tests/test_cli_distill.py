"""Tests for ``skdistill distill`` and ``skdistill info``."""

import gzip
import hashlib
import json
import sys
import zipfile

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.neighbors import KNeighborsClassifier

from skdistill import DistilledClassifier
from skdistill._persist import PROVENANCE_MEMBER, load_model

from _support import (
    assert_one_error_line,
    module_command,
    run_cli,
    small_srbct,
    write_table,
)

pytest.importorskip("skops")

# Small, fast settings: 10 trees and 3 folds.
FAST = ["--teacher-size", "10", "--cv", "3"]


@pytest.fixture(scope="module")
def srbct_csv(tmp_path_factory):
    X, y, names = small_srbct()
    path = tmp_path_factory.mktemp("data") / "srbct.csv"
    return write_table(path, X, y, names)


def read_provenance_plain(path):
    """Read the provenance record with zipfile and json only."""
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read(PROVENANCE_MEMBER))


def test_distill_csv_prints_report(capsys, srbct_csv):
    status, out, err = run_cli(capsys, "distill", srbct_csv, "--label", "label", *FAST)
    assert status == 0
    assert out.startswith("Teacher and student on 21 test rows")
    assert "fidelity to teacher" in out
    assert f"Reading {srbct_csv}..." in err
    assert "Read 83 rows x 60 features (dense) and 4 classes" in err
    assert "Distilling random-forest into logistic on 62 training rows" in err
    assert "Measuring teacher and student on 21 test rows..." in err


def test_distill_tsv_gz(capsys, tmp_path):
    X, y, names = small_srbct()
    path = write_table(tmp_path / "srbct.tsv.gz", X, y, names, label="tumour")
    with gzip.open(path, "rt") as file:
        assert "\t" in file.readline()
    status, out, _ = run_cli(capsys, "distill", path, "--label", "tumour", *FAST)
    assert status == 0
    assert "Teacher and student on 21 test rows" in out


def test_distill_test_size_zero_skips_report(capsys, srbct_csv):
    args = ["distill", srbct_csv, "--label", "label", "--test-size", "0", *FAST]
    status, out, err = run_cli(capsys, *args)
    assert status == 0
    assert out == ""
    assert "Distilling random-forest into logistic on 83 training rows" in err


@pytest.mark.parametrize(
    ("teacher", "student"),
    [("hist-gradient-boosting", "tree"), ("rbf-svm", "mlp"), ("random-forest", "tree")],
)
def test_distill_presets_save_and_load(capsys, tmp_path, srbct_csv, teacher, student):
    model = tmp_path / "model.skops"
    args = ["distill", srbct_csv, "--label", "label", "--teacher", teacher]
    args += ["--student", student, "--student-size", "3", "--cv", "3"]
    args += ["--max-features", "10", "--save", model]
    if teacher != "rbf-svm":
        args += ["--teacher-size", "5"]
    status, _, err = run_cli(capsys, *args)
    assert status == 0, err
    distiller = load_model(model)
    assert isinstance(distiller, DistilledClassifier)
    assert len(distiller.panel_) == 10
    provenance = read_provenance_plain(model)
    assert provenance["teacher"]["preset"] == teacher
    assert len(provenance["panel"]) == 10


def test_distill_student_rows_and_batch_size(capsys, tmp_path, srbct_csv):
    model = tmp_path / "model.skops"
    args = ["distill", srbct_csv, "--label", "label", "--teacher-size", "5"]
    args += ["--student", "tree", "--student-rows", "sample", "--batch-size", "7"]
    args += ["--save", model]
    status, _, err = run_cli(capsys, *args)
    assert status == 0, err

    params = load_model(model).get_params()
    assert params["student_rows"] == "sample"
    assert params["batch_size"] == 7


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--student-rows", "draw", "invalid choice: 'draw'"),
        ("--synthetic", "smote", "invalid choice: 'smote'"),
        ("--batch-size", "0", "must be at least 1, got 0"),
        ("--temperature", "hot", "expected 'auto' or a number above 0, got 'hot'"),
        ("--temperature", "0", "must be in (0, inf), got 0"),
        ("--alpha", "most", "expected 'auto' or a number in [0, 1], got 'most'"),
        ("--alpha", "1.5", "must be in [0, 1], got 1.5"),
    ],
)
def test_distill_bad_student_rows_or_batch_size(
    capsys, srbct_csv, option, value, message
):
    with pytest.raises(SystemExit) as excinfo:
        run_cli(capsys, "distill", srbct_csv, "--label", "label", option, value)

    assert excinfo.value.code == 2
    err = capsys.readouterr().err
    assert option in err
    assert message in err


@pytest.fixture(scope="module")
def wide_srbct_csv(tmp_path_factory):
    """SRBCT with 200 genes, more columns than its 62 training rows."""
    # Plain names, because one of the first 200 SRBCT gene names is empty.
    X, y, _ = small_srbct(n_features=200)
    path = tmp_path_factory.mktemp("data") / "srbct_wide.csv"
    return write_table(path, X, y, [f"gene{i}" for i in range(X.shape[1])])


@pytest.mark.parametrize(
    ("choice", "generator"),
    [("auto", "MUNGE"), ("none", None), ("munge", "MUNGE")],
)
def test_distill_synthetic_choices(capsys, tmp_path, wide_srbct_csv, choice, generator):
    model = tmp_path / "model.skops"
    args = ["distill", wide_srbct_csv, "--label", "label", *FAST]
    args += ["--student", "tree", "--synthetic", choice, "--save", model]
    status, _, err = run_cli(capsys, *args)
    assert status == 0, err

    distiller = load_model(model)
    n_train = 62
    if generator is None:
        assert distiller.synthetic_ is None
        assert distiller.n_transfer_samples_ == n_train
        assert "synthetic rows" not in err
    else:
        assert type(distiller.synthetic_).__name__ == generator
        assert distiller.n_transfer_samples_ == 6 * n_train
        assert f"Transfer set: {6 * n_train} rows, with synthetic rows made by" in err
    provenance = read_provenance_plain(model)
    assert provenance["settings"]["synthetic"] == choice
    expected = None if generator is None else "MUNGE()"
    assert provenance["synthetic_rows"] == expected


@pytest.fixture(scope="module")
def noisy_csv(tmp_path_factory):
    """Rows with 30% of the labels flipped, on which boosting is overconfident."""
    X, y = make_classification(n_samples=150, n_features=10, flip_y=0.3, random_state=0)
    path = tmp_path_factory.mktemp("data") / "noisy.csv"
    return write_table(path, X, y, [f"x{i}" for i in range(X.shape[1])])


@pytest.mark.parametrize("temperature", ["auto", "1.5"])
def test_distill_temperature(capsys, tmp_path, noisy_csv, temperature):
    model = tmp_path / "model.skops"
    args = ["distill", noisy_csv, "--label", "label", "--cv", "3"]
    args += ["--teacher", "hist-gradient-boosting", "--teacher-size", "50"]
    args += ["--temperature", temperature, "--save", model]
    status, _, err = run_cli(capsys, *args)
    assert status == 0, err

    distiller = load_model(model)
    provenance = read_provenance_plain(model)
    assert provenance["temperature"] == distiller.temperature_
    if temperature == "auto":
        assert distiller.temperature_ > 1.0
        assert provenance["settings"]["temperature"] == "auto"
        assert f"Temperature: {distiller.temperature_:.3g}, resolved from" in err
    else:
        assert distiller.temperature_ == 1.5
        assert provenance["settings"]["temperature"] == 1.5
        assert "Temperature:" not in err


@pytest.mark.parametrize(
    ("alpha", "expected"), [("auto", 1.0), ("0.5", 0.5)], ids=["auto", "number"]
)
def test_distill_alpha(capsys, tmp_path, wide_srbct_csv, alpha, expected):
    model = tmp_path / "model.skops"
    args = ["distill", wide_srbct_csv, "--label", "label", *FAST]
    status, _, err = run_cli(capsys, *args, "--alpha", alpha, "--save", model)
    assert status == 0, err

    distiller = load_model(model)
    provenance = read_provenance_plain(model)
    # The default logistic student reads 200 columns and has 62 rows.
    assert distiller.alpha_ == expected
    assert provenance["alpha"] == expected
    if alpha == "auto":
        assert "Alpha: 1, resolved from 'auto': the logistic student learns" in err
        assert "Pass --alpha 0.75" in err
    else:
        assert "Alpha: 0.5, the weight of the true label." in err


def test_distill_synthetic_auto_skips_logistic(capsys, wide_srbct_csv):
    args = ["distill", wide_srbct_csv, "--label", "label", *FAST]
    status, _, err = run_cli(capsys, *args, "--synthetic", "auto")

    assert status == 0, err
    assert "synthetic rows" not in err


def test_distill_thinning_rejects_non_counts(capsys, wide_srbct_csv):
    args = ["distill", wide_srbct_csv, "--label", "label", *FAST]
    status, _, err = run_cli(capsys, *args, "--synthetic", "thinning")

    assert_one_error_line(status, err, "distilling failed", "BinomialThinning")


@pytest.mark.parametrize(
    ("option", "module", "package"),
    [("--save", "skops.io", "skops"), ("--export-onnx", "onnxruntime", "onnxruntime")],
)
def test_distill_missing_package_fails_before_fit(
    capsys, monkeypatch, tmp_path, srbct_csv, option, module, package
):
    monkeypatch.setitem(sys.modules, module, None)
    path = tmp_path / "out"

    status, out, err = run_cli(
        capsys, "distill", srbct_csv, "--label", "label", *FAST, option, path
    )

    assert_one_error_line(status, err, option, package)
    assert "Reading" not in err
    assert out == ""
    assert not path.exists()


def test_provenance_readable_without_model(capsys, tmp_path, srbct_csv):
    model = tmp_path / "model.skops"
    args = ["distill", srbct_csv, "--label", "label", *FAST, "--save", model]
    status, _, _ = run_cli(capsys, *args)
    assert status == 0
    provenance = read_provenance_plain(model)
    _, _, names = small_srbct()
    assert provenance["format"] == "skdistill-provenance/1"
    assert provenance["feature_names"] == names
    assert provenance["classes"] == ["BL", "EWS", "NB", "RMS"]
    assert (
        provenance["data"]["sha256"]
        == hashlib.sha256(srbct_csv.read_bytes()).hexdigest()
    )
    assert provenance["data"]["n_train"] == 62
    assert provenance["data"]["n_test"] == 21
    assert provenance["data"]["label"] == "label"
    assert provenance["teacher"]["class"] == (
        "sklearn.ensemble._forest.RandomForestClassifier"
    )
    assert provenance["teacher"]["params"]["n_estimators"] == "10"
    assert provenance["settings"]["teacher_size"] == 10
    assert provenance["settings"]["cv"] == 3
    for package in ("skdistill", "scikit-learn", "numpy", "scipy", "skops"):
        assert provenance["versions"][package]


def test_info_prints_provenance(capsys, tmp_path, srbct_csv):
    model = tmp_path / "model.skops"
    run_cli(capsys, "distill", srbct_csv, "--label", "label", *FAST, "--save", model)
    status, out, _ = run_cli(capsys, "info", model)
    assert status == 0
    assert json.loads(out) == read_provenance_plain(model)


def test_info_without_provenance(capsys, tmp_path):
    import skops.io

    model = tmp_path / "plain.skops"
    skops.io.dump(RandomForestClassifier(n_estimators=2), model)
    status, _, err = run_cli(capsys, "info", model)
    assert_one_error_line(status, err, str(model), PROVENANCE_MEMBER)


@pytest.fixture
def srbct_h5ad(tmp_path):
    anndata = pytest.importorskip("anndata")
    pd = pytest.importorskip("pandas")
    X, y, names = small_srbct()
    # Zero the low values so that the sparse matrix has real gaps.
    X = np.where(X < 1, 0.0, X)
    adata = anndata.AnnData(
        sp.csr_matrix(X),
        obs=pd.DataFrame(
            {"tumour": pd.Categorical(y)}, index=[f"sample{i}" for i in range(len(y))]
        ),
        var=pd.DataFrame(index=names),
    )
    path = tmp_path / "srbct.h5ad"
    adata.write_h5ad(path)
    return path


@pytest.mark.parametrize("teacher", ["random-forest", "rbf-svm"])
def test_distill_h5ad_keeps_sparse(capsys, tmp_path, srbct_h5ad, teacher):
    model = tmp_path / "model.skops"
    args = ["distill", srbct_h5ad, "--label", "tumour", "--teacher", teacher]
    args += ["--student", "tree", "--cv", "3", "--save", model]
    status, out, err = run_cli(capsys, *args)
    assert status == 0, err
    assert "(sparse)" in err
    assert "converting" not in err
    assert "Teacher and student on 21 test rows" in out
    assert read_provenance_plain(model)["data"]["sparse"] is True
    assert isinstance(load_model(model), DistilledClassifier)


def test_distill_h5ad_densifies_for_boosting(capsys, srbct_h5ad):
    args = ["distill", srbct_h5ad, "--label", "tumour"]
    args += ["--teacher", "hist-gradient-boosting", *FAST]
    status, _, err = run_cli(capsys, *args)
    assert status == 0
    assert "needs dense input; converting the sparse matrix" in err


def test_distill_h5ad_missing_obs_column(capsys, srbct_h5ad):
    status, _, err = run_cli(capsys, "distill", srbct_h5ad, "--label", "cell_type")
    assert_one_error_line(status, err, "'cell_type'", "'tumour'")


def test_distill_frozen_teacher_file(capsys, tmp_path, srbct_csv):
    import skops.io

    X, y, _ = small_srbct()
    teacher_path = tmp_path / "teacher.skops"
    skops.io.dump(
        RandomForestClassifier(n_estimators=5, random_state=0).fit(X, y), teacher_path
    )
    model = tmp_path / "model.skops"
    args = ["distill", srbct_csv, "--label", "label", "--teacher", teacher_path]
    status, _, err = run_cli(capsys, *args, "--save", model)
    assert status == 0, err
    teacher = read_provenance_plain(model)["teacher"]
    assert teacher["source"] == "file"
    assert teacher["sha256"] == hashlib.sha256(teacher_path.read_bytes()).hexdigest()
    assert teacher["class"].endswith("RandomForestClassifier")


def test_distill_untrusted_teacher_file(capsys, tmp_path, srbct_csv):
    import skops.io

    X, y, _ = small_srbct()
    teacher_path = tmp_path / "knn.skops"
    skops.io.dump(KNeighborsClassifier(algorithm="kd_tree").fit(X, y), teacher_path)
    args = ["distill", srbct_csv, "--label", "label", "--teacher", teacher_path]
    status, _, err = run_cli(capsys, *args)
    assert_one_error_line(
        status, err, "sklearn.neighbors._kd_tree.KDTree", "--trust TYPE"
    )


def _write_variant(tmp_path, change):
    """Write the small SRBCT table after ``change(X, y, names)`` edits it."""
    X, y, names = small_srbct()
    X = X.astype(object)
    y = y.copy()
    names = list(names)
    change(X, y, names)
    path = tmp_path / "variant.csv"
    import csv

    with open(path, "w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow([*names, "label"])
        for row, label in zip(X, y, strict=True):
            writer.writerow([*row, label])
    return path


def _set_cell(value):
    def change(X, y, names):
        X[5, 2] = value

    return change


def _single_row_class(X, y, names):
    y[0] = "RARE"


def _four_row_class(X, y, names):
    y[:4] = "RARE"


def test_distill_missing_file(capsys, tmp_path):
    missing = tmp_path / "absent.csv"
    status, _, err = run_cli(capsys, "distill", missing, "--label", "label")
    assert_one_error_line(status, err, str(missing), "not found")


def test_distill_unsupported_suffix(capsys, tmp_path):
    path = tmp_path / "data.xlsx"
    path.write_text("a,b\n")
    status, _, err = run_cli(capsys, "distill", path, "--label", "label")
    assert_one_error_line(status, err, "'.xlsx'", ".csv")


def test_distill_missing_label_column(capsys, srbct_csv):
    status, _, err = run_cli(capsys, "distill", srbct_csv, "--label", "class")
    assert_one_error_line(status, err, "--label 'class'", "'21652'", "--label")


def test_distill_non_numeric_feature(capsys, tmp_path):
    path = _write_variant(tmp_path, _set_cell("high"))
    status, _, err = run_cli(capsys, "distill", path, "--label", "label")
    assert_one_error_line(status, err, "'26184'", "'high'", "line 7")


def test_distill_infinite_feature(capsys, tmp_path):
    path = _write_variant(tmp_path, _set_cell("inf"))
    status, _, err = run_cli(capsys, "distill", path, "--label", "label")
    assert_one_error_line(status, err, "'26184'", "infinite")


def test_distill_nan_rejected_by_student(capsys, tmp_path):
    path = _write_variant(tmp_path, _set_cell(""))
    status, _, err = run_cli(capsys, "distill", path, "--label", "label", *FAST)
    assert_one_error_line(
        status, err, "1 missing value (", "'26184'", "--student logistic"
    )


@pytest.mark.parametrize(("n_empty", "count"), [(1, "1 row in all"), (2, "2 rows")])
def test_distill_empty_labels_counted(capsys, tmp_path, n_empty, count):
    def clear_labels(X, y, names):
        y[3 : 3 + n_empty] = ""

    path = _write_variant(tmp_path, clear_labels)
    status, _, err = run_cli(capsys, "distill", path, "--label", "label", *FAST)
    assert_one_error_line(status, err, "is empty on line 5", count)


def test_distill_nan_accepted_by_tree(capsys, tmp_path):
    path = _write_variant(tmp_path, _set_cell("NA"))
    args = ["distill", path, "--label", "label", "--student", "tree", *FAST]
    status, _, err = run_cli(capsys, *args)
    assert status == 0, err


def test_distill_class_too_small_for_split(capsys, tmp_path):
    path = _write_variant(tmp_path, _single_row_class)
    status, _, err = run_cli(capsys, "distill", path, "--label", "label")
    assert_one_error_line(status, err, "class 'RARE' has 1 row", "--test-size 0")


def test_distill_class_too_small_for_cv(capsys, tmp_path):
    path = _write_variant(tmp_path, _four_row_class)
    status, _, err = run_cli(capsys, "distill", path, "--label", "label", "--cv", "5")
    assert_one_error_line(status, err, "class 'RARE' has 3 training rows", "--cv 3")


@pytest.mark.parametrize("transfer", ["cross_fit", "held_out"])
def test_distill_one_row_class_needs_in_sample(capsys, tmp_path, transfer):
    # With one row no number of folds works, so --cv is not suggested.
    path = _write_variant(tmp_path, _single_row_class)
    args = ["distill", path, "--label", "label", "--test-size", "0"]
    status, _, err = run_cli(capsys, *args, "--transfer", transfer, *FAST)

    assert_one_error_line(
        status, err, "class 'RARE' has 1 training row,", "--transfer in_sample"
    )
    assert "--cv" not in err.split("need.")[1]

    args += ["--transfer", "in_sample", *FAST]
    status, _, err = run_cli(capsys, *args)
    assert status == 0, err


@pytest.mark.parametrize(
    ("options", "fragments"),
    [
        (["--teacher", "xgboost"], ["'xgboost'", "random-forest"]),
        (["--teacher", "rbf-svm", "--teacher-size", "3"], ["--teacher-size 3"]),
        (["--student-size", "3"], ["--student-size 3", "logistic"]),
        (["--max-features", "500"], ["--max-features 500", "60"]),
        (["--report", "out", "--test-size", "0"], ["--report", "--test-size"]),
        (["--save", "no/such/dir/model.skops"], ["no/such/dir"]),
    ],
)
def test_distill_bad_options(capsys, srbct_csv, options, fragments):
    status, _, err = run_cli(capsys, "distill", srbct_csv, "--label", "label", *options)
    assert_one_error_line(status, err, *fragments)


def test_distill_report_directory(capsys, tmp_path, srbct_csv):
    report = tmp_path / "report"
    args = ["distill", srbct_csv, "--label", "label", *FAST, "--report", report]
    status, _, err = run_cli(capsys, *args)
    assert status == 0, err
    assert (report / "report.md").is_file()
    figures = json.loads((report / "report.json").read_text())
    assert figures
    leftovers = [path.name for path in tmp_path.iterdir() if path.name.startswith(".")]
    assert leftovers == []


def test_distill_report_html_with_plots(capsys, tmp_path, srbct_csv):
    pytest.importorskip("matplotlib")
    report = tmp_path / "report"
    args = ["distill", srbct_csv, "--label", "label", *FAST, "--report", report]
    status, _, err = run_cli(capsys, *args, "--report-format", "html")
    assert status == 0, err
    assert (report / "report.html").is_file()
    assert list(report.glob("*.png"))


def test_distill_export_onnx(capsys, tmp_path, srbct_csv):
    pytest.importorskip("skl2onnx")
    pytest.importorskip("onnxruntime")
    onnx_path = tmp_path / "student.onnx"
    args = ["distill", srbct_csv, "--label", "label", *FAST]
    status, _, err = run_cli(capsys, *args, "--export-onnx", onnx_path)
    assert status == 0, err
    assert onnx_path.stat().st_size > 0
    assert [path.name for path in tmp_path.iterdir()] == ["student.onnx"]


def test_failed_export_keeps_model_and_report(capsys, tmp_path, srbct_csv, monkeypatch):
    pytest.importorskip("skl2onnx")
    pytest.importorskip("onnxruntime")
    import skdistill.onnx

    def failing_export(distiller, path, *, X_check=None):
        raise ValueError("ONNX probabilities differ from predict_proba by 0.5.")

    monkeypatch.setattr(skdistill.onnx, "export_onnx", failing_export)
    model = tmp_path / "model.skops"
    model.write_bytes(b"older model")
    report = tmp_path / "report"
    args = ["distill", srbct_csv, "--label", "label", *FAST, "--save", model]
    args += ["--report", report, "--export-onnx", tmp_path / "student.onnx"]

    status, _, err = run_cli(capsys, *args)

    assert_one_error_line(status, err, "--export-onnx", "No output file")
    assert "0.5.." not in err
    assert model.read_bytes() == b"older model"
    assert not report.exists()
    assert not (tmp_path / "student.onnx").exists()


def test_distill_warnings_are_one_line(capsys, tmp_path, srbct_csv):
    args = ["distill", srbct_csv, "--label", "label", *FAST, "--student", "mlp"]
    args += ["--student-size", "2"]

    status, _, err = run_cli(capsys, *args)

    assert status == 0, err
    # Two hidden units do not converge in MLPClassifier's 200 iterations.
    assert "skdistill: warning: Stochastic Optimizer" in err
    assert "ConvergenceWarning" not in err
    assert "warnings.warn(" not in err


def test_sigterm_stops_distill_cleanly(tmp_path, srbct_csv):
    import signal
    import subprocess
    import time

    model = tmp_path / "model.skops"
    # A 2,000-tree forest keeps the command busy long enough to be stopped.
    command, env = module_command(
        "distill",
        srbct_csv,
        "--label",
        "label",
        "--teacher-size",
        "2000",
        "--save",
        model,
    )
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, env=env)
    # The first progress line comes after the SIGTERM handler is installed,
    # so the signal cannot arrive while Python is still importing.
    first_line = process.stderr.readline()
    time.sleep(1)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=120)
    err = first_line + err

    assert process.returncode == 130, err
    assert "Traceback" not in err
    assert "skdistill: interrupted" in err
    assert list(tmp_path.iterdir()) == []
