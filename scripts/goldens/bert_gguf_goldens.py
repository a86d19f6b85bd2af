#!/usr/bin/env python3
"""A tiny random BERT in GGUF and llama.cpp's embeddings of it (dev time only, never in CI).

Writes Tests/Fixtures/Embeddings/tiny-bert.gguf (seeded numpy weights, f32 with the matrices in f16 and
the rest in f32, written with gguf-py's GGUFWriter the way llama.cpp's converter lays out a BERT:
separate q/k/v with biases, WordPiece vocabulary in "phantom space" form, mean pooling) and
tiny-bert.json: for each text, the token ids llama.cpp's tokenizer gives and the L2-normalized,
mean-pooled embedding llama.cpp computes.

    LLAMA_CPP_LIB_PATH=/work/ref/llamacpp/bin python3 scripts/goldens/bert_gguf_goldens.py

LLAMACPP_REF (default /work/ref/llamacpp) locates the Python binding; the output is deterministic.
"""

import json
import os
import pathlib
import sys

import numpy as np
import gguf

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "Tests" / "Fixtures" / "Embeddings"
REF = pathlib.Path(os.environ.get("LLAMACPP_REF", "/work/ref/llamacpp"))
os.environ.setdefault("LLAMA_CPP_LIB_PATH", str(REF / "bin"))
sys.path.insert(0, str(REF / "python"))

HIDDEN, LAYERS, HEADS, FFN, CONTEXT, TYPES = 32, 2, 4, 64, 64, 2
SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
WORDS = ["the", "cat", "dog", "sat", "on", "mat", "rug", "runs", "fast", "slow", "and", "is", "big",
         "small", "red", "blue", "house", "tree", "sun", "play", "##s", "##ing", "##ed", "##er", "un", "##able",
         ".", ",", "!", "?", "'"] + list("abcdefghijklmnopqrstuvwxyz") + ["##" + c for c in "abcdefghijklmnopqrstuvwxyz"]
WORDS = list(dict.fromkeys(WORDS))
TEXTS = ["The cat sat on the mat.", "A dog runs fast!", "the red house and the blue tree",
         "Unplayable, slower, biggest?", "sun", "cats and dogs playing on a big rug",
         "The quick brown fox jumps over the lazy dog.", "x y z"]


def write_model(path):
    rng = np.random.default_rng(20261122)
    tokens = SPECIALS + WORDS
    types = [gguf.TokenType.CONTROL] * len(SPECIALS) + [gguf.TokenType.NORMAL] * len(WORDS)
    phantom = [t if ty == gguf.TokenType.CONTROL else (t[2:] if t.startswith("##") else "\u2581" + t)
               for t, ty in zip(tokens, types)]
    w = gguf.GGUFWriter(str(path), "bert")
    w.add_name("tiny-bert")
    w.add_context_length(CONTEXT)
    w.add_embedding_length(HIDDEN)
    w.add_block_count(LAYERS)
    w.add_feed_forward_length(FFN)
    w.add_head_count(HEADS)
    w.add_layer_norm_eps(1e-12)
    w.add_causal_attention(False)
    w.add_pooling_type(gguf.PoolingType.MEAN)
    w.add_file_type(gguf.LlamaFileType.MOSTLY_F16)
    w.add_tokenizer_model("bert")
    w.add_tokenizer_pre("default")
    w.add_token_type_count(TYPES)
    w.add_token_list(phantom)
    w.add_token_types(types)
    w.add_unk_token_id(1)
    w.add_bos_token_id(2)
    w.add_sep_token_id(3)
    w.add_pad_token_id(0)
    w.add_mask_token_id(4)

    def tensor(name, shape, scale=0.2, dtype=np.float32):
        w.add_tensor(name, (rng.standard_normal(shape) * scale).astype(dtype))

    def norm(name):
        w.add_tensor(name + ".weight", (1 + 0.1 * rng.standard_normal(HIDDEN)).astype(np.float32))
        w.add_tensor(name + ".bias", (0.1 * rng.standard_normal(HIDDEN)).astype(np.float32))

    tensor("token_embd.weight", (len(tokens), HIDDEN), 0.5)
    tensor("token_types.weight", (TYPES, HIDDEN), 0.5)
    tensor("position_embd.weight", (CONTEXT, HIDDEN), 0.5)
    norm("token_embd_norm")
    for i in range(LAYERS):
        for part in ["attn_q", "attn_k", "attn_v", "attn_output"]:
            tensor(f"blk.{i}.{part}.weight", (HIDDEN, HIDDEN), dtype=np.float16)
            tensor(f"blk.{i}.{part}.bias", (HIDDEN,), 0.05)
        norm(f"blk.{i}.attn_output_norm")
        tensor(f"blk.{i}.ffn_up.weight", (FFN, HIDDEN), dtype=np.float16)
        tensor(f"blk.{i}.ffn_up.bias", (FFN,), 0.05)
        tensor(f"blk.{i}.ffn_down.weight", (HIDDEN, FFN))
        tensor(f"blk.{i}.ffn_down.bias", (HIDDEN,), 0.05)
        norm(f"blk.{i}.layer_output_norm")
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    model_path = OUT / "tiny-bert.gguf"
    write_model(model_path)
    import llama_cpp
    llm = llama_cpp.Llama(model_path=str(model_path), embedding=True, n_ctx=CONTEXT, n_threads=2, verbose=False,
                          pooling_type=llama_cpp.LLAMA_POOLING_TYPE_MEAN)
    cases = []
    for text in TEXTS:
        ids = llm.tokenize(text.encode(), add_bos=True, special=False)
        vector = llm.embed(text, normalize=True)
        cases.append({"text": text, "ids": ids, "embedding": [float(v) for v in vector]})
    (OUT / "tiny-bert.json").write_text(json.dumps({"model": "tiny-bert.gguf", "pooling": "mean", "normalized": True,
                                                    "cases": cases}, indent=1) + "\n")
    print(f"wrote {model_path} ({model_path.stat().st_size} bytes) and {len(cases)} cases")


if __name__ == "__main__":
    main()
