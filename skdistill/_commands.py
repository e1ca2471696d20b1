"""The ``distill``, ``predict`` and ``info`` commands of the command line.

Each ``run_*`` function takes the parsed arguments and returns the exit status.
Progress goes to stderr, so that stdout carries only the result: the report
of ``distill`` and the record printed by ``info``. Problems with the input or
output raise :class:`~skdistill._io.CommandError`.
"""

# SPDX-License-Identifier: BSD-3-Clause

import contextlib
import json
import math
import platform
import sys
import time
import warnings
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import numpy as np
import scipy
import scipy.sparse as sp
import sklearn
from sklearn.frozen import FrozenEstimator
from sklearn.model_selection import train_test_split
from sklearn.utils import get_tags

import skdistill
from skdistill._atomic import atomic_directory
from skdistill._distill import DistilledClassifier
from skdistill._io import (
    CommandError,
    check_feature_names,
    check_table_suffix,
    file_sha256,
    read_table,
    write_predictions,
)
from skdistill._messages import count_noun
from skdistill._onnx import _import_onnx_modules
from skdistill._persist import (
    PROVENANCE_MEMBER,
    _import_skops,
    load_model,
    read_provenance,
    save_model,
)
from skdistill._presets import (
    TEACHER_SIZES,
    make_student,
    make_teacher,
    resolve_size,
)
from skdistill._synthetic import MUNGE, BinomialThinning
from skdistill.metrics import distillation_report

# The generators behind ``skdistill distill --synthetic``, besides "auto" and
# "none", which pass synthetic="auto" and None.
SYNTHETIC_GENERATORS = {"munge": MUNGE, "thinning": BinomialThinning}
SYNTHETIC_CHOICES = ("auto", "none", *SYNTHETIC_GENERATORS)

# Version 1 of the provenance record; a change of its keys bumps it.
PROVENANCE_FORMAT = "skdistill-provenance/1"

# A teacher fitted on a DataFrame warns when it gets an array, but the command
# has already put the columns in the teacher's order by name.
_FEATURE_NAMES_WARNING = "X does not have valid feature names"


def progress(message):
    """Print a progress line to stderr."""
    print(message, file=sys.stderr, flush=True)


def run_distill(args):
    """Distill a teacher on a data file and report, save and export the result."""
    _check_distill_options(args)
    started = time.perf_counter()
    progress(f"Reading {args.data}...")
    table = read_table(args.data, label=args.label, id_column=args.id)
    X, y = table.X, table.y
    classes, counts = np.unique(y, return_counts=True)
    layout = "sparse" if sp.issparse(X) else "dense"
    progress(
        f"Read {X.shape[0]} rows x {X.shape[1]} features ({layout}) and "
        f"{count_noun(len(classes), 'class', 'classes')} in "
        f"{time.perf_counter() - started:.1f} s"
    )
    _check_classes(classes, counts, args)
    if args.max_features is not None and args.max_features > X.shape[1]:
        raise CommandError(
            f"--max-features {args.max_features} is larger than the {X.shape[1]} "
            f"feature columns of {args.data}. Pass at most {X.shape[1]}."
        )

    teacher, teacher_record = _build_teacher(args, X)
    if teacher_record["source"] == "file":
        X = _align_columns(
            X, table.feature_names, teacher_record["feature_names"], args.data
        )
        if teacher_record["feature_names"] is not None:
            table.feature_names = teacher_record["feature_names"]
    X = _densify_for(X, teacher, "--teacher", args.teacher)
    student = make_student(
        args.student,
        size=args.student_size,
        sparse=sp.issparse(X),
        random_state=args.random_state,
    )
    if student is not None:
        X = _densify_for(X, student, "--student", args.student)
    _check_missing_values(X, table.feature_names, teacher_record, args)

    X_train, X_test, y_train, y_test = _split(X, y, args)
    if teacher_record["source"] == "preset":
        _check_folds(y_train, args)

    distiller = DistilledClassifier(
        teacher,
        student,
        transfer=args.transfer,
        cv=args.cv,
        temperature=args.temperature,
        alpha=args.alpha,
        student_rows=args.student_rows,
        synthetic=_synthetic_option(args.synthetic),
        max_features=args.max_features,
        batch_size=args.batch_size,
        n_jobs=args.n_jobs,
        random_state=args.random_state,
    )
    report = _fit_and_measure(distiller, X_train, y_train, X_test, y_test, args)

    # The ONNX export goes first because its check against onnxruntime can
    # fail, and a failed run must leave the older model and report in place.
    if args.export_onnx is not None:
        X_check = X_train if X_test is None else X_test
        with _writing("--export-onnx", args.export_onnx):
            _export(distiller, args.export_onnx, X_check)
        progress(f"Wrote the student as ONNX to {args.export_onnx}")
    if args.report is not None:
        with _writing("--report", args.report):
            _save_report(report, args.report, args.report_format)
        progress(f"Wrote the {args.report_format} report to {args.report}")
    if args.save is not None:
        provenance = _provenance(
            args, table, teacher_record, distiller, X_train, X_test, sp.issparse(X)
        )
        with _writing("--save", args.save):
            save_model(distiller, args.save, provenance)
        progress(f"Saved the model and its provenance record to {args.save}")
    progress(f"Total time: {time.perf_counter() - started:.1f} s")
    return 0


