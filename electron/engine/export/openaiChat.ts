/**
 * OpenAI chat fine-tuning JSONL: one example per role turn. Each example is that role's system
 * prompt, its view of the conversation so far (see perspective.ts), and the turn itself as the final
 * assistant message. Earlier assistant turns carry `weight: 0` and the final one `weight: 1`, so
 * every turn is trained on exactly once across the file.
 *
 * Each message's JSON is built once per point of view and reused by every example that holds it,
 * which keeps a 10,000-message export well under a second.
 */
import type { Message } from "../../../shared/conversation.js";
import type { ExportContext } from "./context.js";
import { isRoleTurn, selected, sessionMessages } from "./context.js";
import { ContextWindow, hasContent, visibleTo } from "./perspective.js";
import type { ExportWriter } from "./writer.js";

class Turn {
  private content: string | undefined;
  private asOther: string | undefined;
  private asSelf: string | undefined;

  constructor(readonly m: Message) {}

  private json(): string {
    return (this.content ??= JSON.stringify(this.m.content));
  }

  /** This message as `role` sees it. */
  fragment(role: string): string {
    if (this.m.from === role) return (this.asSelf ??= `{"role":"assistant","content":${this.json()},"weight":0}`);
    this.asOther ??=
      this.m.from === "user"
        ? `{"role":"user","content":${this.json()}}`
        : `{"role":"user","name":${JSON.stringify(this.m.from)},"content":${this.json()}}`;
    return this.asOther;
  }

  target(): string {
    return `{"role":"assistant","content":${this.json()},"weight":1}`;
  }
}

export async function writeOpenAIChat(ctx: ExportContext, out: ExportWriter): Promise<{ records: number; skipped: number }> {
  const windows = new Map(ctx.roles.map((r) => [r, new ContextWindow<Turn>(ctx.request.contextMessages)]));
  const systemJson = new Map<string, string>();
  const taskJson = ctx.task === null ? null : `{"role":"user","content":${JSON.stringify(ctx.task)}}`;
  let records = 0;
  let skipped = 0;

  for (const m of sessionMessages(ctx.store, ctx.session.id)) {
    if (!hasContent(m)) continue;
    const turn = new Turn(m);
    for (const [role, window] of windows) {
      if (!visibleTo(m, role)) continue;
      if (m.from === role && isRoleTurn(m) && selected(ctx, m)) {
        const parts: string[] = [];
        const system = ctx.prompts.at(role, m.seq);
        if (system !== null) {
          let s = systemJson.get(system);
          if (s === undefined) systemJson.set(system, (s = `{"role":"system","content":${JSON.stringify(system)}}`));
          parts.push(s);
        }
        let prompted = taskJson !== null;
        if (taskJson !== null) parts.push(taskJson);
        for (const t of window.values()) {
          parts.push(t.fragment(role));
          prompted ||= t.m.from !== role;
        }
        if (!prompted) {
          // A turn with no one else's words before it has no prompt to learn from.
          skipped++;
        } else {
          parts.push(turn.target());
          await out.write(`{"messages":[${parts.join(",")}]}\n`);
          records++;
        }
      }
      window.push(m.seq, turn, m.type === "summary");
    }
  }
  return { records, skipped };
}
