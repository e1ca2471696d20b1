"""Tests of DistillationReport.save and the atomic file writes behind it."""

import dataclasses
import json
import os
import stat
import sys

import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score, brier_score_loss, f1_score
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier

import skdistill._atomic
from skdistill import DistilledClassifier
from skdistill._atomic import atomic_write, write_bytes_atomic, write_text_atomic
from skdistill.metrics import DistillationReport, distillation_report

# Labels with characters that Markdown and HTML give a meaning to.
LABELS = np.array(["a|b", "<setosa>", "plain"])


@pytest.fixture(scope="module")
def split():
    X, y = load_iris(return_X_y=True)
    return train_test_split(X, LABELS[y], stratify=y, random_state=0)


@pytest.fixture(scope="module")
def distiller(split):
    X_train, _, y_train, _ = split
    teacher = RandomForestClassifier(n_estimators=10, random_state=0)
    student = DecisionTreeClassifier(max_depth=2, random_state=0)
    return DistilledClassifier(teacher, student, random_state=0).fit(X_train, y_train)


@pytest.fixture(scope="module")
def report(distiller, split):
    _, X_test, _, y_test = split
    return distillation_report(
        distiller, X_test, y_test, n_bootstrap=100, n_repeats=3, random_state=0
    )


def read_bytes(path):
    with open(path, "rb") as file:
        return file.read()


def snapshot(directory):
    return {name: read_bytes(directory / name) for name in os.listdir(directory)}


def test_save_markdown_files(report, tmp_path):
    pytest.importorskip("matplotlib")
    paths = report.save(tmp_path)
    assert [os.path.basename(path) for path in paths] == [
        "report.png",
        "report.json",
        "report.md",
    ]
    assert sorted(os.listdir(tmp_path)) == ["report.json", "report.md", "report.png"]
    assert all(os.path.dirname(path) == str(tmp_path) for path in paths)
    assert read_bytes(tmp_path / "report.png").startswith(b"\x89PNG\r\n\x1a\n")


def test_save_markdown_content(report, tmp_path):
    pytest.importorskip("matplotlib")
    report.save(tmp_path, format="markdown")
    text = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert text.startswith(f"# Teacher and student on {report.n_samples} test rows")
    assert "| --- | ---: | ---: | ---: |" in text
    assert f"| fidelity to teacher | - | {report.fidelity:.3f} [" in text
    assert "KL(teacher \\|\\| student)" in text
    assert "| a\\|b |" in text
    assert "\\<setosa\\>" in text
    assert "(report.png)" in text


def test_save_html_content(report, tmp_path):
    pytest.importorskip("matplotlib")
    paths = report.save(tmp_path, format="html")
    assert [os.path.basename(path) for path in paths] == [
        "report.png",
        "report.json",
        "report.html",
    ]
    text = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert text.count("<table>") == 2
    assert "&lt;setosa&gt;" in text
    assert "<setosa>" not in text
    assert '<img src="data:image/png;base64,' in text
    # The page embeds the plot, so it does not depend on report.png.
    assert 'src="report.png"' not in text


def test_save_json_equals_report(report, tmp_path):
    report.save(tmp_path)
    with open(tmp_path / "report.json", encoding="utf-8") as file:
        saved = json.load(file)
    expected = json.loads(json.dumps(report.to_dict(), allow_nan=False))
    assert saved == expected
    assert saved["fidelity"] == report.fidelity
    assert saved["classes"] == sorted(LABELS.tolist())
    assert saved["teacher"]["accuracy_interval"] == list(
        report.teacher["accuracy_interval"]
    )


def test_save_json_matches_sklearn(report, distiller, split, tmp_path):
    _, X_test, _, y_test = split
    report.save(tmp_path)
    with open(tmp_path / "report.json", encoding="utf-8") as file:
        saved = json.load(file)
    classes = distiller.classes_
    teacher_proba = distiller.teacher_.predict_proba(X_test)
    student_proba = distiller.predict_proba(X_test)
    for role, proba in (("teacher", teacher_proba), ("student", student_proba)):
        y_pred = classes[np.argmax(proba, axis=1)]
        figures = saved[role]
        assert figures["accuracy"] == pytest.approx(accuracy_score(y_test, y_pred))
        assert figures["macro_f1"] == pytest.approx(
            f1_score(y_test, y_pred, average="macro", zero_division=0)
        )
        assert figures["brier_score"] == pytest.approx(
            brier_score_loss(y_test, proba, labels=classes)
        )
    y_teacher = classes[np.argmax(teacher_proba, axis=1)]
    fidelity = accuracy_score(y_teacher, distiller.predict(X_test))
    assert saved["fidelity"] == pytest.approx(fidelity)


def test_save_json_nan_is_null(report, tmp_path):
    label = LABELS[0]
    nan_report = dataclasses.replace(
        report, per_class_fidelity={**report.per_class_fidelity, label: np.nan}
    )
    nan_report.save(tmp_path)
    text = (tmp_path / "report.json").read_text(encoding="utf-8")
    assert "NaN" not in text
    assert json.loads(text)["per_class_fidelity"][label] is None


