"""Compare panel students, by ranking and panel size, with a univariate baseline.

On the gene-expression sets, the script distills the teacher into each student
restricted to k genes (``max_features=k``), for every feature ranking of
DistilledClassifier, over repeated stratified K-fold cross-validation. Beside
each distilled panel student it trains a baseline: the k genes with the best
ANOVA F statistic on the labels (``SelectKBest(f_classif)``) and the same
student fitted directly on the labels. It reports the mean and standard
deviation over the test folds of accuracy and fidelity to the teacher, and the
mean fit time of the student side.

Teacher fits are memoised as in ``quality.py``: a teacher fitted on the same
rows is fitted once per fold and reused by every ranking, size and student.

Run it from an environment where skdistill is installed::

    python benchmarks/panel.py --quick
    python benchmarks/panel.py --out panel.md --json panel.json --figures docs/img

Progress goes to stderr and the tables to stdout. ``--replot panel.json``
draws the figures again from a saved run without fitting anything.
"""

# SPDX-License-Identifier: BSD-3-Clause

import argparse
import json
import shlex
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

# quality.py sits beside this script, so it is importable when the script runs.
from quality import (
    RANDOM_STATE,
    TEACHER_FITS,
    Fold,
    MemoisedClassifier,
    Report,
    add_run_arguments,
    build_students,
    build_teachers,
    clear_teacher_cache,
    describe_models,
    finish_run_arguments,
    fit_counting_warnings,
    format_mean_sd,
    load_dataset,
    warning_table,
)
from sklearn.base import clone
from sklearn.feature_selection import SelectKBest, f_classif
from sklearn.model_selection import RepeatedStratifiedKFold
from sklearn.pipeline import Pipeline

# threadpoolctl is a run-time dependency of scikit-learn.
from threadpoolctl import threadpool_limits

from skdistill import DistilledClassifier
from skdistill._demo import describe_machine, fidelity_score
from skdistill._panel import RANKINGS

DATASETS = ("srbct", "leukemia")
PANEL_SIZES = (5, 10, 20, 50, 100)
BASELINE = "SelectKBest(f_classif)"
# The name of the panel size that keeps every gene.
ALL_GENES = "all"
# The method name of the teacher's own scores. "teacher" is a feature ranking.
TEACHER_SCORES = "teacher model"


# The hard-label weight, synthetic rows and temperature of every distiller.
# The figures in docs/benchmarks.md were measured with 0.5, no synthetic rows
# and temperature 1. DistilledClassifier's defaults are 0.75, MUNGE rows for a
# tree on wide data and a temperature fitted to the out-of-fold labels.
ALPHA = 0.5
SYNTHETIC = None
TEMPERATURE = 1.0

# The aims of the benchmark: a panel of at most AIM_MAX_GENES genes whose
# distilled student is within AIM_GAP of the teacher's accuracy.
AIM_MAX_GENES = 20
AIM_GAP = 0.03


@dataclass
class PanelResult:
    """Scores and fit time of one model on one test fold."""

    dataset: str
    teacher: str
    student: str
    # A feature ranking of DistilledClassifier, BASELINE, "direct" (the student
    # on every gene), "all genes" (distilled on every gene) or TEACHER_SCORES.
    method: str
    # A panel size, or ALL_GENES.
    k: str
    fold: int
    accuracy: float
    fidelity: float
    seconds: float


def with_panel(student, k):
    """Return the baseline: SelectKBest(f_classif, k) before the student.

    The selector goes first, so the student's own preprocessing (the scaler
    of the MLP and of logistic regression) receives only the k selected genes,
    as in a distilled panel student.
    """
    selector = ("select", SelectKBest(f_classif, k=k))
    if isinstance(student, Pipeline):
        return Pipeline([selector, *clone(student).steps])
    return Pipeline([selector, ("student", clone(student))])


def fit_seconds(model, X, y, warning_counts, where):
    """Fit a model, counting its warnings, and return its wall time."""
    start = time.perf_counter()
    fit_counting_warnings(model, X, y, warning_counts, where)
    return time.perf_counter() - start


