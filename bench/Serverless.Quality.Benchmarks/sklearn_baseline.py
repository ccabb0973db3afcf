#!/usr/bin/python3
"""The scikit-learn side of the quality benchmark (run with /usr/bin/python3: Debian's python3-sklearn 1.2.1).

  sklearn_baseline.py export OUT        writes the datasets scikit-learn ships (or generates) as CSV files into OUT
  sklearn_baseline.py score OUT NAME... for each NAME, reads OUT/NAME.csv and the product's split OUT/NAME.split.json
                                        (row indexes of train+validation and test, label, task), tunes
                                        HistGradientBoosting (16 settings, early stopping) by 5-fold CV on train+validation and writes its test
                                        metric to OUT/NAME.sklearn.json
"""
import csv
import json
import math
import sys
import time

import numpy as np
from sklearn.datasets import load_breast_cancer, load_iris, make_friedman1
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.metrics import accuracy_score, r2_score, roc_auc_score
from sklearn.model_selection import GridSearchCV

# 16 settings x 5 folds; the number of trees is chosen by early stopping (10 % of each fit's rows held out, 20 rounds
# without improvement, at most 500 trees) instead of being a grid axis. Small enough that the whole bench (both sides,
# every dataset) finishes in under 10 minutes on an idle 2-core machine.
GRID = {
    "learning_rate": [0.05, 0.1],
    "max_leaf_nodes": [7, 31],
    "min_samples_leaf": [5, 20],
    "l2_regularization": [0.0, 1.0],
}
EARLY_STOPPING = {"max_iter": 500, "early_stopping": True, "validation_fraction": 0.1, "n_iter_no_change": 20}


def export(out):
    cancer = load_breast_cancer()
    write(f"{out}/breast_cancer.csv", [n.replace(" ", "_") for n in cancer.feature_names], cancer.data,
          "diagnosis", [("malignant", "benign")[t] for t in cancer.target])
    iris = load_iris()
    write(f"{out}/iris.csv", [n.replace(" (cm)", "").replace(" ", "_") for n in iris.feature_names], iris.data,
          "species", [iris.target_names[t] for t in iris.target])
    x, y = make_friedman1(n_samples=500, n_features=10, noise=1.0, random_state=5)
    write(f"{out}/friedman1.csv", [f"x{i}" for i in range(10)], x, "target", [repr(v) for v in y])


def write(path, names, data, label, labels):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(list(names) + [label])
        for row, target in zip(data, labels):
            w.writerow([repr(float(v)) for v in row] + [target])


def read(path, label):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    target_index = header.index(label)
    features, categorical = [], []
    for c, name in enumerate(header):
        if c == target_index:
            continue
        values = [r[c] for r in body]
        try:
            features.append([float(v) if v != "" else math.nan for v in values])
            categorical.append(False)
        except ValueError:
            vocabulary = sorted({v for v in values if v != ""})
            features.append([float(vocabulary.index(v)) if v != "" else math.nan for v in values])
            categorical.append(True)
    return np.array(features).T, [r[target_index] for r in body], categorical


def score(out, name):
    with open(f"{out}/{name}.split.json") as f:
        split = json.load(f)
    x, y, categorical = read(f"{out}/{name}.csv", split["label"])
    task = split["task"]
    fit, test = split["fit"], split["test"]
    if task == "regression":
        y = np.array([float(v) for v in y])
        model, scoring = HistGradientBoostingRegressor(categorical_features=categorical, random_state=0, **EARLY_STOPPING), "r2"
    else:
        y = np.array(y)
        model = HistGradientBoostingClassifier(categorical_features=categorical, random_state=0, **EARLY_STOPPING)
        scoring = "roc_auc" if task == "binary" else "accuracy"
    started = time.perf_counter()
    search = GridSearchCV(model, GRID, scoring=scoring, cv=5, n_jobs=2).fit(x[fit], y[fit])
    best = search.best_estimator_
    if task == "regression":
        metric, value = "r2", r2_score(y[test], best.predict(x[test]))
    elif task == "binary":
        positive = split["positive"]
        column = list(best.classes_).index(positive)
        metric, value = "auc", roc_auc_score(y[test] == positive, best.predict_proba(x[test])[:, column])
    else:
        metric, value = "accuracy", accuracy_score(y[test], best.predict(x[test]))
    with open(f"{out}/{name}.sklearn.json", "w") as f:
        json.dump({"metric": metric, "value": value, "cv": search.best_score_, "params": search.best_params_, "trees": int(best.n_iter_), "seconds": time.perf_counter() - started}, f)
    print(f"{name}: sklearn {metric} {value:.4f} ({search.best_params_}, {best.n_iter_} trees, {time.perf_counter() - started:.1f} s)", flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "export":
        export(sys.argv[2])
    else:
        for dataset in sys.argv[3:]:
            score(sys.argv[2], dataset)