def test_save_single_bootstrap_resample(distiller, split, tmp_path):
    # One resample gives an interval of one point, which need not contain the
    # estimate; the error bars must still be drawn.
    _, X_test, _, y_test = split
    report = distillation_report(
        distiller, X_test, y_test, n_bootstrap=1, n_repeats=1, random_state=0
    )
    paths = report.save(tmp_path)
    assert all(os.path.isfile(path) for path in paths)


def test_save_creates_directory(report, tmp_path):
    directory = tmp_path / "missing" / "nested"
    paths = report.save(str(directory))
    assert directory.is_dir()
    assert all(os.path.isfile(path) for path in paths)


def test_save_keeps_other_files(report, tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    report.save(tmp_path)
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize("format", ["pdf", "Markdown", "md", None])
def test_save_invalid_format(report, tmp_path, format):
    directory = tmp_path / "out"
    with pytest.raises(ValueError, match=r"Invalid format .*'markdown', 'html'"):
        report.save(directory, format=format)
    assert not directory.exists()


def test_save_invalid_format_names_value(report, tmp_path):
    with pytest.raises(ValueError, match="'pdf'"):
        report.save(tmp_path, format="pdf")


def test_save_failed_write_keeps_old_files(report, tmp_path, monkeypatch):
    report.save(tmp_path)
    before = snapshot(tmp_path)
    changed = dataclasses.replace(report, kl_divergence=0.125)
    real_fsync = os.fsync
    calls = []

    def fail_on_json(descriptor):
        # The PNG is synced first and the JSON second.
        calls.append(descriptor)
        if len(calls) == 2:
            raise OSError("disk full")
        real_fsync(descriptor)

    monkeypatch.setattr(skdistill._atomic.os, "fsync", fail_on_json)
    with pytest.raises(OSError, match="disk full"):
        changed.save(tmp_path)
    assert len(calls) == 2
    after = snapshot(tmp_path)
    assert sorted(after) == sorted(before)
    assert after["report.json"] == before["report.json"]
    assert after["report.md"] == before["report.md"]


def test_save_failed_plot_writes_nothing(report, tmp_path, monkeypatch):
    pytest.importorskip("matplotlib")
    report.save(tmp_path, format="html")
    before = snapshot(tmp_path)

    def fail(self, figure):
        raise RuntimeError("plot failed")

    monkeypatch.setattr(DistillationReport, "_draw", fail)
    with pytest.raises(RuntimeError, match="plot failed"):
        dataclasses.replace(report, kl_divergence=0.125).save(tmp_path, format="html")
    assert snapshot(tmp_path) == before


def test_save_without_matplotlib(report, tmp_path, monkeypatch):
    for module in ("matplotlib", "matplotlib.figure", "matplotlib.pyplot"):
        monkeypatch.setitem(sys.modules, module, None)
    paths = report.save(tmp_path)
    assert [os.path.basename(path) for path in paths] == ["report.json", "report.md"]
    assert sorted(os.listdir(tmp_path)) == ["report.json", "report.md"]
    assert "report.png" not in (tmp_path / "report.md").read_text(encoding="utf-8")
    report.save(tmp_path, format="html")
    assert "<img" not in (tmp_path / "report.html").read_text(encoding="utf-8")


def test_save_leaves_pyplot_alone(report, tmp_path):
    pytest.importorskip("matplotlib")
    import matplotlib
    import matplotlib.pyplot as plt

    backend = matplotlib.get_backend()
    figures = plt.get_fignums()
    report.save(tmp_path)
    assert matplotlib.get_backend() == backend
    assert plt.get_fignums() == figures


def test_atomic_write_failure_keeps_file(tmp_path):
    path = tmp_path / "data.txt"
    write_text_atomic(path, "old")
    with pytest.raises(RuntimeError):
        with atomic_write(path) as file:
            file.write("new")
            raise RuntimeError("failed")
    assert path.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["data.txt"]


def test_atomic_write_new_file_failure(tmp_path):
    path = tmp_path / "data.bin"
    with pytest.raises(RuntimeError):
        with atomic_write(path, "wb") as file:
            file.write(b"partial")
            raise RuntimeError("failed")
    assert os.listdir(tmp_path) == []


def test_atomic_write_keeps_permissions(tmp_path):
    path = tmp_path / "data.bin"
    write_bytes_atomic(path, b"old")
    os.chmod(path, 0o640)
    write_bytes_atomic(path, b"new")
    assert read_bytes(path) == b"new"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640


def test_atomic_write_new_file_permissions(tmp_path):
    path = tmp_path / "data.txt"
    write_text_atomic(path, "text")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o666 & ~umask


def test_atomic_write_invalid_mode(tmp_path):
    with pytest.raises(ValueError, match="Invalid mode 'a'.*'w'.*'wb'"):
        with atomic_write(tmp_path / "data.txt", "a"):
            pass
    assert os.listdir(tmp_path) == []
