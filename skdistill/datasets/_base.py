"""Shared code that reads and checks the CSV files bundled with skdistill."""

# SPDX-License-Identifier: BSD-3-Clause

import csv
import gzip
from collections import Counter
from dataclasses import dataclass
from importlib import resources

import numpy as np
from sklearn.utils import Bunch

_DATA_PACKAGE = "skdistill.datasets"
_TARGET_COLUMN = "label"


@dataclass(frozen=True)
class _BundledTable:
    """Expected layout and content of one bundled CSV file.

    Every bundled file is a gzip-compressed CSV file with a header line, one
    column per feature and the class name in a last column named 'label'.
    The shape and class counts are checked on every load so that a damaged or
    replaced file fails loudly instead of training on wrong data.
    """

    filename: str
    n_samples: int
    n_features: int
    class_counts: dict
    descr: str
    # np.float64 for numeric features, object for features stored as Python
    # strings.
    feature_dtype: type = np.float64
    # The set of allowed feature values for string features, or None to skip
    # the check.
    feature_values: frozenset | None = None


def _load_bundled(table, *, return_X_y, as_frame):
    """Load a bundled table as a Bunch or as ``(data, target)``.

    This is the shared body of the public loaders, which document the
    parameters and the returned fields.
    """
    use_pandas = _resolve_as_frame(as_frame)
    resource = resources.files(_DATA_PACKAGE).joinpath("data", table.filename)

    if use_pandas:
        data, target, frame = _read_csv_pandas(resource, table)
        feature_names = [str(name) for name in data.columns]
        data_values = data.to_numpy()
        target_values = target.to_numpy()
    else:
        feature_names, data, target = _read_csv_stdlib(resource, table)
        frame = None
        data_values = data
        target_values = target

    _validate(table, data_values, target_values)

    if return_X_y:
        return data, target

    return Bunch(
        data=data,
        target=target,
        feature_names=feature_names,
        target_names=np.unique(target_values),
        frame=frame,
        DESCR=table.descr,
        filename=str(resource),
    )


def _resolve_as_frame(as_frame):
    """Return whether to build pandas objects, raising on an invalid value."""
    if isinstance(as_frame, str) and as_frame == "auto":
        try:
            import pandas  # noqa: F401
        except ImportError:
            return False
        return True

    if not isinstance(as_frame, bool | np.bool_):
        raise ValueError(
            f"Invalid value for as_frame: {as_frame!r}. Use True, False or 'auto'."
        )

    if as_frame:
        try:
            import pandas  # noqa: F401
        except ImportError as exc:
            raise ImportError(
                "as_frame=True requires pandas, which is not installed. "
                'Install it with `pip install "skdistill[pandas]"`, '
                "or pass as_frame=False to get NumPy arrays."
            ) from exc
    return bool(as_frame)


def _read_csv_pandas(resource, table):
    """Read a bundled CSV file into (data, target, frame) pandas objects."""
    import pandas as pd

    with resource.open("rb") as compressed:
        with gzip.open(compressed, mode="rt", encoding="utf-8", newline="") as text:
            # pandas would rename an empty header cell to "Unnamed: N", so the
            # header is parsed here and passed as the column names unchanged.
            header = next(csv.reader([text.readline()]))
            _check_header(header, table.filename)

            # Object columns hold Python strings in every pandas version,
            # where pandas 3 would otherwise infer its `str` dtype.
            column_dtypes = dict.fromkeys(header[:-1], table.feature_dtype)
            column_dtypes[_TARGET_COLUMN] = object
            frame = pd.read_csv(
                text,
                header=None,
                names=header,
                dtype=column_dtypes,
                # Keep every value as written, so that the splice class 'N'
                # or a string such as 'NA' never becomes NaN.
                na_filter=False,
                # Never use a surplus first field as the row index.
                index_col=False,
            )

    data = frame[header[:-1]]
    target = frame[_TARGET_COLUMN]
    return data, target, frame


def _read_csv_stdlib(resource, table):
    """Read a bundled CSV file with the csv module, without pandas.

    Returns the feature names, an array of features with
    ``table.feature_dtype`` and an object array of class names.
    """
    with resource.open("rb") as compressed:
        with gzip.open(compressed, mode="rt", encoding="utf-8", newline="") as text:
            rows = csv.reader(text)
            header = next(rows)
            _check_header(header, table.filename)
            records = list(rows)

    for line_number, record in enumerate(records, start=2):
        if len(record) != len(header):
            raise ValueError(
                f"Bundled file {table.filename} is damaged: line {line_number} "
                f"has {len(record)} fields, expected {len(header)}. "
                "Reinstall skdistill."
            )

    feature_names = header[:-1]
    data = np.array([record[:-1] for record in records], dtype=table.feature_dtype)
    target = np.array([record[-1] for record in records], dtype=object)
    return feature_names, data, target


def _check_header(header, filename):
    """Raise ValueError unless the last column of a bundled file is the label."""
    if header[-1] != _TARGET_COLUMN:
        raise ValueError(
            f"Bundled file {filename} is damaged: its last column is "
            f"{header[-1]!r}, expected {_TARGET_COLUMN!r}. Reinstall skdistill."
        )


def _validate(table, data, target):
    """Raise ValueError unless the loaded arrays match the bundled file.

    ``data`` and ``target`` are NumPy arrays. The checks are the shape, the
    class counts, missing values and, for string features, the set of values.
    """
    expected_shape = (table.n_samples, table.n_features)
    if data.shape != expected_shape:
        raise ValueError(
            f"Bundled file {table.filename} is damaged: it has shape "
            f"{data.shape}, expected {expected_shape}. Reinstall skdistill."
        )

    class_counts = dict(Counter(target.tolist()))
    if class_counts != table.class_counts:
        raise ValueError(
            f"Bundled file {table.filename} is damaged: its class counts are "
            f"{class_counts}, expected {table.class_counts}. Reinstall skdistill."
        )

    if data.dtype == object:
        _check_string_values(table, data)
    elif np.isnan(data).any():
        raise ValueError(
            f"Bundled file {table.filename} is damaged: it has "
            f"{int(np.isnan(data).sum())} missing feature values, expected none. "
            "Reinstall skdistill."
        )


def _check_string_values(table, data):
    """Raise ValueError unless every feature is a string from the allowed set."""
    values = set(data.ravel().tolist())
    non_strings = [value for value in values if not isinstance(value, str)]
    if non_strings:
        raise ValueError(
            f"Bundled file {table.filename} is damaged: it has non-string "
            f"feature values such as {non_strings[0]!r}. Reinstall skdistill."
        )

    allowed = table.feature_values
    if allowed is not None and not values <= allowed:
        raise ValueError(
            f"Bundled file {table.filename} is damaged: it has the feature "
            f"values {sorted(values - allowed)}, expected only {sorted(allowed)}. "
            "Reinstall skdistill."
        )
