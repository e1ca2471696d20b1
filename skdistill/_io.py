"""Read data tables for the command line and write its prediction files.

Text tables (``.csv``, ``.tsv``, ``.txt``, each optionally gzip-compressed
with a further ``.gz``) are read with the standard :mod:`csv` module, so
pandas is not needed. AnnData files (``.h5ad``) need the optional ``anndata``
package; their matrix is kept sparse when it is stored sparse.
"""

# SPDX-License-Identifier: BSD-3-Clause

import csv
import gzip
import hashlib
import itertools
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from skdistill._atomic import atomic_path
from skdistill._messages import count_noun

TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
ANNDATA_SUFFIX = ".h5ad"

# Cells that a text table may use for a missing feature value. They become NaN.
MISSING_MARKERS = ("", "NA", "N/A", "NaN", "nan")

# At most this many names are listed in an error message.
MAX_LISTED = 5


class CommandError(Exception):
    """A problem with the command's input or output, reported in one line.

    The message names the value at fault and the fix. The command prints it
    after ``skdistill: error:`` and exits with status 2.
    """


@dataclass
class Table:
    """Feature matrix, labels and row ids read from one data file.

    Attributes
    ----------
    X : ndarray or scipy.sparse.csr_matrix of shape (n_samples, n_features)
        Feature values as float64; NaN where a value is missing.

    feature_names : list of str
        Column names of ``X``.

    y : ndarray of str of shape (n_samples,) or None
        Labels as strings, or None when the file has no label column.

    row_ids : list of str
        One id per row: the id column or the AnnData ``obs_names``, or the
        0-based row position.

    label : str or None
        Name of the label column that was read.
    """

    X: object
    feature_names: list
    y: np.ndarray | None
    row_ids: list
    label: str | None


def list_some(names):
    """Format up to five names for an error message, with the count of the rest."""
    names = list(names)
    listed = ", ".join(repr(str(name)) for name in names[:MAX_LISTED])
    if len(names) > MAX_LISTED:
        listed += f" and {len(names) - MAX_LISTED} more"
    return listed


def split_suffix(path):
    """Return ``(suffix, compressed)`` of a file name, looking past ``.gz``."""
    suffixes = [suffix.lower() for suffix in Path(path).suffixes]
    compressed = bool(suffixes) and suffixes[-1] == ".gz"
    if compressed:
        suffixes = suffixes[:-1]
    return (suffixes[-1] if suffixes else ""), compressed


def check_table_suffix(path, *, option, allow_anndata):
    """Raise CommandError unless the suffix of ``path`` is a supported format."""
    suffix, compressed = split_suffix(path)
    accepted = list(TEXT_SUFFIXES)
    if allow_anndata:
        accepted.append(ANNDATA_SUFFIX)
    if suffix in TEXT_SUFFIXES:
        return
    if allow_anndata and suffix == ANNDATA_SUFFIX and not compressed:
        return
    raise CommandError(
        f"{option} {path}: unsupported file type {''.join(Path(path).suffixes)!r}. "
        f"Use a file ending in {', '.join(accepted)} (text tables may add .gz)."
    )


