"""Generators of synthetic rows near the real ones: MUNGE and binomial thinning.

Bucila, Caruana and Niculescu-Mizil (2006) label such rows with the teacher so
that the student learns the teacher's function on more points than the
training set holds. MUNGE perturbs continuous and categorical columns;
binomial thinning subsamples the counts of a count matrix, such as single-cell
RNA counts, and keeps it sparse.
"""

# SPDX-License-Identifier: BSD-3-Clause

import sys
from collections.abc import Mapping
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from sklearn import get_config
from sklearn.base import BaseEstimator, clone
from sklearn.tree import BaseDecisionTree
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import _num_samples

from skdistill._student import final_step

# synthetic="auto" adds MUNGE rows to at most this many real rows. The brute
# force neighbour search costs about n_samples**2 * n_features operations,
# and small, wide data (50 to 1,000 profiles) is where a tree needs the rows.
AUTO_MUNGE_MAX_ROWS = 1_000

# Categorical attributes with at most this many distinct values are compared
# through a dense one-hot matrix product, the others through a sparse one. The
# dense product costs about n_samples**2 * n_values operations, the sparse one
# the sum of each value's squared count, so the dense one wins for few values.
# On 3,000 rows x 60 columns the two took equal time between 10 and 100 values.
_DENSE_ONE_HOT_MAX_VALUES = 30

# Squared distances that exceed a row's smallest one by less than this factor
# times the rows' squared norms are ties. The margin absorbs the rounding of the
# |a|^2 + |b|^2 - 2 a.b expansion, which depends on how the matrix product
# orders its sums, so that ties go to the lowest row index.
_TIE_RTOL = 1e-10

# Each chunk of the neighbour search uses about this many float64 arrays of
# shape (chunk_rows, n_samples) at once.
_CHUNK_TEMPORARIES = 4


