/**
 * The model pool's processes on real models: a process whose model is parked becomes the spare
 * (when it gave its memory back), rotation loads are served by such processes, and the budget counts
 * a reused process at what it measured.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { distinctModels, registryFixture } from "../../test/registries.js";

const fx = registryFixture("pool");
let files: string[];

before(async () => {
  files = await distinctModels(2);
});
after(() => fx.dispose());

const seat = (role: string) => ({ sessionId: "rotating", role });

/** A registry whose budget holds one of the two models, with a seat assigned to each. */
async function oneModelBudget(): Promise<ReturnType<typeof fx.make>> {
  const reg = fx.make({ defaultContextSize: 512 });
  await reg.ready();
  await reg.seat(seat("a"), files[0]!);
  await reg.seat(seat("b"), files[1]!);
  const one = (await reg.estimate(files[0]!, { contextSize: 512 })).estimateBytes;
  reg.budget = { bytes: reg.usage().reservedBytes + Math.floor(one * 1.5), rule: "test: one model" };
  return reg;
}

test("under a budget for one model, the parked model's process serves the next load, and the budget counts it as measured", async () => {
  const reg = await oneModelBudget();
  await reg.ensureResident(seat("a"));
  // b parks a. The fresh spare started after a's load serves b; since b had to park a, no new
  // spare is started after it.
  await reg.ensureResident(seat("b"));
  assert.equal(reg.get(seat("a"))?.status, "parked");
  const bPid = reg.get(seat("b"))?.pid;
  assert.ok(bPid);
  const before = await reg.memory();
  assert.equal(before.processes.filter((p) => p.modelPath === "(warm spare)").length, 0, "no spare is started while loads park seats");

  // a comes back: parking b leaves its process without a model, and a's load takes that process.
  await reg.ensureResident(seat("a"));
  assert.equal(reg.get(seat("b"))?.status, "parked");
  assert.equal(reg.get(seat("a"))?.pid, bPid, "the parked model's process was reused, not ended");
  const after = await reg.memory();
  // What the budget counts for the reused process is the pool's decision (recycledBaseline.ts,
  // tested on given measurements); here: that it is the figure the report lists for that process.
  const proc = after.processes.find((p) => p.pid === bPid)!;
  assert.ok(after.baselineBytes >= proc.baselineBytes, "the reused process's baseline is part of what the budget counts");
  assert.ok(after.inUseBytes <= reg.budget.bytes, `in use ${after.inUseBytes} within the budget ${reg.budget.bytes}`);

  // Both seats still answer: nothing of either model leaked into the other.
  const r = await reg.generate(seat("a"), { append: [{ role: "user", content: "Hello" }], sampling: { maxTokens: 4, seed: 1 } });
  assert.ok(r.completionTokens > 0);
  await reg.ensureResident(seat("b"));
  assert.equal(reg.get(seat("b"))?.pid, bPid, "and again the other way");
});

test("a process whose old model dies after reuse is not reported as that model's crash", async () => {
  const reg = await oneModelBudget();
  await reg.ensureResident(seat("a"));
  await reg.ensureResident(seat("b"));
  await reg.ensureResident(seat("a"));
  const pid = reg.get(seat("a"))!.pid!;
  const failed = new Promise<void>((resolve) => {
    const off = reg.onEvent((e) => {
      if (e.type === "slot" && e.slot.role === "a" && e.slot.status === "error") {
        off();
        resolve();
      }
    });
  });
  process.kill(pid, "SIGKILL");
  // The crash belongs to a (which holds the process now); b stays parked with its history.
  await failed;
  assert.equal(reg.get(seat("a"))?.status, "error");
  assert.equal(reg.get(seat("b"))?.status, "parked");
});
