/**
 * Why a replay may not reproduce its source exactly, found before it runs: steps whose speakers
 * generate at once (parallel, compare), turns the source ran on remote backends, learned routing,
 * swaps made by hand, a source that did not complete, a source that is a fork, a missing seed.
 */
import type { SessionInfo } from "../../../../shared/conversation.js";
import type { Experiment } from "../../../../shared/experiment.js";
import type { ReplayWarning } from "../../../../shared/lineage.js";
import { modelNameText, sessionTitle } from "../../../../shared/names.js";
import { planFor } from "../protocols/definitions.js";
import type { SpeakStep, Step } from "../protocols/plan.js";
import { allMessages } from "../../data/store/allMessages.js";
import type { SessionStore } from "../../data/store/sessionStore.js";

/** The warnings for replaying `source` with `experiment` (its stored one, parsed). */
export function replayWarnings(store: SessionStore, source: SessionInfo, experiment: Experiment): ReplayWarning[] {
  const warnings: ReplayWarning[] = [];
  const concurrent = concurrentSteps(planFor(experiment).steps);
  if (concurrent.length > 0) {
    const who = [...new Set(concurrent.flatMap((s) => s.speakers))].join(", ");
    warnings.push({
      kind: "concurrent",
      message: `${experiment.protocol.kind}: ${who} generate at once in ${concurrent.length === 1 ? "one step" : `${concurrent.length} steps`}; they share the threads and prefetching overlaps them, so their turns may differ`,
    });
  }
  const remote = new Set<string>();
  for (const m of allMessages(store, source.id)) if (m.routing && m.routing.backend !== "local" && m.provenance) remote.add(m.routing.backend);
  if (remote.size > 0) {
    warnings.push({ kind: "remote-backend", message: `turns of the source ran on remote backends (${[...remote].join(", ")}); their models and sampling are outside this machine's control` });
  }
  if (experiment.protocol.kind === "route" && experiment.protocol.learn) {
    warnings.push({ kind: "learned-routing", message: "learned routing reads every recorded session, the source included, so it may pick another role" });
  }
  const manual = store.listSwaps(source.id).filter((s) => s.event.kind === "manual");
  if (manual.length > 0) {
    const list = manual.map((s) => `${s.event.role} → ${modelNameText(s.event.to)}${s.round !== null ? ` in round ${s.round}` : ""}`).join(", ");
    warnings.push({ kind: "manual-swap", message: `the source had swaps made by hand (${list}); the replay runs the experiment's scheduled swaps only` });
  }
  if (source.status !== "completed") {
    warnings.push({ kind: "unfinished-source", message: `the source is ${source.status}: it stopped after ${source.messageCount} message${source.messageCount === 1 ? "" : "s"}, the replay runs the whole plan` });
  }
  if (source.origin?.kind === "fork") {
    const parent = store.getSession(source.origin.sessionId);
    // People know sessions by title; the id stays in brackets for the CLI, which takes ids.
    const named = parent ? `“${sessionTitle(parent)}” (${parent.id})` : source.origin.sessionId;
    warnings.push({
      kind: "fork-prefix",
      message: `the source is a fork of session ${named} at message ${source.origin.atSeq ?? "?"}: those messages came from its parent's run, which the replay does not repeat`,
    });
  }
  if (experiment.seed === undefined) {
    warnings.push({ kind: "no-seed", message: "the stored experiment has no seed; the replay draws a new one" });
  }
  return warnings;
}

function concurrentSteps(steps: readonly Step[]): SpeakStep[] {
  return steps.flatMap((s): SpeakStep[] => {
    if (s.op === "speak") return s.concurrent && s.speakers.length > 1 ? [s] : [];
    if (s.op === "vote" || s.op === "command") return [];
    return concurrentSteps(s.op === "loop" ? [...s.body, ...s.onFail] : s.body);
  });
}
