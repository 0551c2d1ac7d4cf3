#!/usr/bin/env python3
"""Reference loop for `theorybench speed --workload sgd-gauss`, in NumPy (and, optionally, JAX).

The workload (Sources/TheoryBench/SpeedReference.swift): R independent SGD runs on the diagonal
quadratic f(x) = 1/2 sum_j lambda_j x_j^2, lambda evenly spaced in [1, 10], x0 = (1, ..., 1),
step gamma = 0.05, gradient noise N(0, sigma^2 I) with sigma = 1, K steps, d coordinates. All R
runs advance together as one R x d array; the figure is wall time / (R d K) in ns per coordinate
update, the unit `theorybench speed` prints.

Usage:
    python3 scripts/perf/numpy_sgd_gauss.py [R d K] [--jax] [--repeat N]

    --jax      also time a jax.jit float64 version of the same loop (optional: needs `pip install jax`;
               skipped with a note when JAX is not importable). Its first call, which compiles, is
               timed separately and not counted.
    --repeat   run each variant N times and print every run (default 1).

Mean f(x_K) over the runs is printed as a sanity check: at stationarity it is
gamma sigma^2 / 2 * sum_j 1 / (2 - gamma lambda_j) = 1.4577 for d = 100 (standard error of the
mean over R = 1000 runs ~ 0.0065).
"""
import argparse
import time

import numpy as np

GAMMA, SIGMA = 0.05, 1.0


def spectrum(d):
    return np.linspace(1.0, 10.0, d)


def numpy_sgd(R, d, K, seed=0):
    """K steps of x <- x - gamma (lambda * x + sigma z) on an R x d array; z from PCG64 + NumPy's ziggurat."""
    gen = np.random.Generator(np.random.PCG64(seed))
    lam = spectrum(d)
    x = np.full((R, d), 1.0)
    z = np.empty((R, d))
    g = np.empty((R, d))
    start = time.perf_counter()
    for _ in range(K):
        gen.standard_normal(out=z)          # fresh N(0, 1) noise, written in place
        if SIGMA != 1.0:
            z *= SIGMA
        np.multiply(x, lam, out=g)          # g = lambda * x + sigma z, no temporaries
        g += z
        g *= GAMMA
        x -= g
    seconds = time.perf_counter() - start
    return seconds, float(np.mean(0.5 * (x * x) @ lam))


def jax_sgd(R, d, K, seed=0):
    """The same loop as one jax.jit-compiled lax.fori_loop in float64 (threefry noise)."""
    import jax
    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp

    lam = jnp.asarray(spectrum(d))

    @jax.jit
    def run(key):
        def body(_, carry):
            x, key = carry
            key, sub = jax.random.split(key)
            z = jax.random.normal(sub, (R, d), dtype=jnp.float64)
            return x - GAMMA * (lam * x + SIGMA * z), key
        x, _ = jax.lax.fori_loop(0, K, body, (jnp.ones((R, d), dtype=jnp.float64), key))
        return x

    key = jax.random.PRNGKey(seed)
    start = time.perf_counter()
    run(key).block_until_ready()                # compile (+ one run)
    compile_seconds = time.perf_counter() - start
    start = time.perf_counter()
    x = run(jax.random.PRNGKey(seed + 1)).block_until_ready()
    seconds = time.perf_counter() - start
    return seconds, float(jnp.mean(0.5 * (x * x) @ lam)), compile_seconds


def report(name, R, d, K, seconds, mean_f, extra=""):
    ns = seconds / (R * d * K) * 1e9
    print(f"{name} sgd-gauss R={R} d={d} K={K}: {seconds:.3f} s, {ns:.2f} ns/coord-update, mean f={mean_f:.4e}{extra}")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("sizes", nargs="*", type=int, help="R d K (default 1000 100 1000)")
    p.add_argument("--jax", action="store_true", help="also time the optional JAX-jit float64 loop")
    p.add_argument("--repeat", type=int, default=1)
    a = p.parse_args()
    R, d, K = a.sizes if len(a.sizes) == 3 else (1000, 100, 1000)
    for r in range(a.repeat):
        report("numpy", R, d, K, *numpy_sgd(R, d, K, seed=r))
        if a.jax:
            try:
                seconds, mean_f, compile_seconds = jax_sgd(R, d, K, seed=r)
            except ImportError:
                print("jax not importable: skipped (optional; pip install jax)")
                continue
            report("jax-jit-f64", R, d, K, seconds, mean_f, f" (compile {compile_seconds:.2f} s, not counted)")


if __name__ == "__main__":
    main()
