#!/usr/bin/env bash
# GitOps Lens end-to-end prerequisites: a real VS Code (code-server) and a browser to drive it,
# fetched only from the npm registry and Debian's mirror (nothing from Microsoft or GitHub).
#
#   source "$(bash test/e2e/setup.sh)"
#
# Installs into $GITOPS_LENS_E2E_HOME (default ~/.cache/gitops-lens/vscode-e2e):
#   node/         Node 24 (npm package node-linux-<arch>; code-server 4.139 requires Node 24)
#   code-server/  code-server, native modules compiled by that Node against its own headers
# and, through apt-get, chromium plus the headers code-server's native modules need.
# playwright-core comes from the project's devDependencies.
#
# Every step leaves a stamp naming its versions; a warm run only checks stamps (well under a
# second). Concurrent runs serialise on a lock. Prints the path of env.sh on stdout.
set -euo pipefail

E2E_HOME="${GITOPS_LENS_E2E_HOME:-$HOME/.cache/gitops-lens/vscode-e2e}"
NODE_VER="${GITOPS_LENS_E2E_NODE:-24.21.0}"
CS_VER="${GITOPS_LENS_E2E_CODE_SERVER:-4.139.1}"
say() { printf '[gitops-lens e2e setup] %s\n' "$*" >&2; }

# An outer npm (`npm test`, `npm start`) exports its configuration to its children: npm_config_*
# (npm_config_user_agent names the outer Node), npm_package_*, npm_lifecycle_*, INIT_CWD, NODE, and
# a node-gyp shim on PATH. The nested npm below would read them as its own configuration (code-server's
# postinstall then saw "node/v20" and refused), so this script drops them and behaves the same however
# it is started. The same rule as scripts/tool-env.mjs; test/setup checks both.
while IFS= read -r v; do
  case "$v" in npm_* | NPM_* | INIT_CWD | NODE) unset "$v" ;; esac
done < <(compgen -e)
PATH="$(printf '%s' "$PATH" | tr ':' '\n' | grep -v '/@npmcli/run-script/lib/node-gyp-bin$' | paste -sd: -)"
export PATH

mkdir -p "$E2E_HOME"
exec 9>"$E2E_HOME/.lock"
flock 9

# --- Debian packages, only the missing ones --------------------------------------------------
# GITOPS_LENS_E2E_APT=0: do not install Debian packages (a machine whose packages are managed
# otherwise; the setup test uses it to exercise the npm steps alone).
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)     # gssapi.h for 'kerberos'
command -v g++ >/dev/null 2>&1 && command -v make >/dev/null 2>&1 || missing+=(build-essential)
command -v python3 >/dev/null 2>&1 || missing+=(python3)              # node-gyp
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
if ((${#missing[@]})) && [ "${GITOPS_LENS_E2E_APT:-1}" != 0 ]; then
  as_root=(); [ "$(id -u)" -eq 0 ] || as_root=(sudo)
  say "apt-get install ${missing[*]}"
  if ! { "${as_root[@]}" apt-get update -qq &&
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } \
    >"$E2E_HOME/apt.log" 2>&1; then
    tail -n 20 "$E2E_HOME/apt.log" >&2
    say "apt-get failed (log: $E2E_HOME/apt.log)"
    exit 1
  fi
fi

# --- Node 24 ----------------------------------------------------------------------------------
case "$(uname -m)" in
  x86_64) cpu=x64 ;;
  aarch64 | arm64) cpu=arm64 ;;
  *) say "no node-linux package for $(uname -m)"; exit 1 ;;
esac
node_pkg="$E2E_HOME/node/node_modules/node-linux-$cpu"   # bin/node and include/node (headers)
node24="$node_pkg/bin/node"
if [ ! -f "$E2E_HOME/node/.stamp-$NODE_VER" ] || [ "$("$node24" --version 2>/dev/null)" != "v$NODE_VER" ]; then
  say "node-linux-$cpu@$NODE_VER"
  rm -rf "$E2E_HOME/node"
  npm install --prefix "$E2E_HOME/node" --no-save --no-audit --no-fund --loglevel=error "node-linux-$cpu@$NODE_VER" >&2
  touch "$E2E_HOME/node/.stamp-$NODE_VER"
fi

# --- code-server ------------------------------------------------------------------------------
# Its postinstall reads the Node version from npm's user agent, so npm itself runs on Node 24;
# npm_config_nodedir keeps node-gyp from downloading headers.
cs_dir="$E2E_HOME/code-server"
cs_entry="$cs_dir/node_modules/code-server/out/node/entry.js"
cs_stamp="$cs_dir/.stamp-$CS_VER-node$NODE_VER"
if [ ! -f "$cs_stamp" ]; then
  say "code-server@$CS_VER (compiles native modules; log in $E2E_HOME/code-server.log)"
  rm -rf "$cs_dir"
  mkdir -p "$cs_dir"
  npm_js="$(readlink -f "$(command -v npm)")"
  case "$npm_js" in
    *.js) run_npm=("$node24" "$npm_js") ;;
    *) run_npm=(npm) ;;
  esac
  if ! env PATH="$node_pkg/bin:$PATH" npm_config_nodedir="$node_pkg" \
    "${run_npm[@]}" install --prefix "$cs_dir" --no-audit --no-fund --ignore-scripts=false \
    --foreground-scripts "code-server@$CS_VER" >"$E2E_HOME/code-server.log" 2>&1; then
    tail -n 30 "$E2E_HOME/code-server.log" >&2
    say "code-server install failed"
    exit 1
  fi
  [ -d "$cs_dir/node_modules/code-server/lib/vscode/node_modules" ] || {
    say "code-server's postinstall did not run (are npm install scripts disabled?)"
    exit 1
  }
  touch "$cs_stamp"
fi

cat >"$E2E_HOME/env.sh" <<EOF
export GITOPS_LENS_E2E_HOME='$E2E_HOME'
export GITOPS_LENS_E2E_NODE='$node24'
export GITOPS_LENS_E2E_CODE_SERVER='$cs_entry'
export GITOPS_LENS_E2E_CHROMIUM='/usr/bin/chromium'
EOF
say "ready: code-server $CS_VER, node $("$node24" --version), $(/usr/bin/chromium --version 2>/dev/null | head -1)"
echo "$E2E_HOME/env.sh"
