#!/usr/bin/env bash
# Compatibility test: runs the official Synnax TypeScript client's own vitest spec files
# (client/ts/src/**/*.spec.ts from a Synnax source checkout) against sightline-server.
#
# Usage: SIGHTLINE_SYNNAX_SRC=<synnax-src> tests/compat/run-specs.sh <build-dir> <server-binary> [group|spec ...]
#
#   <synnax-src>   a directory holding client/ts, x/ts, freighter/ts, alamos/ts and
#                  pnpm-workspace.yaml of a Synnax source tree, e.g. extracted with
#                    git -C <synnax-repo> archive synnax-v0.56.16 client/ts x/ts \
#                        freighter/ts alamos/ts pnpm-workspace.yaml | tar -x -C <synnax-src>
#                  It is only read, never modified.
#   group|spec     what to run; default: ranger label ontology group channel framer
#                  connection. A group is a directory under client/ts/src (all of its
#                  *.spec.ts files, recursively, except access.spec.ts, which needs RBAC);
#                  a spec is a path relative to client/ts (src/framer/writer.spec.ts).
#
# - Installs the npm dependencies of the client, x, freighter and alamos packages (versions
#   from their package.json files and the pnpm catalog) plus vitest into
#   <build-dir>/compat-specs, reused while the derived package.json is unchanged. The
#   @synnaxlabs/* workspace packages are not installed: a vite plugin resolves them, and
#   each package's "@/..." imports, to the TypeScript sources in <synnax-src>.
# - For every group/spec argument: starts <server-binary> on a free loopback port with a
#   fresh, empty data directory and --no-sim, points the client's test helper
#   (src/testutil/client.ts, which hard-codes localhost:9090) at it, runs vitest with a
#   single worker, and stops the server.
# - Prints the pass/total count per spec file and every failing test with the first line
#   of its error, and exits non-zero when any test failed or the server died.
#
# Environment:
#   SIGHTLINE_SYNNAX_SRC       required, see above.
#   SIGHTLINE_SPECS_TIMEOUT    per-group timeout in seconds (default 900).
#
# Not part of the CTest suite: it needs network access to the npm registry and a Synnax
# source tree.
set -euo pipefail

