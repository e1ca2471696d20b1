"""
A gene panel of 20 genes for leukaemia
======================================

The Golub leukaemia data has 72 samples and 5,147 genes. A test that measures
5,000 genes is expensive, a panel of 20 is not. This example distills a random
forest into a logistic regression that reads only 20 genes, lists the panel,
and plots how accuracy and fidelity to the teacher change with the panel
size.
"""

# %%
# Distill a panel of 20 genes
# ---------------------------
# ``max_features=20`` makes the distiller rank the genes on the transfer set
# (by default with a group lasso on the soft labels) and fit the student on
# the 20 best. ``predict`` still takes all 5,147 columns.

import matplotlib.pyplot as plt
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import StratifiedKFold

from skdistill import DistilledClassifier
from skdistill.datasets import load_leukemia
from skdistill.inspection import PanelCurveDisplay

X, y = load_leukemia(return_X_y=True, as_frame=True)
teacher = RandomForestClassifier(n_estimators=30, random_state=0)
distiller = DistilledClassifier(teacher, max_features=20, cv=3, random_state=0)
distiller.fit(X, y)
print(list(distiller.panel_names_))

# %%
# Accuracy against panel size
# ---------------------------
# :class:`~skdistill.inspection.PanelCurveDisplay` refits the distiller at
# each size on the same folds and plots the student's accuracy, its fidelity
# to the teacher and the teacher's accuracy ("all" is every gene). The
# teacher is an unfitted forest, so it is fitted again inside every fold and
# never on the fold's test rows.
cv = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)
sizes = [5, 10, 20, None]
display = PanelCurveDisplay.from_estimator(distiller, X, y, sizes=sizes, cv=cv)
display.ax_.set_title("Leukaemia: logistic panel student, forest teacher")
plt.show()

# %%
# The scores behind the plot, one row per panel size and one column per fold:
panel_20 = sizes.index(20)
print(f"20 genes, student accuracy: {display.accuracy[panel_20].mean():.3f}")
print(f"20 genes, fidelity: {display.fidelity[panel_20].mean():.3f}")
print(f"teacher accuracy: {display.teacher_accuracy.mean():.3f}")

# %%
# Three folds of 24 test rows give a rough curve. ``benchmarks/panel.py``
# repeats 5-fold cross-validation three times for every size and ranking.
