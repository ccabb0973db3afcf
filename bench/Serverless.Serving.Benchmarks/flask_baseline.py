#!/usr/bin/python3
"""The stack a team would otherwise write: Flask + scikit-learn serving a model of the same data.
Usage: flask_baseline.py DATA.csv LABEL PORT. Trains a HistGradientBoostingClassifier, then serves
POST /predict ({"instances": [{column: value}]}) -> {"predictions": [{"label", "probabilities"}]} and GET /health."""
import csv
import logging
import sys

import numpy as np
from flask import Flask, jsonify, request
from sklearn.ensemble import HistGradientBoostingClassifier

path, label, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(path, newline="") as f:
    rows = list(csv.DictReader(f))
features = [c for c in rows[0].keys() if c != label]
x = np.array([[float(r[c]) for c in features] for r in rows], dtype=np.float64)
y = np.array([r[label] for r in rows])
model = HistGradientBoostingClassifier(max_iter=100).fit(x, y)
classes = [str(c) for c in model.classes_]

app = Flask(__name__)
logging.getLogger("werkzeug").setLevel(logging.ERROR)


@app.get("/health")
def health():
    return jsonify(status="ok")


@app.post("/predict")
def predict():
    instances = request.get_json()["instances"]
    batch = np.array([[float(i[c]) for c in features] for i in instances], dtype=np.float64)
    probabilities = model.predict_proba(batch)
    return jsonify(predictions=[
        {"label": classes[int(np.argmax(p))], "probabilities": dict(zip(classes, map(float, p)))}
        for p in probabilities])


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=port, threaded=True)
