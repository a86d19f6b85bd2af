"""Health, models and authentication, as clients see them."""

import requests

from conftest import API_KEY, CHAT_MODEL, EMBEDDING_MODEL


def test_health_needs_no_key(server):
    response = requests.get(server.url("/health"), timeout=10)
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_models_list_has_chat_and_embedding_models(client):
    ids = [model.id for model in client.models.list()]
    assert CHAT_MODEL in ids
    assert EMBEDDING_MODEL in ids


def test_missing_and_wrong_keys_are_401_envelopes(server):
    for headers in ({}, {"Authorization": "Bearer sk-wrong"}):
        response = requests.get(server.url("/v1/models"), headers=headers, timeout=10)
        assert response.status_code == 401
        error = response.json()["error"]
        assert error["type"] == "invalid_request_error"
        assert error["message"]
    assert requests.get(server.url("/v1/models"), headers={"Authorization": f"Bearer {API_KEY}"},
                        timeout=10).status_code == 200
