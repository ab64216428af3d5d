/** The shared emitter: every listener hears each event once, in order, even when one throws. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Emitter } from "./emitter.js";

test("every listener hears every event, in the order they were added", () => {
  const e = new Emitter<number>();
  const heard: string[] = [];
  e.on((n) => heard.push(`a${n}`));
  e.on((n) => heard.push(`b${n}`));
  e.emit(1);
  e.emit(2);
  assert.deepEqual(heard, ["a1", "b1", "a2", "b2"]);
  assert.equal(e.size, 2);
});

test("a throwing listener does not stop the others or the emitter", () => {
  const e = new Emitter<string>();
  const heard: string[] = [];
  e.on(() => {
    throw new Error("broken subscriber");
  });
  e.on((s) => heard.push(s));
  assert.doesNotThrow(() => e.emit("x"));
  e.emit("y");
  assert.deepEqual(heard, ["x", "y"]);
});

test("the returned function removes only its listener; clear removes all", () => {
  const e = new Emitter<number>();
  const heard: number[] = [];
  const off = e.on((n) => heard.push(n));
  e.on((n) => heard.push(n * 10));
  off();
  off();
  e.emit(3);
  assert.deepEqual(heard, [30]);
  e.clear();
  e.emit(4);
  assert.deepEqual(heard, [30]);
  assert.equal(e.size, 0);
});

test("a listener that removes itself while an event is emitted is not called again", () => {
  const e = new Emitter<number>();
  const heard: number[] = [];
  const off = e.on((n) => {
    heard.push(n);
    off();
  });
  e.emit(1);
  e.emit(2);
  assert.deepEqual(heard, [1]);
});
