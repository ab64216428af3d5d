/**
 * The residency plan of a committee, computed by walking its predicted turns against the memory
 * it may use. Before each turn its speakers must be resident; when they do not fit, the resident
 * seat needed furthest in the future is parked first — the choice that needs the fewest reloads
 * when the future is known (Belady's rule), and the protocol tells us the future. A seat whose file
 * another resident seat already holds costs only its context.
 *
 * The plan is what the registry panel and `residency.plan` show: which seats co-reside, which loads
 * happen before which turn and what they are predicted to cost, and whether each can be hidden
 * behind the previous turn's generation (a prefetch), which is what the runtime then tries to do.
 */
import type { ModelIdentity } from "../../../../shared/slots.js";
import type { PlannedLoad, RemoteRole, ResidencyPhase, ResidencyPlan } from "../../../../shared/residency.js";
import type { PerfModel } from "../slots/perfModel.js";
import type { PlannedTurn } from "./turnSequence.js";

/** One seat of the committee, with what it costs. */
export interface SeatCost {
  role: string;
  identity: ModelIdentity;
  /** Weights + vocabulary + runtime of its file. */
  weightsBytes: number;
  contextBytes: number;
  /** The model process's baseline, in the engine's memory measure. */
  processBytes: number;
  /** Tokens a turn of this seat adds to the conversation, at most. */
  turnTokens: number;
}

export interface PlanInput {
  sessionId: string | null;
  seats: SeatCost[];
  turns: PlannedTurn[];
  /** Bytes the committee may use: the budget minus what stays reserved (spare, pinned seats of others). */
  availableBytes: number;
  budgetBytes: number;
  reservedBytes: number;
  /** Seats resident now (a running session); empty before the run. */
  resident: string[];
  /** Index of the next turn (a running session); 0 before the run. */
  from: number;
  /** Models each role swaps to, by role, from scheduled swaps (identities resolved). */
  swapTargets: Map<string, SeatCost>;
  perf: PerfModel;
  /** Roles served by remote backends: not in `seats`, listed as they are. */
  remote?: RemoteRole[];
  /** At most this many turns are walked and listed. */
  horizon?: number;
}

/** Memory of a set of seats: contexts, plus weights and a process once per file. */
export function costOf(seats: Iterable<SeatCost>): number {
  const files = new Map<string, SeatCost>();
  let total = 0;
  for (const s of seats) {
    total += s.contextBytes;
    if (!files.has(s.identity.path)) files.set(s.identity.path, s);
  }
  for (const s of files.values()) total += s.weightsBytes + s.processBytes;
  return total;
}

/** Index of the next turn at or after `from` in which `role` speaks, or Infinity. */
export function nextUse(turns: readonly PlannedTurn[], role: string, from: number): number {
  for (let i = from; i < turns.length; i++) if (turns[i]!.speakers.includes(role)) return i;
  return Infinity;
}

