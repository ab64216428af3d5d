/**
 * Typed turns: a message's `{type, content, referencesTo, confidence}`, read from what a model wrote.
 * How a turn is generated (content first, then a short label step) is conversation/session/typedFormat.ts; this
 * file reads and repairs. {@link typedTurnSchema} is the JSON schema a grammar holds labels to:
 * `type` an enum of the types the step allows, `referencesTo` items an enum of the labels (`m12`) of
 * messages that exist, `confidence` one of 0, 0.1, …, 1. {@link parseTypedTurn} takes a complete
 * typed-turn JSON as it is, and repairs what is still invalid, recording each repair in words, which
 * the message keeps in `repairs` (and then its raw output in `raw`):
 *  - a type the step does not allow → the step's default type;
 *  - a confidence outside 0..1 → clamped; missing or not a number → null;
 *  - a reference to a label that does not exist (or a duplicate) → dropped;
 *  - output that is not JSON → the whole text is the content;
 *  - JSON cut off by the token limit → the fields that were complete are kept;
 *  - a ballot that ranks fewer labels than asked → kept as it is (never completed), and noted.
 */
import type { MessageType } from "../../../../shared/conversation.js";

/** What a step allows a turn to be. */
export interface TurnShape {
  /** Allowed types; the first is the default. */
  types: readonly MessageType[];
  /** Labels the turn may cite, mapped to message ids. */
  refs: ReadonlyMap<string, string>;
  /** For ballots: exactly this many references (a full ranking). */
  exactRefs?: number;
  /** Upper bound on content length, so the JSON can close within the token limit. */
  contentMaxChars?: number;
}

/** A parsed, repaired turn. */
export interface TypedTurn {
  type: MessageType;
  content: string;
  /** Message ids (labels already mapped). */
  referencesTo: string[];
  /** The labels as the model wrote them, in order (ballots rank by them). */
  labels: string[];
  confidence: number | null;
  repairs: string[];
}

/** The confidence values a grammar allows. */
export const CONFIDENCE_STEPS: readonly number[] = Array.from({ length: 11 }, (_, i) => i / 10);

/** JSON schema for a typed turn (the subset node-llama-cpp turns into a grammar). */
export function typedTurnSchema(shape: TurnShape): Record<string, unknown> {
  const labels = [...shape.refs.keys()];
  const refs: Record<string, unknown> =
    labels.length === 0
      ? { type: "array", items: { type: "string" }, maxItems: 0 }
      : {
          type: "array",
          items: { enum: labels },
          ...(shape.exactRefs !== undefined
            ? { minItems: shape.exactRefs, maxItems: shape.exactRefs }
            : { maxItems: Math.min(3, labels.length) }),
        };
  const type = { enum: [...shape.types] };
  const content = { type: "string", ...(shape.contentMaxChars ? { maxLength: shape.contentMaxChars } : {}) };
  const confidence = { enum: CONFIDENCE_STEPS };
  // A ballot's ranking is its point: it comes before the rationale, so a token limit cuts the
  // rationale short rather than turning the vote into an abstention.
  const properties = shape.exactRefs !== undefined ? { type, referencesTo: refs, content, confidence } : { type, content, referencesTo: refs, confidence };
  return { type: "object", properties, required: Object.keys(properties) };
}

/** A typed turn's fields as written, unchecked. */
export interface RawTurn {
  type?: unknown;
  content?: unknown;
  referencesTo?: unknown;
  confidence?: unknown;
}

/** Reads the fields that are complete from JSON that was cut off (or otherwise broken). */
function salvageJson(text: string): RawTurn {
  const out: RawTurn = {};
  const type = /"type"\s*:\s*"([^"]*)"/.exec(text);
  if (type) out.type = type[1];
  const conf = /"confidence"\s*:\s*(-?[\d.]+(?:[eE][-+]?\d+)?)/.exec(text);
  if (conf) out.confidence = Number(conf[1]);
  const refs = /"referencesTo"\s*:\s*\[([^\]]*)\]/.exec(text);
  if (refs) out.referencesTo = [...(refs[1] ?? "").matchAll(/"([^"]*)"/g)].map((m) => m[1]);
  const content = /"content"\s*:\s*"((?:[^"\\]|\\.)*)/.exec(text);
  if (content) {
    const body = content[1] ?? "";
    try {
      out.content = JSON.parse(`"${body.replace(/\\$/, "")}"`) as string;
    } catch {
      out.content = body.replace(/\\n/g, "\n").replace(/\\"/g, '"');
    }
  }
  return out;
}

/** Plain-text fallback: an optional leading `type:` word, `confidence: x` and `m12` mentions. */
export function parsePlain(text: string, shape: TurnShape): RawTurn {
  const out: RawTurn = { content: text.trim() };
  const lead = /^\s*([a-z]+)\s*[:-]\s*/i.exec(text);
  if (lead && shape.types.includes(lead[1]!.toLowerCase() as MessageType)) {
    out.type = lead[1]!.toLowerCase();
    out.content = text.slice(lead[0].length).trim();
  }
  const conf = /confidence\s*[:=]\s*(-?[\d.]+)/i.exec(text);
  if (conf) out.confidence = Number(conf[1]);
  const mentioned = [...text.matchAll(/\b(m\d+)\b/g)].map((m) => m[1]!).filter((l) => shape.refs.has(l));
  if (mentioned.length > 0) out.referencesTo = mentioned;
  return out;
}

