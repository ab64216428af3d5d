import { test } from "node:test";
import assert from "node:assert/strict";
import { END, scriptGraph } from "./scriptGraph.js";

const SPECIALS = ["<think>", "</think>", "<|im_end|>"];

test("one script is a chain of steps that spell it, ending at the end token", () => {
  const g = scriptGraph(["<think>\nabababababab\n</think>\n\nok"], SPECIALS);
  assert.equal(g.paths[0]!.map((i) => g.steps[i]!.text).join(""), "<think>\nabababababab\n</think>\n\nok");
  assert.deepEqual(g.start, [g.paths[0]![0]]);
  assert.deepEqual(g.next[g.paths[0]!.at(-1)!], [END]);
  const texts = g.steps.flatMap((s) => (s.kind === "text" ? [s.byteLevel] : []));
  assert.equal(new Set(texts).size, texts.length, "pieces are unique although the text repeats");
  assert.ok(texts.every((t) => t.length >= 2), "no piece is a single byte");
});

test("long repetitive text still cuts into unique pieces to its last character", () => {
  const text = "Lorem ipsum dolor sit amet. ".repeat(40);
  const g = scriptGraph([text], SPECIALS);
  const pieces = g.paths[0]!.map((i) => g.steps[i]!);
  assert.equal(pieces.map((p) => p.text).join(""), text);
  const texts = pieces.map((p) => (p.kind === "text" ? p.byteLevel : p.text));
  assert.equal(new Set(texts).size, texts.length);
});

test("scripts share their common first steps and branch, earlier scripts first", () => {
  const g = scriptGraph(['{"type":"proposal"}', '{"type":"vote"}', '{"type":"proposal"} and more'], SPECIALS);
  const [a, b, c] = g.paths as [number[], number[], number[]];
  assert.equal(a[0], b[0]);
  const split = a.findIndex((step, i) => b[i] !== step);
  assert.ok(split > 0);
  assert.deepEqual(g.next[a[split - 1]!]!.slice(0, 2), [a[split], b[split]], "the first script's step comes first");
  // A script that goes on after another ends: the end token comes first, the longer script after it.
  assert.equal(c.slice(0, a.length).join(), a.join());
  assert.deepEqual(g.next[a.at(-1)!], [END, c[a.length]]);
});

test("scripts that cannot be scripted are refused with the script, position and reason", () => {
  assert.throws(() => scriptGraph(["<think>ab</think><think>cd</think>"], SPECIALS), /script uses the special token <think> at character 17/);
  assert.throws(() => scriptGraph(["<think>ab</think>", "xy<think>ab</think>"], SPECIALS), /script 2 uses the special token <think> at character 2/);
  // The same special token at the same point of two scripts is one shared step.
  const shared = scriptGraph(["<think>ab</think>yes", "<think>ab</think>no"], SPECIALS);
  assert.equal(shared.steps.filter((s) => s.text === "<think>").length, 1);
  assert.throws(() => scriptGraph(["<think>\n</think>"], SPECIALS), /script text "\\n" at character 7 cannot be scripted/);
  assert.throws(() => scriptGraph(["x"], SPECIALS), /cannot be scripted/);
});
