"""DistilledClassifier under joblib's dask backend on a local cluster."""

# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
import pytest
from joblib import parallel_config
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.tree import DecisionTreeClassifier

from skdistill import BinomialThinning, DistilledClassifier

from _support import make_counts

distributed = pytest.importorskip("distributed")

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


@pytest.fixture(scope="module")
def dask_client():
    # Workers are threads of this process that talk over TCP on the loopback
    # interface. Without protocol="tcp://", processes=False picks the inproc
    # transport, which distributed 2026.8 fails to start with a host set.
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=False,
        protocol="tcp://",
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        with distributed.Client(cluster) as client:
            yield client


def make_distiller(**params):
    return DistilledClassifier(
        LogisticRegression(max_iter=500),
        DecisionTreeClassifier(max_depth=4, random_state=0),
        cv=3,
        batch_size=25,
        random_state=0,
        **params,
    )


def run_grid_search(X, y):
    search = GridSearchCV(
        make_distiller(synthetic=BinomialThinning(size=1)),
        {"alpha": [0.0, 0.5], "temperature": [1.0, 3.0]},
        cv=3,
        n_jobs=2,
    )
    return search.fit(X, y)


def test_grid_search_dask_equals_local(dask_client):
    X, y = make_counts(n_cells=150)

    local = run_grid_search(X, y)
    with distributed.get_task_stream(dask_client) as task_stream:
        with parallel_config(backend="dask"):
            spread = run_grid_search(X, y)

    assert len(task_stream.data) > 0

    for split in range(3):
        key = f"split{split}_test_score"
        np.testing.assert_array_equal(spread.cv_results_[key], local.cv_results_[key])
    assert spread.best_params_ == local.best_params_


@pytest.mark.parametrize("transfer", ["cross_fit", "in_sample"])
def test_batched_labels_dask_equal_local(dask_client, transfer):
    X, y = make_counts(n_cells=150)

    local = make_distiller(transfer=transfer, n_jobs=2).fit(X, y)
    with distributed.get_task_stream(dask_client) as task_stream:
        with parallel_config(backend="dask"):
            spread = make_distiller(transfer=transfer, n_jobs=2).fit(X, y)

    assert len(task_stream.data) > 0

    np.testing.assert_array_equal(spread.predict_proba(X), local.predict_proba(X))
    assert spread.fidelity_ == local.fidelity_
