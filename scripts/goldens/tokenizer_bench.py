#!/usr/bin/env python3
"""Times llama.cpp's tokenizer on the benchmark text TokenizerBenchmark.mixedText builds (dev-time only).

Writes the text to /tmp/tokenizer_bench.txt, then for each GGUF model reports the Python binding's
tokenize time (whole text, one call, no special tokens) and llama-tokenize's wall time minus its
wall time on an empty file (model loading).
"""
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MODELS = Path(os.environ.get("SWIFTLET_MODELS_DIR", ROOT / "models"))
LLAMA = Path(os.environ.get("LLAMACPP_REF", "/work/ref/llamacpp"))
FILES = {"smollm2": "SmolLM2-135M-Instruct.Q4_1.gguf", "qwen25": "Qwen2.5-Coder-0.5B-Instruct.gguf",
         "gemma3": "gemma-3-270m-q4_k_m.gguf"}


def mixed_text(corpus, size):
    state, parts, n = 42, [], 0
    while n < size:
        state = (state * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        piece = corpus[(state >> 33) % len(corpus)]
        parts.append(piece + "\n")
        n += len(piece.encode()) + 1
    return "".join(parts)


def wall(cmd):
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        best = min(best, time.perf_counter() - t)
    return best


def main():
    corpus = json.loads((ROOT / "Tests/Fixtures/Tokenizers/corpus.json").read_text(encoding="utf-8"))
    text = mixed_text(corpus, 1_000_000).encode()
    path, empty = Path("/tmp/tokenizer_bench.txt"), Path("/tmp/tokenizer_bench_empty.txt")
    path.write_bytes(text)
    empty.write_bytes(b"")
    sys.path.insert(0, str(LLAMA / "python"))
    os.environ["LLAMA_CPP_LIB_PATH"] = str(LLAMA / "bin")
    from llama_cpp import Llama
    print(f"text: {len(text)} bytes -> {path}")
    for name, file in FILES.items():
        model = Llama(str(MODELS / file), vocab_only=True, verbose=False)
        best = float("inf")
        for _ in range(3):
            t = time.perf_counter()
            ids = model.tokenize(text, add_bos=False, special=False)
            best = min(best, time.perf_counter() - t)
        cmd = [str(LLAMA / "bin/llama-tokenize"), "-m", str(MODELS / file), "--ids", "--log-disable", "-f"]
        cli = wall(cmd + [str(path)]) - wall(cmd + [str(empty)])
        print(f"{name}: {len(ids)} tokens; binding {len(text) / best / 1e6:.2f} MB/s; "
              f"llama-tokenize {len(text) / cli / 1e6:.2f} MB/s (load time subtracted)")


if __name__ == "__main__":
    main()
