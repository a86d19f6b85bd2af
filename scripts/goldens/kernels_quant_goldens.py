#!/usr/bin/env python3
"""Dequantization and quantization goldens for the Kernels tests, made with Python `gguf`.

Writes Tests/Fixtures/Kernels/quant_goldens.json: a list of cases, each with a ggml type name, an
element count, raw block bytes (base64) and the f32 values gguf.quants.dequantize gives for them
(base64, little-endian). Real cases take the first rows of one tensor per type from each model in
models/; synthetic cases are random blocks with finite f16 scales, for every supported type. For the
types gguf.quants can quantize, "quantize" cases hold random f32 input and gguf's bytes for it.

Dev time only: python3 scripts/goldens/kernels_quant_goldens.py
"""
import base64
import json
import pathlib

import numpy as np
from gguf import GGUFReader, GGMLQuantizationType as T
from gguf.quants import dequantize, quantize

ROOT = pathlib.Path(__file__).resolve().parents[2]
MODELS = ["SmolLM2-135M-Instruct.Q4_1.gguf", "Qwen2.5-Coder-0.5B-Instruct.gguf", "gemma-3-270m-q4_k_m.gguf"]
TYPES = [T.F32, T.F16, T.BF16, T.Q4_0, T.Q4_1, T.Q5_0, T.Q5_1, T.Q8_0, T.Q2_K, T.Q3_K, T.Q4_K, T.Q5_K, T.Q6_K]
# Byte offsets of the f16 scale fields in each block (see ggml's block_* structs).
SCALE_OFFSETS = {T.Q4_0: [0], T.Q4_1: [0, 2], T.Q5_0: [0], T.Q5_1: [0, 2], T.Q8_0: [0],
                 T.Q2_K: [80, 82], T.Q3_K: [108], T.Q4_K: [0, 2], T.Q5_K: [0, 2], T.Q6_K: [208]}
QUANTIZABLE = [T.F16, T.BF16, T.Q4_0, T.Q4_1, T.Q5_0, T.Q5_1, T.Q8_0]
ELEMENTS = 2048  # per case: 8 K super-blocks or 64 small blocks


def b64(array):
    return base64.b64encode(np.ascontiguousarray(array).tobytes()).decode()


def case(kind, source, qtype, raw, count):
    values = dequantize(raw, qtype).reshape(-1).astype("<f4")
    assert values.size == count
    return {"kind": kind, "source": source, "type": qtype.name, "count": count,
            "bytes": b64(raw), "values": b64(values)}


def real_cases():
    cases = []
    for model in MODELS:
        reader = GGUFReader(ROOT / "models" / model)
        seen = set()
        for tensor in reader.tensors:
            qtype = T(tensor.tensor_type)
            if qtype not in TYPES or qtype in seen:
                continue
            seen.add(qtype)
            block, size = qtype_sizes(qtype)
            raw = np.asarray(tensor.data).view(np.uint8).reshape(-1)
            count = min(ELEMENTS, int(tensor.n_elements)) // block * block
            cases.append(case("dequantize", f"{model}:{tensor.name}", qtype, raw[: count // block * size].copy(), count))
    return cases


def qtype_sizes(qtype):
    from gguf.constants import GGML_QUANT_SIZES
    return GGML_QUANT_SIZES[qtype]


def synthetic_cases(rng):
    cases = []
    for qtype in TYPES:
        block, size = qtype_sizes(qtype)
        blocks = ELEMENTS // block
        if qtype == T.F32:
            raw = rng.standard_normal(ELEMENTS).astype("<f4").view(np.uint8)
        elif qtype == T.F16:
            raw = (rng.standard_normal(ELEMENTS) * 4).astype("<f2").view(np.uint8)
        elif qtype == T.BF16:
            raw = (rng.standard_normal(ELEMENTS).astype("<f4").view("<u4") >> 16).astype("<u2").view(np.uint8)
        else:
            raw = rng.integers(0, 256, size=(blocks, size), dtype=np.uint8)
            for offset in SCALE_OFFSETS[qtype]:
                scale = (rng.uniform(1e-4, 0.05, blocks) * rng.choice([-1, 1], blocks)).astype("<f2")
                raw[:, offset:offset + 2] = scale.view(np.uint8).reshape(blocks, 2)
            raw = raw.reshape(-1)
        cases.append(case("dequantize", "synthetic", qtype, raw, ELEMENTS))
    for qtype in QUANTIZABLE:
        values = (rng.standard_normal(ELEMENTS) * rng.uniform(0.01, 2)).astype("<f4")
        values[:32] = 0  # an all-zero block exercises the d == 0 path
        raw = quantize(values, qtype).reshape(-1)
        cases.append({"kind": "quantize", "source": "synthetic", "type": qtype.name, "count": ELEMENTS,
                      "bytes": b64(raw), "values": b64(values)})
    return cases


def main():
    rng = np.random.default_rng(20261122)
    cases = real_cases() + synthetic_cases(rng)
    out = ROOT / "Tests" / "Fixtures" / "Kernels" / "quant_goldens.json"
    out.write_text(json.dumps({"generator": "scripts/goldens/kernels_quant_goldens.py", "cases": cases}, indent=0) + "\n")
    for c in cases:
        print(c["kind"], c["type"], c["source"], c["count"])
    print(out, out.stat().st_size, "bytes")


if __name__ == "__main__":
    main()
