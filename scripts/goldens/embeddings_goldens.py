#!/usr/bin/env python3
"""Embedding goldens for Swiftlet's BERT engine, made by sentence-transformers on CPU.

Dev time only (needs `pip install sentence-transformers`, which pulls torch). Writes
Tests/Fixtures/Embeddings/minilm_goldens.json: for each text, the token ids sentence-transformers fed
the model (padding stripped) and the normalized embedding rounded to 6 decimals.

    HF_HUB_OFFLINE=1 python3 scripts/goldens/embeddings_goldens.py [MODEL_DIR]
"""
import json
import os
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import torch  # noqa: E402
from sentence_transformers import SentenceTransformer  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODEL = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "models", "all-MiniLM-L6-v2")
OUT = os.path.join(ROOT, "Tests", "Fixtures", "Embeddings", "minilm_goldens.json")

LONG_A = " ".join(
    f"Sentence number {i} talks about rivers, mountains and the weather in spring." for i in range(40)
)
LONG_B = "The quick brown fox jumps over the lazy dog. " * 60
LONG_C = " ".join(["supercalifragilisticexpialidocious antidisestablishmentarianism"] * 80)
LONG_D = "Ünïcödé wörds ünd àccents, 東京 and 北京, emojis 🎉🎉 — " * 30

TEXTS = [
    # short and ordinary
    "Hello, world!",
    "The cat sits outside.",
    "A man is playing guitar.",
    "The new movie is awesome.",
    "The new movie is so great.",
    "I love pasta.",
    "Do you like pizza?",
    "How do I reset my password?",
    "What is the capital of France?",
    "Paris is the capital of France.",
    "Machine learning models turn text into vectors.",
    "Embeddings capture the meaning of sentences.",
    "The stock market fell sharply on Monday after the announcement.",
    "She sells sea shells by the sea shore.",
    "It was the best of times, it was the worst of times.",
    "To be, or not to be, that is the question.",
    "Swift is a general-purpose programming language.",
    "The weather today is sunny with a light breeze from the west.",
    "Please call me back at 555-0199 before 5pm.",
    "Version 2.3.1 fixed the crash on startup (issue #4521).",
    # empty-ish and odd
    "",
    " ",
    ".",
    "?!",
    "a",
    "\t\n  \n",
    "[SEP] inside [CLS] text [MASK]",
    "UPPER CASE SHOUTING IS STILL TEXT",
    "MiXeD cAsE wOrDs",
    "repeated repeated repeated repeated repeated repeated",
    "https://example.com/path?query=1&other=two#frag",
    "user@example.org wrote: 'quoted' \"double\" `backtick`",
    "def embed(texts): return model.encode(texts)",
    "for (int i = 0; i < n; ++i) { sum += a[i] * b[i]; }",
    "3.14159 2.71828 1.41421 0.57721 1e-12 -42",
    "#hashtag @mention $dollar %percent ^caret &amp *star",
    "Zażółć gęślą jaźń",
    # unicode
    "Café crème brûlée à la française",
    "Straße und Größe sind deutsche Wörter.",
    "Привет, как дела?",
    "Γειά σου Κόσμε",
    "مرحبا بالعالم",
    "שלום עולם",
    "東京は日本の首都です。",
    "我喜欢吃中国菜。",
    "안녕하세요 세계",
    "こんにちは、世界！",
    "नमस्ते दुनिया",
    "Emoji time 😀🚀🎉 and ❤️ hearts",
    "Zero\u200bwidth\u200bspaces and soft\u00adhyphens",
    "ﬁ ligatures and ｆｕｌｌｗｉｄｔｈ letters",
    "naïve résumé coöperate façade",
    # long: past max_seq_length (256 tokens), exercising truncation
    LONG_A,
    LONG_B,
    LONG_C,
    LONG_D,
    # around the limit
    " ".join(["word"] * 250),
    " ".join(["word"] * 254),
    " ".join(["word"] * 255),
    " ".join(["token"] * 400),
]


def main():
    torch.set_num_threads(2)
    model = SentenceTransformer(MODEL, device="cpu")
    features = model.tokenize(TEXTS)
    ids = []
    for row, mask in zip(features["input_ids"].tolist(), features["attention_mask"].tolist()):
        ids.append([t for t, m in zip(row, mask) if m == 1])
    vectors = model.encode(TEXTS, batch_size=32, convert_to_numpy=True, normalize_embeddings=False)
    entries = [
        {"text": text, "ids": tokens, "embedding": [round(float(v), 6) for v in vector]}
        for text, tokens, vector in zip(TEXTS, ids, vectors)
    ]
    doc = {
        "model": "all-MiniLM-L6-v2",
        "max_seq_length": model.max_seq_length,
        "dimensions": int(vectors.shape[1]),
        "entries": entries,
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {len(entries)} entries to {OUT}")


if __name__ == "__main__":
    main()
