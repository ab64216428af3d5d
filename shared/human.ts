/**
 * The researcher at the table: a human seat's turns, interjections, decisions (arbitration, the
 * next speaker, approvals) and what a session waits for while it waits for a person. Declared once
 * here (zod + inferred types); the engine implements it, the RPC contract, the CLI and the UI carry it.
 */
import { z } from "zod";
import { RoleName } from "./slots.js";
import { MessageType } from "./conversation.js";
import { strictObject } from "./strictObject.js";

/** Conditions that pause a session for the researcher's decision. */
export const ArbitrationTrigger = z.enum(["tie", "disagreement", "low-confidence", "check-failed"]);
export type ArbitrationTrigger = z.infer<typeof ArbitrationTrigger>;

/**
 * When the researcher arbitrates: `on` the listed conditions the session waits for a decision; after
 * `timeoutMs` (when set) the `fallback` applies instead and is recorded as such: `protocol` keeps
 * the protocol's own rule, `chair` lets the chair's candidate win, `abort` ends the session.
 */
export const ArbitrationSpec = strictObject({
  on: z.array(ArbitrationTrigger).min(1, "name at least one trigger"),
  /** low-confidence: a candidate below this self-reported confidence (default 0.5). */
  confidenceBelow: z.number().min(0).max(1).optional(),
  timeoutMs: z.number().int().positive().max(86_400_000).optional(),
  fallback: z.enum(["protocol", "chair", "abort"]).default("protocol"),
});
export type ArbitrationSpec = z.infer<typeof ArbitrationSpec>;

/** One candidate of a decision: a message the researcher may pick, with what the vote gave it. */
export const DecisionCandidate = z.object({
  label: z.string().min(1),
  messageId: z.string().min(1),
  from: RoleName,
  content: z.string(),
  points: z.number().nullable(),
  confidence: z.number().nullable(),
});
export type DecisionCandidate = z.infer<typeof DecisionCandidate>;

/** A speaker the researcher may pick, with the planner's predicted wait before its first token (a parked seat costs a load). */
export const SpeakerChoice = z.object({
  role: RoleName,
  resident: z.boolean(),
  predictedWaitMs: z.number().nonnegative(),
});
export type SpeakerChoice = z.infer<typeof SpeakerChoice>;

/** What a session in status `waiting` waits for. */
export const HumanWait = z.discriminatedUnion("kind", [
  /** A human seat's turn: answer with `sessions.say`. */
  z.object({ kind: z.literal("turn"), role: RoleName, types: z.array(MessageType).min(1), round: z.number().int().nonnegative(), since: z.number() }),
  /** An arbitration: answer with `sessions.decide` naming a candidate (label, message id or author). */
  z.object({
    kind: z.literal("decision"),
    trigger: ArbitrationTrigger,
    reason: z.string(),
    round: z.number().int().nonnegative(),
    candidates: z.array(DecisionCandidate).min(1),
    fallback: z.enum(["protocol", "chair", "abort"]),
    /** Epoch ms when the fallback applies; null waits for as long as it takes. */
    timeoutAt: z.number().nullable(),
    since: z.number(),
  }),
  /** `protocol.nextSpeaker: "manual"`: answer with `sessions.decide` naming a role. */
  z.object({ kind: z.literal("speaker"), round: z.number().int().nonnegative(), choices: z.array(SpeakerChoice).min(1), since: z.number() }),
  /** validate with `approval: "human"`: answer with `sessions.decide` "approve" or "reject" (the reason goes to the corrector). */
  z.object({ kind: z.literal("approval"), role: RoleName, messageId: z.string().min(1), round: z.number().int().nonnegative(), since: z.number() }),
]);
export type HumanWait = z.infer<typeof HumanWait>;

/**
 * `sessions.say`: while the session waits for a human seat's turn, the message is that turn (from
 * the seat) unless `interject` says otherwise; otherwise it is an interjection from `user` to `to` (default everyone), seen by the next
 * turn of each addressee.
 */
