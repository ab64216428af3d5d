import { test } from "node:test";
import assert from "node:assert/strict";
import { defaultThreads } from "./threads.js";

test("small machines keep a core for the app; large ones use every math core; the env overrides", () => {
  assert.equal(defaultThreads(1, {}), 1);
  assert.equal(defaultThreads(2, {}), 1);
  assert.equal(defaultThreads(4, {}), 3);
  assert.equal(defaultThreads(8, {}), 8);
  assert.equal(defaultThreads(2, { CONCLAVE_THREADS: "2" }), 2);
  assert.equal(defaultThreads(2, { CONCLAVE_THREADS: "zero" }), 1);
});
