"""text-generation-webui's /v1/internal endpoints and the legacy routes, with requests."""

import requests

from conftest import CHAT_MODEL


def post(server, path, body):
    return requests.post(server.url(path), headers=server.headers, json=body, timeout=60)


def test_encode_decode_and_count_round_trip(server):
    encoded = post(server, "/v1/internal/encode", {"text": "Hello, world!"}).json()
    assert encoded["length"] == len(encoded["tokens"]) > 0
    assert post(server, "/v1/internal/token-count", {"text": "Hello, world!"}).json() == {"length": encoded["length"]}
    assert post(server, "/v1/internal/decode", {"tokens": encoded["tokens"]}).json()["text"] == "Hello, world!"


def test_logits_raw_and_after_samplers(server):
    raw = post(server, "/v1/internal/logits", {"prompt": "The capital of France is", "top_logits": 5}).json()
    assert len(raw) == 5 and all(0 < p < 1 for p in raw.values())
    sampled = post(server, "/v1/internal/logits",
                   {"prompt": "The capital of France is", "use_samplers": True, "top_k": 2, "top_logits": 5}).json()
    assert len(sampled) == 2
    assert abs(sum(sampled.values()) - 1) < 1e-4
    best = max(raw, key=raw.get)
    assert best in sampled


def test_chat_prompt_renders_the_template(server):
    prompt = post(server, "/v1/internal/chat-prompt", {"messages": [{"role": "user", "content": "Hi there"}]}).json()
    assert "Hi there" in prompt["prompt"]
    assert "<|im_start|>user" in prompt["prompt"]


def test_model_info_list_and_reload(server):
    info = requests.get(server.url("/v1/internal/model/info"), headers=server.headers, timeout=10).json()
    assert info["model_name"] == CHAT_MODEL
    names = requests.get(server.url("/v1/internal/model/list"), headers=server.headers, timeout=10).json()["model_names"]
    assert CHAT_MODEL in names
    loaded = post(server, "/v1/internal/model/load", {"model_name": CHAT_MODEL, "args": {"ctx_size": 1024}})
    assert loaded.status_code == 200
    info = requests.get(server.url("/v1/internal/model/info"), headers=server.headers, timeout=10).json()
    assert info["context_length"] == 1024
    assert post(server, "/v1/internal/model/load", {"model_name": "no-such-model"}).status_code == 404
    # Back to the server's own settings for the tests that follow.
    assert post(server, "/v1/internal/model/load", {"model_name": CHAT_MODEL}).status_code == 200


def test_stop_generation_answers(server):
    assert post(server, "/v1/internal/stop-generation", {}).json() == "OK"


def test_legacy_engines(server):
    engines = requests.get(server.url("/v1/engines"), headers=server.headers, timeout=10).json()
    assert CHAT_MODEL in [entry["id"] for entry in engines["data"]]
    completion = post(server, f"/v1/engines/{CHAT_MODEL}/completions", {"prompt": "Hello", "max_tokens": 2}).json()
    assert completion["object"] == "text_completion"


def test_openapi_and_docs(server):
    spec = requests.get(server.url("/openapi.json"), timeout=10).json()
    assert "/v1/chat/completions" in spec["paths"]
    page = requests.get(server.url("/docs"), timeout=10)
    assert page.status_code == 200 and "openapi.json" in page.text


def test_legacy_edits(server):
    edit = post(server, "/v1/edits", {"instruction": "Fix the spelling mistakes.", "input": "What day of the wek is it?",
                                      "temperature": 0}).json()
    assert edit["object"] == "edit"
    assert edit["choices"][0]["text"].strip()
    assert edit["usage"]["total_tokens"] == edit["usage"]["prompt_tokens"] + edit["usage"]["completion_tokens"]


def test_admin_key_guards_model_list_load_and_unload(swiftlet):
    admin = swiftlet.start(args=["--admin-key", "sk-admin"])
    user = {"Authorization": f"Bearer {admin.api_key}"}
    boss = {"Authorization": "Bearer sk-admin"}
    assert requests.get(admin.url("/v1/internal/model/list"), headers=user, timeout=10).status_code == 401
    assert requests.post(admin.url("/v1/internal/model/unload"), headers=user, timeout=10).status_code == 401
    assert requests.get(admin.url("/v1/internal/model/list"), headers=boss, timeout=10).status_code == 200
    assert requests.post(admin.url("/v1/internal/model/unload"), headers=boss, timeout=10).json() == "OK"
    info = requests.get(admin.url("/v1/internal/model/info"), headers=user, timeout=10).json()
    assert info["model_name"] == "None"
    chat = requests.post(admin.url("/v1/chat/completions"), headers=user, timeout=10,
                         json={"messages": [{"role": "user", "content": "Hi"}], "max_tokens": 2})
    assert chat.status_code == 503 and chat.json()["error"]["message"]
    loaded = requests.post(admin.url("/v1/internal/model/load"), headers=boss, timeout=60, json={"model_name": CHAT_MODEL})
    assert loaded.status_code == 200
    assert requests.get(admin.url("/v1/internal/model/info"), headers=user, timeout=10).json()["model_name"] == CHAT_MODEL
