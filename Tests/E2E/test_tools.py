"""A tool round trip with Qwen2.5-Coder through openai-python and LangChain."""

import json

import pytest
from langchain_core.tools import tool
from langchain_openai import ChatOpenAI

from conftest import TOOL_MODEL

WEATHER = {"type": "function", "function": {
    "name": "get_weather", "description": "Get the current weather in a city",
    "parameters": {"type": "object", "properties": {"city": {"type": "string", "description": "The city"}},
                   "required": ["city"]}}}
QUESTION = {"role": "user", "content": "What is the weather like in Paris today?"}


@pytest.fixture(scope="module")
def qwen(swiftlet):
    return swiftlet.start(model=TOOL_MODEL)


def test_weather_round_trip(qwen):
    client = qwen.openai_client()
    first = client.chat.completions.create(model=TOOL_MODEL, messages=[QUESTION], tools=[WEATHER], temperature=0,
                                           max_tokens=80)
    choice = first.choices[0]
    assert choice.finish_reason == "tool_calls"
    call = choice.message.tool_calls[0]
    assert call.id.startswith("call_") and call.type == "function"
    assert call.function.name == "get_weather"
    assert json.loads(call.function.arguments)["city"] == "Paris"

    result = {"temperature_c": 18, "sky": "sunny"}
    answer = client.chat.completions.create(
        model=TOOL_MODEL, tools=[WEATHER], temperature=0, max_tokens=80,
        messages=[QUESTION, choice.message.model_dump(exclude_none=True),
                  {"role": "tool", "tool_call_id": call.id, "content": json.dumps(result)}])
    final = answer.choices[0]
    assert final.finish_reason == "stop"
    assert not final.message.tool_calls
    assert "18" in final.message.content or "sunny" in final.message.content.lower()


def test_streamed_tool_call_assembles_from_deltas(qwen):
    client = qwen.openai_client()
    calls, finish = {}, None
    for chunk in client.chat.completions.create(model=TOOL_MODEL, messages=[QUESTION], tools=[WEATHER], temperature=0,
                                                max_tokens=80, stream=True):
        delta = chunk.choices[0].delta
        for piece in delta.tool_calls or []:
            entry = calls.setdefault(piece.index, {"name": "", "arguments": ""})
            if piece.id:
                entry["id"] = piece.id
            entry["name"] += piece.function.name or ""
            entry["arguments"] += piece.function.arguments or ""
        finish = chunk.choices[0].finish_reason or finish
    assert finish == "tool_calls"
    assert calls[0]["name"] == "get_weather" and calls[0]["id"].startswith("call_")
    assert json.loads(calls[0]["arguments"])["city"] == "Paris"


def test_named_tool_choice_forces_the_call(qwen):
    client = qwen.openai_client()
    reply = client.chat.completions.create(
        model=TOOL_MODEL, messages=[{"role": "user", "content": "Hello!"}], tools=[WEATHER], temperature=0,
        max_tokens=60, tool_choice={"type": "function", "function": {"name": "get_weather"}})
    assert reply.choices[0].finish_reason == "tool_calls"
    assert reply.choices[0].message.tool_calls[0].function.name == "get_weather"


def test_langchain_bind_tools(qwen):
    @tool
    def get_weather(city: str) -> str:
        """Get the current weather in a city."""
        return "sunny"

    llm = ChatOpenAI(model=TOOL_MODEL, base_url=f"{qwen.base_url}/v1", api_key=qwen.api_key, temperature=0,
                     max_tokens=80, max_retries=0)
    message = llm.bind_tools([get_weather]).invoke("What is the weather like in Paris today?")
    assert message.tool_calls and message.tool_calls[0]["name"] == "get_weather"
    assert message.tool_calls[0]["args"]["city"] == "Paris"
