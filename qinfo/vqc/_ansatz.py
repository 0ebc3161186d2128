"""Circuit ansaetze for word states and the image box, with lambeq's parameter counts.

Each ansatz is a small class holding ``n_layers``; ``circuit(n_qubits)``
compiles it to a :class:`~qinfo.vqc.Circuit` that prepares a state from
``|0...0>`` (or acts on a given state), and the static method
``n_params(n_qubits, n_layers)`` gives its number of angles. Per layer on
``n >= 2`` qubits these are lambeq's counts:

==================  ============  ==================================================
ansatz              angles/layer  one layer
==================  ============  ==================================================
IQP                 n - 1         H on every qubit, CRz on each neighbouring pair
Sim4                3n - 1        Rx and Rz on every qubit, CRx down the chain
Sim14               4n            Ry, a ring of CRx, Ry, a ring of CRx the other way
Sim15               2n            Ry, a ring of CNOT, Ry, a ring of CNOT the other way
StronglyEntangling  3n            Rz Ry Rz on every qubit, CNOTs at range l mod (n-1)+1
==================  ============  ==================================================

A one-qubit box is Rx-Rz-Rx (3 angles, whatever ``n_layers``) and a
zero-qubit box is empty, as in lambeq. Circuits 4, 14 and 15 are from Sim,
Johnson and Aspuru-Guzik, Adv. Quantum Technol. 2, 1900070 (2019).
"""

from __future__ import annotations

from qinfo._validate import check_int
from qinfo.vqc._circuit import Circuit, Op

__all__ = ["Ansatz", "IQP", "Sim4", "Sim14", "Sim15", "StronglyEntangling", "ANSAETZE", "get_ansatz"]


class Ansatz:
    """Base class: ``n_layers`` repetitions of a layer, Rx-Rz-Rx on one qubit.

    Parameters
    ----------
    n_layers : int
        Number of layers (at least 1).

    Examples
    --------
    >>> Sim4(2)
    Sim4(n_layers=2)
    """

    name = "ansatz"

    def __init__(self, n_layers: int = 1):
        check_int("n_layers", n_layers, 1)
        self.n_layers = int(n_layers)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(n_layers={self.n_layers})"

    def __eq__(self, other) -> bool:
        return type(self) is type(other) and self.n_layers == other.n_layers

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.n_layers))

    @staticmethod
    def _per_layer(n: int) -> int:  # pragma: no cover - overridden
        raise NotImplementedError

    @classmethod
    def n_params(cls, n_qubits: int, n_layers: int) -> int:
        """Number of angles on ``n_qubits`` qubits with ``n_layers`` layers.

        Parameters
        ----------
        n_qubits : int
            Width of the box.
        n_layers : int
            Number of layers.

        Returns
        -------
        int

        Examples
        --------
        >>> Sim14.n_params(3, 1), Sim14.n_params(1, 5)
        (12, 3)
        """
        if n_qubits < 0 or n_layers < 1:
            raise ValueError(f"need n_qubits >= 0 and n_layers >= 1, got {n_qubits}, {n_layers}")
        if n_qubits == 0:
            return 0
        if n_qubits == 1:
            return 3
        return n_layers * cls._per_layer(n_qubits)

    def _layer(self, n: int, layer: int, p: int) -> tuple[list[Op], int]:  # pragma: no cover
        raise NotImplementedError

    def circuit(self, n_qubits: int) -> Circuit:
        """Compile to a gate list on ``n_qubits`` qubits.

        Parameters
        ----------
        n_qubits : int
            Width of the box.

        Returns
        -------
        Circuit

        Examples
        --------
        >>> Sim4(2).circuit(3).n_params == Sim4.n_params(3, 2)
        True
        """
        if n_qubits == 0:
            return Circuit(0, (), 0)
        if n_qubits == 1:
            return Circuit(1, (Op("rx", (0,), 0), Op("rz", (0,), 1), Op("rx", (0,), 2)), 3)
        ops: list[Op] = []
        p = 0
        for layer in range(self.n_layers):
            new, p = self._layer(n_qubits, layer, p)
            ops += new
        assert p == self.n_params(n_qubits, self.n_layers)
        return Circuit(n_qubits, tuple(ops), p)


def _singles(gate: str, n: int, p: int) -> tuple[list[Op], int]:
    return [Op(gate, (q,), p + q) for q in range(n)], p + n


