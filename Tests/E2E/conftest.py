"""Live servers for the end-to-end tests.

Every test talks to a real `swiftlet serve` process over HTTP, the way users' clients do. The binary is
`$SWIFTLET_BIN` (scripts/test.sh points it at the release build) and models come from
`$SWIFTLET_MODELS_DIR` (default: models/ in the checkout).

Fixtures:
- `swiftlet`: a factory; `swiftlet.start(model=..., args=[...])` starts (or reuses) a server with those
  settings and returns a `Server`. Servers live until the end of the session.
- `server`: the default server (SmolLM2, the README's default chat model, with API key `API_KEY`).
- `client`: an `openai.OpenAI` client for `server`.
"""

import os
import pathlib
import socket
import subprocess
import time

import openai
import pytest
import requests

ROOT = pathlib.Path(__file__).resolve().parents[2]
MODELS_DIR = pathlib.Path(os.environ.get("SWIFTLET_MODELS_DIR", ROOT / "models"))
BINARY = pathlib.Path(os.environ.get("SWIFTLET_BIN", ROOT / ".build" / "release" / "swiftlet"))

CHAT_MODEL = "SmolLM2-135M-Instruct.Q4_1"
TOOL_MODEL = "Qwen2.5-Coder-0.5B-Instruct"
EMBEDDING_MODEL = "all-MiniLM-L6-v2"
API_KEY = "sk-e2e-test"
STARTUP_SECONDS = 120


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """One running `swiftlet serve`; its log is kept for failure messages."""

    def __init__(self, model, args, log_dir):
        self.model = model
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.api_key = API_KEY
        self.log_path = log_dir / f"swiftlet-{self.port}.log"
        command = [str(BINARY), "serve", "--api-port", str(self.port), "--models-dir", str(MODELS_DIR),
                   "--api-key", API_KEY, "--threads", "2"]
        if model:
            command += ["--model", model]
        command += list(args)
        self.log = open(self.log_path, "wb")
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT, cwd=ROOT)
        self.wait_ready()

    def wait_ready(self):
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"swiftlet exited with {self.process.returncode}:\n{self.log_text()}")
            try:
                if requests.get(f"{self.base_url}/health", timeout=2).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"swiftlet did not become ready in {STARTUP_SECONDS} s:\n{self.log_text()}")

    def log_text(self):
        self.log.flush()
        return self.log_path.read_text(errors="replace")[-4000:]

    @property
    def headers(self):
        return {"Authorization": f"Bearer {self.api_key}"}

    def url(self, path):
        return f"{self.base_url}{path}"

    def openai_client(self, **kwargs):
        return openai.OpenAI(base_url=f"{self.base_url}/v1", api_key=self.api_key, max_retries=0, **kwargs)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


class ServerFactory:
    def __init__(self, log_dir):
        self.log_dir = log_dir
        self.servers = {}

    def start(self, model=CHAT_MODEL, args=()):
        key = (model, tuple(args))
        if key not in self.servers:
            self.servers[key] = Server(model, args, self.log_dir)
        return self.servers[key]

    def stop_all(self):
        for server in self.servers.values():
            server.stop()


@pytest.fixture(scope="session")
def swiftlet(tmp_path_factory):
    if not BINARY.exists():
        pytest.fail(f"{BINARY} does not exist: build it (scripts/test.sh does) or set SWIFTLET_BIN")
    factory = ServerFactory(tmp_path_factory.mktemp("logs"))
    yield factory
    factory.stop_all()


@pytest.fixture(scope="session")
def server(swiftlet):
    return swiftlet.start()


@pytest.fixture(scope="session")
def client(server):
    return server.openai_client()