class MUNGE(BaseEstimator):
    """Generate synthetic rows near the real rows with MUNGE.

    MUNGE (Bucila, Caruana and Niculescu-Mizil, 2006) builds each synthetic row
    from a real row and that row's nearest neighbour among the other real rows.
    Each attribute of the real row is, with probability ``swap_probability``,
    replaced: a categorical attribute takes the neighbour's value, and a
    continuous attribute is drawn from a normal distribution centred on the
    neighbour's value, with standard deviation
    ``|x[i, a] - x[neighbour, a]| / local_variance``. The other attributes keep
    the real row's values. A teacher labels these rows so that a student learns
    the teacher's function near the data, on more rows than the training set
    contains.

    Parameters
    ----------
    size : int, default=5
        Number of synthetic rows made from each real row, one per round. The
        output has ``size * n_samples`` rows. At least 1.

    swap_probability : float, default=0.5
        Probability, in (0, 1], that an attribute of a synthetic row is
        replaced by the neighbour's value or by a value drawn near it. Each
        attribute, and each group of ``categorical_features``, is replaced
        independently of the others.

    local_variance : float, default=5.0
        Divisor ``s`` of the standard deviation of a replaced continuous value,
        ``|x[i, a] - x[neighbour, a]| / s``. Larger values keep replaced values
        closer to the neighbour's. Greater than 0.

    categorical_features : "auto", None or array-like, default="auto"
        Columns whose values are copied from a real row, never perturbed:

        - ``"auto"``: for a pandas DataFrame, the columns of object, string,
          category or bool dtype. For an array, every column if its dtype is
          object, str or bool, and none otherwise.
        - ``None``: no column, so every column is continuous.
        - A boolean mask with one entry per column.
        - A list whose entries are column indices, column names (DataFrame
          only), or lists of either. An entry that is itself a list (or a
          tuple, array or pandas Index) is a group, such as the columns of one
          one-hot encoded feature. The group is one attribute in the distance
          and is replaced as a unit, so that a synthetic row takes all of the
          group's values from one real row and a one-hot block stays one-hot.

        Integers are column positions, also for a DataFrame whose column names
        are integers. Every other column is continuous and must be numeric.

    See Also
    --------
    skdistill.DistilledClassifier : Distiller whose ``synthetic`` parameter
        takes a MUNGE instance.

    Notes
    -----
    Row ``r * n_samples + i`` of the output is made from real row ``i`` in
    round ``r``, so the output is ``size`` blocks of ``n_samples`` rows, each
    in the order of ``X``. Each real row keeps one nearest neighbour for all
    rounds, while the swaps and the normal draws are new in each round.

    This is the one-sided variant of MUNGE: only the real row's copy changes,
    while the published procedure also updates the neighbour symmetrically at
    each swap. So each round yields exactly one row per real row, and the
    rounds are independent.

    The nearest neighbour minimises the squared distance: the sum over the
    continuous columns of the squared difference divided by the column's
    variance, plus the number of categorical attributes (columns or groups)
    on which the two rows differ (Hamming distance). So a categorical mismatch
    weighs as much as a difference of one standard deviation. Constant columns
    add nothing. A row is never its own neighbour, but a duplicate row is at
    distance 0. Ties go to the lowest row index. The search is brute force:
    its time grows as ``n_samples ** 2 * n_features``, and it works in chunks
    of rows that fit scikit-learn's ``working_memory`` setting.

    Every synthetic value lies in the range of its column in ``X``. A drawn
    continuous value is clipped to the column's [min, max], which puts more
    mass on the bounds than the normal distribution does. A categorical value
    is copied from a real row. A missing value (None or NaN) in a
    categorical column is one more category, but a continuous column with NaN
    or infinity is rejected.

    Output types: a DataFrame gives a DataFrame with the same columns and a
    fresh RangeIndex. Its categorical columns keep their dtype, continuous
    columns of a NumPy float dtype keep theirs, and other continuous columns,
    such as integer ones, become float64 because drawn values are not whole
    numbers. An array gives an array of the same dtype when that dtype can
    represent every synthetic value (float, object, or any dtype when no column
    is continuous), else float64. Other array-likes, such as lists, are converted with
    :func:`numpy.asarray` and give an array.

    NOTE: the defaults are a starting point, not tuned values. Tune them on
    your data, for example ``synthetic__size`` in a grid search over the
    distiller.

    References
    ----------
    C. Bucila, R. Caruana and A. Niculescu-Mizil, "Model Compression",
    KDD 2006.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from skdistill import MUNGE
    >>> X, _ = load_iris(return_X_y=True)
    >>> X_synthetic = MUNGE(size=2).sample(X, random_state=0)
    >>> X_synthetic.shape
    (300, 4)
    >>> bool((X_synthetic >= X.min(axis=0)).all())
    True

    A DataFrame keeps its columns and dtypes:

    >>> import pandas as pd
    >>> frame = pd.DataFrame(
    ...     {
    ...         "length": [1.0, 1.5, 3.0, 3.5],
    ...         "colour": pd.Categorical(["red", "red", "blue", "blue"]),
    ...     }
    ... )
    >>> frame_synthetic = MUNGE(size=3).sample(frame, random_state=0)
    >>> frame_synthetic.shape
    (12, 2)
    >>> frame_synthetic["colour"].dtype == frame["colour"].dtype
    True
    """

    _parameter_constraints: dict = {
        "size": [Interval(Integral, 1, None, closed="left")],
        "swap_probability": [Interval(Real, 0, 1, closed="right")],
        "local_variance": [Interval(Real, 0, None, closed="neither")],
        "categorical_features": [StrOptions({"auto"}), "array-like", None],
    }

    def __init__(
        self,
        *,
        size=5,
        swap_probability=0.5,
        local_variance=5.0,
        categorical_features="auto",
    ):
        self.size = size
        self.swap_probability = swap_probability
        self.local_variance = local_variance
        self.categorical_features = categorical_features

    def sample(self, X, random_state=None):
        """Generate ``size`` synthetic rows from each row of X.

        Parameters
        ----------
        X : {array-like, pandas DataFrame} of shape (n_samples, n_features)
            Real rows, at least 2. Continuous columns must be numeric and free
            of NaN and infinity. X is not modified.

        random_state : int, RandomState instance or None, default=None
            Seed of the swaps and of the normal draws. Pass an int for
            reproducible output across calls.

        Returns
        -------
        X_synthetic : ndarray or DataFrame of shape (size * n_samples, \
                n_features)
            The synthetic rows, ``size`` blocks in the order of X. The type and
            dtypes follow X as the Notes of :class:`MUNGE` describe.

        Raises
        ------
        ValueError
            If a parameter is invalid, X is sparse, not 2-D or has fewer than 2
            rows, a continuous column is not numeric or has NaN or infinity, or
            ``categorical_features`` names a column that X does not have.

        TypeError
            If X is a dict or a list of dicts.

        Examples
        --------
        >>> from sklearn.datasets import load_iris
        >>> from skdistill import MUNGE
        >>> X, _ = load_iris(return_X_y=True)
        >>> MUNGE(size=3).sample(X[:10], random_state=0).shape
        (30, 4)
        """
        self._validate_params()
        X = _validate_rows(X)
        random_state = check_random_state(random_state)

        groups = _resolve_categorical_features(self.categorical_features, X)
        categorical_columns = [column for group in groups for column in group]
        categorical_set = set(categorical_columns)
        continuous_columns = [
            column for column in range(X.shape[1]) if column not in categorical_set
        ]
        continuous = _continuous_values(X, continuous_columns)
        codes = _category_codes(X, groups)

        neighbours = _nearest_neighbours(continuous, codes)
        continuous_out, group_sources = _draw_rounds(
            continuous,
            neighbours,
            n_groups=len(groups),
            size=self.size,
            swap_probability=self.swap_probability,
            local_variance=self.local_variance,
            random_state=random_state,
        )
        # A column takes its values from the row its group was copied from.
        group_of_column = np.repeat(np.arange(len(groups)), [len(g) for g in groups])
        column_sources = group_sources[:, group_of_column]

        if _is_dataframe(X):
            return _assemble_frame(
                X,
                continuous_columns,
                continuous_out,
                categorical_columns,
                column_sources,
            )
        return _assemble_array(
            X, continuous_columns, continuous_out, categorical_columns, column_sources
        )


