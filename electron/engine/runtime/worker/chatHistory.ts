/**
 * How a role's history becomes node-llama-cpp chat history.
 *
 * The mapping (documented in README "How a role sees the conversation"): the role's own turns are
 * assistant turns; turns by other speakers are user turns prefixed with `[name]:`, so a model that
 * only knows user/assistant still sees who said what; consecutive user turns merge, because most
 * chat templates require strict alternation.
 */
import type { ChatHistoryItem } from "node-llama-cpp";
import type { ChatTurn } from "../../../../shared/slots.js";

/** Text of a user-side turn, naming its speaker when there is one. */
export function userText(turn: ChatTurn): string {
  return turn.name ? `[${turn.name}]: ${turn.content}` : turn.content;
}

/** Splits turns into the history before the final prompt and that prompt (the trailing user turns). */
export function toChatHistory(turns: readonly ChatTurn[]): { history: ChatHistoryItem[]; prompt: string } {
  const history: ChatHistoryItem[] = [];
  for (const turn of turns) {
    const last = history.at(-1);
    if (turn.role === "system") {
      if (last?.type === "system") last.text += "\n\n" + turn.content;
      else history.push({ type: "system", text: turn.content });
    } else if (turn.role === "user") {
      if (last?.type === "user") last.text += "\n\n" + userText(turn);
      else history.push({ type: "user", text: userText(turn) });
    } else if (last?.type === "model") {
      last.response.push("\n\n" + turn.content);
    } else {
      history.push({ type: "model", response: [turn.content] });
    }
  }
  const tail = history.at(-1);
  if (tail?.type === "user") {
    history.pop();
    return { history, prompt: tail.text };
  }
  return { history, prompt: "" };
}
