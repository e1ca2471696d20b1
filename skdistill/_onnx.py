"""Export a fitted distiller's student, with its feature panel, to ONNX.

skl2onnx converts the student alone. This module then wraps its graph so that
the ONNX model reads the same full-width rows as
``DistilledClassifier.predict_proba``: a ``Gather`` node picks the panel's
columns, and the outputs are the probabilities in the order of the
distiller's ``classes_`` and the labels of their argmax.
"""

# SPDX-License-Identifier: BSD-3-Clause

import importlib
import json

import numpy as np
import scipy.sparse as sp
from sklearn.base import is_classifier
from sklearn.pipeline import Pipeline
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils.validation import check_is_fitted

import skdistill
from skdistill._atomic import write_bytes_atomic
from skdistill._student import final_step

# Fixed versions keep the exported graph the same whatever the newest opset of
# the installed onnx. skl2onnx 1.20 picks the default domain's opset 22 when
# none is given, and has been run here with these versions and onnxruntime 1.32.
TARGET_OPSET = {"": 21, "ai.onnx.ml": 3}
INPUT_NAME = "X"
LABEL_NAME = "label"
PROBABILITIES_NAME = "probabilities"
_INSTALL_HINT = 'pip install "skdistill[onnx]"'


def export_onnx(distiller, path, *, X_check=None, rtol=1e-4, atol=1e-5):
    """Export a fitted distiller's student to an ONNX file.

    The ONNX model takes the rows that ``distiller.predict_proba`` takes, all
    ``n_features_in_`` columns as a float32 tensor named ``"X"``. It selects
    the panel's columns itself when the distiller has one (``panel_``). Its
    outputs are ``"label"``, the labels of ``distiller.classes_`` at the
    argmax of each row, and ``"probabilities"``, a float32 array of shape
    ``(n_samples, n_classes)`` with columns in the order of ``classes_``.
    The teacher is not exported.

    Parameters
    ----------
    distiller : DistilledClassifier
        A fitted distiller whose student is a classifier with
        ``predict_proba`` that skl2onnx can convert, alone or as the last
        step of a Pipeline: for example a decision tree, a logistic
        regression or an MLP, after a StandardScaler or not.

    path : str or os.PathLike
        File to write. It is written to a temporary file in the same directory
        and renamed into place once the check has passed, so on any error an
        existing file at ``path`` is left as it was.

    X_check : array-like of shape (n_samples, n_features), default=None
        Rows on which the ONNX model, run with onnxruntime, must reproduce
        ``distiller.predict_proba(X_check)``. None skips the check.

    rtol : float, default=1e-4
        Relative tolerance of the check.

    atol : float, default=1e-5
        Absolute tolerance of the check. A probability ``p_onnx`` passes when
        ``abs(p_onnx - p) <= atol + rtol * abs(p)``.

    Returns
    -------
    model : onnx.ModelProto
        The model written to ``path``.

    Raises
    ------
    ImportError
        If skl2onnx, onnx or onnxruntime is not installed.

    sklearn.exceptions.NotFittedError
        If ``distiller`` is not fitted.

    TypeError
        If the student is a regressor, has no ``predict_proba``, or is of a
        class that skl2onnx cannot convert.

    ValueError
        If the ONNX probabilities on ``X_check`` differ from
        ``distiller.predict_proba`` by more than the tolerance, or if the
        distiller was fitted on input without a number of columns.

    Notes
    -----
    ONNX runs the student in float32 while scikit-learn uses float64, so
    the probabilities differ by rounding. On the SRBCT test rows (2,308
    features) the difference was below 5e-7 for a decision tree, the default
    student and a StandardScaler + MLP(32) student, with and without a
    20-column panel. A row whose two largest probabilities are that close can
    get another label than ``distiller.predict``. The graph uses opset 21 and
    ai.onnx.ml opset 3 (``TARGET_OPSET``), tested with skl2onnx 1.20 and
    onnxruntime 1.32. String column names of a DataFrame are not kept:
    pass the columns in the order of ``feature_names_in_``.

    Examples
    --------
    >>> import os, tempfile
    >>> import onnxruntime
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.ensemble import RandomForestClassifier
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from skdistill import DistilledClassifier
    >>> from skdistill.onnx import export_onnx
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = DistilledClassifier(
    ...     RandomForestClassifier(n_estimators=10, random_state=0),
    ...     DecisionTreeClassifier(max_depth=3, random_state=0),
    ...     max_features=2,
    ...     random_state=0,
    ... ).fit(X, y)
    >>> path = os.path.join(tempfile.mkdtemp(), "student.onnx")
    >>> _ = export_onnx(clf, path, X_check=X)
    >>> session = onnxruntime.InferenceSession(path)
    >>> labels, proba = session.run(None, {"X": X[:3].astype("float32")})
    >>> labels.tolist()
    [0, 0, 0]
    >>> proba.shape
    (3, 3)
    """
    modules = _import_onnx_modules()
    check_is_fitted(distiller, "student_")
    model = build_onnx_model(distiller, modules)
    if X_check is not None:
        check_onnx_model(model, distiller, X_check, rtol=rtol, atol=atol)
    write_bytes_atomic(path, model.SerializeToString())
    return model


