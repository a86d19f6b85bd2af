#!/usr/bin/env python3
"""Golden descriptions of the real GGUF models, made with Python gguf's GGUFReader (dev time only).

For each model, writes Tests/Fixtures/GGUF/<model>.golden.json holding: header facts (version,
alignment, data offset, file size), every metadata entry in file order (scalars with their values;
arrays with element type, count, a checksum over all elements, and samples at fixed indices), and the
full tensor table (name, type, shape, absolute offset, byte count). GGUFTests/GGUFGoldenTests.swift
must reproduce it exactly.

Checksums, chosen so the Swift side can recompute them from its public decoding API:
  * string arrays: FNV-1a 64 over each element as (8-byte little-endian length, raw bytes);
  * integer arrays: the exact sum of the values;
  * float arrays: the sequential float64 sum of the float32 values, as the hex of its bits.

Usage: scripts/goldens/gguf_dump_golden.py [MODELS_DIR]   (default: <repo>/models)
"""
import json
import pathlib
import struct
import sys

from gguf import GGUFReader, GGUFValueType

REPO = pathlib.Path(__file__).resolve().parents[2]
MODELS = ["SmolLM2-135M-Instruct.Q4_1.gguf", "Qwen2.5-Coder-0.5B-Instruct.gguf", "gemma-3-270m-q4_k_m.gguf"]
# GGUFReader reports the header as three pseudo-fields; they are not metadata entries in the file.
PSEUDO_FIELDS = {"GGUF.version", "GGUF.tensor_count", "GGUF.kv_count"}
INTEGER_TYPES = {
    GGUFValueType.UINT8, GGUFValueType.INT8, GGUFValueType.UINT16, GGUFValueType.INT16,
    GGUFValueType.UINT32, GGUFValueType.INT32, GGUFValueType.UINT64, GGUFValueType.INT64,
}
FLOAT_TYPES = {GGUFValueType.FLOAT32, GGUFValueType.FLOAT64}


def fnv1a64(chunks):
    h = 0xCBF29CE484222325
    for chunk in chunks:
        for byte in chunk:
            h = ((h ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def element_bytes(field, i):
    return bytes(field.parts[field.data[i]])


def sample_indices(count, field, element_type):
    picks = {0, 1, 2, 100, 1000, count // 2, count - 1}
    if element_type == GGUFValueType.STRING:
        # Also the first element that is not plain ASCII, to pin down UTF-8 handling.
        for i in range(count):
            if any(b >= 0x80 for b in element_bytes(field, i)):
                picks.add(i)
                break
    return sorted(i for i in picks if 0 <= i < count)


def scalar_json(value_type, value):
    if value_type == GGUFValueType.STRING:
        return value
    if value_type in FLOAT_TYPES:
        # Exact bits of the stored value: float32 as 8 hex digits, float64 as 16.
        if value_type == GGUFValueType.FLOAT32:
            return struct.pack("<f", value).hex()
        return struct.pack("<d", value).hex()
    if value_type == GGUFValueType.BOOL:
        return bool(value)
    return int(value)


def describe_array(field):
    element_type = field.types[1]
    count = len(field.data)
    entry = {"element_type": element_type.name, "count": count}
    if element_type == GGUFValueType.STRING:
        entry["fnv1a64"] = "%016x" % fnv1a64(
            struct.pack("<Q", len(b)) + b for b in (element_bytes(field, i) for i in range(count)))
        entry["samples"] = [{"index": i, "hex": element_bytes(field, i).hex()}
                            for i in sample_indices(count, field, element_type)]
    elif element_type in INTEGER_TYPES:
        values = [int(field.parts[d][0]) for d in field.data]
        entry["sum"] = sum(values)
        entry["samples"] = [{"index": i, "value": values[i]} for i in sample_indices(count, field, element_type)]
    elif element_type in FLOAT_TYPES:
        total = 0.0
        values = [float(field.parts[d][0]) for d in field.data]
        for v in values:
            total += v
        entry["sum_bits"] = struct.pack("<d", total).hex()
        entry["samples"] = [{"index": i, "bits": scalar_json(element_type, values[i])}
                            for i in sample_indices(count, field, element_type)]
    else:
        raise SystemExit(f"golden script does not handle arrays of {element_type.name} ({field.name})")
    return entry


def describe(path):
    reader = GGUFReader(path)
    metadata = []
    for name, field in reader.fields.items():
        if name in PSEUDO_FIELDS:
            continue
        value_type = field.types[0]
        entry = {"key": name, "type": value_type.name}
        if value_type == GGUFValueType.ARRAY:
            entry.update(describe_array(field))
        else:
            entry["value"] = scalar_json(value_type, field.contents())
        metadata.append(entry)
    tensors = [{
        "name": t.name,
        "type": t.tensor_type.name,
        "shape": [int(d) for d in t.shape],
        "offset": int(t.data_offset),
        "bytes": int(t.n_bytes),
    } for t in reader.tensors]
    return {
        "file": path.name,
        "version": int(reader.fields["GGUF.version"].contents()),
        "alignment": int(reader.alignment),
        "data_offset": int(reader.data_offset),
        "file_size": path.stat().st_size,
        "metadata": metadata,
        "tensors": tensors,
    }


def main():
    models = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "models"
    out_dir = REPO / "Tests/Fixtures/GGUF"
    out_dir.mkdir(parents=True, exist_ok=True)
    for model in MODELS:
        golden = describe(models / model)
        out = out_dir / (pathlib.Path(model).stem + ".golden.json")
        out.write_text(json.dumps(golden, indent=1, ensure_ascii=False) + "\n")
        print(f"{out.relative_to(REPO)}: {len(golden['metadata'])} metadata entries, {len(golden['tensors'])} tensors")


if __name__ == "__main__":
    main()