def _is_dataframe(X):
    # Looking pandas up in sys.modules avoids importing it, an optional
    # dependency, for array input.
    pandas = sys.modules.get("pandas")
    return pandas is not None and isinstance(X, pandas.DataFrame)


def _validate_rows(X):
    """Return X as a DataFrame or a 2-D ndarray with at least 2 rows."""
    if sp.issparse(X):
        raise ValueError(
            f"MUNGE needs dense rows, but X is a sparse {type(X).__name__}. "
            "Pass a dense X (for example X.toarray()), or build "
            "DistilledClassifier without synthetic."
        )
    is_dict_rows = (
        isinstance(X, (list, tuple)) and len(X) > 0 and isinstance(X[0], Mapping)
    )
    if isinstance(X, Mapping) or is_dict_rows:
        kind = "a list of dicts" if is_dict_rows else f"a {type(X).__name__}"
        raise TypeError(
            f"MUNGE cannot read X given as {kind}, because it needs rows of "
            "values. "
            "Convert X with pandas.DataFrame(X), or with "
            "sklearn.feature_extraction.DictVectorizer(sparse=False)."
        )

    if not _is_dataframe(X):
        X_input = X
        try:
            X = np.asarray(X_input)
        except ValueError as exc:
            raise ValueError(
                f"MUNGE could not convert X to a 2-D array: {exc}. Pass an array "
                "or DataFrame of shape (n_samples, n_features)."
            ) from exc
        if isinstance(X_input, (list, tuple)) and X.dtype.kind in "US":
            # numpy turns a list mixing numbers and strings into strings, but
            # an object array keeps the numbers as numbers.
            X = np.asarray(X_input, dtype=object)
        if X.ndim != 2:
            raise ValueError(
                "MUNGE needs a 2-D X of shape (n_samples, n_features), got shape "
                f"{X.shape}. Reshape a single feature with X.reshape(-1, 1), or "
                "a pandas Series with Series.to_frame()."
            )
        if X.dtype.kind not in "biufOUS":
            raise ValueError(
                f"MUNGE handles numeric, str and object arrays, but X has dtype "
                f"{X.dtype}. Convert X to numbers, or pass it as a DataFrame with "
                "the non-numeric columns listed in categorical_features."
            )

    n_samples, n_features = X.shape
    if n_samples < 2:
        raise ValueError(
            f"MUNGE needs at least 2 rows in X to find nearest neighbours, got "
            f"{n_samples}. Pass more rows, or build DistilledClassifier without "
            "synthetic."
        )
    if n_features < 1:
        raise ValueError("MUNGE needs at least 1 column in X, got 0.")
    return X


def _column_label(X, column):
    """Name a column in an error message: its name in a DataFrame, else 'column i'."""
    if _is_dataframe(X):
        return repr(X.columns[column])
    return f"column {column}"


def _auto_categorical_columns(X):
    if not _is_dataframe(X):
        if X.dtype.kind in "OUSb":
            return list(range(X.shape[1]))
        return []

    types = sys.modules["pandas"].api.types
    return [
        column
        for column, dtype in enumerate(X.dtypes)
        if types.is_object_dtype(dtype)
        or types.is_string_dtype(dtype)
        or isinstance(dtype, sys.modules["pandas"].CategoricalDtype)
        or types.is_bool_dtype(dtype)
    ]


def _resolve_categorical_features(categorical_features, X):
    """Turn ``categorical_features`` into groups of column positions.

    A single column is a group of one. Raises ValueError on an unknown,
    out-of-range or repeated column and on a mask of the wrong length.
    """
    if categorical_features is None:
        return []
    if isinstance(categorical_features, str):  # "auto", the only valid string
        return [[column] for column in _auto_categorical_columns(X)]

    n_features = X.shape[1]
    entries = list(categorical_features)
    is_bool = [isinstance(entry, (bool, np.bool_)) for entry in entries]
    if entries and all(is_bool):
        if len(entries) != n_features:
            raise ValueError(
                f"categorical_features is a boolean mask of length {len(entries)}, "
                f"but X has {n_features} columns. Pass one boolean per column."
            )
        return [[column] for column, flag in enumerate(entries) if flag]
    if any(is_bool):
        raise ValueError(
            f"categorical_features mixes booleans with other entries: {entries!r}. "
            "Pass either a boolean mask or a list of column indices or names."
        )

    groups = []
    seen = set()
    for entry in entries:
        if isinstance(entry, (list, tuple, np.ndarray)) or _is_index_like(entry):
            members = list(entry)
            if not members:
                raise ValueError(
                    "categorical_features contains an empty group. A group lists "
                    "the column indices or names of one one-hot encoded feature."
                )
        else:
            members = [entry]
        group = [_column_position(member, X) for member in members]
        for column in group:
            if column in seen:
                raise ValueError(
                    f"categorical_features lists {_column_label(X, column)} more "
                    "than once. List each column once, alone or in one group."
                )
            seen.add(column)
        groups.append(group)
    return groups