def _import_onnx_modules():
    modules = {}
    for name in ("onnx", "onnxruntime", "skl2onnx"):
        try:
            modules[name] = importlib.import_module(name)
        except ImportError as exc:
            raise ImportError(
                f"export_onnx requires {name}, which is not installed. Install "
                f"the ONNX extra with `{_INSTALL_HINT}`."
            ) from exc
    return modules


def build_onnx_model(distiller, modules):
    """Convert the student and wrap it to read full rows and label by class."""
    onnx = modules["onnx"]
    helper = onnx.helper
    n_features = getattr(distiller, "n_features_in_", None)
    if n_features is None:
        raise ValueError(
            "The distiller was fitted on input without a number of columns, "
            "so the ONNX model has no input width. Fit it on an array or a "
            "DataFrame to export it."
        )
    panel = getattr(distiller, "panel_", None)
    student = distiller.student_
    n_student_features = n_features if panel is None else len(panel)
    student_model = _convert_student(student, n_student_features, modules)
    _copy_missing_value_routing(student_model.graph, final_step(student), helper)

    graph = student_model.graph
    student_input, student_probabilities = _prefix_student_names(graph)
    nodes, initializers = [], []
    if panel is None:
        nodes.append(helper.make_node("Identity", [INPUT_NAME], [student_input]))
    else:
        initializers.append(
            onnx.numpy_helper.from_array(
                np.asarray(panel, dtype=np.int64), name="panel_columns"
            )
        )
        nodes.append(
            helper.make_node(
                "Gather", [INPUT_NAME, "panel_columns"], [student_input], axis=1
            )
        )
    nodes += list(graph.node)
    initializers += list(graph.initializer)
    classes = distiller.classes_
    nodes += _output_nodes(student, student_probabilities, classes, initializers, onnx)

    outputs = [
        helper.make_tensor_value_info(
            LABEL_NAME, _label_element_type(classes, onnx), [None]
        ),
        helper.make_tensor_value_info(
            PROBABILITIES_NAME, onnx.TensorProto.FLOAT, [None, len(classes)]
        ),
    ]
    inputs = [
        helper.make_tensor_value_info(
            INPUT_NAME, onnx.TensorProto.FLOAT, [None, n_features]
        )
    ]
    nodes = _prune(nodes, [output.name for output in outputs])
    used = {name for node in nodes for name in node.input}
    initializers = [tensor for tensor in initializers if tensor.name in used]
    wrapped = helper.make_graph(
        nodes, "skdistill_student", inputs, outputs, initializer=initializers
    )
    model = helper.make_model(
        wrapped,
        opset_imports=_opset_imports(student_model, helper),
        producer_name="skdistill",
        producer_version=skdistill.__version__,
        doc_string=(
            f"Student {type(student).__name__} of a DistilledClassifier, "
            "converted with skl2onnx."
        ),
    )
    # make_model of onnx 1.23 writes IR version 14, and skl2onnx 1.20 chose
    # 10. Older runtimes reject IR versions newer than they know.
    model.ir_version = student_model.ir_version
    _add_metadata(model, distiller, onnx)
    onnx.checker.check_model(model)
    return model


