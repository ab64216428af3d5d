/**
 * Provenance of exported records: for every message a record trains on or compares, the model file
 * (fingerprint, file name, name, quantization, architecture), the sampler settings and seed, the
 * runtime that generated it, its role, round and type, and its vote context (votes received, their
 * mean, explicit ratings, the resulting quality). The model file comes from the slot assignment that
 * served the role when the message was spoken (so a hot swap is reflected), falling back to the
 * message's own provenance. Records carry it as `metadata` where the format tolerates extra fields
 * (TRL, ShareGPT, Alpaca) and in a `<file>.provenance.jsonl` sidecar, line for line, where it does not
 * (OpenAI chat and DPO).
 */
import type { Message, SlotAssignment } from "../../../../shared/conversation.js";
import type { MessageProvenanceRecord, RecordProvenance } from "../../../../shared/exportReport.js";
import { modelAt } from "../../conversation/protocols/modelFamily.js";
import type { QualityIndex } from "./quality.js";
import type { CommandCheckOutcome } from "../../../../shared/commandCheck.js";

/** A code session's artifacts and checks, by message (conversation/session/codeReport.ts). */
export interface CodeProvenance {
  artifacts: ReadonlyMap<string, readonly string[]>;
  checks: ReadonlyMap<string, CommandCheckOutcome>;
}

/** Builds (and caches per message) provenance records for one session's export. */
export class ProvenanceIndex {
  private readonly cache = new Map<string, MessageProvenanceRecord>();

  constructor(
    readonly sessionId: string,
    readonly protocol: string,
    private readonly assignments: readonly SlotAssignment[],
    private readonly quality: QualityIndex,
    private readonly code: CodeProvenance | null = null,
  ) {}

  of(m: Message): MessageProvenanceRecord {
    const hit = this.cache.get(m.id);
    if (hit) return hit;
    const p = m.provenance;
    const assigned = p ? modelAt(this.assignments, m.from, m.seq) : null;
    // The assignment names the file only when it is the model that actually answered.
    const file = assigned && p && assigned.fingerprint === p.fingerprint ? assigned : null;
    const q = this.quality.of(m);
    const record: MessageProvenanceRecord = {
      messageId: m.id,
      role: m.from,
      type: m.type,
      round: m.round,
      model: p
        ? {
            fingerprint: p.fingerprint,
            name: p.modelName,
            fileName: p.fileName ?? file?.fileName ?? null,
            quantization: p.quantization,
            architecture: file?.architecture ?? null,
          }
        : null,
      sampling: p?.sampling ?? null,
      seed: p?.seed ?? null,
      runtime: p?.runtime ?? null,
      votes: { received: q.votes, meanScore: q.voteScore, ratings: q.ratings, quality: q.rating },
      ...this.codeOf(m.id),
    };
    this.cache.set(m.id, record);
    return record;
  }

  private codeOf(id: string): Pick<MessageProvenanceRecord, "artifacts" | "check"> {
    if (!this.code) return {};
    const artifacts = this.code.artifacts.get(id);
    const o = this.code.checks.get(id);
    const e = o?.run ?? o?.setup.at(-1) ?? null;
    return {
      ...(artifacts ? { artifacts: [...artifacts] } : {}),
      ...(o ? { check: { command: e?.argv ?? [], passed: o.passed, exitCode: e?.exitCode ?? null, killedBy: e?.killedBy ?? (o.refused ? "refused" : null), durationMs: e?.durationMs ?? null, sandbox: e?.sandbox ?? null } } : {}),
    };
  }

  /** The provenance of an SFT record training on `target` with `context` before it. */
  forTurn(target: Message, context: readonly Pick<Message, "id">[]): RecordProvenance {
    return { sessionId: this.sessionId, protocol: this.protocol, target: this.of(target), context: context.map((c) => c.id), pair: null };
  }

  /** The provenance of a preference record. */
  forPair(pair: { source: NonNullable<RecordProvenance["pair"]>["source"]; judge: string | null; chosen: Message; rejected: Message }, context: readonly string[]): RecordProvenance {
    return {
      sessionId: this.sessionId,
      protocol: this.protocol,
      target: null,
      context: [...context],
      pair: { source: pair.source, judge: pair.judge, chosen: this.of(pair.chosen), rejected: this.of(pair.rejected) },
    };
  }
}
