"""Chat completions through openai-python and LangChain, as users call them."""

import pytest
import requests
from langchain_openai import ChatOpenAI

from conftest import CHAT_MODEL

QUESTION = [{"role": "user", "content": "What is the capital of France? Answer in one word."}]


def test_chat_answer_has_openai_shape(client):
    reply = client.chat.completions.create(model=CHAT_MODEL, messages=QUESTION, max_tokens=16, temperature=0)
    assert reply.object == "chat.completion"
    assert reply.id.startswith("chatcmpl-")
    assert reply.model == CHAT_MODEL
    choice = reply.choices[0]
    assert choice.message.role == "assistant"
    assert "Paris" in choice.message.content
    assert choice.finish_reason in ("stop", "length")
    assert reply.usage.prompt_tokens > 0
    assert 0 < reply.usage.completion_tokens <= 16
    assert reply.usage.total_tokens == reply.usage.prompt_tokens + reply.usage.completion_tokens


def test_model_may_be_omitted(server):
    response = requests.post(server.url("/v1/chat/completions"), headers=server.headers, timeout=60,
                             json={"messages": QUESTION, "max_tokens": 4})
    assert response.status_code == 200
    assert response.json()["model"] == CHAT_MODEL


def test_stream_with_usage_matches_the_non_streamed_answer(client):
    plain = client.chat.completions.create(model=CHAT_MODEL, messages=QUESTION, max_tokens=24, temperature=0)
    chunks = list(client.chat.completions.create(model=CHAT_MODEL, messages=QUESTION, max_tokens=24, temperature=0,
                                                 stream=True, stream_options={"include_usage": True}))
    assert chunks[0].choices[0].delta.role == "assistant"
    assert chunks[0].choices[0].delta.content == ""
    assert all(chunk.usage is None for chunk in chunks[:-1])
    last = chunks[-1]
    assert last.choices == []
    assert last.usage.completion_tokens == plain.usage.completion_tokens
    assert last.usage.prompt_tokens == plain.usage.prompt_tokens
    text = "".join(chunk.choices[0].delta.content or "" for chunk in chunks if chunk.choices)
    assert text == plain.choices[0].message.content
    finishes = [chunk.choices[0].finish_reason for chunk in chunks if chunk.choices and chunk.choices[0].finish_reason]
    assert finishes == [plain.choices[0].finish_reason]
    assert len({chunk.id for chunk in chunks}) == 1


def test_n_choices_and_seed_reproducibility(client):
    def ask(seed):
        return client.chat.completions.create(model=CHAT_MODEL, messages=[{"role": "user", "content": "Tell me a story."}],
                                              max_tokens=20, temperature=1.0, n=2, seed=seed)
    first, again, other = ask(1234), ask(1234), ask(99)
    assert [c.index for c in first.choices] == [0, 1]
    texts = [c.message.content for c in first.choices]
    assert texts == [c.message.content for c in again.choices]
    assert texts != [c.message.content for c in other.choices]
    # Usage counts the tokens of both choices.
    assert 0 < first.usage.completion_tokens <= 40


def test_n_choices_stream_per_index(client):
    chunks = list(client.chat.completions.create(model=CHAT_MODEL, messages=QUESTION, max_tokens=8, n=2, seed=7,
                                                 stream=True))
    finished = {chunk.choices[0].index for chunk in chunks if chunk.choices and chunk.choices[0].finish_reason}
    assert finished == {0, 1}


def test_stop_string_is_not_emitted(client):
    prompt = [{"role": "user", "content": "Count from 1 to 10, separated by commas."}]
    full = client.chat.completions.create(model=CHAT_MODEL, messages=prompt, max_tokens=40, temperature=0)
    assert "5" in full.choices[0].message.content
    cut = client.chat.completions.create(model=CHAT_MODEL, messages=prompt, max_tokens=40, temperature=0, stop=["5"])
    assert cut.choices[0].finish_reason == "stop"
    assert "5" not in cut.choices[0].message.content
    assert full.choices[0].message.content.startswith(cut.choices[0].message.content)


def test_chat_logprobs(client):
    reply = client.chat.completions.create(model=CHAT_MODEL, messages=QUESTION, max_tokens=5, temperature=0,
                                           logprobs=True, top_logprobs=3)
    content = reply.choices[0].logprobs.content
    assert len(content) == reply.usage.completion_tokens
    assert "".join(entry.token for entry in content) == reply.choices[0].message.content
    for entry in content:
        assert entry.logprob <= 0
        assert len(entry.top_logprobs) == 3
        # Greedy decoding picks the likeliest token.
        assert entry.logprob == pytest.approx(entry.top_logprobs[0].logprob, abs=1e-4)


def test_langchain_invoke_and_stream(server):
    llm = ChatOpenAI(model=CHAT_MODEL, base_url=f"{server.base_url}/v1", api_key=server.api_key, temperature=0,
                     max_tokens=16, max_retries=0)
    answer = llm.invoke("What is the capital of France? Answer in one word.")
    assert "Paris" in answer.content
    streamed = "".join(chunk.content for chunk in llm.stream("What is the capital of France? Answer in one word."))
    assert streamed == answer.content
