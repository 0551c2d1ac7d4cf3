#!/usr/bin/env python3
"""Reference loop for `theorybench speed --workload clip-adagrad-norm`, in NumPy.

The workload (Sources/TheoryBench/SpeedReference.swift): R independent runs of clipped AdaGrad-Norm,
not delayed, on the diagonal quadratic f(x) = 1/2 sum_j lambda_j x_j^2 with lambda evenly spaced in
[1, 10], x0 = (1, ..., 1), gamma = 0.1, clipping level lambda_c = 1, b0 = 1, and per-coordinate
symmetric Lomax noise of tail index 1.5, +-(U^(-1/1.5) - 1). One step:
    g = grad f(x) + xi;  g <- min(1, lambda_c / ||g||) g;  b^2 <- b^2 + ||g||^2;  x <- x - gamma g / b.
All R runs advance together as one R x d array (the fastest plain NumPy form). The figure is wall
time / (R d K) in ns per coordinate update, the unit `theorybench speed` prints; the 0.99-quantile of
f(x_K) over the runs is printed as a sanity check against theorybench's.

Usage: python3 scripts/perf/numpy_clip_adagrad_norm.py [R d K] [--repeat N]
"""
import argparse
import time

import numpy as np

GAMMA, CLIP, B0, TAIL = 0.1, 1.0, 1.0, 1.5


def run(R, d, K, seed):
    rng = np.random.default_rng(seed)
    lam = np.linspace(1.0, 10.0, d)
    x = np.ones((R, d))
    b2 = np.full((R, 1), B0 * B0)
    start = time.perf_counter()
    for _ in range(K):
        magnitude = rng.random((R, d)) ** (-1.0 / TAIL) - 1.0
        sign = np.where(rng.random((R, d)) < 0.5, -1.0, 1.0)
        g = lam * x + sign * magnitude
        norm = np.sqrt(np.einsum("ij,ij->i", g, g))[:, None]
        g *= np.minimum(1.0, CLIP / np.maximum(norm, 1e-300))
        b2 += np.einsum("ij,ij->i", g, g)[:, None]
        x -= GAMMA * g / np.sqrt(b2)
    seconds = time.perf_counter() - start
    f = 0.5 * np.einsum("ij,ij->i", lam * x, x)
    return seconds, float(np.quantile(f, 0.99))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("sizes", nargs="*", type=int, default=[1000, 100, 1000], help="R d K")
    p.add_argument("--repeat", type=int, default=1)
    a = p.parse_args()
    R, d, K = (a.sizes + [1000, 100, 1000][len(a.sizes):])[:3]
    for i in range(a.repeat):
        seconds, q99 = run(R, d, K, seed=i)
        print(f"numpy clip-adagrad-norm R={R} d={d} K={K}: {seconds:.3f} s, "
              f"{seconds / (R * d * K) * 1e9:.2f} ns/coord-update, q99 f = {q99:.3e}")


if __name__ == "__main__":
    main()