def _check_distill_options(args):
    """Reject option combinations and output paths before the data is read."""
    if args.report is not None and args.test_size == 0:
        raise CommandError(
            "--report needs test rows, but --test-size is 0. Pass a --test-size "
            "between 0 and 1, or leave out --report."
        )
    resolve_size("student", args.student, args.student_size)
    if args.teacher in TEACHER_SIZES:
        resolve_size("teacher", args.teacher, args.teacher_size)
    elif args.teacher_size is not None:
        raise CommandError(
            f"--teacher-size {args.teacher_size} applies to a teacher preset, not "
            f"to the fitted teacher in {args.teacher}. Leave out --teacher-size."
        )
    for option, path in (("--save", args.save), ("--export-onnx", args.export_onnx)):
        if path is not None:
            _check_output_path(path, option)
    if args.report is not None:
        _check_output_path(args.report, "--report", directory=True)
    _check_output_packages(args)


def _check_output_packages(args):
    """Fail before the fit when an output option lacks its optional package."""
    if args.save is not None:
        _import_skops("--save")
    if args.export_onnx is not None:
        try:
            _import_onnx_modules()
        except ImportError as exc:
            raise CommandError(f"--export-onnx: {exc}") from None


def _check_output_path(path, option, *, directory=False):
    path = Path(path)
    parent = path.absolute().parent
    if not parent.is_dir():
        raise CommandError(
            f"{option} {path}: the directory {parent} does not exist. Create it, "
            "or pass a path in an existing directory."
        )
    if path.exists() and path.is_dir() != directory:
        kind = "a directory" if path.is_dir() else "a file"
        raise CommandError(
            f"{option} {path} is {kind}. Pass a path that is not one, or remove it."
        )


def _check_classes(classes, counts, args):
    if len(classes) < 2:
        raise CommandError(
            f"--label {args.label!r} has the single class {str(classes[0])!r} in "
            f"{args.data}. Distillation needs at least 2 classes; pass another "
            "label column or a file with more classes."
        )
    if args.test_size == 0:
        return
    rare = classes[counts < 2]
    if len(rare):
        raise CommandError(
            f"class {str(rare[0])!r} has 1 row in {args.data}, but the stratified "
            "split into training and test rows needs at least 2 of each class. "
            "Add rows of that class, remove it, or pass --test-size 0."
        )
    n_rows = counts.sum()
    # train_test_split rounds the test share up and gives the rest to training.
    n_test = math.ceil(args.test_size * n_rows)
    for part, size in (("test", n_test), ("training", n_rows - n_test)):
        if size < len(classes):
            raise CommandError(
                f"--test-size {args.test_size} leaves {size} {part} rows for "
                f"{len(classes)} classes, but the stratified split needs one row "
                "of each class on both sides. Choose a --test-size closer to 0.5."
            )


