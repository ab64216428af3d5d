/**
 * Checks each export format by the rules of the tools that read it (docs: the training-format
 * reference). Each checker returns the issues found in one record, each with its kind (OpenAI's
 * dataset checker's kinds first; see shared/exportReport.ts), empty when the record is valid. The
 * exporter tallies them into the validation report (the tests' message-only forms live in `test/`).
 */
import { Message } from "../../../../shared/conversation.js";
import { RecordProvenance, type ExportIssue, type ExportIssueKind } from "../../../../shared/exportReport.js";
import { SESSION_JSON_FORMAT } from "./sessionJsonFormat.js";

/** OpenAI's rule for `name`. */
export const OPENAI_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

type Json = unknown;
type Issues = ExportIssue[];

const isObject = (v: Json): v is Record<string, Json> => typeof v === "object" && v !== null && !Array.isArray(v);
const issue = (kind: ExportIssueKind, message: string): ExportIssue => ({ kind, message });

function extraKeys(o: Record<string, Json>, allowed: readonly string[], where: string, kind: ExportIssueKind = "unrecognized_key"): Issues {
  return Object.keys(o)
    .filter((k) => !allowed.includes(k))
    .map((k) => issue(kind, `${where}: unexpected key "${k}"`));
}

/** A record's `metadata` must be the provenance shape. */
function metadataIssues(r: Record<string, Json>): Issues {
  if (!("metadata" in r)) return [];
  const parsed = RecordProvenance.safeParse(r.metadata);
  return parsed.success ? [] : [issue("data_type", `metadata: ${parsed.error.issues.map((x) => `${x.path.join(".")} ${x.message}`).join("; ")}`)];
}

/** Parses JSONL: every non-empty line must be one JSON value; the file must end with a newline. */
export function parseJsonl(text: string): Json[] {
  if (text.length > 0 && !text.endsWith("\n")) throw new Error("JSONL must end with a newline");
  return text
    .split("\n")
    .filter((line, i, all) => line.length > 0 || i < all.length - 1)
    .map((line, i) => {
      if (line.trim() === "") throw new Error(`line ${i + 1} is empty`);
      return JSON.parse(line) as Json;
    });
}

/** One chat message as OpenAI fine-tuning accepts it: role, content, optional name, assistant-only weight. */
export function chatMessageIssues(m: Json, where: string, roles: readonly string[] = ["system", "user", "assistant"], extra: readonly string[] = []): Issues {
  if (!isObject(m)) return [issue("data_type", `${where}: not an object`)];
  const out = extraKeys(m, ["role", "content", "name", "weight", ...extra], where, "message_unrecognized_key");
  if ("thinking" in m && typeof m.thinking !== "string") out.push(issue("data_type", `${where}: thinking is not a string`));
  if (!("role" in m)) out.push(issue("message_missing_key", `${where}: no role`));
  else if (typeof m.role !== "string" || !roles.includes(m.role)) out.push(issue("unrecognized_role", `${where}: role ${JSON.stringify(m.role)} not one of ${roles.join("|")}`));
  if (typeof m.content !== "string") out.push(issue("missing_content", `${where}: content is not a string`));
  else if (m.content.trim() === "") out.push(issue("missing_content", `${where}: content is empty`));
  if ("name" in m && (typeof m.name !== "string" || !OPENAI_NAME.test(m.name))) out.push(issue("invalid_name", `${where}: name ${JSON.stringify(m.name)} does not match ${OPENAI_NAME}`));
  if ("weight" in m) {
    if (m.role !== "assistant") out.push(issue("invalid_weight", `${where}: weight on a ${String(m.role)} message`));
    if (m.weight !== 0 && m.weight !== 1) out.push(issue("invalid_weight", `${where}: weight must be 0 or 1`));
  }
  return out;
}

/** The order rules of an OpenAI example's message list (system only first, a user turn, a trained assistant turn last). */
export function chatOrderIssues(list: readonly Json[]): Issues {
  const out: Issues = [];
  const last: Json = list.at(-1);
  if (!list.some((m) => isObject(m) && m.role === "assistant")) out.push(issue("example_missing_assistant_message", "messages: no assistant message"));
  else if (!isObject(last) || last.role !== "assistant") out.push(issue("turn_order", "messages: the last message is not an assistant turn"));
  else if (last.weight === 0) out.push(issue("invalid_weight", "messages: the final assistant turn is not trained (weight 0)"));
  list.forEach((m, i) => {
    if (i > 0 && isObject(m) && m.role === "system") out.push(issue("turn_order", `messages[${i}]: system message after the start`));
  });
  if (!list.some((m) => isObject(m) && m.role === "user")) out.push(issue("turn_order", "messages: no user turn"));
  return out;
}

