// Compatibility scenario: drives a Synnax-compatible server (sightline-server) with the
// official Synnax TypeScript client, the way an application would.
//
// Usage: node --experimental-websocket scenario.mjs --host 127.0.0.1 --port N
//    or: SIGHTLINE_HOST=127.0.0.1 SIGHTLINE_PORT=N node scenario.mjs
// Set SIGHTLINE_COMPAT_TRACE=1 to log every HTTP request/response and WebSocket message.
//
// Each check prints "ok - <name>" or "not ok - <name>: <reason>", then a closing line
// "N passed, N failed". The exit code is 1 if any check failed.

import {
  AuthError,
  DataType,
  NotFoundError,
  Synnax,
  TimeRange,
  TimeSpan,
  TimeStamp,
  ValidationError,
} from "@synnaxlabs/client";

// ------------------------------------------------------------------ arguments & setup

const args = process.argv.slice(2);
const argValue = (name) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : undefined;
};
const host = argValue("--host") ?? process.env.SIGHTLINE_HOST ?? "127.0.0.1";
const port = Number(argValue("--port") ?? process.env.SIGHTLINE_PORT ?? "9090");
const TRACE = process.env.SIGHTLINE_COMPAT_TRACE === "1";
const STEP_TIMEOUT_MS = 8000;
const TOTAL_TIMEOUT_MS = 58000;

// The client's WriteAdapter calls Set.prototype.isSubsetOf (ES2025), which Node 20 lacks
// (Node 22+ has it). Provide the standard behaviour so openWriter works on Node 20.
if (typeof Set.prototype.isSubsetOf !== "function") {
  Object.defineProperty(Set.prototype, "isSubsetOf", {
    configurable: true,
    writable: true,
    value: function isSubsetOf(other) {
      if (this.size > other.size) return false;
      for (const v of this) if (!other.has(v)) return false;
      return true;
    },
  });
}

if (typeof globalThis.WebSocket !== "function") {
  console.error(
    "scenario: no global WebSocket; run with `node --experimental-websocket` on Node 20",
  );
  process.exit(1);
}

const trace = (...parts) => {
  if (TRACE) console.log("#", ...parts);
};
const clip = (s, n = 600) => (s.length > n ? `${s.slice(0, n)}…(${s.length} chars)` : s);
const showBytes = (data) => {
  let u8;
  if (typeof data === "string") return `text ${clip(data)}`;
  if (data instanceof ArrayBuffer) u8 = new Uint8Array(data);
  else if (ArrayBuffer.isView(data))
    u8 = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  else return String(data);
  const head = u8[0];
  if (head === 0xff || (head !== 0xfe && head !== 0x7b))
    return `bin[${u8.length}] ${Buffer.from(u8.subarray(0, 96)).toString("hex")}`;
  const off = head === 0xfe ? 1 : 0;
  return `${head === 0xfe ? "fe " : ""}${clip(Buffer.from(u8.subarray(off)).toString("utf8"))}`;
};

if (TRACE) {
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (url, init = {}) => {
    const body = ArrayBuffer.isView(init.body)
      ? Buffer.from(init.body.buffer, init.body.byteOffset, init.body.byteLength).toString()
      : String(init.body ?? "");
    trace("HTTP >", init.method ?? "GET", String(url), clip(body));
    const res = await realFetch(url, init);
    const text = await res.clone().text();
    trace("HTTP <", res.status, clip(text));
    return res;
  };
  const RealWS = globalThis.WebSocket;
  globalThis.WebSocket = class TracingWebSocket extends RealWS {
    constructor(url, protocols) {
      super(url, protocols);
      const path = String(url).replace(/\?.*/, "");
      this.tracePath = path;
      trace("WS  open", path);
      this.addEventListener("message", (ev) => trace("WS  <", path, showBytes(ev.data)));
      this.addEventListener("close", (ev) => trace("WS  closed", path, ev.code, ev.reason));
      this.addEventListener("error", () => trace("WS  error", path));
    }

    send(data) {
      trace("WS  >", this.tracePath, showBytes(data));
      super.send(data);
    }
  };
}

// ------------------------------------------------------------------ tiny test runner

