"""Tests for ``skdistill predict``, model loading and atomic output files."""

import csv
import errno
import gzip
import os
import zipfile
from pathlib import Path

import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.neighbors import KNeighborsClassifier
from sklearn.tree import DecisionTreeClassifier

import skdistill._commands
import skdistill._io
from skdistill._atomic import atomic_directory, atomic_path
from skdistill._io import CommandError
from skdistill._persist import check_index_bounds
from skdistill.cli import main

from _support import (
    assert_one_error_line,
    run_cli,
    run_module,
    small_srbct,
    write_table,
)

skops_io = pytest.importorskip("skops.io")


def read_predictions(path):
    opener = gzip.open if str(path).endswith(".gz") else open
    delimiter = "\t" if ".tsv" in str(path) else ","
    with opener(path, "rt", newline="") as file:
        rows = list(csv.reader(file, delimiter=delimiter))
    return rows[0], rows[1:]


@pytest.fixture(scope="module")
def fitted(tmp_path_factory):
    """Distill once; return the data file, the model file and the distiller."""
    directory = tmp_path_factory.mktemp("fitted")
    X, y, names = small_srbct()
    ids = [f"s{i}" for i in range(len(y))]
    data = write_table(directory / "srbct.csv", X, y, names, ids=ids)
    model = directory / "model.skops"
    captured = {}
    save_model = skdistill._commands.save_model

    def record(distiller, path, provenance):
        captured["distiller"] = distiller
        save_model(distiller, path, provenance)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(skdistill._commands, "save_model", record)
        args = ["distill", data, "--label", "label", "--id", "sample"]
        args += ["--teacher-size", "10", "--cv", "3", "--save", model]
        status = main([str(arg) for arg in args])
    assert status == 0
    return data, model, captured["distiller"], X, names, ids


def test_predict_round_trip(capsys, tmp_path, fitted):
    data, model, distiller, X, _, ids = fitted
    out = tmp_path / "predictions.csv"
    status, _, err = run_cli(
        capsys, "predict", model, data, "--out", out, "--id", "sample"
    )
    assert status == 0, err
    header, rows = read_predictions(out)
    classes = [str(label) for label in distiller.classes_]
    assert header == ["id", "predicted", *(f"proba_{label}" for label in classes)]
    assert [row[0] for row in rows] == ids
    proba = np.array([[float(cell) for cell in row[2:]] for row in rows])
    np.testing.assert_allclose(proba, distiller.predict_proba(X), rtol=1e-12)
    assert [row[1] for row in rows] == distiller.predict(X).tolist()


def test_predict_reorders_columns(capsys, tmp_path, fitted):
    _, model, distiller, X, names, _ = fitted
    order = np.random.default_rng(0).permutation(len(names))
    data = write_table(
        tmp_path / "shuffled.tsv.gz",
        X[:, order],
        ["?"] * len(X),
        [names[i] for i in order],
    )
    out = tmp_path / "predictions.tsv.gz"
    status, _, err = run_cli(capsys, "predict", model, data, "--out", out)
    assert status == 0, err
    header, rows = read_predictions(out)
    assert [row[0] for row in rows] == [str(i) for i in range(len(X))]
    proba = np.array([[float(cell) for cell in row[2:]] for row in rows])
    np.testing.assert_allclose(proba, distiller.predict_proba(X), rtol=1e-12)


def test_predict_h5ad_uses_obs_names(capsys, tmp_path, fitted):
    anndata = pytest.importorskip("anndata")
    pd = pytest.importorskip("pandas")
    _, model, distiller, X, names, _ = fitted
    obs_names = [f"cell{i}" for i in range(len(X))]
    adata = anndata.AnnData(
        X, obs=pd.DataFrame(index=obs_names), var=pd.DataFrame(index=names)
    )
    data = tmp_path / "new.h5ad"
    adata.write_h5ad(data)
    out = tmp_path / "predictions.csv"
    status, _, err = run_cli(capsys, "predict", model, data, "--out", out)
    assert status == 0, err
    _, rows = read_predictions(out)
    assert [row[0] for row in rows] == obs_names
    proba = np.array([[float(cell) for cell in row[2:]] for row in rows])
    np.testing.assert_allclose(proba, distiller.predict_proba(X), rtol=1e-12)


