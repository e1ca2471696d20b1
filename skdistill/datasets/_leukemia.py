"""Loader for the Golub acute leukaemia gene-expression data set."""

# SPDX-License-Identifier: BSD-3-Clause

from skdistill.datasets._base import _BundledTable, _load_bundled

_LEUKEMIA_DESCR = """\
Golub acute leukaemia (ALL vs AML)
----------------------------------

Affymetrix Hu6800 (HuGeneFL) expression profiles of bone-marrow and
peripheral-blood samples from acute leukaemia patients. The task is to tell
acute lymphoblastic leukaemia (ALL) from acute myeloid leukaemia (AML).

:Number of samples: 72
:Number of features: 5147 of the chip's 7129 probe sets, named by the
    Affymetrix probe-set identifier (for example 'AFFX-BioC-5_at' or
    'M71243_f_at'). The source does not say how the 5147 were chosen.
:Feature values: raw expression levels on the Affymetrix "average
    difference" scale, not log-transformed, from -10162 to 71369. About 15 %
    of the values are negative.
:Classes: ALL 47, AML 25
:Missing values: none

The file stores every value as an integer. The loader returns float64 so
that centring, scaling and other transforms, in place or not, keep their
fractional results. Scale or transform the values before fitting a
scale-sensitive model such as an SVM, k-nearest neighbours or penalised
logistic regression, because the raw range is wide.

Rows 1-38 are Golub's training set (27 ALL, then 11 AML) and rows 39-72 are
the independent test set (20 ALL, then 14 AML), so data[:38] and data[38:]
rebuild the original split. Within each part the rows are grouped by class,
so shuffle or stratify before any other split.

Reference: T. R. Golub et al., "Molecular classification of cancer: class
discovery and class prediction by gene expression monitoring", Science
286(5439):531-537, 1999.

The source, license status and SHA-256 of the bundled file are listed in
skdistill/datasets/data/README.md.
"""

_LEUKEMIA = _BundledTable(
    filename="leukemia_golub.csv.gz",
    n_samples=72,
    n_features=5147,
    class_counts={"ALL": 47, "AML": 25},
    descr=_LEUKEMIA_DESCR,
)


def load_leukemia(*, return_X_y=False, as_frame="auto"):
    """Load the Golub ALL/AML leukaemia gene-expression data set (classification).

    The data set has 72 acute leukaemia samples, each described by the
    expression of 5147 Affymetrix probe sets. The task is to tell acute
    lymphoblastic leukaemia (ALL) from acute myeloid leukaemia (AML). It ships
    with skdistill, so loading it needs no network access.

    =================   ==============
    Classes                          2
    Samples per class          47/25
    Samples total                   72
    Dimensionality                5147
    Features             real, integer
    =================   ==============

    The values are raw and not log-transformed, range from -10162 to 71369
    and include negatives. They are stored as integers and returned as
    float64, so scale or transform them before fitting a scale-sensitive
    model. The first 38 rows are the original training set and the last 34
    the original test set, each grouped by class.

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

        data : {ndarray, DataFrame} of shape (72, 5147)
            Expression values, float64. The DataFrame's columns are the
            feature names.
        target : {ndarray, Series} of shape (72,)
            Class name of each sample, 'ALL' or 'AML', stored as Python
            strings in an object array or Series.
        feature_names : list of str
            The Affymetrix probe-set identifiers, such as 'AFFX-BioC-5_at'.
        target_names : ndarray of shape (2,)
            The class names in sorted order.
        frame : DataFrame of shape (72, 5148) or None
            ``data`` with the ``target`` column 'label' appended. None unless
            the data is returned as pandas objects.
        DESCR : str
            Description of the data set.
        filename : str
            Location of the bundled ``leukemia_golub.csv.gz`` file.

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
    T. R. Golub et al., "Molecular classification of cancer: class discovery
    and class prediction by gene expression monitoring", Science
    286(5439):531-537, 1999.

    Examples
    --------
    >>> from skdistill.datasets import load_leukemia
    >>> X, y = load_leukemia(return_X_y=True, as_frame=False)
    >>> X.shape
    (72, 5147)
    >>> X.dtype
    dtype('float64')
    >>> sorted(set(y))
    ['ALL', 'AML']
    >>> from collections import Counter
    >>> sorted(Counter(y[:38]).items())  # the original training set
    [('ALL', 27), ('AML', 11)]
    >>> sorted(Counter(y[38:]).items())  # the original test set
    [('ALL', 20), ('AML', 14)]
    """
    return _load_bundled(_LEUKEMIA, return_X_y=return_X_y, as_frame=as_frame)
