#!/usr/bin/env python3
"""Reference outputs of llama.cpp for the Swift inference engine (dev time only, never in CI).

What it writes, all under Tests/Fixtures/Engine/:

  <key>.greedy.json        for key in smollm2, qwen25, gemma3 (the real models in models/): 26 prompts,
                           each with its prompt ids (BOS included when the model adds one) and 64 greedy
                           ids. Greedy = argmax of the logits, lowest id on an exact tie. The prompt is
                           decoded as one batch, then one token per decode call. End-of-generation tokens
                           do not stop a case: they are recorded and fed back like any other token.
                           "gaps"[i] = top-1 minus top-2 logit at step i; a step with a small gap (< 0.25)
                           may legitimately go another way in an engine whose arithmetic differs a little.
                           The chat prompts use the model's own markup and are tokenized with special-token
                           parsing on ("parse_special": true); the others with it off.
  <key>.teacher.json       a teacher-forced pass over teacher_text.txt (tokenized with the model's
                           tokenizer, BOS per the model, no special-token parsing), decoded as one batch
                           in one context with logits for every position. For positions i = 0..N-2:
                           top_ids / top_logits (10 per position, descending logit), next_logit and
                           next_logprob (of tokens[i+1]), logit_mean and logit_std (over the whole vocab);
                           "perplexity" = exp(-mean next_logprob). "self_check" compares llama.cpp with
                           itself: the same text decoded one token per call.
  <key>.full_logits.f16    full logit rows for the positions in "full_logits_positions" of the teacher
                           JSON: float16 little-endian, row-major, one row of n_vocab values per position,
                           rows in that order (the JSON's "full_logits" says so too).
  teacher_text.txt         the teacher text (original prose written for this fixture).
  tiny-<arch>.gguf         tiny random models (seeded numpy, written with gguf-py's GGUFWriter) for llama,
                           llama-ropescale, qwen2, qwen3, gemma3 and phi3, and tiny-<arch>.json with
                           llama.cpp's logits for every position of a fixed 32-token sequence decoded as one
                           batch: "logits" with an F32 KV cache, "logits_kv_f16" with llama.cpp's default F16
                           cache. "spec" lists every metadata key and every tensor (name, ggml type, ne).

How to run (needs the llama.cpp reference build: llama-cpp-python's source and its shared libraries):

    LLAMA_CPP_LIB_PATH=/work/ref/llamacpp/bin python3 scripts/goldens/engine_goldens.py \
        [--only smollm2,qwen25,gemma3] [--tiny-only] [--no-tiny]

The script puts $LLAMACPP_REF/python on sys.path itself (LLAMACPP_REF defaults to /work/ref/llamacpp) and
sets LLAMA_CPP_LIB_PATH to $LLAMACPP_REF/bin when it is not set. Models come from $SWIFTLET_MODELS_DIR
(default <repo>/models). It is deterministic (fixed seeds, 2 threads, flash attention off) and rewrites
every output it is asked for (a rerun reproduces the same bytes). Runtime on 2 idle cores: about 5-6
minutes for all three models (the one-token-per-decode self-checks are half of it), a few seconds for the
tiny models alone; 21 minutes were measured while a Swift build shared the CPU.

llama.cpp settings for the real models: n_threads 2, flash attention disabled, KV cache F16 (llama.cpp's
default), greedy contexts n_ctx 1024 / n_batch = n_ubatch 512, teacher contexts n_ctx = n_batch = n_ubatch
2048, swa_full on (no effect on results). Tiny models: n_ctx = n_batch = n_ubatch 64.
"""
import argparse
import ctypes
import json
import math
import os
import re
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "Tests/Fixtures/Engine"
MODELS = Path(os.environ.get("SWIFTLET_MODELS_DIR", ROOT / "models"))
LLAMA = Path(os.environ.get("LLAMACPP_REF", "/work/ref/llamacpp"))

REAL_MODELS = {
    "smollm2": "SmolLM2-135M-Instruct.Q4_1.gguf",
    "qwen25": "Qwen2.5-Coder-0.5B-Instruct.gguf",
    "gemma3": "gemma-3-270m-q4_k_m.gguf",
}
N_PREDICT = 64
NEAR_TIE = 0.25
THREADS = 2

C = None  # llama_cpp's ctypes module, imported by load_llama()
LOG = []  # everything llama.cpp logs, as (level, text)
_LOG_CB = None


# ---------------------------------------------------------------------------------------------------
# Texts
# ---------------------------------------------------------------------------------------------------

LONG_PROMPT = (
    "The bicycle did not arrive all at once. The earliest versions, built in the 1810s, had no pedals at "
    "all: the rider sat on a wooden frame between two wheels and pushed along the ground with both feet, "
    "gliding down gentle slopes with the legs raised. Pedals attached directly to the front wheel appeared "
    "some fifty years later, and because each turn of the pedals turned the wheel exactly once, makers soon "
    "discovered that a bigger front wheel meant a faster machine. This led to the high-wheeler, with a front "
    "wheel sometimes taller than the rider and a tiny wheel behind. It was fast, but a sudden stop could "
    "throw the rider over the handlebars head first, and the machine was mostly ridden by daring young men. "
    "The so-called safety bicycle of the 1880s solved the problem with two wheels of equal size and a chain "
    "that drove the rear wheel through gears, so that speed no longer depended on the size of the wheel. "
    "Air-filled rubber tyres followed within a few years and made the ride far more comfortable on rough "
    "roads. Almost overnight, cycling became popular with people who had never considered it before, "
    "including many women, for whom the bicycle offered a new and welcome kind of independence. Clubs were "
    "founded, roads were improved, and touring maps were printed for riders who wanted to explore the "
    "countryside at weekends. Much of what we now take for granted about the modern bicycle, from the "
    "diamond-shaped frame to the air-filled tyre, was settled in little more than a decade. In summary,"
)