@pytest.mark.parametrize(
    ("keep", "extra", "fragments"),
    [
        (slice(1, None), [], ["missing 1: '21652'"]),
        (slice(None), ["batch"], ["unexpected 1: 'batch'"]),
    ],
)
def test_predict_feature_mismatch(capsys, tmp_path, fitted, keep, extra, fragments):
    _, model, _, X, names, _ = fitted
    columns = [*names[keep], *extra]
    values = np.hstack([X[:, keep], np.ones((len(X), len(extra)))])
    data = write_table(tmp_path / "new.csv", values, ["?"] * len(X), columns)
    out = tmp_path / "predictions.csv"
    status, _, err = run_cli(capsys, "predict", model, data, "--out", out)
    assert_one_error_line(status, err, str(data), *fragments)
    assert not out.exists()


def test_predict_nan_for_logistic_student(capsys, tmp_path, fitted):
    _, model, _, X, names, _ = fitted
    values = X.copy()
    values[3, 4] = np.nan
    data = write_table(tmp_path / "new.csv", values, ["?"] * len(X), names)
    out = tmp_path / "predictions.csv"
    status, _, err = run_cli(capsys, "predict", model, data, "--out", out)
    assert_one_error_line(status, err, str(data), "NaN")


def test_predict_bad_out_suffix(capsys, tmp_path, fitted):
    data, model, *_ = fitted
    out = tmp_path / "predictions.json"
    status, _, err = run_cli(capsys, "predict", model, data, "--out", out)
    assert_one_error_line(status, err, "--out", "'.json'")


@pytest.mark.parametrize(
    ("content", "fragments"),
    [
        (None, ["model file not found"]),
        (b"not a zip archive", ["cannot read", "skops"]),
        ("zip", ["cannot load", "KeyError"]),
    ],
)
def test_predict_unreadable_model(capsys, tmp_path, fitted, content, fragments):
    data = fitted[0]
    model = tmp_path / "model.skops"
    if content == "zip":
        with zipfile.ZipFile(model, "w") as archive:
            archive.writestr("other.txt", "no schema")
    elif content is not None:
        model.write_bytes(content)
    status, _, err = run_cli(
        capsys, "predict", model, data, "--out", tmp_path / "p.csv"
    )
    assert_one_error_line(status, err, str(model), *fragments)


def test_predict_untrusted_model_then_trusted(capsys, tmp_path):
    X, y = load_iris(return_X_y=True)
    model = tmp_path / "knn.skops"
    skops_io.dump(KNeighborsClassifier(algorithm="kd_tree").fit(X, y), model)
    data = write_table(tmp_path / "iris.csv", X, y, ["a", "b", "c", "d"])
    out = tmp_path / "p.csv"
    status, _, err = run_cli(capsys, "predict", model, data, "--out", out)
    assert_one_error_line(
        status,
        err,
        "sklearn.metrics._dist_metrics.EuclideanDistance64",
        "sklearn.neighbors._kd_tree.KDTree",
        "--trust TYPE",
    )
    trust = ["--trust", "sklearn.metrics._dist_metrics.EuclideanDistance64"]
    trust += ["--trust", "sklearn.neighbors._kd_tree.KDTree"]
    status, _, err = run_cli(
        capsys, "predict", model, data, "--out", out, "--label", "label", *trust
    )
    assert status == 0, err
    assert len(read_predictions(out)[1]) == 150


def test_index_bounds_tree_child(tmp_path):
    X, y = load_iris(return_X_y=True)
    tree = DecisionTreeClassifier(random_state=0).fit(X, y)
    check_index_bounds(tree, "model.skops")
    tree.tree_.children_left[0] = 10_000
    with pytest.raises(CommandError, match="invalid left child"):
        check_index_bounds(tree, "model.skops")


