"""Every documented parameter of every POST endpoint, given values of the wrong kind: the server answers
each with a 2xx or a 4xx OpenAI error envelope (never a 5xx, never a dropped connection) and keeps serving."""

import json

import pytest
import requests

# Endpoints that change server state (model load/unload, stopping everyone's generations) are left out.
SKIPPED = {"/v1/internal/model/load", "/v1/internal/model/unload", "/v1/internal/stop-generation"}
# Keeps generations short; a mutation of these keys themselves still runs (bounded by the model's EOS or
# the default lengths).
SHORT = {"max_tokens": 1}
# A valid value that asks for a long generation (up to the whole context) is not what this test is about.
LONG = ("auto_max_new_tokens", True)
BAD_VALUES = ["text", -1, 3.5, 1e308, True, None, [], {}, [1, "a"], {"a": {"b": []}}, "\u0000\ud7ff" * 3]


def operations(spec):
    for path, methods in spec["paths"].items():
        operation = methods.get("post")
        if not operation or path in SKIPPED or "{" in path:
            continue
        if (operation.get("description") or "").startswith("Same as"):
            continue
        media = operation.get("requestBody", {}).get("content", {}).get("application/json")
        if media:
            yield path, media


def properties(spec, schema):
    if "$ref" in schema:
        return properties(spec, spec["components"]["schemas"][schema["$ref"].split("/")[-1]])
    result = dict(schema.get("properties", {}))
    for part in schema.get("allOf", []):
        result.update(properties(spec, part))
    return result


def check(server, path, body, raw=None):
    data = raw if raw is not None else json.dumps(body)
    response = requests.post(server.url(path), data=data, timeout=120,
                             headers={**server.headers, "Content-Type": "application/json"})
    assert response.status_code < 500, f"{path} {data[:200]} → {response.status_code} {response.text[:300]}"
    if response.status_code >= 400:
        error = response.json()["error"]
        assert error["message"], f"{path} {data[:200]}"
    return response


@pytest.fixture(scope="module")
def spec(server):
    return requests.get(server.url("/openapi.json"), timeout=10).json()


def test_wrong_values_for_every_documented_parameter(server, spec):
    checked = 0
    for path, media in operations(spec):
        base = {**json.loads(media.get("example", "{}")), **SHORT}
        for name in properties(spec, media["schema"]):
            for value in BAD_VALUES:
                if name == LONG[0] and value is LONG[1]:
                    continue
                check(server, path, {**base, name: value})
                checked += 1
    assert checked > 500
    assert requests.get(server.url("/health"), timeout=10).status_code == 200


def test_bodies_that_are_not_objects(server, spec):
    for path, _ in operations(spec):
        for raw in ["", "null", "[]", "42", '"text"', "{", '{"a":', "\xff\xfe", "{" * 10000 + "}" * 10000,
                    '{"messages": ' + "[" * 5000 + "]" * 5000 + "}"]:
            check(server, path, None, raw=raw)
    assert requests.get(server.url("/health"), timeout=10).status_code == 200