# (name, text). Entries whose text is a tuple are chat turns: (user message, system message or None),
# rendered with the model's own markup.
PROMPTS = [
    ("story_lighthouse", "The old lighthouse on the northern cliff had not been lit for thirty years, until one night"),
    ("story_village", "Once upon a time, in a village surrounded by tall pine forests,"),
    ("question_capital", "Question: What is the capital of Australia, and why was it chosen over Sydney and Melbourne?\nAnswer:"),
    ("python_fib", "def fibonacci(n):\n    \"\"\"Return the n-th Fibonacci number.\"\"\"\n"),
    ("swift_struct", "import Foundation\n\nstruct Point {\n    var x: Double\n    var y: Double\n\n    func distance(to other: Point) -> Double {\n"),
    ("json_object", "{\"name\": \"Ada Lovelace\", \"born\": 1815, \"fields\": [\"mathematics\", "),
    ("list_camping", "Things to pack for a weekend camping trip:\n1. Tent\n2. Sleeping bag\n3."),
    ("arithmetic", "12 + 7 = 19\n45 - 18 = 27\n6 * 8 = 48\n81 / 9 = 9\n23 + 59 ="),
    ("powers_of_two", "1, 2, 4, 8, 16, 32, 64,"),
    ("french_cafe", "Le petit café au coin de la rue ouvre tous les matins à sept heures, et"),
    ("spanish_river", "El río atraviesa la ciudad de norte a sur y"),
    ("japanese_tokyo", "東京は日本の首都であり、"),
    ("chat_guitar", ("Give me three tips for learning to play the guitar.", None)),
    ("chat_haiku_system", ("Write a haiku about autumn rain.", "You are a helpful assistant who answers briefly.")),
    ("short_hello", "Hello"),
    ("short_two_words", "The weather"),
    ("long_bicycle", LONG_PROMPT),
    ("recipe_pancakes", "Recipe for pancakes:\nIngredients:\n-"),
    ("sql_join", "SELECT name, COUNT(*) AS orders\nFROM customers\nJOIN"),
    ("letter", "Dear Mr. Thompson,\n\nThank you for your letter of March 3rd. I am writing to"),
    ("science_photosynthesis", "Photosynthesis is the process by which plants"),
    ("markdown_table", "| Planet | Distance from Sun (AU) |\n|---|---|\n| Mercury | 0.39 |\n| Venus |"),
    ("poem", "Roses are red,\nViolets are blue,"),
    ("dialogue", "Alice: Did you finish the report?\nBob:"),
    ("repetition", "the the the the the the the the"),
    ("bash_backup", "#!/bin/bash\n# Back up the home directory\n"),
]

TEACHER_TEXT = """\
The harbour town of Kelvane sits at the mouth of a slow brown river, and for most of its history it has lived on two things: fish and weather. The fish came in on flat-bottomed boats before dawn, and the weather came in whenever it pleased. Old maps show the town as a cluster of forty-two houses in 1761; by the census of 1911 there were 1,348 residents, three churches, a rope works and a small school with a slate roof that leaked every November.

The lighthouse on the headland was finished in 1853. Its lamp burned colza oil at first, then paraffin, and finally electricity after the war. The keepers kept a log in a green ledger, and the entries are mostly short: "Wind north-west, force 6. Glass falling. Two steamers passed at 4.10 and 5.35." Once in a while a keeper wrote something longer, about a seal that slept on the landing steps for a week, or about the winter of 1947, when the snow drifted so high against the tower door that the relief crew had to climb in through a window.

Bread is a small miracle of chemistry that most people perform without thinking about it. Flour contains two proteins, glutenin and gliadin, which link together into gluten when they are wetted and worked. Yeast eats the sugars released from starch and breathes out carbon dioxide, and the stretchy gluten network traps the gas in thousands of tiny pockets. A typical loaf uses 500 grams of flour, about 350 grams of water, 10 grams of salt and 7 grams of dried yeast. If the dough rises at 24 degrees Celsius it will roughly double in an hour and a half; in a cold kitchen it may take twice as long, and many bakers think the slower rise gives a better flavour. In the oven, the water in the dough turns to steam, the pockets expand one last time, and the outer layer browns as sugars and amino acids react.

Rivers are never quite where the map says they are. A river on a wide plain moves sideways over the years, eating into the outside of each bend and dropping sand and gravel on the inside. Given enough time, a loop can grow so tight that the river cuts through its narrow neck during a flood and abandons the loop entirely, leaving behind a curved lake. Hydrologists measure a river's discharge in cubic metres per second. A small stream might carry 2 or 3; a large lowland river a few hundred; the Amazon, at its mouth, carries something like 200,000, more than the next several largest rivers combined.

The first calculating machines were mechanical. In the seventeenth century, inventors built boxes of gears that could add and subtract by turning dials, and later designs could multiply by repeated addition. These machines were expensive, fragile and slow, but they proved an important point: arithmetic could be done by something that did not understand numbers at all. Two centuries later, engineers were building machines that read instructions from punched cards, and by the middle of the twentieth century, rooms full of vacuum tubes were computing artillery tables and weather forecasts. Today a cheap phone performs billions of operations every second and fits in a shirt pocket.

Here is a short program that counts how often each word appears in a piece of text:

    def word_counts(text):
        counts = {}
        for word in text.lower().split():
            word = word.strip(".,;:!?\\"'()")
            if word:
                counts[word] = counts.get(word, 0) + 1
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))

    print(word_counts("The cat saw the dog, and the dog saw the cat.")[:3])

Running it prints [('the', 4), ('cat', 2), ('dog', 2)], because ties are broken alphabetically.

Honeybees live in colonies of twenty to sixty thousand workers, a few hundred drones and a single queen. A worker lives for about six weeks in summer. She spends her first days cleaning cells and feeding larvae, then builds wax comb, guards the entrance, and only in the last part of her life flies out to gather nectar and pollen. When a forager finds a rich patch of flowers, she returns and dances on the comb: the angle of her run tells the others the direction relative to the sun, and the length of the run tells them the distance. A colony may need to visit several million flowers to make a single kilogram of honey.

Chess looks simple at the start. Each side has sixteen pieces and the first move offers only twenty choices. But the number of possible positions grows very quickly. After each player has made one move there are 400 possible positions; after two moves each, there are 197,742; after three, more than 121 million. No one will ever list them all. Strong players rely instead on patterns: a bishop that has no open diagonals, a knight on a square that no pawn can attack, a king that has lost its shelter. Beginners are often told to control the centre, develop their pieces, and castle early, and these three rules of thumb carry them a surprisingly long way.

The night train from the capital to the coast leaves at 22:40 and arrives at 06:15, if nothing goes wrong. The sleeping car has narrow bunks, a small sink and a window that does not quite close, so the sound of the wheels comes in all night: a steady double knock, slowing at the junctions, then speeding up again. Somewhere after midnight the train stops for a long time at a station with no name on the platform, and a man walks along the carriages tapping the wheels with a long hammer, listening for the one that sounds wrong.

Learning a language as an adult is mostly a matter of patience. The first thousand words cover a large share of everyday conversation, but the next few thousand come slowly, and idioms are slower still. Many learners find that reading simple stories helps more than memorising lists, because each word arrives with a small piece of context attached. It also helps to accept being wrong in public. Nobody learns to ride a bicycle without wobbling, and nobody learns to speak a new language without saying something ridiculous at least once a day.

At the end of the season, the fishing boats in Kelvane are pulled up the slipway and turned over on wooden trestles. The hulls are scraped, caulked and painted, usually blue or white, and the nets are mended in the long shed by the harbour wall. It is slow, careful work, done mostly in silence, and by the time the first boats go back into the water in March, the days are already growing longer.
"""


