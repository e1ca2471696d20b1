"""Loader for the Khan SRBCT tumour gene-expression data set."""

# SPDX-License-Identifier: BSD-3-Clause

from skdistill.datasets._base import _BundledTable, _load_bundled

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

_SRBCT = _BundledTable(
    filename="srbct.csv.gz",
    n_samples=83,
    n_features=2308,
    class_counts={"EWS": 29, "RMS": 25, "NB": 18, "BL": 11},
    descr=_SRBCT_DESCR,
)


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
        does not have the expected columns, shape or class counts or has a
        missing value, which means the installation is damaged.
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
    return _load_bundled(_SRBCT, return_X_y=return_X_y, as_frame=as_frame)
