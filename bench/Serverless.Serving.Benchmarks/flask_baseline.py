"""The tuned peer: Flask + scikit-learn as a team would deploy it, under gunicorn (started by GunicornPeer.cs as
`gunicorn --workers 2 --worker-class sync --preload flask_baseline:app` with OMP_NUM_THREADS=1).
Environment: BENCH_DATA (CSV path), BENCH_LABEL (label column). Trains a HistGradientBoostingClassifier once
(--preload: before the workers fork), then serves POST /predict ({"instances": [{column: value}]}) ->
{"predictions": [{"label", "probabilities"}]} and GET /health."""
import csv
import os

import numpy as np
from flask import Flask, jsonify, request
from sklearn.ensemble import HistGradientBoostingClassifier

with open(os.environ["BENCH_DATA"], newline="") as f:
    rows = list(csv.DictReader(f))
label = os.environ["BENCH_LABEL"]
features = [c for c in rows[0].keys() if c != label]
x = np.array([[float(r[c]) for c in features] for r in rows], dtype=np.float64)
y = np.array([r[label] for r in rows])
model = HistGradientBoostingClassifier(max_iter=100).fit(x, y)
classes = [str(c) for c in model.classes_]

app = Flask(__name__)


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
