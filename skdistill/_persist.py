"""Save and load distillers as skops files with a provenance record.

A model file is the zip archive that :func:`skops.io.dumps` writes, with one
more member, ``skdistill-provenance.json``. That member records what the model
was distilled from: the teacher, the data file's SHA-256, the package versions,
the command's settings, the feature names and the classes. It is plain JSON,
so :func:`read_provenance`, ``skdistill info MODEL`` or any zip tool reads it
without loading the model's code. skops ignores members its schema does not
list.

Loading accepts the types that skops trusts by default plus
``TRUSTED_TYPES``, the types that the command's presets produce. A file with
any other type is rejected with the list of those types, unless the caller
trusts them explicitly.
"""

# SPDX-License-Identifier: BSD-3-Clause

import io
import json
import zipfile
import zlib
from numbers import Integral
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from skdistill._atomic import atomic_path
from skdistill._io import CommandError

PROVENANCE_MEMBER = "skdistill-provenance.json"

# Types found by skops.io.get_untrusted_types (skops 0.16) in distillers fitted
# by every pair of teacher and student presets, on dense and sparse rows, plus
# the skdistill classes. skops does not trust the two tree types by default
# because predict indexes their node arrays without bounds checks. An SVC
# fitted on sparse rows stores its support vectors in a CSR matrix, whose
# indices scipy checks only on request. load_model therefore checks every node
# and sparse index with check_index_bounds before it returns a model.
TRUSTED_TYPES = (
    "scipy.sparse._csr.csr_matrix",
    "skdistill._distill.DistilledClassifier",
    "skdistill._synthetic.MUNGE",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
    "sklearn.tree._tree.Tree",
)

# Errors that skops and zipfile raise on a damaged or foreign file. A schema
# that names a missing module or attribute raises ImportError or
# AttributeError when skops resolves the type. A damaged deflated member
# raises zlib.error, and one cut short EOFError.
_LOAD_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    KeyError,
    ValueError,
    TypeError,
    ImportError,
    AttributeError,
)


def _import_skops(action):
    try:
        import skops.io
    except ImportError:
        raise CommandError(
            f"{action} needs skops, which is not installed. Install it with "
            '`pip install "skdistill[skops]"`.'
        ) from None
    return skops.io


def save_model(model, path, provenance):
    """Write ``model`` with skops and ``provenance`` as a JSON member, atomically.

    Parameters
    ----------
    model : estimator
        The fitted model.

    path : path-like
        Destination file, conventionally ending in ``.skops``.

    provenance : dict
        JSON-serialisable record stored as ``PROVENANCE_MEMBER``.
    """
    skops_io = _import_skops("--save")
    # skops stores its members uncompressed by default. Its schema.json repeats
    # every tree's structure, so a 500-tree forest on leukemia took 9.8 MB
    # stored against 0.5 MB pickled; deflate shrinks the text members.
    buffer = io.BytesIO(skops_io.dumps(model, compression=zipfile.ZIP_DEFLATED))
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            PROVENANCE_MEMBER, json.dumps(provenance, indent=2, sort_keys=True)
        )
    with atomic_path(path) as temporary:
        temporary.write_bytes(buffer.getvalue())


def read_provenance(path):
    """Return the provenance record of a model file, or None if it has none.

    Only :mod:`zipfile` and :mod:`json` read the file; no model code runs.

    Raises
    ------
    CommandError
        If the file is missing or is not a zip archive with valid JSON.
    """
    path = Path(path)
    _check_model_file(path)
    try:
        with zipfile.ZipFile(path) as archive:
            if PROVENANCE_MEMBER not in archive.namelist():
                return None
            return json.loads(archive.read(PROVENANCE_MEMBER))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise CommandError(
            f"cannot read {path} as a skops model file: {exc}. Pass a file written "
            "by `skdistill distill --save` or skops.io.dump."
        ) from None


def _check_model_file(path):
    if not path.is_file():
        raise CommandError(f"model file not found: {path}. Check the path.")


