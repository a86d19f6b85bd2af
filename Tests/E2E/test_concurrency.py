"""Sixteen clients streaming at once, some hanging up early: the rest all get complete answers."""

import concurrent.futures

import requests

from conftest import CHAT_MODEL

CLIENTS = 16


def run_client(server, index):
    client = server.openai_client(timeout=300)
    stream = client.chat.completions.create(
        model=CHAT_MODEL, stream=True, max_tokens=24, seed=index, temperature=0.8,
        messages=[{"role": "user", "content": f"Write a sentence about the number {index}."}])
    hang_up = index % 4 == 3
    text, finish, chunks = "", None, 0
    for chunk in stream:
        chunks += 1
        if hang_up and chunks == 3:
            stream.close()
            return index, None, None
        if chunk.choices:
            text += chunk.choices[0].delta.content or ""
            finish = chunk.choices[0].finish_reason or finish
    return index, text, finish


def test_sixteen_concurrent_streams_with_early_hang_ups(server):
    with concurrent.futures.ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        results = list(pool.map(lambda i: run_client(server, i), range(CLIENTS)))
    completed = [(index, text, finish) for index, text, finish in results if finish is not None]
    hung_up = [index for index, text, finish in results if finish is None]
    assert hung_up == [i for i in range(CLIENTS) if i % 4 == 3]
    assert len(completed) == CLIENTS - len(hung_up)
    for index, text, finish in completed:
        assert finish in ("stop", "length"), index
        assert text.strip(), index
    # The server is free and answers normally afterwards.
    response = requests.post(server.url("/v1/chat/completions"), headers=server.headers, timeout=60,
                             json={"messages": [{"role": "user", "content": "Hi"}], "max_tokens": 2})
    assert response.status_code == 200
