"""Loader for the UCI primate splice-junction DNA sequence data set."""

# SPDX-License-Identifier: BSD-3-Clause

from skdistill.datasets._base import _BundledTable, _load_bundled

_SPLICE_DESCR = """\
Primate splice-junction gene sequences (UCI Splice-junction)
------------------------------------------------------------

60-nucleotide windows of primate DNA from GenBank 64.1. The task is to tell
whether the centre of the window is an exon-to-intron boundary (donor site),
an intron-to-exon boundary (acceptor site) or neither.

:Number of samples: 3190
:Number of features: 60, named 'p-30' to 'p-1' and 'p+1' to 'p+30' after
    their position relative to the candidate junction. There is no
    position 0.
:Feature values: one upper-case letter per position, A, C, G or T, or one
    of the IUPAC ambiguity codes N (any base, 56 times), D (A, G or T,
    twice), S (C or G, once) and R (A or G, once)
:Classes: EI (exon-intron boundary) 767, IE (intron-exon boundary) 768,
    N (neither) 1655
:Missing values: none. The class 'N' and the base 'N' are letters, not
    missing values.

The features are categorical, so encode them before fitting a numeric
model, for example with sklearn.preprocessing.OneHotEncoder.

The loader returns every letter as a Python str: an object array without
pandas, or a DataFrame of object columns with pandas. The columns are object
in pandas 3 as well, where the default string dtype is `str`. Call
.astype("string") on the DataFrame to get a pandas string dtype instead.

185 rows repeat the sequence of an earlier row: 88 EI, 95 IE and 2 N rows.
184 of them repeat its class too, but one sequence is labelled IE at index
1021 and N at index 1968. All rows are kept as in the original, so a random
split can put the same sequence on both sides.

Rows are grouped by class: 767 EI, then 768 IE, then 1655 N. Shuffle or
stratify before splitting.

Reference: M. O. Noordewier, G. G. Towell and J. W. Shavlik, "Training
Knowledge-Based Neural Networks to Recognize Genes in DNA Sequences",
Advances in Neural Information Processing Systems 3, 1991.

The source, license status and SHA-256 of the bundled file are listed in
skdistill/datasets/data/README.md.
"""

_SPLICE = _BundledTable(
    filename="splice.csv.gz",
    n_samples=3190,
    n_features=60,
    class_counts={"EI": 767, "IE": 768, "N": 1655},
    descr=_SPLICE_DESCR,
    feature_dtype=object,
    feature_values=frozenset("ACGTNDSR"),
)


def load_splice(*, return_X_y=False, as_frame="auto"):
    """Load the UCI primate splice-junction DNA data set (classification).

    The data set has 3190 windows of 60 nucleotides of primate DNA. The task
    is to tell whether each window is centred on an exon-intron boundary
    ('EI'), an intron-exon boundary ('IE') or neither ('N'). It ships with
    skdistill, so loading it needs no network access.

    =================   ==============
    Classes                          3
    Samples per class   767/768/1655
    Samples total                 3190
    Dimensionality                  60
    Features             categorical
    =================   ==============

    Each feature is one nucleotide letter, returned as a Python string and
    never converted to a number or to NaN: 'A', 'C', 'G', 'T' and the rare
    ambiguity codes 'N', 'D', 'S' and 'R'. Encode the features, for example
    with :class:`~sklearn.preprocessing.OneHotEncoder`, before fitting a
    numeric model. The rows are stored grouped by class, so shuffle them or
    use a stratified split before holding out test rows.

    Parameters
    ----------
    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch object.

    as_frame : bool or 'auto', default='auto'
        If True, ``data`` is a pandas DataFrame of object columns, ``target``
        a pandas Series and ``frame`` a DataFrame with both. If False,
        ``data`` is a NumPy array of dtype object, ``target`` a NumPy array
        of class names and ``frame`` is None. 'auto' means True when pandas
        can be imported and False otherwise.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with the following attributes.

        data : {ndarray, DataFrame} of shape (3190, 60)
            Nucleotide letters, stored as one-character Python strings in an
            object array or in object columns. The columns are object in
            every pandas version, including pandas 3 where the default
            string dtype is ``str``. The DataFrame's columns are the feature
            names.
        target : {ndarray, Series} of shape (3190,)
            Class name of each sample: 'EI', 'IE' or 'N', stored as Python
            strings in an object array or Series.
        feature_names : list of str
            The positions 'p-30' to 'p-1' and 'p+1' to 'p+30'.
        target_names : ndarray of shape (3,)
            The class names in sorted order.
        frame : DataFrame of shape (3190, 61) or None
            ``data`` with the ``target`` column 'label' appended. None unless
            the data is returned as pandas objects.
        DESCR : str
            Description of the data set.
        filename : str
            Location of the bundled ``splice.csv.gz`` file.

    (data, target) : tuple if ``return_X_y`` is True
        The ``data`` and ``target`` described above.

    Raises
    ------
    ValueError
        If ``as_frame`` is not True, False or 'auto', or if the bundled file
        does not have the expected columns, shape, class counts or letters,
        which means the installation is damaged.
    ImportError
        If ``as_frame`` is True and pandas is not installed.

    References
    ----------
    M. O. Noordewier, G. G. Towell and J. W. Shavlik, "Training
    Knowledge-Based Neural Networks to Recognize Genes in DNA Sequences",
    Advances in Neural Information Processing Systems 3, 1991.

    Examples
    --------
    >>> from skdistill.datasets import load_splice
    >>> bunch = load_splice(as_frame=False)
    >>> bunch.data.shape
    (3190, 60)
    >>> bunch.data.dtype
    dtype('O')
    >>> "".join(bunch.data[0, :10])
    'CCAGCTGCAT'
    >>> bunch.feature_names[28:32]
    ['p-2', 'p-1', 'p+1', 'p+2']
    >>> bunch.target_names.tolist()
    ['EI', 'IE', 'N']

    One-hot encode the letters for a numeric model:

    >>> from sklearn.preprocessing import OneHotEncoder
    >>> encoder = OneHotEncoder(handle_unknown="ignore")
    >>> encoder.fit_transform(bunch.data).shape
    (3190, 287)
    """
    return _load_bundled(_SPLICE, return_X_y=return_X_y, as_frame=as_frame)
