import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { Message } from "../../../../shared/conversation.js";
import { ExportFormat } from "../../../../shared/conversation.js";
import type { RecordProvenance } from "../../../../shared/exportReport.js";
import type { ModelIdentity } from "../../../../shared/slots.js";
import { recordBaselineOutcome, recordCheckerOutcomes } from "../../evaluation/arena/checkerOutcomes.js";
import type { SessionStore } from "../store/sessionStore.js";
import { modelDraft, tempStore, testProvenance } from "../store/test/testSupport.js";
import { exportSession, provenanceSidecar } from "./exportSession.js";
import { parseJsonl, provenanceIssues } from "./formatValidators.js";
import { alpacaErrors, openAIChatErrors, openAIDpoErrors, sessionJsonErrors, shareGptErrors, trlPreferenceErrors } from "./test/formatErrors.js";

const identity = (name: string, fingerprint: string): ModelIdentity => ({
  path: `/m/${name}.gguf`, fileName: `${name}.gguf`, name, sizeBytes: 1, fingerprint, architecture: "llama",
  parameterCount: 1, quantization: "Q4_K_M", trainContextSize: 512, vocabSize: 32, hasChatTemplate: true,
});

/** A 2-role committee on two model files: its members can only vote for each other (a tie), so pairs must come from ratings and checks. */
function committee(store: SessionStore): Record<string, Message> {
  store.createSession({ id: "c2", title: "two", task: "What is 6 × 7?", protocolKind: "roundtable", experiment: { roles: [{ name: "solver" }, { name: "checker_role" }] } });
  const a = identity("alpha", "fp1:alpha");
  const b = identity("beta", "fp1:beta");
  store.recordAssignment({ sessionId: "c2", role: "solver", model: a, systemPrompt: "Solve.", fromSeq: 1 });
  store.recordAssignment({ sessionId: "c2", role: "checker_role", model: b, systemPrompt: "Check.", fromSeq: 1 });
  const prov = (m: ModelIdentity) => ({ ...testProvenance, modelName: m.name, fingerprint: m.fingerprint, quantization: m.quantization, runtime: "node-llama-cpp@3.21.1" });
  const m: Record<string, Message> = {};
  m.x = store.appendMessage(modelDraft("c2", "solver", "proposal", "42", { provenance: { ...prov(a), fileName: a.fileName } }));
  m.y = store.appendMessage(modelDraft("c2", "checker_role", "proposal", "48", { provenance: prov(b) }));
  m.z = store.appendMessage(modelDraft("c2", "solver", "answer", "It is 42.", { round: 2, provenance: prov(a) }));
  // Each votes for the other: a tie, no pair from votes alone.
  store.recordVote({ sessionId: "c2", voter: "solver", targetMessageId: m.y.id, rank: 1, rankOf: 1, round: 1 });
  store.recordVote({ sessionId: "c2", voter: "checker_role", targetMessageId: m.x.id, rank: 1, rankOf: 1, round: 1 });
  return m;
}

const jsonl = (path: string): unknown[] => parseJsonl(readFileSync(path, "utf8"));