export const SayRequest = z.object({
  sessionId: z.string().min(1),
  content: z.string().min(1, "say something").max(20_000),
  to: z.array(RoleName).min(1).optional(),
  type: MessageType.optional(),
  referencesTo: z.array(z.string().min(1)).max(16).optional(),
  confidence: z.number().min(0).max(1).optional(),
  /** Always an interjection from `user`, even while a human seat's turn is awaited. */
  interject: z.boolean().optional(),
});
export type SayRequest = z.infer<typeof SayRequest>;

/** `sessions.decide`: the answer to a `decision`, `speaker` or `approval` wait, with the researcher's reason. */
export const DecideRequest = z.object({
  sessionId: z.string().min(1),
  /** decision: a candidate's label (A, B…), message id or author; speaker: a role; approval: `approve` or `reject`. */
  decision: z.string().min(1),
  reason: z.string().max(4000).default(""),
});
export type DecideRequest = z.input<typeof DecideRequest>;

/**
 * One line of a `conclave run --answers FILE` (JSONL): fed in order to the waits it fits. A line
 * with `content` answers a human turn (of `role` when given) or, with `at`, is an interjection said
 * once the session reaches that round or message; a line with `decision` answers a decision.
 */
export const HumanAnswer = z
  .object({
    at: z.object({ round: z.number().int().nonnegative().optional(), afterMessage: z.number().int().positive().optional() }).strict().optional(),
    role: RoleName.optional(),
    content: z.string().min(1).optional(),
    type: MessageType.optional(),
    to: z.array(RoleName).min(1).optional(),
    referencesTo: z.array(z.string().min(1)).optional(),
    confidence: z.number().min(0).max(1).optional(),
    decision: z.string().min(1).optional(),
    reason: z.string().optional(),
  })
  .strict()
  .refine((a) => (a.content === undefined) !== (a.decision === undefined), { message: "a line has either `content` (a turn or an interjection) or `decision`" });
export type HumanAnswer = z.infer<typeof HumanAnswer>;

/** One line of the wait, for banners and prompts. */
export function describeWait(w: HumanWait): string {
  switch (w.kind) {
    case "turn":
      return `waiting for you: ${w.role}'s turn (${w.types.join(" or ")}, round ${w.round})`;
    case "decision":
      return `waiting for your decision: ${w.reason} — pick ${w.candidates.map((c) => `${c.label} (${c.from})`).join(", ")}`;
    case "speaker":
      return `waiting for you to pick the next speaker: ${w.choices.map((c) => `${c.role} (~${Math.round(c.predictedWaitMs)} ms)`).join(", ")}`;
    case "approval":
      return `waiting for your approval of ${w.role}'s verdict (round ${w.round}): approve or reject`;
  }
}

/**
 * The choice a decision names, checked against what the session waits for: a candidate (by label,
 * message id, `m<seq>`-free id or author), a speaker (by role), or `approve` / `reject`. Returns the
 * choice or a sentence saying what was expected.
 */
export function resolveDecision(
  wait: HumanWait,
  decision: string,
): { ok: true; candidate?: DecisionCandidate; speaker?: string; approve?: boolean } | { ok: false; error: string } {
  const d = decision.trim();
  switch (wait.kind) {
    case "turn":
      return { ok: false, error: `the session waits for ${wait.role}'s turn, not a decision: use sessions.say` };
    case "decision": {
      const candidate =
        wait.candidates.find((c) => c.label.toLowerCase() === d.toLowerCase() || c.messageId === d) ?? wait.candidates.filter((c) => c.from === d).at(0);
      return candidate ? { ok: true, candidate } : { ok: false, error: `'${d}' is none of the candidates (${wait.candidates.map((c) => `${c.label} = ${c.from}`).join(", ")})` };
    }
    case "speaker":
      return wait.choices.some((c) => c.role === d) ? { ok: true, speaker: d } : { ok: false, error: `'${d}' cannot speak next (choose ${wait.choices.map((c) => c.role).join(", ")})` };
    case "approval":
      return d === "approve" || d === "reject" ? { ok: true, approve: d === "approve" } : { ok: false, error: `an approval is 'approve' or 'reject', not '${d}'` };
  }
}