def _is_index_like(entry):
    # A pandas Index or Series of column names can be a group, like a list.
    pandas = sys.modules.get("pandas")
    return pandas is not None and isinstance(entry, (pandas.Index, pandas.Series))


def _column_position(entry, X):
    """Return the position of the column that a categorical_features entry names."""
    n_features = X.shape[1]
    if isinstance(entry, Integral) and not isinstance(entry, (bool, np.bool_)):
        if not -n_features <= entry < n_features:
            raise ValueError(
                f"categorical_features contains column index {entry}, but X has "
                f"{n_features} columns. Pass indices from {-n_features} to "
                f"{n_features - 1}."
            )
        return int(entry) % n_features

    if isinstance(entry, str):
        if not _is_dataframe(X):
            raise ValueError(
                f"categorical_features contains the column name {entry!r}, but X "
                "is an array without column names. Pass column indices, or pass "
                "X as a pandas DataFrame."
            )
        matches = np.flatnonzero(np.asarray(X.columns == entry))
        if len(matches) == 0:
            first_columns = list(X.columns[:10])
            more = ", ..." if n_features > 10 else ""
            raise ValueError(
                f"categorical_features contains {entry!r}, which is not a column "
                f"of X. The columns of X are {first_columns!r}{more}. Pass names from "
                "that list, or column indices."
            )
        if len(matches) > 1:
            raise ValueError(
                f"categorical_features contains {entry!r}, which names "
                f"{len(matches)} columns of X. Rename the duplicate columns or "
                "pass column indices."
            )
        return int(matches[0])

    raise ValueError(
        f"categorical_features entries must be column indices, column names or "
        f"lists of them, got {entry!r} of type {type(entry).__name__}."
    )


def _continuous_values(X, columns):
    """Return the continuous columns of X as a float64 array.

    Raises ValueError when a column is not numeric or has NaN or infinity.
    """
    n_samples = X.shape[0]
    if not columns:
        return np.empty((n_samples, 0))

    if _is_dataframe(X):
        types = sys.modules["pandas"].api.types
        dtypes = X.dtypes.iloc[columns]
        invalid = [
            f"{_column_label(X, column)} ({dtype})"
            for column, dtype in zip(columns, dtypes, strict=True)
            if not types.is_numeric_dtype(dtype) or types.is_complex_dtype(dtype)
        ]
        if invalid:
            raise ValueError(
                "Columns of X that are neither numeric nor listed in "
                f"categorical_features: {', '.join(invalid)}. List them in "
                "categorical_features, or convert them to numbers."
            )
        values = X.iloc[:, columns].to_numpy(dtype=np.float64, na_value=np.nan)
    elif X.dtype.kind in "US":
        labels = ", ".join(_column_label(X, column) for column in columns[:10])
        raise ValueError(
            "X is a str array, so MUNGE cannot perturb its columns as numbers, "
            f"but categorical_features leaves out {labels}. List every column in "
            "categorical_features, or pass X as a numeric or object array, or as "
            "a DataFrame."
        )
    else:
        values = X[:, columns]
        try:
            values = values.astype(np.float64)
        except (TypeError, ValueError) as exc:
            raise ValueError(
                f"The continuous {_first_non_numeric(X, columns)} of the object "
                f"array X contains a value that is not a number ({exc}). List it in "
                "categorical_features, or convert it to numbers."
            ) from exc

    not_finite = ~np.isfinite(values).all(axis=0)
    if not_finite.any():
        labels = [_column_label(X, columns[k]) for k in np.flatnonzero(not_finite)]
        raise ValueError(
            f"X has NaN or infinity in the continuous {', '.join(labels[:10])}, "
            "which MUNGE cannot perturb. Impute the missing values (for example "
            "with sklearn.impute.SimpleImputer), drop those rows, or list the "
            "columns in categorical_features to treat a missing value as a "
            "category."
        )
    return values


def _first_non_numeric(X, columns):
    for column in columns:
        try:
            X[:, column].astype(np.float64)
        except (TypeError, ValueError):
            return _column_label(X, column)
    return "columns"


