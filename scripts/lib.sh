# Shared by scripts/serve.sh and scripts/test.sh.
# Kernel speed depends on the CPU target; Package.swift stays free of unsafe flags, so scripts pass it.
NATIVE_FLAGS="-Xswiftc -target-cpu -Xswiftc native"
TEST_FLAGS="-Xswiftc -enable-testing"

step() { printf '\n==> %s\n' "$*"; }

require_toolchain() {
  command -v swift >/dev/null || { echo "error: swift is not on PATH (Swift 6.2 or newer is needed)" >&2; exit 1; }
  command -v python3 >/dev/null || { echo "error: python3 is needed to fetch the models" >&2; exit 1; }
  python3 -m pip --version >/dev/null 2>&1 || {
    step "Installing pip"
    if command -v apt-get >/dev/null; then apt-get update -qq && apt-get install -y -qq python3-pip >/dev/null
    else echo "error: python3 has no pip; install python3-pip" >&2; exit 1; fi
  }
}

# The end-to-end tests run their clients from a virtual environment (Debian's python3 needs python3-venv).
require_venv() {
  python3 -c "import ensurepip, venv" 2>/dev/null || {
    step "Installing python3-venv"
    if command -v apt-get >/dev/null; then apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
    else echo "error: python3 cannot create virtual environments; install python3-venv" >&2; exit 1; fi
  }
}

# Both README commands start here: check the toolchain, then fetch the models into models/.
prepare() {
  require_toolchain
  step "Fetching models (cached after the first run)"
  python3 scripts/fetch_models.py --dest models
}
