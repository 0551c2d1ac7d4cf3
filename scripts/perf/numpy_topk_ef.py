#!/usr/bin/env python3
"""Reference loop for `theorybench speed --workload topk-ef`, in NumPy.

The workload (Sources/TheoryBench/BiasedSGD/TopKSpeed.swift): Top-k compression with error feedback,
the inner loop of compressed optimizers. A fixed g ~ N(0, I_d) and e = 0; each of K steps forms
a = e + g, keeps the k = d/100 largest magnitudes of a (the compressed message) and makes the rest
the new error, e = a with the kept coordinates zeroed. The figure is wall time / (K d) in ns per
coordinate, the unit `theorybench speed` prints (with R = 1 run).

Two timings are printed: the whole step (a = e + g, |a|, np.argpartition, the gather and the error
update) and the np.argpartition call alone on a precomputed |a| (the selection step the Swift
kernel `TopKSelection` replaces).

Usage:
    python3 scripts/perf/numpy_topk_ef.py [d [K]] [--repeat N]
"""
import argparse
import time

import numpy as np


def step_loop(d, K, seed=0):
    k = d // 100
    g = np.random.default_rng(seed).standard_normal(d)
    e = np.zeros(d)
    start = time.perf_counter()
    for _ in range(K):
        a = e + g
        idx = np.argpartition(np.abs(a), d - k)[d - k:]
        kept = a[idx]
        a[idx] = 0.0
        e = a
    seconds = time.perf_counter() - start
    return seconds / (K * d) * 1e9, float(np.abs(kept).min())


def argpartition_only(d, K, seed=0):
    k = d // 100
    mags = np.abs(np.random.default_rng(seed).standard_normal(d))
    start = time.perf_counter()
    for _ in range(K):
        idx = np.argpartition(mags, d - k)[d - k:]
    seconds = time.perf_counter() - start
    return seconds / (K * d) * 1e9, float(mags[idx].min())


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("d", nargs="?", type=int, default=1_000_000)
    p.add_argument("K", nargs="?", type=int, default=20)
    p.add_argument("--repeat", type=int, default=1)
    args = p.parse_args()
    for _ in range(args.repeat):
        ns, m = step_loop(args.d, args.K)
        ns_sel, m_sel = argpartition_only(args.d, args.K)
        print(f"numpy topk-ef d={args.d} k={args.d // 100} K={args.K}: step {ns:.2f} ns/coord "
              f"(min kept |a| = {m:.4f}); argpartition alone {ns_sel:.2f} ns/coord (k-th largest |g| = {m_sel:.4f})")
