"""Tests for the ``skdistill`` command line."""

import contextlib
import io

import pytest

import skdistill
from skdistill.cli import main

from _support import run_module

TABLE_ROW_NAMES = [
    "accuracy",
    "macro F1",
    "fidelity to teacher",
    "predict_proba, 21 rows (ms)",
    "predict_proba, 1 row (ms)",
    "pickled size (bytes)",
]


def _table_row(output, name):
    """Return the cells after the row name of the table line ``name``."""
    for line in output.splitlines():
        if line.startswith(name + "  "):
            return line[len(name) :].split()
    raise AssertionError(f"no table row {name!r} in output:\n{output}")


@pytest.fixture(scope="module")
def demo_output():
    """Run ``skdistill demo`` once with a small forest and return status and output."""
    # capsys is function-scoped, so this module-scoped fixture captures stdout
    # itself and the demo runs once for all the tests that read its output.
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        status = main(["demo", "--n-estimators", "20", "--random-state", "0"])
    return status, buffer.getvalue()


def test_demo_exit_status(demo_output):
    status, _ = demo_output
    assert status == 0


def test_demo_progress_lines(demo_output):
    _, output = demo_output
    assert output.startswith("Machine: ")
    assert "Loading SRBCT (83 samples x 2308 genes)..." in output
    assert "Splitting: 62 training rows, 21 test rows" in output
    assert "RandomForestClassifier(n_estimators=20)" in output
    assert "Total time: " in output


def test_demo_table_header(demo_output):
    _, output = demo_output
    header = next(line for line in output.splitlines() if "teacher/student" in line)
    assert header.split() == ["teacher", "student", "teacher/student"]


@pytest.mark.parametrize("name", TABLE_ROW_NAMES)
def test_demo_table_row_present(demo_output, name):
    _, output = demo_output
    cells = _table_row(output, name)
    assert len(cells) >= 2


@pytest.mark.parametrize("name", ["balanced accuracy", "macro F1"])
def test_demo_scores_are_shares(demo_output, name):
    _, output = demo_output
    teacher, student = (float(cell) for cell in _table_row(output, name))
    assert 0.0 <= teacher <= 1.0
    assert 0.0 <= student <= 1.0


def test_demo_fidelity_student_only(demo_output):
    _, output = demo_output
    # The cells after the two values are the student's bootstrap interval.
    teacher, student, *_ = _table_row(output, "fidelity to teacher")
    assert teacher == "-"
    assert 0.0 <= float(student) <= 1.0


@pytest.mark.parametrize(
    "name",
    ["predict_proba, 21 rows (ms)", "predict_proba, 1 row (ms)"],
)
def test_demo_times_positive_with_ratio(demo_output, name):
    _, output = demo_output
    teacher, student, ratio = _table_row(output, name)
    assert float(teacher) > 0.0
    assert float(student) > 0.0
    assert ratio.endswith("x")
    # The times are rounded to 3 decimals and the ratio to 2 significant
    # digits or 1 decimal, so allow for the rounding of both.
    assert float(ratio[:-1]) == pytest.approx(
        float(teacher) / float(student), rel=0.1, abs=0.1
    )


def test_demo_sizes_positive_with_ratio(demo_output):
    _, output = demo_output
    teacher, student, ratio = _table_row(output, "pickled size (bytes)")
    teacher_bytes = int(teacher.replace(",", ""))
    student_bytes = int(student.replace(",", ""))
    assert teacher_bytes > 0
    assert student_bytes > 0
    assert ratio.endswith("x")
    assert float(ratio[:-1]) == pytest.approx(
        teacher_bytes / student_bytes, rel=0.05, abs=0.05
    )


def test_main_without_command_exits_2(capsys):
    with pytest.raises(SystemExit) as excinfo:
        main([])
    assert excinfo.value.code == 2
    assert "COMMAND" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--n-estimators", "0", "must be at least 1, got 0"),
        ("--n-estimators", "many", "invalid integer: 'many'"),
        ("--random-state", "-1", "must be between 0 and 4294967295, got -1"),
        ("--random-state", "4294967296", "got 4294967296"),
    ],
)
def test_demo_invalid_option_exits_2(capsys, option, value, message):
    with pytest.raises(SystemExit) as excinfo:
        main(["demo", option, value])
    assert excinfo.value.code == 2
    assert message in capsys.readouterr().err


def test_version_option(capsys):
    with pytest.raises(SystemExit) as excinfo:
        main(["--version"])
    assert excinfo.value.code == 0
    assert capsys.readouterr().out.strip() == f"skdistill {skdistill.__version__}"


def test_module_help():
    result = run_module("--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: skdistill")
    assert "demo" in result.stdout


def test_module_demo_help():
    result = run_module("demo", "--help")
    assert result.returncode == 0, result.stderr
    assert "--random-state N" in result.stdout
    assert "--n-estimators N" in result.stdout
    assert "number of trees in the random forest teacher" in result.stdout


def test_module_unknown_command():
    result = run_module("frobnicate")
    assert result.returncode == 2
    assert "invalid choice: 'frobnicate'" in result.stderr