def _category_codes(X, groups):
    """Encode each group as integers, equal rows of the group getting equal codes.

    Returns an int array of shape (n_samples, n_groups).
    """
    codes = np.empty((X.shape[0], len(groups)), dtype=np.intp)
    for k, group in enumerate(groups):
        combined = _column_codes(X, group[0])
        for column in group[1:]:
            column_codes = _column_codes(X, column)
            combined = combined * (column_codes.max() + 1) + column_codes
            # Renumbering keeps the codes below n_samples, so they cannot
            # overflow however many columns the group has.
            combined = np.unique(combined, return_inverse=True)[1].reshape(-1)
        codes[:, k] = combined
    return codes


def _column_codes(X, column):
    """Encode one column as integers, equal values getting equal codes.

    Missing values share one code: None and NaN, and in a DataFrame pandas.NA.
    """
    if _is_dataframe(X):
        pandas = sys.modules["pandas"]
        return pandas.factorize(X.iloc[:, column], use_na_sentinel=False)[0]

    values = X[:, column]
    if values.dtype.kind != "O":
        uniques, codes = np.unique(values, return_inverse=True)
        codes = codes.reshape(-1)
        if values.dtype.kind == "f" and np.isnan(uniques[-1]):
            # np.unique sorts NaN last but may keep each NaN apart.
            first_nan = np.flatnonzero(np.isnan(uniques))[0]
            codes = np.minimum(codes, first_nan)
        return codes

    # Objects of mixed types cannot be sorted, so equal values are found by
    # hashing.
    code_of_value = {}
    missing_code = None
    codes = np.empty(len(values), dtype=np.intp)
    for row, value in enumerate(values):
        if _is_missing(value):
            if missing_code is None:
                missing_code = len(code_of_value)
                code_of_value[_MISSING] = missing_code
            codes[row] = missing_code
            continue
        try:
            codes[row] = code_of_value.setdefault(value, len(code_of_value))
        except TypeError as exc:
            raise ValueError(
                f"The categorical {_column_label(X, column)} of X contains the "
                f"unhashable value {value!r}, which MUNGE cannot compare. Convert "
                "it to a hashable value such as a str or a tuple."
            ) from exc
    return codes


# Key of missing values in the hashing of _column_codes, distinct from any value.
_MISSING = object()


def _is_missing(value):
    # NaN is the only float that differs from itself.
    return value is None or (isinstance(value, (float, np.floating)) and value != value)


