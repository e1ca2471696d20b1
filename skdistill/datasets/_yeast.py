"""Loader for the UCI yeast protein localization data set."""

# SPDX-License-Identifier: BSD-3-Clause

from skdistill.datasets._base import _BundledTable, _load_bundled

_YEAST_DESCR = """\
Yeast protein localization sites (UCI Yeast)
--------------------------------------------

Saccharomyces cerevisiae proteins, each described by eight scores that
signal-sequence and sorting-signal predictors compute from its amino-acid
sequence. The task is to predict where in the cell the protein is located.

:Number of samples: 1484
:Number of features: 8
    - mcg: McGeoch's method for signal-sequence recognition
    - gvh: von Heijne's method for signal-sequence recognition
    - alm: ALOM score for membrane-spanning regions
    - mit: discriminant score of the N-terminal region for mitochondrial
      proteins
    - erl: presence of the HDEL substring, only 0.5 or 1.0 in this data
    - pox: peroxisomal targeting signal at the C-terminus
    - vac: discriminant score for vacuolar versus extracellular proteins
    - nuc: score for nuclear localization signals
:Feature values: in [0, 1] with two decimals, already scaled by the
    original authors
:Classes: CYT (cytosolic or cytoskeletal) 463, NUC (nuclear) 429,
    MIT (mitochondrial) 244, ME3 (membrane protein, no N-terminal signal)
    163, ME2 (membrane protein, uncleaved signal) 51, ME1 (membrane protein,
    cleaved signal) 44, EXC (extracellular) 35, VAC (vacuolar) 30,
    POX (peroxisomal) 20, ERL (endoplasmic reticulum lumen) 5
:Missing values: none

The classes are heavily imbalanced. ERL has only 5 samples, so a stratified
split into more than 5 folds leaves some folds without ERL.

31 rows repeat an earlier row exactly, label included, and no feature vector
occurs with two labels. They are kept as in the original. The original
documentation (yeast.names) counts 37 EXC proteins, but its data file has
35, the number given here.

Rows keep the source order, in which the classes are interleaved.

Reference: P. Horton and K. Nakai, "A Probabilistic Classification System
for Predicting the Cellular Localization Sites of Proteins", Intelligent
Systems in Molecular Biology (ISMB), 109-115, St. Louis, 1996.

The source, license status and SHA-256 of the bundled file are listed in
skdistill/datasets/data/README.md.
"""

_YEAST = _BundledTable(
    filename="yeast.csv.gz",
    n_samples=1484,
    n_features=8,
    class_counts={
        "CYT": 463,
        "NUC": 429,
        "MIT": 244,
        "ME3": 163,
        "ME2": 51,
        "ME1": 44,
        "EXC": 35,
        "VAC": 30,
        "POX": 20,
        "ERL": 5,
    },
    descr=_YEAST_DESCR,
)


def load_yeast(*, return_X_y=False, as_frame="auto"):
    """Load the UCI yeast protein localization data set (classification).

    The data set has 1484 yeast proteins, each described by 8 scores computed
    from its amino-acid sequence, and labelled with one of 10 subcellular
    localization sites. It ships with skdistill, so loading it needs no
    network access.

    =================   ==============
    Classes                         10
    Samples per class         463 to 5
    Samples total                 1484
    Dimensionality                   8
    Features             real, [0, 1]
    =================   ==============

    The classes are heavily imbalanced: the smallest, 'ERL', has 5 samples.
    31 rows are exact duplicates of earlier rows and are kept.

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

        data : {ndarray, DataFrame} of shape (1484, 8)
            Feature scores, float64. The DataFrame's columns are the feature
            names.
        target : {ndarray, Series} of shape (1484,)
            Localization site of each protein, such as 'CYT' or 'MIT', stored
            as Python strings in an object array or Series.
        feature_names : list of str
            'mcg', 'gvh', 'alm', 'mit', 'erl', 'pox', 'vac' and 'nuc'.
        target_names : ndarray of shape (10,)
            The class names in sorted order.
        frame : DataFrame of shape (1484, 9) or None
            ``data`` with the ``target`` column 'label' appended. None unless
            the data is returned as pandas objects.
        DESCR : str
            Description of the data set.
        filename : str
            Location of the bundled ``yeast.csv.gz`` file.

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
    P. Horton and K. Nakai, "A Probabilistic Classification System for
    Predicting the Cellular Localization Sites of Proteins", Intelligent
    Systems in Molecular Biology (ISMB), 109-115, St. Louis, 1996.

    Examples
    --------
    >>> from skdistill.datasets import load_yeast
    >>> bunch = load_yeast(as_frame=False)
    >>> bunch.data.shape
    (1484, 8)
    >>> bunch.data.dtype
    dtype('float64')
    >>> bunch.feature_names
    ['mcg', 'gvh', 'alm', 'mit', 'erl', 'pox', 'vac', 'nuc']
    >>> bunch.target_names.tolist()
    ['CYT', 'ERL', 'EXC', 'ME1', 'ME2', 'ME3', 'MIT', 'NUC', 'POX', 'VAC']
    """
    return _load_bundled(_YEAST, return_X_y=return_X_y, as_frame=as_frame)