def _copy_missing_value_routing(graph, final_step, helper):
    """Send NaN down the same branch of each tree node as scikit-learn does.

    scikit-learn stores, per split, whether a missing value goes to the left
    child (``tree_.missing_go_to_left``; without NaN in training, the child
    with more samples). skl2onnx 1.20 leaves every node's
    ``nodes_missing_value_tracks_true`` at 0, so the ONNX tree sent NaN right
    at every node. The left child is the "true" branch of ``BRANCH_LEQ``.
    """
    if not isinstance(final_step, DecisionTreeClassifier):
        return
    go_left = final_step.tree_.missing_go_to_left
    for node in graph.node:
        if node.op_type != "TreeEnsembleClassifier":
            continue
        attributes = {attribute.name: attribute for attribute in node.attribute}
        node_ids = helper.get_attribute_value(attributes["nodes_nodeids"])
        modes = helper.get_attribute_value(attributes["nodes_modes"])
        routing = [
            0 if mode == b"LEAF" else int(go_left[node_id])
            for node_id, mode in zip(node_ids, modes, strict=True)
        ]
        attributes["nodes_missing_value_tracks_true"].CopyFrom(
            helper.make_attribute("nodes_missing_value_tracks_true", routing)
        )


def _convert_student(student, n_features, modules):
    """Convert the student with skl2onnx to a graph with plain probabilities."""
    name = type(student).__name__
    if not is_classifier(student):
        raise TypeError(
            f"export_onnx supports classifier students, but the student {name} "
            "is not one, and a regressor's outputs are clipped and renormalised "
            "in Python. Distill into a classifier such as DecisionTreeClassifier, "
            "LogisticRegression or MLPClassifier to export the student."
        )
    if not hasattr(student, "predict_proba"):
        raise TypeError(
            f"export_onnx needs a student with predict_proba, but {name} has "
            "none, so the distiller turns its decision function into "
            "probabilities in Python. Use a student with predict_proba."
        )
    skl2onnx = modules["skl2onnx"]
    data_types = importlib.import_module("skl2onnx.common.data_types")
    exceptions = importlib.import_module("skl2onnx.common.exceptions")
    # Without zipmap=False, skl2onnx returns the probabilities as a sequence
    # of {label: probability} maps instead of one float array.
    options = {id(final_step(student)): {"zipmap": False}}
    try:
        return skl2onnx.to_onnx(
            student,
            initial_types=[("input", data_types.FloatTensorType([None, n_features]))],
            target_opset=TARGET_OPSET,
            options=options,
        )
    except (exceptions.MissingShapeCalculator, exceptions.MissingConverter) as exc:
        raise TypeError(
            f"skl2onnx cannot convert the student {_describe(student)}: "
            f"{str(exc).splitlines()[0]} Use a student that skl2onnx supports, "
            "such as DecisionTreeClassifier, LogisticRegression or "
            "MLPClassifier, alone or after a StandardScaler."
        ) from exc


def _describe(student):
    if isinstance(student, Pipeline):
        steps = ", ".join(type(step).__name__ for _, step in student.steps)
        return f"Pipeline({steps})"
    return type(student).__name__


def _output_nodes(student, student_probabilities, classes, initializers, onnx):
    """Return the nodes from the student's probabilities to the final outputs.

    The student was fitted on class indices and may have seen only some of
    them. Its columns are then spread into ``len(classes)`` columns by a 0/1
    matrix, so the unseen classes get probability 0 as in ``predict_proba``.
    """
    helper = onnx.helper
    nodes = []
    learned = np.asarray(final_step(student).classes_, dtype=np.int64)
    if np.array_equal(learned, np.arange(len(classes))):
        nodes.append(
            helper.make_node("Identity", [student_probabilities], [PROBABILITIES_NAME])
        )
    else:
        spread = np.zeros((len(learned), len(classes)), dtype=np.float32)
        spread[np.arange(len(learned)), learned] = 1.0
        initializers.append(onnx.numpy_helper.from_array(spread, "class_spread"))
        nodes.append(
            helper.make_node(
                "MatMul", [student_probabilities, "class_spread"], [PROBABILITIES_NAME]
            )
        )
    initializers.append(
        onnx.numpy_helper.from_array(_label_array(classes), "class_labels")
    )
    # ArgMax takes the first of equal maxima, as numpy.argmax does.
    nodes.append(
        helper.make_node(
            "ArgMax", [PROBABILITIES_NAME], ["class_index"], axis=1, keepdims=0
        )
    )
    nodes.append(
        helper.make_node(
            "Gather", ["class_labels", "class_index"], [LABEL_NAME], axis=0
        )
    )
    return nodes


