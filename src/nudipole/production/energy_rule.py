"""Gauss rules of a decay's parent-frame N energy distribution.

A three-body decay P -> gamma nu N (or gamma l N) gives N a distribution of energies E* in the
parent rest frame. :func:`nudipole.production.meson_rates.energy_nodes` represents it by an
accurate rule (hundreds of nodes; the branching ratio to about 1e-6). The lab-frame flux
needs E* only through smooth functions (the N momentum and direction), so the few-node
Gauss rule of that discrete measure is the natural compression: with n nodes it integrates
every polynomial in E* up to degree 2n - 1 exactly against the accurate rule, the total
(the branching ratio) and the mean energy included (Gautschi, "Orthogonal Polynomials:
Computation and Approximation", Oxford 2004, Sec. 2.2: the discrete Stieltjes procedure and
the Golub-Welsch eigenvalue method, Math. Comp. 23 (1969) 221).
"""

from __future__ import annotations

import numpy as np

from nudipole.physics._types import FloatArray


def gauss_rule(nodes: FloatArray, weights: FloatArray, n: int) -> tuple[FloatArray, FloatArray]:
    """The ``n``-point Gauss rule of the discrete measure sum_i w_i delta(x - x_i).

    Parameters
    ----------
    nodes, weights
        The measure (weights >= 0, at least one positive), any units.
    n
        Nodes wanted (>= 1). If the measure has at most ``n`` support points it is returned
        unchanged (sorted).

    Returns
    -------
    (x, w)
        Gauss nodes (inside the convex hull of ``nodes``, ascending) and positive weights,
        with sum_k w_k f(x_k) = sum_i w_i f(x_i) for every polynomial f of degree <= 2n - 1.

    Notes
    -----
    Computed by the compiled :func:`nudipole.production._gauss_kernel.gauss_rule_kernel`;
    :func:`gauss_rule_numpy` is the same in NumPy. The recurrence coefficients of the monic
    orthogonal polynomials are built by the discrete Stieltjes procedure on the nodes mapped
    to [-1, 1] (well conditioned for the few-node rules used here), and the rule follows from
    the eigen-decomposition of the Jacobi matrix (Golub-Welsch).
    """
    x = np.asarray(nodes, dtype=float)
    w = np.asarray(weights, dtype=float)
    if x.shape != w.shape or x.ndim != 1:
        raise ValueError("nodes and weights must be 1-d arrays of equal length")
    if not isinstance(n, int) or n < 1:
        raise ValueError(f"the number of Gauss nodes must be a positive integer, got {n!r}")
    from nudipole.production._gauss_kernel import gauss_rule_kernel  # numba: lazily

    gx, gw, distinct = gauss_rule_kernel(np.ascontiguousarray(x), np.ascontiguousarray(w), n)
    if distinct == 0:
        raise ValueError("the measure has no positive weight")
    if distinct <= n:
        keep = w > 0.0
        ux, inv = np.unique(x[keep], return_inverse=True)
        return ux, np.asarray(np.bincount(inv, weights=w[keep]), dtype=float)
    return np.asarray(gx, dtype=float), np.asarray(gw, dtype=float)


def gauss_rule_numpy(
    nodes: FloatArray, weights: FloatArray, n: int
) -> tuple[FloatArray, FloatArray]:
    """:func:`gauss_rule` step by step in NumPy (the reference of the compiled rule; same
    arguments and result)."""
    x = np.asarray(nodes, dtype=float)
    w = np.asarray(weights, dtype=float)
    keep = w > 0.0
    x, w = x[keep], w[keep]
    if x.size == 0:
        raise ValueError("the measure has no positive weight")
    order = np.argsort(x, kind="stable")
    x, w = x[order], w[order]
    distinct = 1 + int(np.count_nonzero(np.diff(x)))
    if distinct <= n:
        ux, inv = np.unique(x, return_inverse=True)
        return ux, np.asarray(np.bincount(inv, weights=w), dtype=float)
    lo, hi = float(x[0]), float(x[-1])
    t = (2.0 * x - (lo + hi)) / (hi - lo)
    total = float(w.sum())
    p = w / total
    alpha = np.zeros(n)
    beta = np.zeros(n)
    pi_prev = np.zeros_like(t)
    pi_cur = np.ones_like(t)
    norm_prev = 1.0
    for k in range(n):
        norm = float(np.dot(p, pi_cur * pi_cur))
        alpha[k] = float(np.dot(p, t * pi_cur * pi_cur)) / norm
        if k > 0:
            beta[k] = norm / norm_prev
        pi_next = (t - alpha[k]) * pi_cur - beta[k] * pi_prev
        pi_prev, pi_cur, norm_prev = pi_cur, pi_next, norm
    # the symmetric tridiagonal Jacobi matrix (n <= 64: a dense solver is as fast as a
    # tridiagonal one at this size, without its wrapper's overhead)
    off = np.sqrt(beta[1:])
    val, vec = np.linalg.eigh(np.diag(alpha) + np.diag(off, 1) + np.diag(off, -1))
    gx = 0.5 * ((hi - lo) * val + (lo + hi))
    gw = total * vec[0] ** 2
    return np.asarray(gx, dtype=float), np.asarray(gw, dtype=float)