def chat_markup(key, user, system):
    """The model's own chat markup for one user turn, ending where the assistant's answer begins."""
    if key == "gemma3":
        # Gemma has no system role: its template puts the system text at the top of the first user turn.
        body = f"{system}\n\n{user}" if system else user
        return f"<start_of_turn>user\n{body}<end_of_turn>\n<start_of_turn>model\n"
    head = f"<|im_start|>system\n{system}<|im_end|>\n" if system else ""
    return f"{head}<|im_start|>user\n{user}<|im_end|>\n<|im_start|>assistant\n"


# ---------------------------------------------------------------------------------------------------
# llama.cpp through llama-cpp-python's ctypes layer
# ---------------------------------------------------------------------------------------------------

def load_llama():
    global C, _LOG_CB
    if C is not None:
        return
    os.environ.setdefault("LLAMA_CPP_LIB_PATH", str(LLAMA / "bin"))
    sys.path.insert(0, str(LLAMA / "python"))
    import llama_cpp.llama_cpp as low  # noqa: E402  (needs the env var and sys.path above)
    C = low

    @C.llama_log_callback
    def on_log(level, text, _user):
        LOG.append((int(level), text.decode("utf-8", "replace")))

    _LOG_CB = on_log  # keep a reference: ctypes does not
    C.llama_log_set(_LOG_CB, ctypes.c_void_p(0))
    C.llama_backend_init()


def reference_info():
    """llama.cpp's commit (from the reference build tree) and the CPU features it runs with."""
    commit = "unknown"
    info = LLAMA / "python/vendor/llama.cpp/build/common/build-info.cpp"
    if info.exists():
        m = re.search(r'LLAMA_COMMIT = "([^"]+)"', info.read_text())
        if m:
            commit = m.group(1)
    version = "unknown"
    init = LLAMA / "python/llama_cpp/__init__.py"
    if init.exists():
        m = re.search(r'__version__ = "([^"]+)"', init.read_text())
        if m:
            version = m.group(1)
    system = C.llama_print_system_info().decode().strip()
    return commit, version, system


class Reference:
    """One model and one context of llama.cpp, CPU only."""

    def __init__(self, path, n_ctx, n_batch, kv_type="f16"):
        LOG.clear()
        mp = C.llama_model_default_params()
        mp.n_gpu_layers = 0
        self.model = C.llama_model_load_from_file(str(path).encode(), mp)
        if not self.model:
            raise RuntimeError(f"llama.cpp could not load {path}:\n{log_text()}")
        self.load_log = log_text()
        self.vocab = C.llama_model_get_vocab(self.model)
        self.n_vocab = C.llama_vocab_n_tokens(self.vocab)
        self.add_bos = bool(C.llama_vocab_get_add_bos(self.vocab))
        cp = C.llama_context_default_params()
        cp.n_ctx = n_ctx
        cp.n_batch = n_batch
        cp.n_ubatch = n_batch
        cp.n_seq_max = 1
        cp.n_threads = THREADS
        cp.n_threads_batch = THREADS
        cp.flash_attn_type = C.LLAMA_FLASH_ATTN_TYPE_DISABLED
        kv = {"f16": C.GGML_TYPE_F16, "f32": C.GGML_TYPE_F32}[kv_type]
        cp.type_k = kv
        cp.type_v = kv
        cp.no_perf = True
        cp.swa_full = True
        self.ctx = C.llama_init_from_model(self.model, cp)
        if not self.ctx:
            raise RuntimeError(f"llama.cpp could not make a context for {path}:\n{log_text()}")
        self.n_batch = n_batch
        self.batch = C.llama_batch_init(n_batch, 0, 1)

    def close(self):
        C.llama_batch_free(self.batch)
        C.llama_free(self.ctx)
        C.llama_model_free(self.model)

    def clear(self):
        C.llama_memory_clear(C.llama_get_memory(self.ctx), True)

    def tokenize(self, text, parse_special):
        raw = text.encode("utf-8")
        size = len(raw) + 8
        buf = (C.llama_token * size)()
        n = C.llama_tokenize(self.vocab, raw, len(raw), buf, size, True, parse_special)
        if n < 0:
            raise RuntimeError("tokenize buffer too small")
        return [int(buf[i]) for i in range(n)]

    def is_eog(self, token):
        return bool(C.llama_vocab_is_eog(self.vocab, token))

    def decode(self, tokens, pos0, all_logits):
        """Decodes tokens at positions pos0... as one batch; returns float32 logits (rows, n_vocab):
        every position when all_logits, else the last one only."""
        n = len(tokens)
        assert 0 < n <= self.n_batch
        b = self.batch
        b.n_tokens = n
        for i, t in enumerate(tokens):
            b.token[i] = t
            b.pos[i] = pos0 + i
            b.n_seq_id[i] = 1
            b.seq_id[i][0] = 0
            b.logits[i] = 1 if (all_logits or i == n - 1) else 0
        rc = C.llama_decode(self.ctx, b)
        if rc != 0:
            raise RuntimeError(f"llama_decode returned {rc}")
        rows = n if all_logits else 1
        ptr = C.llama_get_logits(self.ctx)
        return np.ctypeslib.as_array(ptr, shape=(rows * self.n_vocab,)).reshape(rows, self.n_vocab).copy()


def log_text():
    return "".join(text for _, text in LOG)


def print_info_lines(text):
    return [line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("print_info:")]


# ---------------------------------------------------------------------------------------------------
# Output helpers
# ---------------------------------------------------------------------------------------------------

def r4(x):
    return round(float(x), 4)


def dump_json(path, obj):
    """Compact JSON: one top-level key per line; lists of objects get one element per line."""
    parts = []
    for k, v in obj.items():
        if isinstance(v, list) and v and isinstance(v[0], dict):
            inner = ",\n".join("  " + json.dumps(x, separators=(",", ":"), ensure_ascii=False) for x in v)
            parts.append(f" {json.dumps(k)}: [\n{inner}\n ]")
        else:
            parts.append(f" {json.dumps(k)}: {json.dumps(v, separators=(',', ':'), ensure_ascii=False)}")
    path.write_text("{\n" + ",\n".join(parts) + "\n}\n", encoding="utf-8")