def load_model(path, *, trusted=()):
    """Load a skops file that contains only trusted types.

    Parameters
    ----------
    path : path-like
        The model file.

    trusted : sequence of str, default=()
        Fully qualified type names trusted in addition to ``TRUSTED_TYPES``.

    Returns
    -------
    model : object

    Raises
    ------
    CommandError
        If the file is missing or unreadable, if it contains a type that is
        not trusted (the message lists them), or if a tree in it has a node
        index out of range.
    """
    path = Path(path)
    _check_model_file(path)
    skops_io = _import_skops(f"loading {path}")
    allowed = [*TRUSTED_TYPES, *trusted]
    try:
        untrusted = skops_io.get_untrusted_types(file=path)
        rejected = [name for name in untrusted if name not in allowed]
        if rejected:
            raise CommandError(
                f"{path} contains types that skdistill does not trust: "
                f"{', '.join(rejected)}. Load it only if you trust its source; "
                "then pass --trust TYPE for each of them."
            )
        model = skops_io.load(path, trusted=untrusted)
    except _LOAD_ERRORS as exc:
        raise CommandError(
            f"cannot load {path} as a skops model file: "
            f"{type(exc).__name__}: {exc}. Pass a file written by "
            "`skdistill distill --save` or skops.io.dump."
        ) from None
    check_index_bounds(model, path)
    return model


def check_index_bounds(model, path):
    """Raise CommandError if a tree or sparse matrix in ``model`` has a bad index.

    scikit-learn's compiled tree code follows child indices and reads feature
    columns without bounds checks. This checks that every split node of a
    :class:`sklearn.tree._tree.Tree` or of a histogram gradient boosting
    ``TreePredictor`` points to children after it within the tree, and to a
    feature column below the ``n_features_in_`` of every estimator that
    contains it. Children after their parent rule out cycles, and scikit-learn
    numbers every node it grows that way. A sparse matrix gets scipy's full
    format check, which includes its column indices.
    """
    _walk_trees(model, None, set(), path)


def _walk_trees(obj, n_features, seen, path):
    # Imported here so that a model file without trees needs no tree modules.
    from sklearn.ensemble._hist_gradient_boosting.predictor import TreePredictor
    from sklearn.tree._tree import Tree

    if id(obj) in seen:
        return
    seen.add(id(obj))
    if isinstance(obj, Tree):
        _check_tree(obj, n_features, path)
    elif sp.issparse(obj):
        try:
            obj.check_format(full_check=True)
        except ValueError as exc:
            raise CommandError(
                f"{path} contains an invalid sparse matrix: {exc}. The file is "
                "damaged; distill and save the model again."
            ) from None
    elif isinstance(obj, TreePredictor):
        _check_predictor(obj, n_features, path)
    elif isinstance(obj, dict):
        for value in obj.values():
            _walk_trees(value, n_features, seen, path)
    elif isinstance(obj, list | tuple) or (
        isinstance(obj, np.ndarray) and obj.dtype == object
    ):
        for value in obj:
            _walk_trees(value, n_features, seen, path)
    elif hasattr(obj, "__dict__"):
        own = getattr(obj, "n_features_in_", None)
        if isinstance(own, Integral):
            n_features = own if n_features is None else min(n_features, own)
        for value in vars(obj).values():
            _walk_trees(value, n_features, seen, path)


def _check_tree(tree, n_features, path):
    # node_count comes from the file; the node arrays hold capacity nodes.
    if not 0 < tree.node_count <= tree.capacity:
        _raise_bad_tree(path, f"node count {tree.node_count}")
    split = np.flatnonzero(tree.children_left != -1)
    _check_nodes(
        split,
        tree.children_left[split],
        tree.children_right[split],
        tree.feature[split],
        tree.node_count,
        tree.n_features if n_features is None else n_features,
        path,
    )


def _check_predictor(predictor, n_features, path):
    nodes = predictor.nodes
    split = np.flatnonzero(nodes["is_leaf"] == 0)
    _check_nodes(
        split,
        nodes["left"][split],
        nodes["right"][split],
        nodes["feature_idx"][split],
        len(nodes),
        n_features,
        path,
    )
    categorical = split[nodes["is_categorical"][split] != 0]
    bitsets = nodes["bitset_idx"][categorical]
    if np.any(bitsets >= len(predictor.raw_left_cat_bitsets)):
        _raise_bad_tree(path, "categorical split")


def _check_nodes(split, left, right, feature, n_nodes, n_features, path):
    for name, children in (("left child", left), ("right child", right)):
        if np.any((children <= split) | (children >= n_nodes)):
            _raise_bad_tree(path, name)
    if n_features is None:
        _raise_bad_tree(path, "tree without n_features_in_")
    if np.any((feature < 0) | (feature >= n_features)):
        _raise_bad_tree(path, "feature index")


def _raise_bad_tree(path, field):
    raise CommandError(
        f"{path} contains a tree with an invalid {field}, which would make "
        "prediction read memory out of bounds. The file is damaged or was not "
        "written by scikit-learn; distill and save the model again."
    )
