#!/usr/bin/env python3
"""Chat-template goldens for Tests/TemplatesTests, rendered by Python jinja2 the way Hugging Face
transformers renders chat templates.

Environment as transformers sets it up (utils/chat_template_utils.py): ImmutableSandboxedEnvironment
with trim_blocks=True, lstrip_blocks=True and the loopcontrols extension (plus its `generation` tag,
which only marks text and is emulated here by a tiny extension); `tojson` replaced by
json.dumps(ensure_ascii=False, indent=…, separators=…, sort_keys=…); globals `raise_exception` and
`strftime_now`. `strftime_now` reads a fixed clock (2024-07-26 12:00 UTC) so goldens are stable; the
Swift tests inject the same instant.

Writes:
  Tests/Fixtures/Templates/templates/gguf-*.jinja   templates read from the GGUF models
  Tests/Fixtures/Templates/conversations.json       the conversation matrix
  Tests/Fixtures/Templates/goldens.json             every template x conversation x settings result

Run from the repository root: python3 scripts/goldens/templates_goldens.py
"""
import json
import os
import sys
from datetime import datetime, timezone
from pathlib import Path

import jinja2
from jinja2 import nodes
from jinja2.ext import Extension
from jinja2.sandbox import ImmutableSandboxedEnvironment

ROOT = Path(__file__).resolve().parents[2]
FIX = Path(os.environ.get("TEMPLATE_FIXTURES", ROOT / "Tests/Fixtures/Templates"))
MODELS = Path(os.environ.get("SWIFTLET_MODELS_DIR", ROOT / "models"))
FIXED_NOW = datetime(2024, 7, 26, 12, 0, 0, tzinfo=timezone.utc)


class GenerationTag(Extension):
    """`{% generation %}…{% endgeneration %}` renders its body unchanged (HF uses it to mark
    assistant tokens)."""
    tags = {"generation"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(("name:endgeneration",), drop_needle=True)
        return nodes.Scope(body).set_lineno(lineno)


def environment():
    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True,
                                        extensions=[GenerationTag, "jinja2.ext.loopcontrols"])

    def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
        return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)

    def raise_exception(message):
        raise jinja2.exceptions.TemplateError(message)

    def strftime_now(fmt):
        return FIXED_NOW.strftime(fmt)

    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    return env


def gguf_templates():
    import gguf
    out = {}
    for model, name in [("SmolLM2-135M-Instruct.Q4_1.gguf", "gguf-SmolLM2-135M-Instruct.jinja"),
                        ("Qwen2.5-Coder-0.5B-Instruct.gguf", "gguf-Qwen2.5-Coder-0.5B-Instruct.jinja"),
                        ("gemma-3-270m-q4_k_m.gguf", None)]:
        reader = gguf.GGUFReader(str(MODELS / model))
        field = reader.fields.get("tokenizer.chat_template")
        if field is None:
            print(f"{model}: no tokenizer.chat_template (base model)", file=sys.stderr)
            continue
        text = bytes(field.parts[field.data[0]]).decode("utf-8")
        (FIX / "templates" / name).write_text(text, encoding="utf-8")
        out[name] = text
    return out


