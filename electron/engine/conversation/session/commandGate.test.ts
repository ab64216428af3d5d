/**
 * The validate loop with a command gate, on scripted models (exact outputs): the producer's first
 * answer fails `tsc` in the sandbox, the corrector's revision passes. Two attempts, and the
 * compiler's output is in what the corrector was shown; the export pairs the passing artifact over the
 * failing one.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import type { Experiment } from "../../../../shared/experiment.js";
import { scriptedModel } from "../../../../models/test/testModels.js";
import { engineResolver } from "../../runtime/library/engineResolver.js";
import { SlotRegistry } from "../../runtime/slots/SlotRegistry.js";
import { tempStore } from "../../data/store/test/testSupport.js";
import { codeReport } from "./codeReport.js";
import { SessionRunner } from "./SessionRunner.js";
import { readFileSync } from "node:fs";
import type { RecordProvenance } from "../../../../shared/exportReport.js";
import { exportSession } from "../../data/export/exportSession.js";

const skip = process.platform !== "linux" ? "the bubblewrap sandbox is Linux's" : false;

const turn = (type: string, content: string) => JSON.stringify({ type, content, referencesTo: [], confidence: 0.8 });
const BAD = "```ts file=src/sum.ts\nexport function sum(xs) { return xs.reduce((a, b) => a + b, 0); }\n```";
const GOOD = "```ts file=src/sum.ts\nexport function sum(xs: number[]): number { return xs.reduce((a, b) => a + b, 0); }\n```";
const TSCONFIG = JSON.stringify({ compilerOptions: { strict: true, noEmit: true, target: "ES2022", module: "ESNext", moduleResolution: "Bundler", skipLibCheck: true, types: [] }, include: ["src"] });

test("a validate loop gated by tsc: a failing first answer, the compiler output to the corrector, a passing revision", { skip }, async () => {
  const t = tempStore();
  const registry = new SlotRegistry({ resolver: engineResolver({ modelsDir: t.dir }), stateRoot: path.join(t.dir, "state"), threads: 1 });
  try {
    const experiment: Experiment = {
      title: "tsc gate",
      task: "Type src/sum.ts so that it compiles under strict mode.",
      seed: 7,
      roles: [
        { name: "coder", model: await scriptedModel(turn("answer", BAD)), maxTokens: 400, contextSize: 4096 },
        { name: "fixer", model: await scriptedModel(turn("revision", GOOD)), maxTokens: 400, contextSize: 4096 },
      ],
      protocol: { kind: "validate", producer: "coder", corrector: "fixer", validator: { command: ["tsc", "-p", "."], timeoutMs: 300_000 }, maxAttempts: 3 },
      swaps: [],
      context: { policy: "drop-oldest" },
      attachments: [
        { path: "tsconfig.json", content: TSCONFIG },
        { path: "src/sum.ts", content: "export function sum(xs) { return xs.reduce((a, b) => a + b, 0); }\n" },
      ],
    };
    const runner = new SessionRunner({ experiment, store: t.store, registry, attachments: [
      { path: "src/sum.ts", content: "export function sum(xs) { return xs.reduce((a, b) => a + b, 0); }\n" },
      { path: "tsconfig.json", content: TSCONFIG },
    ] });
    const out = await runner.run();
    assert.equal(out.status, "completed", out.error ?? "");

    const checks = out.messages.filter((m) => m.from === "system" && m.content.startsWith("Command check"));
    assert.equal(checks.length, 2, checks.map((m) => m.content).join("\n---\n"));
    assert.equal(checks[0]!.type, "critique");
    assert.match(checks[0]!.content, /TS7006/);
    assert.deepEqual(checks[0]!.to, ["fixer"]);
    assert.equal(checks[1]!.type, "consensus");
    assert.ok(out.messages.some((m) => m.content === "Validation passed on attempt 2 (m" + checks[1]!.seq + ")."), "passed on the second attempt");

    // What the corrector was shown holds the compiler's output.
    const shown = registry.getHistory({ sessionId: runner.sessionId, role: "fixer" }).map((turn) => turn.content).join("\n");
    assert.match(shown, /error TS7006: Parameter 'xs' implicitly has an 'any' type/);

    // The attachments are stored with the session; the report has the result's artifacts and both checks.
    assert.deepEqual(t.store.attachments.manifest(runner.sessionId).map((f) => f.path), ["src/sum.ts", "tsconfig.json"]);
    const report = codeReport(t.store, runner.sessionId);
    assert.equal(report.result?.from, "fixer");
    assert.deepEqual(report.result?.files, [{ path: "src/sum.ts", content: "export function sum(xs: number[]): number { return xs.reduce((a, b) => a + b, 0); }\n" }]);
    assert.deepEqual(report.checks.map((c) => c.outcome.passed), [false, true]);
    assert.equal(report.checks[1]!.outcome.run?.sandbox, "bubblewrap");

    // Training data: the passing artifact is chosen over the failing one, both with their check in the provenance.
    const file = path.join(t.dir, "pairs.jsonl");
    await exportSession(t.store, runner.sessionId, { format: "dpo", out: file });
    const records = readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { metadata: RecordProvenance });
    const pair = records.map((r) => r.metadata.pair).find((p) => p?.judge?.startsWith("checker:command"));
    assert.ok(pair, "a pair from the command check");
    assert.equal(pair.chosen.role, "fixer");
    assert.equal(pair.rejected.role, "coder");
    assert.deepEqual(pair.chosen.artifacts, ["src/sum.ts"]);
    assert.equal(pair.chosen.check?.passed, true);
    assert.equal(pair.rejected.check?.passed, false);
    assert.equal(pair.rejected.check?.exitCode, 2);
  } finally {
    await registry.dispose();
    t.cleanup();
  }
});