def _nearest_neighbours(continuous, codes):
    """Return the index of each row's nearest other row.

    ``continuous`` contains the continuous columns, ``codes`` one integer column
    per categorical attribute. The distance is described in the Notes of
    :class:`MUNGE`.
    """
    n_samples = continuous.shape[0]
    varying = np.ptp(continuous, axis=0) > 0
    scaled = continuous[:, varying]
    scaled = (scaled - scaled.mean(axis=0)) / scaled.std(axis=0)
    squared_norms = np.einsum("ij,ij->i", scaled, scaled)
    dense_one_hot, sparse_one_hot = _one_hot_blocks(codes)
    n_attributes = codes.shape[1]

    row_bytes = _CHUNK_TEMPORARIES * np.dtype(np.float64).itemsize * n_samples
    chunk_rows = max(1, int(get_config()["working_memory"] * 2**20 // row_bytes))
    largest_norm = squared_norms.max()
    neighbours = np.empty(n_samples, dtype=np.intp)
    for start in range(0, n_samples, chunk_rows):
        stop = min(start + chunk_rows, n_samples)
        distances = np.full((stop - start, n_samples), float(n_attributes))
        if scaled.shape[1]:
            distances += squared_norms[start:stop, None] + squared_norms[None, :]
            distances -= 2 * (scaled[start:stop] @ scaled.T)
        # Each categorical attribute on which two rows differ adds 1, so the
        # attributes on which they agree are subtracted from n_attributes. The
        # one-hot products count those exactly, because float32 represents
        # every integer up to 2**24.
        if dense_one_hot.shape[1]:
            distances -= dense_one_hot[start:stop] @ dense_one_hot.T
        if sparse_one_hot.shape[1]:
            distances -= (sparse_one_hot[start:stop] @ sparse_one_hot.T).toarray()

        rows = np.arange(stop - start)
        distances[rows, start + rows] = np.inf
        margin = _TIE_RTOL * (squared_norms[start:stop] + largest_norm)
        closest = distances.min(axis=1)
        # argmax returns the first True, so the lowest index among the ties.
        is_tie = distances <= (closest + margin)[:, None]
        neighbours[start:stop] = np.argmax(is_tie, axis=1)
    return neighbours


def _one_hot_blocks(codes):
    """One-hot encode ``codes`` into a dense block (few values) and a sparse one."""
    n_values = codes.max(axis=0) + 1 if codes.shape[1] else np.zeros(0, np.intp)
    is_dense = n_values <= _DENSE_ONE_HOT_MAX_VALUES
    dense = _one_hot(codes[:, is_dense], n_values[is_dense]).toarray()
    sparse = _one_hot(codes[:, ~is_dense], n_values[~is_dense])
    return dense, sparse


def _one_hot(codes, n_values):
    n_samples, n_attributes = codes.shape
    offsets = np.concatenate([[0], np.cumsum(n_values)[:-1]]).astype(np.intp)
    return sp.csr_matrix(
        (
            np.ones(n_samples * n_attributes, dtype=np.float32),
            (codes + offsets).reshape(-1),
            np.arange(n_samples + 1) * n_attributes,
        ),
        shape=(n_samples, int(n_values.sum())),
    )


def _draw_rounds(
    continuous,
    neighbours,
    *,
    n_groups,
    size,
    swap_probability,
    local_variance,
    random_state,
):
    """Draw the synthetic continuous values and the source row of each group.

    Returns ``continuous_out`` of shape (size * n_samples, n_continuous) and
    ``group_sources`` of shape (size * n_samples, n_groups), the real row whose
    values each categorical group copies: the row itself or its neighbour.
    """
    n_samples, n_continuous = continuous.shape
    neighbour_values = continuous[neighbours]
    spread = np.abs(continuous - neighbour_values) / local_variance
    low = continuous.min(axis=0)
    high = continuous.max(axis=0)
    own_rows = np.arange(n_samples)[:, None]

    continuous_out = np.empty((size * n_samples, n_continuous))
    group_sources = np.empty((size * n_samples, n_groups), dtype=np.intp)
    for round_index in range(size):
        rows = slice(round_index * n_samples, (round_index + 1) * n_samples)
        # random() is in [0, 1), so swap_probability=1 replaces every attribute.
        swapped = random_state.random_sample((n_samples, n_continuous + n_groups))
        swapped = swapped < swap_probability
        drawn = neighbour_values + spread * random_state.standard_normal(
            (n_samples, n_continuous)
        )
        np.clip(drawn, low, high, out=drawn)
        continuous_out[rows] = np.where(swapped[:, :n_continuous], drawn, continuous)
        group_sources[rows] = np.where(
            swapped[:, n_continuous:], neighbours[:, None], own_rows
        )
    return continuous_out, group_sources


def _assemble_array(
    X, continuous_columns, continuous_out, categorical_columns, column_sources
):
    if not continuous_columns or X.dtype.kind in "fO":
        dtype = X.dtype
    else:
        dtype = np.float64
    X_synthetic = np.empty((len(continuous_out), X.shape[1]), dtype=dtype)
    X_synthetic[:, continuous_columns] = continuous_out
    if categorical_columns:
        X_synthetic[:, categorical_columns] = X[
            column_sources, np.asarray(categorical_columns)[None, :]
        ]
    return X_synthetic


def _assemble_frame(
    X, continuous_columns, continuous_out, categorical_columns, column_sources
):
    pandas = sys.modules["pandas"]
    n_rows = len(continuous_out)

    # Columns are keyed by position until the end, so duplicate column names
    # stay apart.
    continuous_dtypes = {}
    for column in continuous_columns:
        dtype = X.dtypes.iloc[column]
        is_float = isinstance(dtype, np.dtype) and dtype.kind == "f"
        continuous_dtypes[column] = dtype if is_float else np.float64
    continuous_frame = pandas.DataFrame(
        continuous_out, columns=continuous_columns
    ).astype(continuous_dtypes)

    # Taking rows with iloc keeps each categorical column's dtype.
    categorical_frame = pandas.DataFrame(
        {
            column: X.iloc[column_sources[:, k], column].reset_index(drop=True)
            for k, column in enumerate(categorical_columns)
        },
        index=pandas.RangeIndex(n_rows),
    )

    # Empty parts are left out because pandas deprecates them in concat.
    parts = [part for part in (continuous_frame, categorical_frame) if part.shape[1]]
    X_synthetic = pandas.concat(parts, axis=1)
    X_synthetic = X_synthetic[list(range(X.shape[1]))]
    X_synthetic.columns = X.columns
    X_synthetic.index = pandas.RangeIndex(n_rows)
    return X_synthetic


class BinomialThinning(BaseEstimator):
    """Generate synthetic count rows by binomial thinning of the real rows.

    Each synthetic row is a real row of counts, such as one cell of a
    single-cell RNA count matrix, sequenced less deeply. Every count ``c`` of
    the row is replaced by a draw from ``Binomial(c, p)``, where ``p`` is the
    row's keep probability. Thinning keeps each read independently with
    probability ``p``, so the synthetic cell looks like the same cell at a
    lower sequencing depth. A zero stays zero, so a sparse matrix stays sparse,
    and every value stays a non-negative integer no larger than its source.

    Parameters
    ----------
    size : int, default=5
        Number of synthetic rows made from each real row, one per round. The
        output has ``size * n_samples`` rows. At least 1.

    keep_probability : float or tuple of (float, float), default=(0.5, 1.0)
        Probability ``p`` of keeping each count. A float in (0, 1] is used for
        every synthetic row. A tuple ``(low, high)`` with
        ``0 < low <= high <= 1`` draws ``p`` uniformly from that range for
        each synthetic row, so the synthetic rows span a range of depths.

    See Also
    --------
    skdistill.MUNGE : Generator for continuous and categorical columns.
    skdistill.DistilledClassifier : Distiller whose ``synthetic`` parameter
        takes a BinomialThinning instance.

    Notes
    -----
    Row ``r * n_samples + i`` of the output is made from real row ``i`` in
    round ``r``, so the output is ``size`` blocks of ``n_samples`` rows, each
    in the order of ``X``, as ``DistilledClassifier(synthetic=...)`` requires.

    A sparse matrix gives a CSR matrix of the same dtype without stored zeros,
    with at most ``size`` times the nonzero entries of ``X``. An array gives
    an array of the same dtype, and a DataFrame a DataFrame with the same
    columns and a fresh RangeIndex. Counts stored as floats are accepted when
    every value is a whole number.

    NOTE: the default ``keep_probability`` is a starting point, not a tuned
    value. To a teacher that normalises each cell by its total count, thinned
    cells look much like real ones. To a teacher on raw counts, they look
    like shallower cells.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy import sparse
    >>> from skdistill import BinomialThinning
    >>> X = sparse.csr_matrix(np.array([[4, 0, 1], [0, 10, 0]]))
    >>> X_synthetic = BinomialThinning(size=3).sample(X, random_state=0)
    >>> X_synthetic.shape
    (6, 3)
    >>> X_synthetic.format
    'csr'
    >>> bool((X_synthetic[:2].toarray() <= X.toarray()).all())
    True
    """

    _parameter_constraints: dict = {
        "size": [Interval(Integral, 1, None, closed="left")],
        "keep_probability": [Interval(Real, 0, 1, closed="right"), tuple],
    }

    def __init__(self, *, size=5, keep_probability=(0.5, 1.0)):
        self.size = size
        self.keep_probability = keep_probability

    def sample(self, X, random_state=None):
        """Generate ``size`` thinned copies of each row of X.

        Parameters
        ----------
        X : {array-like, sparse matrix, pandas DataFrame} of shape \
                (n_samples, n_features)
            Counts: non-negative whole numbers, of an integer or float dtype.
            X is not modified.

        random_state : int, RandomState instance or None, default=None
            Seed of the keep probabilities and of the binomial draws. Pass an
            int for reproducible output across calls.

        Returns
        -------
        X_synthetic : {ndarray, CSR matrix, DataFrame} of shape \
                (size * n_samples, n_features)
            The thinned rows, ``size`` blocks in the order of X, in the form
            the Notes of :class:`BinomialThinning` describe.

        Raises
        ------
        ValueError
            If a parameter is invalid, or X is not 2-D, has no rows, or
            contains a negative, fractional, NaN or infinite value.

        Examples
        --------
        >>> import numpy as np
        >>> from skdistill import BinomialThinning
        >>> X = np.array([[3, 0, 7], [1, 2, 0]])
        >>> thinning = BinomialThinning(size=2, keep_probability=0.5)
        >>> X_synthetic = thinning.sample(X, random_state=0)
        >>> X_synthetic.shape
        (4, 3)
        >>> bool((X_synthetic <= np.vstack([X, X])).all())
        True
        """
        self._validate_params()
        low, high = self._keep_range()
        random_state = check_random_state(random_state)

        if sp.issparse(X):
            return self._thin_sparse(X, low, high, random_state)
        frame = X if _is_dataframe(X) else None
        values = X.to_numpy() if frame is not None else np.asarray(X)
        if values.ndim != 2:
            raise ValueError(
                "BinomialThinning needs a 2-D X of shape (n_samples, n_features), "
                f"got shape {values.shape}. Reshape a single feature with "
                "X.reshape(-1, 1)."
            )
        counts = _check_counts(values)
        n_samples = values.shape[0]
        blocks = []
        for _ in range(self.size):
            keep = random_state.uniform(low, high, size=(n_samples, 1))
            blocks.append(random_state.binomial(counts, keep).astype(values.dtype))
        thinned = np.concatenate(blocks)
        if frame is None:
            return thinned
        pandas = sys.modules["pandas"]
        return pandas.DataFrame(thinned, columns=frame.columns)

    def _keep_range(self):
        """Return ``keep_probability`` as a (low, high) pair, checked."""
        keep = self.keep_probability
        if isinstance(keep, Real):
            return float(keep), float(keep)
        valid = (
            len(keep) == 2
            and all(isinstance(bound, Real) for bound in keep)
            and 0 < keep[0] <= keep[1] <= 1
        )
        if not valid:
            raise ValueError(
                f"keep_probability={keep!r} is invalid. Pass a float in (0, 1] or "
                "a tuple (low, high) with 0 < low <= high <= 1, for example "
                "(0.5, 1.0)."
            )
        return float(keep[0]), float(keep[1])

    def _thin_sparse(self, X, low, high, random_state):
        X = X.tocsr()
        if X.ndim != 2 or X.shape[0] == 0:
            raise ValueError(
                f"BinomialThinning needs at least one row in X, got shape {X.shape}."
            )
        # Duplicate entries of one cell are summed first, so each count is
        # thinned once as a whole.
        if not X.has_canonical_format:
            X = X.copy()
            X.sum_duplicates()
        counts = _check_counts(X.data)
        row_lengths = np.diff(X.indptr)
        blocks = []
        for _ in range(self.size):
            keep = random_state.uniform(low, high, size=X.shape[0])
            data = random_state.binomial(counts, np.repeat(keep, row_lengths))
            block = sp.csr_matrix(
                (data.astype(X.dtype), X.indices.copy(), X.indptr.copy()),
                shape=X.shape,
            )
            block.eliminate_zeros()
            blocks.append(block)
        return sp.vstack(blocks, format="csr")


def _check_counts(values):
    """Return ``values`` as int64 counts, raising if any is not a count."""
    if values.dtype.kind not in "biuf":
        raise ValueError(
            f"BinomialThinning needs numeric counts, but X has dtype "
            f"{values.dtype}. Pass the raw count matrix."
        )
    if values.size == 0:
        if values.ndim == 2 and values.shape[0] == 0:
            raise ValueError("BinomialThinning needs at least one row in X, got 0.")
        return values.astype(np.int64)
    if values.dtype.kind == "f":
        is_count = np.isfinite(values) & (values == np.floor(values))
        if not is_count.all():
            bad = values[~is_count].flat[0]
            raise ValueError(
                f"BinomialThinning needs whole-number counts, but X contains "
                f"{bad.item()!r}. Pass the raw counts, not normalised or "
                "log-transformed values, or use MUNGE for continuous features."
            )
    if values.min() < 0:
        raise ValueError(
            f"BinomialThinning needs non-negative counts, but X contains "
            f"{values.min().item()!r}. Pass the raw counts, not centred or scaled "
            "values, or use MUNGE for continuous features."
        )
    return values.astype(np.int64)


def resolve_synthetic(synthetic, student, X):
    """Return the generator of synthetic rows for one fit, or None.

    ``synthetic="auto"`` gives ``MUNGE()`` under two conditions. The student
    is a decision tree, alone or as a Pipeline's last step. And ``X`` is a
    dense numeric array or DataFrame, free of NaN and infinity, with more
    columns than rows and at most ``AUTO_MUNGE_MAX_ROWS`` rows. Otherwise it
    gives None. On such data many genes split
    the few rows equally well, so a tree fitted on the soft labels of those
    rows alone picks among them by the noise of the teacher's probabilities.
    Synthetic rows between the real ones, labelled by the teacher, make that
    choice follow the teacher's function instead. None stays None, and a
    generator is returned as a clone. A class instead of an instance raises
    ValueError.
    """
    if isinstance(synthetic, type):
        raise ValueError(
            f"synthetic={synthetic.__name__} is a class. Pass an instance, such "
            f"as synthetic={synthetic.__name__}()."
        )
    if synthetic is None:
        return None
    if not isinstance(synthetic, str):
        # A copy, so that set_params on the distiller leaves the fitted
        # generator describing the rows that the student learned.
        return clone(synthetic, safe=False)
    if (
        _is_tree_student(student)
        and _num_samples(X) <= AUTO_MUNGE_MAX_ROWS
        and _is_wide_numeric(X)
    ):
        return MUNGE()
    return None


def _is_tree_student(student):
    return isinstance(final_step(student), BaseDecisionTree)


def _is_wide_numeric(X):
    """Tell whether X is a dense numeric matrix with more columns than rows."""
    if _is_dataframe(X):
        types = sys.modules["pandas"].api.types
        if not all(
            types.is_numeric_dtype(dtype) and not types.is_complex_dtype(dtype)
            for dtype in X.dtypes
        ):
            return False
        values = X.to_numpy(dtype=np.float64, na_value=np.nan)
    elif isinstance(X, np.ndarray) and X.dtype.kind in "biuf":
        values = X
    else:
        return False
    if values.ndim != 2:
        return False
    n_samples, n_features = values.shape
    return n_features > n_samples and bool(np.isfinite(values).all())
