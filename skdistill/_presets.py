"""Named teachers and students of the ``skdistill distill`` command."""

# SPDX-License-Identifier: BSD-3-Clause

from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier

from skdistill._io import CommandError

# The size of each teacher is its number of trees: the forest's n_estimators,
# or the boosting iterations of HistGradientBoostingClassifier (max_iter, one
# tree per class and iteration beyond two classes). rbf-svm has no size.
TEACHER_SIZES = {
    "random-forest": ("number of trees", 500),
    "hist-gradient-boosting": ("number of boosting iterations", 100),
    "rbf-svm": None,
}
# The size of each student: a tree's max_depth and the MLP's hidden units, the
# sizes measured in benchmarks/quality.py. The logistic student has no size.
STUDENT_SIZES = {
    "tree": ("maximum depth", 4),
    "mlp": ("number of hidden units", 32),
    "logistic": None,
}


def resolve_size(kind, name, size):
    """Return the size of a preset, its default for None; raise if it has none."""
    sizes = TEACHER_SIZES if kind == "teacher" else STUDENT_SIZES
    option = f"--{kind}-size"
    if sizes[name] is None:
        if size is not None:
            raise CommandError(
                f"{option} {size} does not apply to --{kind} {name}, which has no "
                f"size. Leave out {option}."
            )
        return None
    return sizes[name][1] if size is None else size


def make_teacher(name, *, size=None, sparse=False, random_state=None, n_jobs=None):
    """Build an unfitted teacher from its preset name.

    Parameters
    ----------
    name : {"random-forest", "hist-gradient-boosting", "rbf-svm"}
        The preset.

    size : int, default=None
        Number of trees or boosting iterations (``TEACHER_SIZES``); None
        takes the preset's default.

    sparse : bool, default=False
        Whether the rows are a sparse matrix, which the SVM's scaler then
        scales without centring.

    random_state : int or None, default=None
        Seed of the teacher.

    n_jobs : int or None, default=None
        Number of trees the random forest fits in parallel.

    Returns
    -------
    teacher : estimator
    """
    size = resolve_size("teacher", name, size)
    if name == "random-forest":
        return RandomForestClassifier(
            n_estimators=size, random_state=random_state, n_jobs=n_jobs
        )
    if name == "hist-gradient-boosting":
        return HistGradientBoostingClassifier(max_iter=size, random_state=random_state)
    # SVC(probability=True) is deprecated in scikit-learn 1.9. Platt scaling
    # fitted on cross-validated decision values gives the probabilities
    # instead; ensemble=False keeps one SVC fitted on all rows.
    # NOTE: the calibration's own 5 stratified folds need 5 rows of each class
    # in every teacher fit. The command checks only --cv and the test split,
    # so a rarer class fails in fit, which the command reports in one line.
    return make_pipeline(
        StandardScaler(with_mean=not sparse),
        CalibratedClassifierCV(SVC(), ensemble=False),
    )


def make_student(name, *, size=None, sparse=False, random_state=None):
    """Build an unfitted student from its preset name.

    Parameters
    ----------
    name : {"tree", "mlp", "logistic"}
        The preset.

    size : int, default=None
        Tree depth or hidden units (``STUDENT_SIZES``); None takes the
        preset's default.

    sparse : bool, default=False
        Whether the rows are a sparse matrix, which the MLP's scaler then
        scales without centring.

    random_state : int or None, default=None
        Seed of the student.

    Returns
    -------
    student : estimator or None
        None for ``"logistic"``, which is the default student of
        :class:`~skdistill.DistilledClassifier`.
    """
    size = resolve_size("student", name, size)
    if name == "tree":
        return DecisionTreeClassifier(max_depth=size, random_state=random_state)
    if name == "mlp":
        return make_pipeline(
            StandardScaler(with_mean=not sparse),
            MLPClassifier(hidden_layer_sizes=(size,), random_state=random_state),
        )
    return None


def describe_size(kind, name):
    """Return the help text of a preset's size, such as "number of trees, 500"."""
    sizes = TEACHER_SIZES if kind == "teacher" else STUDENT_SIZES
    if sizes[name] is None:
        return f"{name}: none"
    unit, default = sizes[name]
    return f"{name}: {unit}, default {default}"