def _check_folds(y_train, args):
    """Raise if a class has too few training rows to fit the teacher's folds."""
    classes, counts = np.unique(y_train, return_counts=True)
    fewest = counts.min()
    if args.transfer == "cross_fit":
        needed, reason = args.cv, f"--cv {args.cv} folds of --transfer cross_fit"
        fix = f"Pass --cv {fewest} or fewer, or --transfer held_out or in_sample"
    elif args.transfer == "held_out":
        needed, reason = 2, "the stratified split of --transfer held_out"
        fix = "Pass --transfer in_sample or cross_fit"
    else:
        return
    if fewest < 2:
        # Both cross-fitting and the held-out split need 2 rows of a class.
        fix = "Pass --transfer in_sample"
    if fewest < needed:
        rare = classes[np.argmin(counts)]
        raise CommandError(
            f"class {str(rare)!r} has {count_noun(fewest, 'training row')}, fewer than "
            f"the {needed} that {reason} need. {fix}, or add rows of that class."
        )


def _build_teacher(args, X):
    """Return the teacher and a JSON-ready record of where it came from."""
    if args.teacher in TEACHER_SIZES:
        teacher = make_teacher(
            args.teacher,
            size=args.teacher_size,
            sparse=sp.issparse(X),
            random_state=args.random_state,
            n_jobs=args.n_jobs,
        )
        record = {"source": "preset", "preset": args.teacher}
        record.update(describe_estimator(teacher))
        return teacher, record

    path = Path(args.teacher)
    if not path.suffix and not path.exists():
        raise CommandError(
            f"--teacher {args.teacher!r} is neither a preset nor a file. Choose "
            f"{', '.join(TEACHER_SIZES)}, or pass the path of a skops file of a "
            "fitted classifier."
        )
    model = load_model(path, trusted=args.trust)
    if not (hasattr(model, "predict_proba") or hasattr(model, "decision_function")):
        raise CommandError(
            f"--teacher {path}: the {type(model).__name__} in the file has "
            "neither predict_proba nor decision_function. Pass a fitted classifier."
        )
    n_features = getattr(model, "n_features_in_", None)
    if n_features is not None and n_features != X.shape[1]:
        raise CommandError(
            f"--teacher {path} was fitted on {n_features} features, but "
            f"{args.data} has {X.shape[1]} feature columns. Pass data with the "
            "teacher's features."
        )
    names = getattr(model, "feature_names_in_", None)
    record = {
        "source": "file",
        "path": str(path),
        "sha256": file_sha256(path),
        "feature_names": None if names is None else [str(name) for name in names],
    }
    record.update(describe_estimator(model))
    return FrozenEstimator(model), record


def describe_estimator(estimator):
    """Return the class path and parameters of an estimator, as strings."""
    estimator_type = type(estimator)
    params = estimator.get_params(deep=False)
    return {
        "class": f"{estimator_type.__module__}.{estimator_type.__qualname__}",
        "params": {name: repr(value) for name, value in sorted(params.items())},
    }


def _densify_for(X, estimator, option, name):
    if sp.issparse(X) and not get_tags(estimator).input_tags.sparse:
        progress(f"{option} {name} needs dense input; converting the sparse matrix")
        return X.toarray()
    return X


def _check_missing_values(X, feature_names, teacher_record, args):
    """Raise if X has NaN and a preset, or the panel ranking, cannot take it."""
    values = X.data if sp.issparse(X) else X
    n_missing = int(np.isnan(values).sum())
    if n_missing == 0:
        return
    rejecting = []
    if teacher_record["source"] == "preset" and args.teacher == "rbf-svm":
        rejecting.append("--teacher rbf-svm")
    if args.student != "tree":
        rejecting.append(f"--student {args.student}")
    if args.max_features is not None:
        rejecting.append("--max-features")
    if not rejecting:
        return
    if sp.issparse(X):
        column = X.tocoo().col[np.isnan(X.tocoo().data)][0]
    else:
        column = np.argwhere(np.isnan(X))[0][1]
    raise CommandError(
        f"{args.data} has {count_noun(n_missing, 'missing value')} (the first in "
        f"column {feature_names[column]!r}), which {' and '.join(rejecting)} "
        "cannot take. Fill in the missing values before distilling, or use "
        "--teacher random-forest or hist-gradient-boosting with --student tree "
        "and no --max-features."
    )