def top2_gap(row):
    a = np.partition(row, -2)[-2:]
    return float(a[1] - a[0])


def log_softmax64(rows):
    x = rows.astype(np.float64)
    m = x.max(axis=1, keepdims=True)
    return x - m - np.log(np.exp(x - m).sum(axis=1, keepdims=True))


def human(n):
    return f"{n / 1e6:.2f} MB" if n >= 1e6 else f"{n / 1e3:.1f} kB"


# ---------------------------------------------------------------------------------------------------
# Real models
# ---------------------------------------------------------------------------------------------------

def greedy(key, file, ref_str, summary):
    ref = Reference(MODELS / file, n_ctx=1024, n_batch=512)
    cases = []
    t0 = time.time()
    for name, text in PROMPTS:
        special = isinstance(text, tuple)
        prompt = chat_markup(key, *text) if special else text
        ids = ref.tokenize(prompt, parse_special=special)
        assert len(ids) + N_PREDICT <= 1024 and len(ids) <= 512
        ref.clear()
        logits = ref.decode(ids, 0, all_logits=False)[0]
        out, gaps, eog = [], [], []
        for step in range(N_PREDICT):
            tok = int(np.argmax(logits))  # first maximum: the lowest id on an exact tie
            out.append(tok)
            gaps.append(r4(top2_gap(logits)))
            if ref.is_eog(tok):
                eog.append(step)
            if step + 1 < N_PREDICT:
                logits = ref.decode([tok], len(ids) + step, all_logits=False)[0]
        case = {"name": name, "prompt": prompt, "parse_special": special, "prompt_tokens": ids,
                "tokens": out, "gaps": gaps}
        if eog:
            case["eog_steps"] = eog
        cases.append(case)
    secs = time.time() - t0
    ref.close()
    dump_json(OUT / f"{key}.greedy.json", {
        "model": file,
        "reference": ref_str + ("; greedy: n_ctx 1024, n_batch = n_ubatch 512, KV cache F16, flash attention "
                                "off; prompt decoded as one batch with logits for its last token, then one "
                                "token per decode"),
        "n_predict": N_PREDICT,
        "add_bos": ref.add_bos,
        "near_tie_threshold": NEAR_TIE,
        "cases": cases,
    })
    ties = [(c["name"], [i for i, g in enumerate(c["gaps"]) if g < NEAR_TIE]) for c in cases]
    ties = [(n, s) for n, s in ties if s]
    summary[key]["greedy"] = {"cases": len(cases), "seconds": round(secs, 1),
                              "near_tie_cases": {n: s for n, s in ties},
                              "first_near_tie": {n: s[0] for n, s in ties},
                              "eog": {c["name"]: c["eog_steps"] for c in cases if "eog_steps" in c}}
    print(f"{key}: greedy {len(cases)} cases in {secs:.0f} s; {len(ties)} with a near tie "
          f"(gap < {NEAR_TIE}): " + ", ".join(f"{n}@{s[0]}" for n, s in ties))


def full_logit_positions(key, n):
    if key == "gemma3":  # 262,144 logits per row: five rows keep the file near 2.6 MB
        return [0, 100, 512, 600, n - 2]
    return [0, 1, 100, 511, 512, 600, n - 2]


def teacher(key, file, ref_str, summary):
    ref = Reference(MODELS / file, n_ctx=2048, n_batch=2048)
    tokens = ref.tokenize(TEACHER_TEXT, parse_special=False)
    n = len(tokens)
    assert 1100 <= n <= 2048, n
    t0 = time.time()
    logits = ref.decode(tokens, 0, all_logits=True)  # (n, V) float32
    t_batch = time.time() - t0

    top_ids, top_logits, next_logit, next_logprob, means, stds = [], [], [], [], [], []
    nll = []
    for s in range(0, n - 1, 128):
        e = min(s + 128, n - 1)
        rows = logits[s:e]
        lsm = log_softmax64(rows)
        idx = np.argsort(-rows, axis=1, kind="stable")[:, :10]
        for j, i in enumerate(range(s, e)):
            nxt = tokens[i + 1]
            top_ids.append([int(t) for t in idx[j]])
            top_logits.append([r4(rows[j, t]) for t in idx[j]])
            next_logit.append(r4(rows[j, nxt]))
            next_logprob.append(r4(lsm[j, nxt]))
            nll.append(-lsm[j, nxt])
            means.append(r4(rows[j].astype(np.float64).mean()))
            stds.append(r4(rows[j].astype(np.float64).std()))
    ppl = math.exp(float(np.mean(nll)))

    # Self-check: the same text again, one token per decode call.
    ref.clear()
    t0 = time.time()
    pos_max, top10_max, agree, counted, agree1, counted1, nll2 = [], 0.0, 0, 0, 0, 0, []
    for i, tok in enumerate(tokens[:-1]):
        row = ref.decode([tok], i, all_logits=False)[0]
        diff = np.abs(row - logits[i])
        pos_max.append(float(diff.max()))
        top10_max = max(top10_max, float(diff[top_ids[i]].max()))
        same = int(np.argmax(row) == np.argmax(logits[i]))
        gap = top2_gap(logits[i])
        if gap >= NEAR_TIE:
            counted += 1
            agree += same
        if gap >= 1.0:
            counted1 += 1
            agree1 += same
        nll2.append(-log_softmax64(row[None, :])[0, tokens[i + 1]])
    t_single = time.time() - t0
    ppl2 = math.exp(float(np.mean(nll2)))
    max_diff = max(pos_max)
    logprob_diff = float(np.max(np.abs(np.array(nll2) - np.array(nll))))

    positions = full_logit_positions(key, n)
    blob = logits[positions].astype("<f2")
    (OUT / f"{key}.full_logits.f16").write_bytes(blob.tobytes())
    ref.close()

    self_check = {"method": "same context settings, one token per llama_decode call (n_tokens = 1)",
                  "top1_agreement_nontie": r4(agree / counted) if counted else None,
                  "nontie_positions": counted,
                  "top1_agreement_gap_ge_1": r4(agree1 / counted1) if counted1 else None,
                  "gap_ge_1_positions": counted1,
                  "max_abs_logit_diff": r4(max_diff),
                  "median_over_positions_of_max_abs_logit_diff": r4(np.median(pos_max)),
                  "max_abs_logit_diff_on_top10": r4(top10_max),
                  "max_abs_next_logprob_diff": r4(logprob_diff),
                  "perplexity": r4(ppl2)}
    dump_json(OUT / f"{key}.teacher.json", {
        "model": file,
        "reference": ref_str + ("; teacher: n_ctx = n_batch = n_ubatch 2048, KV cache F16, flash attention "
                                "off; all tokens decoded as one batch with logits for every position"),
        "text": "teacher_text.txt",
        "add_bos": ref.add_bos,
        "n_tokens": n,
        "n_vocab": ref.n_vocab,
        "perplexity": r4(ppl),
        "self_check": self_check,
        "full_logits_positions": positions,
        "full_logits": {"file": f"{key}.full_logits.f16", "dtype": "float16 little-endian",
                        "layout": "row-major [len(full_logits_positions)][n_vocab], rows in the order of "
                                  "full_logits_positions; row p holds the logits after tokens[0...p]"},
        "tokens": tokens,
        "top_ids": top_ids,
        "top_logits": top_logits,
        "next_logit": next_logit,
        "next_logprob": next_logprob,
        "logit_mean": means,
        "logit_std": stds,
    })
    summary[key]["teacher"] = {"n_tokens": n, "perplexity": r4(ppl), "self_check": self_check,
                               "seconds_batch": round(t_batch, 1), "seconds_single": round(t_single, 1)}
    print(f"{key}: teacher {n} tokens, ppl {ppl:.4f} (batch {t_batch:.0f} s); self-check one-by-one "
          f"ppl {ppl2:.4f}, top-1 agreement {agree}/{counted} (gap >= 1: {agree1}/{counted1}), max |diff| "
          f"{max_diff:.4f} (median per position {np.median(pos_max):.4f}, top-10 {top10_max:.4f}, next logprob "
          f"{logprob_diff:.4f}) ({t_single:.0f} s)")


