"""Bad requests get OpenAI's error envelope with the right status, through the clients users have."""

import openai
import pytest
import requests

from conftest import CHAT_MODEL


def envelope(response):
    error = response.json()["error"]
    assert error["message"]
    return error


def test_malformed_json_is_a_400(server):
    response = requests.post(server.url("/v1/chat/completions"), headers={**server.headers, "Content-Type": "application/json"},
                             data='{"messages": [', timeout=10)
    assert response.status_code == 400
    assert envelope(response)["type"] == "invalid_request_error"


def test_wrong_types_name_the_parameter(server):
    response = requests.post(server.url("/v1/chat/completions"), headers=server.headers, timeout=10,
                             json={"messages": [{"role": "user", "content": "Hi"}], "max_tokens": "many"})
    assert response.status_code == 400
    assert envelope(response)["param"] == "max_tokens"


def test_unknown_model_is_a_404_through_openai(client):
    with pytest.raises(openai.NotFoundError) as raised:
        client.chat.completions.create(model="gpt-17", messages=[{"role": "user", "content": "Hi"}])
    assert raised.value.body["code"] == "model_not_found"


def test_missing_key_through_openai(server):
    anonymous = openai.OpenAI(base_url=f"{server.base_url}/v1", api_key="sk-wrong", max_retries=0)
    with pytest.raises(openai.AuthenticationError):
        anonymous.models.list()


def test_over_long_prompt_is_context_length_exceeded(client):
    with pytest.raises(openai.BadRequestError) as raised:
        client.completions.create(model=CHAT_MODEL, prompt="hello " * 10000, max_tokens=1)
    assert raised.value.body["code"] == "context_length_exceeded"


def test_unsupported_values_are_refused_not_ignored(client):
    with pytest.raises(openai.BadRequestError) as raised:
        client.chat.completions.create(model=CHAT_MODEL, messages=[{"role": "user", "content": "Hi"}],
                                       response_format={"type": "json_object"})
    assert raised.value.body["param"] == "response_format"


def test_wrong_method_is_a_405(server):
    response = requests.get(server.url("/v1/chat/completions"), headers=server.headers, timeout=10)
    assert response.status_code == 405
    envelope(response)
