/**
 * What enters the solution library and which path a task takes, over a real SQLite store: a
 * checker's pass, a won vote and a 4-star rating each make a result a success; a failed check or a
 * rating under 4 stars keeps it out; similarity bands choose reuse, adapt or fresh generation.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { recordCheckerOutcomes } from "../../evaluation/arena/checkerOutcomes.js";
import { rateMessage } from "../../evaluation/arena/rateMessage.js";
import { modelDraft, tempStore } from "../store/test/testSupport.js";
import type { SessionStore } from "../store/sessionStore.js";
import { sessionSuccess } from "./successEvidence.js";
import { retrieve } from "./solutionLibrary.js";

function session(store: SessionStore, task: string, protocolKind: "pipeline" | "compare" = "pipeline"): string {
  const s = store.createSession({ title: "evidence", task, protocolKind, experiment: {} });
  store.appendMessage({ sessionId: s.id, from: "user", to: "all", type: "question", content: task });
  return s.id;
}

function complete(store: SessionStore, id: string, ms = 1200): void {
  store.recordMetric({ sessionId: id, name: "session.durationMs", value: ms });
  store.updateSessionStatus(id, "completed");
}

test("checker, vote and rating evidence decide what counts as a success; negative evidence vetoes", () => {
  const t = tempStore();
  try {
    const { store } = t;
    // A checker passes the answer (a wrong sample of the same prompt loses to it).
    const checked = session(store, "What is 6 times 7?");
    const wrong = store.appendMessage(modelDraft(checked, "a", "proposal", "41", { provenance: { ...modelDraft(checked, "a", "proposal", "").provenance!, fingerprint: "fp1:other", modelName: "other" } }));
    const right = store.appendMessage(modelDraft(checked, "b", "answer", "42"));
    recordCheckerOutcomes(store, [{ message: wrong, correct: false }, { message: right, correct: true }], "checker:numeric");
    complete(store, checked);
    assert.deepEqual(sessionSuccess(store, checked)?.basis, ["checker"]);
    assert.equal(sessionSuccess(store, checked)?.message.id, right.id);

    // The checker fails the result: out, even when rated 5 stars.
    const failed = session(store, "What is 2 plus 2?");
    const good = store.appendMessage(modelDraft(failed, "a", "proposal", "4"));
    const bad = store.appendMessage(modelDraft(failed, "b", "answer", "5", { provenance: { ...modelDraft(failed, "a", "proposal", "").provenance!, fingerprint: "fp1:other", modelName: "other" } }));
    recordCheckerOutcomes(store, [{ message: good, correct: true }, { message: bad, correct: false }], "checker:numeric");
    rateMessage(store, { messageId: bad.id, stars: 5 });
    complete(store, failed);
    assert.equal(sessionSuccess(store, failed), null);

    // A compare's vote winner is its result and a success.
    const voted = session(store, "Name a colour of the sky.", "compare");
    const x = store.appendMessage(modelDraft(voted, "x", "answer", "blue"));
    const y = store.appendMessage(modelDraft(voted, "y", "answer", "green"));
    store.recordVote({ sessionId: voted, voter: "y", targetMessageId: x.id, score: 1, rank: 1, rankOf: 2 });
    store.recordVote({ sessionId: voted, voter: "x", targetMessageId: y.id, score: 0.5, rank: 1, rankOf: 2 });
    complete(store, voted);
    const win = sessionSuccess(store, voted);
    assert.deepEqual([win?.message.id, win?.basis], [x.id, ["vote"]]);
    assert.match(win?.evidence.join() ?? "", /won the vote \(1\.00 points from 1 ballots; runner-up 0\.50\)/);

    // Ratings: 4 stars is a success, 3 stars keeps it out.
    const liked = session(store, "Describe a lighthouse at night.");
    const l = store.appendMessage(modelDraft(liked, "a", "answer", "A beam sweeps the dark sea."));
    rateMessage(store, { messageId: l.id, stars: 4 });
    complete(store, liked);
    assert.deepEqual(sessionSuccess(store, liked)?.evidence, ["rated 4 stars by user"]);
    const meh = session(store, "Describe a harbour at dawn.");
    rateMessage(store, { messageId: store.appendMessage(modelDraft(meh, "a", "answer", "Boats.")).id, stars: 3 });
    complete(store, meh);
    assert.equal(sessionSuccess(store, meh), null);

    // No evidence at all: not a success.
    const silent = session(store, "Describe a meadow.");
    store.appendMessage(modelDraft(silent, "a", "answer", "Grass and flowers."));
    complete(store, silent);
    assert.equal(sessionSuccess(store, silent), null);
  } finally {
    t.cleanup();
  }
});

test("similarity bands: near-identical is reused, similar is adapted, unrelated or unsuccessful is generated afresh", () => {
  const t = tempStore();
  try {
    const { store } = t;
    const add = (task: string, answer: string, stars: number): string => {
      const id = session(store, task);
      rateMessage(store, { messageId: store.appendMessage(modelDraft(id, "chair", "answer", answer)).id, stars });
      complete(store, id);
      return id;
    };
    const rain = add("Design a rainwater harvesting system for a small mountain village school.", "Roof gutters feed a 40 m³ tank.", 5);
    const storage = add("Estimate rainwater storage for a village.", "About 40 cubic metres.", 4);
    add("Translate a birthday card into French.", "Joyeux anniversaire !", 1);
    for (let i = 0; i < 6; i++) add(`Unrelated filler task number ${i} about accounting spreadsheets.`, "Sum the columns.", 5);
    const settings = { topK: 3, minScore: 0.3, reuseAt: 0.9 };

    const same = retrieve(store, "Design a rainwater harvesting system for a small mountain village school.", settings);
    assert.equal(same.path, "reuse");
    assert.deepEqual(same.items.map((i) => i.sourceSessionId), [rain]);
    assert.equal(same.items[0]?.generationMs, 1200);

    const similar = retrieve(store, "How much rainwater storage does a mountain village need?", settings);
    assert.equal(similar.path, "adapt", JSON.stringify(similar.items.map((i) => i.similarity)));
    assert.ok(similar.items.some((i) => i.sourceSessionId === storage));
    assert.ok(similar.items.every((i) => i.similarity >= 0.3 && i.similarity < 0.9));

    assert.equal(retrieve(store, "Translate a birthday card into French.", settings).path, "fresh", "a 1-star result is not in the library");
    const none = retrieve(store, "Paint a portrait of a cat.", settings);
    assert.deepEqual([none.path, none.items], ["fresh", []]);
  } finally {
    t.cleanup();
  }
});
