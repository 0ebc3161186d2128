"""
Proving monogamy of mutual information with a contraction map
=============================================================

Monogamy of mutual information (MMI),
``S_AB + S_AC + S_BC >= S_A + S_B + S_C + S_ABC``, holds for every graph model
(holographic states) but not for every quantum state. A *contraction map*
proves it: a map from the cube of left-hand terms to the cube of right-hand
terms that fixes each party's occurrence vector and never increases Hamming
distances. We let :func:`qinfo.entropy_cones.prove` find the map, draw it on the
cube, check it independently, and watch the same proof fail for hypergraphs,
where a single four-vertex hyperedge (a GHZ state) violates MMI.
"""

# %%
# The proof for graph models
# --------------------------
# Propagation from the four boundary conditions (parties A, B, C and the
# purifier O) already fixes every image, so no SAT call is needed here.
import matplotlib.pyplot as plt

from qinfo.entropy_cones import Inequality, check_contraction, prove

mmi = Inequality.parse("S_AB + S_AC + S_BC >= S_A + S_B + S_C + S_ABC", name="MMI")
result = prove(mmi, model="graph", progress=False)
print(result.status, "-", result.reason)
cert = result.certificate
for party, (x, y) in cert.occurrence_vectors().items():
    print(f"party {party}: x = {x} -> y = {y}")

# %%
# The map on the cube
# -------------------
# Vertex ``x`` (one bit per left-hand term AB, AC, BC) is labelled ``x -> f(x)``
# (one bit per right-hand term A, B, C, ABC). The red vertices carry the
# boundary conditions. Every edge of the cube has weight one, and along every
# edge at most one bit of the image changes: the map is a contraction.
fig, ax = plt.subplots(figsize=(6.5, 5.5))
cert.plot(ax=ax)
plt.show()

# %%
# An independent check, and the published certificate
# ---------------------------------------------------
# :func:`~qinfo.entropy_cones.check_contraction` uses no solver: it checks the
# boundary conditions and every hypercube edge. The map found here is the one in
# the ``hec`` data (``qinfo/data/hec/c3.json``).
import importlib.resources

from qinfo.entropy_cones import ContractionMap

published = ContractionMap.load_all(importlib.resources.files("qinfo") / "data" / "hec" / "c3.json")[1]
print("certificate checks:", check_contraction(cert, mmi, model="graph"))
print("same as the published certificate:", cert == published)

# %%
# Hypergraphs: the 4-point condition fails
# ----------------------------------------
# With hyperedges of four vertices the map must also satisfy the 4-point
# condition: on any four vertices of the cube, the right-hand terms that are not
# constant may weigh no more than the left-hand terms that are not constant. On
# the four boundary vertices all 3 left-hand terms vary but all 4 right-hand
# terms do, so no map exists, and the search for a counterexample returns the
# GHZ4 hyperedge, whose tripartite information is +1.
hyper = prove(mmi, model="hypergraph", progress=False)
print(hyper.status, "-", hyper.reason)
ghz = hyper.counterexample
vec = ghz.entropy_vector()
print(ghz.edges, vec, "I3 =", vec.tripartite_information("A", "B", "C"))
print("the graph certificate is a hypergraph contraction:", cert.check("hypergraph"))
print("...for hyperedges of at most 3 vertices:", cert.check("hypergraph", max_edge_size=3))
