"""Loaders for the data sets bundled with skdistill."""

# SPDX-License-Identifier: BSD-3-Clause

import csv
import gzip
from collections import Counter
from importlib import resources

import numpy as np
from sklearn.utils import Bunch

_DATA_PACKAGE = "skdistill.datasets"
_SRBCT_FILE = "srbct.csv.gz"
_TARGET_COLUMN = "label"

# Shape and class counts of the bundled file, checked on every load so that a
# damaged or replaced file fails loudly instead of training on wrong data.
_SRBCT_N_SAMPLES = 83
_SRBCT_N_FEATURES = 2308
_SRBCT_CLASS_COUNTS = {"EWS": 29, "RMS": 25, "NB": 18, "BL": 11}

_SRBCT_DESCR = """\
Khan small round blue cell tumours (SRBCT)
------------------------------------------

cDNA microarray expression of four childhood tumours that look alike under
routine histology. The task is to predict the tumour type of each sample.

:Number of samples: 83
:Number of features: 2308, one per cDNA clone, named by the clone
    identifier as a string. 2276 names are digits (for example '21652').
    27 are an identifier followed by '-2', four are only '-2' to '-5', and
    one is empty.
:Feature values: positive expression levels, not log-transformed,
    0.0025 to 32.66
:Classes: EWS (Ewing sarcoma) 29, RMS (rhabdomyosarcoma) 25,
    NB (neuroblastoma) 18, BL (Burkitt lymphoma) 11
:Missing values: none

Rows are grouped by class, so shuffle or stratify before splitting.

Reference: J. Khan et al., "Classification and diagnostic prediction of
cancers using gene expression profiling and artificial neural networks",
Nature Medicine 7(6):673-679, 2001.

The source, license status and SHA-256 of the bundled file are listed in
skdistill/datasets/data/README.md.
"""


def load_srbct(*, return_X_y=False, as_frame="auto"):
    """Load the Khan SRBCT tumour gene-expression data set (classification).

    The data set has 83 samples of four small round blue cell tumours of
    childhood, each described by the expression of 2308 cDNA clones. It ships
    with skdistill, so loading it needs no network access.

    =================   ==============
    Classes                          4
    Samples per class     29/25/18/11
    Samples total                   83
    Dimensionality                2308
    Features            real, positive
    =================   ==============

    The rows are stored grouped by class, so shuffle them or use a stratified
    split before holding out test rows.

    Parameters
    ----------
    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch object.

    as_frame : bool or 'auto', default='auto'
        If True, ``data`` is a pandas DataFrame, ``target`` a pandas Series
        and ``frame`` a DataFrame with both. If False, ``data`` is a float64
        NumPy array, ``target`` a NumPy array of class names and ``frame`` is
        None. 'auto' means True when pandas can be imported and False
        otherwise.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with the following attributes.

        data : {ndarray, DataFrame} of shape (83, 2308)
            Expression values, float64. The DataFrame's columns are the
            feature names.
        target : {ndarray, Series} of shape (83,)
            Class name of each sample: 'EWS', 'RMS', 'NB' or 'BL', stored as
            Python strings in an object array or Series.
        feature_names : list of str
            The cDNA clone identifiers exactly as the file's header writes
            them, such as '21652'. One name is the empty string.
        target_names : ndarray of shape (4,)
            The class names in sorted order.
        frame : DataFrame of shape (83, 2309) or None
            ``data`` with the ``target`` column 'label' appended. None unless
            the data is returned as pandas objects.
        DESCR : str
            Description of the data set.
        filename : str
            Location of the bundled ``srbct.csv.gz`` file.

    (data, target) : tuple if ``return_X_y`` is True
        The ``data`` and ``target`` described above.

    Raises
    ------
    ValueError
        If ``as_frame`` is not True, False or 'auto', or if the bundled file
        does not have the expected columns, shape or class counts, which means
        the installation is damaged.
    ImportError
        If ``as_frame`` is True and pandas is not installed.

    References
    ----------
    J. Khan et al., "Classification and diagnostic prediction of cancers using
    gene expression profiling and artificial neural networks", Nature Medicine
    7(6):673-679, 2001.

    Examples
    --------
    >>> from skdistill.datasets import load_srbct
    >>> X, y = load_srbct(return_X_y=True, as_frame=False)
    >>> X.shape
    (83, 2308)
    >>> X.dtype
    dtype('float64')
    >>> sorted(set(y))
    ['BL', 'EWS', 'NB', 'RMS']
    >>> load_srbct(as_frame=False).feature_names[:3]
    ['21652', '25725', '26184']
    """
    use_pandas = _resolve_as_frame(as_frame)
    resource = resources.files(_DATA_PACKAGE).joinpath("data", _SRBCT_FILE)

    if use_pandas:
        data, target, frame = _read_csv_pandas(resource)
        feature_names = [str(name) for name in data.columns]
        target_values = target.to_numpy()
    else:
        feature_names, data, target = _read_csv_stdlib(resource)
        frame = None
        target_values = target

    _validate_srbct(data.shape, target_values)

    if return_X_y:
        return data, target

    return Bunch(
        data=data,
        target=target,
        feature_names=feature_names,
        target_names=np.unique(target_values),
        frame=frame,
        DESCR=_SRBCT_DESCR,
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
                "Install it with `pip install skdistill[pandas]`, "
                "or pass as_frame=False to get NumPy arrays."
            ) from exc
    return bool(as_frame)