let passed = 0;
let failed = 0;
let uncaught = [];
const clients = [];

process.on("uncaughtException", (err) => {
  uncaught.push(err);
  console.log(`# uncaught exception: ${describe(err)}`);
});
process.on("unhandledRejection", (err) => {
  uncaught.push(err);
  console.log(`# unhandled rejection: ${describe(err)}`);
});

const finish = () => {
  for (const c of clients) {
    try {
      c.close();
    } catch {
      /* ignore */
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
};

setTimeout(() => {
  failed++;
  console.log(`not ok - scenario: whole scenario exceeded ${TOTAL_TIMEOUT_MS} ms`);
  finish();
}, TOTAL_TIMEOUT_MS);

function describe(err) {
  if (err == null) return String(err);
  const cls = err.constructor?.name ?? typeof err;
  const type = err.type != null ? ` type=${err.type}` : "";
  return `${cls}${type}: ${err.message ?? String(err)}`;
}

class Failure extends Error {}
const fail = (msg) => {
  throw new Failure(msg);
};
const assert = (cond, msg) => {
  if (!cond) fail(msg);
};
const eq = (actual, expected, what) => {
  const a = JSON.stringify(actual, (_, v) => (typeof v === "bigint" ? v.toString() : v));
  const e = JSON.stringify(expected, (_, v) => (typeof v === "bigint" ? v.toString() : v));
  if (a !== e) fail(`${what}: expected ${clip(e, 300)}, got ${clip(a, 300)}`);
};

const withTimeout = (promise, ms, what) => {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Failure(`timed out after ${ms} ms (${what})`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
};

const results = new Map();

/** Runs one check. deps: names of checks that must have passed first. */
async function check(name, fn, { deps = [], timeout = STEP_TIMEOUT_MS } = {}) {
  const missing = deps.filter((d) => results.get(d) !== true);
  if (missing.length > 0) {
    failed++;
    results.set(name, false);
    console.log(`not ok - ${name}: skipped, depends on failed step(s): ${missing.join(", ")}`);
    return;
  }
  const before = uncaught.length;
  try {
    await withTimeout(Promise.resolve().then(fn), timeout, name);
    if (uncaught.length > before)
      fail(`uncaught error inside the client: ${describe(uncaught[before])}`);
    passed++;
    results.set(name, true);
    console.log(`ok - ${name}`);
  } catch (err) {
    failed++;
    results.set(name, false);
    const reason = err instanceof Failure ? err.message : `threw ${describe(err)}`;
    console.log(`not ok - ${name}: ${reason.replace(/\n/g, " ")}`);
  }
}

/** Expects fn() to reject with an instance of errClass. */
async function expectReject(fn, errClass, what) {
  try {
    await fn();
  } catch (err) {
    if (err instanceof Failure) throw err;
    if (err instanceof errClass) return err;
    fail(`${what}: expected ${errClass.name}, got ${describe(err)}`);
  }
  fail(`${what}: expected ${errClass.name}, but it succeeded`);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const suffix = `${Date.now().toString(36)}_${Math.floor(Math.random() * 1e9).toString(36)}`;
const params = (extra = {}) => ({
  host,
  port,
  username: "synnax",
  password: "seldon",
  secure: false,
  // Fail fast instead of retrying unreachable servers for several seconds.
  retry: { maxRetries: 0 },
  ...extra,
});
const newClient = (extra) => {
  const c = new Synnax(params(extra));
  clients.push(c);
  return c;
};

const seconds = (n) => TimeStamp.seconds(n);
const secondsRange = (first, n) => Array.from({ length: n }, (_, i) => seconds(first + i));
const nsOf = (ts) => BigInt(ts.valueOf());
const toNumbers = (ms) => Array.from(ms ?? [], (v) => Number(v));
const toBigInts = (ms) => Array.from(ms ?? [], (v) => BigInt(v.valueOf()));

// streamer.read() cannot be cancelled: a read that lost a race against a timer would
// swallow the next frame. So keep at most one read in flight per streamer and reuse it.
const pendingReads = new WeakMap();
async function readWithin(streamer, ms) {
  let p = pendingReads.get(streamer);
  if (p == null) {
    p = streamer.read().then(
      (frame) => ({ frame }),
      (error) => ({ error }),
    );
    pendingReads.set(streamer, p);
  }
  let timer;
  const r = await Promise.race([
    p,
    new Promise((resolve) => {
      timer = setTimeout(() => resolve(null), ms);
    }),
  ]);
  clearTimeout(timer);
  if (r == null) return null;
  pendingReads.delete(streamer);
  if (r.error != null) throw r.error;
  return r.frame;
}

/** Reads frames from a streamer until done(acc) holds; acc maps key -> values. */
async function readUntil(streamer, keys, done, ms, what) {
  const acc = new Map(keys.map((k) => [k, []]));
  const frames = [];
  const deadline = Date.now() + ms;
  while (!done(acc)) {
    const left = deadline - Date.now();
    if (left <= 0) break;
    const fr = await readWithin(streamer, left);
    if (fr == null) break;
    frames.push(fr);
    for (const k of keys) if (fr.has(k)) acc.get(k).push(...Array.from(fr.get(k)));
  }
  if (!done(acc)) {
    const got = keys.map((k) => `${k}:${acc.get(k).length}`).join(" ");
    fail(`${what}: got ${frames.length} frame(s), samples per key ${got}`);
  }
  return { acc, frames };
}

async function newIndexedPair(client, tag) {
  const idx = await client.channels.create({
    name: `compat_${tag}_time_${suffix}`,
    dataType: DataType.TIMESTAMP,
    isIndex: true,
  });
  const data = await client.channels.create({
    name: `compat_${tag}_data_${suffix}`,
    dataType: DataType.FLOAT64,
    index: idx.key,
  });
  return [idx, data];
}

// ------------------------------------------------------------------ the scenario

console.log(`# @synnaxlabs/client scenario against ${host}:${port}`);
const client = newClient();
let idx, data; // main indexed pair
const values = Array.from({ length: 30 }, (_, i) => (i + 1) * 1.5);
let streamer; // opened before the writer
let streamedResult;

// Unary -----------------------------------------------------------------------------

await check("connectivity check", async () => {
  const state = await client.connectivity.check();
  assert(state.status === "connected", `status ${state.status}: ${state.message}`);
  assert(
    state.clientServerCompatible === true,
    `clientServerCompatible=${state.clientServerCompatible} (node_version ${state.nodeVersion})`,
  );
});

await check("create index + data channels", async () => {
  [idx, data] = await newIndexedPair(client, "main");
  assert(typeof idx.key === "number" && idx.key > 0, `bad index key ${idx.key}`);
  assert(idx.isIndex === true, "index channel isIndex != true");
  eq(idx.index, idx.key, "index channel's index");
  eq(idx.dataType.toString(), "timestamp", "index data type");
  eq(data.index, idx.key, "data channel's index");
  eq(data.dataType.toString(), "float64", "data data type");
  assert(data.key !== idx.key, "same key for both channels");
});

// A fresh client has an empty channel cache, so its retrieves reach the server.
const reader = newClient();
await check(
  "retrieve channel by key",
  async () => {
    const ch = await reader.channels.retrieve(data.key);
    eq(ch.key, data.key, "key");
    eq(ch.name, data.name, "name");
    eq(ch.index, idx.key, "index");
    eq(ch.dataType.toString(), "float64", "data type");
  },
  { deps: ["create index + data channels"] },
);

await check(
  "retrieve channel by name",
  async () => {
    const ch = await newClient().channels.retrieve(idx.name);
    eq(ch.key, idx.key, "key");
    assert(ch.isIndex === true, "isIndex != true");
  },
  { deps: ["create index + data channels"] },
);

await check(
  "retrieve several keys",
  async () => {
    const chs = await newClient().channels.retrieve([idx.key, data.key]);
    eq(chs.map((c) => c.key).sort(), [idx.key, data.key].sort(), "keys");
  },
  { deps: ["create index + data channels"] },
);

await check("retrieve missing key -> NotFoundError", async () => {
  await expectReject(
    () => newClient().channels.retrieve(1048576 + 987654),
    NotFoundError,
    "retrieve(1036230)",
  );
});

await check(
  "retrieve list with a missing key -> NotFoundError",
  async () => {
    await expectReject(
      () => newClient().channels.retrieve([idx.key, 1048576 + 987654]),
      NotFoundError,
      "retrieve([idx, missing])",
    );
  },
  { deps: ["create index + data channels"] },
);

await check("retrieve unknown name -> empty list", async () => {
  const chs = await newClient().channels.retrieve([`compat_nope_${suffix}`]);
  eq(chs.length, 0, "result length");
});

await check("retrieve channel group", async () => {
  const g = await client.channels.retrieveGroup();
  eq(g.name, "Channels", "group name");
});

await check("rename and delete a channel", async () => {
  const [ti] = await client.channels.create([
    { name: `compat_tmp_${suffix}`, dataType: DataType.TIMESTAMP, isIndex: true },
  ]);
  const newName = `compat_renamed_${suffix}`;
  await client.channels.rename(ti.key, newName);
  const after = await newClient().channels.retrieve(ti.key);
  eq(after.name, newName, "name after rename");
  await client.channels.delete(ti.key);
  await expectReject(
    () => newClient().channels.retrieve(ti.key),
    NotFoundError,
    "retrieve after delete",
  );
});

await check("wrong password -> AuthError", async () => {
  const bad = newClient({ password: "definitely-not-seldon" });
  await expectReject(() => bad.channels.retrieve([1048577]), AuthError, "retrieve");
});

// Streaming and writing -------------------------------------------------------------

await check(
  "open streamer on index + data",
  async () => {
    streamer = await client.openStreamer([idx.key, data.key]);
    eq(streamer.keys.slice().sort(), [idx.key, data.key].sort(), "streamer keys");
  },
  { deps: ["create index + data channels"] },
);

await check(
  "writer: open, write 3x10 samples, commit, close",
  async () => {
    const writer = await client.openWriter({ start: seconds(1), channels: [idx.key, data.key] });
    try {
      for (let b = 0; b < 3; b++) {
        await writer.write({
          [idx.key]: secondsRange(1 + b * 10, 10),
          [data.key]: new Float64Array(values.slice(b * 10, b * 10 + 10)),
        });
      }
      const end = await writer.commit();
      eq(nsOf(end), nsOf(seconds(30)) + 1n, "commit end (last timestamp + 1 ns)");
    } finally {
      await writer.close();
    }
  },
  { deps: ["create index + data channels"] },
);

await check(
  "streamer receives the written frames",
  async () => {
    streamedResult = await readUntil(
      streamer,
      [idx.key, data.key],
      (acc) => acc.get(data.key).length >= 30 && acc.get(idx.key).length >= 30,
      3000,
      "streamed samples",
    );
    eq(toNumbers(streamedResult.acc.get(data.key)), values, "streamed data values");
    eq(
      toBigInts(streamedResult.acc.get(idx.key)),
      secondsRange(1, 30).map(nsOf),
      "streamed index values",
    );
  },
  { deps: ["open streamer on index + data", "writer: open, write 3x10 samples, commit, close"] },
);

await check(
  "streamer close",
  async () => {
    streamer.close();
    // After close, the server ends the stream: read() then throws EOF.
    for (let i = 0; i < 100; i++) {
      let fr;
      try {
        fr = await readWithin(streamer, 3000);
      } catch (err) {
        if (err?.type === "freighter.eof") return;
        fail(`expected EOF after close, got ${describe(err)}`);
      }
      if (fr == null) fail("stream did not end within 3 s of close");
    }
    fail("stream kept delivering frames after close");
  },
  { deps: ["open streamer on index + data"] },
);

const mainWritten = ["writer: open, write 3x10 samples, commit, close"];

await check(
  "iterator: seekFirst + next(1 s) x29",
  async () => {
    const it = await client.openIterator(new TimeRange(seconds(1), seconds(30)), [
      idx.key,
      data.key,
    ]);
    try {
      assert((await it.seekFirst()) === true, "seekFirst returned false");
      let n = 0;
      const seen = [];
      while (await it.next(TimeSpan.seconds(1))) {
        n++;
        eq(it.value.get(idx.key).length, 1, `index samples in step ${n}`);
        eq(it.value.get(data.key).length, 1, `data samples in step ${n}`);
        seen.push(...toNumbers(it.value.get(data.key)));
        if (n > 40) fail("next() did not stop");
      }
      eq(n, 29, "number of successful next(1 s) calls");
      eq(seen, values.slice(0, 29), "iterated data values");
    } finally {
      await it.close();
    }
  },
  { deps: mainWritten },
);

await check(
  "iterator: chunkSize 4 with next(AUTO)",
  async () => {
    const it = await client.openIterator(TimeRange.MAX, [idx.key, data.key], { chunkSize: 4 });
    try {
      assert((await it.seekFirst()) === true, "seekFirst returned false");
      const sizes = [];
      const all = [];
      const allIdx = [];
      while (await it.next(new TimeSpan(-1))) {
        sizes.push(it.value.get(data.key).length);
        all.push(...toNumbers(it.value.get(data.key)));
        allIdx.push(...toBigInts(it.value.get(idx.key)));
        if (sizes.length > 20) fail("next(AUTO) did not stop");
      }
      eq(sizes, [4, 4, 4, 4, 4, 4, 4, 2], "chunk sizes");
      eq(all, values, "data values");
      eq(allIdx, secondsRange(1, 30).map(nsOf), "index values");
    } finally {
      await it.close();
    }
  },
  { deps: mainWritten },
);

await check(
  "iterator: downsampleFactor 2",
  async () => {
    const it = await client.openIterator(TimeRange.MAX, [data.key], { downsampleFactor: 2 });
    try {
      assert((await it.seekFirst()) === true, "seekFirst returned false");
      const got = [];
      while (await it.next(new TimeSpan(-1))) {
        got.push(...toNumbers(it.value.get(data.key)));
        if (got.length > 100) fail("next(AUTO) did not stop");
      }
      eq(got, values.filter((_, i) => i % 2 === 0), "downsampled values");
    } finally {
      await it.close();
    }
  },
  { deps: mainWritten },
);

await check(
  "client.read over the range",
  async () => {
    const ms = await client.read(new TimeRange(seconds(1), seconds(31)), data.key);
    eq(toNumbers(ms), values, "read values");
    const fr = await client.read(new TimeRange(seconds(5), seconds(10)), [idx.key, data.key]);
    eq(toNumbers(fr.get(data.key)), values.slice(4, 9), "read [5 s, 10 s) data");
    eq(toBigInts(fr.get(idx.key)), secondsRange(5, 5).map(nsOf), "read [5 s, 10 s) index");
  },
  { deps: mainWritten },
);

await check(
  "readLatest",
  async () => {
    const ms = await client.readLatest(data.key, 3);
    eq(toNumbers(ms), values.slice(27), "latest 3");
    const all = await client.readLatest(data.key, 100);
    eq(toNumbers(all), values, "latest 100 (more than stored)");
  },
  { deps: mainWritten },
);

await check("writer: data length mismatch -> ValidationError", async () => {
  const [i2, d2] = await newIndexedPair(client, "len");
  const writer = await client.openWriter({ start: seconds(1), channels: [i2.key, d2.key] });
  await expectReject(
    async () => {
      await writer.write({
        [i2.key]: secondsRange(1, 10),
        [d2.key]: new Float64Array(11).fill(1),
      });
      await writer.commit();
      await writer.close();
    },
    ValidationError,
    "write/commit/close",
  );
});

await check("writer: out-of-order timestamps -> ValidationError", async () => {
  const [i3, d3] = await newIndexedPair(client, "ooo");
  const writer = await client.openWriter({ start: TimeStamp.now(), channels: [i3.key, d3.key] });
  await expectReject(
    async () => {
      for (let i = 0; i < 10; i++) {
        await sleep(20);
        // Timestamps far before the writer's start, and not increasing across writes.
        await writer.write({ [i3.key]: new TimeStamp(10 - i), [d3.key]: i });
      }
      await writer.commit();
    },
    ValidationError,
    "writes",
  );
  await expectReject(() => writer.close(), ValidationError, "close after error");
});

await check("streamer: downsampleFactor 2", async () => {
  const [i4, d4] = await newIndexedPair(client, "ds");
  const s = await client.openStreamer({ channels: [d4.key], downsampleFactor: 2 });
  try {
    const writer = await client.openWriter({ start: seconds(1), channels: [i4.key, d4.key] });
    try {
      await writer.write({
        [i4.key]: secondsRange(1, 10),
        [d4.key]: new Float64Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
      });
    } finally {
      await writer.close();
    }
    const { acc } = await readUntil(s, [d4.key], (a) => a.get(d4.key).length >= 5, 3000, "frames");
    eq(toNumbers(acc.get(d4.key)), [1, 3, 5, 7, 9], "downsampled stream");
  } finally {
    s.close();
  }
});

await check("streamer: excludeGroups", async () => {
  const [i5, d5] = await newIndexedPair(client, "grp");
  const s = await client.openStreamer({ channels: [d5.key], excludeGroups: [42] });
  try {
    const w42 = await client.openWriter({
      start: seconds(1),
      channels: [i5.key, d5.key],
      controlSubject: { name: "compat_grouped", key: `compat_${suffix}`, group: 42 },
    });
    try {
      await w42.write({ [i5.key]: secondsRange(1, 3), [d5.key]: new Float64Array([1, 2, 3]) });
      await w42.commit();
    } finally {
      await w42.close();
    }
    const first = await readWithin(s, 500);
    if (first != null && first.has(d5.key) && first.get(d5.key).length > 0)
      fail(`frame from excluded group 42 was delivered: ${toNumbers(first.get(d5.key))}`);
    // Group 0 (default) is never excluded.
    const w0 = await client.openWriter({ start: seconds(10), channels: [i5.key, d5.key] });
    try {
      await w0.write({ [i5.key]: secondsRange(10, 3), [d5.key]: new Float64Array([7, 8, 9]) });
    } finally {
      await w0.close();
    }
    const { acc } = await readUntil(s, [d5.key], (a) => a.get(d5.key).length >= 3, 3000, "frames");
    eq(toNumbers(acc.get(d5.key)), [7, 8, 9], "group-0 writer's data");
  } finally {
    s.close();
  }
});

await check("streamer: update to a new channel set", async () => {
  const [i6, d6] = await newIndexedPair(client, "upd");
  const s = await client.openStreamer([d6.key]);
  try {
    const w = await client.openWriter({ start: seconds(1), channels: [i6.key, d6.key] });
    try {
      await w.write({ [i6.key]: secondsRange(1, 2), [d6.key]: new Float64Array([1, 2]) });
      const a = await readUntil(s, [d6.key], (m) => m.get(d6.key).length >= 2, 3000, "before update");
      eq(toNumbers(a.acc.get(d6.key)), [1, 2], "data before update");
      for (const fr of a.frames)
        assert(!fr.has(i6.key), "index channel streamed before it was subscribed");

      await s.update([d6.key, i6.key]);
      eq(s.keys.slice().sort(), [i6.key, d6.key].sort(), "streamer keys after update");
      await sleep(300); // the update has no reply; give the server time to apply it
      await w.write({ [i6.key]: secondsRange(3, 2), [d6.key]: new Float64Array([3, 4]) });
      const b = await readUntil(
        s,
        [d6.key, i6.key],
        (m) => m.get(d6.key).length >= 2 && m.get(i6.key).length >= 2,
        3000,
        "after update",
      );
      eq(toNumbers(b.acc.get(d6.key)), [3, 4], "data after update");
      eq(toBigInts(b.acc.get(i6.key)), secondsRange(3, 2).map(nsOf), "index after update");

      await s.update([i6.key]);
      await sleep(300);
      await w.write({ [i6.key]: secondsRange(5, 1), [d6.key]: new Float64Array([5]) });
      const c = await readUntil(s, [i6.key], (m) => m.get(i6.key).length >= 1, 3000, "narrowed");
      for (const fr of c.frames)
        assert(!fr.has(d6.key), "data channel still streamed after it was removed");
    } finally {
      await w.close();
    }
  } finally {
    s.close();
  }
});

finish();
