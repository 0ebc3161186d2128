"""Compute CLIP image embeddings of a folder of captioned images (not run in CI).

Reads an image folder (``cube_left_sphere_0007.png`` or a ``captions.csv``;
layout in :func:`qinfo.vqc.load_image_folder`), embeds every image with a CLIP model
loaded from a *local* path (open_clip checkpoint or a transformers folder;
nothing is downloaded) and writes the embeddings file that
``make_datasets(embeddings=...)``, ``qinfo vqc train --embeddings`` and
``qinfo reproduce vqc --embeddings`` read:

    python examples/compute_clip_embeddings.py --images clevr_rel/ --model /models/clip-vit-b-32 --out clip.npz
    qinfo reproduce vqc --embeddings clip.npz --split clevr_rel/split.json

Without images of your own, ``--render-synthetic DIR`` first writes qinfo's
*synthetic* cartoon scenes as such a folder (these are not the paper's
CLEVR images). :func:`embed_folder` takes any encoder callable, which is how
the test suite runs this script with a tiny stand-in encoder.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from qinfo.vqc import load_image_folder, save_embeddings


def embed_folder(images, encode, out, *, model: str = "", batch_size: int = 64) -> int:
    """Embed every image of the folder ``images`` with ``encode`` and write the embeddings file ``out``.

    ``encode`` maps a list of RGB ``PIL.Image`` to an ``(n, d)`` array.
    Returns the number of images.
    """
    from PIL import Image

    folder = load_image_folder(images)
    chunks = []
    for i in range(0, len(folder), batch_size):
        batch = [Image.open(f).convert("RGB") for f in folder.files[i:i + batch_size]]
        emb = np.asarray(encode(batch), dtype=float)
        if emb.ndim != 2 or emb.shape[0] != len(batch):
            raise ValueError(f"encoder returned shape {emb.shape} for {len(batch)} images")
        chunks.append(emb)
    save_embeddings(out, folder.ids, [" ".join(c) for c in folder.captions], np.concatenate(chunks), model=model)
    return len(folder)


def load_encoder(model_path: str, arch: str = "ViT-B-32"):
    """A CLIP image encoder from a local open_clip checkpoint file or transformers folder."""
    path = Path(model_path)
    if not path.exists():
        raise SystemExit(f"--model {model_path}: no such file or folder (weights must be local)")
    if path.is_dir():
        from transformers import CLIPModel, CLIPProcessor

        model = CLIPModel.from_pretrained(path, local_files_only=True)
        processor = CLIPProcessor.from_pretrained(path, local_files_only=True)

        def encode(images):
            inputs = processor(images=images, return_tensors="pt")
            return model.get_image_features(**inputs).detach().numpy()

        return encode
    import open_clip
    import torch

    model, _, preprocess = open_clip.create_model_and_transforms(arch, pretrained=str(path))
    model.eval()

    def encode(images):
        with torch.no_grad():
            return model.encode_image(torch.stack([preprocess(im) for im in images])).float().numpy()

    return encode


def render_synthetic(folder, *, n_per_combination: int = 20, size: int = 112, seed: int = 0) -> None:
    """Write qinfo's synthetic relational scenes as an image folder (every combination)."""
    from PIL import Image

    from qinfo.vqc import all_combinations, sample_scene

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    for combo in all_combinations("relational"):
        for k in range(n_per_combination):
            img = sample_scene(combo, seed=rng).render(size)
            Image.fromarray(img).save(folder / f"{'_'.join(combo)}_{k:04d}.png")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--images", required=True, help="folder of captioned images")
    p.add_argument("--model", help="local open_clip checkpoint file or transformers folder")
    p.add_argument("--arch", default="ViT-B-32", help="open_clip architecture name")
    p.add_argument("--out", default="clip.npz")
    p.add_argument("--render-synthetic", action="store_true",
                   help="first write qinfo's synthetic scenes into --images")
    args = p.parse_args(argv)
    if args.render_synthetic:
        render_synthetic(args.images)
    if args.model is None:
        raise SystemExit("--model is required to compute embeddings")
    n = embed_folder(args.images, load_encoder(args.model, args.arch), args.out, model=str(args.model))
    print(f"wrote {n} embeddings to {args.out}")


if __name__ == "__main__":
    main()
