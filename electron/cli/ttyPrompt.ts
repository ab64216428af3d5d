/**
 * The researcher at a terminal: while `conclave run` follows a session on a TTY, every wait the
 * answers file does not cover is asked on the terminal — a human seat's turn as a line of text, a
 * decision as a choice — and the answer goes to the engine through `sessions.say` / `sessions.decide`,
 * the same calls the UI makes.
 */
import { createInterface, type Interface } from "node:readline/promises";
import { describeWait, type HumanWait } from "../../shared/human.js";
import type { Engine } from "../engine/Engine.js";

export interface TtyPrompt {
  /** Asks for `wait` (once per wait); answers arrive through the engine. */
  ask(sessionId: string, wait: HumanWait): void;
  close(): void;
}

export function ttyPrompt(engine: Engine, input: NodeJS.ReadableStream, output: NodeJS.WritableStream, err: (t: string) => void): TtyPrompt {
  let rl: Interface | null = null;
  let asking: Promise<void> = Promise.resolve();
  const line = (q: string): Promise<string> => (rl ??= createInterface({ input, output, terminal: true })).question(q);
  return {
    ask(sessionId, wait) {
      asking = asking.then(async () => {
        output.write(`\n${describeWait(wait)}\n`);
        try {
          if (wait.kind === "turn") {
            const content = (await line(`${wait.role}> `)).trim();
            await engine.sessions.say({ sessionId, content: content || "(no comment)" });
          } else {
            const options = wait.kind === "decision" ? wait.candidates.map((c) => `${c.label}=${c.from}`) : wait.kind === "speaker" ? wait.choices.map((c) => c.role) : ["approve", "reject"];
            const decision = (await line(`decide [${options.join(" / ")}]> `)).trim();
            const reason = (await line("reason> ")).trim();
            await engine.sessions.decide({ sessionId, decision, reason });
          }
        } catch (e) {
          err(`answer not taken: ${e instanceof Error ? e.message : String(e)}\n`);
        }
      });
    },
    close() {
      rl?.close();
    },
  };
}
