#!/usr/bin/env python3
"""Tokenizes Tests/Fixtures/Tokenizers/corpus.json with the reference implementations.

Dev-time only, never in CI. Needs the llama.cpp reference build (see DESIGN.md) and `pip install tokenizers`.

Writes Tests/Fixtures/Tokenizers/goldens_<model>.json:
  {"model": file, "add_special": bool, "cases": [{"special": [...], "plain": [...], "roundtrip": bool}]}
where "special" is llama.cpp's tokenize(text, add_special, parse_special=True), "plain" the same with
parse_special=False, and "roundtrip" says whether llama.cpp's own detokenize of "plain" (special tokens
removed) gives back the input.

goldens_pre_<name>.json test each supported `tokenizer.ggml.pre` on one vocabulary: SmolLM2's tokens and
merges with the pre-tokenizer name swapped (and add_bos_token left out, so the family default applies);
only "plain" ids are stored there. goldens_spm_space_prefix.json does the same for Gemma's SentencePiece
vocabulary with add_space_prefix turned on. The Swift tests build the same vocabulary-only GGUFs in memory.

For all-MiniLM-L6-v2 (HF tokenizers, truncation and padding off, [CLS]/[SEP] added): "special" holds the
ids, "roundtrip" is false (WordPiece lower-cases and drops spaces).
"""
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "Tests/Fixtures/Tokenizers"
MODELS = Path(os.environ.get("SWIFTLET_MODELS_DIR", ROOT / "models"))
LLAMA = Path(os.environ.get("LLAMACPP_REF", "/work/ref/llamacpp"))

GGUF_MODELS = {
    "smollm2": "SmolLM2-135M-Instruct.Q4_1.gguf",
    "qwen25": "Qwen2.5-Coder-0.5B-Instruct.gguf",
    "gemma3": "gemma-3-270m-q4_k_m.gguf",
}


def llama_goldens(corpus):
    sys.path.insert(0, str(LLAMA / "python"))
    os.environ["LLAMA_CPP_LIB_PATH"] = str(LLAMA / "bin")
    from llama_cpp import Llama, llama_cpp as C

    for name, file in GGUF_MODELS.items():
        model = Llama(str(MODELS / file), vocab_only=True, verbose=False)
        vocab = C.llama_model_get_vocab(model.model)
        add_special = bool(C.llama_vocab_get_add_bos(vocab))
        cases = []
        for text in corpus:
            raw = text.encode("utf-8")
            special = model.tokenize(raw, add_bos=add_special, special=True)
            plain = model.tokenize(raw, add_bos=add_special, special=False)
            back = detokenize(C, vocab, plain)
            cases.append({"special": special, "plain": plain, "roundtrip": back == raw})
        out = FIX / f"goldens_{name}.json"
        out.write_text(json.dumps({"model": file, "add_special": add_special, "cases": cases},
                                  separators=(",", ":")) + "\n")
        rt = sum(c["roundtrip"] for c in cases)
        print(f"{name}: {len(cases)} cases, {rt} round-trip -> {out}")


def detokenize(C, vocab, ids):
    import ctypes
    arr = (C.llama_token * max(len(ids), 1))(*ids)
    size = 16 * len(ids) + 64
    buf = ctypes.create_string_buffer(size)
    n = C.llama_detokenize(vocab, arr, len(ids), buf, size, True, False)
    if n < 0:
        buf = ctypes.create_string_buffer(-n)
        n = C.llama_detokenize(vocab, arr, len(ids), buf, -n, True, False)
    return buf.raw[:n]


PRE_TOKENIZERS = ["default", "gpt-2", "llama-bpe", "qwen2", "starcoder", "command-r", "falcon",
                  "deepseek-llm", "deepseek-coder", "dbrx"]


def vocab_only_gguf(source, pre, path, space_prefix=None):
    import gguf
    reader = gguf.GGUFReader(str(source))
    writer = gguf.GGUFWriter(str(path), arch="llama")
    for key, field in reader.fields.items():
        if not key.startswith("tokenizer.") or key in ("tokenizer.ggml.pre", "tokenizer.ggml.add_bos_token",
                                                       "tokenizer.chat_template", "tokenizer.ggml.add_space_prefix"):
            continue
        if field.types[0] == gguf.GGUFValueType.ARRAY:
            writer.add_array(key, field.contents())
        else:
            writer.add_key_value(key, field.contents(), field.types[0])
    if pre is not None:
        writer.add_string("tokenizer.ggml.pre", pre)
    if space_prefix is not None:
        writer.add_bool("tokenizer.ggml.add_space_prefix", space_prefix)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def pre_tokenizer_goldens(corpus):
    from llama_cpp import Llama, llama_cpp as C
    for pre in PRE_TOKENIZERS:
        path = Path(f"/tmp/tokenizer_pre_{pre}.gguf")
        vocab_only_gguf(MODELS / GGUF_MODELS["smollm2"], pre, path)
        model = Llama(str(path), vocab_only=True, verbose=False)
        add_special = bool(C.llama_vocab_get_add_bos(C.llama_model_get_vocab(model.model)))
        cases = [{"special": [], "plain": model.tokenize(t.encode(), add_bos=add_special, special=False),
                  "roundtrip": False} for t in corpus]
        out = FIX / f"goldens_pre_{pre}.json"
        out.write_text(json.dumps({"model": pre, "add_special": add_special, "cases": cases},
                                  separators=(",", ":")) + "\n")
        print(f"pre {pre}: {len(cases)} cases -> {out}")


def space_prefix_goldens(corpus):
    """Gemma's SentencePiece vocabulary with add_space_prefix on (Gemma itself has it off)."""
    from llama_cpp import Llama
    path = Path("/tmp/tokenizer_spm_space_prefix.gguf")
    vocab_only_gguf(MODELS / GGUF_MODELS["gemma3"], None, path, space_prefix=True)
    model = Llama(str(path), vocab_only=True, verbose=False)
    cases = [{"special": model.tokenize(t.encode(), add_bos=True, special=True),
              "plain": model.tokenize(t.encode(), add_bos=True, special=False), "roundtrip": False} for t in corpus]
    out = FIX / "goldens_spm_space_prefix.json"
    out.write_text(json.dumps({"model": "gemma3+add_space_prefix", "add_special": True, "cases": cases},
                              separators=(",", ":")) + "\n")
    print(f"spm space prefix: {len(cases)} cases -> {out}")


def wordpiece_goldens(corpus):
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(MODELS / "all-MiniLM-L6-v2/tokenizer.json"))
    tok.no_truncation()
    tok.no_padding()
    cases = [{"special": tok.encode(t, add_special_tokens=True).ids, "plain": [], "roundtrip": False}
             for t in corpus]
    out = FIX / "goldens_minilm.json"
    out.write_text(json.dumps({"model": "all-MiniLM-L6-v2", "add_special": True, "cases": cases},
                              separators=(",", ":")) + "\n")
    print(f"minilm: {len(cases)} cases -> {out}")


def main():
    corpus = json.loads((FIX / "corpus.json").read_text(encoding="utf-8"))
    llama_goldens(corpus)
    pre_tokenizer_goldens(corpus)
    space_prefix_goldens(corpus)
    wordpiece_goldens(corpus)


if __name__ == "__main__":
    main()