/** An OpenAI chat fine-tuning example: `messages` (ending with a trained assistant turn), optional tools. */
export function openAIChatIssues(r: Json): Issues {
  if (!isObject(r)) return [issue("data_type", "record: not an object")];
  const out = extraKeys(r, ["messages", "tools", "parallel_tool_calls"], "record");
  if (!Array.isArray(r.messages) || r.messages.length === 0) return [...out, issue("missing_messages_list", "messages: not a non-empty array")];
  r.messages.forEach((m, i) => out.push(...chatMessageIssues(m, `messages[${i}]`)));
  out.push(...chatOrderIssues(r.messages));
  return out;
}

const SHAREGPT_ODD = ["human", "observation"];
const SHAREGPT_EVEN = ["gpt", "function_call"];

/** A ShareGPT record as LLaMA-Factory reads it: strict human/gpt alternation, human first, gpt last; optional provenance `metadata`. */
export function shareGptIssues(r: Json, preference = false): Issues {
  if (!isObject(r)) return [issue("data_type", "record: not an object")];
  const out = extraKeys(r, ["conversations", "system", "tools", "metadata", ...(preference ? ["chosen", "rejected"] : [])], "record");
  out.push(...metadataIssues(r));
  if ("system" in r && typeof r.system !== "string") out.push(issue("data_type", "system: not a string"));
  if ("tools" in r && typeof r.tools !== "string") out.push(issue("data_type", "tools: not a string"));
  if (!Array.isArray(r.conversations) || r.conversations.length === 0) return [...out, issue("missing_messages_list", "conversations: not a non-empty array")];
  r.conversations.forEach((t, i) => {
    const where = `conversations[${i}]`;
    if (!isObject(t)) return void out.push(issue("data_type", `${where}: not an object`));
    out.push(...extraKeys(t, ["from", "value"], where, "message_unrecognized_key"));
    if (typeof t.value !== "string" || t.value.trim() === "") out.push(issue("missing_content", `${where}: value is not a non-empty string`));
    const allowed = i % 2 === 0 ? SHAREGPT_ODD : SHAREGPT_EVEN;
    if (typeof t.from !== "string" || ![...SHAREGPT_ODD, ...SHAREGPT_EVEN].includes(t.from)) out.push(issue("unrecognized_role", `${where}: from ${JSON.stringify(t.from)} is not a ShareGPT role`));
    else if (!allowed.includes(t.from)) out.push(issue("turn_order", `${where}: from ${JSON.stringify(t.from)} where ${allowed.join("|")} belongs`));
  });
  const lastFrom = (r.conversations.at(-1) as Record<string, Json> | undefined)?.from;
  if (preference) {
    if (r.conversations.length % 2 !== 1) out.push(issue("turn_order", "conversations: a preference prompt must end with a human turn"));
    for (const k of ["chosen", "rejected"]) {
      const a = r[k];
      if (!isObject(a) || a.from !== "gpt" || typeof a.value !== "string") out.push(issue("example_missing_assistant_message", `${k}: not {"from":"gpt","value":string}`));
    }
  } else if (lastFrom !== "gpt") {
    out.push(issue("example_missing_assistant_message", "conversations: the last turn is not gpt"));
  }
  return out;
}

/** An Alpaca record as LLaMA-Factory reads it: instruction and output (or chosen/rejected), optional input, system, history pairs, metadata. */
export function alpacaIssues(r: Json, preference = false): Issues {
  if (!isObject(r)) return [issue("data_type", "record: not an object")];
  const answers = preference ? ["chosen", "rejected"] : ["output"];
  const out = extraKeys(r, ["instruction", "input", "system", "history", "metadata", ...answers], "record");
  out.push(...metadataIssues(r));
  if (typeof r.instruction !== "string" || r.instruction.trim() === "") out.push(issue("missing_content", "instruction: not a non-empty string"));
  for (const k of answers) {
    if (!(k in r)) out.push(issue("example_missing_assistant_message", `${k}: missing`));
    else if (typeof r[k] !== "string" || (r[k] as string).trim() === "") out.push(issue("missing_content", `${k}: not a non-empty string`));
  }
  for (const k of ["input", "system"]) if (k in r && typeof r[k] !== "string") out.push(issue("data_type", `${k}: not a string`));
  if ("history" in r) {
    if (!Array.isArray(r.history)) out.push(issue("data_type", "history: not a list"));
    else r.history.forEach((h, i) => {
      if (!Array.isArray(h) || h.length !== 2 || typeof h[0] !== "string" || typeof h[1] !== "string") out.push(issue("data_type", `history[${i}]: not a [query, response] pair of strings`));
    });
  }
  if (preference && r.chosen === r.rejected) out.push(issue("identical_pair", "chosen and rejected are the same"));
  return out;
}

