#!/usr/bin/env python3
"""Writes Tests/Fixtures/GGUF/smollm2-mini.gguf with Python gguf's GGUFWriter (dev time only).

A small but real GGUF for the reader's cross-check and mutation fuzz test: SmolLM2-135M-Instruct's
metadata in file order (vocabulary, token types and merges cut to their first 64 entries, the size
keys left as they are) and all 272 of its tensor infos with their names and types, each tensor cut
down to at most two rows of one block (F32: eight values) taken from the start of the real data.

Also writes smollm2-mini.golden.json: what GGUFReader reads back (keys, types, counts, tensor table),
for GGUFTests to compare against.

Usage: scripts/goldens/gguf_mini_fixture.py [MODELS_DIR]   (default: <repo>/models)
"""
import json
import pathlib
import sys

import numpy as np
from gguf import GGML_QUANT_SIZES, GGMLQuantizationType, GGUFReader, GGUFValueType, GGUFWriter

REPO = pathlib.Path(__file__).resolve().parents[2]
OUT = REPO / "Tests/Fixtures/GGUF/smollm2-mini.gguf"
KEEP = 64
PSEUDO_FIELDS = {"GGUF.version", "GGUF.tensor_count", "GGUF.kv_count"}


def copy_metadata(reader, writer):
    for name, field in reader.fields.items():
        # GGUFWriter writes general.architecture itself, first, as SmolLM2 has it.
        if name in PSEUDO_FIELDS or name == "general.architecture":
            continue
        value_type = field.types[0]
        if value_type == GGUFValueType.ARRAY:
            values = field.contents()[:KEEP]
            writer.add_key_value(name, values, GGUFValueType.ARRAY, sub_type=field.types[1])
        else:
            writer.add_key_value(name, field.contents(), value_type)


def cut_tensor(path, tensor):
    """At most two rows of one block each (F32: eight values), from the start of the real rows."""
    qtype = GGMLQuantizationType(int(tensor.tensor_type))
    block, type_size = GGML_QUANT_SIZES[qtype]
    ne = [int(d) for d in tensor.shape]
    row_bytes = ne[0] // block * type_size
    rows = min(2, int(np.prod(ne[1:]))) if len(ne) > 1 else 1
    if qtype == GGMLQuantizationType.F32:
        width = min(8, ne[0])
        raw = np.memmap(path, dtype=np.float32, mode="r", offset=tensor.data_offset, shape=(rows, ne[0]))
        data = np.array(raw[:, :width])
        return (data if len(ne) > 1 else data.reshape(width)), None
    raw = np.memmap(path, dtype=np.uint8, mode="r", offset=tensor.data_offset, shape=(rows, row_bytes))
    data = np.array(raw[:, :type_size])
    return (data if len(ne) > 1 else data.reshape(type_size)), qtype


def main():
    models = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "models"
    source = models / "SmolLM2-135M-Instruct.Q4_1.gguf"
    reader = GGUFReader(source)
    writer = GGUFWriter(OUT, reader.fields["general.architecture"].contents())
    copy_metadata(reader, writer)
    for tensor in reader.tensors:
        data, qtype = cut_tensor(source, tensor)
        writer.add_tensor(tensor.name, data, raw_dtype=qtype)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()

    check = GGUFReader(OUT)
    golden = {
        "file_size": OUT.stat().st_size,
        "data_offset": int(check.data_offset),
        "metadata": [{"key": k, "type": f.types[0].name,
                      **({"element_type": f.types[1].name, "count": len(f.data)} if f.types[0] == GGUFValueType.ARRAY else {})}
                     for k, f in check.fields.items() if k not in PSEUDO_FIELDS],
        "tensors": [{"name": t.name, "type": t.tensor_type.name, "shape": [int(d) for d in t.shape],
                     "offset": int(t.data_offset), "bytes": int(t.n_bytes)} for t in check.tensors],
    }
    (OUT.parent / "smollm2-mini.golden.json").write_text(json.dumps(golden, indent=1) + "\n")
    print(f"{OUT.relative_to(REPO)}: {golden['file_size']} bytes, {len(golden['tensors'])} tensors")


if __name__ == "__main__":
    main()