def _prefix_student_names(graph):
    """Prefix every tensor name of the student's graph with ``"student_"``.

    The wrapper adds tensors of its own (``"X"``, ``"label"``,
    ``"probabilities"``, ...), and skl2onnx names the student's outputs
    ``"label"`` and ``"probabilities"`` too. Returns the new names of the
    student's input and of its probabilities output.
    """
    renamed = {}
    for node in graph.node:
        for names in (node.input, node.output):
            for position, name in enumerate(names):
                # An empty name marks an omitted optional input.
                if name:
                    names[position] = renamed.setdefault(name, f"student_{name}")
        if node.name:
            node.name = f"student_{node.name}"
    for tensor in graph.initializer:
        tensor.name = renamed.setdefault(tensor.name, f"student_{tensor.name}")
    # skl2onnx lists a classifier's outputs as (label, probabilities).
    return f"student_{graph.input[0].name}", f"student_{graph.output[1].name}"


def _label_array(classes):
    """Return the labels as an array that ONNX can store in a tensor."""
    classes = np.asarray(classes)
    if classes.dtype.kind in "iu":
        return classes.astype(np.int64)
    if classes.dtype.kind in "bf":
        return classes
    return np.array([str(label) for label in classes], dtype=object)


def _label_element_type(classes, onnx):
    labels = _label_array(classes)
    if labels.dtype == object:
        return onnx.TensorProto.STRING
    return onnx.helper.np_dtype_to_tensor_dtype(labels.dtype)


def _prune(nodes, outputs):
    """Drop the nodes that no output depends on, keeping the order of the rest.

    The student's own label output is one of them: the labels are taken from
    the final probabilities instead.
    """
    needed = set(outputs)
    kept_nodes = []
    for node in reversed(nodes):
        if needed.intersection(node.output):
            kept_nodes.append(node)
            needed.update(name for name in node.input if name)
    return kept_nodes[::-1]


def _opset_imports(student_model, helper):
    # skl2onnx 1.20 lists the default domain twice. The wrapper lists each
    # domain once, with its highest version.
    versions = {}
    for opset in student_model.opset_import:
        versions[opset.domain] = max(versions.get(opset.domain, 0), opset.version)
    return [
        helper.make_opsetid(domain, version) for domain, version in versions.items()
    ]


def _add_metadata(model, distiller, onnx):
    panel = getattr(distiller, "panel_", None)
    properties = {
        "classes": json.dumps(_label_array(distiller.classes_).tolist()),
        "n_features_in": str(distiller.n_features_in_),
        "student": _describe(distiller.student_),
    }
    if panel is not None:
        properties["panel_columns"] = json.dumps(np.asarray(panel).tolist())
        properties["panel_names"] = json.dumps(
            [str(name) for name in distiller.panel_names_]
        )
    onnx.helper.set_model_props(model, properties)


def check_onnx_model(model, distiller, X_check, *, rtol, atol):
    """Raise a ValueError if onnxruntime and ``predict_proba`` disagree."""
    onnxruntime = importlib.import_module("onnxruntime")
    expected = distiller.predict_proba(X_check)
    X = X_check.toarray() if sp.issparse(X_check) else X_check
    X = np.asarray(X, dtype=np.float32)
    session = onnxruntime.InferenceSession(
        model.SerializeToString(), providers=["CPUExecutionProvider"]
    )
    _, proba = session.run(None, {INPUT_NAME: X})
    difference = np.abs(np.asarray(proba, dtype=np.float64) - expected)
    outside = difference > atol + rtol * np.abs(expected)
    if outside.any():
        n_rows = int(np.sum(outside.any(axis=1)))
        raise ValueError(
            "The ONNX model's probabilities differ from distiller.predict_proba "
            f"on {n_rows} of {len(expected)} rows of X_check, by up to "
            f"{difference.max():.3g} (rtol={rtol}, atol={atol}). Pass X_check "
            "with the columns the distiller was fitted on, in that order. If "
            "the difference is float32 rounding, raise rtol or atol."
        )
