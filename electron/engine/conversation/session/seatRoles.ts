/**
 * Seating a session's roles: each role gets a seat with its model assigned (not loaded yet), its
 * system prompt (the role's own plus the protocol's guidance) and sampling, and its context budget.
 * A resumed session seats each role on the model it had last; a fork on the models its experiment
 * names. Assignments are recorded for roles that have none yet.
 */
import { isHumanRole, type Experiment } from "../../../../shared/experiment.js";
import type { SessionStore } from "../../data/store/sessionStore.js";
import type { SeatedRole } from "./RoleTurns.js";
import type { SeatKeeper } from "./SeatKeeper.js";

export interface SeatingContext {
  experiment: Experiment;
  guidance: string;
  store: SessionStore;
  sessionId: string;
  resumed: boolean;
  /** Models to seat on instead of the experiment's or the last assigned (a fork). */
  seatOn: ReadonlyMap<string, string> | null;
  keeper: SeatKeeper;
  checkpoint(): Promise<void>;
  progress(text: string): void;
  defaultContextSize: number;
}

/** Fills `seats` (per-role facts the turns need) and `fingerprints` (for learned routing). */
export async function seatRoles(ctx: SeatingContext, seats: Map<string, SeatedRole>, fingerprints: Map<string, string>): Promise<void> {
  const assigned = ctx.resumed ? ctx.store.listAssignments(ctx.sessionId) : [];
  const last = ctx.seatOn ?? new Map(assigned.map((a) => [a.role, a.model.path]));
  for (const role of ctx.experiment.roles) {
    await ctx.checkpoint();
    const system = [role.system, ctx.guidance].filter(Boolean).join("\n\n");
    // A human seat takes no model and no memory: its turns come from the researcher (conversation/session/HumanDesk.ts).
    if (isHumanRole(role) || role.model === undefined) {
      seats.set(role.name, { name: role.name, system, budgetTokens: role.contextBudget ?? 1 << 20, maxTokens: role.maxTokens ?? 1024, human: true });
      continue;
    }
    const model = last.get(role.name) ?? role.model;
    ctx.progress(`seating ${role.name} ← ${model}`);
    const info = await ctx.keeper.seat(role.name, model, {
      contextSize: role.contextSize ?? ctx.defaultContextSize,
      systemPrompt: system,
      sampling: {
        ...(role.temperature !== undefined ? { temperature: role.temperature } : {}),
        ...(role.maxTokens !== undefined ? { maxTokens: role.maxTokens } : {}),
        ...(role.topP !== undefined ? { topP: role.topP } : {}),
        ...(role.topK !== undefined ? { topK: role.topK } : {}),
      },
    });
    if (info.model) {
      if (!assigned.some((a) => a.role === role.name)) ctx.store.recordAssignment({ sessionId: ctx.sessionId, role: role.name, model: info.model, systemPrompt: system });
      fingerprints.set(role.name, info.model.fingerprint);
    }
    const maxTokens = info.sampling.maxTokens;
    const contextSize = Math.min(role.contextSize ?? ctx.defaultContextSize, info.model?.trainContextSize || Infinity);
    const budgetTokens = role.contextBudget ?? Math.max(64, Math.floor((contextSize - maxTokens) * 0.75));
    seats.set(role.name, { name: role.name, system, budgetTokens, maxTokens });
  }
}
