"""Clip-AdaGradD-Norm with the rule the claim fixes, on an exported 1-D heavy-tailed instance.

    python clip_adagrad_norm.py EXPORT_DIR OUT.csv [--wrong]

The method (delayed: the step at k uses only the clipped gradients before k):
    g_k = ∇f(x_k) + ξ_k,  ĝ_k = min(1, λ/|g_k|) g_k,
    x_{k+1} = x_k − γ ĝ_k / b_k,  b_{k+1}² = b_k² + w ĝ_k²,  b_0 = b0,
run until τ = min{k : (x_k − x*)² ≤ r²} (r² = 0.04, the claim's target) or the last checkpoint.
Writes, per run, the hitting time τ (inf when not reached) and the series 1{k < τ} at the
checkpoints, for `clip-adagrad.polylog-confidence.clip-adagradd-norm`, whose check reads τ.
`--wrong` is the bug the clipping is there to prevent: the accumulator adds the *unclipped* g_k², so
one heavy-tailed draw inflates b_k for good and the method stalls.
"""
import sys

import numpy as np

from tbexport import Experiment, write_measurements

TARGET = 0.04


def main():
    directory, out = sys.argv[1], sys.argv[2]
    wrong = "--wrong" in sys.argv[3:]
    e = Experiment(directory)
    p = e.parameters
    if p["family"] != "adaGrad" or not p["delayed"] or e.dimension != 1:
        raise SystemExit("this example implements delayed AdaGrad-Norm on 1-D instances only")
    gamma, b0, lam, w = (float(p[k]) for k in ("gamma", "b0", "clip", "weight"))
    R, K = e.min_runs, e.checkpoints[-1]
    x_star = e.arrays["x_star"][0, 0]
    rng = np.random.default_rng(20261202)
    x = np.full(R, e.start[0])
    b2 = np.full(R, b0 * b0)
    tau = np.full(R, np.inf)
    active = np.arange(R)
    for k in range(K + 1):
        hit = (x[active] - x_star) ** 2 <= TARGET
        tau[active[hit]] = k
        active = active[~hit]
        if k == K or active.size == 0:
            break
        xa = x[active]
        g = e.gradient(xa[:, None])[:, 0] + e.noise(rng, (active.size, 1))[:, 0]
        s = np.minimum(1.0, lam / np.maximum(np.abs(g), 1e-300))
        x[active] = xa - gamma * s * g / np.sqrt(b2[active])
        b2[active] += w * (g * g if wrong else (s * g) ** 2)
    ks = np.array(e.checkpoints)
    values = (ks[None, :] < tau[:, None]).astype(float)
    write_measurements(out, e.checkpoints, values, {"hitting time": tau})


if __name__ == "__main__":
    main()