def test_index_bounds_tree_feature():
    X, y = load_iris(return_X_y=True)
    tree = DecisionTreeClassifier(random_state=0).fit(X, y)
    tree.tree_.feature[0] = 4
    with pytest.raises(CommandError, match="invalid feature index"):
        check_index_bounds([tree], "model.skops")


def test_index_bounds_boosting_child():
    X, y = load_iris(return_X_y=True)
    model = HistGradientBoostingClassifier(max_iter=2).fit(X, y)
    check_index_bounds(model, "model.skops")
    model._predictors[0][0].nodes["right"][0] = 0
    with pytest.raises(CommandError, match="invalid right child"):
        check_index_bounds(model, "model.skops")


def test_atomic_path_failure_keeps_old_file(tmp_path):
    path = tmp_path / "out.csv"
    path.write_text("good")
    with pytest.raises(OSError):
        with atomic_path(path) as temporary:
            temporary.write_text("half")
            raise OSError(errno.ENOSPC, "No space left on device")
    assert path.read_text() == "good"
    assert [entry.name for entry in tmp_path.iterdir()] == ["out.csv"]


def test_atomic_path_mode_follows_umask(tmp_path):
    path = tmp_path / "out.csv"
    with atomic_path(path) as temporary:
        temporary.write_text("done")
    umask = os.umask(0o022)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask


def test_atomic_directory_failure_keeps_old_files(tmp_path):
    directory = tmp_path / "report"
    directory.mkdir()
    (directory / "report.md").write_text("good")
    with pytest.raises(ValueError):
        with atomic_directory(directory) as temporary:
            (temporary / "report.md").write_text("half")
            raise ValueError("bad format")
    assert (directory / "report.md").read_text() == "good"
    assert sorted(entry.name for entry in tmp_path.iterdir()) == ["report"]


def test_atomic_directory_replaces_and_keeps(tmp_path):
    directory = tmp_path / "report"
    directory.mkdir()
    (directory / "notes.txt").write_text("mine")
    (directory / "report.md").write_text("old")
    with atomic_directory(directory) as temporary:
        (temporary / "report.md").write_text("new")
    assert (directory / "report.md").read_text() == "new"
    assert (directory / "notes.txt").read_text() == "mine"


def _failing_open(calls_before_failure):
    """Return a stand-in for _open_text whose file fails after some writes."""
    real_open = skdistill._io._open_text

    class FailingFile:
        def __init__(self, file):
            self.file = file
            self.writes = 0

        def write(self, text):
            self.writes += 1
            if self.writes > calls_before_failure:
                raise OSError(errno.ENOSPC, "No space left on device")
            return self.file.write(text)

        def __getattr__(self, name):
            return getattr(self.file, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc_info):
            self.file.close()

    def open_text(path, compressed, mode):
        file = real_open(path, compressed, mode)
        return FailingFile(file) if mode == "w" else file

    return open_text


def test_predict_write_failure_keeps_old_file(capsys, tmp_path, monkeypatch, fitted):
    data, model, *_ = fitted
    out = tmp_path / "predictions.csv"
    out.write_text("good\n")
    monkeypatch.setattr(skdistill._io, "_open_text", _failing_open(10))
    args = ["predict", model, data, "--out", out, "--id", "sample"]
    status, _, err = run_cli(capsys, *args)
    assert_one_error_line(status, err, str(out), "No space left on device")
    assert out.read_text() == "good\n"
    assert [entry.name for entry in tmp_path.iterdir()] == ["predictions.csv"]