class IQP(Ansatz):
    """lambeq's IQP ansatz: per layer H on all qubits, then CRz on neighbours (n - 1 angles).

    Parameters
    ----------
    n_layers : int
        Number of layers (at least 1).

    Examples
    --------
    >>> IQP.n_params(4, 2)
    6
    """

    name = "iqp"

    @staticmethod
    def _per_layer(n: int) -> int:
        return n - 1

    def _layer(self, n, layer, p):
        ops = [Op("h", (q,)) for q in range(n)]
        ops += [Op("crz", (q, q + 1), p + q) for q in range(n - 1)]
        return ops, p + n - 1


class Sim4(Ansatz):
    """Circuit 4 of Sim et al.: Rx, Rz on all qubits, then a chain of CRx (3n - 1 angles).

    Parameters
    ----------
    n_layers : int
        Number of layers (at least 1).

    Examples
    --------
    >>> Sim4.n_params(4, 1)
    11
    """

    name = "sim4"

    @staticmethod
    def _per_layer(n: int) -> int:
        return 3 * n - 1

    def _layer(self, n, layer, p):
        rx, p = _singles("rx", n, p)
        rz, p = _singles("rz", n, p)
        crx = [Op("crx", (q, q + 1), p + q) for q in range(n - 1)]
        return rx + rz + crx, p + n - 1


class Sim14(Ansatz):
    """Circuit 14 of Sim et al.: Ry, CRx ring, Ry, CRx ring reversed (4n angles).

    Parameters
    ----------
    n_layers : int
        Number of layers (at least 1).

    Examples
    --------
    >>> Sim14.n_params(3, 2)
    24
    """

    name = "sim14"

    @staticmethod
    def _per_layer(n: int) -> int:
        return 4 * n

    def _layer(self, n, layer, p):
        ops, p = _singles("ry", n, p)
        for k, q in enumerate(reversed(range(n))):
            ops.append(Op("crx", (q, (q + 1) % n), p + k))
        p += n
        more, p = _singles("ry", n, p)
        ops += more
        for k in range(n):
            ops.append(Op("crx", (k, (k - 1) % n), p + k))
        return ops, p + n


class Sim15(Ansatz):
    """Circuit 15 of Sim et al.: Ry, CNOT ring, Ry, CNOT ring reversed (2n angles).

    Parameters
    ----------
    n_layers : int
        Number of layers (at least 1).

    Examples
    --------
    >>> Sim15.n_params(3, 1)
    6
    """

    name = "sim15"

    @staticmethod
    def _per_layer(n: int) -> int:
        return 2 * n

    def _layer(self, n, layer, p):
        ops, p = _singles("ry", n, p)
        ops += [Op("cx", (q, (q + 1) % n)) for q in reversed(range(n))]
        more, p = _singles("ry", n, p)
        ops += more + [Op("cx", (q, (q - 1) % n)) for q in range(n)]
        return ops, p


class StronglyEntangling(Ansatz):
    """Rz-Ry-Rz on every qubit, then CNOTs ``q -> q + r`` with range ``r = l mod (n-1) + 1`` (3n angles).

    Parameters
    ----------
    n_layers : int
        Number of layers (at least 1).

    Examples
    --------
    >>> StronglyEntangling.n_params(3, 2)
    18
    """

    name = "strongly_entangling"

    @staticmethod
    def _per_layer(n: int) -> int:
        return 3 * n

    def _layer(self, n, layer, p):
        ops = []
        for q in range(n):
            ops += [Op("rz", (q,), p), Op("ry", (q,), p + 1), Op("rz", (q,), p + 2)]
            p += 3
        r = layer % (n - 1) + 1
        ops += [Op("cx", (q, (q + r) % n)) for q in range(n)]
        return ops, p


#: name -> class, for ``CaptionModel(ansatz="sim4")``.
ANSAETZE: dict[str, type[Ansatz]] = {
    cls.name: cls for cls in (IQP, Sim4, Sim14, Sim15, StronglyEntangling)
}


def get_ansatz(spec, n_layers: int | None = None) -> Ansatz:
    """An :class:`Ansatz` from an instance or a name in ``ANSAETZE``.

    Examples
    --------
    >>> get_ansatz("sim15", 2)
    Sim15(n_layers=2)
    """
    if isinstance(spec, Ansatz):
        return spec
    if isinstance(spec, str) and spec.lower() in ANSAETZE:
        return ANSAETZE[spec.lower()](1 if n_layers is None else n_layers)
    raise ValueError(f"ansatz must be an Ansatz or one of {sorted(ANSAETZE)}, got {spec!r}")
