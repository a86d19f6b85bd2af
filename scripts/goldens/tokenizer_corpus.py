#!/usr/bin/env python3
"""Writes Tests/Fixtures/Tokenizers/corpus.json: the tokenizer test corpus.

Dev-time only. The corpus is generated deterministically (fixed seed) from hand-written seeds so it
can be regenerated and reviewed; tokenizer_goldens.py then tokenizes it with the reference
implementations.
"""
import json
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "Tests/Fixtures/Tokenizers/corpus.json"

PROSE = [
    "The quick brown fox jumps over the lazy dog.",
    "Hello, world! How are you doing today?",
    "It's a truth universally acknowledged that tokenizers are harder than they look.",
    "She said: \"I'll be there at 5 o'clock, won't you?\"",
    "We've been waiting; they'd already left, and I'm not sure you're right.",
    "THE MEETING IS POSTPONED UNTIL FURTHER NOTICE.",
    "Don't panic. DON'T PANIC. dOn'T pAnIc.",
    "A sentence with trailing spaces.   ",
    "   Leading spaces before text.",
    "Mixed\tseparators\tbetween\twords",
    "Line one\nLine two\nLine three",
    "Windows line endings\r\nare here\r\n",
    "Paragraph one.\n\nParagraph two after a blank line.\n\n\nAnd three newlines.",
    "e.g. i.e. etc. Mr. Smith vs. Dr. Jones",
    "What?! No way... really?!?",
    "(parentheses) [brackets] {braces} <angles>",
    "email@example.com and https://example.org/path?q=1&r=two#frag",
    "The year 1999 was followed by 2000, then 2024 and 31415926535.",
    "Prices: $4.99, €12,50, £3, ¥1000, ₹250.",
    "Temperature: -3.5°C to +27°C",
    "50% off — limited time only – don't miss it!",
    "He said 'yes' and she said 'no'.",
    "rock 'n' roll isn't dead",
    "Y'all'd've thought so.",
    "Numbers like 1,234,567.89 and 0.000001 and 1e-10.",
]

CODE = [
    "def fib(n):\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\n",
    "import numpy as np\nx = np.arange(10).reshape(2, 5)\nprint(x.T @ x)",
    "#include <stdio.h>\n\nint main(void) {\n\tprintf(\"hello\\n\");\n\treturn 0;\n}\n",
    "fn main() {\n    let v: Vec<u32> = (0..10).map(|x| x * x).collect();\n    println!(\"{:?}\", v);\n}",
    "func greet(_ name: String) -> String {\n    return \"Hello, \\(name)!\"\n}",
    "const add = (a, b) => a + b;\nconsole.log(add(2, 3)); // 5",
    "SELECT id, name FROM users WHERE age >= 18 ORDER BY name DESC LIMIT 10;",
    "<html>\n  <body>\n    <div class=\"main\">Hi</div>\n  </body>\n</html>",
    "{\"key\": [1, 2, 3], \"nested\": {\"a\": null, \"b\": true}}",
    "for (int i = 0; i < n; ++i) { sum += a[i] * b[i]; }",
    "    if x != None and y == 0:\n        raise ValueError('bad')",
    "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"go\")\n}",
    "public static void main(String[] args) { System.out.println(args.length); }",
    "$ ls -la | grep '\\.swift$' && echo done",
    "x += 1; y -= 2; z *= 3; w /= 4; q %= 5; r **= 2",
    "a<<=1; b>>=2; c&&d || e; f::g->h",
    "   \n\t  \n",
    "// TODO: fix this\n/* block\n   comment */",
    "@property\ndef value(self) -> int:\n    return self._value",
    "matrix[i][j] = matrix[i-1][j-1] + 1 if s[i] == t[j] else 0",
]

