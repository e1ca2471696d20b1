"""Command-line interface: ``skdistill demo``, ``distill``, ``predict``, ``info``.

Errors in the input or output of a command are printed as one line,
``skdistill: error: ...``, and the command exits with status 2, the status
argparse gives invalid arguments.
"""

# SPDX-License-Identifier: BSD-3-Clause

import argparse
import contextlib
import os
import signal
import sys
import threading
import warnings

import skdistill
from skdistill._commands import (
    SYNTHETIC_CHOICES,
    run_distill,
    run_info,
    run_predict,
)
from skdistill._demo import run_demo
from skdistill._io import CommandError
from skdistill._presets import STUDENT_SIZES, TEACHER_SIZES, describe_size

# Exit status of a command that stops on an error.
ERROR_STATUS = 2
# 128 + SIGINT, the status a shell gives a command stopped by Ctrl-C.
INTERRUPTED_STATUS = 130

# NumPy accepts seeds in [0, 2**32 - 1].
_MAX_SEED = 2**32 - 1


def _positive_int(text):
    """Parse an integer of at least 1 for argparse."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid integer: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _at_least_two(text):
    """Parse an integer of at least 2 for argparse."""
    value = _positive_int(text)
    if value < 2:
        raise argparse.ArgumentTypeError(f"must be at least 2, got {value}")
    return value


def _seed(text):
    """Parse a random seed in [0, 2**32 - 1] for argparse."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid integer: {text!r}") from None
    if not 0 <= value <= _MAX_SEED:
        raise argparse.ArgumentTypeError(
            f"must be between 0 and {_MAX_SEED}, got {value}"
        )
    return value


def _float_in(low, high, *, low_closed, high_closed):
    """Return an argparse type that parses a float within [low, high]."""

    def parse(text):
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"invalid number: {text!r}") from None
        above = value >= low if low_closed else value > low
        below = value <= high if high_closed else value < high
        if not (above and below):
            interval = (
                f"{'[' if low_closed else '('}{low:g}, {high:g}"
                f"{']' if high_closed else ')'}"
            )
            raise argparse.ArgumentTypeError(f"must be in {interval}, got {text}")
        return value

    return parse


def _auto_or_float_in(low, high, *, low_closed, high_closed, expected):
    """Return an argparse type that parses "auto" or a float within bounds."""
    parse_float = _float_in(low, high, low_closed=low_closed, high_closed=high_closed)

    def parse(text):
        if text == "auto":
            return text
        try:
            float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"expected 'auto' or {expected}, got {text!r}"
            ) from None
        return parse_float(text)

    return parse


_temperature = _auto_or_float_in(
    0, float("inf"), low_closed=False, high_closed=False, expected="a number above 0"
)
_alpha = _auto_or_float_in(
    0, 1, low_closed=True, high_closed=True, expected="a number in [0, 1]"
)