WEATHER = {"type": "function", "function": {
    "name": "get_weather", "description": "Get the current weather in a city.",
    "parameters": {"type": "object", "properties": {
        "city": {"type": "string", "description": "City name, e.g. \"Paris\""},
        "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}},
        "required": ["city"]}}}
SEARCH = {"type": "function", "function": {
    "name": "search", "description": "Search the web.",
    "parameters": {"type": "object", "properties": {
        "query": {"type": "string"}, "limit": {"type": "integer", "default": 5}},
        "required": ["query"]}}}
TOOLS = [WEATHER, SEARCH]
SYSTEM = {"role": "system", "content": "You are a helpful assistant."}
CALL = {"role": "assistant", "content": None, "tool_calls": [
    {"id": "call12345", "type": "function",
     "function": {"name": "get_weather", "arguments": {"city": "Paris", "unit": "celsius"}}}]}
# Clients send `content: null` beside tool calls; some send "". Both shapes are exercised.
CALL_EMPTY = {**CALL, "content": ""}
RESULT = {"role": "tool", "tool_call_id": "call12345", "name": "get_weather",
          "content": "{\"temperature\": 21.5, \"sky\": \"clear\"}"}

CONVERSATIONS = {
    "user": {"messages": [{"role": "user", "content": "Hello!"}]},
    "system_user": {"messages": [SYSTEM, {"role": "user", "content": "What is 2+2?"}]},
    "multi_turn": {"messages": [SYSTEM, {"role": "user", "content": "Hi there"},
                                {"role": "assistant", "content": "Hello! How can I help?"},
                                {"role": "user", "content": "Tell me a joke."}]},
    "multi_turn_no_system": {"messages": [{"role": "user", "content": "One"},
                                          {"role": "assistant", "content": "Two"},
                                          {"role": "user", "content": "Three"},
                                          {"role": "assistant", "content": " Four \n"},
                                          {"role": "user", "content": "Five"}]},
    "assistant_last": {"messages": [{"role": "user", "content": "Write a haiku."},
                                    {"role": "assistant", "content": "Autumn moonlight"}]},
    "tools": {"messages": [SYSTEM, {"role": "user", "content": "Weather in Paris?"}], "tools": TOOLS},
    "tools_no_system": {"messages": [{"role": "user", "content": "Weather in Paris?"}], "tools": TOOLS},
    "tool_call": {"messages": [{"role": "user", "content": "Weather in Paris?"}, CALL, RESULT], "tools": TOOLS},
    "tool_call_answer": {"messages": [SYSTEM, {"role": "user", "content": "Weather in Paris?"}, CALL_EMPTY, RESULT,
                                      {"role": "assistant", "content": "It is 21.5 °C and clear in Paris."},
                                      {"role": "user", "content": "Thanks!"}], "tools": TOOLS},
    "content_parts": {"messages": [{"role": "user", "content": [
        {"type": "text", "text": "Describe "}, {"type": "text", "text": "this."}]}]},
    "special_chars": {"messages": [{"role": "user", "content":
        "Quotes ' \" and {{ braces }} {% tags %}\n\ttabs, émojis 🎉, 中文, back\\slash"}]},
    "thinking": {"messages": [{"role": "user", "content": "2+2?"},
                              {"role": "assistant", "content": "<think>\nSimple sum.\n</think>\n\n4"},
                              {"role": "user", "content": "3+3?"}]},
}

SPECIAL_TOKENS = [
    ("meta-llama", "<|begin_of_text|>", "<|eot_id|>"),
    ("NousResearch-Hermes-3", "<|begin_of_text|>", "<|eot_id|>"),
    ("NousResearch-Hermes-2-Pro-Llama-3", "<|begin_of_text|>", "<|eot_id|>"),
    ("google-gemma", "<bos>", "<eos>"),
    ("gemma", "<bos>", "<eos>"),
    ("deepseek", "<｜begin▁of▁sentence｜>", "<｜end▁of▁sentence｜>"),
    ("microsoft-Phi", "<s>", "<|endoftext|>"),
    ("CohereForAI", "<BOS_TOKEN>", "<|END_OF_TURN_TOKEN|>"),
    ("Qwen", "", "<|im_end|>"),
    ("gguf-Qwen", "", "<|im_end|>"),
    ("ibm-granite", "", "<|end_of_text|>"),
]


def specials(name):
    for prefix, bos, eos in SPECIAL_TOKENS:
        if name.startswith(prefix):
            return bos, eos
    return "<s>", "</s>"


def variants(name, text):
    """Extra variables to try besides the defaults: templates that read enable_thinking get both values."""
    out = [{}]
    if "enable_thinking" in text:
        out.append({"enable_thinking": False})
    return out


def main():
    env = environment()
    gguf_templates()
    (FIX / "conversations.json").write_text(json.dumps(CONVERSATIONS, ensure_ascii=False, indent=1) + "\n",
                                            encoding="utf-8")
    goldens = {}
    for path in sorted((FIX / "templates").glob("*.jinja")):
        text = path.read_text(encoding="utf-8")
        template = env.from_string(text)
        bos, eos = specials(path.name)
        cases = []
        for conv_name, conv in CONVERSATIONS.items():
            for agp in (False, True):
                for extra in variants(path.name, text):
                    context = {"bos_token": bos, "eos_token": eos, **extra}
                    case = {"conversation": conv_name, "add_generation_prompt": agp, "extra": context}
                    try:
                        # The *tool_use variants are only ever rendered with tools, so give them a list.
                        tools = conv.get("tools", [] if "tool_use" in path.name else None)
                        case["output"] = template.render(messages=conv["messages"], tools=tools,
                                                         add_generation_prompt=agp, **context)
                    except Exception as e:  # the Swift side must fail too, with a raise for raise_exception
                        kind = "raised" if type(e) is jinja2.exceptions.TemplateError else "error"
                        case["error"] = {"kind": kind, "type": type(e).__name__, "message": str(e)}
                    cases.append(case)
        goldens[path.name] = cases
    # One case per line keeps the file diffable without indenting every nested value.
    lines = ",\n".join(json.dumps(name, ensure_ascii=False) + ": " + json.dumps(cases, ensure_ascii=False)
                        for name, cases in goldens.items())
    (FIX / "goldens.json").write_text("{\n" + lines + "\n}\n", encoding="utf-8")
    total = sum(len(c) for c in goldens.values())
    errors = sum(1 for c in goldens.values() for x in c if "error" in x)
    print(f"{len(goldens)} templates, {total} cases ({errors} expected errors)")


if __name__ == "__main__":
    main()
