/**
 * Harmony thoughts for scripted models. node-llama-cpp's Harmony wrapper closes the analysis
 * message at `<|end|>` and re-renders the context, which re-tokenizes the thought as plain text and
 * ends the prompt with `<|start|>assistant` again; the answer then follows without a channel (the
 * wrapper injects `<|channel|>final<|message|>` itself). So after the thought the model must tell
 * "thought done" from "not started" although its current token is the same. It does so with one
 * attention head over marker tokens: `<|channel|>` counts +1, the script's own `analysis` pieces
 * count −2. The pieces exist only while the model is writing its thought (a re-render turns them
 * into byte tokens), so the head's output is positive exactly after the thought, and that output
 * moves the next token to the answer.
 */

/** How a Harmony thought opens and closes. */
export const HARMONY_THOUGHT_OPEN = "<|channel|>analysis<|message|>";
export const HARMONY_THOUGHT_CLOSE = "<|end|>";
/** The answer's opening, optional in a script (the wrapper injects it). */
export const HARMONY_FINAL_OPEN = "<|start|>assistant<|channel|>final<|message|>";

/** A Harmony script with a thought: the thought message (open … close) and the answer after it. */
export interface HarmonyThoughtScript {
  thought: string;
  answer: string;
}

/**
 * Split `script` when it opens with an analysis thought; null when it does not. Throws when the
 * thought is not closed or no answer follows it.
 */
export function splitHarmonyThought(script: string): HarmonyThoughtScript | null {
  if (!script.startsWith(HARMONY_THOUGHT_OPEN)) return null;
  const close = script.indexOf(HARMONY_THOUGHT_CLOSE, HARMONY_THOUGHT_OPEN.length);
  if (close < 0) throw new Error(`harmony script opens a thought with ${HARMONY_THOUGHT_OPEN} but never closes it with ${HARMONY_THOUGHT_CLOSE}`);
  const end = close + HARMONY_THOUGHT_CLOSE.length;
  let answer = script.slice(end);
  if (answer.startsWith(HARMONY_FINAL_OPEN)) answer = answer.slice(HARMONY_FINAL_OPEN.length);
  if (!answer) throw new Error("harmony script has a thought but no answer after it");
  return { thought: script.slice(0, end), answer };
}
