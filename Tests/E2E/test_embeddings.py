"""Embeddings and moderations through openai-python, LangChain and requests."""

import base64
import math
import struct

import openai
import pytest
import requests
from langchain_openai import OpenAIEmbeddings

from conftest import CHAT_MODEL, EMBEDDING_MODEL


def cosine(a, b):
    return sum(x * y for x, y in zip(a, b)) / math.sqrt(sum(x * x for x in a) * sum(y * y for y in b))


def test_float_and_base64_are_the_same_vectors(client):
    texts = ["The cat sits on the mat.", "A feline rests on a rug.", "Stock markets fell sharply."]
    plain = client.embeddings.create(model=EMBEDDING_MODEL, input=texts, encoding_format="float")
    packed = requests.post(f"{client.base_url}embeddings", headers={"Authorization": f"Bearer {client.api_key}"},
                           json={"model": EMBEDDING_MODEL, "input": texts, "encoding_format": "base64"}, timeout=60).json()
    assert [d.index for d in plain.data] == [0, 1, 2]
    assert plain.usage.prompt_tokens == plain.usage.total_tokens > 0
    for item, other in zip(plain.data, packed["data"]):
        raw = base64.b64decode(other["embedding"])
        decoded = struct.unpack(f"<{len(raw) // 4}f", raw)
        assert len(decoded) == len(item.embedding) == 384
        assert all(abs(a - b) < 1e-6 for a, b in zip(decoded, item.embedding))
    vectors = [d.embedding for d in plain.data]
    assert cosine(vectors[0], vectors[1]) > cosine(vectors[0], vectors[2]) + 0.2


def test_the_sdk_default_base64_path_and_aliases(client):
    # openai-python asks for base64 when no format is given and decodes it itself.
    default = client.embeddings.create(model="text-embedding-3-small", input="hello world")
    explicit = client.embeddings.create(model=EMBEDDING_MODEL, input="hello world", encoding_format="float")
    assert default.model == "text-embedding-3-small"
    assert all(abs(a - b) < 1e-6 for a, b in zip(default.data[0].embedding, explicit.data[0].embedding))


def test_dimensions_and_token_input(client):
    short = client.embeddings.create(model=EMBEDDING_MODEL, input="hello world", dimensions=16, encoding_format="float")
    assert len(short.data[0].embedding) == 16
    assert abs(sum(x * x for x in short.data[0].embedding) - 1) < 1e-4
    by_text = client.embeddings.create(model=EMBEDDING_MODEL, input="hello world", encoding_format="float")
    by_tokens = client.embeddings.create(model=EMBEDDING_MODEL, input=[[7592, 2088]], encoding_format="float")
    assert cosine(by_text.data[0].embedding, by_tokens.data[0].embedding) > 0.99999


def test_chat_model_embeddings(client):
    result = client.embeddings.create(model=CHAT_MODEL, input=["one", "two"], encoding_format="float")
    assert len(result.data) == 2 and len(result.data[0].embedding) == 576


def test_errors(client):
    with pytest.raises(openai.BadRequestError):
        client.embeddings.create(model=EMBEDDING_MODEL, input="")
    with pytest.raises(openai.BadRequestError):
        client.embeddings.create(model=EMBEDDING_MODEL, input="x", dimensions=10000)
    with pytest.raises(openai.NotFoundError):
        client.embeddings.create(model="no-such-model", input="x")


def test_moderations(client):
    result = client.moderations.create(input=["I want to end my life tonight.", "How do I bake bread?"])
    assert result.id.startswith("modr-")
    assert result.results[0].flagged and result.results[0].categories.self_harm_intent
    assert not result.results[1].flagged
    assert 0 <= result.results[1].category_scores.violence <= 1


def test_langchain_embeddings(server):
    embeddings = OpenAIEmbeddings(model=EMBEDDING_MODEL, base_url=f"{server.base_url}/v1", api_key=server.api_key,
                                  check_embedding_ctx_length=False, max_retries=0)
    documents = embeddings.embed_documents(["The cat sits on the mat.", "Stock markets fell sharply."])
    query = embeddings.embed_query("Where is the cat?")
    assert len(documents) == 2 and len(query) == 384
    assert cosine(query, documents[0]) > cosine(query, documents[1])