test("every export format validates, with its provenance in metadata or a line-for-line sidecar", async () => {
  const { store, dir, cleanup } = tempStore();
  try {
    const m = committee(store);
    const validators: Record<Exclude<ExportFormat, "json">, (r: unknown) => string[]> = {
      openai: openAIChatErrors,
      sharegpt: (r) => shareGptErrors(r),
      alpaca: (r) => alpacaErrors(r),
      dpo: trlPreferenceErrors,
      "dpo-openai": openAIDpoErrors,
    };
    // A rating makes the proposals a pair (the votes tie); a checker and a baseline comparison add two more.
    store.recordRating({ sessionId: "c2", messageId: m.x!.id, score: 1 });
    store.recordRating({ sessionId: "c2", messageId: m.y!.id, score: 0.25 });
    recordCheckerOutcomes(store, [{ message: m.z!, correct: true }, { message: m.y!, correct: false }], "checker:numeric");
    recordBaselineOutcome(store, { committee: m.z!, baseline: m.x!, winner: "b", judge: "judge:checker_role (beta)", positions: { committee: 1, baseline: 0 } });

    for (const format of ExportFormat.options) {
      const out = join(dir, `c2-${format}.${format === "json" ? "json" : "jsonl"}`);
      const result = await exportSession(store, "c2", { format, out });
      assert.ok(result.records > 0, format);
      assert.equal(result.validation.examples, result.records, format);
      assert.equal(result.validation.valid, result.records, `${format}: ${JSON.stringify(result.validation.samples)}`);
      assert.deepEqual(result.validation.errors, {});
      assert.ok((result.validation.tokens?.total ?? 0) > 0);
      if (format === "json") {
        assert.deepEqual(sessionJsonErrors(JSON.parse(readFileSync(out, "utf8"))), []);
        continue;
      }
      const records = jsonl(out);
      records.forEach((r, i) => assert.deepEqual(validators[format](r), [], `${format} record ${i}`));
      let provenance: RecordProvenance[];
      if (format === "openai" || format === "dpo-openai") {
        assert.equal(result.sidecar, provenanceSidecar(out));
        provenance = jsonl(provenanceSidecar(out)) as RecordProvenance[];
        assert.equal(provenance.length, records.length, "one sidecar line per record, in order");
        for (const p of provenance) assert.deepEqual(provenanceIssues(p), []);
      } else {
        assert.equal(result.sidecar, null);
        provenance = records.map((r) => (r as { metadata: RecordProvenance }).metadata);
      }
      for (const p of provenance) {
        assert.equal(p.sessionId, "c2");
        assert.equal(p.protocol, "roundtable");
        const sides = p.pair ? [p.pair.chosen, p.pair.rejected] : [p.target!];
        for (const s of sides) {
          assert.ok(s.model?.fingerprint.startsWith("fp1:"));
          assert.equal(s.model?.quantization, "Q4_K_M");
          assert.equal(s.model?.architecture, "llama");
          assert.match(s.model?.fileName ?? "", /^(alpha|beta)\.gguf$/);
          assert.equal(s.runtime, "node-llama-cpp@3.21.1");
          assert.equal(s.seed, 42);
          assert.equal(s.sampling?.temperature, 0.7);
          assert.ok(["solver", "checker_role"].includes(s.role));
        }
      }
      if (format === "openai") {
        // The sidecar names the trained turn of each example, in file order.
        const targets = provenance.map((p) => p.target!.messageId);
        assert.deepEqual(targets, [m.x!.id, m.y!.id, m.z!.id]);
        const lastContent = (records as { messages: { content: string }[] }[]).map((r) => r.messages.at(-1)!.content);
        assert.deepEqual(lastContent, ["42", "48", "It is 42."]);
        assert.deepEqual(provenance[2]!.context, [m.x!.id, m.y!.id]);
        assert.equal(provenance[0]!.target!.votes.received, 1);
        assert.equal(provenance[0]!.target!.votes.ratings, 1);
      }
      if (format === "dpo") {
        // The 2-role committee yields pairs: from the rating, the checker and the baseline comparison.
        const sources = provenance.map((p) => p.pair!.source).sort();
        assert.deepEqual(sources, ["baseline", "checker", "ratings"]);
        const checked = provenance.find((p) => p.pair!.source === "checker")!;
        assert.equal(checked.pair!.judge, "checker:numeric");
        assert.equal(checked.pair!.chosen.messageId, m.z!.id);
        assert.equal(checked.pair!.rejected.messageId, m.y!.id);
      }
    }
  } finally {
    cleanup();
  }
});