/** A TRL preference record, `prompt`/`chosen`/`rejected`, all strings or all chat-message lists, with optional provenance `metadata`. */
export function trlPreferenceIssues(r: Json): Issues {
  if (!isObject(r)) return [issue("data_type", "record: not an object")];
  const out = extraKeys(r, ["prompt", "chosen", "rejected", "metadata"], "record");
  out.push(...metadataIssues(r));
  for (const k of ["prompt", "chosen", "rejected"]) if (!(k in r)) out.push(issue(k === "prompt" ? "missing_messages_list" : "example_missing_assistant_message", `record: missing "${k}"`));
  if (out.length > 0) return out;
  const { prompt, chosen, rejected } = r;
  if (typeof prompt === "string") {
    if (typeof chosen !== "string" || typeof rejected !== "string") return [issue("data_type", "string form: chosen and rejected must be strings too")];
    if (prompt.trim() === "" || chosen.trim() === "" || rejected.trim() === "") out.push(issue("missing_content", "string form: empty text"));
  } else if (Array.isArray(prompt)) {
    if (!Array.isArray(chosen) || !Array.isArray(rejected)) return [issue("data_type", "message form: chosen and rejected must be message lists too")];
    if (prompt.length === 0) out.push(issue("missing_messages_list", "prompt: empty"));
    prompt.forEach((m, i) => out.push(...chatMessageIssues(m, `prompt[${i}]`)));
    for (const [k, list] of [["chosen", chosen], ["rejected", rejected]] as const) {
      if (list.length === 0) out.push(issue("example_missing_assistant_message", `${k}: empty`));
      // TRL's conversational datasets carry an assistant's thought in a `thinking` key.
      list.forEach((m, i) => out.push(...chatMessageIssues(m, `${k}[${i}]`, ["assistant"], ["thinking"])));
    }
  } else {
    return [issue("data_type", "prompt: neither a string nor a message list")];
  }
  if (JSON.stringify(chosen) === JSON.stringify(rejected)) out.push(issue("identical_pair", "chosen and rejected are the same"));
  return out;
}

/** An OpenAI preference (DPO) record: `input.messages`, `preferred_output`, `non_preferred_output`. */
export function openAIDpoIssues(r: Json): Issues {
  if (!isObject(r)) return [issue("data_type", "record: not an object")];
  const out = extraKeys(r, ["input", "preferred_output", "non_preferred_output"], "record");
  const input = r.input;
  if (!isObject(input) || !Array.isArray(input.messages) || input.messages.length === 0) {
    out.push(issue("missing_messages_list", "input.messages: not a non-empty array"));
  } else {
    out.push(...extraKeys(input, ["messages", "tools", "parallel_tool_calls"], "input"));
    input.messages.forEach((m, i) => out.push(...chatMessageIssues(m, `input.messages[${i}]`)));
  }
  for (const k of ["preferred_output", "non_preferred_output"]) {
    const o = r[k];
    if (!Array.isArray(o) || o.length === 0) out.push(issue("example_missing_assistant_message", `${k}: not a non-empty array`));
    else o.forEach((m, i) => out.push(...chatMessageIssues(m, `${k}[${i}]`, ["assistant"])));
  }
  if (JSON.stringify(r.preferred_output) === JSON.stringify(r.non_preferred_output)) out.push(issue("identical_pair", "preferred and non-preferred outputs are the same"));
  return out;
}

/** Conclave's full-session JSON: header keys, and every message valid by the shared schema. */
export function sessionJsonIssues(doc: Json): Issues {
  if (!isObject(doc)) return [issue("data_type", "document: not an object")];
  const out: Issues = [];
  if (doc.format !== SESSION_JSON_FORMAT) out.push(issue("data_type", `format: not ${SESSION_JSON_FORMAT}`));
  if (typeof doc.version !== "number") out.push(issue("data_type", "version: not a number"));
  for (const k of ["session", "assignments", "swaps", "votes", "ratings", "roleStats", "messages"]) {
    if (!(k in doc)) out.push(issue("unrecognized_key", `missing "${k}"`));
  }
  if (!Array.isArray(doc.messages)) return [...out, issue("missing_messages_list", "messages: not an array")];
  doc.messages.forEach((m, i) => out.push(...sessionMessageIssues(m, i)));
  return out;
}

/** One message of the full-session JSON. */
export function sessionMessageIssues(m: Json, i: number): Issues {
  if (!isObject(m)) return [issue("data_type", `messages[${i}]: not an object`)];
  const out: Issues = [];
  const { rating, votesReceived, ...message } = m;
  const parsed = Message.strict().safeParse(message);
  if (!parsed.success) out.push(issue("data_type", `messages[${i}]: ${parsed.error.issues.map((x) => `${x.path.join(".")} ${x.message}`).join("; ")}`));
  if (rating !== null && (typeof rating !== "number" || rating < 0 || rating > 1)) out.push(issue("data_type", `messages[${i}]: rating out of 0..1`));
  if (typeof votesReceived !== "number") out.push(issue("message_missing_key", `messages[${i}]: votesReceived missing`));
  return out;
}

/** The provenance sidecar: one valid {@link RecordProvenance} per line. */
export function provenanceIssues(r: Json): Issues {
  const parsed = RecordProvenance.strict().safeParse(r);
  return parsed.success ? [] : [issue("data_type", parsed.error.issues.map((x) => `${x.path.join(".")}: ${x.message}`).join("; "))];
}