EMOJI = [
    "I love pizza 🍕 and tacos 🌮!",
    "👍👍👍",
    "Family: 👨‍👩‍👧‍👦 and couple 👩‍❤️‍👨",
    "Flags: 🇺🇸 🇯🇵 🇫🇷 🏳️‍🌈",
    "Skin tones: 👋🏻 👋🏽 👋🏿",
    "Keycap: 1️⃣ 2️⃣ #️⃣",
    "😀😃😄😁😆😅😂🤣",
    "Astronaut 🧑‍🚀 and firefighter 🧑‍🚒",
    "♥ ★ ☀ ☂ ♻ ✓ ✗",
    "🐍 Python and 🦀 Rust and 🐹 Go",
]

CJK = [
    "你好，世界！",
    "我喜欢学习中文和编程。",
    "日本語のテキストです。ひらがなとカタカナ。",
    "東京は日本の首都です。",
    "한국어 문장입니다. 안녕하세요!",
    "中文English混合text测试",
    "数字１２３と全角ＡＢＣ",
    "「引用」と『二重引用』",
    "机器学习模型的分词器",
    "今日はいい天気ですね。",
]

ARABIC_HINDI = [
    "مرحبا بالعالم",
    "اللغة العربية جميلة جداً.",
    "السلام عليكم ورحمة الله",
    "नमस्ते दुनिया",
    "हिन्दी एक सुंदर भाषा है।",
    "मैं कोड लिखता हूँ।",
    "עברית: שלום עולם",
    "Ελληνικά: Γειά σου Κόσμε",
    "Русский текст: Привет, мир!",
    "ไทย: สวัสดีชาวโลก",
    "Tiếng Việt: Xin chào thế giới",
    "Türkçe: İstanbul'da ılık bir gün",
]

ACCENTS = [
    "café naïve résumé façade",
    "Ångström Øresund Æsir",
    "Crème brûlée à la française",
    "e\u0301 a\u0300 o\u0302 u\u0308",  # combining marks
    "Z\u0351\u0352\u0353a\u0354\u0355l\u0356g\u0357o",
    "ﬁ ﬂ ﬃ ligatures",
    "Ｆｕｌｌｗｉｄｔｈ ｌｅｔｔｅｒｓ",
    "straße STRASSE",
    "Dvořák Łódź Ženeva",
    "n\u0303 vs ñ",
    "ǅ ǈ ǋ titlecase digraphs",
    "µ vs μ, Ω vs Ω, K vs K",
]

NUMBERS = [
    "0", "7", "42", "123", "1234", "12345", "123456", "1234567", "12345678901234567890",
    "3.14159", "-42", "+1 (555) 123-4567", "2024-01-31T12:34:56Z", "v1.2.3",
    "0xDEADBEEF", "0b1010", "1_000_000", "٣٤٥ Arabic-Indic digits", "१२३ Devanagari digits",
    "Ⅻ roman numeral", "½ ¾ ² ³", "100%", "#1", "x1y2z3",
]

WHITESPACE = [
    " ", "  ", "   ", "    ", "\t", "\t\t", "\n", "\n\n", "\n\n\n", "\r\n", " \n", "\n ",
    "word  word", "word   word", "word\t\tword", "word \n word", "  \n  \n  ", "a \t b",
    "trailing\n", "\u00a0non-breaking\u00a0space", "ideographic\u3000space", "thin\u2009space",
    "em\u2003space", "line\u2028separator", "next\u0085line",
]

SPECIALS = [
    "<|im_start|>user\nHello!<|im_end|>\n<|im_start|>assistant\n",
    "<|im_start|>system\nYou are helpful.<|im_end|>",
    "text<|endoftext|>more text",
    "<|endoftext|>",
    "<start_of_turn>user\nHi<end_of_turn>\n<start_of_turn>model\n",
    "<bos>hello<eos>",
    "<s>[INST] hi [/INST]</s>",
    "<|fim_prefix|>def f():<|fim_suffix|>\n<|fim_middle|>",
    "[CLS] hello [SEP] world [SEP]",
    "<|im_end|><|im_end|>",
    "a<|im_start|>b",
    "<|im_start",
    "<pad><unk><mask>",
    "<tool_call>{\"name\": \"f\"}</tool_call>",
    "<think>\nreasoning\n</think>",
]