def _n_jobs(text):
    """Parse a joblib n_jobs value: a positive integer or a negative one."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid integer: {text!r}") from None
    if value == 0:
        raise argparse.ArgumentTypeError("must not be 0; use 1, 2, ... or -1")
    return value


def build_parser():
    """Build the argument parser of the ``skdistill`` command."""
    parser = argparse.ArgumentParser(
        prog="skdistill",
        description="Knowledge distillation as a scikit-learn estimator.",
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {skdistill.__version__}"
    )
    subcommands = parser.add_subparsers(
        dest="command", metavar="COMMAND", required=True
    )

    demo = subcommands.add_parser(
        "demo",
        help="distill a random forest on the bundled SRBCT data and compare",
        description=(
            "Split the bundled SRBCT tumour data into training and test rows, "
            "distill a random forest teacher into the default compact student "
            "with DistilledClassifier, and print the distillation report on the "
            "test rows: accuracy and other scores with bootstrap intervals, "
            "fidelity, calibration, predict_proba time, size and the "
            "teacher/student ratios."
        ),
    )
    demo.add_argument(
        "--random-state",
        type=_seed,
        default=0,
        metavar="N",
        help=(
            "seed of the train/test split, the random forest and the "
            "distiller (default: %(default)s)"
        ),
    )
    demo.add_argument(
        "--n-estimators",
        type=_positive_int,
        default=500,
        metavar="N",
        help="number of trees in the random forest teacher (default: %(default)s)",
    )
    _add_distill_parser(subcommands)
    _add_predict_parser(subcommands)
    _add_info_parser(subcommands)
    return parser


def _add_distill_parser(subcommands):
    distill = subcommands.add_parser(
        "distill",
        help="distill a teacher into a compact student on a data file",
        description=(
            "Read a table of numeric features and a label column, hold out "
            "stratified test rows, distill the teacher into the student with "
            "DistilledClassifier on the other rows, and print the "
            "distillation report on the test rows. Progress goes to stderr "
            "and the report to stdout. An error prints one line and exits "
            "with status 2."
        ),
    )
    distill.set_defaults(run=run_distill)
    _add_data_argument(distill)
    distill.add_argument(
        "--label",
        required=True,
        metavar="COLUMN",
        help="name of the column (the obs column of an .h5ad file) of class labels",
    )
    _add_id_option(distill)
    _add_model_options(distill)
    _add_training_options(distill)
    _add_output_options(distill)
    _add_trust_option(distill, "a --teacher file")


def _add_model_options(distill):
    teachers = ", ".join(TEACHER_SIZES)
    distill.add_argument(
        "--teacher",
        default="random-forest",
        metavar="NAME_OR_FILE",
        help=(
            f"teacher preset ({teachers}), or the path of a skops file of a "
            "fitted classifier, which is used as it is and labels every "
            "training row; if it was fitted on the test rows the report is "
            "optimistic (default: %(default)s)"
        ),
    )
    distill.add_argument(
        "--teacher-size",
        type=_positive_int,
        metavar="N",
        help=(
            "size of a teacher preset; "
            + "; ".join(describe_size("teacher", name) for name in TEACHER_SIZES)
        ),
    )
    distill.add_argument(
        "--student",
        default="logistic",
        choices=list(STUDENT_SIZES),
        help=(
            "student preset: a decision tree, a one-hidden-layer MLP on "
            "standardised features, or a standardised logistic regression "
            "(default: %(default)s)"
        ),
    )
    distill.add_argument(
        "--student-size",
        type=_positive_int,
        metavar="N",
        help=(
            "size of the student; "
            + "; ".join(describe_size("student", name) for name in STUDENT_SIZES)
        ),
    )
    distill.add_argument(
        "--max-features",
        type=_positive_int,
        metavar="K",
        help=(
            "number of feature columns the student reads, a panel ranked on "
            "the transfer set (default: all columns)"
        ),
    )


def _add_training_options(distill):
    distill.add_argument(
        "--transfer",
        default="cross_fit",
        choices=["cross_fit", "held_out", "in_sample"],
        help=(
            "how training rows get the teacher's soft labels: from clones fitted "
            "on the other folds, from a teacher fitted on a stratified half, or "
            "from the teacher fitted on all of them (default: %(default)s)"
        ),
    )
    distill.add_argument(
        "--cv",
        type=_at_least_two,
        default=5,
        metavar="N",
        help="number of folds of --transfer cross_fit (default: %(default)s)",
    )
    distill.add_argument(
        "--temperature",
        type=_temperature,
        default="auto",
        metavar="T",
        help=(
            "softening of the teacher's probabilities, p ** (1 / T) "
            "renormalised; above 1 spreads them. 'auto' fits T in [1, 20] to "
            "the out-of-sample soft labels of a teacher fitted here with "
            "--transfer cross_fit or held_out, and is 1 with in_sample or a "
            "--teacher file (default: %(default)s)"
        ),
    )
    distill.add_argument(
        "--alpha",
        type=_alpha,
        default="auto",
        metavar="A",
        help=(
            "weight of the true label in the student's target, in [0, 1]; "
            "'auto' is 0.75, or 1 for a logistic student with at least as many "
            "columns (or --max-features) as transfer rows (the held-out rows "
            "with --transfer held_out, plus synthetic rows) and a teacher "
            "fitted here, not a --teacher file (default: %(default)s)"
        ),
    )
    distill.add_argument(
        "--student-rows",
        default="auto",
        choices=["auto", "repeat", "sample"],
        help=(
            "how a classifier student learns the soft labels: one weighted copy "
            "of each row per class, or one label drawn per row, which makes no "
            "copy of the rows; auto repeats up to 100,000 rows "
            "(default: %(default)s)"
        ),
    )
    distill.add_argument(
        "--synthetic",
        default="auto",
        choices=list(SYNTHETIC_CHOICES),
        help=(
            "synthetic rows added to the transfer set and labelled by the "
            "teacher: munge (MUNGE, 5 per row, dense data) or thinning (binomial "
            "thinning of counts, 5 per row); auto adds MUNGE rows for a tree "
            "student on data with more columns than rows (default: %(default)s)"
        ),
    )
    distill.add_argument(
        "--batch-size",
        type=_positive_int,
        metavar="N",
        help=(
            "number of rows the teacher labels per call, which bounds the "
            "memory of each call (default: all rows in one call)"
        ),
    )
    distill.add_argument(
        "--test-size",
        type=_float_in(0, 1, low_closed=True, high_closed=False),
        default=0.25,
        metavar="FRACTION",
        help=(
            "fraction of rows held out, stratified by label, for the report; "
            "0 fits on every row and skips the report (default: %(default)s)"
        ),
    )
    distill.add_argument(
        "--random-state",
        type=_seed,
        default=0,
        metavar="N",
        help=(
            "seed of the test split, the presets and the distiller "
            "(default: %(default)s)"
        ),
    )
    distill.add_argument(
        "--n-jobs",
        type=_n_jobs,
        metavar="N",
        help=(
            "number of processes for the cross-fitting folds, the --batch-size "
            "batches and the random forest's trees; -1 uses every core "
            "(default: 1)"
        ),
    )


def _add_output_options(distill):
    distill.add_argument(
        "--save",
        metavar="MODEL",
        help=(
            "write the fitted distiller to this skops file, with its "
            "provenance record (needs skops)"
        ),
    )
    distill.add_argument(
        "--report",
        metavar="DIR",
        help=(
            "write the report to this directory: report.md or report.html, "
            "report.json and, with matplotlib, PNG plots"
        ),
    )
    distill.add_argument(
        "--report-format",
        default="markdown",
        choices=["markdown", "html"],
        help="format of the report written by --report (default: %(default)s)",
    )
    distill.add_argument(
        "--export-onnx",
        metavar="FILE",
        help=(
            "write the student, with its panel, as an ONNX file, checked "
            "against predict_proba on the test rows (needs skl2onnx and "
            "onnxruntime)"
        ),
    )


def _add_predict_parser(subcommands):
    predict = subcommands.add_parser(
        "predict",
        help="apply a saved model to a data file and write its predictions",
        description=(
            "Load a model saved by `skdistill distill --save`, match the "
            "feature columns of DATA to the model's by name, and write one "
            "row per sample: the id, the predicted label and one proba_<class> "
            "column per class. An error prints one line and exits with status 2."
        ),
    )
    predict.set_defaults(run=run_predict)
    predict.add_argument("model", metavar="MODEL", help="skops file of the model")
    _add_data_argument(predict)
    predict.add_argument(
        "--out",
        required=True,
        metavar="FILE",
        help=(
            "predictions file: .csv, or .tsv or .txt for tab-separated, with "
            "an optional .gz to compress it"
        ),
    )
    predict.add_argument(
        "--label",
        metavar="COLUMN",
        help=(
            "name of a label column to ignore if DATA has one (default: the "
            "label column the model was distilled with)"
        ),
    )
    _add_id_option(predict)
    _add_trust_option(predict, "MODEL")


def _add_info_parser(subcommands):
    info = subcommands.add_parser(
        "info",
        help="print the provenance record of a saved model",
        description=(
            "Print, as JSON, the record that `skdistill distill --save` stores "
            "in a model file: teacher, data hash, package versions, settings, "
            "feature names and classes. The model's code is not loaded."
        ),
    )
    info.set_defaults(run=run_info)
    info.add_argument("model", metavar="MODEL", help="skops file of the model")


def _add_data_argument(parser):
    parser.add_argument(
        "data",
        metavar="DATA",
        help=(
            "table with a header line: .csv, .tsv or .txt, optionally .gz "
            "compressed, or an AnnData .h5ad file (needs anndata)"
        ),
    )


def _add_id_option(parser):
    parser.add_argument(
        "--id",
        metavar="COLUMN",
        help=(
            "name of a column of row ids, which is not a feature (default: the "
            "obs_names of an .h5ad file, else the 0-based row number)"
        ),
    )


def _add_trust_option(parser, loaded_file):
    parser.add_argument(
        "--trust",
        action="append",
        default=[],
        metavar="TYPE",
        help=(
            f"fully qualified type name to trust when loading {loaded_file}, besides "
            "the types skdistill trusts; repeat for several types"
        ),
    )


def main(argv=None):
    """Run the ``skdistill`` command and return its exit status.

    Parameters
    ----------
    argv : list of str, default=None
        Arguments without the program name. None reads ``sys.argv[1:]``.

    Returns
    -------
    status : int
        0 on success, 2 after an error in the input or output of a command,
        which is printed to stderr as one line, 130 when Ctrl-C or SIGTERM
        stops the command, and 1 when stdout is closed before the output is
        written. Invalid arguments make argparse exit with status 2.
    """
    args = build_parser().parse_args(argv)
    if args.command == "demo":
        run_demo(random_state=args.random_state, n_estimators=args.n_estimators)
        return 0
    with _interruptible(), warnings.catch_warnings():
        # MLPClassifier catches Ctrl-C, warns and keeps its half-trained
        # weights; turning that warning into an error stops the command.
        warnings.filterwarnings(
            "error", message="Training interrupted by user", category=UserWarning
        )
        warnings.showwarning = _show_warning
        return _run(args)


def _run(args):
    """Run a command, turning its expected failures into one error line."""
    try:
        return args.run(args)
    except KeyboardInterrupt:
        return _interrupted()
    except UserWarning as exc:
        if not str(exc).startswith("Training interrupted by user"):
            raise
        return _interrupted()
    except CommandError as exc:
        print(f"skdistill: error: {_one_line(exc)}", file=sys.stderr)
        return ERROR_STATUS
    except BrokenPipeError:
        # The reader of stdout closed it early, as `skdistill info MODEL | head`
        # does. Pointing stdout at os.devnull keeps Python from reporting the
        # same error again when it flushes stdout at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


@contextlib.contextmanager
def _interruptible():
    """Make SIGTERM stop the command as Ctrl-C does, so temporary files go.

    A plain ``kill`` or a cancelled cluster job sends SIGTERM, which by
    default ends Python without running ``finally`` blocks.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _interrupted():
    print(
        "skdistill: interrupted. Outputs written before the interruption are "
        "complete, and no partial file is left.",
        file=sys.stderr,
    )
    return INTERRUPTED_STATUS


def _raise_keyboard_interrupt(signum, frame):
    raise KeyboardInterrupt


def _show_warning(message, category, filename, lineno, file=None, line=None):
    """Print a warning as one line, without the source location."""
    print(f"skdistill: warning: {_one_line(message)}", file=sys.stderr)


def _one_line(message):
    """Return ``str(message)`` with every run of whitespace as one space."""
    return " ".join(str(message).split())
