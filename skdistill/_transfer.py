"""Build the transfer set: which rows the teacher labels, and with which model.

Real rows get their soft labels from a held-out split, from cross-fitting
(out-of-fold predictions) or from the teacher fitted on every row. Synthetic
and unlabeled rows are appended and labelled by the final teacher.
"""

# SPDX-License-Identifier: BSD-3-Clause

import math
import warnings
from numbers import Integral

import numpy as np
import scipy.sparse as sp
from joblib import Parallel, delayed
from sklearn.base import clone
from sklearn.model_selection import check_cv, train_test_split
from sklearn.utils import _safe_indexing
from sklearn.utils.validation import _num_samples

from skdistill._messages import count_noun
from skdistill._soft_labels import teacher_proba
from skdistill._student import fit_with_weight


def count_transfer_rows(transfer_size, n_samples):
    """Return how many rows a ``transfer_size`` reserves for the transfer set.

    A float is a share of the rows, rounded up as ``train_test_split`` rounds
    its ``test_size``; an integer is a count.
    """
    if isinstance(transfer_size, Integral):
        return int(transfer_size)
    return math.ceil(transfer_size * n_samples)


def held_out_split(y_encoded, classes, transfer_size, random_state):
    """Split row indices into a teacher share and a held-out transfer set.

    The split is stratified on the true labels. A class with a single row
    cannot be in both parts, so that row goes to the teacher (which must see
    every class) and a warning names the class.

    Parameters
    ----------
    y_encoded : ndarray of shape (n_samples,)
        Class index of each row.

    classes : ndarray of shape (n_classes,)
        The labels, to name them in the warning.

    transfer_size : float or int
        Share (in (0, 1)) or number of rows for the transfer set.

    random_state : int, RandomState instance or None
        Seed of the shuffle.

    Returns
    -------
    teacher_rows, transfer_rows : ndarray of int
        Sorted row indices of the two parts.
    """
    n_samples = len(y_encoded)
    n_classes = len(classes)
    n_transfer = count_transfer_rows(transfer_size, n_samples)
    _check_split_sizes(transfer_size, n_transfer, n_samples, n_classes)

    counts = np.bincount(y_encoded, minlength=n_classes)
    singletons = np.isin(y_encoded, np.flatnonzero(counts == 1))
    if singletons.any():
        _warn_singleton_classes(classes, counts)
    split_rows = np.flatnonzero(~singletons)

    teacher_rows, transfer_rows = train_test_split(
        split_rows,
        test_size=n_transfer,
        stratify=y_encoded[split_rows],
        random_state=random_state,
    )
    teacher_rows = np.concatenate([teacher_rows, np.flatnonzero(singletons)])
    return np.sort(teacher_rows), np.sort(transfer_rows)


def _check_split_sizes(transfer_size, n_transfer, n_samples, n_classes):
    n_teacher = n_samples - n_transfer
    if n_transfer < n_classes:
        raise ValueError(
            f"transfer_size={transfer_size!r} gives {count_noun(n_transfer, 'row')} "
            f"for the transfer set out of {n_samples}, but a stratified split needs at "
            f"least {n_classes} transfer rows, one per class. Set transfer_size "
            f"to at least {n_classes} rows ({n_classes / n_samples:.3g} of the "
            "rows), pass more rows, or use transfer='cross_fit', which labels "
            "every row."
        )
    if n_teacher < n_classes:
        if n_teacher < 0:
            shortfall = f"is larger than the {n_samples} rows passed to fit"
        else:
            shortfall = (
                f"leaves {count_noun(n_teacher, 'row')} of {n_samples} to fit the "
                f"teacher, which needs at least {n_classes}, one per class"
            )
        raise ValueError(
            f"transfer_size={transfer_size!r} {shortfall}. Set transfer_size to "
            f"at most {n_samples - n_classes} rows "
            f"({(n_samples - n_classes) / n_samples:.3g} of the rows)."
        )


def _warn_singleton_classes(classes, counts):
    lonely = [
        repr(label)
        for label, count in zip(classes.tolist(), counts, strict=True)
        if count == 1
    ]
    # Frames up to the caller: here, held_out_split, the estimator's
    # _label_rows, _build_transfer_set and fit, and scikit-learn's _fit_context
    # wrapper.
    warnings.warn(
        f"Class {', '.join(lonely)} has a single row (count 1), which cannot go "
        "to both the teacher and the transfer set. That row is used to fit the "
        "teacher only, and the student learns the class from the teacher's "
        "soft labels on other rows. Pass more rows of the class to give the "
        "student examples of it.",
        UserWarning,
        stacklevel=7,
    )


