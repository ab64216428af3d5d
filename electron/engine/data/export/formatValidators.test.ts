import { strict as assert } from "node:assert";
import { test } from "node:test";
import { parseJsonl } from "./formatValidators.js";
import { openAIChatErrors, openAIDpoErrors, sessionJsonErrors, shareGptErrors, trlPreferenceErrors } from "./test/formatErrors.js";

const ok = (errors: string[]): void => assert.deepEqual(errors, []);
const bad = (errors: string[], pattern: RegExp): void =>
  assert.ok(errors.some((e) => pattern.test(e)), `expected ${pattern} among ${JSON.stringify(errors)}`);

test("parseJsonl wants one JSON value per line and a final newline", () => {
  assert.deepEqual(parseJsonl('{"a":1}\n{"b":2}\n'), [{ a: 1 }, { b: 2 }]);
  assert.deepEqual(parseJsonl(""), []);
  assert.throws(() => parseJsonl('{"a":1}'), /newline/);
  assert.throws(() => parseJsonl('{"a":1}\n\n{"b":2}\n'), /empty/);
  assert.throws(() => parseJsonl("{nope}\n"));
});

test("OpenAI chat: accepts a valid example, rejects each broken rule", () => {
  const good = {
    messages: [
      { role: "system", content: "s" },
      { role: "user", name: "critic_2", content: "u" },
      { role: "assistant", content: "a", weight: 0 },
      { role: "user", content: "u2" },
      { role: "assistant", content: "a2", weight: 1 },
    ],
  };
  ok(openAIChatErrors(good));
  const withMessages = (messages: unknown[]): unknown => ({ messages });
  bad(openAIChatErrors(withMessages([{ role: "user", name: "bad name", content: "u" }, { role: "assistant", content: "a" }])), /name/);
  bad(openAIChatErrors(withMessages([{ role: "user", name: "x".repeat(65), content: "u" }, { role: "assistant", content: "a" }])), /name/);
  bad(openAIChatErrors(withMessages([{ role: "user", content: "u" }])), /no assistant message/);
  bad(openAIChatErrors(withMessages([{ role: "assistant", content: "a" }, { role: "user", content: "u" }])), /last message/);
  bad(openAIChatErrors(withMessages([{ role: "user", content: "u", weight: 1 }, { role: "assistant", content: "a" }])), /weight on a user/);
  bad(openAIChatErrors(withMessages([{ role: "user", content: "u" }, { role: "assistant", content: "a", weight: 2 }])), /0 or 1/);
  bad(openAIChatErrors(withMessages([{ role: "tool", content: "u" }, { role: "assistant", content: "a" }])), /role/);
  bad(openAIChatErrors(withMessages([{ role: "user", content: "" }, { role: "assistant", content: "a" }])), /empty/);
  bad(openAIChatErrors(withMessages([{ role: "user", content: "u" }, { role: "system", content: "s" }, { role: "assistant", content: "a" }])), /system message after/);
  bad(openAIChatErrors({ ...good, meta: 1 }), /unexpected key "meta"/);
  bad(openAIChatErrors({ messages: [] }), /non-empty/);
});

test("ShareGPT: accepts strict alternation, rejects gpt first, human last, doubled sides", () => {
  ok(shareGptErrors({ conversations: [{ from: "human", value: "q" }, { from: "gpt", value: "a" }], system: "s" }));
  ok(shareGptErrors({ conversations: [{ from: "human", value: "q" }, { from: "function_call", value: "f" }, { from: "observation", value: "o" }, { from: "gpt", value: "a" }] }));
  bad(shareGptErrors({ conversations: [{ from: "gpt", value: "a" }, { from: "human", value: "q" }, { from: "gpt", value: "a" }] }), /conversations\[0\]/);
  bad(shareGptErrors({ conversations: [{ from: "human", value: "q" }, { from: "gpt", value: "a" }, { from: "human", value: "q" }] }), /last turn/);
  bad(shareGptErrors({ conversations: [{ from: "human", value: "q" }, { from: "human", value: "q" }, { from: "gpt", value: "a" }] }), /conversations\[1\]/);
  bad(shareGptErrors({ conversations: [{ from: "user", value: "q" }, { from: "gpt", value: "a" }] }), /conversations\[0\]/);
  bad(shareGptErrors({ conversations: [{ from: "human", value: "q", name: "x" }, { from: "gpt", value: "a" }] }), /unexpected key "name"/);
  ok(shareGptErrors({ conversations: [{ from: "human", value: "q" }], chosen: { from: "gpt", value: "a" }, rejected: { from: "gpt", value: "b" } }, true));
  bad(shareGptErrors({ conversations: [{ from: "human", value: "q" }], chosen: { from: "human", value: "a" }, rejected: { from: "gpt", value: "b" } }, true), /chosen/);
});

test("TRL preference: string form and message form, never mixed", () => {
  ok(trlPreferenceErrors({ prompt: "p", chosen: "c", rejected: "r" }));
  ok(trlPreferenceErrors({
    prompt: [{ role: "user", content: "p" }],
    chosen: [{ role: "assistant", content: "c" }],
    rejected: [{ role: "assistant", content: "r" }],
  }));
  bad(trlPreferenceErrors({ prompt: "p", chosen: [{ role: "assistant", content: "c" }], rejected: "r" }), /strings too/);
  bad(trlPreferenceErrors({ prompt: [{ role: "user", content: "p" }], chosen: "c", rejected: "r" }), /message lists too/);
  bad(trlPreferenceErrors({ prompt: [{ role: "user", content: "p" }], chosen: [{ role: "user", content: "c" }], rejected: [{ role: "assistant", content: "r" }] }), /chosen\[0\]: role/);
  bad(trlPreferenceErrors({ prompt: "p", chosen: "same", rejected: "same" }), /the same/);
  bad(trlPreferenceErrors({ prompt: "p", chosen: "c" }), /missing "rejected"/);
});

test("OpenAI DPO: input.messages plus one-sided assistant outputs", () => {
  const good = {
    input: { messages: [{ role: "user", content: "p" }] },
    preferred_output: [{ role: "assistant", content: "c" }],
    non_preferred_output: [{ role: "assistant", content: "r" }],
  };
  ok(openAIDpoErrors(good));
  bad(openAIDpoErrors({ ...good, input: { messages: [] } }), /input.messages/);
  bad(openAIDpoErrors({ ...good, preferred_output: [{ role: "user", content: "c" }] }), /preferred_output\[0\]: role/);
  bad(openAIDpoErrors({ input: good.input, preferred_output: good.preferred_output }), /non_preferred_output/);
});

test("session JSON: header keys and schema-valid messages", () => {
  const message = {
    id: "m1", sessionId: "s", seq: 1, from: "a", to: "all", type: "answer", content: "x", referencesTo: [], confidence: null,
    provenance: null, usage: null, createdAt: 1, round: null, repairs: [], routing: null, rating: null, votesReceived: 0,
  };
  const doc = { format: "conclave.session", version: 1, session: {}, assignments: [], swaps: [], votes: [], ratings: [], roleStats: [], messages: [message] };
  ok(sessionJsonErrors(doc));
  bad(sessionJsonErrors({ ...doc, messages: [{ ...message, seq: 0 }] }), /seq/);
  bad(sessionJsonErrors({ ...doc, messages: [{ ...message, rating: 3 }] }), /rating/);
  bad(sessionJsonErrors({ ...doc, format: "other" }), /format/);
  bad(sessionJsonErrors({ format: "conclave.session", version: 1, messages: [] }), /missing "swaps"/);
});