export function planResidency(input: PlanInput): ResidencyPlan {
  const horizon = Math.min(input.turns.length, input.from + (input.horizon ?? 200));
  const seats = new Map(input.seats.map((s) => [s.role, { ...s }]));
  const refused = input.seats.find((s) => costOf([s]) > input.availableBytes);
  const basisNote = input.perf.predict({ from: null, to: input.seats[0]?.identity ?? placeholder(), historyTokens: 0 }).basis.replace(/, \d+ of \d+ history tokens to evaluate$/, "");
  const base = {
    sessionId: input.sessionId,
    budgetBytes: input.budgetBytes,
    reservedBytes: input.reservedBytes,
    seats: input.seats.map((s) => ({
      role: s.role,
      modelName: s.identity.name,
      needBytes: costOf([s]),
      sharesWith: input.seats.filter((o) => o.role !== s.role && o.identity.path === s.identity.path).map((o) => o.role),
      resident: input.resident.includes(s.role),
    })),
    remote: input.remote ?? [],
    fitsAll: costOf(input.seats) <= input.availableBytes,
    speakers: input.turns.slice(input.from, horizon).map((t) => t.speakers),
    basis: basisNote,
  };
  if (refused) {
    return { ...base, refused: `${refused.identity.name} (role ${refused.role}) alone needs more than the ${Math.round(input.availableBytes / 1e6)} MB available`, phases: [], loads: [], predictedVisibleMs: 0, predictedTotalMs: 0 };
  }

  const resident = new Set(input.resident);
  const everLoaded = new Set(input.resident);
  /** Tokens spoken since each seat was last resident, for the tail a saved state leaves to evaluate. */
  const sinceParked = new Map<string, number>();
  let historyTokens = 0;
  const loads: PlannedLoad[] = [];
  const phases: ResidencyPhase[] = [];
  const cost = (roles: Iterable<string>) => costOf([...roles].map((r) => seats.get(r)!).filter(Boolean));

  for (let i = input.from; i < horizon; i++) {
    const turn = input.turns[i]!;
    for (const swap of turn.swaps) {
      const target = input.swapTargets.get(swap.role);
      if (!target) continue;
      const current = seats.get(swap.role)!;
      if (resident.has(swap.role)) {
        const p = input.perf.predict({ from: current.identity, to: target.identity, historyTokens });
        // Staged beside the previous speakers and the seat's current model.
        const previous = i > 0 ? input.turns[i - 1]!.speakers.filter((r) => seats.has(r)) : [];
        const staged = i > 0 && cost(new Set([...previous, swap.role])) + costOf([{ ...target, role: `${swap.role}~staged` }]) <= input.availableBytes;
        loads.push({ beforeTurn: i, role: swap.role, modelName: target.identity.name, kind: "scheduled", parks: [], predictedMs: p.ms, prefetchable: staged });
      }
      seats.set(swap.role, { ...target, role: swap.role });
    }
    const needed = turn.speakers.filter((r) => seats.has(r));
    for (const role of needed) {
      if (resident.has(role)) continue;
      const parks: string[] = [];
      while (cost([...resident, role]) > input.availableBytes) {
        const victim = [...resident]
          .filter((r) => !needed.includes(r))
          .sort((a, b) => nextUse(input.turns, b, i) - nextUse(input.turns, a, i))[0];
        if (!victim) break;
        resident.delete(victim);
        sinceParked.set(victim, 0);
        parks.push(victim);
      }
      const seat = seats.get(role)!;
      const tail = everLoaded.has(role) ? (sinceParked.get(role) ?? historyTokens) : historyTokens;
      const p = input.perf.predict({ from: null, to: seat.identity, historyTokens, savedTokens: historyTokens - tail });
      loads.push({ beforeTurn: i, role, modelName: seat.identity.name, kind: everLoaded.has(role) ? "rotation" : "first-load", parks, predictedMs: p.ms, prefetchable: prefetchable(i, role) });
      resident.add(role);
      everLoaded.add(role);
    }
    const spoken = needed.reduce((n, r) => n + (seats.get(r)?.turnTokens ?? 0), 0);
    historyTokens += spoken;
    for (const [r, n] of sinceParked) if (!resident.has(r)) sinceParked.set(r, n + spoken);
    const now = [...resident].sort();
    const last = phases.at(-1);
    if (last && sameSet(last.resident, now)) last.toTurn = i;
    else phases.push({ fromTurn: i, toTurn: i, resident: now });
  }

  /** Whether the load of `role` before turn `i` fits beside turn i-1's speakers, so it can run while they generate. */
  function prefetchable(i: number, role: string): boolean {
    if (i === 0) return false;
    const previous = input.turns[i - 1]!.speakers.filter((r) => seats.has(r));
    return !previous.includes(role) && cost(new Set([...previous, role])) <= input.availableBytes;
  }

  const predictedTotalMs = loads.reduce((s, l) => s + l.predictedMs, 0);
  const predictedVisibleMs = loads.reduce((s, l) => {
    if (!l.prefetchable) return s + l.predictedMs;
    // A prefetched load still evaluates the previous turn's output when its turn comes.
    const seat = seats.get(l.role);
    const prev = input.turns[l.beforeTurn - 1]?.speakers.reduce((n, r) => n + (seats.get(r)?.turnTokens ?? 0), 0) ?? 0;
    return seat ? s + prev / input.perf.prefillTokensPerMs(seat.identity).rate : s;
  }, 0);
  return { ...base, refused: null, phases, loads, predictedVisibleMs, predictedTotalMs };
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function placeholder(): ModelIdentity {
  return { path: "", fileName: "", name: "", sizeBytes: 0, fingerprint: "", architecture: "", parameterCount: 0, quantization: "", trainContextSize: 0, vocabSize: 0, hasChatTemplate: false };
}