def run_fold(dataset, X, y, fold, teacher_name, teacher, students, sizes, ctx):
    """Score the teacher, the baselines and every distilled panel student."""
    X_train, X_test, y_train, y_test = fold.split(X, y)
    results = []

    def record(student, method, k, y_pred, y_teacher, seconds):
        results.append(
            PanelResult(
                dataset,
                teacher_name,
                student,
                method,
                str(k),
                fold.index,
                float(np.mean(y_pred == y_test)),
                float(fidelity_score(y_teacher, y_pred)),
                seconds,
            )
        )

    template = MemoisedClassifier(teacher)
    fold_teacher = clone(template)
    seconds = fit_seconds(
        fold_teacher,
        X_train,
        y_train,
        ctx["warnings"],
        (dataset, teacher_name, "teacher"),
    )
    y_teacher = fold_teacher.predict(X_test)
    record("-", TEACHER_SCORES, ALL_GENES, y_teacher, y_teacher, seconds)

    for student_name, student in students.items():
        for k in sizes:
            baseline = clone(student) if k == ALL_GENES else with_panel(student, k)
            method = "direct" if k == ALL_GENES else BASELINE
            seconds = fit_seconds(
                baseline,
                X_train,
                y_train,
                ctx["warnings"],
                (dataset, student_name, method),
            )
            record(
                student_name, method, k, baseline.predict(X_test), y_teacher, seconds
            )

            # Every ranking keeps every gene when the panel is all of them, so
            # the all-gene student is distilled once.
            rankings = ("all genes",) if k == ALL_GENES else RANKINGS
            for ranking in rankings:
                params = {}
                if k != ALL_GENES:
                    params = {"max_features": k, "feature_ranking": ranking}
                distiller = DistilledClassifier(
                    template,
                    student,
                    alpha=ALPHA,
                    synthetic=SYNTHETIC,
                    temperature=TEMPERATURE,
                    random_state=RANDOM_STATE,
                    **params,
                )
                TEACHER_FITS.reset()
                seconds = fit_seconds(
                    distiller,
                    X_train,
                    y_train,
                    ctx["warnings"],
                    (dataset, student_name, f"{ranking}, k={k}"),
                )
                seconds -= TEACHER_FITS.reset().wall_seconds
                record(
                    student_name,
                    ranking,
                    k,
                    distiller.predict(X_test),
                    y_teacher,
                    seconds,
                )
    return results


def run_dataset(dataset, args, ctx):
    """Run every fold of one data set and return its results."""
    X, y = load_dataset(dataset)
    sizes = [k for k in PANEL_SIZES if k < X.shape[1]] + [ALL_GENES]
    teachers = build_teachers(args.teachers, dataset, args.n_estimators)
    students = build_students(args.students, dataset)
    splitter = RepeatedStratifiedKFold(
        n_splits=args.folds, n_repeats=args.repeats, random_state=RANDOM_STATE
    )
    results = []
    for index, (train, test) in enumerate(splitter.split(X, y)):
        fold = Fold(index, train, test)
        clear_teacher_cache()
        for teacher_name, teacher in teachers.items():
            start = time.perf_counter()
            results += run_fold(
                dataset, X, y, fold, teacher_name, teacher, students, sizes, ctx
            )
            progress(
                f"{dataset} fold {index + 1}/{args.folds * args.repeats} "
                f"{teacher_name}: {time.perf_counter() - start:.0f} s"
            )
    return results


def scores_by_key(results, field):
    """Return {(dataset, teacher, student, method, k): [score per fold]}."""
    groups = {}
    for result in results:
        key = (result.dataset, result.teacher, result.student, result.method, result.k)
        groups.setdefault(key, []).append(getattr(result, field))
    return groups


def size_table(results, field, sizes):
    """Return a table with one row per student and method, one column per k."""
    groups = scores_by_key(results, field)
    header = ("dataset", "teacher", "student", "method", *[f"k={k}" for k in sizes])
    rows = []
    students = dict.fromkeys(key[:3] for key in groups if key[2] != "-")
    for dataset, teacher, student in students:
        for method in (*RANKINGS, BASELINE):
            cells = []
            for k in sizes:
                values = groups.get(
                    (dataset, teacher, student, _method_at(method, k), k)
                )
                cells.append("-" if values is None else format_mean_sd(values))
            rows.append((dataset, teacher, student, method, *cells))
    return header, rows


def teacher_rows(results):
    """Return the header and rows of the teachers' accuracy."""
    groups = scores_by_key(results, "accuracy")
    header = ("dataset", "teacher", "accuracy", "fit s")
    seconds = scores_by_key(results, "seconds")
    rows = [
        (key[0], key[1], format_mean_sd(values), f"{np.mean(seconds[key]):.2f}")
        for key, values in groups.items()
        if key[3] == TEACHER_SCORES
    ]
    return header, rows


