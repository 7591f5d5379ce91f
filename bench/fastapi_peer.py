#!/usr/bin/python3
"""The serving benchmark's Python peer: a scikit-learn pipeline behind FastAPI
and uvicorn, the shape of MLflow's scoring server and of most hand-written
model services.

  fastapi_peer.py train DATA.csv TARGET MODEL.pkl [--trees N --depth D]
      fits OneHotEncoder (categorical columns) + passthrough (numeric) +
      GradientBoostingClassifier and pickles the pipeline
  MLPIPE_PEER_MODEL=MODEL.pkl python3 -m uvicorn fastapi_peer:app --port P
      serves POST /v1/models/{name}:predict with {"instances": [{...}]} and
      answers {"predictions": [{"label", "probabilities": {class: p}}]} as
      `mlpipe serve` does.
"""
import os
import pickle
import sys

MODEL = None


def train(data, target, out, trees, depth):
    import pandas as pd
    from sklearn.compose import ColumnTransformer
    from sklearn.ensemble import GradientBoostingClassifier
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder

    df = pd.read_csv(data)
    y = df.pop(target)
    categorical = [c for c in df.columns if df[c].dtype == object]
    pipe = Pipeline([
        ("features", ColumnTransformer(
            [("onehot", OneHotEncoder(handle_unknown="ignore"), categorical)],
            remainder="passthrough")),
        ("model", GradientBoostingClassifier(n_estimators=trees, max_depth=depth,
                                             random_state=0)),
    ])
    pipe.fit(df, y)
    with open(out, "wb") as f:
        pickle.dump({"pipeline": pipe, "columns": list(df.columns)}, f)


def make_app():
    import pandas as pd
    from fastapi import FastAPI, Request

    with open(os.environ["MLPIPE_PEER_MODEL"], "rb") as f:
        saved = pickle.load(f)
    pipe, columns = saved["pipeline"], saved["columns"]
    classes = [str(c) for c in pipe.classes_]
    app = FastAPI()

    @app.post("/v1/models/{name}:predict")
    async def predict(name: str, request: Request):
        body = await request.json()
        df = pd.DataFrame(body["instances"], columns=columns)
        proba = pipe.predict_proba(df)
        out = []
        for row in proba:
            best = max(range(len(classes)), key=lambda k: row[k])
            out.append({"label": classes[best],
                        "probabilities": {c: float(p) for c, p in zip(classes, row)}})
        return {"predictions": out}

    return app


if __name__ == "__main__":
    args = sys.argv[1:]
    if len(args) < 4 or args[0] != "train":
        sys.exit(__doc__)
    trees = int(args[args.index("--trees") + 1]) if "--trees" in args else 100
    depth = int(args[args.index("--depth") + 1]) if "--depth" in args else 6
    train(args[1], args[2], args[3], trees, depth)
elif os.environ.get("MLPIPE_PEER_MODEL"):
    app = make_app()
