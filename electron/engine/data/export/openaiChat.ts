/**
 * OpenAI chat fine-tuning JSONL: one example per role turn. Each example is that role's system
 * prompt, its view of the conversation so far (see perspective.ts), and the turn itself as the final
 * assistant message. Earlier assistant turns carry `weight: 0` and the final one `weight: 1`, so
 * every turn is trained on exactly once across the file. OpenAI's format takes no extra keys, so each
 * example's provenance goes to the `<file>.provenance.jsonl` sidecar, line for line.
 *
 * Speed: a 10,000-message session exports ~120 MB (every example repeats its context). Each message's
 * JSON is built and UTF-8 encoded once per point of view, checked once by the format's rules, and then
 * copied as bytes into every example that holds it; an example's own checks are only the ones about
 * order (system first, a user turn, a trained assistant turn last), made from the fragments' roles.
 */
import type { ExportIssue } from "../../../../shared/exportReport.js";
import type { Message } from "../../../../shared/conversation.js";
import type { ExportContext } from "./context.js";
import { isRoleTurn, selected, sessionMessages } from "./context.js";
import { chatMessageIssues, chatOrderIssues } from "./formatValidators.js";
import { ContextWindow, hasContent, visibleTo } from "./perspective.js";
import type { ExportWriter } from "./writer.js";

/** One chat message of an example: its encoded JSON, what the order checks read, and its own issues. */
class Fragment {
  readonly bytes: Buffer;
  readonly issues: ExportIssue[];
  constructor(
    readonly message: { role: string; content: string; name?: string; weight?: number },
    where: string,
  ) {
    this.bytes = Buffer.from(JSON.stringify(message));
    this.issues = chatMessageIssues(message, where);
  }
}

class Turn {
  private asOther: Fragment | undefined;
  private asSelf: Fragment | undefined;
  private provenance: Buffer | undefined;
  readonly idBytes: Buffer;

  constructor(readonly m: Message) {
    this.idBytes = Buffer.from(JSON.stringify(m.id));
  }

  provenanceBytes(ctx: ExportContext): Buffer {
    return (this.provenance ??= Buffer.from(JSON.stringify(ctx.provenance.of(this.m))));
  }

  /** This message as `role` sees it. */
  fragment(role: string): Fragment {
    const m = this.m;
    if (m.from === role) return (this.asSelf ??= new Fragment({ role: "assistant", content: m.content, weight: 0 }, `message ${m.id}`));
    return (this.asOther ??= new Fragment(
      m.from === "user" ? { role: "user", content: m.content } : { role: "user", name: m.from, content: m.content },
      `message ${m.id}`,
    ));
  }

  target(): Fragment {
    return new Fragment({ role: "assistant", content: this.m.content, weight: 1 }, `message ${this.m.id}`);
  }
}

const OPEN = Buffer.from('{"messages":[');
const COMMA = Buffer.from(",");
const CLOSE = Buffer.from("]}\n");
const NONE: readonly ExportIssue[] = [];

const CONTEXT = Buffer.from(',"context":[');
const PAIR_END = Buffer.from('],"pair":null}\n');

/**
 * Writes the sidecar line of an example: the same object `ProvenanceIndex.forTurn` builds, copied
 * together from per-message JSON encoded once, since every example repeats most of its neighbour's
 * context.
 */
function putProvenanceLine(ctx: ExportContext, sidecar: ExportWriter, head: Buffer, target: Turn, context: readonly Turn[]): void {
  sidecar.put(head);
  sidecar.put(target.provenanceBytes(ctx));
  sidecar.put(CONTEXT);
  for (let i = 0; i < context.length; i++) {
    if (i > 0) sidecar.put(COMMA);
    sidecar.put(context[i]!.idBytes);
  }
  sidecar.put(PAIR_END);
}

export async function writeOpenAIChat(ctx: ExportContext, out: ExportWriter): Promise<{ records: number; skipped: number }> {
  const windows = new Map(ctx.roles.map((r) => [r, new ContextWindow<Turn>(ctx.request.contextMessages)]));
  const systems = new Map<string, Fragment>();
  const task = ctx.task === null ? null : new Fragment({ role: "user", content: ctx.task }, "task");
  const head = Buffer.from(`{"sessionId":${JSON.stringify(ctx.session.id)},"protocol":${JSON.stringify(ctx.session.protocolKind)},"target":`);
  let records = 0;
  let skipped = 0;

  for (const m of sessionMessages(ctx.store, ctx.session.id)) {
    if (!hasContent(m)) continue;
    const turn = new Turn(m);
    for (const [role, window] of windows) {
      if (!visibleTo(m, role)) continue;
      if (m.from === role && isRoleTurn(m) && selected(ctx, m)) {
        const parts: Fragment[] = [];
        const system = ctx.prompts.at(role, m.seq);
        if (system !== null) {
          let s = systems.get(system);
          if (s === undefined) systems.set(system, (s = new Fragment({ role: "system", content: system }, "system prompt")));
          parts.push(s);
        }
        let prompted = task !== null;
        if (task !== null) parts.push(task);
        const context = window.values();
        for (const t of context) {
          parts.push(t.fragment(role));
          prompted ||= t.m.from !== role;
        }
        if (!prompted) {
          // A turn with no one else's words before it has no prompt to learn from.
          skipped++;
        } else {
          const target = turn.target();
          parts.push(target);
          ctx.thoughts.add(m);
          out.put(OPEN);
          let chars = 0;
          let issues: ExportIssue[] | null = null;
          for (let i = 0; i < parts.length; i++) {
            const p = parts[i]!;
            if (i > 0) out.put(COMMA);
            out.put(p.bytes);
            chars += p.message.content.length;
            if (p.issues.length > 0) (issues ??= []).push(...p.issues);
          }
          out.put(CLOSE);
          const order = chatOrderIssues(parts.map((p) => p.message));
          if (order.length > 0) (issues ??= []).push(...order);
          ctx.validation.add(issues ?? NONE, chars);
          if (ctx.sidecar) putProvenanceLine(ctx, ctx.sidecar, head, turn, context);
          await out.drain();
          await ctx.sidecar?.drain();
          records++;
        }
      }
      window.push(m.seq, turn, m.type === "summary");
    }
  }
  return { records, skipped };
}
