"""Parameter counts equal lambeq's formulas."""

import pytest

from qinfo.vqc import IQP, Sim4, Sim14, Sim15, StronglyEntangling
from qinfo.vqc._ansatz import get_ansatz

LAMBEQ = {IQP: lambda n: n - 1, Sim4: lambda n: 3 * n - 1, Sim14: lambda n: 4 * n,
          Sim15: lambda n: 2 * n, StronglyEntangling: lambda n: 3 * n}


@pytest.mark.parametrize("cls", list(LAMBEQ))
@pytest.mark.parametrize("n", [2, 3, 5])
@pytest.mark.parametrize("layers", [1, 3])
def test_parameter_counts_equal_lambeq_formulas(cls, n, layers):
    assert cls.n_params(n, layers) == layers * LAMBEQ[cls](n)
    assert cls(layers).circuit(n).n_params == cls.n_params(n, layers)


@pytest.mark.parametrize("cls", list(LAMBEQ))
def test_one_qubit_box_is_rx_rz_rx_and_zero_qubits_empty(cls):
    c = cls(4).circuit(1)
    assert [op.gate for op in c.ops] == ["rx", "rz", "rx"] and cls.n_params(1, 4) == 3
    assert cls.n_params(0, 2) == 0 and cls(2).circuit(0).ops == ()


def test_bad_layers_and_names_raise():
    with pytest.raises(ValueError, match="n_layers"):
        Sim4(0)
    with pytest.raises(ValueError, match="ansatz must be"):
        get_ansatz("sim99")
