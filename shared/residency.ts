/**
 * The residency plan: which of a committee's models stay loaded together, and which loads
 * (rotations and scheduled swaps) the engine predicts on the way, with their predicted times. The
 * engine's planner computes it from the protocol's speaking order and the memory budget; the
 * registry panel shows it and `residency.plan` / `residency.preview` return it.
 */
import { z } from "zod";
import { RoleName } from "./slots.js";

/** One seat of the committee as the planner sees it. */
export const PlannedSeat = z.object({
  role: RoleName,
  modelName: z.string(),
  /** Bytes this seat adds when it is the first user of its file (weights + context + process). */
  needBytes: z.number().nonnegative(),
  /** Roles sharing the same file share its weights and process. */
  sharesWith: z.array(RoleName),
  resident: z.boolean(),
});
export type PlannedSeat = z.infer<typeof PlannedSeat>;

/** A stretch of turns during which the same seats are resident. */
export const ResidencyPhase = z.object({
  fromTurn: z.number().int().nonnegative(),
  toTurn: z.number().int().nonnegative(),
  resident: z.array(RoleName),
});
export type ResidencyPhase = z.infer<typeof ResidencyPhase>;

/** A load the plan predicts before a turn: a rotation (a parked seat comes back) or a scheduled swap. */
export const PlannedLoad = z.object({
  beforeTurn: z.number().int().nonnegative(),
  role: RoleName,
  modelName: z.string(),
  kind: z.enum(["rotation", "scheduled", "first-load"]),
  /** Seats parked to make room (their KV state is saved first). */
  parks: z.array(RoleName),
  predictedMs: z.number().nonnegative(),
  /** Whether it can be done while the previous speaker generates (there is room for it then). */
  prefetchable: z.boolean(),
});
export type PlannedLoad = z.infer<typeof PlannedLoad>;

/** A role whose turns go to a remote backend first: it needs no resident seat, so the plan leaves it out. */
export const RemoteRole = z.object({
  role: RoleName,
  backend: z.string(),
  /** Where its turns go when that backend fails, in order (`local` loads its seat then). */
  fallback: z.array(z.string()),
});
export type RemoteRole = z.infer<typeof RemoteRole>;

export const ResidencyPlan = z.object({
  sessionId: z.string().nullable(),
  budgetBytes: z.number().nonnegative(),
  /** What the budget holds back for processes that are not this committee's (the warm spare, other seats). */
  reservedBytes: z.number().nonnegative(),
  seats: z.array(PlannedSeat),
  /** Roles served remotely: their local seats stay parked and are not in `seats`, `phases` or `loads`. */
  remote: z.array(RemoteRole).default([]),
  /** All seats fit at once: no rotation. */
  fitsAll: z.boolean(),
  /** Set when a model alone exceeds the budget: the session cannot run and nothing is evicted. */
  refused: z.string().nullable(),
  /** Predicted speaking order (a concurrent step lists its speakers together), truncated to the horizon. */
  speakers: z.array(z.array(RoleName)),
  phases: z.array(ResidencyPhase),
  loads: z.array(PlannedLoad),
  /** Sum of the predicted load times that are not hidden behind a generation. */
  predictedVisibleMs: z.number().nonnegative(),
  /** Sum of all predicted load times. */
  predictedTotalMs: z.number().nonnegative(),
  /** How the times were predicted, in words. */
  basis: z.string(),
});
export type ResidencyPlan = z.infer<typeof ResidencyPlan>;
