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
