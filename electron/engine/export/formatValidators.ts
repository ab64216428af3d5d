/**
 * Checks each export format by the rules of the tools that read it (docs: the training-format
 * reference). Test helpers: each returns the list of violations, empty when the record is valid, so
 * tests can show what was wrong and can prove the checks reject bad records.
 */
import { Message } from "../../../shared/conversation.js";
import { SESSION_JSON_FORMAT } from "./sessionJson.js";

/** OpenAI's rule for `name`. */
export const OPENAI_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

type Json = unknown;

const isObject = (v: Json): v is Record<string, Json> => typeof v === "object" && v !== null && !Array.isArray(v);

function extraKeys(o: Record<string, Json>, allowed: readonly string[], where: string): string[] {
  return Object.keys(o)
    .filter((k) => !allowed.includes(k))
    .map((k) => `${where}: unexpected key "${k}"`);
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
export function chatMessageErrors(m: Json, where: string, roles: readonly string[] = ["system", "user", "assistant"]): string[] {
  if (!isObject(m)) return [`${where}: not an object`];
  const errors = extraKeys(m, ["role", "content", "name", "weight"], where);
  if (typeof m.role !== "string" || !roles.includes(m.role)) errors.push(`${where}: role ${JSON.stringify(m.role)} not one of ${roles.join("|")}`);
  if (typeof m.content !== "string") errors.push(`${where}: content is not a string`);
  else if (m.content.trim() === "") errors.push(`${where}: content is empty`);
  if ("name" in m && (typeof m.name !== "string" || !OPENAI_NAME.test(m.name))) errors.push(`${where}: name ${JSON.stringify(m.name)} does not match ${OPENAI_NAME}`);
  if ("weight" in m) {
    if (m.role !== "assistant") errors.push(`${where}: weight on a ${String(m.role)} message`);
    if (m.weight !== 0 && m.weight !== 1) errors.push(`${where}: weight must be 0 or 1`);
  }
  return errors;
}

/** An OpenAI chat fine-tuning example: `messages` (ending with a trained assistant turn), optional tools. */
export function openAIChatErrors(r: Json): string[] {
  if (!isObject(r)) return ["record: not an object"];
  const errors = extraKeys(r, ["messages", "tools", "parallel_tool_calls"], "record");
  if (!Array.isArray(r.messages) || r.messages.length === 0) return [...errors, "messages: not a non-empty array"];
  r.messages.forEach((m, i) => errors.push(...chatMessageErrors(m, `messages[${i}]`)));
  const last: Json = r.messages.at(-1);
  if (!isObject(last) || last.role !== "assistant") errors.push("messages: the last message is not an assistant turn");
  else if (last.weight === 0) errors.push("messages: the final assistant turn is not trained (weight 0)");
  r.messages.forEach((m, i) => {
    if (i > 0 && isObject(m) && m.role === "system") errors.push(`messages[${i}]: system message after the start`);
  });
  if (!r.messages.some((m) => isObject(m) && m.role === "user")) errors.push("messages: no user turn");
  return errors;
}

const SHAREGPT_ODD = ["human", "observation"];
const SHAREGPT_EVEN = ["gpt", "function_call"];

/** A ShareGPT record as LLaMA-Factory reads it: strict human/gpt alternation, human first, gpt last. */
export function shareGptErrors(r: Json, preference = false): string[] {
  if (!isObject(r)) return ["record: not an object"];
  const errors = extraKeys(r, ["conversations", "system", "tools", ...(preference ? ["chosen", "rejected"] : [])], "record");
  if ("system" in r && typeof r.system !== "string") errors.push("system: not a string");
  if ("tools" in r && typeof r.tools !== "string") errors.push("tools: not a string");
  if (!Array.isArray(r.conversations) || r.conversations.length === 0) return [...errors, "conversations: not a non-empty array"];
  r.conversations.forEach((t, i) => {
    const where = `conversations[${i}]`;
    if (!isObject(t)) return void errors.push(`${where}: not an object`);
    errors.push(...extraKeys(t, ["from", "value"], where));
    if (typeof t.value !== "string") errors.push(`${where}: value is not a string`);
    const allowed = i % 2 === 0 ? SHAREGPT_ODD : SHAREGPT_EVEN;
    if (typeof t.from !== "string" || !allowed.includes(t.from)) errors.push(`${where}: from ${JSON.stringify(t.from)} where ${allowed.join("|")} belongs`);
  });
  const lastFrom = (r.conversations.at(-1) as Record<string, Json> | undefined)?.from;
  if (preference) {
    if (r.conversations.length % 2 !== 1) errors.push("conversations: a preference prompt must end with a human turn");
    for (const k of ["chosen", "rejected"]) {
      const a = r[k];
      if (!isObject(a) || a.from !== "gpt" || typeof a.value !== "string") errors.push(`${k}: not {"from":"gpt","value":string}`);
    }
  } else if (lastFrom !== "gpt") {
    errors.push("conversations: the last turn is not gpt");
  }
  return errors;
}

/** A TRL preference record, `prompt`/`chosen`/`rejected`, all strings or all chat-message lists. */
export function trlPreferenceErrors(r: Json): string[] {
  if (!isObject(r)) return ["record: not an object"];
  const errors = extraKeys(r, ["prompt", "chosen", "rejected"], "record");
  for (const k of ["prompt", "chosen", "rejected"]) if (!(k in r)) errors.push(`record: missing "${k}"`);
  if (errors.length > 0) return errors;
  const { prompt, chosen, rejected } = r;
  if (typeof prompt === "string") {
    if (typeof chosen !== "string" || typeof rejected !== "string") return ["string form: chosen and rejected must be strings too"];
    if (prompt.trim() === "" || chosen.trim() === "" || rejected.trim() === "") errors.push("string form: empty text");
  } else if (Array.isArray(prompt)) {
    if (!Array.isArray(chosen) || !Array.isArray(rejected)) return ["message form: chosen and rejected must be message lists too"];
    if (prompt.length === 0) errors.push("prompt: empty");
    prompt.forEach((m, i) => errors.push(...chatMessageErrors(m, `prompt[${i}]`)));
    for (const [k, list] of [["chosen", chosen], ["rejected", rejected]] as const) {
      if (list.length === 0) errors.push(`${k}: empty`);
      list.forEach((m, i) => errors.push(...chatMessageErrors(m, `${k}[${i}]`, ["assistant"])));
    }
  } else {
    return ["prompt: neither a string nor a message list"];
  }
  if (JSON.stringify(chosen) === JSON.stringify(rejected)) errors.push("chosen and rejected are the same");
  return errors;
}

/** An OpenAI preference (DPO) record: `input.messages`, `preferred_output`, `non_preferred_output`. */
export function openAIDpoErrors(r: Json): string[] {
  if (!isObject(r)) return ["record: not an object"];
  const errors = extraKeys(r, ["input", "preferred_output", "non_preferred_output"], "record");
  const input = r.input;
  if (!isObject(input) || !Array.isArray(input.messages) || input.messages.length === 0) {
    errors.push("input.messages: not a non-empty array");
  } else {
    errors.push(...extraKeys(input, ["messages", "tools", "parallel_tool_calls"], "input"));
    input.messages.forEach((m, i) => errors.push(...chatMessageErrors(m, `input.messages[${i}]`)));
  }
  for (const k of ["preferred_output", "non_preferred_output"]) {
    const out = r[k];
    if (!Array.isArray(out) || out.length === 0) errors.push(`${k}: not a non-empty array`);
    else out.forEach((m, i) => errors.push(...chatMessageErrors(m, `${k}[${i}]`, ["assistant"])));
  }
  return errors;
}

/** Conclave's full-session JSON: header keys, and every message valid by the shared schema. */
export function sessionJsonErrors(doc: Json): string[] {
  if (!isObject(doc)) return ["document: not an object"];
  const errors: string[] = [];
  if (doc.format !== SESSION_JSON_FORMAT) errors.push(`format: not ${SESSION_JSON_FORMAT}`);
  if (typeof doc.version !== "number") errors.push("version: not a number");
  for (const k of ["session", "assignments", "swaps", "votes", "ratings", "roleStats", "messages"]) {
    if (!(k in doc)) errors.push(`missing "${k}"`);
  }
  if (!Array.isArray(doc.messages)) return [...errors, "messages: not an array"];
  doc.messages.forEach((m, i) => {
    if (!isObject(m)) return void errors.push(`messages[${i}]: not an object`);
    const { rating, votesReceived, ...message } = m;
    const parsed = Message.strict().safeParse(message);
    if (!parsed.success) errors.push(`messages[${i}]: ${parsed.error.issues.map((x) => `${x.path.join(".")} ${x.message}`).join("; ")}`);
    if (rating !== null && (typeof rating !== "number" || rating < 0 || rating > 1)) errors.push(`messages[${i}]: rating out of 0..1`);
    if (typeof votesReceived !== "number") errors.push(`messages[${i}]: votesReceived missing`);
    if (!isObject(m.provenance) && m.provenance !== null) errors.push(`messages[${i}]: provenance missing`);
  });
  return errors;
}