def test_save_failure_keeps_old_model(capsys, tmp_path, monkeypatch, fitted):
    data = fitted[0]
    model = tmp_path / "model.skops"
    model.write_bytes(b"good model")

    def write_half(self, content):
        with open(self, "wb") as file:
            file.write(content[: len(content) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", write_half)
    args = ["distill", data, "--label", "label", "--id", "sample"]
    args += ["--teacher-size", "5", "--cv", "3", "--save", model]
    status, _, err = run_cli(capsys, *args)
    assert_one_error_line(status, err, f"--save {model}", "No space left")
    assert model.read_bytes() == b"good model"
    assert [entry.name for entry in tmp_path.iterdir()] == ["model.skops"]


def test_module_predict_and_error(tmp_path, fitted):
    data, model, distiller, X, _, _ = fitted
    out = tmp_path / "predictions.csv"
    result = run_module("predict", model, data, "--out", out, "--id", "sample")
    assert result.returncode == 0, result.stderr
    _, rows = read_predictions(out)
    proba = np.array([[float(cell) for cell in row[2:]] for row in rows])
    np.testing.assert_allclose(proba, distiller.predict_proba(X), rtol=1e-12)

    result = run_module("predict", tmp_path / "absent.skops", data, "--out", out)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"skdistill: error: model file not found: {tmp_path / 'absent.skops'}. "
        "Check the path."
    ]


def test_predict_damaged_model_member(capsys, tmp_path, fitted):
    data, model = fitted[:2]
    # Flip bytes inside the largest deflated member, keeping the zip layout.
    with zipfile.ZipFile(model) as archive:
        member = max(archive.infolist(), key=lambda info: info.compress_size)
    damaged = bytearray(model.read_bytes())
    start = member.header_offset + 30 + len(member.filename) + len(member.extra)
    for offset in range(start + 10, start + 40):
        damaged[offset] ^= 0xFF
    broken = tmp_path / "damaged.skops"
    broken.write_bytes(bytes(damaged))

    status, _, err = run_cli(
        capsys, "predict", broken, data, "--out", tmp_path / "p.csv"
    )

    assert_one_error_line(status, err, str(broken))
    assert not (tmp_path / "p.csv").exists()


def test_predict_truncated_gzip_data(capsys, tmp_path, fitted):
    data, model = fitted[:2]
    full = gzip.compress(Path(data).read_bytes())
    truncated = tmp_path / "cut.csv.gz"
    truncated.write_bytes(full[: len(full) // 2])

    status, _, err = run_cli(
        capsys, "predict", model, truncated, "--out", tmp_path / "p.csv"
    )

    assert_one_error_line(status, err, str(truncated), "complete")


def test_atomic_path_missing_directory(tmp_path):
    path = tmp_path / "missing" / "model.onnx"
    with pytest.raises(FileNotFoundError, match="missing does not exist") as info:
        with atomic_path(path):
            pass
    assert ".tmp" not in str(info.value)


def test_distill_rejects_unnamed_index_column(capsys, tmp_path):
    X, y, names = small_srbct()
    path = write_table(tmp_path / "indexed.csv", X, y, names)
    lines = Path(path).read_text().splitlines()
    indexed = ["," + lines[0]] + [f"{i},{line}" for i, line in enumerate(lines[1:])]
    Path(path).write_text("\n".join(indexed) + "\n")

    status, _, err = run_cli(capsys, "distill", path, "--label", "label")

    assert_one_error_line(status, err, "first column", "index=False")


def test_distill_accepts_unnamed_inner_column(capsys, tmp_path):
    # SRBCT's 157th gene has an empty name, so the whole table must load.
    X, y, names = small_srbct(n_features=200)
    assert names[156] == ""
    data = write_table(tmp_path / "srbct.csv", X, y, names)
    model = tmp_path / "model.skops"
    out = tmp_path / "predictions.csv"

    status, _, err = run_cli(
        capsys,
        "distill",
        data,
        "--label",
        "label",
        "--teacher-size",
        "5",
        "--cv",
        "3",
        "--save",
        model,
    )
    assert status == 0, err
    status, _, err = run_cli(capsys, "predict", model, data, "--out", out)
    assert status == 0, err
    assert len(Path(out).read_text().splitlines()) == len(y) + 1


def test_distill_rejects_label_as_id(capsys, tmp_path):
    X, y, names = small_srbct()
    path = write_table(tmp_path / "srbct.csv", X, y, names)

    status, _, err = run_cli(
        capsys, "distill", path, "--label", "label", "--id", "label"
    )

    assert_one_error_line(status, err, "'label'", "--id")