def real_gguf_facts(summary):
    """Facts about the real GGUFs that the engine has to get right (reported in the summary)."""
    from gguf import GGUFReader
    r = GGUFReader(str(MODELS / REAL_MODELS["gemma3"]))
    facts = {}
    for t in r.tensors:
        if t.name.startswith("blk.0.") and t.name.endswith("norm.weight") or t.name == "output_norm.weight":
            d = np.array(t.data, dtype=np.float32)
            facts[t.name] = {"mean": r4(d.mean()), "min": r4(d.min()), "max": r4(d.max())}
    keys = [k for k in r.fields if k.startswith("gemma3.")]
    summary["gemma3_gguf"] = {"norm_weights_blk0": facts, "gemma3_keys": keys}


# ---------------------------------------------------------------------------------------------------
# Tiny architecture fixtures
# ---------------------------------------------------------------------------------------------------

def byte_unicode():
    """GPT-2's byte-level alphabet: printable bytes stand for themselves, the rest are shifted past 255."""
    keep = list(range(ord("!"), ord("~") + 1)) + list(range(0xA1, 0xAC + 1)) + list(range(0xAE, 0xFF + 1))
    table, extra = {}, 0
    for b in range(256):
        if b in keep:
            table[b] = chr(b)
        else:
            table[b] = chr(256 + extra)
            extra += 1
    return table


TINY_MERGES = [
    ("Ġ", "t"), ("h", "e"), ("Ġ", "a"), ("i", "n"), ("e", "r"), ("o", "n"), ("Ġt", "he"), ("a", "n"),
    ("r", "e"), ("Ġ", "s"), ("Ġ", "w"), ("o", "r"), ("e", "n"), ("Ġ", "o"), ("a", "t"), ("e", "s"),
    ("i", "s"), ("Ġ", "b"), ("Ġ", "c"), ("i", "t"), ("e", "d"), ("Ġ", "f"), ("a", "r"), ("Ġ", "m"),
    ("Ġ", "h"), ("in", "g"), ("Ġ", "d"), ("o", "u"), ("l", "e"), ("Ġ", "p"), ("a", "l"), ("Ġo", "f"),
    ("Ġa", "n"), ("Ġ", "i"), ("Ġan", "d"), ("Ġt", "o"), ("Ġ", "l"), ("Ġ", "g"), ("Ġ", "n"), ("Ġi", "n"),
]
TINY_SPECIALS = ["<|bos|>", "<|endoftext|>", "<|pad|>", "<|unk|>"]  # llama.cpp knows <|endoftext|> as EOG


def tiny_vocab():
    """300 tokens: 256 byte tokens, 40 merges, then <|bos|> 296, <|endoftext|> 297 (EOS), <|pad|> 298, <|unk|> 299."""
    table = byte_unicode()
    tokens = [table[b] for b in range(256)]
    for a, b in TINY_MERGES:
        assert a in tokens and b in tokens, (a, b)
        tokens.append(a + b)
    types = [1] * len(tokens)
    tokens += TINY_SPECIALS
    types += [3] * len(TINY_SPECIALS)
    assert len(tokens) == len(set(tokens)) == 300
    return tokens, types, [f"{a} {b}" for a, b in TINY_MERGES]


