"""Small data and recording estimators shared by the test modules."""

# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
from sklearn.datasets import make_blobs, make_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor


class RecordingTreeClassifier(DecisionTreeClassifier):
    """DecisionTreeClassifier that stores the X, y and weights it was fitted on."""

    def fit(self, X, y, sample_weight=None, check_input=True):
        self.fit_X_ = X
        self.fit_y_ = np.asarray(y)
        self.fit_sample_weight_ = sample_weight
        return super().fit(X, y, sample_weight=sample_weight, check_input=check_input)


class RecordingTreeRegressor(DecisionTreeRegressor):
    """DecisionTreeRegressor that stores the X, y and weights it was fitted on."""

    def fit(self, X, y, sample_weight=None, check_input=True):
        self.fit_X_ = X
        self.fit_y_ = np.asarray(y)
        self.fit_sample_weight_ = sample_weight
        return super().fit(X, y, sample_weight=sample_weight, check_input=check_input)


def make_wide_data(n_samples=40, n_features=60, n_informative=5, n_classes=2):
    """Return a classification set with more columns than rows by default."""
    return make_classification(
        n_samples=n_samples,
        n_features=n_features,
        n_informative=n_informative,
        n_classes=n_classes,
        random_state=0,
    )


def make_data(n_samples=90, n_classes=3):
    return make_blobs(
        n_samples=n_samples,
        n_features=4,
        centers=n_classes,
        cluster_std=2.5,
        random_state=0,
    )


def make_forest():
    return RandomForestClassifier(n_estimators=20, random_state=0)


def make_tree():
    return DecisionTreeClassifier(max_depth=4, random_state=0)


def write_table(path, X, y, feature_names, *, label="label", ids=None):
    """Write rows as a text table, tab-separated for .tsv and gzip for .gz."""
    import csv
    import gzip

    name = str(path)
    delimiter = "\t" if ".tsv" in name else ","
    opener = gzip.open if name.endswith(".gz") else open
    header = list(feature_names) + [label]
    if ids is not None:
        header = ["sample", *header]
    with opener(path, "wt", newline="", encoding="utf-8") as file:
        writer = csv.writer(file, delimiter=delimiter)
        writer.writerow(header)
        for position, (row, target) in enumerate(zip(X, y, strict=True)):
            cells = [repr(float(value)) for value in row] + [target]
            if ids is not None:
                cells = [ids[position], *cells]
            writer.writerow(cells)
    return path


def small_srbct(n_features=60):
    """Return the 83 SRBCT rows with their first ``n_features`` genes."""
    from skdistill.datasets import load_srbct

    bunch = load_srbct(as_frame=False)
    return (
        bunch.data[:, :n_features],
        bunch.target,
        bunch.feature_names[:n_features],
    )


def run_cli(capsys, *args):
    """Run the command in-process; return status, stdout and stderr."""
    from skdistill.cli import main

    status = main([str(arg) for arg in args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def assert_one_error_line(status, err, *fragments):
    """Check a failed run: status 2, one error line naming ``fragments``."""
    assert status == 2
    assert "Traceback" not in err
    errors = [line for line in err.splitlines() if line.startswith("skdistill:")]
    assert len(errors) == 1, err
    assert errors[0].startswith("skdistill: error: ")
    for fragment in fragments:
        assert fragment in errors[0]


def module_command(*args):
    """Return the command and environment that run ``python -m skdistill``.

    The repository root goes first on the path, so that the subprocess
    imports the same skdistill as the tests, installed or not.
    """
    import os
    import sys
    from pathlib import Path

    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [
            str(Path(__file__).resolve().parents[1]),
            *filter(None, [env.get("PYTHONPATH")]),
        ]
    )
    return [sys.executable, "-m", "skdistill", *map(str, args)], env


def run_module(*args):
    """Run ``python -m skdistill`` with the interpreter running the tests."""
    import subprocess

    command, env = module_command(*args)
    return subprocess.run(
        command, capture_output=True, text=True, env=env, timeout=300, check=False
    )


def make_counts(n_cells=120, n_genes=40, n_types=3, random_state=0):
    """Return a CSR matrix of integer counts, about 15 % nonzero, and cell types.

    Each cell type has four marker genes whose counts are higher in its cells.
    The counts are stored as float64, as count matrices often are.
    """
    from scipy import sparse

    rng = np.random.RandomState(random_state)
    cell_type = np.arange(n_cells) % n_types
    mean = np.full((n_cells, n_genes), 0.05)
    for kind in range(n_types):
        mean[np.ix_(cell_type == kind, range(4 * kind, 4 * kind + 4))] = 3.0
    counts = rng.poisson(mean).astype(np.float64)
    return sparse.csr_matrix(counts), cell_type
