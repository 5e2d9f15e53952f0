"""scikit-learn's GridSearchCV on the e-commerce train set: the peer of `churnkit tune`'s timing.

Same search size as the churnkit bench (20 configurations x 5 stratified folds, ROC AUC,
one process, n_jobs=1), with scikit-learn's usual preprocessing for this table (median
imputation + standardisation for numbers, one-hot for text) and MLPClassifier with early
stopping. Prints one JSON object; bench/tune.ts runs it when `import sklearn` works.

    python3 bench/sklearn_grid_search.py <train.csv> <test.csv> <seed> [quick]

"quick" searches 2 configurations only, to check the script runs.
"""
import json
import sys
import time

import numpy as np
import pandas as pd
import sklearn
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

TARGET, ID = "Churn", "CustomerID"
GRID = {
    # 5 shapes x 2 penalties x 2 rates = 20 configurations, the size of churnkit's search.
    "mlp__hidden_layer_sizes": [(32,), (64, 32), (128, 64), (256, 128), (128, 64, 32)],
    "mlp__alpha": [1e-4, 1e-3],
    "mlp__learning_rate_init": [1e-3, 3e-3],
}


def main(train_csv: str, test_csv: str, seed: int, quick: bool) -> None:
    train = pd.read_csv(train_csv)
    test = pd.read_csv(test_csv)
    features = [column for column in train.columns if column not in (TARGET, ID)]
    text = [column for column in features if train[column].dtype == object]
    numbers = [column for column in features if column not in text]
    preprocess = ColumnTransformer([
        ("numbers", Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())]), numbers),
        ("text", OneHotEncoder(handle_unknown="ignore"), text),
    ])
    pipeline = Pipeline([("prep", preprocess), ("mlp", MLPClassifier(early_stopping=True, max_iter=200, random_state=seed))])
    grid = {**GRID, "mlp__hidden_layer_sizes": [(32,)], "mlp__alpha": [1e-4]} if quick else GRID
    search = GridSearchCV(pipeline, grid, scoring="roc_auc", cv=StratifiedKFold(5, shuffle=True, random_state=seed), n_jobs=1, refit=True)
    started = time.perf_counter()
    search.fit(train[features], train[TARGET])
    seconds = time.perf_counter() - started
    test_auc = roc_auc_score(test[TARGET], search.predict_proba(test[features])[:, 1])
    print(json.dumps({
        "sklearn": sklearn.__version__,
        "configurations": len(search.cv_results_["params"]),
        "folds": 5,
        "seconds": seconds,
        "best_params": {key: list(value) if isinstance(value, tuple) else value for key, value in search.best_params_.items()},
        "best_cv_auc": float(search.best_score_),
        "test_auc": float(test_auc),
        "mean_fit_seconds": float(np.mean(search.cv_results_["mean_fit_time"])),
    }))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:] == ["quick"])