/** What the model's JSON said, before any repair; `complete` when it parsed whole. */
export interface ReadTurn {
  raw: RawTurn;
  /** The text held a JSON object that parsed whole. */
  complete: boolean;
  /** The text held JSON at all (possibly cut off). */
  json: boolean;
}

/**
 * Reads a typed turn's fields from `text`: a whole JSON object, or the complete fields of one that
 * was cut off. Text without JSON reads as no fields (`json: false`).
 */
export function readTurnJson(text: string): ReadTurn {
  const trimmed = text.trim();
  const start = trimmed.indexOf("{");
  if (start < 0) return { raw: {}, complete: false, json: false };
  const candidate = trimmed.slice(start, trimmed.lastIndexOf("}") + 1 || undefined);
  try {
    const parsed: unknown = JSON.parse(candidate);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("not an object");
    return { raw: parsed as RawTurn, complete: true, json: true };
  } catch {
    return { raw: salvageJson(trimmed.slice(start)), complete: false, json: true };
  }
}

/**
 * Whether `text` is a complete typed turn as JSON (`{"type":…,"content":…}`, possibly with prose
 * around it): such output is taken as it is, with no further step.
 */
export function isTypedTurnJson(text: string): boolean {
  const read = readTurnJson(text);
  return read.complete && typeof read.raw.type === "string" && read.raw.content !== undefined;
}

/** Parses and repairs a model's typed turn; `grammar` says whether a grammar constrained it. */
export function parseTypedTurn(text: string, shape: TurnShape, grammar: boolean): TypedTurn {
  const repairs: string[] = [];
  const read = readTurnJson(text);
  let raw: RawTurn;
  if (read.complete) raw = read.raw;
  else if (read.json) {
    raw = read.raw;
    repairs.push(
      grammar
        ? "output was cut off before the JSON closed (token limit); kept the complete fields"
        : "output was not valid JSON; kept the fields that could be read",
    );
  } else {
    raw = parsePlain(text.trim(), shape);
    repairs.push("output was not JSON; used the text as content");
  }
  return repairTurn(raw, shape, repairs);
}

/** Checks each field of `raw` against `shape`, repairing what is invalid; each repair is added to `repairs`. */
export function repairTurn(raw: RawTurn, shape: TurnShape, repairs: string[]): TypedTurn {
  const defaultType = shape.types[0] ?? "analysis";
  let type: MessageType = defaultType;
  if (typeof raw.type === "string" && shape.types.includes(raw.type as MessageType)) type = raw.type as MessageType;
  else if (raw.type === undefined) repairs.push(`no type given; used '${defaultType}'`);
  else repairs.push(`type ${JSON.stringify(raw.type)} is not allowed here (${shape.types.join(", ")}); used '${defaultType}'`);

  let content = typeof raw.content === "string" ? raw.content : "";
  if (typeof raw.content !== "string") {
    if (raw.content !== undefined) {
      content = JSON.stringify(raw.content);
      repairs.push("content was not a string; kept its JSON text");
    } else repairs.push("no content given");
  }
  content = content.trim();

  let confidence: number | null = null;
  if (typeof raw.confidence === "number" && Number.isFinite(raw.confidence)) {
    confidence = Math.min(1, Math.max(0, raw.confidence));
    if (confidence !== raw.confidence) repairs.push(`confidence ${raw.confidence} is outside 0..1; clamped to ${confidence}`);
  } else if (raw.confidence === undefined) repairs.push("no confidence given; left empty");
  else repairs.push(`confidence ${JSON.stringify(raw.confidence)} is not a number; left empty`);

  const labels: string[] = [];
  const refList = Array.isArray(raw.referencesTo) ? raw.referencesTo : raw.referencesTo === undefined ? [] : [raw.referencesTo];
  for (const r of refList) {
    const label = String(r);
    if (!shape.refs.has(label)) repairs.push(`reference ${JSON.stringify(label)} names no message here; dropped`);
    else if (labels.includes(label)) repairs.push(`reference ${label} repeated; dropped the repeat`);
    else labels.push(label);
  }
  // A ballot's missing labels are never filled in: guessing them (say, in the order shown) would
  // count the presentation order as the voter's judgement. The caller decides whether what is there
  // still makes a vote (conversation/protocols/ballotReading.ts).
  if (shape.exactRefs !== undefined && labels.length < shape.exactRefs) {
    const missing = [...shape.refs.keys()].filter((l) => !labels.includes(l));
    if (missing.length > 0) repairs.push(`ranking left out ${missing.join(", ")}; the ballot is incomplete`);
  }
  return {
    type,
    content,
    referencesTo: labels.map((l) => shape.refs.get(l)!),
    labels,
    confidence,
    repairs,
  };
}
