import { test } from "node:test";
import assert from "node:assert/strict";
import type { Message } from "../../../../shared/conversation.js";
import { readBallot, readBallots } from "./ballotReading.js";
import { ballotFor, mirroredBallot } from "./voting.js";

const msg = (seq: number, from: string): Message => ({
  id: `id-${seq}`, sessionId: "s", seq, from, to: "all", type: "answer", content: `answer of ${from}`, referencesTo: [], confidence: null,
  provenance: null, usage: null, createdAt: 0, round: 1, repairs: [], routing: null,
});
const candidates = [msg(1, "a"), msg(2, "b"), msg(3, "c"), msg(4, "d")];
const ballot = ballotFor("d", candidates, "k", true, "Rank.")!;
const ids = ballot.candidates.map((c) => c.message.id);

test("a full ranking counts; all but one counts (the last place by elimination)", () => {
  const full = readBallot(ballot, { referencesTo: [ids[2]!, ids[0]!, ids[1]!], repairs: [] });
  assert.ok(full.counted);
  assert.deepEqual(full.ranking.map((m) => m.id), [ids[2], ids[0], ids[1]]);
  const twoOfThree = readBallot(ballot, { referencesTo: [ids[1]!, ids[2]!], repairs: [] });
  assert.ok(twoOfThree.counted);
  assert.deepEqual(twoOfThree.ranking.map((m) => m.id), [ids[1], ids[2], ids[0]]);
});

test("an unfilled or unparsable ballot is an abstention, never completed in the order shown", () => {
  const one = readBallot(ballot, { referencesTo: [ids[1]!], repairs: ["ranking left out A, C; the ballot is incomplete"] });
  assert.deepEqual(one, { counted: false, kind: "unfilled", reason: "the ballot named only 1 of 3 candidates; a vote needs a full ranking" });
  const none = readBallot(ballot, { referencesTo: [], repairs: ["output was cut off before the JSON closed (token limit); kept the complete fields"] });
  assert.equal(none.counted, false);
  assert.equal(!none.counted && none.kind, "unfilled");
  const garbage = readBallot(ballot, { referencesTo: [], repairs: ["output was not JSON; used the text as content"] });
  assert.equal(!garbage.counted && garbage.kind, "unparsable");
  // A one-candidate ballot needs that candidate named.
  const single = ballotFor("b", [msg(1, "a"), msg(2, "b")], "k", true, "Rank.")!;
  assert.equal(readBallot(single, { referencesTo: [], repairs: [] }).counted, false);
  assert.equal(readBallot(single, { referencesTo: ["id-1"], repairs: [] }).counted, true);
});

test("both orders: the mirrored ballot reverses the candidates; a vote counts only when the rankings agree", () => {
  const mirror = mirroredBallot(ballot, true, "Rank.");
  assert.deepEqual(mirror.candidates.map((c) => c.message.id), [...ids].reverse());
  assert.deepEqual(mirror.candidates.map((c) => c.label), ["A", "B", "C"]);
  assert.match(mirror.text, new RegExp(`A: answer of ${ballot.candidates[2]!.message.from}`));
  const agree = readBallots([ballot, mirror], [{ referencesTo: [ids[0]!, ids[1]!], repairs: [] }, { referencesTo: [ids[0]!, ids[1]!, ids[2]!], repairs: [] }]);
  assert.ok(agree.counted);
  const positional = readBallots([ballot, mirror], [{ referencesTo: [ids[0]!, ids[1]!, ids[2]!], repairs: [] }, { referencesTo: [ids[2]!, ids[1]!, ids[0]!], repairs: [] }]);
  assert.deepEqual(positional.counted ? null : positional.kind, "orders-disagree");
  const half = readBallots([ballot, mirror], [{ referencesTo: [ids[0]!, ids[1]!], repairs: [] }, { referencesTo: [], repairs: [] }]);
  assert.equal(!half.counted && half.kind, "unfilled");
  assert.throws(() => readBallots([ballot], []), /one answer per ballot/);
});