test("LLaMA-Factory's dataset_info.json: file_sha1, ranking, formatting and mappings; existing entries kept", async () => {
  const { store, dir, cleanup } = tempStore();
  try {
    const m = committee(store);
    store.recordRating({ sessionId: "c2", messageId: m.x!.id, score: 1 });
    store.recordRating({ sessionId: "c2", messageId: m.y!.id, score: 0 });
    writeFileSync(join(dir, "dataset_info.json"), JSON.stringify({ theirs: { file_name: "theirs.json" } }));
    const sha1 = (path: string) => createHash("sha1").update(readFileSync(path)).digest("hex");
    const info = () => JSON.parse(readFileSync(join(dir, "dataset_info.json"), "utf8")) as Record<string, Record<string, unknown>>;

    const sg = await exportSession(store, "c2", { format: "sharegpt", out: join(dir, "sg.jsonl") });
    assert.equal(sg.datasetInfo, join(dir, "dataset_info.json"));
    assert.deepEqual(info().sg, {
      file_name: "sg.jsonl", file_sha1: sha1(join(dir, "sg.jsonl")), formatting: "sharegpt", ranking: false,
      columns: { messages: "conversations", system: "system" },
      tags: { role_tag: "from", content_tag: "value", user_tag: "human", assistant_tag: "gpt" },
    });
    assert.deepEqual(info().theirs, { file_name: "theirs.json" });

    await exportSession(store, "c2", { format: "alpaca", out: join(dir, "al.jsonl") });
    assert.deepEqual(info().al, {
      file_name: "al.jsonl", file_sha1: sha1(join(dir, "al.jsonl")), formatting: "alpaca", ranking: false,
      columns: { prompt: "instruction", query: "input", response: "output", system: "system", history: "history" },
    });
    const alpaca = jsonl(join(dir, "al.jsonl")) as { instruction: string; input: string; output: string; system?: string; history?: [string, string][] }[];
    assert.deepEqual({ ...alpaca[2], metadata: undefined }, {
      instruction: "checker_role: 48", input: "", output: "It is 42.", system: "Solve.", history: [["What is 6 × 7?", "42"]], metadata: undefined,
    });

    const pairs = await exportSession(store, "c2", { format: "dpo", out: join(dir, "pairs.jsonl"), dpoForm: "string" });
    assert.ok(pairs.records > 0);
    assert.deepEqual(info().pairs, {
      file_name: "pairs.jsonl", file_sha1: sha1(join(dir, "pairs.jsonl")), formatting: "alpaca", ranking: true,
      columns: { prompt: "prompt", chosen: "chosen", rejected: "rejected" },
    });
    // Message-list pairs have no LLaMA-Factory reading: no entry, and the export says why.
    const lists = await exportSession(store, "c2", { format: "dpo", out: join(dir, "lists.jsonl") });
    assert.equal(lists.datasetInfo, null);
    assert.match(lists.notes.join(" "), /single turns/);
    assert.equal(info().lists, undefined);
    // OpenAI formats have no dataset_info entry.
    assert.equal((await exportSession(store, "c2", { format: "openai", out: join(dir, "o.jsonl") })).datasetInfo, null);
  } finally {
    cleanup();
  }
});

test("the validation report counts issues by kind in OpenAI's manner", async () => {
  const { ValidationTally } = await import("./validationReport.js");
  const { openAIChatIssues } = await import("./formatValidators.js");
  const tally = new ValidationTally();
  const records: unknown[] = [
    { messages: [{ role: "user", content: "q" }, { role: "assistant", content: "a" }] },
    "not a record",
    { prompt: "no messages" },
    { messages: [{ role: "user", content: "q", colour: "red" }, { role: "wizard", content: "x" }, { role: "user" }] },
  ];
  for (const r of records) tally.add(openAIChatIssues(r), JSON.stringify(r).length);
  const report = tally.report();
  assert.equal(report.examples, 4);
  assert.equal(report.valid, 1);
  assert.deepEqual(report.errors, {
    data_type: 1,
    missing_messages_list: 1,
    unrecognized_key: 1,
    message_unrecognized_key: 1,
    unrecognized_role: 1,
    missing_content: 1,
    example_missing_assistant_message: 1,
  });
  assert.equal(report.samples[0]?.record, 1);
  assert.ok(report.tokens && report.tokens.min > 0 && report.tokens.max >= report.tokens.min);
});
