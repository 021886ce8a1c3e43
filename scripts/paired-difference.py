#!/usr/bin/env python3
"""Paired comparison of two policies in one `surge evaluate` results.json (the same seeds, common
random numbers): mean difference A - B of effective accuracy with a 95 % t interval, and the ratio
of the means A / B.

usage: scripts/paired-difference.py out/evaluate/results.json POLICY_A POLICY_B
"""
import json
import math
import sys

# two-sided 95 % Student t quantiles by degrees of freedom (n - 1)
T95 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306,
       9: 2.262, 10: 2.228, 11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131, 19: 2.093,
       24: 2.064, 29: 2.045}


def main(path, a, b):
    policies = json.load(open(path))["policies"]
    # results.json keeps effective accuracy as a fraction: percent here
    xs = [100 * v for v in policies[a]["per_seed_effective_accuracy"]]
    ys = [100 * v for v in policies[b]["per_seed_effective_accuracy"]]
    if len(xs) != len(ys) or len(xs) < 2:
        sys.exit("need the same seeds (at least 2) for both policies")
    n = len(xs)
    d = [x - y for x, y in zip(xs, ys)]
    mean = sum(d) / n
    sd = math.sqrt(sum((v - mean) ** 2 for v in d) / (n - 1))
    t = T95.get(n - 1) or T95[max(k for k in T95 if k <= n - 1)]
    half = t * sd / math.sqrt(n)
    ma, mb = sum(xs) / n, sum(ys) / n
    print(f"{a}: {ma:.2f} %, {b}: {mb:.2f} % over {n} seeds; "
          f"difference {mean:+.2f} ± {half:.2f} pp (95 % CI); ratio {ma / mb:.3f}")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