# Every tiny model: vocab 300, embedding 64, 4 heads, ffn 96. Per arch differences below.
TINY = {
    "llama": dict(arch="llama", layers=2, n_embd=64, n_head=4, n_head_kv=2, head_dim=16, n_ff=96,
                  eps=1e-5, rope_base=10000.0, output=True, keys={"llama.rope.dimension_count": 16,
                                                                  "llama.vocab_size": 300},
                  types={"blk.0.attn_q.weight": "F16", "blk.0.attn_k.weight": "F16", "blk.0.attn_v.weight": "F16",
                         "blk.0.attn_output.weight": "F16", "blk.1.ffn_gate.weight": "Q8_0",
                         "blk.1.ffn_up.weight": "Q8_0", "blk.1.ffn_down.weight": "Q8_0",
                         "output.weight": "Q8_0"}),
    "llama-ropescale": dict(arch="llama", layers=2, n_embd=64, n_head=4, n_head_kv=2, head_dim=16, n_ff=96,
                            eps=1e-5, rope_base=10000.0, output=True,
                            keys={"llama.rope.dimension_count": 16, "llama.vocab_size": 300,
                                  "llama.rope.scaling.type": "linear", "llama.rope.scaling.factor": 2.0},
                            types={}),
    "qwen2": dict(arch="qwen2", layers=2, n_embd=64, n_head=4, n_head_kv=2, head_dim=16, n_ff=96,
                  eps=1e-6, rope_base=1000000.0, output=False, qkv_bias=True, keys={}, types={}),
    "qwen3": dict(arch="qwen3", layers=2, n_embd=64, n_head=4, n_head_kv=2, head_dim=32, n_ff=96,
                  eps=1e-6, rope_base=1000000.0, output=True, qk_norm=True,
                  keys={"qwen3.attention.key_length": 32, "qwen3.attention.value_length": 32},
                  types={"blk.0.attn_q.weight": "F16", "blk.0.ffn_down.weight": "F16",
                         "blk.1.attn_k.weight": "Q8_0", "blk.1.ffn_up.weight": "Q8_0", "output.weight": "Q8_0"}),
    "gemma3": dict(arch="gemma3", layers=6, n_embd=64, n_head=4, n_head_kv=1, head_dim=32, n_ff=96,
                   eps=1e-6, rope_base=1000000.0, output=False, qk_norm=True, gemma_norms=True,
                   keys={"gemma3.attention.key_length": 32, "gemma3.attention.value_length": 32,
                         "gemma3.attention.sliding_window": 8},
                   types={"blk.2.attn_q.weight": "F16", "blk.2.ffn_gate.weight": "Q8_0",
                          "blk.5.attn_v.weight": "Q8_0", "blk.5.ffn_down.weight": "F16"}),
    "phi3": dict(arch="phi3", layers=2, n_embd=64, n_head=4, n_head_kv=2, head_dim=16, n_ff=96,
                 eps=1e-5, rope_base=10000.0, output=True, fused=True,
                 keys={"phi3.rope.dimension_count": 16}, types={}),
}
TINY_SEED = 20240611
TINY_CTX = 64


def tiny_tensors(spec, rng):
    """name -> float32 array in gguf-py's (rows, cols) = (ne1, ne0) orientation."""
    E, H, KV, D, F, V = spec["n_embd"], spec["n_head"], spec["n_head_kv"], spec["head_dim"], spec["n_ff"], 300

    def mat(rows, cols, gain=1.0):
        return (rng.standard_normal((rows, cols)) * gain / math.sqrt(cols)).astype(np.float32)

    def norm(n):
        return (1.0 + 0.1 * rng.standard_normal(n)).astype(np.float32)

    def bias(n):
        return (0.1 * rng.standard_normal(n)).astype(np.float32)

    t = {}
    # Gemma multiplies the embeddings by sqrt(n_embd); its rows are scaled down to match. A tied output
    # (no output.weight) reads the logits off the same matrix.
    emb_scale = 1.0 / math.sqrt(E) if spec.get("gemma_norms") else (0.5 if not spec["output"] else 1.0)
    t["token_embd.weight"] = (rng.standard_normal((V, E)) * emb_scale).astype(np.float32)
    for i in range(spec["layers"]):
        p = f"blk.{i}."
        t[p + "attn_norm.weight"] = norm(E)
        if spec.get("fused"):
            t[p + "attn_qkv.weight"] = np.concatenate([mat(H * D, E, 1.5), mat(KV * D, E, 1.5), mat(KV * D, E)])
        else:
            t[p + "attn_q.weight"] = mat(H * D, E, 1.5)
            t[p + "attn_k.weight"] = mat(KV * D, E, 1.5)
            t[p + "attn_v.weight"] = mat(KV * D, E)
        if spec.get("qkv_bias"):
            t[p + "attn_q.bias"] = bias(H * D)
            t[p + "attn_k.bias"] = bias(KV * D)
            t[p + "attn_v.bias"] = bias(KV * D)
        if spec.get("qk_norm"):
            t[p + "attn_q_norm.weight"] = norm(D)
            t[p + "attn_k_norm.weight"] = norm(D)
        t[p + "attn_output.weight"] = mat(E, H * D)
        if spec.get("gemma_norms"):
            t[p + "post_attention_norm.weight"] = norm(E)
        t[p + "ffn_norm.weight"] = norm(E)
        if spec.get("fused"):
            t[p + "ffn_up.weight"] = np.concatenate([mat(F, E), mat(F, E)])  # rows 0..F-1 gate, F..2F-1 up
        else:
            t[p + "ffn_gate.weight"] = mat(F, E)
            t[p + "ffn_up.weight"] = mat(F, E)
        t[p + "ffn_down.weight"] = mat(E, F)
        if spec.get("gemma_norms"):
            t[p + "post_ffw_norm.weight"] = norm(E)
    t["output_norm.weight"] = norm(E)
    if spec["output"]:
        t["output.weight"] = mat(V, E)
    return t


def write_tiny(name, spec):
    from gguf import GGMLQuantizationType, GGUFWriter, quants

    arch = spec["arch"]
    rng = np.random.default_rng([TINY_SEED, sum(name.encode())])
    tokens, types, merges = tiny_vocab()
    keys = {
        # Not the arch's name: llama.cpp special-cases model names containing e.g. "phi3" in the vocab.
        "general.name": "swiftlet tiny fixture",
        f"{arch}.context_length": 256,  # llama.cpp pads n_ctx 64 up to 256 and warns if that exceeds this
        f"{arch}.embedding_length": spec["n_embd"],
        f"{arch}.block_count": spec["layers"],
        f"{arch}.feed_forward_length": spec["n_ff"],
        f"{arch}.attention.head_count": spec["n_head"],
        f"{arch}.attention.head_count_kv": spec["n_head_kv"],
        f"{arch}.attention.layer_norm_rms_epsilon": spec["eps"],
        f"{arch}.rope.freq_base": spec["rope_base"],
        **spec["keys"],
        "tokenizer.ggml.model": "gpt2",
        "tokenizer.ggml.pre": "default",
        "tokenizer.ggml.bos_token_id": 296,
        "tokenizer.ggml.eos_token_id": 297,
        "tokenizer.ggml.padding_token_id": 298,
        "tokenizer.ggml.add_bos_token": True,
    }
    path = OUT / f"tiny-{name}.gguf"
    w = GGUFWriter(str(path), arch)
    for k, v in keys.items():
        if isinstance(v, bool):
            w.add_bool(k, v)
        elif isinstance(v, int):
            w.add_uint32(k, v)
        elif isinstance(v, float):
            w.add_float32(k, v)
        else:
            w.add_string(k, v)
    w.add_array("tokenizer.ggml.tokens", tokens)
    w.add_array("tokenizer.ggml.token_type", types)
    w.add_array("tokenizer.ggml.merges", merges)

    tensor_table = []
    for tname, arr in tiny_tensors(spec, rng).items():
        kind = spec["types"].get(tname, "F32")
        if kind == "F16":
            w.add_tensor(tname, arr.astype(np.float16))
        elif kind == "Q8_0":
            w.add_tensor(tname, quants.quantize(arr, GGMLQuantizationType.Q8_0), raw_dtype=GGMLQuantizationType.Q8_0)
        else:
            w.add_tensor(tname, arr)
        tensor_table.append({"name": tname, "type": kind, "ne": list(reversed(arr.shape))})
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    meta = {"general.architecture": arch, **keys}
    meta["tokenizer.ggml.tokens"] = f"[{len(tokens)} strings: 256 GPT-2 byte tokens, 40 merges, 4 specials]"
    meta["tokenizer.ggml.token_type"] = "[300 int32: 1 normal, 3 control for the last four]"
    meta["tokenizer.ggml.merges"] = merges
    return path, meta, tensor_table