def _split(X, y, args):
    if args.test_size == 0:
        return X, None, y, None
    return train_test_split(
        X, y, test_size=args.test_size, stratify=y, random_state=args.random_state
    )


def _synthetic_option(name):
    """Return the ``synthetic`` value of a ``--synthetic`` choice."""
    if name in SYNTHETIC_GENERATORS:
        return SYNTHETIC_GENERATORS[name]()
    return None if name == "none" else "auto"


def _fit_and_measure(distiller, X_train, y_train, X_test, y_test, args):
    """Fit the distiller, print the report on the test rows and return it."""
    progress(
        f"Distilling {args.teacher} into {args.student} on {len(y_train)} "
        f"training rows (--transfer {args.transfer})..."
    )
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=_FEATURE_NAMES_WARNING)
        try:
            distiller.fit(X_train, y_train)
        except ValueError as exc:
            raise CommandError(
                f"distilling failed: {str(exc).rstrip('.')}. Check the data and "
                "the options."
            ) from None
        if distiller.synthetic_ is not None:
            progress(
                f"Transfer set: {distiller.n_transfer_samples_} rows, with "
                f"synthetic rows made by {distiller.synthetic_!r}"
            )
        if args.temperature == "auto":
            progress(
                f"Temperature: {distiller.temperature_:.3g}, resolved from 'auto' "
                "(1 keeps the teacher's probabilities)"
            )
        progress(_describe_alpha(distiller, args.alpha))
        progress(
            f"Distilled in {time.perf_counter() - started:.1f} s; fidelity on the "
            f"transfer set: {distiller.fidelity_:.3f}"
        )
        if X_test is None:
            return None
        progress(f"Measuring teacher and student on {len(y_test)} test rows...")
        report = distillation_report(
            distiller, X_test, y_test, random_state=args.random_state
        )
    print(report)
    return report


@contextlib.contextmanager
def _writing(option, path):
    """Turn an OSError raised while writing an output into a CommandError."""
    try:
        yield
    except OSError as exc:
        raise CommandError(
            f"cannot write {option} {path}: {exc.strerror or exc}. Check that the "
            "directory is writable and has space."
        ) from None


def _save_report(report, path, report_format):
    with atomic_directory(path) as temporary:
        report.save(temporary, format=report_format)


def _export(distiller, path, X_check):
    # export_onnx writes the file atomically, and only after onnxruntime's
    # probabilities match the student's on X_check.
    try:
        # skdistill.onnx needs skl2onnx, onnx and onnxruntime, so only this
        # option imports it. A missing package raises ImportError here or in
        # export_onnx.
        from skdistill.onnx import export_onnx

        export_onnx(distiller, path, X_check=X_check)
    except ImportError as exc:
        raise CommandError(f"--export-onnx: {exc}") from None
    except ValueError as exc:
        reason = str(exc).rstrip(".")
        raise CommandError(
            f"--export-onnx: {reason}. No output file was written. Run again "
            "without --export-onnx to keep the model and the report."
        ) from None


def _provenance(args, table, teacher_record, distiller, X_train, X_test, sparse):
    panel = getattr(distiller, "panel_", None)
    return {
        "format": PROVENANCE_FORMAT,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "teacher": teacher_record,
        "student": describe_estimator(distiller.student_),
        "data": {
            "file": str(args.data),
            "sha256": file_sha256(args.data),
            "label": table.label,
            "n_rows": len(table.y),
            "n_train": X_train.shape[0],
            "n_test": 0 if X_test is None else X_test.shape[0],
            "sparse": sparse,
        },
        "feature_names": list(table.feature_names),
        "classes": [str(label) for label in distiller.classes_],
        "panel": None if panel is None else [table.feature_names[i] for i in panel],
        "transfer_fidelity": distiller.fidelity_,
        "synthetic_rows": (
            None if distiller.synthetic_ is None else repr(distiller.synthetic_)
        ),
        "temperature": distiller.temperature_,
        "alpha": distiller.alpha_,
        "settings": {
            name: str(value) if isinstance(value, Path) else value
            for name, value in sorted(vars(args).items())
            if name not in ("command", "run")
        },
        "versions": package_versions(),
    }