def label_in_batches(teacher, X, classes, *, batch_size=None, n_jobs=None):
    """Compute the teacher's probabilities on ``X``, ``batch_size`` rows a call.

    The batches are contiguous slices of rows, labelled in parallel through
    :class:`joblib.Parallel`, so an active ``joblib.parallel_config`` (for
    example ``backend="dask"``) decides where they run. A teacher that labels
    each row on its own, as scikit-learn's classifiers do, gives the
    probabilities of one call on all rows. They are equal bit for bit for tree
    ensembles, but a teacher built on matrix products can differ in the last
    bit, because BLAS may round a product over fewer rows differently. With
    OpenBLAS this happens for a batch of a single row.

    Parameters
    ----------
    teacher : fitted classifier
        Passed to :func:`~skdistill._soft_labels.teacher_proba`.

    X : object
        Rows the teacher accepts: an array, a sparse matrix, a DataFrame or a
        list. A sparse matrix is sliced as it is, never densified.

    classes : ndarray of shape (n_classes,)
        Sorted labels, the order of the output columns.

    batch_size : int or None, default=None
        Number of rows per call. None labels every row in one call.

    n_jobs : int or None, default=None
        Number of batches labelled at once.

    Returns
    -------
    proba : ndarray of shape (n_samples, n_classes)
        The batches' probabilities, in the order of the rows of ``X``.
    """
    return proba_in_batches(
        teacher_proba, teacher, X, classes, batch_size=batch_size, n_jobs=n_jobs
    )


def proba_in_batches(proba, model, X, classes, *, batch_size=None, n_jobs=None):
    """Call ``proba(model, X_batch, classes)`` on batches of rows and stack them.

    :func:`label_in_batches` passes the teacher. The student's probabilities
    for ``fidelity_`` are computed the same way, so that their intermediate
    arrays also stay within one batch.
    """
    n_rows = _num_samples(X)
    if batch_size is None or n_rows <= batch_size:
        return proba(model, X, classes)
    # NOTE: a process-based backend (loky, or dask with worker processes)
    # pickles the teacher with every group of tasks it sends to a worker, so a
    # large teacher with many small batches spends its time on serialisation.
    # The generator makes each slice only when joblib dispatches it, so only a
    # few batches are copied out of X at a time.
    parts = Parallel(n_jobs=n_jobs)(
        delayed(proba)(
            model, _safe_indexing(X, slice(start, start + batch_size)), classes
        )
        for start in range(0, n_rows, batch_size)
    )
    return np.concatenate(parts)


def cross_fit_proba(
    teacher,
    X,
    y,
    classes,
    *,
    cv,
    sample_weight,
    n_jobs,
    batch_size=None,
):
    """Compute out-of-fold teacher probabilities for every row.

    Each row is labelled by a clone of the teacher fitted on the other folds,
    so no row's soft label comes from a model that saw it. The folds are
    stratified on the true labels ``y`` (for an integer ``cv``). A class
    absent from a fold's training rows gets probability 0 on that fold.

    Parameters
    ----------
    teacher : estimator
        Unfitted teacher, cloned for each fold.

    X : object
        Indexable rows in the form the teacher accepts.

    y : ndarray of shape (n_samples,)
        True labels.

    classes : ndarray of shape (n_classes,)
        Sorted labels, the order of the output columns.

    cv : int, cross-validation generator or iterable
        As in scikit-learn's ``cross_val_predict``.

    sample_weight : ndarray of shape (n_samples,) or None
        Weights passed to each fold's ``fit``.

    n_jobs : int or None
        Number of folds fitted in parallel through joblib, and of batches
        each fold's clone labels at once.

    batch_size : int or None, default=None
        Number of rows per labelling call of a fold's clone, as in
        :func:`label_in_batches`. None labels a fold's rows in one call.

    Returns
    -------
    proba : ndarray of shape (n_samples, n_classes)
    """
    splitter = check_cv(cv, y, classifier=True)
    folds = list(splitter.split(X, y))
    n_samples = len(y)

    parallel = Parallel(n_jobs=n_jobs)
    fold_probas = parallel(
        delayed(_fit_and_label)(
            clone(teacher),
            X,
            y,
            classes,
            train,
            test,
            sample_weight,
            batch_size,
            n_jobs,
        )
        for train, test in folds
    )

    proba = np.zeros((n_samples, len(classes)))
    labelled = np.zeros(n_samples, dtype=bool)
    for (_, test), fold_proba in zip(folds, fold_probas, strict=True):
        proba[test] = fold_proba
        labelled[test] = True
    if not labelled.all():
        raise ValueError(
            f"cv={cv!r} leaves {np.count_nonzero(~labelled)} rows out of every "
            "test fold, so they get no out-of-fold soft label. Use a splitter "
            "whose test folds cover every row, such as StratifiedKFold."
        )
    return proba


def _fit_and_label(
    teacher, X, y, classes, train, test, sample_weight, batch_size, n_jobs
):
    """Fit a clone on the ``train`` rows and label the ``test`` rows."""
    weight = None if sample_weight is None else sample_weight[train]
    fit_with_weight(teacher, _safe_indexing(X, train), y[train], weight)
    # Inside a worker, joblib runs this nested Parallel with threads (loky) or
    # as more tasks on the same cluster (dask).
    return label_in_batches(
        teacher,
        _safe_indexing(X, test),
        classes,
        batch_size=batch_size,
        n_jobs=n_jobs,
    )


def concat_rows(parts):
    """Stack blocks of rows: arrays, sparse matrices, DataFrames or lists."""
    if len(parts) == 1:
        return parts[0]
    first = parts[0]
    if hasattr(first, "iloc"):
        import pandas as pd

        return pd.concat(parts, ignore_index=True)
    if sp.issparse(first):
        return sp.vstack(parts, format="csr")
    if isinstance(first, list):
        return [row for part in parts for row in part]
    return np.concatenate([np.asarray(part) for part in parts])