def file_sha256(path):
    """Return the SHA-256 hex digest of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_table(
    path, *, label=None, label_required=True, id_column=None, expected_features=None
):
    """Read a text table or an AnnData file.

    Parameters
    ----------
    path : path-like
        The data file. Its suffix sets the format.

    label : str, default=None
        Name of the label column (an ``obs`` column of an AnnData file).

    label_required : bool, default=True
        Raise when ``label`` is missing from the file. With False, a missing
        label column is ignored and ``Table.y`` is None.

    id_column : str, default=None
        Name of a column of row ids, which is not read as a feature.

    expected_features : list of str, default=None
        Feature names that a model reads. The file's feature columns must be
        the same set, in any order; a text table is checked before its values
        are parsed.

    Returns
    -------
    table : Table

    Raises
    ------
    CommandError
        If the file is missing, unreadable or malformed, if a named column is
        missing, or if a feature value is not a number.
    """
    path = Path(path)
    check_table_suffix(path, option="DATA", allow_anndata=True)
    if not path.is_file():
        raise CommandError(f"data file not found: {path}. Check the path.")
    suffix, compressed = split_suffix(path)
    if suffix == ANNDATA_SUFFIX:
        table = _read_anndata(path, label, label_required, id_column)
        if expected_features is not None:
            check_feature_names(table.feature_names, expected_features, path)
        return table
    return _read_text_table(
        path, suffix, compressed, label, label_required, id_column, expected_features
    )


def _open_text(path, compressed, mode):
    if compressed:
        return gzip.open(path, mode + "t", encoding="utf-8", newline="")
    return open(path, mode, encoding="utf-8", newline="")


def _read_text_table(
    path, suffix, compressed, label, label_required, id_column, expected_features
):
    try:
        header, rows, line_numbers = _read_rows(path, suffix, compressed)
    # EOFError and zlib.error come from a gzip file cut short or damaged, as
    # an interrupted download leaves it.
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, csv.Error) as exc:
        raise CommandError(
            f"cannot read {path} as a UTF-8 text table: {exc}. Check that the file "
            "is a complete CSV or TSV file."
        ) from None

    if label is not None and label == id_column:
        raise CommandError(
            f"--label and --id both name the column {label!r}. Pass the column "
            "of class labels to --label and a different column of row ids to "
            "--id."
        )
    special = {}
    for option, name in (("--label", label), ("--id", id_column)):
        if name is None:
            continue
        if name in header:
            special[option] = header.index(name)
        elif option == "--id" or label_required:
            raise CommandError(_missing_column_message(option, name, path, header))

    feature_positions = [
        position for position in range(len(header)) if position not in special.values()
    ]
    feature_names = [header[position] for position in feature_positions]
    _check_index_column(header, special, path)
    _check_unique_names(feature_names, path)

    if expected_features is not None:
        check_feature_names(feature_names, expected_features, path)
    X = _parse_numbers(rows, feature_positions, feature_names, line_numbers, path)
    y = None
    if "--label" in special:
        y = _label_values(rows, special["--label"], label, line_numbers, path)
    if "--id" in special:
        row_ids = [row[special["--id"]] for row in rows]
    else:
        row_ids = [str(position) for position in range(len(rows))]
    return Table(
        X=X,
        feature_names=feature_names,
        y=y,
        row_ids=row_ids,
        label=label if "--label" in special else None,
    )


def _read_rows(path, suffix, compressed):
    """Return the header, the rows and the line number of each row."""
    with _open_text(path, compressed, "r") as file:
        first_line = file.readline()
        if suffix == ".csv":
            delimiter = ","
        elif suffix == ".tsv":
            delimiter = "\t"
        else:
            # A .txt file is tab-separated when its header line has a tab.
            delimiter = "\t" if "\t" in first_line else ","
        reader = csv.reader(itertools.chain([first_line], file), delimiter=delimiter)
        header = next(reader, None)
        if not header:
            raise CommandError(
                f"{path} is empty. Pass a table whose first line names the columns."
            )
        rows = []
        line_numbers = []
        for row in reader:
            if not row:
                continue
            if len(row) != len(header):
                raise CommandError(
                    f"{path}, line {reader.line_num}: {len(row)} fields, but the "
                    f"header has {len(header)}. Give every row one value per column."
                )
            rows.append(row)
            line_numbers.append(reader.line_num)
    if not rows:
        raise CommandError(f"{path} has a header but no data rows. Add rows.")
    return header, rows, line_numbers


def _missing_column_message(option, name, path, columns):
    return (
        f"{option} {name!r}: no such column in {path}. Available columns include "
        f"{list_some(columns)}. Pass one of them to {option}."
    )


def _check_index_column(header, special, path):
    # pandas' to_csv writes the row index as a first column with an empty
    # name. Read as a feature, an index of rows sorted by class would give the
    # labels away. An empty name further right is an unnamed feature, as one
    # gene of SRBCT is.
    if header[0] == "" and 0 not in special.values():
        raise CommandError(
            f"the first column of {path} has no name, as a row index written by "
            "pandas' to_csv has. Write the file with index=False, or name the "
            "column and pass it to --id."
        )


def _check_unique_names(names, path):
    seen = set()
    repeated = []
    for name in names:
        if name in seen and name not in repeated:
            repeated.append(name)
        seen.add(name)
    if repeated:
        raise CommandError(
            f"{path} has repeated column names {list_some(repeated)}. Give every "
            "feature column its own name, since columns are matched by name."
        )


def _parse_numbers(rows, positions, names, line_numbers, path):
    cells = np.array([[row[position] for position in positions] for row in rows])
    cells = cells.reshape(len(rows), len(positions))
    cells[np.isin(cells, MISSING_MARKERS)] = "nan"
    try:
        X = cells.astype(np.float64)
    except ValueError:
        column, row = _first_non_number(cells)
        raise CommandError(
            f"column {names[column]!r} of {path} is not numeric: line "
            f"{line_numbers[row]} has {str(cells[row, column])!r}. The teachers and "
            "students need numeric features; encode this column as numbers (for "
            "example one column per category) or drop it."
        ) from None
    infinite = np.argwhere(np.isinf(X))
    if len(infinite):
        row, column = infinite[0]
        raise CommandError(
            f"column {names[column]!r} of {path} has the infinite value "
            f"{str(cells[row, column])!r} on line {line_numbers[row]}. Replace it "
            "with a finite number, or leave the cell empty to mark it missing."
        )
    return X


def check_feature_names(names, expected, path):
    """Raise CommandError unless ``names`` and ``expected`` are the same set."""
    present = set(names)
    expected_set = set(expected)
    missing = [name for name in expected if name not in present]
    extra = [name for name in names if name not in expected_set]
    if not (missing or extra):
        return
    problems = []
    if missing:
        problems.append(f"missing {len(missing)}: {list_some(missing)}")
    if extra:
        problems.append(f"unexpected {len(extra)}: {list_some(extra)}")
    raise CommandError(
        f"the feature columns of {path} differ from the model's "
        f"({'; '.join(problems)}). Pass exactly the model's feature columns, "
        "and name a label column with --label and an id column with --id."
    )


def _first_non_number(cells):
    """Return (column, row) of the first cell that is not a number."""
    for column in range(cells.shape[1]):
        for row in range(cells.shape[0]):
            try:
                float(cells[row, column])
            except ValueError:
                return column, row
    raise AssertionError("every cell converts to float")


def _label_values(rows, position, label, line_numbers, path):
    y = np.array([row[position] for row in rows], dtype=object)
    empty = np.flatnonzero(np.isin(y, MISSING_MARKERS))
    if len(empty):
        raise CommandError(
            f"label column {label!r} of {path} is empty on line "
            f"{line_numbers[empty[0]]} ({count_noun(len(empty), 'row')} in all). "
            "Fill in the labels or remove the unlabelled rows."
        )
    return y


def _read_anndata(path, label, label_required, id_column):
    try:
        import anndata
    except ImportError:
        raise CommandError(
            f"reading {path} needs anndata, which is not installed. Install it "
            'with `pip install "skdistill[anndata]"`, or pass a CSV or TSV file.'
        ) from None
    try:
        adata = anndata.read_h5ad(path)
    except (OSError, KeyError, ValueError, TypeError) as exc:
        raise CommandError(
            f"cannot read {path} as an AnnData file: {exc}. Check that it was "
            "written by anndata.AnnData.write_h5ad."
        ) from None

    if adata.X is None:
        raise CommandError(
            f"{path} has no X matrix. Store the features in X, not only in layers."
        )
    obs_columns = [str(name) for name in adata.obs.columns]
    y = None
    if label is not None and label in adata.obs.columns:
        y = _anndata_labels(adata.obs[label], label, path)
    elif label is not None and label_required:
        raise CommandError(
            f"--label {label!r}: no such obs column in {path}. Available obs "
            f"columns include {list_some(obs_columns)}. Pass one of them to --label."
        )
    if id_column is None:
        row_ids = [str(name) for name in adata.obs_names]
    elif id_column in adata.obs.columns:
        row_ids = [str(value) for value in adata.obs[id_column]]
    else:
        raise CommandError(
            _missing_column_message("--id", id_column, path, obs_columns)
        )

    feature_names = [str(name) for name in adata.var_names]
    _check_unique_names(feature_names, path)
    return Table(
        X=_anndata_matrix(adata.X, path),
        feature_names=feature_names,
        y=y,
        row_ids=row_ids,
        label=label if y is not None else None,
    )


def _anndata_matrix(X, path):
    if sp.issparse(X):
        if X.dtype.kind not in "fiub":
            raise CommandError(
                f"X of {path} has dtype {X.dtype}. Store numeric features in X."
            )
        # CSR is the sparse layout that the estimators index by row.
        return sp.csr_matrix(X, dtype=np.float64)
    try:
        return np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError):
        raise CommandError(
            f"X of {path} is not numeric (dtype {np.asarray(X).dtype}). Store "
            "numeric features in X."
        ) from None


def _anndata_labels(column, label, path):
    missing = np.flatnonzero(column.isna().to_numpy())
    if len(missing):
        raise CommandError(
            f"obs column {label!r} of {path} has no label for observation "
            f"{str(column.index[missing[0]])!r} ({len(missing)} in all). Fill in "
            "the labels or remove those observations."
        )
    return np.array([str(value) for value in column], dtype=object)


def write_predictions(path, row_ids, predicted, proba, classes):
    """Write one row per sample: id, predicted label and class probabilities.

    The columns are ``id``, ``predicted`` and ``proba_<class>`` for each class.
    A ``.tsv`` or ``.txt`` name gives a tab-separated file, any other a CSV
    file, and a further ``.gz`` compresses it. Probabilities are written with
    ``repr``, which reads back as the same float64. The file appears only when
    complete.
    """
    suffix, compressed = split_suffix(path)
    delimiter = "\t" if suffix in (".tsv", ".txt") else ","
    header = ["id", "predicted", *(f"proba_{label}" for label in classes)]
    with atomic_path(path) as temporary:
        with _open_text(temporary, compressed, "w") as file:
            writer = csv.writer(file, delimiter=delimiter, lineterminator="\n")
            writer.writerow(header)
            for row_id, label, row in zip(row_ids, predicted, proba, strict=True):
                writer.writerow([row_id, label, *(repr(float(p)) for p in row)])
