"""NumPy reference for MicroAdam's compression loop (theorybench issue 14): per step a = e + g, keep the
k largest |a| (globally with argpartition, or block-wise: ceil(d_b * density) per block of d_b, as
MicroAdam does), and the rest of a becomes the new error e. g is one fixed N(0, 1) vector (as in a
throughput test). Prints ms per step and ns per coordinate for both variants.
Usage: python3 numpy_microadam_topk_ef.py [d density block T]  (default 1e6 0.01 25000 20)."""
import math
import sys
import time

import numpy as np


def step_global(e, g, k):
    a = e + g
    keep = np.argpartition(np.abs(a), a.size - k)[a.size - k:]
    sent = a[keep].copy()
    a[keep] = 0.0
    return a, sent


def step_blocks(e, g, block, kb):
    a = e + g
    rows = a.reshape(-1, block)                       # d divisible by block
    keep = np.argpartition(np.abs(rows), block - kb, axis=1)[:, block - kb:]
    sent = np.take_along_axis(rows, keep, axis=1).copy()
    np.put_along_axis(rows, keep, 0.0, axis=1)
    return a, sent


def timed(fn, T):
    t = time.perf_counter()
    for _ in range(T):
        fn()
    return (time.perf_counter() - t) / T


def main():
    args = sys.argv[1:5]
    d, density, block, T = (int(float(args[0])), float(args[1]), int(args[2]), int(args[3])) if len(args) == 4 \
        else (1_000_000, 0.01, 25_000, 20)
    assert d % block == 0, "d must be a multiple of the block size"
    rng = np.random.default_rng(0)
    g = rng.standard_normal(d)
    k, kb = math.ceil(d * density), math.ceil(block * density)
    state = {"e": np.zeros(d)}

    def run_global():
        state["e"], _ = step_global(state["e"], g, k)

    def run_blocks():
        state["e"], _ = step_blocks(state["e"], g, block, kb)

    for name, fn in (("global", run_global), (f"blocks of {block}", run_blocks)):
        state["e"] = np.zeros(d)
        sec = timed(fn, T)
        print(f"numpy top-k + EF ({name}) d={d} k={k}: {sec * 1e3:.2f} ms/step, {sec / d * 1e9:.2f} ns/coord, "
              f"|e| = {np.linalg.norm(state['e']):.4e}")


if __name__ == "__main__":
    main()
