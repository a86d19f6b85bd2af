#!/usr/bin/env python3
"""Checks that Python gguf's GGUFReader reads Tests/Fixtures/GGUF/writer-sample.gguf as intended (dev time).

The fixture is GGUFWriter's output for GGUFSamples.writerSample() (Tests/GGUFTests/GGUFSamples.swift);
GGUFWriterTests asserts the Swift writer still produces exactly these bytes. The expected values below
are spelled out independently of the Swift code. Exits non-zero on the first mismatch.

Notes on Python gguf 0.19 found while writing this: `contents()` raises on strings that are not valid
UTF-8 and flattens nested arrays, and an empty array records no element type; those entries are checked
through the raw parts the reader split the entry into instead.

Usage: scripts/goldens/gguf_writer_check.py
"""
import math
import pathlib
import struct

from gguf import GGML_QUANT_SIZES, GGMLQuantizationType, GGUFReader

REPO = pathlib.Path(__file__).resolve().parents[2]
FIXTURE = REPO / "Tests/Fixtures/GGUF/writer-sample.gguf"

SCALARS = [
    ("general.architecture", "STRING", "sample"),
    ("t.uint8", "UINT8", 255), ("t.int8", "INT8", -128),
    ("t.uint16", "UINT16", 65535), ("t.int16", "INT16", -32768),
    ("t.uint32", "UINT32", 2**32 - 1), ("t.int32", "INT32", -2**31),
    ("t.float32", "FLOAT32", -1.5),
    ("t.uint64", "UINT64", 2**64 - 1), ("t.int64", "INT64", -2**63),
    ("t.float64", "FLOAT64", 3.141592653589793),
    ("t.bool.true", "BOOL", True), ("t.bool.false", "BOOL", False),
    ("t.string", "STRING", "héllo ✓"), ("t.string.empty", "STRING", ""),
]
ARRAYS = [
    ("a.uint8", "UINT8", [0, 1, 255]), ("a.int8", "INT8", [-128, 127]),
    ("a.uint16", "UINT16", [0, 65535]), ("a.int16", "INT16", [-32768, 32767]),
    ("a.uint32", "UINT32", [0, 2**32 - 1]), ("a.int32", "INT32", [-2**31, 0, 2**31 - 1]),
    ("a.float32", "FLOAT32", [0.5, -2.0, math.inf]),
    ("a.uint64", "UINT64", [0, 2**40]), ("a.int64", "INT64", [-2**63, 2**63 - 1]),
    ("a.float64", "FLOAT64", [1e300, -0.25]), ("a.bool", "BOOL", [True, False, True]),
]


def u32(v): return struct.pack("<I", v)
def u64(v): return struct.pack("<Q", v)
def gstr(b): return u64(len(b)) + b


# Raw payloads (after the key) for the entries contents() cannot represent.
RAW = {
    "t.string.invalid": u32(8) + gstr(b"f\xff\xc3"),
    "a.string": u32(9) + u32(8) + u64(4) + gstr(b"a") + gstr(b"") + gstr("ü".encode()) + gstr(b"\xe2\x82"),
    "a.empty": u32(9) + u32(5) + u64(0),
    "a.nested": u32(9) + u32(9) + u64(3)
    + u32(5) + u64(2) + struct.pack("<ii", 1, -2)
    + u32(8) + u64(1) + gstr(b"x")
    + u32(7) + u64(0),
    "a.deep": u32(9) + u32(9) + u64(1) + u32(9) + u64(1) + u32(5) + u64(1) + struct.pack("<i", 7),
}


def check(condition, what):
    if not condition:
        raise SystemExit(f"MISMATCH: {what}")


def raw_value(field):
    """The entry's bytes after its key, reassembled from the parts the reader split it into."""
    return b"".join(bytes(p.tobytes()) for p in field.parts[2:])


def pattern(count, seed):
    return bytes((i * 31 + seed * 17) % 251 for i in range(count))


def main():
    reader = GGUFReader(FIXTURE)
    check(reader.alignment == 64, "alignment")
    fields = {k: f for k, f in reader.fields.items() if not k.startswith("GGUF.")}
    expected_keys = [k for k, _, _ in SCALARS[:13]] + ["t.string", "t.string.empty", "t.string.invalid"] \
        + [k for k, _, _ in ARRAYS] + ["a.string", "a.empty", "a.nested", "a.deep", "general.alignment"]
    check(list(fields) == expected_keys, f"key order {list(fields)}")
    for key, type_name, value in SCALARS + [("general.alignment", "UINT32", 64)]:
        field = fields[key]
        check([t.name for t in field.types] == [type_name], f"{key} type")
        check(field.contents() == value, f"{key} = {field.contents()!r}")
    for key, type_name, values in ARRAYS:
        field = fields[key]
        check([t.name for t in field.types] == ["ARRAY", type_name], f"{key} types")
        check(field.contents() == values, f"{key} = {field.contents()!r}")
    for key, raw in RAW.items():
        check(raw_value(fields[key]) == raw, f"{key} raw bytes {raw_value(fields[key]).hex()}")

    storable = [t for t in GGMLQuantizationType if t != GGMLQuantizationType.Q8_1]
    check(len(reader.tensors) == len(storable), "tensor count")
    for seed, (qtype, tensor) in enumerate(zip(storable, reader.tensors)):
        block, type_size = GGML_QUANT_SIZES[qtype]
        check(tensor.name == f"tensor.{qtype.name}", f"tensor name {tensor.name}")
        check(tensor.tensor_type == qtype, f"{tensor.name} type")
        check([int(d) for d in tensor.shape] == [block, 2], f"{tensor.name} shape {tensor.shape}")
        check(tensor.data_offset % 64 == 0, f"{tensor.name} alignment")
        data = FIXTURE.read_bytes()[tensor.data_offset:tensor.data_offset + tensor.n_bytes]
        check(data == pattern(type_size * 2, seed), f"{tensor.name} data")
    print(f"{FIXTURE.relative_to(REPO)}: Python gguf reads {len(fields)} entries and {len(reader.tensors)} tensors as intended")


if __name__ == "__main__":
    main()
