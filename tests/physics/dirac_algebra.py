"""Dirac matrices for the explicit matrix-element checks (tests only).

Dirac representation, metric diag(1, -1, -1, -1), gamma5 = i g0 g1 g2 g3 (Peskin & Schroeder
conventions up to the representation). Shared by ``matrix_element_reference`` and
``background_reference``.
"""

from __future__ import annotations

import numpy as np

METRIC = np.diag([1.0, -1.0, -1.0, -1.0])

_I2 = np.eye(2, dtype=complex)
_Z2 = np.zeros((2, 2), dtype=complex)
PAULI = (
    np.array([[0, 1], [1, 0]], dtype=complex),
    np.array([[0, -1j], [1j, 0]], dtype=complex),
    np.array([[1, 0], [0, -1]], dtype=complex),
)

#: gamma^mu (upper index), shape (4, 4, 4): GAMMA[mu] is the 4x4 matrix gamma^mu.
GAMMA = np.array(
    [np.block([[_I2, _Z2], [_Z2, -_I2]])] + [np.block([[_Z2, sk], [-sk, _Z2]]) for sk in PAULI]
)
GAMMA5 = 1j * GAMMA[0] @ GAMMA[1] @ GAMMA[2] @ GAMMA[3]