def tiny_sequence():
    rng = np.random.default_rng(TINY_SEED)
    return [296] + [int(x) for x in rng.integers(0, 296, size=31)]


def numpy_forward(path, seq, like_ggml=False):
    """An independent float64 forward pass over a tiny GGUF, driven by its metadata, as a check that
    llama.cpp read the file the way it was meant (tensor layouts, split orders, SWA pattern, rope).
    like_ggml: round the activations that meet an F16 weight to f16, and quantize those that meet a Q8_0
    weight to Q8_0 (blocks of 32, scale amax/127 stored as f16), as ggml's CPU matmuls do."""
    from gguf import GGUFReader, quants

    r = GGUFReader(str(path))
    kinds = {t.name: t.tensor_type.name for t in r.tensors}
    meta = {k: f.contents() for k, f in r.fields.items() if not k.startswith("tokenizer.")}
    W = {t.name: quants.dequantize(t.data, t.tensor_type).astype(np.float64).reshape(
        [int(d) for d in reversed(t.shape)]) for t in r.tensors}
    arch = meta["general.architecture"]
    g = lambda k, d=None: meta.get(f"{arch}.{k}", d)  # noqa: E731
    E, L, H, KV = g("embedding_length"), g("block_count"), g("attention.head_count"), g("attention.head_count_kv")
    D = g("attention.key_length", E // H)
    eps, base = g("attention.layer_norm_rms_epsilon"), g("rope.freq_base", 10000.0)
    scale = 1.0 / g("rope.scaling.factor", 1.0) if g("rope.scaling.type") == "linear" else 1.0
    neox = arch != "llama"
    swa = g("attention.sliding_window", 0) if arch == "gemma3" else 0
    T = len(seq)
    pos = np.arange(T)

    def mm(x, name):  # x @ W[name].T
        kind = kinds[name] if like_ggml else "F32"
        if kind == "F16":
            x = x.astype(np.float16).astype(np.float64)
        elif kind == "Q8_0":
            b = x.reshape(x.shape[0], -1, 32).astype(np.float32)
            d = np.abs(b).max(axis=2, keepdims=True) / np.float32(127)
            inv = np.divide(np.float32(1), d, out=np.zeros_like(d), where=d > 0)
            qs = np.trunc(b * inv + np.copysign(np.float32(0.5), b))  # roundf: half away from zero
            x = (qs * d.astype(np.float16).astype(np.float64)).reshape(x.shape)
        return x @ W[name].T

    def rms(x, w):
        return x / np.sqrt((x * x).mean(axis=-1, keepdims=True) + eps) * w

    def rope(x, theta_base):  # x: (T, heads, D)
        half = D // 2
        inv = theta_base ** (-np.arange(half) * 2.0 / D)
        ang = (pos * scale)[:, None] * inv[None, :]
        cos, sin = np.cos(ang)[:, None, :], np.sin(ang)[:, None, :]
        if neox:
            a, b = x[..., :half], x[..., half:]
            return np.concatenate([a * cos - b * sin, a * sin + b * cos], axis=-1)
        a, b = x[..., 0::2], x[..., 1::2]
        out = np.empty_like(x)
        out[..., 0::2], out[..., 1::2] = a * cos - b * sin, a * sin + b * cos
        return out

    def gelu(x):
        if like_ggml:  # ggml's CPU GELU looks up an f16 table indexed by the f16-rounded input (|x| < 10)
            xr = np.where(np.abs(x) < 10, x.astype(np.float16).astype(np.float64), x)
            y = 0.5 * xr * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (xr + 0.044715 * xr ** 3)))
            return np.where(x <= -10, 0.0, np.where(x >= 10, x, y.astype(np.float16).astype(np.float64)))
        return 0.5 * x * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)))

    def silu(x):
        return x / (1.0 + np.exp(-x))

    x = W["token_embd.weight"][seq]
    if arch == "gemma3":
        x = x * math.sqrt(E)
    for il in range(L):
        p = f"blk.{il}."
        h = rms(x, W[p + "attn_norm.weight"])
        if p + "attn_qkv.weight" in W:
            qkv = mm(h, p + "attn_qkv.weight")
            q, k, v = np.split(qkv, [H * D, H * D + KV * D], axis=1)
        else:
            q, k, v = (mm(h, p + f"attn_{n}.weight") for n in "qkv")
            if p + "attn_q.bias" in W:
                q, k, v = q + W[p + "attn_q.bias"], k + W[p + "attn_k.bias"], v + W[p + "attn_v.bias"]
        q, k, v = q.reshape(T, H, D), k.reshape(T, KV, D), v.reshape(T, KV, D)
        if p + "attn_q_norm.weight" in W:
            q, k = rms(q, W[p + "attn_q_norm.weight"]), rms(k, W[p + "attn_k_norm.weight"])
        local = swa > 0 and il % 6 < 5  # llama.cpp's gemma3 pattern: five sliding-window layers, one global
        theta = 10000.0 if local else base  # gemma3.rope.freq_base_swa is absent: llama.cpp uses 10000
        q, k = rope(q, theta), rope(k, theta)
        mask = pos[None, :] > pos[:, None]
        if local:
            mask |= (pos[:, None] - pos[None, :]) >= swa
        out = np.empty((T, H, D))
        for hd in range(H):
            kv = hd // (H // KV)
            s = (q[:, hd] @ k[:, kv].T) / math.sqrt(D)
            s[mask] = -np.inf
            s = np.exp(s - s.max(axis=1, keepdims=True))
            out[:, hd] = (s / s.sum(axis=1, keepdims=True)) @ v[:, kv]
        a = mm(out.reshape(T, H * D), p + "attn_output.weight")
        if p + "post_attention_norm.weight" in W:
            a = rms(a, W[p + "post_attention_norm.weight"])
        x = x + a
        h = rms(x, W[p + "ffn_norm.weight"])
        if p + "ffn_gate.weight" in W:
            gate, up = mm(h, p + "ffn_gate.weight"), mm(h, p + "ffn_up.weight")
        else:
            gate, up = np.split(mm(h, p + "ffn_up.weight"), 2, axis=1)
        f = mm((gelu(gate) if arch == "gemma3" else silu(gate)) * up, p + "ffn_down.weight")
        if p + "post_ffw_norm.weight" in W:
            f = rms(f, W[p + "post_ffw_norm.weight"])
        x = x + f
    x = rms(x, W["output_norm.weight"])
    return mm(x, "output.weight" if "output.weight" in W else "token_embd.weight")


