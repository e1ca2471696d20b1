"""Tests for the measurement and formatting helpers of the demo."""

import pickle

import pytest
import threadpoolctl
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skdistill._demo import (
    describe_estimator,
    describe_machine,
    fidelity_score,
    format_ratio,
    format_table,
    measure_latency,
    pickled_size,
    run_demo,
)
from skdistill.metrics import DistillationReport


def test_fidelity_score_counts_agreement():
    assert fidelity_score(["a", "b", "c", "a"], ["a", "b", "a", "b"]) == 0.5


def test_fidelity_score_full_and_none():
    assert fidelity_score([1, 2, 3], [1, 2, 3]) == 1.0
    assert fidelity_score([1, 2, 3], [3, 1, 2]) == 0.0


def test_measure_latency_calls_n_repeats():
    calls = []
    median = measure_latency(calls.append, "X", n_repeats=7)
    assert calls == ["X"] * 7
    assert median >= 0.0


def test_measure_latency_single_thread():
    observed = []

    def record_thread_limits(X):
        observed.extend(pool["num_threads"] for pool in threadpoolctl.threadpool_info())

    measure_latency(record_thread_limits, None, n_repeats=1)
    assert observed
    assert set(observed) == {1}


def test_pickled_size_matches_pickle():
    model = LogisticRegression().fit([[0.0], [1.0]], [0, 1])
    assert pickled_size(model) == len(pickle.dumps(model))


def test_format_ratio():
    assert format_ratio(10.0, 4.0) == "2.5x"
    assert format_ratio(1, 1) == "1.0x"


def test_format_ratio_below_one_keeps_digits():
    assert format_ratio(1, 3) == "0.33x"
    assert format_ratio(0.943, 63.872) == "0.015x"


def test_format_ratio_zero_student():
    assert format_ratio(1.0, 0.0) == "n/a"


def test_format_table_aligns_columns():
    text = format_table(
        [("a", "1", "22", "3.0x"), ("long name", "333", "4", "")],
        header=("", "t", "s", "ratio"),
    )
    lines = text.splitlines()
    assert len(lines) == 3
    # Every right-aligned column ends at the same offset on each line.
    assert lines[1].index("22") + 2 == lines[2].index("4") + 1
    assert lines[0].endswith("ratio")
    assert lines[1].endswith("3.0x")
    assert lines[2] == "long name  333   4"


def test_describe_estimator_pipeline():
    pipeline = make_pipeline(StandardScaler(), LogisticRegression())
    assert describe_estimator(pipeline) == "StandardScaler -> LogisticRegression"
    assert describe_estimator(LogisticRegression()) == "LogisticRegression"


def test_describe_machine_names_versions():
    line = describe_machine()
    assert line.startswith("Machine: ")
    assert "CPUs" in line
    assert "scikit-learn " in line
    assert "skdistill " in line


def test_run_demo_prints_report():
    lines = []
    report = run_demo(n_estimators=10, n_repeats=3, sink=lines.append)
    assert isinstance(report, DistillationReport)
    assert report.n_samples == 21
    assert all("\n" not in line for line in lines)
    assert lines[0].startswith("Machine: ")
    assert lines[-1].startswith("Total time: ")
    assert str(report).splitlines()[0] in lines
    output = "\n".join(lines)
    assert f"{report.fidelity:.3f}" in output
    assert f"{report.teacher['pickle_bytes']:,}" in output
    assert f"{report.student['pickle_bytes']:,}" in output


def test_run_demo_reproducible():
    first = run_demo(n_estimators=10, n_repeats=1, sink=lambda line: None)
    second = run_demo(n_estimators=10, n_repeats=1, sink=lambda line: None)
    assert first.fidelity == second.fidelity
    assert first.fidelity_interval == second.fidelity_interval
    assert first.teacher["accuracy"] == second.teacher["accuracy"]
    assert first.student["accuracy"] == second.student["accuracy"]
    assert first.student["pickle_bytes"] == pytest.approx(
        second.student["pickle_bytes"], rel=0.01
    )
