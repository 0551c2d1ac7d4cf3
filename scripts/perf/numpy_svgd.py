"""NumPy reference for one SVGD step (theorybench's `svgd-l0l1` family, Benchmarks/HotLoops/SVGDStep.swift).

Workload: n particles in R^d (default n = 1000, d = 2), RBF kernel k(x, y) = exp(-|x - y|^2 / h) with a
fixed h = 1, target pi ∝ exp(-V) with V(x) = |x|^4/4 + |x|^2/2 (score -(|x|^2 + 1) x), step 0.05,
particles from 2·N(0, I). The update x_i += eps/n · sum_j [k(x_j, x_i) s(x_j) + (2/h)(x_i - x_j) k(x_j, x_i)]
is written with broadcasting over the n×n pairs, as a NumPy user would. Prints ms per step and ns per
particle pair (seconds per step / n²). Usage: python3 numpy_svgd.py [n d T]."""
import sys
import time

import numpy as np


def svgd_step(x, eps, h):
    n = x.shape[0]
    score = -(np.einsum("id,id->i", x, x)[:, None] + 1.0) * x
    delta = x[:, None, :] - x[None, :, :]              # delta[i, j] = x_i - x_j
    kern = np.exp(-np.einsum("ijd,ijd->ij", delta, delta) / h)
    attraction = kern @ score                           # sum_j k_ij s_j
    repulsion = (2.0 / h) * np.einsum("ij,ijd->id", kern, delta)
    return x + (eps / n) * (attraction + repulsion)


def main():
    n, d, steps = (int(a) for a in sys.argv[1:4]) if len(sys.argv) > 3 else (1000, 2, 50)
    x = 2.0 * np.random.default_rng(0).standard_normal((n, d))
    x = svgd_step(x, 0.05, 1.0)                          # warm-up
    t0 = time.perf_counter()
    for _ in range(steps):
        x = svgd_step(x, 0.05, 1.0)
    sec = (time.perf_counter() - t0) / steps
    m2 = float(np.mean(np.einsum("id,id->i", x, x)))
    print(f"numpy svgd n={n} d={d}: {sec * 1e3:.2f} ms/step, {sec / (n * n) * 1e9:.2f} ns/pair, mean |x|^2={m2:.4f}")


if __name__ == "__main__":
    main()