# Word-ish material for random sentences.
WORDS = ("alpha beta gamma delta tokenizer model swift server token merge byte piece vocabulary "
         "running quickly jumped über naïve 東京 данные مرحبا नमस्ते 🙂 x86_64 don't we'll "
         "it's HTTP/2 JSON C++ a b c").split()


def long_words(rng):
    out = [
        "a" * 300,
        "Supercalifragilisticexpialidocious" * 5,
        "pneumonoultramicroscopicsilicovolcanoconiosis",
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(500)),
        "x" * 1000,
        "ab" * 400,
        "1" * 200,
        "9876543210" * 20,
        "!" * 100,
        "=" * 80 + "\n" + "-" * 80,
        "😀" * 50,
        "中" * 200,
        " " * 100,
        "\n" * 50,
        "\t" * 30 + "end",
        "Donaudampfschifffahrtsgesellschaftskapitänswitwe",
        "".join(rng.choice("aeiouAEIOU0123456789") for _ in range(300)),
        "https://example.com/" + "/".join("seg%d" % i for i in range(40)),
    ]
    return out


def random_mix(rng, n):
    pieces = []
    for _ in range(n):
        k = rng.randint(1, 14)
        s = []
        for _ in range(k):
            w = rng.choice(WORDS)
            sep = rng.choice([" ", " ", " ", "  ", "\n", ", ", ". ", "\t", "", "'s ", " -- "])
            s.append(w + sep)
        pieces.append("".join(s))
    return pieces


def random_unicode(rng, n):
    # Mostly assigned BMP/astral ranges, mixed with ASCII; exercises category edge cases.
    ranges = [(0x20, 0x7E), (0xA0, 0x24F), (0x370, 0x3FF), (0x400, 0x4FF), (0x590, 0x6FF),
              (0x900, 0x97F), (0xE00, 0xE7F), (0x2000, 0x206F), (0x20A0, 0x20CF), (0x2190, 0x23FF),
              (0x3000, 0x30FF), (0x4E00, 0x4FFF), (0xAC00, 0xAD00), (0xFF00, 0xFFEF),
              (0x1F300, 0x1F64F), (0x1F900, 0x1F9FF)]
    out = []
    for _ in range(n):
        chars = []
        for _ in range(rng.randint(1, 24)):
            lo, hi = rng.choice(ranges)
            chars.append(chr(rng.randint(lo, hi)))
        out.append("".join(chars))
    return out


def contractions():
    base = ["'s", "'t", "'re", "'ve", "'m", "'ll", "'d", "'S", "'T", "'RE", "'Ve", "'M", "'LL", "'D", "'x"]
    return ["it" + c + " ok" for c in base] + ["'s", "''", "'", " 's"]


def main():
    rng = random.Random(20261122)
    corpus = [""]
    for group in (PROSE, CODE, EMOJI, CJK, ARABIC_HINDI, ACCENTS, NUMBERS, WHITESPACE, SPECIALS):
        corpus.extend(group)
    corpus.extend(contractions())
    corpus.extend(long_words(rng))
    corpus.extend(random_mix(rng, 90))
    corpus.extend(random_unicode(rng, 50))
    # Combinations that cross category boundaries inside one string.
    for a, b in zip(PROSE[:10], CODE[:10]):
        corpus.append(a + "\n" + b)
    for a, b in zip(CJK, NUMBERS[:10]):
        corpus.append(a + b + " " + a)
    seen = set()
    unique = [s for s in corpus if not (s in seen or seen.add(s))]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(unique, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{len(unique)} strings -> {OUT}")


if __name__ == "__main__":
    main()
