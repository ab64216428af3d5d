import { test } from "node:test";
import assert from "node:assert/strict";
import type { Message, MessageType } from "../../../../shared/conversation.js";
import { compareTranscripts, describeComparison } from "./compareTranscripts.js";

let n = 0;
function msg(seq: number, from: string, type: MessageType, content: string): Message {
  return { id: `m${++n}`, sessionId: "s", seq, from, to: "all", type, content, referencesTo: [], confidence: null, provenance: null, usage: null, createdAt: seq, round: 1, repairs: [], routing: null };
}

const source = [msg(1, "user", "question", "task"), msg(2, "system", "system", "Protocol: pipeline a → b. Seed 1."), msg(3, "a", "proposal", "one"), msg(4, "b", "critique", "two")];

test("identical transcripts: everything matches, nothing diverges", () => {
  const r = compareTranscripts(source, source.map((m) => ({ ...m, id: `${m.id}-copy`, createdAt: m.createdAt + 100 })));
  assert.deepEqual(r, { compared: { source: 4, replay: 4 }, matched: 4, differing: 0, sourceOnly: 0, replayOnly: 0, firstDivergence: null });
  assert.equal(describeComparison(r), "identical: 4 messages match in speaker, type and content");
});

test("the first differing message is named on both sides, with what differs and the counts", () => {
  const replay = [source[0]!, source[1]!, msg(3, "a", "analysis", "uno"), msg(4, "b", "critique", "two"), msg(5, "b", "revision", "three")];
  const r = compareTranscripts(source, replay);
  assert.deepEqual(r.firstDivergence, {
    index: 3,
    source: { seq: 3, from: "a", type: "proposal", excerpt: "one" },
    replay: { seq: 3, from: "a", type: "analysis", excerpt: "uno" },
    fields: ["type", "content"],
  });
  assert.deepEqual([r.matched, r.differing, r.sourceOnly, r.replayOnly], [2, 1, 0, 1]);
  assert.equal(describeComparison(r), "diverges at message 3: source #3 (a/proposal) vs replay #3 (a/analysis) differ in type, content; 2 matched before it, 1 of 4 positions differ, 1 only in the replay");
});

test("event notes (swap timings, faults, state snapshots) are left out; a shorter side diverges where it ends", () => {
  const swapNote = msg(3, "system", "system", "Swap at round 2: b x → y (ok: unload 12 ms, load 40 ms, re-ingested 9 tokens).");
  const replay = [source[0]!, source[1]!, swapNote, msg(4, "a", "proposal", "one")];
  const r = compareTranscripts(source, replay);
  assert.deepEqual(r.compared, { source: 4, replay: 3 });
  assert.deepEqual(r.firstDivergence, { index: 4, source: { seq: 4, from: "b", type: "critique", excerpt: "two" }, replay: null, fields: [] });
  assert.deepEqual([r.matched, r.differing, r.sourceOnly], [3, 0, 1]);
  assert.match(describeComparison(r), /diverges at message 4: source #4 \(b\/critique\) vs replay ended; 3 matched/);
});

test("long contents are cut to an excerpt on one line", () => {
  const long = `${"word ".repeat(60)}\nend`;
  const r = compareTranscripts([msg(1, "a", "answer", long)], [msg(1, "a", "answer", "short")]);
  const excerpt = r.firstDivergence?.source?.excerpt ?? "";
  assert.equal(excerpt.length, 160);
  assert.ok(excerpt.endsWith("…") && !excerpt.includes("\n"));
});
