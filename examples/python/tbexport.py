"""Read a `theorybench export` directory and write measurements for `theorybench judge`.

Only the pieces the examples need: the objectives whose export they read (quadratic,
cosine-quadratic) and the additive noise laws with a NumPy sampler (gaussian, student-t,
rademacher; per-coordinate or radial). Everything else raises a clear error.
"""
import json
import os

import numpy as np


class Experiment:
    def __init__(self, directory):
        self.directory = directory
        with open(os.path.join(directory, "experiment.json")) as f:
            self.meta = json.load(f)
        inst = self.meta["instance"]
        self.family = inst["family"]
        self.dimension = inst["dimension"]
        self.scalars = inst["scalars"]
        self.arrays = {name: self._array(spec) for name, spec in inst["arrays"].items()}
        self.start = self.arrays["start"][:, 0]
        self.checkpoints = list(self.meta["checkpoints"])
        self.min_runs = self.meta["runs"]["minimum"]
        self.parameters = self.meta["method"]["parameters"]
        self.parts = {p["kind"]: p["fields"] for p in inst["parts"]}

    def _array(self, spec):
        a = np.loadtxt(os.path.join(self.directory, spec["file"]), delimiter=",", ndmin=2)
        assert a.shape == (spec["rows"], spec["cols"]), (spec, a.shape)
        return a

    # --- the objective, vectorized over runs: X has shape (R, d) -------------------------------
    def gradient(self, X):
        if self.family == "quadratic":
            return (X - self.arrays["x_star"][:, 0]) @ self.arrays["A"].T
        if self.family == "cosine-quadratic":
            c, w = self.scalars["c"], self.scalars["omega"]
            return X - c * w * np.sin(w * X)
        raise SystemExit(f"tbexport: no gradient for family {self.family!r} in this example")

    # --- the noise part ------------------------------------------------------------------------
    def noise(self, rng, shape):
        n = self.parts.get("noise")
        if n is None:
            return np.zeros(shape)
        law, s = n["law"], n["scale"]
        if n["geometry"] == "per-coordinate":
            return s * self._scalar(rng, law, n, shape)
        r = self._scalar(rng, law, n, shape[:-1])[..., None]
        u = rng.standard_normal(shape)
        u /= np.linalg.norm(u, axis=-1, keepdims=True)
        return s * r * u

    @staticmethod
    def _scalar(rng, law, fields, shape):
        if law == "gaussian":
            return rng.standard_normal(shape)
        if law == "student-t":
            return rng.standard_t(fields["dof"], shape)
        if law == "rademacher":
            return rng.choice([-1.0, 1.0], shape)
        if law in ("symmetric-pareto", "symmetric-lomax"):
            shift = 1.0 if law == "symmetric-lomax" else 0.0
            magnitude = (1.0 - rng.random(shape)) ** (-1.0 / fields["tail"]) - shift   # U in (0, 1]
            return np.where(rng.random(shape) < 0.5, -magnitude, magnitude)
        raise SystemExit(f"tbexport: no NumPy sampler for the {law!r} law in this example")


def _cell(v):
    return "inf" if not np.isfinite(v) else repr(float(v))


def write_measurements(path, checkpoints, values, scalars=None):
    """values[r, j]: run r's measured quantity at checkpoints[j] (np.inf once a run diverged);
    scalars: {name: array of one value per run} for claims whose check reads per-run scalars
    (written on each run's first row)."""
    scalars = scalars or {}
    names = list(scalars)
    with open(path, "w") as f:
        f.write(",".join(["run", "iteration", "value"] + names) + "\n")
        for r in range(values.shape[0]):
            for j, k in enumerate(checkpoints):
                extra = "".join("," + (_cell(scalars[n][r]) if j == 0 else "") for n in names)
                f.write(f"{r},{k},{_cell(values[r, j])}{extra}\n")
