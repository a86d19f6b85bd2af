#!/usr/bin/env python3
"""sentence-transformers' CPU speed on the sentences EmbeddingBenchmark uses (the speed anchor).

Dev time only. Reads the sentence list from Sources/Embeddings/EmbeddingBenchmark.swift so both sides
embed exactly the same texts, then reports sentences/s per batch size (warm-up pass, then ROUNDS timed
passes), with torch limited to THREADS threads.

    HF_HUB_OFFLINE=1 python3 scripts/goldens/embeddings_bench.py [MODEL_DIR] [--threads 2] [--rounds 3]
"""
import argparse
import ast
import os
import re
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import torch  # noqa: E402
from sentence_transformers import SentenceTransformer  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SWIFT = os.path.join(ROOT, "Sources", "Embeddings", "EmbeddingBenchmark.swift")


def sentences():
    source = open(SWIFT, encoding="utf-8").read()
    body = source[source.index("public static let sentences: [String] = [") :]
    body = body[: body.index("\n    ]")]
    return [ast.literal_eval(m) for m in re.findall(r'^\s+("(?:[^"\\]|\\.)*"),$', body, re.M)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model", nargs="?", default=os.path.join(ROOT, "models", "all-MiniLM-L6-v2"))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batch", type=int, nargs="*", default=[1, 32])
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    texts = sentences()
    model = SentenceTransformer(args.model, device="cpu")
    for size in args.batch:
        batches = [texts[i : i + size] for i in range(0, len(texts), size)]
        for batch in batches:
            model.encode(batch, batch_size=size)
        start = time.perf_counter()
        for _ in range(args.rounds):
            for batch in batches:
                model.encode(batch, batch_size=size)
        seconds = time.perf_counter() - start
        count = len(texts) * args.rounds
        print(f"sentence-transformers batch {size:3d}: {count / seconds:8.1f} sentences/s "
              f"({count} sentences, {seconds:.3f} s, {args.threads} threads)")


if __name__ == "__main__":
    main()
