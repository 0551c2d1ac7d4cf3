"""SGD with the constant step the claim fixes, on an exported quadratic with additive noise.

    python sgd.py EXPORT_DIR OUT.csv [--wrong]

Measures ‖x_k − x*‖² per run at the export's checkpoints (the quantity inside the mean of
`baseline.sgd-exact-level`). `--wrong` is a deliberately wrong implementation of a common kind:
it draws each noise coordinate with the *total* variance σ² = E‖ξ‖² instead of the per-coordinate
variance σ²/d, so the iterates see d times too much noise.
"""
import sys

import numpy as np

from tbexport import Experiment, write_measurements


def main():
    directory, out = sys.argv[1], sys.argv[2]
    wrong = "--wrong" in sys.argv[3:]
    e = Experiment(directory)
    gamma = float(e.parameters["step"])
    R, d = e.min_runs, e.dimension
    rng = np.random.default_rng(20261202)
    X = np.tile(e.start, (R, 1))
    x_star = e.arrays["x_star"][:, 0]
    values = np.empty((R, len(e.checkpoints)))
    k = 0
    for j, target in enumerate(e.checkpoints):
        while k < target:
            if wrong:   # the bug: per-coordinate noise of variance σ² (the total), not σ²/d
                xi = np.sqrt(e.parts["noise"]["sigma2"]) * rng.standard_normal(X.shape)
            else:
                xi = e.noise(rng, X.shape)
            X -= gamma * (e.gradient(X) + xi)
            k += 1
        values[:, j] = np.sum((X - x_star) ** 2, axis=1)
    write_measurements(out, e.checkpoints, values)


if __name__ == "__main__":
    main()