def aim_rows(results, sizes):
    """Check the two aims for every data set, teacher, student and ranking.

    The first is the smallest panel of at most AIM_MAX_GENES genes whose mean
    accuracy is within AIM_GAP of the teacher's. The second counts the panel
    sizes at which the distilled student's mean accuracy is at least the
    baseline's.
    """
    groups = scores_by_key(results, "accuracy")
    header = (
        "dataset",
        "teacher",
        "student",
        "ranking",
        "teacher acc",
        f"smallest k <= {AIM_MAX_GENES} within {AIM_GAP:.2f}",
        "k where >= baseline",
    )
    rows = []
    panel_sizes = [k for k in sizes if k != ALL_GENES]
    students = dict.fromkeys(key[:3] for key in groups if key[2] != "-")
    for dataset, teacher, student in students:
        teacher_acc = np.mean(
            groups[(dataset, teacher, "-", TEACHER_SCORES, ALL_GENES)]
        )
        for ranking in RANKINGS:
            within = [
                k
                for k in panel_sizes
                if int(k) <= AIM_MAX_GENES
                and np.mean(groups[(dataset, teacher, student, ranking, k)])
                >= teacher_acc - AIM_GAP
            ]
            wins = [
                k
                for k in panel_sizes
                if np.mean(groups[(dataset, teacher, student, ranking, k)])
                >= np.mean(groups[(dataset, teacher, student, BASELINE, k)])
            ]
            rows.append(
                (
                    dataset,
                    teacher,
                    student,
                    ranking,
                    f"{teacher_acc:.3f}",
                    within[0] if within else "none",
                    f"{len(wins)}/{len(panel_sizes)}: {', '.join(wins) or '-'}",
                )
            )
    return header, rows


def ranking_rows(results, sizes):
    """Average each ranking's accuracy and fidelity over every panel setting.

    The mean runs over data sets, teachers, students and panel sizes below
    all genes, so each ranking is judged on the same settings.
    """
    accuracy = scores_by_key(results, "accuracy")
    fidelity = scores_by_key(results, "fidelity")
    seconds = scores_by_key(results, "seconds")
    header = ("method", "mean accuracy", "mean fidelity", "mean student fit s")
    rows = []
    for method in (*RANKINGS, BASELINE):
        keys = [key for key in accuracy if key[3] == method and key[4] != ALL_GENES]
        rows.append(
            (
                method,
                f"{np.mean([np.mean(accuracy[key]) for key in keys]):.3f}",
                f"{np.mean([np.mean(fidelity[key]) for key in keys]):.3f}",
                f"{np.mean([np.mean(seconds[key]) for key in keys]):.2f}",
            )
        )
    return header, rows


def plot_results(results, sizes, directory):
    """Draw accuracy and fidelity against panel size, one figure per data set.

    Returns the paths of the PNG files written.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    accuracy = scores_by_key(results, "accuracy")
    fidelity = scores_by_key(results, "fidelity")
    paths = []
    for dataset, teacher in dict.fromkeys((r.dataset, r.teacher) for r in results):
        students = list(
            dict.fromkeys(
                r.student
                for r in results
                if (r.dataset, r.teacher) == (dataset, teacher) and r.student != "-"
            )
        )
        fig, axes = plt.subplots(
            2, len(students), figsize=(4 * len(students), 6.5), squeeze=False
        )
        teacher_acc = np.mean(
            accuracy[(dataset, teacher, "-", TEACHER_SCORES, ALL_GENES)]
        )
        positions = np.arange(len(sizes))
        for column, student in enumerate(students):
            for row, (label, groups) in enumerate(
                (("accuracy", accuracy), ("fidelity", fidelity))
            ):
                ax = axes[row, column]
                for method in (*RANKINGS, BASELINE):
                    values = [
                        np.mean(
                            groups[
                                (
                                    dataset,
                                    teacher,
                                    student,
                                    _method_at(method, k),
                                    k,
                                )
                            ]
                        )
                        for k in sizes
                    ]
                    style = "--" if method == BASELINE else "-"
                    ax.plot(positions, values, style, marker="o", label=method)
                if label == "accuracy":
                    ax.axhline(teacher_acc, color="grey", lw=1, label="teacher")
                ax.set_xticks(positions, [str(k) for k in sizes])
                ax.set_xlabel("panel size (genes)")
                ax.set_ylabel(label)
                ax.set_title(f"{student}: {label}")
                ax.grid(alpha=0.3)
        axes[0, 0].legend(fontsize="small")
        fig.suptitle(f"{dataset}, teacher {teacher}")
        fig.tight_layout()
        path = directory / f"panel_{dataset}_{_slug(teacher)}.png"
        fig.savefig(path, dpi=100)
        plt.close(fig)
        paths.append(path)
    return paths


def _method_at(method, k):
    """Return the method name under which a panel size's scores are stored."""
    if k != ALL_GENES:
        return method
    return "direct" if method == BASELINE else "all genes"


