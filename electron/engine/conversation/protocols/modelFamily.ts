/**
 * Model families, for keeping judges off contestants of their own family (judges favour answers
 * like their own). A family is read from the GGUF identity: the architecture plus the first word of
 * the model's name, letters only, lower-cased — `llama:llama` for "Llama 3.2 1B Instruct",
 * `qwen2:qwen` for "Qwen2.5-0.5B-Instruct", `llama:tinyllama` for "TinyLlama-1.1B-Chat",
 * `llama:stories` for "stories260K". Sizes, versions and fine-tune suffixes do not split a family;
 * a name whose first word is a vendor ("Meta-Llama-3-8B") groups by the vendor instead.
 */
import type { SlotAssignment } from "../../../../shared/conversation.js";
import type { ModelIdentity } from "../../../../shared/slots.js";
import type { Ballot } from "./voting.js";

/** `architecture:stem` of a model. */
export function modelFamily(model: Pick<ModelIdentity, "architecture" | "name">): string {
  const stem = /[a-z]+/.exec(model.name.toLowerCase())?.[0] ?? model.name.toLowerCase();
  return `${model.architecture.toLowerCase()}:${stem}`;
}

/** The model serving `role` when message `seq` was produced (the latest assignment at or before it); `Infinity` for now. */
export function modelAt(assignments: readonly SlotAssignment[], role: string, seq = Infinity): ModelIdentity | null {
  let found: ModelIdentity | null = null;
  for (const a of assignments) if (a.role === role && a.fromSeq <= seq) found = a.model;
  return found;
}

/**
 * Why `ballot.voter` may not judge this ballot: a candidate from its own model family; null when it
 * may (or when a model is unknown, e.g. a remote backend without a GGUF identity).
 */
export function familyConflict(ballot: Ballot, assignments: readonly SlotAssignment[]): string | null {
  const judge = modelAt(assignments, ballot.voter);
  if (!judge) return null;
  const family = modelFamily(judge);
  for (const c of ballot.candidates) {
    const model = modelAt(assignments, c.message.from, c.message.seq);
    if (model && modelFamily(model) === family) {
      return `${ballot.voter} (${judge.name}) is of the same model family (${family}) as ${c.message.from}'s ${model.name}`;
    }
  }
  return null;
}
