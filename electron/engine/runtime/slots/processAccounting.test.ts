/**
 * What admission counts and decides from given measurements: every process while it lives, each at
 * the larger of what it was expected to hold and what it was last measured at.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { admittedWeights, countedProcessBytes, fitsBudget, grownWeights, measuredExcess, type ProcessCounts } from "./processAccounting.js";
import { inUseFrom } from "./budgetAdmission.js";

const MB = 1e6;
const base: ProcessCounts = { processBaseline: 50 * MB, models: [], warmSpare: true, spareBaseline: null, inspectorBytes: null, leaving: [] };

test("an idle pool holds back the inspector and the spare at a baseline each", () => {
  assert.equal(countedProcessBytes(base), 100 * MB);
  assert.equal(countedProcessBytes({ ...base, warmSpare: false }), 50 * MB);
});

test("the inspector counts at its last measurement while it lives, when that is above a baseline", () => {
  assert.equal(countedProcessBytes({ ...base, inspectorBytes: 64 * MB }), 114 * MB);
  assert.equal(countedProcessBytes({ ...base, inspectorBytes: 30 * MB }), 100 * MB, "never below the baseline held back for it");
});

test("a recycled spare counts at its own (larger) baseline and model processes at theirs", () => {
  assert.equal(countedProcessBytes({ ...base, spareBaseline: 63 * MB, models: [52 * MB, 55 * MB] }), 50 * MB + 63 * MB + 107 * MB);
});

test("processes on their way out count until they are gone, never below a baseline", () => {
  // A superseded spare still starting (counted at a baseline) and an unload in flight (at what it held).
  assert.equal(countedProcessBytes({ ...base, leaving: [50 * MB, 160 * MB] }), 100 * MB + 210 * MB);
  assert.equal(countedProcessBytes({ ...base, leaving: [10 * MB] }), 150 * MB);
});

test("a file is admitted at the larger of its estimate and what it measured when it was last loaded", () => {
  assert.equal(admittedWeights(100 * MB, null), 100 * MB, "a file never loaded here: its estimate");
  assert.equal(admittedWeights(100 * MB, 130 * MB), 130 * MB, "repacked on the CPU last time: the measurement");
  assert.equal(admittedWeights(100 * MB, 40 * MB), 100 * MB, "mapped pages measured low: the estimate stands");
});

test("admission decides from the counts: a process still unloading and a file's last measurement turn a fit into a park", () => {
  const budget = 450 * MB;
  const files = [{ estimatedWeightsBytes: 60 * MB, measuredWeightsBytes: 70 * MB }];
  const contexts = [{ estimateBytes: 10 * MB, measuredBytes: 12 * MB }];
  const procs = { ...base, models: [50 * MB] };
  const inUse = (c: ProcessCounts) => inUseFrom(countedProcessBytes(c), files, contexts);
  assert.equal(inUse(procs), 100 * MB + 50 * MB + 70 * MB + 12 * MB);
  // The next file: its estimate says 60 MB, its last load measured 75 MB; plus its process and context.
  const atEstimate = 60 * MB + 50 * MB + 10 * MB;
  const atMeasured = admittedWeights(60 * MB, 75 * MB) + 50 * MB + 10 * MB;
  assert.equal(fitsBudget(inUse(procs), atMeasured, budget), true, "with nothing leaving it fits");
  // A parked seat's process, 90 MB, whose unload has not returned yet.
  const unloading = { ...procs, leaving: [90 * MB] };
  assert.equal(inUse(unloading), 322 * MB);
  assert.equal(fitsBudget(inUse(unloading), atEstimate, budget), true, "at the estimate alone it would be admitted");
  assert.equal(fitsBudget(inUse(unloading), atMeasured, budget), false, "at the last measurement it is not: another seat is parked first");
});

test("a process measured above its count before an admission adds the difference; one below it adds nothing", () => {
  // A model process counted at 100 MB that has touched its KV cache and compute buffers since: 118 MB.
  const processes = [
    { countedBytes: 100 * MB, measuredBytes: 118 * MB },
    { countedBytes: 100 * MB, measuredBytes: 80 * MB }, // mapped weights not yet paged in: the count stands
    { countedBytes: 50 * MB, measuredBytes: null }, // gone between listing and measuring
  ];
  assert.equal(measuredExcess(processes), 18 * MB);
  assert.equal(measuredExcess([]), 0);
  // The decision: 340 MB counted, 100 MB needed, 450 MB budget fits on the counts alone, not with the excess.
  assert.equal(fitsBudget(340 * MB, 100 * MB, 450 * MB), true);
  assert.equal(fitsBudget(340 * MB + measuredExcess(processes), 100 * MB, 450 * MB), false);
});

test("what a running process holds for its file beyond its baseline and contexts is what the file's next load is admitted at", () => {
  // Loaded: 60 MB over a 50 MB baseline. Generating, with a 10 MB context counted, it measures 140 MB.
  const grown = grownWeights(140 * MB, 50 * MB, 10 * MB);
  assert.equal(grown, 80 * MB);
  assert.equal(admittedWeights(60 * MB, Math.max(60 * MB, grown)), 80 * MB, "the next load counts the 80 MB it grew to, not the 60 MB of its load");
  assert.equal(grownWeights(55 * MB, 50 * MB, 10 * MB), 0, "a process measured below its counts adds nothing");
});
