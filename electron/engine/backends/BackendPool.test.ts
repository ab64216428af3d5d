/**
 * Pool mechanics that need no model: the circuit breaker, monitoring and the fallback chain, with
 * real backends pointed at a port nothing listens on (real connection refusals, no doubles). The
 * pool against live servers, fallbacks mid-stream and budgets are in electron/host/compat/.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { BackendPool } from "./BackendPool.js";
import { CircuitBreaker } from "./circuitBreaker.js";
import { BackendMonitor } from "./monitor.js";
import { OpenAiBackend } from "./OpenAiBackend.js";
import { OllamaBackend } from "./OllamaBackend.js";
import { backoffMs } from "./retry.js";

const DEAD = "http://127.0.0.1:9";
const ask = { turns: [{ role: "user" as const, content: "hi" }] };

describe("circuit breaker", () => {
  test("opens after the threshold, half-opens after the cooldown, closes on a good trial", () => {
    let now = 0;
    const c = new CircuitBreaker({ threshold: 2, cooldownMs: 1000, now: () => now });
    c.failure();
    assert.equal(c.state, "closed");
    c.failure();
    assert.equal(c.state, "open");
    assert.equal(c.tryAcquire(), false);
    now = 1000;
    assert.equal(c.state, "half-open");
    assert.equal(c.tryAcquire(), true);
    assert.equal(c.tryAcquire(), false, "one trial at a time");
    c.failure();
    assert.equal(c.state, "open", "a failed trial re-opens");
    now = 2000;
    assert.equal(c.tryAcquire(), true);
    c.success();
    assert.equal(c.state, "closed");
  });
});

describe("monitor and backoff", () => {
  test("calls, success rate, average and nearest-rank p95, last error", () => {
    const m = new BackendMonitor();
    for (let i = 1; i <= 20; i++) m.record(i !== 7, i * 10, i === 7 ? "boom" : undefined);
    const s = m.stats();
    assert.equal(s.calls, 20);
    assert.equal(s.successRate, 19 / 20);
    assert.equal(s.avgLatencyMs, 105);
    assert.equal(s.p95LatencyMs, 190);
    assert.equal(s.lastError, "boom");
  });

  test("backoff doubles with jitter and a cap", () => {
    for (let i = 0; i < 20; i++) {
      const d1 = backoffMs(1, { baseMs: 100 });
      const d3 = backoffMs(3, { baseMs: 100 });
      assert.ok(d1 >= 75 && d1 <= 125 && d3 >= 300 && d3 <= 500);
      assert.ok(backoffMs(30, { baseMs: 100, maxMs: 1000 }) <= 1250);
    }
  });
});

describe("pool over unreachable servers", () => {
  test("retries, walks the fallback chain, then opens the circuit and skips the backend", async () => {
    const pool = new BackendPool({
      backends: [
        new OpenAiBackend({ name: "a", baseUrl: `${DEAD}/v1`, retries: 1, fallback: ["b"] }),
        new OllamaBackend({ name: "b", baseUrl: DEAD, model: "m", retries: 0 }),
      ],
      circuit: { threshold: 2, cooldownMs: 60_000 },
      backoff: { baseMs: 1 },
    });
    await assert.rejects(pool.generateTurn("r", ask), /every backend failed for 'r': a: .*; b: /);
    const after1 = pool.stats();
    assert.equal(after1.a?.calls, 2, "one retry");
    assert.equal(after1.a?.circuit, "open");
    assert.equal(after1.b?.calls, 1);
    assert.ok(after1.a?.lastError);
    await assert.rejects(pool.generateTurn("r", ask), /a: circuit open/);
    assert.equal(pool.stats().a?.calls, 2, "an open circuit is not called");
  });

  test("a named backend must exist; a disabled one is skipped unless named", async () => {
    const pool = new BackendPool({ backends: [new OpenAiBackend({ name: "a", baseUrl: `${DEAD}/v1`, retries: 0, enabled: false })] });
    await assert.rejects(pool.generateTurn("r", { ...ask, backend: "zzz" }), /no backend named 'zzz'/);
    await assert.rejects(pool.generateTurn("r", ask), /no enabled backend/);
    await assert.rejects(pool.generateTurn("r", { ...ask, backend: "a" }), /every backend failed/);
  });
});

describe("seat routes and session scopes", () => {
  test("a seat's route leads its turns with its own chain, in its session only; a session's backends go with it", async () => {
    const dead = (name: string, fallback: string[] = []) => new OpenAiBackend({ name, baseUrl: `${DEAD}/v1`, model: "m", retries: 0, fallback });
    const pool = new BackendPool({ backends: [dead("a", ["c"]), dead("b"), dead("c")], backoff: { baseMs: 1 }, circuit: { threshold: 100 } });
    pool.openSession("s1", {
      routes: new Map([["critic", { backend: "b", fallback: ["a"], source: "the experiment" }]]),
      policy: null,
      backends: [new OllamaBackend({ name: "mine", baseUrl: DEAD, model: "m", retries: 0 })],
    });
    // The role's own chain replaces the backend's: b, then a, and not a's fallback c.
    const routed = await pool.generateTurn("critic", { ...ask, sessionId: "s1" }).catch((e: Error) => e.message);
    assert.match(String(routed), /^every backend failed for 'critic': b: .*; a: /);
    assert.doesNotMatch(String(routed), /; c: /);
    // The same role name in another session has no route: pool order, then a's own chain.
    assert.match(String(await pool.generateTurn("critic", { ...ask, sessionId: "s2" }).catch((e: Error) => e.message)), /^every backend failed for 'critic': a: .*; c: /);
    // A session's own backend serves that session's seats only.
    pool.assign({ sessionId: "s1", role: "writer" }, { backend: "mine", fallback: [] });
    assert.match(String(await pool.generateTurn("writer", { ...ask, sessionId: "s1" }).catch((e: Error) => e.message)), /'writer': mine: /);
    assert.throws(() => pool.assign({ sessionId: "s2", role: "writer" }, { backend: "mine", fallback: [] }), /no backend named 'mine'/);
    assert.deepEqual(pool.sessionBackends().map((b) => `${b.sessionId}:${b.config.name}:${b.stats.calls}`), ["s1:mine:1"]);
    pool.closeSession("s1");
    assert.equal(pool.routeOf({ sessionId: "s1", role: "critic" }), null);
    assert.deepEqual(pool.sessionBackends(), []);
    assert.throws(() => pool.assign({ sessionId: "s1", role: "writer" }, { backend: "mine", fallback: [] }), /no backend named 'mine'/);
  });

  test("a disabled backend at the head of a route gives way to the next in its chain", async () => {
    const pool = new BackendPool({
      backends: [new OpenAiBackend({ name: "off", baseUrl: `${DEAD}/v1`, model: "m", enabled: false }), new OpenAiBackend({ name: "on", baseUrl: `${DEAD}/v1`, model: "m", retries: 0 })],
    });
    pool.assign({ sessionId: null, role: "r" }, { backend: "off", fallback: ["on"] });
    await assert.rejects(pool.generateTurn("r", ask), /^Error: every backend failed for 'r': on: /);
    pool.assign({ sessionId: null, role: "r" }, { backend: "off", fallback: [] });
    await assert.rejects(pool.generateTurn("r", ask), /no enabled backend for 'r' in its chain \(off\)/);
  });
});