def tiny(name, spec, ref_str, summary):
    path, meta, table = write_tiny(name, spec)
    seq = tiny_sequence()
    results = {}
    info = None
    for kv in ("f32", "f16"):
        ref = Reference(path, n_ctx=TINY_CTX, n_batch=TINY_CTX, kv_type=kv)
        info = print_info_lines(ref.load_log)
        bad = [line for lvl, line in LOG if lvl in (3, 4)]  # GGML_LOG_LEVEL_WARN, _ERROR
        assert ref.n_vocab == 300
        batch = ref.decode(seq, 0, all_logits=True)
        ref.clear()
        single = np.stack([ref.decode([t], i, all_logits=False)[0] for i, t in enumerate(seq)])
        ref.close()
        assert np.all(np.isfinite(batch))
        results[kv] = (batch, float(np.max(np.abs(single - batch))), bad)
    logits, diff, warnings = results["f32"]
    # Sanity: the model is not degenerate (positions differ, logits spread out).
    std = float(logits.std(axis=1).mean())
    spread = float(np.abs(logits[1:] - logits[:-1]).max())
    assert std > 0.3 and spread > 0.5, (name, std, spread)
    exact = numpy_forward(path, seq)
    numpy_diff = float(np.max(np.abs(exact - logits)))
    emulated_diff = float(np.max(np.abs(numpy_forward(path, seq, like_ggml=True) - logits)))
    assert numpy_diff < 0.05 and emulated_diff < 2e-3, (name, numpy_diff, emulated_diff)
    reference = ref_str + (f"; tiny: n_ctx = n_batch = n_ubatch {TINY_CTX}, flash attention off, all "
                           "tokens decoded as one batch with logits for every position; \"logits\" with "
                           "KV cache F32, \"logits_kv_f16\" with KV cache F16")
    dump_json(OUT / f"tiny-{name}.json", {
        "arch": spec["arch"],
        "model": path.name,
        "reference": reference,
        "tokens": seq,
        "n_vocab": 300,
        "spec": {"metadata": meta, "tensors": table},
        "llama_cpp_print_info": info,
        "llama_cpp_warnings": [w.strip() for w in warnings],
        "self_check": {"max_abs_diff_one_token_per_decode_kv_f32": r4(diff),
                       "max_abs_diff_one_token_per_decode_kv_f16": r4(results["f16"][1]),
                       "max_abs_diff_kv_f16_vs_f32": r4(np.max(np.abs(results['f16'][0] - logits))),
                       "max_abs_diff_numpy_float64_vs_kv_f32": float(f"{numpy_diff:.3g}"),
                       "max_abs_diff_numpy_ggml_rounding_vs_kv_f32": float(f"{emulated_diff:.3g}")},
        "notes": "logits: llama.cpp, KV cache F32. logits_kv_f16: llama.cpp, KV cache F16 (its default). "
                 "logits_float64: this script's own numpy forward pass (numpy_forward) on the dequantized "
                 "weights with no rounding of activations; llama.cpp differs from it where it rounds "
                 "activations: to f16 before a matmul with an F16 weight, to Q8_0 (blocks of 32, scale "
                 "amax/127 as f16) before a matmul with a Q8_0 weight, and GELU through an f16 table. With "
                 "that rounding emulated, numpy matches \"logits\" to the 4-decimal rounding of this file "
                 "(gemma3: to ~6e-4).",
        "logits": [[r4(x) for x in row] for row in logits],
        "logits_kv_f16": [[r4(x) for x in row] for row in results["f16"][0]],
        "logits_float64": [[r4(x) for x in row] for row in exact],
    })
    summary["tiny"][name] = {"gguf_bytes": path.stat().st_size, "logit_std": round(std, 3),
                             "self_check_max_diff": r4(diff), "numpy_max_diff": float(f"{numpy_diff:.3g}"),
                             "numpy_ggml_rounding_max_diff": float(f"{emulated_diff:.3g}"),
                             "warnings": len(warnings)}
    print(f"tiny-{name}: {human(path.stat().st_size)}, logit std {std:.3f}, numpy max |diff| {numpy_diff:.2e} "
          f"(with ggml's rounding {emulated_diff:.2e}), "
          f"one-by-one max |diff| {diff:.2e}, "
          f"kv f16 vs f32 {np.max(np.abs(results['f16'][0] - logits)):.2e}, warnings: {len(warnings)}")


# ---------------------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", help="comma-separated real-model keys (smollm2,qwen25,gemma3)")
    ap.add_argument("--tiny-only", action="store_true", help="only the tiny architecture fixtures")
    ap.add_argument("--no-tiny", action="store_true", help="skip the tiny architecture fixtures")
    args = ap.parse_args()

    load_llama()
    OUT.mkdir(parents=True, exist_ok=True)
    commit, version, system = reference_info()
    ref_str = (f"llama.cpp {commit} via llama-cpp-python {version}, CPU ({system}), {THREADS} threads")
    print(ref_str)
    summary = {"tiny": {}}
    t_start = time.time()

    keys = [] if args.tiny_only else (args.only.split(",") if args.only else list(REAL_MODELS))
    if keys:
        (OUT / "teacher_text.txt").write_text(TEACHER_TEXT, encoding="utf-8")
    for key in keys:
        summary[key] = {}
        greedy(key, REAL_MODELS[key], ref_str, summary)
        teacher(key, REAL_MODELS[key], ref_str, summary)
    if "gemma3" in keys:
        real_gguf_facts(summary)
    if not args.no_tiny:
        for name, spec in TINY.items():
            tiny(name, spec, ref_str, summary)

    print("\nfiles:")
    for p in sorted(OUT.iterdir()):
        print(f"  {p.name:34s} {human(p.stat().st_size)}")
    print(f"\nsummary ({time.time() - t_start:.0f} s):")
    print(json.dumps(summary, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
