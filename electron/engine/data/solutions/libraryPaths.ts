/**
 * What each library path does to a session: the transcript lines that bring past results in (a
 * `retrieved` message per item, cited like any member's message, and an orchestrator note naming
 * the path) and, for reuse, the plan — one member confirms the past answer (or corrects it) instead
 * of the whole protocol, which is where the time is saved.
 */
import type { Experiment } from "../../../../shared/experiment.js";
import type { LibraryPath, RetrievedItem } from "../../../../shared/solutionLibrary.js";
import type { ProtocolPlan } from "../../conversation/protocols/plan.js";
import type { LibrarySettings } from "./solutionLibrary.js";

/** Past text shown to the committee is cut here: material, not a second transcript. */
const MAX_QUOTED_CHARS = 2000;

const quote = (text: string): string => (text.length > MAX_QUOTED_CHARS ? `${text.slice(0, MAX_QUOTED_CHARS)}…` : text);

/** The member who confirms a reused answer: the one the protocol gives the last word. */
export function confirmerOf(e: Experiment): string {
  const p = e.protocol;
  const roles = e.roles.map((r) => r.name);
  if (p.chair) return p.chair;
  if (p.kind === "validate") return typeof p.validator === "string" ? p.validator : (p.corrector ?? p.producer ?? roles[0]!);
  if (p.kind === "pipeline") return (p.steps ?? roles).at(-1)!;
  return roles[0]!;
}

/** The plan of a reuse session: a single confirmation by {@link confirmerOf}. */
export function reusePlan(base: ProtocolPlan, e: Experiment, item: RetrievedItem): ProtocolPlan {
  const confirmer = confirmerOf(e);
  return {
    kind: base.kind,
    summary: `library reuse: ${confirmer} confirms the answer of a near-identical past task (similarity ${item.similarity.toFixed(2)}) instead of ${base.summary}`,
    guidance: base.guidance,
    steps: [
      {
        op: "round",
        body: [
          {
            op: "speak",
            phase: "confirm",
            speakers: [confirmer],
            types: ["consensus", "answer"],
            instruction:
              "The solution library holds a near-identical past task whose answer succeeded (the retrieved message). Confirm it with type consensus, restating the answer, or give a corrected answer with type answer; cite the retrieved message.",
          },
        ],
      },
    ],
  };
}

/** The text of one `retrieved` message. */
export function retrievedText(item: RetrievedItem, path: LibraryPath): string {
  const by = item.model ? `${item.sourceFrom}, ${item.model.name}` : item.sourceFrom;
  const when = new Date(item.createdAt).toISOString().slice(0, 16).replace("T", " ");
  return (
    `From session “${item.sourceTitle}” (${item.sourceSessionId}, ${when}), similarity ${item.similarity.toFixed(2)}, ` +
    `${path === "reuse" ? "offered as the answer to confirm" : "offered as material"} — ${item.evidence.join("; ")}.\n` +
    `Past task: ${quote(item.sourceTask)}\n` +
    `Past answer (${by}): ${quote(item.answer)}`
  );
}

/** The orchestrator's note naming the path taken. */
export function pathNote(path: LibraryPath, best: number, items: readonly RetrievedItem[], settings: LibrarySettings): string {
  if (path === "reuse") {
    return `Library: reuse — a near-identical past task succeeded (similarity ${best.toFixed(2)} ≥ ${settings.reuseAt}); its answer is offered to confirm instead of generating afresh.`;
  }
  if (path === "adapt") {
    return `Library: adapt — ${items.length} similar past result${items.length === 1 ? "" : "s"} (best similarity ${best.toFixed(2)}) offered as material; cite what you use.`;
  }
  return best > 0
    ? `Library: fresh generation — the most similar successful past result scores ${best.toFixed(2)}, under ${settings.minScore}.`
    : "Library: fresh generation — no successful past result resembles this task.";
}
