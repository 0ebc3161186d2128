"""
Entropy vectors of stabilizer and graph states
==============================================

Stabilizer entropies are GF(2) ranks, so qinfo computes them exactly and fast.
We take a few famous states -- a Bell pair, GHZ, the ``[[5,1,3]]`` code state --
then enumerate *every* graph state on six qubits (five parties and a purifier),
group the 760 distinct entropy vectors into orbits under relabelling of the
parties, and look at how entangled each orbit is.
"""

# %%
# A few states
# ------------
# Generators are Pauli strings; character ``k`` acts on qubit ``k`` (the reverse
# of qiskit's labels). ``parties`` gives each qubit a party letter, with ``O``
# the purifier. Entropies are in bits.
import itertools

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np

from qinfo.entropy_cones import graph_state_entropy_vectors, stabilizer_entropy_vector

print("Bell  ", stabilizer_entropy_vector(["XX", "ZZ"], "AB"))
print("GHZ_4 ", stabilizer_entropy_vector(["XXXX", "ZZII", "IZZI", "IIZZ"], "ABCO"))
code = ["XZZXI", "IXZZX", "XIXZZ", "ZXIXZ", "ZZZZZ"]  # |0_L> of the five-qubit code
print("[[5,1,3]]", stabilizer_entropy_vector(code, "ABCDO"))

# %%
# The code state is *absolutely maximally entangled*: every set of at most two
# qubits is maximally mixed. Dropping the logical operator leaves the mixed code
# space, whose total entropy is one bit (the vector's ``O`` is then its purification).
print("code space", stabilizer_entropy_vector(code[:4], "ABCDE"))

# %%
# Graph states can be given as networkx graphs; several qubits may share a party.
ring = nx.cycle_graph(6)
print("6-ring, parties AABBCO:", stabilizer_entropy_vector(ring, "AABBCO"))

# %%
# All six-qubit graph states
# --------------------------
# Every stabilizer state is local-Clifford equivalent to a graph state, so the
# 2**15 labelled graphs on six qubits give every entropy vector of six-qubit
# stabilizer states.
res = graph_state_entropy_vectors(6, progress=False)
print(res)
print(len(res.orbits), "orbits under permutations of A, B, C, D, E, O")

# %%
# For each orbit, the average entropy of a set of ``k`` of the six qubits
# (``k = 1, 2, 3``, the purifier ``O`` included, so the average is the same for
# every member of the orbit) measures how entangled its states are; an
# absolutely maximally entangled state reaches ``S = k``.


def mean_entropy(vec, k):
    return np.mean([vec["".join(c)] for c in itertools.combinations("ABCDEO", k)])


profiles = np.array([[mean_entropy(o.representative, k) for k in (1, 2, 3)] for o in res.orbits])
order = np.lexsort(profiles.T[::-1])

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
for k in range(3):
    ax1.plot(np.arange(len(order)), profiles[order, k], "o-", label=f"k = {k + 1}")
ax1.set_xlabel("orbit (sorted by entropy profile)")
ax1.set_ylabel("mean S over k-qubit sets  [bits]")
ax1.set_title("Entanglement of the 26 orbits")
ax1.legend()
ax2.bar(np.arange(len(order)), [res.orbits[i].count for i in order])
ax2.set_yscale("log")
ax2.set_xlabel("orbit (same order)")
ax2.set_ylabel("labelled graphs in the orbit")
ax2.set_title(f"{res.n_graphs} graphs on 6 qubits")
fig.tight_layout()
plt.show()