def _read_csv_pandas(resource):
    """Read a bundled CSV file into (data, target, frame) pandas objects."""
    import pandas as pd

    with resource.open("rb") as compressed:
        with gzip.open(compressed, mode="rt", encoding="utf-8", newline="") as text:
            # pandas would rename an empty header cell to "Unnamed: N", so the
            # header is parsed here and passed as the column names unchanged.
            header = next(csv.reader([text.readline()]))
            _check_header(header)

            # The label column is read as object so that the class names are
            # Python strings whatever pandas' default string dtype is.
            column_dtypes = dict.fromkeys(header[:-1], np.float64)
            column_dtypes[_TARGET_COLUMN] = object
            frame = pd.read_csv(text, header=None, names=header, dtype=column_dtypes)

    data = frame[header[:-1]]
    target = frame[_TARGET_COLUMN]
    return data, target, frame


def _read_csv_stdlib(resource):
    """Read a bundled CSV file with the csv module, without pandas.

    Returns the feature names, a float64 array of features and an object
    array of class names.
    """
    with resource.open("rb") as compressed:
        with gzip.open(compressed, mode="rt", encoding="utf-8", newline="") as text:
            rows = csv.reader(text)
            header = next(rows)
            _check_header(header)
            records = list(rows)

    feature_names = header[:-1]
    data = np.array([record[:-1] for record in records], dtype=np.float64)
    target = np.array([record[-1] for record in records], dtype=object)
    return feature_names, data, target


def _check_header(header):
    """Raise ValueError unless the last column of a bundled file is the label."""
    if header[-1] != _TARGET_COLUMN:
        raise ValueError(
            f"Bundled file {_SRBCT_FILE} is damaged: its last column is "
            f"{header[-1]!r}, expected {_TARGET_COLUMN!r}. Reinstall skdistill."
        )


def _validate_srbct(data_shape, target):
    """Raise ValueError unless the loaded table has the bundled file's content."""
    expected_shape = (_SRBCT_N_SAMPLES, _SRBCT_N_FEATURES)
    if tuple(data_shape) != expected_shape:
        raise ValueError(
            f"Bundled file {_SRBCT_FILE} is damaged: it has shape "
            f"{tuple(data_shape)}, expected {expected_shape}. Reinstall skdistill."
        )

    class_counts = dict(Counter(target.tolist()))
    if class_counts != _SRBCT_CLASS_COUNTS:
        raise ValueError(
            f"Bundled file {_SRBCT_FILE} is damaged: its class counts are "
            f"{class_counts}, expected {_SRBCT_CLASS_COUNTS}. Reinstall skdistill."
        )
