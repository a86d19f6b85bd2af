"""Text completions: echo with logprobs (how users compute perplexity), token prompts, several prompts."""

import math

import requests

from conftest import CHAT_MODEL


def test_echo_with_logprobs_scores_the_prompt(client):
    prompt = "The quick brown fox jumps over the lazy dog"
    reply = client.completions.create(model=CHAT_MODEL, prompt=prompt, max_tokens=1, echo=True, logprobs=2,
                                      temperature=0)
    choice = reply.choices[0]
    assert choice.text.startswith(prompt)
    logprobs = choice.logprobs
    assert logprobs.token_logprobs[0] is None
    scored = logprobs.token_logprobs[1:]
    assert all(value is not None and value <= 0 for value in scored)
    assert "".join(logprobs.tokens) == choice.text
    assert logprobs.text_offset == sorted(logprobs.text_offset)
    assert len(logprobs.top_logprobs) == len(logprobs.tokens)
    perplexity = math.exp(-sum(scored) / len(scored))
    assert 1 < perplexity < 1000


def test_token_prompts_and_prompt_lists(server, client):
    encoded = requests.post(server.url("/v1/internal/encode"), headers=server.headers, timeout=30,
                            json={"text": "Hello, my name is"}).json()["tokens"]
    by_tokens = client.completions.create(model=CHAT_MODEL, prompt=encoded, max_tokens=6, temperature=0)
    by_text = client.completions.create(model=CHAT_MODEL, prompt="Hello, my name is", max_tokens=6, temperature=0)
    assert by_tokens.choices[0].text == by_text.choices[0].text
    several = client.completions.create(model=CHAT_MODEL, prompt=["One, two,", "Red, green,"], max_tokens=3,
                                        temperature=0)
    assert [c.index for c in several.choices] == [0, 1]
    assert several.choices[0].text != several.choices[1].text


def test_stream_and_max_tokens_length(client):
    chunks = list(client.completions.create(model=CHAT_MODEL, prompt="1, 2, 3,", max_tokens=5, temperature=0,
                                            stream=True, extra_body={"ban_eos_token": True}))
    finishes = [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason]
    assert finishes == ["length"]
    text = "".join(c.choices[0].text for c in chunks if c.choices)
    plain = client.completions.create(model=CHAT_MODEL, prompt="1, 2, 3,", max_tokens=5, temperature=0,
                                      extra_body={"ban_eos_token": True})
    assert text == plain.choices[0].text
    assert plain.usage.completion_tokens == 5
