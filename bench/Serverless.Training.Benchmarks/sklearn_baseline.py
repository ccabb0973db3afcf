"""What a data scientist would do with the benchmark's CSV: load it with numpy, hold out 20 %, fit scikit-learn's
HistGradientBoostingClassifier (100 iterations, 31 leaves) and report the test AUC. Prints one JSON line (RESULT ...)."""
import json
import resource
import sys
import time

start = time.perf_counter()
import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import accuracy_score, roc_auc_score
from sklearn.model_selection import train_test_split

steps = []
phase = time.perf_counter()
steps.append({"name": "import numpy and scikit-learn", "seconds": phase - start})
data = np.loadtxt(sys.argv[1], delimiter=",", skiprows=1)
x, y = data[:, :-1], data[:, -1]
seed = int(sys.argv[2]) if len(sys.argv) > 2 else 42
x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.2, random_state=seed)
now = time.perf_counter()
steps.append({"name": f"load (numpy.loadtxt, {len(y_train)} training rows)", "seconds": now - phase})
phase = now
model = HistGradientBoostingClassifier(max_iter=100, max_leaf_nodes=31, random_state=seed).fit(x_train, y_train)
now = time.perf_counter()
steps.append({"name": "train", "seconds": now - phase})
phase = now
probability = model.predict_proba(x_test)[:, 1]
auc = roc_auc_score(y_test, probability)
accuracy = accuracy_score(y_test, probability > 0.5)
now = time.perf_counter()
steps.append({"name": "evaluate", "seconds": now - phase})
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print("RESULT " + json.dumps({"side": "sklearn", "seconds": now - start, "peakWorkingSetBytes": peak,
                              "auc": auc, "accuracy": accuracy, "steps": steps}))
