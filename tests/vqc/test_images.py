"""Real-data path: image folder, split file, embeddings file, make_datasets(embeddings=...), the CLIP script.

Oracle: the files written by the test itself; every dataset item's feature
row must be the vector of an image whose caption is the item's caption
(positive) or its hard negative (``a R' b``).
"""

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

from qinfo.vqc import CaptionModel, make_datasets
from qinfo.vqc import all_combinations, default_split, load_embeddings, load_image_folder, load_split, save_embeddings
from qinfo.vqc._scenes import INVERSE

ROOT = Path(__file__).resolve().parents[2]


def _fake_embeddings(path, n_per=3, dim=16, seed=0):
    rng = np.random.default_rng(seed)
    ids, caps = [], []
    for combo in all_combinations("relational"):
        for k in range(n_per):
            ids.append(f"{'_'.join(combo)}_{k:04d}")
            caps.append(" ".join(combo))
    save_embeddings(path, ids, caps, rng.normal(size=(len(ids), dim)), model="random stand-in")
    return load_embeddings(path)


def test_make_datasets_draws_each_item_from_the_images_of_its_caption(tmp_path):
    emb = _fake_embeddings(tmp_path / "emb.npz")
    ds = make_datasets("relational", "binary", n_per_combination=4, embeddings=tmp_path / "emb.npz", seed=1)
    index = dict(zip(emb.ids, range(len(emb.ids))))
    for part in ds.values():
        for image_id, cap, lab, row in zip(part.scenes, part.captions, part.labels, part.features):
            shown = emb.captions[index[image_id]]
            assert np.array_equal(row, emb.vectors[index[image_id]])
            assert shown == (cap if lab == 1 else (cap[0], INVERSE[cap[1]], cap[2]))
    assert {c for c in ds["test"].captions} == set(default_split("relational", seed=0).test)
    assert "embeddings file" in ds["train"].source and "random stand-in" in ds["train"].source


def test_a_caption_without_images_is_named(tmp_path):
    save_embeddings(tmp_path / "e.npz", ["a"], ["cube left cone"], np.ones((1, 4)))
    with pytest.raises(ValueError, match="no image of .* captions of the split"):
        make_datasets("relational", "binary", embeddings=tmp_path / "e.npz")


@pytest.mark.parametrize("bad,match", [
    (dict(ids=np.array(["a", "a"]), captions=np.array(["red cube"] * 2), embeddings=np.ones((2, 3))), "unique"),
    (dict(ids=np.array(["a"]), captions=np.array(["red cube"]), embeddings=np.full((1, 3), np.nan)), "NaN"),
    (dict(ids=np.array(["a"]), embeddings=np.ones((1, 3))), "lacks arrays"),
    (dict(ids=np.array(["a"]), captions=np.array(["red pyramid"]), embeddings=np.ones((1, 3))), "not a caption"),
])
def test_malformed_embeddings_files_are_refused(tmp_path, bad, match):
    np.savez(tmp_path / "e.npz", **bad)
    with pytest.raises(ValueError, match=match):
        load_embeddings(tmp_path / "e.npz")


def test_image_folder_by_name_and_by_listing_and_split_file(tmp_path):
    (tmp_path / "a").mkdir()
    for name in ("cube_left_cone_0001.png", "a/red-cube-12.jpg"):
        (tmp_path / name).write_bytes(b"")
    folder = load_image_folder(tmp_path)
    assert dict(zip(folder.ids, folder.captions)) == {"cube_left_cone_0001": ("cube", "left", "cone"),
                                                      "a/red-cube-12": ("red", "cube")}
    (tmp_path / "captions.csv").write_text("file,caption\na/red-cube-12.jpg,blue sphere\n")
    assert load_image_folder(tmp_path).captions == (("blue", "sphere"),)
    split = default_split("relational", seed=3)
    (tmp_path / "split.json").write_text(json.dumps({k: [" ".join(c) for c in getattr(split, k)]
                                                     for k in ("train", "val", "test")}))
    assert load_split(tmp_path / "split.json") == split
    (tmp_path / "bad.json").write_text(json.dumps({"train": ["cube left cone"], "test": ["cube right sphere"]}))
    with pytest.raises(ValueError, match="never occur in the training"):
        load_split(tmp_path / "bad.json")


def test_clip_script_writes_the_embeddings_file_with_a_stand_in_encoder(tmp_path):
    spec = importlib.util.spec_from_file_location("compute_clip", ROOT / "examples" / "compute_clip_embeddings.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    images = tmp_path / "images"
    script.render_synthetic(images, n_per_combination=2, size=16, seed=0)

    def stand_in(batch):  # a tiny "encoder": mean colour of each image half plus a few pixels
        out = []
        for im in batch:
            a = np.asarray(im, dtype=float) / 255
            w = a.shape[1] // 2
            out.append(np.concatenate([a[:, :w].mean((0, 1)), a[:, w:].mean((0, 1)), a[::8, ::8].ravel()]))
        return np.array(out)

    n = script.embed_folder(images, stand_in, tmp_path / "emb.npz", model="stand-in", batch_size=7)
    emb = load_embeddings(tmp_path / "emb.npz")
    assert n == len(emb.ids) == 48 and emb.source == "stand-in"
    from PIL import Image

    k = emb.ids.index("cube_left_cone_0001")
    assert np.allclose(emb.vectors[k], stand_in([Image.open(images / "cube_left_cone_0001.png").convert("RGB")])[0])
    ds = make_datasets("relational", "binary", n_per_combination=2, embeddings=emb, seed=0)
    model = CaptionModel(encoding="clip-angle", epochs=1, progress=False, seed=0).fit(ds["train"], ds["val"])
    assert model.encoding_.dim == emb.vectors.shape[1] and "stand-in" in ds["test"].source
    assert set(ds["test"].scenes) <= set(emb.ids)      # the items are the file's images
    assert len(model.predict(ds["test"])) == len(ds["test"])


def test_cli_vqc_train_reads_an_embeddings_file(tmp_path, capsys):
    from qinfo.cli import main

    _fake_embeddings(tmp_path / "emb.npz", n_per=2)
    out = tmp_path / "run"
    assert main(["vqc", "train", "--encoding", "clip-angle", "--embeddings", str(tmp_path / "emb.npz"),
                 "--epochs", "1", "--n-per-combination", "2", "--no-progress", "--out", str(out)]) == 0
    assert "embeddings" in json.loads((out / "config.json").read_text())
    assert main(["vqc", "train", "--encoding", "mhe", "--embeddings", str(tmp_path / "emb.npz"),
                 "--out", str(tmp_path / "r2")]) == 2
    assert "needs a CLIP encoding" in capsys.readouterr().err
    assert main(["reproduce", "vqc", "--embeddings", str(tmp_path / "missing.npz")]) == 2