def _slug(name):
    return "".join(c.lower() if c.isalnum() else "_" for c in name).strip("_")


def progress(message):
    print(f"[panel] {message}", file=sys.stderr, flush=True)


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="Progress lines go to stderr, the tables to stdout.",
    )

    parser.add_argument(
        "--datasets",
        nargs="+",
        choices=DATASETS,
        default=list(DATASETS),
        help="data sets to run (default: both)",
    )
    parser.add_argument(
        "--teachers",
        nargs="+",
        choices=("rf", "hgb", "svc"),
        default=["rf"],
        help="teachers: rf (random forest), hgb (histogram gradient boosting), "
        "svc (RBF SVC) (default: rf)",
    )
    add_run_arguments(parser)

    parser.add_argument(
        "--out", metavar="FILE", help="also write the tables as Markdown to FILE"
    )
    parser.add_argument(
        "--json", metavar="FILE", help="also write every fold's scores to FILE"
    )
    parser.add_argument(
        "--figures",
        metavar="DIR",
        help="draw accuracy and fidelity against panel size as PNG files in DIR "
        "(needs matplotlib)",
    )
    parser.add_argument(
        "--replot",
        metavar="FILE",
        help="read the fold scores that --json wrote to FILE and only print the "
        "tables and draw the figures",
    )

    return finish_run_arguments(parser, parser.parse_args(argv))


def report_results(results, preamble, args, warnings_seen):
    """Print the tables, write the Markdown and JSON files and the figures."""
    sizes = list(dict.fromkeys(r.k for r in results if r.method != TEACHER_SCORES))
    sizes.sort(key=lambda k: float("inf") if k == ALL_GENES else int(k))
    report = Report(preamble, args.out)
    report.add("Teachers", *teacher_rows(results))
    report.add(
        "Accuracy by panel size",
        *size_table(results, "accuracy", sizes),
        note=f"{BASELINE} rows train the student directly on the labels of the "
        "k genes with the best F statistic; the k=all column is the student "
        "trained directly (baseline rows) or distilled on every gene.",
    )
    report.add("Fidelity by panel size", *size_table(results, "fidelity", sizes))
    report.add("Mean over panel sizes 5 to 100", *ranking_rows(results, sizes))
    report.add("Aims", *aim_rows(results, sizes))
    if warnings_seen:
        report.add("Warnings", *warning_table(warnings_seen))
    report.write_markdown()
    if args.json:
        payload = {
            "preamble": preamble,
            "results": [asdict(r) for r in results],
            "warnings": [[*key, count] for key, count in warnings_seen.items()],
        }
        Path(args.json).write_text(json.dumps(payload, indent=1), encoding="utf-8")
    if args.figures:
        for path in plot_results(results, sizes, args.figures):
            progress(f"wrote {path}")


def main(argv=None):
    args = parse_args(argv)
    if args.replot:
        payload = json.loads(Path(args.replot).read_text(encoding="utf-8"))
        results = [PanelResult(**r) for r in payload["results"]]
        warnings_seen = Counter(
            {tuple(entry[:-1]): entry[-1] for entry in payload["warnings"]}
        )
        report_results(results, payload["preamble"], args, warnings_seen)
        return

    teachers = build_teachers(args.teachers, args.datasets[0], args.n_estimators)
    students = build_students(args.students, args.datasets[0])
    preamble = [
        describe_machine(),
        f"Command: {shlex.join([sys.executable, *sys.argv])}",
        f"Cross-validation: RepeatedStratifiedKFold(n_splits={args.folds}, "
        f"n_repeats={args.repeats}, random_state={RANDOM_STATE}). Tables give "
        "the mean ± sample standard deviation over the test folds.",
        "Fidelity: share of test rows on which the model predicts the class "
        "that the teacher fitted on the whole training fold predicts.",
        f"Teachers: {describe_models(teachers)}",
        f"Students: {describe_models(students)}",
        "Distilled: DistilledClassifier defaults with max_features=k and each "
        f"feature_ranking in {RANKINGS}.",
        "Thread pools limited to one thread; student fit times exclude the "
        "teacher's fits.",
    ]
    print("\n".join(preamble), flush=True)

    ctx = {"warnings": Counter()}
    results = []
    start = time.perf_counter()
    # One thread per process, so that timings do not depend on how many other
    # processes share the machine's cores.
    with threadpool_limits(limits=1):
        for dataset in args.datasets:
            results += run_dataset(dataset, args, ctx)
    preamble.append(f"Total wall time: {time.perf_counter() - start:.0f} s")
    report_results(results, preamble, args, ctx["warnings"])


if __name__ == "__main__":
    main()
