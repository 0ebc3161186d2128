"""Compute real CLIP image embeddings of the generated scenes (not run in CI).

Needs open_clip (``pip install open_clip_torch``) or transformers, and the
model weights available locally (nothing is downloaded unless your own
cache allows it). Writes an ``.npz`` with ``keys`` (scene keys) and
``embeddings`` that :func:`qinfo.vqc.encodings.load_clip_embeddings` reads:

    python examples/compute_clip_embeddings.py --weights /path/to/ViT-B-32.pt --out clip.npz
    # then
    from qinfo.vqc import make_datasets, load_clip_embeddings
    ds = make_datasets(features=load_clip_embeddings("clip.npz"), seed=0)

Use the same ``--seed``, ``--kind``, ``--task`` and ``--n-per-combination`` as
the datasets you will build, so that the scenes are the same.
"""

from __future__ import annotations

import argparse

import numpy as np

from qinfo.vqc.data import make_datasets
from qinfo.vqc.encodings import scene_key


def _encoder(args):
    try:
        import open_clip
        import torch

        model, _, preprocess = open_clip.create_model_and_transforms(args.model, pretrained=args.weights)
        model.eval()

        def encode(images):
            from PIL import Image

            batch = torch.stack([preprocess(Image.fromarray(im)) for im in images])
            with torch.no_grad():
                return model.encode_image(batch).float().numpy()

        return encode
    except ImportError:
        from PIL import Image
        from transformers import CLIPModel, CLIPProcessor

        model = CLIPModel.from_pretrained(args.weights, local_files_only=True)
        processor = CLIPProcessor.from_pretrained(args.weights, local_files_only=True)

        def encode(images):
            inputs = processor(images=[Image.fromarray(im) for im in images], return_tensors="pt")
            return model.get_image_features(**inputs).detach().numpy()

        return encode


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--weights", required=True, help="local open_clip checkpoint or transformers folder")
    p.add_argument("--model", default="ViT-B-32", help="open_clip architecture name")
    p.add_argument("--out", default="clip.npz")
    p.add_argument("--kind", default="relational")
    p.add_argument("--task", default="binary")
    p.add_argument("--n-per-combination", type=int, default=20)
    p.add_argument("--seeds", type=int, nargs="+", default=[0])
    p.add_argument("--size", type=int, default=112, help="render height in pixels")
    args = p.parse_args(argv)
    encode = _encoder(args)
    keys, scenes, seen = [], [], set()
    for seed in args.seeds:
        for part in make_datasets(args.kind, args.task, n_per_combination=args.n_per_combination,
                                  features=None, seed=seed).values():
            for s in part.scenes:
                if scene_key(s) not in seen:
                    seen.add(scene_key(s))
                    keys.append(scene_key(s))
                    scenes.append(s)
    emb = np.concatenate([encode([s.render(args.size) for s in scenes[i:i + 64]])
                          for i in range(0, len(scenes), 64)])
    np.savez(args.out, keys=np.array(keys), embeddings=emb)
    print(f"wrote {len(keys)} embeddings of dimension {emb.shape[1]} to {args.out}")


if __name__ == "__main__":
    main()
