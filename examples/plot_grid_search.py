"""
Tune a distiller with a grid search
===================================

:class:`~skdistill.DistilledClassifier` is a scikit-learn classifier, so
:class:`~sklearn.model_selection.GridSearchCV` tunes its parameters like
any other estimator's. This example searches the temperature and the
hard-label weight ``alpha`` of a 10-gene panel student. ``max_features`` and
the parameters of an explicitly passed student (``student__...``) join a
grid the same way.
"""

# %%
# The grid
# --------
# The teacher is passed unfitted. Each candidate in each fold then fits its
# own teacher on the fold's training rows, so no soft label comes from a model
# that saw the validation rows.

import matplotlib.pyplot as plt
import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import GridSearchCV, StratifiedKFold

from skdistill import DistilledClassifier
from skdistill.datasets import load_srbct

X, y = load_srbct(return_X_y=True, as_frame=True)
teacher = RandomForestClassifier(n_estimators=30, random_state=0)
distiller = DistilledClassifier(teacher, max_features=10, cv=3, random_state=0)

param_grid = {
    "temperature": [1.0, 2.0],
    "alpha": [0.0, 0.5, 0.9],
}
search = GridSearchCV(
    distiller,
    param_grid,
    cv=StratifiedKFold(n_splits=3, shuffle=True, random_state=0),
)
search.fit(X, y)
print("best parameters:", search.best_params_)
print(f"best mean accuracy: {search.best_score_:.3f}")

# %%
# Mean validation accuracy of each candidate
# ------------------------------------------
results = search.cv_results_
temperatures = param_grid["temperature"]
alphas = param_grid["alpha"]
grid = np.array(results["mean_test_score"]).reshape(len(alphas), len(temperatures))

fig, ax = plt.subplots()
image = ax.imshow(grid, vmin=grid.min() - 0.05, vmax=1.0, cmap="viridis")
ax.set_xticks(range(len(temperatures)), [str(t) for t in temperatures])
ax.set_yticks(range(len(alphas)), [str(a) for a in alphas])
ax.set_xlabel("temperature")
ax.set_ylabel("alpha (weight of the true label)")
for row in range(len(alphas)):
    for column in range(len(temperatures)):
        ax.text(column, row, f"{grid[row, column]:.3f}", ha="center", va="center")
fig.colorbar(image, label="mean validation accuracy")
ax.set_title("SRBCT, 10-gene logistic student")
plt.show()

# %%
# With 83 samples and three folds, candidates that differ by a row or two are
# not really different. The search only shows which settings are clearly
# worse.
