/** maxConcurrent: turns beyond the limit wait in order, an abort leaves the queue, the load counts both. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { ConcurrencyGate } from "./concurrencyGate.js";

test("a gate of two lets two in, queues the rest in order, and drops an aborted waiter", async () => {
  const gate = new ConcurrencyGate(2);
  await gate.acquire();
  await gate.acquire();
  const order: string[] = [];
  const third = gate.acquire().then(() => order.push("third"));
  const controller = new AbortController();
  const aborted = gate.acquire(controller.signal).then(
    () => order.push("aborted one ran"),
    () => order.push("aborted one left"),
  );
  const fifth = gate.acquire().then(() => order.push("fifth"));
  assert.equal(gate.load, 5);
  controller.abort();
  await aborted;
  assert.equal(gate.load, 4);
  gate.release();
  await third;
  gate.release();
  await fifth;
  assert.deepEqual(order, ["aborted one left", "third", "fifth"]);
  assert.equal(gate.load, 2);
  const open = new ConcurrencyGate(null);
  for (let i = 0; i < 10; i++) await open.acquire();
  assert.equal(open.load, 10, "no limit: nobody waits");
});
