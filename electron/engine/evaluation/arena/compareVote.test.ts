import { test } from "node:test";
import assert from "node:assert/strict";
import type { ModelIdentity } from "../../../../shared/slots.js";
import { openStore } from "../../data/store/sessionStore.js";
import { tempStore } from "../../data/store/test/testSupport.js";
import { compareVoteOutcomes, recordCompareVote } from "./compareVote.js";
import { computeLeaderboard } from "./leaderboard.js";

const model = (name: string): ModelIdentity => ({
  path: `/m/${name}.gguf`, fileName: `${name}.gguf`, name, sizeBytes: 1, fingerprint: `fp1:${name}`, architecture: "llama",
  parameterCount: 1, quantization: "Q8_0", trainContextSize: 512, vocabSize: 32, hasChatTemplate: true,
});
const columns = [
  { label: "A", model: model("x"), text: "ax" },
  { label: "B", model: model("y"), text: "by" },
  { label: "C", model: model("z"), text: "cz" },
];

test("a pick beats every other column; tie and both-bad tie every pair; positions and answers are kept", () => {
  const picked = compareVoteOutcomes({ compareId: "c1", prompt: "p", verdict: "B", columns, at: 5 });
  assert.deepEqual(picked.map((o) => [o.a.name, o.b.name, o.winner, o.positionA, o.positionB]), [["x", "y", "b", 0, 1], ["y", "z", "a", 1, 2]]);
  assert.deepEqual([picked[0]!.answerA, picked[0]!.answerB, picked[0]!.source, picked[0]!.judge, picked[0]!.anonymous], ["ax", "by", "human", "user", true]);
  assert.deepEqual(compareVoteOutcomes({ compareId: "c1", prompt: "p", verdict: "both-bad", columns, at: 5 }).map((o) => o.winner), ["both-bad", "both-bad", "both-bad"]);
  // A failed column (no model) and a second copy of the same file say nothing.
  const odd = [columns[0]!, { label: "B", model: null, text: "" }, { label: "C", model: model("x"), text: "again" }];
  assert.deepEqual(compareVoteOutcomes({ compareId: "c2", prompt: "p", verdict: "tie", columns: odd, at: 5 }), []);
  assert.throws(() => compareVoteOutcomes({ compareId: "c3", prompt: "p", verdict: "D", columns, at: 5 }), /no column "D"/);
  assert.throws(() => compareVoteOutcomes({ compareId: "c3", prompt: "p", verdict: "nobody", columns, at: 5 }));
});

test("compare votes survive reopening the store and rank the picked model first", () => {
  const t = tempStore();
  try {
    for (let i = 0; i < 3; i++) recordCompareVote(t.store, { compareId: `c${i}`, prompt: "p", verdict: "A", columns: columns.slice(0, 2), at: i });
    t.store.close();
    const reopened = openStore(t.file);
    try {
      const rows = reopened.pairwise.rankingRows("human");
      assert.equal(rows.length, 3);
      assert.equal(reopened.pairwise.list({ compareId: "c1" })[0]?.answerB, "by");
      const board = computeLeaderboard(rows, { source: "human" });
      assert.equal(board.entries[0]!.model.name, "x");
      assert.equal(board.entries[0]!.wins, 3);
      assert.equal(reopened.pairwise.rankingRows("model").length, 0);
    } finally {
      reopened.close();
    }
  } finally {
    t.cleanup();
  }
});