if [[ $# -lt 2 ]]; then
    echo "usage: SIGHTLINE_SYNNAX_SRC=<synnax-src> $0 <build-dir> <server-binary> [group|spec ...]" >&2
    exit 2
fi

build_dir="$1"
server_bin="$2"
shift 2
work_dir="$(mkdir -p "${build_dir%/}/compat-specs" && cd "${build_dir%/}/compat-specs" && pwd)"

if [[ -z "${SIGHTLINE_SYNNAX_SRC:-}" ]]; then
    echo "compat-specs: error: set SIGHTLINE_SYNNAX_SRC to an extracted Synnax source tree" >&2
    exit 2
fi
synnax_src="$(cd "$SIGHTLINE_SYNNAX_SRC" && pwd)"
for d in client/ts/src x/ts/src freighter/ts/src alamos/ts/src; do
    if [[ ! -d "$synnax_src/$d" ]]; then
        echo "compat-specs: error: $synnax_src/$d not found" >&2
        exit 1
    fi
done
if [[ ! -f "$synnax_src/pnpm-workspace.yaml" ]]; then
    echo "compat-specs: error: $synnax_src/pnpm-workspace.yaml not found (needed for" \
         "the 'catalog:' dependency versions)" >&2
    exit 1
fi

for tool in node npm; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "compat-specs: error: '$tool' not found; install Node.js >= 20.19 and npm" >&2
        exit 1
    fi
done
if [[ ! -x "$server_bin" ]]; then
    echo "compat-specs: error: server binary '$server_bin' not found or not executable" >&2
    exit 1
fi
server_bin="$(cd "$(dirname "$server_bin")" && pwd)/$(basename "$server_bin")"

# ---------------------------------------------------------------- npm dependencies
# package.json: the union of the npm (non-workspace) dependencies of the four packages,
# with 'catalog:' versions taken from pnpm-workspace.yaml, plus vitest and vite.
node - "$synnax_src" "$work_dir/package.json.new" <<'EOF'
const fs = require("fs");
const path = require("path");
const [src, out] = process.argv.slice(2);
const catalog = {};
let inCatalog = false;
for (const line of fs.readFileSync(path.join(src, "pnpm-workspace.yaml"), "utf8").split("\n")) {
    if (/^catalog:\s*$/.test(line)) { inCatalog = true; continue; }
    if (inCatalog && /^\S/.test(line)) inCatalog = false;
    if (!inCatalog) continue;
    const m = line.match(/^\s+['"]?([^'":\s]+)['"]?\s*:\s*['"]?([^'"\s#]+)['"]?/);
    if (m) catalog[m[1]] = m[2];
}
const deps = {};
const add = (name, version) => {
    if (version.startsWith("workspace:")) return;
    if (version === "catalog:" || version === "catalog:default") {
        if (!(name in catalog)) throw new Error(`no catalog version for ${name}`);
        version = catalog[name];
    }
    deps[name] = version;
};
let clientVersion = "";
for (const pkg of ["client/ts", "x/ts", "freighter/ts", "alamos/ts"]) {
    const p = JSON.parse(fs.readFileSync(path.join(src, pkg, "package.json"), "utf8"));
    if (pkg === "client/ts") clientVersion = p.version;
    for (const [n, v] of Object.entries(p.dependencies ?? {})) add(n, v);
}
const client = JSON.parse(fs.readFileSync(path.join(src, "client/ts/package.json"), "utf8"));
for (const n of ["vitest", "vite"]) add(n, client.devDependencies[n]);
const sorted = Object.fromEntries(Object.entries(deps).sort(([a], [b]) => a.localeCompare(b)));
fs.writeFileSync(out, JSON.stringify({
    name: "sightline-compat-specs",
    private: true,
    type: "module",
    description: `deps for the @synnaxlabs/client ${clientVersion} spec files`,
    dependencies: sorted,
}, null, 2) + "\n");
EOF
mv "$work_dir/package.json.new" "$work_dir/package.json"

stamp_file="$work_dir/node_modules/.sightline-compat-specs-stamp"
stamp="$(sha256sum "$work_dir/package.json" | cut -d' ' -f1)"
if [[ -f "$stamp_file" && "$(cat "$stamp_file")" == "$stamp" ]]; then
    echo "compat-specs: reusing npm dependencies in $work_dir"
else
    echo "compat-specs: installing npm dependencies into $work_dir"
    rm -rf "$work_dir/node_modules" "$work_dir/package-lock.json"
    if ! (cd "$work_dir" && npm install --no-audit --no-fund); then
        echo "compat-specs: error: 'npm install' failed in $work_dir" >&2
        exit 1
    fi
    echo "$stamp" > "$stamp_file"
fi

# ---------------------------------------------------------------- vitest configuration
cat > "$work_dir/vitest.config.mjs" <<'EOF'
// Generated by tests/compat/run-specs.sh; overwritten on every run.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const workDir = path.dirname(fileURLToPath(import.meta.url));
const src = process.env.SIGHTLINE_SYNNAX_SRC;
const host = process.env.SIGHTLINE_SPECS_HOST;
const port = process.env.SIGHTLINE_SPECS_PORT;
const packages = {
  "@synnaxlabs/client": path.join(src, "client/ts"),
  "@synnaxlabs/x": path.join(src, "x/ts"),
  "@synnaxlabs/freighter": path.join(src, "freighter/ts"),
  "@synnaxlabs/alamos": path.join(src, "alamos/ts"),
};
const roots = Object.values(packages);
const version = JSON.parse(
  fs.readFileSync(path.join(packages["@synnaxlabs/client"], "package.json"), "utf8"),
).version;
const anchor = path.join(workDir, "package.json");
const testClient = path.join(packages["@synnaxlabs/client"], "src/testutil/client.ts");

const workspace = {
  name: "sightline-synnax-workspace",
  enforce: "pre",
  async resolveId(source, importer) {
    if (importer == null || source.startsWith("\0")) return null;
    const importerPath = importer.split("?")[0];
    const root = roots.find((r) => importerPath.startsWith(r + path.sep));
    if (root == null) return null;
    // "@/x" is each package's tsconfig path alias for "<package>/src/x".
    if (source.startsWith("@/"))
      return this.resolve(path.join(root, "src", source.slice(2)), importer, {
        skipSelf: true,
      });
    const ws = Object.keys(packages).find((p) => source === p || source.startsWith(p + "/"));
    if (ws != null) {
      const sub = source.slice(ws.length);
      const target = path.join(packages[ws], "src", sub === "" ? "index.ts" : sub);
      return this.resolve(target, importer, { skipSelf: true });
    }
    if (source.startsWith(".") || path.isAbsolute(source) || source.startsWith("node:"))
      return null;
    // npm packages: resolve from the work directory's node_modules.
    return this.resolve(source, anchor, { skipSelf: true });
  },
  transform(code, id) {
    if (id.split("?")[0] !== testClient) return null;
    const out = code
      .replace(/host:\s*"localhost"/, `host: ${JSON.stringify(host)}`)
      .replace(/port:\s*9090/, `port: ${Number(port)}`);
    if (out === code || !out.includes(JSON.stringify(host)))
      throw new Error(`could not retarget ${testClient} (host/port literals changed?)`);
    return { code: out, map: null };
  },
};

export default defineConfig({
  root: packages["@synnaxlabs/client"],
  define: { __VERSION__: JSON.stringify(version) },
  plugins: [workspace],
  // The packages' tsconfig.json files extend "@synnaxlabs/tsconfig/base.json", which is
  // not installed; give the transformer the relevant options of that file directly.
  oxc: {
    tsconfig: {
      compilerOptions: { target: "ESNext", strict: true, useDefineForClassFields: true },
    },
  },
  server: { fs: { strict: false } },
  test: {
    globals: true,
    include: ["src/**/*.spec.ts"],
    exclude: ["**/node_modules/**", "**/dist/**"],
    setupFiles: [path.join(workDir, "setup.mjs")],
    fileParallelism: false,
    maxWorkers: 1,
    pool: "forks",
  },
});
EOF

cat > "$work_dir/setup.mjs" <<'EOF'
// Generated by tests/compat/run-specs.sh.
//
// The client targets Node >= 24 and uses the ES2025 Set methods (Set.prototype.isSubsetOf
// in framer/adapter.ts), which Node 20 lacks: add the ones it uses when missing.
for (const [name, fn] of Object.entries({
  isSubsetOf(other) {
    for (const v of this) if (!other.has(v)) return false;
    return true;
  },
  isSupersetOf(other) {
    for (const v of other.keys()) if (!this.has(v)) return false;
    return true;
  },
}))
  if (typeof Set.prototype[name] !== "function")
    Object.defineProperty(Set.prototype, name, { value: fn, writable: true, configurable: true });

// Log HTTP requests that got a non-2xx response and WebSocket closes with an error code
// as "[trace] ..." lines; reporter.mjs attaches them to the test that made them.
{
  const pathOf = (u) => {
    try {
      return new URL(String(u)).pathname;
    } catch {
      return String(u);
    }
  };
  const origFetch = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    const res = await origFetch(input, init);
    if (!res.ok) {
      const body = await res.clone().text().catch(() => "");
      console.log(`[trace] ${init?.method ?? "GET"} ${pathOf(input?.url ?? input)} -> ` +
        `${res.status} ${body.slice(0, 300)}`);
    }
    return res;
  };
  const OrigWS = globalThis.WebSocket;
  if (OrigWS != null)
    globalThis.WebSocket = class extends OrigWS {
      constructor(url, protocols) {
        super(url, protocols);
        this.addEventListener("close", (e) => {
          if (e.code !== 1000)
            console.log(`[trace] ws ${pathOf(url)} closed ${e.code} ${e.reason}`);
        });
        this.addEventListener("error", () => console.log(`[trace] ws ${pathOf(url)} error`));
      }
    };
}
EOF

cat > "$work_dir/reporter.mjs" <<'EOF'
// Generated by tests/compat/run-specs.sh: a vitest reporter writing every test's outcome
// and first error message to $SIGHTLINE_SPECS_REPORT (vitest's JSON reporter replaces
// the message of some errors, e.g. timeouts, by a placeholder).
import fs from "node:fs";
export default class {
  traces = new Map();
  onUserConsoleLog(log) {
    if (log.taskId == null) return;
    for (const line of log.content.split("\n"))
      if (line.startsWith("[trace] ")) {
        if (!this.traces.has(log.taskId)) this.traces.set(log.taskId, []);
        this.traces.get(log.taskId).push(line.slice(8));
      }
  }
  onTestRunEnd(testModules, unhandledErrors, reason) {
    const msg = (e) => `${e?.name && e.name !== "Error" ? e.name + ": " : ""}${e?.message ?? e}`;
    const modules = testModules.map((m) => ({
      file: m.moduleId,
      state: m.state(),
      errors: m.errors().map(msg),
      tests: [...m.children.allTests()].map((t) => {
        const r = t.result();
        return {
          name: t.fullName,
          state: r.state,
          error: r.errors?.length ? msg(r.errors[0]) : undefined,
          traces: this.traces.get(t.id) ?? [],
        };
      }),
    }));
    fs.writeFileSync(process.env.SIGHTLINE_SPECS_REPORT, JSON.stringify({
      reason, unhandled: unhandledErrors.map(msg), modules,
    }, null, 1));
  }
}
EOF

cat > "$work_dir/summarize.mjs" <<'EOF'
// Generated by tests/compat/run-specs.sh: prints a reporter.mjs report as a summary.
import fs from "node:fs";
import path from "node:path";
const [report, root, label] = process.argv.slice(2);
let r;
try {
  r = JSON.parse(fs.readFileSync(report, "utf8"));
} catch {
  console.log(`  no test report for ${label} (vitest crashed or was killed)`);
  process.exit(1);
}
const oneLine = (s) => (s ?? "").split("\n").map((l) => l.trim())
  .filter((l) => l !== "" && !l.startsWith("If this is a long-running test"))
  .join(" | ").slice(0, 300);
let failed = 0;
for (const m of r.modules.sort((a, b) => a.file.localeCompare(b.file))) {
  const pass = m.tests.filter((t) => t.state === "passed").length;
  const skipped = m.tests.filter((t) => t.state === "skipped").length;
  const bad = m.tests.filter((t) => t.state !== "passed" && t.state !== "skipped");
  failed += bad.length;
  let line = `  ${path.relative(root, m.file)}: ${pass}/${m.tests.length} passed`;
  if (skipped > 0) line += ` (${skipped} skipped)`;
  console.log(line);
  for (const e of m.errors) {
    failed++;
    console.log(`    FILE ERROR: ${oneLine(e)}`);
  }
  for (const t of bad) {
    const state = t.state === "failed" ? "" : ` [${t.state}]`;
    console.log(`    FAIL ${t.name}${state}: ${oneLine(t.error)}`);
    // The last few non-2xx HTTP responses / abnormal WebSocket closes the test saw.
    for (const tr of t.traces.slice(-3)) console.log(`      ${oneLine(tr)}`);
  }
}
for (const e of r.unhandled) {
  failed++;
  console.log(`  UNHANDLED ERROR: ${oneLine(e)}`);
}
process.exit(failed > 0 ? 1 : 0);
EOF

# Node 20 has no global WebSocket unless --experimental-websocket is given (Node 22+ has
# it by default). The client uses globalThis.WebSocket.
node_options="${NODE_OPTIONS:-}"
if ! node -e 'process.exit(typeof WebSocket === "function" ? 0 : 1)' 2>/dev/null; then
    if node --experimental-websocket -e 'process.exit(typeof WebSocket === "function" ? 0 : 1)' 2>/dev/null; then
        node_options="$node_options --experimental-websocket"
    else
        echo "compat-specs: error: this Node.js ($(node --version)) provides no WebSocket" >&2
        exit 1
    fi
fi

# ---------------------------------------------------------------- what to run
client_dir="$synnax_src/client/ts"
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
    targets=(ranger label ontology group channel framer connection)
fi
# specs_for <target>: the spec files (relative to client/ts) of a group or a single spec.
specs_for() {
    local t="$1"
    if [[ -d "$client_dir/src/$t" ]]; then
        (cd "$client_dir" && find "src/$t" -name '*.spec.ts' ! -name 'access.spec.ts' | sort)
    elif [[ -f "$client_dir/$t" ]]; then
        echo "$t"
    elif [[ -f "$client_dir/src/$t" ]]; then
        echo "src/$t"
    else
        echo "compat-specs: error: '$t' is neither a directory under client/ts/src nor a spec" >&2
        return 1
    fi
}

# ---------------------------------------------------------------- server
# shellcheck source=server.sh
source "$(dirname "${BASH_SOURCE[0]}")/server.sh"
trap stop_server EXIT

# ---------------------------------------------------------------- run
timeout_s="${SIGHTLINE_SPECS_TIMEOUT:-900}"
summary=""
overall=0
for target in "${targets[@]}"; do
    mapfile -t specs < <(specs_for "$target")
    if [[ ${#specs[@]} -eq 0 ]]; then
        echo "compat-specs: warning: no spec files for '$target'" >&2
        continue
    fi
    start_server sightline-specs --insecure || exit 1
    echo "compat-specs: [$target] server pid $server_pid on 127.0.0.1:$port;" \
         "running ${#specs[@]} spec file(s)"
    report="$work_dir/report-${target//\//_}.json"
    rm -f "$report"
    status=0
    (cd "$work_dir" && \
        SIGHTLINE_SYNNAX_SRC="$synnax_src" SIGHTLINE_SPECS_HOST=127.0.0.1 \
        SIGHTLINE_SPECS_PORT="$port" SIGHTLINE_SPECS_REPORT="$report" \
        NODE_OPTIONS="$node_options" \
        timeout "$timeout_s" ./node_modules/.bin/vitest run --config vitest.config.mjs \
            --reporter=default --reporter=./reporter.mjs \
            "${specs[@]}") || status=$?
    group_summary="[$target]"
    if (( status == 124 )); then
        group_summary+=" vitest killed after $timeout_s s"
        overall=1
    fi
    if ! server_alive; then
        group_summary+=" SERVER DIED"
        echo "compat-specs: error: the server exited during [$target]" >&2
        echo "--- server stderr (last 50 lines)" >&2; tail -n 50 "$server_err" >&2 || true
        overall=1
    fi
    group_summary+=$'\n'"$(node "$work_dir/summarize.mjs" "$report" "$client_dir" "$target")" \
        || overall=1
    (( status != 0 )) && overall=1
    summary+="$group_summary"$'\n'
    stop_server
done

echo
echo "================ compat-specs summary (client $(node -p \
    "require('$client_dir/package.json').version"), server $server_bin)"
printf '%s' "$summary"
exit "$overall"
