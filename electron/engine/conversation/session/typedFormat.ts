/**
 * How a role's turn becomes a typed message (type, content, references, confidence) without the
 * format ever costing the content. Two designs were measured (`npm run bench -- format`,
 * `emptyContentShare` at `maxTokens: 32`); the engine uses the first:
 *
 * - `content-first` (the default): the model writes freely — thinking first, when its template has
 *   thought segments — and whatever it writes is the content, cut off or not. Where the backend has
 *   grammars and the model does not think, the grammar allows free text or a typed-turn JSON whose
 *   type the step allows (so a model that answers in JSON is held to the step's types). A short second step,
 *   under a grammar where the backend has one, then asks for the type, the references and the
 *   confidence alone. Output that already is a complete typed-turn JSON is taken as it is, with no
 *   repair and no second step. A cut-off JSON keeps its complete fields, and its text when it cut
 *   off before the content.
 * - `json-grammar`: one generation held to the typed-turn JSON by a grammar, with the token limit
 *   raised by a reserve for the JSON scaffolding and the content capped at `maxTokens` characters,
 *   non-empty. Kept for the bench's comparison: it cannot think (the grammar forbids a thought
 *   segment), and it caps the content.
 *
 * A `plain` turn (compare columns) is the model's answer as written: no second step, the step's
 * default type, no references, no confidence.
 */
import type { TurnGenerator, TurnRequest, TurnResult } from "../bus/TurnGenerator.js";
import { isTypedTurnJson, parsePlain, parseTypedTurn, readTurnJson, repairTurn, typedTurnSchema, CONFIDENCE_STEPS, type RawTurn, type TurnShape, type TypedTurn } from "../bus/typedTurn.js";

export type TypedFormat = "content-first" | "json-grammar";

/** Tokens the label step may spend: a ballot ranking four labels plus type and confidence, spelt a character a token. */
export const LABEL_MAX_TOKENS = 96;

export interface FormattedTurn {
  turn: TypedTurn;
  /** The generation that wrote the content (its usage, provenance and thought are the message's). */
  result: TurnResult;
  /** Completion tokens of the label step (0 when there was none). */
  labelTokens: number;
  /** The model's output as it came: the content step's text, then the label step's. */
  raw: string;
}

/** Everything of the turn's request except the format's own parts. */
export type BaseRequest = Omit<TurnRequest, "jsonSchema">;

/** The label step's JSON schema: the turn's type, references and confidence, without content. */
export function labelSchema(shape: TurnShape): Record<string, unknown> {
  const full = typedTurnSchema(shape) as { properties: Record<string, unknown> };
  const { type, referencesTo, confidence } = full.properties;
  const properties = shape.exactRefs !== undefined ? { referencesTo, type, confidence } : { type, referencesTo, confidence };
  return { type: "object", properties, required: Object.keys(properties) };
}

/** What the label step asks, as the orchestrator's note after the model's own message. */
export function labelInstruction(shape: TurnShape): string {
  const labels = [...shape.refs.keys()];
  const refs =
    shape.exactRefs !== undefined
      ? `referencesTo: all ${shape.exactRefs} labels (${labels.join(", ")}), best first`
      : `referencesTo: the labels of up to 3 messages your message builds on${labels.length ? ` (${labels.join(", ")})` : " (none here: [])"}`;
  return `Label your message above as JSON: type (one of ${shape.types.join(", ")}), ${refs}, and confidence (0 to 1).`;
}

