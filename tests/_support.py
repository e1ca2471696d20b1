"""Small data and recording estimators shared by the test modules."""

# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
from sklearn.datasets import make_blobs
from sklearn.ensemble import RandomForestClassifier
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor


class RecordingTreeRegressor(DecisionTreeRegressor):
    """DecisionTreeRegressor that stores the X, y and weights it was fitted on."""

    def fit(self, X, y, sample_weight=None, check_input=True):
        self.fit_X_ = X
        self.fit_y_ = np.asarray(y)
        self.fit_sample_weight_ = sample_weight
        return super().fit(X, y, sample_weight=sample_weight, check_input=check_input)


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
