/**
 * Answers files: good lines parse in order; every bad line is reported with its line number, field
 * and reason, all at once.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { AnswersFileError, parseAnswers } from "./answersFile.js";

test("answers parse in order, skipping blank and comment lines", () => {
  const answers = parseAnswers(
    ['{"role":"you","content":"Blue."}', "", "// the tie", '{"decision":"B","reason":"clearer"}', '{"at":{"round":2},"content":"Hurry up.","to":["writer"]}'].join("\n"),
    "a.jsonl",
  );
  assert.deepEqual(answers, [
    { role: "you", content: "Blue." },
    { decision: "B", reason: "clearer" },
    { at: { round: 2 }, content: "Hurry up.", to: ["writer"] },
  ]);
});

test("bad lines are named with their line, field and reason", () => {
  assert.throws(
    () => parseAnswers(['{"content":"ok"}', "{nope", '{"content":"x","decision":"A"}', '{"content":"x","confidence":2}', '{"content":"x","at":{"seq":3}}'].join("\n"), "bad.jsonl"),
    (e: unknown) => {
      assert.ok(e instanceof AnswersFileError);
      assert.match(e.message, /^bad\.jsonl: /);
      assert.match(e.message, /line 2: not JSON/);
      assert.match(e.message, /line 3: \(root\): a line has either `content`/);
      assert.match(e.message, /line 4: confidence: /);
      assert.match(e.message, /line 5: at: /);
      return true;
    },
  );
});