export async function formatTurn(
  generator: TurnGenerator,
  role: string,
  request: BaseRequest,
  shape: TurnShape,
  options: { format: TypedFormat; plain: boolean; maxTokens: number },
): Promise<FormattedTurn> {
  if (options.format === "json-grammar" && !options.plain && generator.supportsGrammar) return jsonGrammarTurn(generator, role, request, shape, options.maxTokens);
  // Free text, or a typed-turn JSON whose type the step allows (where the backend has grammars).
  const result = await generator.generateTurn(role, generator.supportsGrammar && !options.plain ? { ...request, jsonSchema: typedTurnSchema(shape), orFreeText: true } : request);
  const text = result.text;
  // A complete typed turn is taken as it is: no repair, no second step.
  if (isTypedTurnJson(text)) return { turn: parseTypedTurn(text, shape, result.grammarConstrained ?? false), result, labelTokens: 0, raw: text };
  if (options.plain) {
    return { turn: { type: shape.types[0] ?? "answer", content: text.trim(), referencesTo: [], labels: [], confidence: null, repairs: [] }, result, labelTokens: 0, raw: text };
  }
  const repairs: string[] = [];
  // Only output that starts as JSON (or a JSON code block) was meant as JSON; a brace in prose is prose.
  const read = /^\s*(```(json)?\s*)?\{/.test(text) ? readTurnJson(text) : { raw: {}, complete: false, json: false };
  // Cut-off JSON keeps the fields it completed; its text stands for the content when the cut came first.
  const written = read.json ? read.raw : {};
  if (read.json) repairs.push("output was cut off before the JSON closed; kept the complete fields");
  const content = typeof written.content === "string" && written.content.trim() ? written.content : text.trim();
  if (read.json && content === text.trim()) repairs.push("no content field was complete; kept the text as written");
  if (result.aborted) return { turn: repairTurn({ ...written, content, ...fromPlain(text, shape) }, shape, repairs), result, labelTokens: 0, raw: text };

  const labels = await generator.generateTurn(role, {
    turns: [...request.turns, { role: "assistant", content }, { role: "user", name: "system", content: labelInstruction(shape) }],
    sampling: { ...request.sampling, maxTokens: LABEL_MAX_TOKENS, thoughtBudget: 0 },
    ...(generator.supportsGrammar ? { jsonSchema: labelSchema(shape) } : {}),
    ...(request.signal ? { signal: request.signal } : {}),
    ...(request.sessionId !== undefined ? { sessionId: request.sessionId } : {}),
  });
  const labelRead = readTurnJson(labels.text);
  if (!labelRead.complete) {
    repairs.push(labelRead.json ? "the label step was cut off before its JSON closed; kept its complete fields" : "the label step's output was not JSON; read the labels from its text");
  }
  const labelFields = labelRead.json ? labelRead.raw : fromPlain(labels.text, shape);
  const turn = repairTurn({ ...labelFields, ...written, content }, shape, repairs);
  return { turn, result, labelTokens: labels.usage.completionTokens, raw: `${text}\n\n[labels] ${labels.text}` };
}

/** What a plain text says of its type, confidence and references (backends that wrote no JSON). */
function fromPlain(text: string, shape: TurnShape): RawTurn {
  const read = parsePlain(text, shape);
  delete read.content;
  return read;
}

/** The measured alternative: one grammar-held JSON, with a token reserve for its scaffolding. */
async function jsonGrammarTurn(generator: TurnGenerator, role: string, request: BaseRequest, shape: TurnShape, maxTokens: number): Promise<FormattedTurn> {
  const longestType = shape.types.reduce((a, b) => (b.length > a.length ? b : a), "");
  const cited = [...shape.refs.keys()].slice(0, shape.exactRefs ?? 3);
  const scaffold = JSON.stringify({ type: longestType, content: "", referencesTo: cited, confidence: CONFIDENCE_STEPS[1] });
  // A token is at least a character, so a reserve of the scaffold's characters always lets the JSON close.
  const reserve = scaffold.length + 8;
  const schema = typedTurnSchema({ ...shape, contentMaxChars: maxTokens }) as { properties: Record<string, Record<string, unknown>> };
  schema.properties.content = { ...schema.properties.content, minLength: 1 };
  const result = await generator.generateTurn(role, { ...request, sampling: { ...request.sampling, maxTokens: maxTokens + reserve }, jsonSchema: schema });
  return { turn: parseTypedTurn(result.text, shape, result.grammarConstrained ?? true), result, labelTokens: 0, raw: result.text };
}