def _describe_alpha(distiller, alpha):
    """Return the progress line on the true label's weight of a fit."""
    if alpha != "auto":
        return f"Alpha: {distiller.alpha_:g}, the weight of the true label."
    if distiller.alpha_ == 1:
        return (
            "Alpha: 1, resolved from 'auto': the logistic student learns the "
            "true labels alone, because it has at least as many columns as "
            "transfer rows, where soft labels cost such a student accuracy. "
            "Pass --alpha 0.75 to mix in the teacher's labels."
        )
    return (
        f"Alpha: {distiller.alpha_:g}, resolved from 'auto' (the weight of the "
        "true label in the student's target)"
    )


def package_versions():
    """Return the versions of Python and of the packages a model depends on."""
    versions = {
        "python": platform.python_version(),
        "skdistill": skdistill.__version__,
        "scikit-learn": sklearn.__version__,
        "numpy": np.__version__,
        "scipy": scipy.__version__,
    }
    for package in ("skops", "anndata"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return versions


def run_predict(args):
    """Apply a saved model to a data file and write its predictions."""
    check_table_suffix(args.out, option="--out", allow_anndata=False)
    _check_output_path(args.out, "--out")
    provenance = read_provenance(args.model) or {}
    model = load_model(args.model, trusted=args.trust)
    if not (hasattr(model, "predict_proba") and hasattr(model, "classes_")):
        raise CommandError(
            f"{args.model} contains a {type(model).__name__}, not a fitted classifier "
            "with predict_proba. Pass a file written by `skdistill distill --save`."
        )

    data_record = provenance.get("data", {})
    label = args.label if args.label is not None else data_record.get("label")
    expected = getattr(model, "feature_names_in_", None)
    if expected is None:
        expected = provenance.get("feature_names")
    table = read_table(
        args.data,
        label=label,
        label_required=False,
        id_column=args.id,
        expected_features=None if expected is None else list(map(str, expected)),
    )

    X = _align_columns(table.X, table.feature_names, expected, args.data, model=model)
    if sp.issparse(X) and not data_record.get("sparse", False):
        X = X.toarray()
    try:
        proba = model.predict_proba(X)
    except ValueError as exc:
        raise CommandError(
            f"predicting {args.data} failed: {str(exc).rstrip('.')}. Check the "
            f"data against `skdistill info {args.model}`."
        ) from None
    predicted = model.classes_[np.argmax(proba, axis=1)]

    with _writing("--out", args.out):
        write_predictions(args.out, table.row_ids, predicted, proba, model.classes_)
    progress(f"Wrote predictions for {len(predicted)} rows to {args.out}")
    return 0


def _align_columns(X, names, expected, data_path, *, model=None):
    """Return the columns of X in the order of ``expected``, matched by name.

    Without ``expected`` names, X must have the model's number of columns and
    is taken as it is.
    """
    if expected is None:
        n_features = getattr(model, "n_features_in_", X.shape[1])
        if X.shape[1] != n_features:
            raise CommandError(
                f"{data_path} has {X.shape[1]} feature columns, but the model reads "
                f"{n_features}. Pass the columns the model was fitted on."
            )
        return X
    expected = [str(name) for name in expected]
    if names == expected:
        return X
    check_feature_names(names, expected, data_path)
    position = {name: index for index, name in enumerate(names)}
    return X[:, [position[name] for name in expected]]


def run_info(args):
    """Print the provenance record of a model file as JSON."""
    provenance = read_provenance(args.model)
    if provenance is None:
        raise CommandError(
            f"{args.model} has no {PROVENANCE_MEMBER} member, so it was not written "
            "by `skdistill distill --save`. Save the model with that command."
        )
    print(json.dumps(provenance, indent=2, sort_keys=True))
    return 0
