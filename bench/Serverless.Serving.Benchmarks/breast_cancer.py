#!/usr/bin/python3
"""Writes scikit-learn's bundled Wisconsin breast cancer dataset (569 rows, 30 numeric features) as CSV:
feature names in snake_case, label column `diagnosis` (malignant | benign). Usage: breast_cancer.py OUT.csv"""
import csv
import sys

from sklearn.datasets import load_breast_cancer

data = load_breast_cancer()
names = [n.replace(" ", "_") for n in data.feature_names]
with open(sys.argv[1], "w", newline="") as f:
    out = csv.writer(f, lineterminator="\n")
    out.writerow(names + ["diagnosis"])
    for row, target in zip(data.data, data.target):
        out.writerow([repr(float(v)) for v in row] + [str(data.target_names[target])])
