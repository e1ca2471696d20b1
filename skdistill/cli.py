"""Command-line interface: ``skdistill demo``."""

# SPDX-License-Identifier: BSD-3-Clause

import argparse

import skdistill
from skdistill._demo import run_demo

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
            "with DistilledClassifier, and print a table comparing them on the "
            "test rows: accuracy, macro F1, fidelity, predict_proba time and "
            "pickled size."
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
    return parser


def main(argv=None):
    """Run the ``skdistill`` command and return its exit status.

    Parameters
    ----------
    argv : list of str, default=None
        Arguments without the program name. None reads ``sys.argv[1:]``.

    Returns
    -------
    status : int
        0 on success. Invalid arguments make argparse exit with status 2.
    """
    args = build_parser().parse_args(argv)
    if args.command == "demo":
        run_demo(random_state=args.random_state, n_estimators=args.n_estimators)
    return 0
