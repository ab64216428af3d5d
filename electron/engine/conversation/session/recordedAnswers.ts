/**
 * A stored session's human part as answers (shared/human.ts `HumanAnswer`), so a replay feeds the
 * researcher's turns, interjections and decisions back as fixed inputs instead of asking again: a
 * human seat's turn by its content, type, confidence and the authors it cited; an interjection at
 * the message it followed; a decision by the author it picked (ids differ between runs, authors do
 * not); a speaker choice by its role; an approval as approve or reject with its note.
 */
import type { Message } from "../../../../shared/conversation.js";
import type { HumanAnswer } from "../../../../shared/human.js";

export function recordedAnswers(messages: readonly Message[]): HumanAnswer[] {
  const byId = new Map(messages.map((m) => [m.id, m]));
  const out: HumanAnswer[] = [];
  for (const m of messages) {
    const human = m.provenance?.human === true;
    if (m.from === "system") {
      const speaker = /^Next speaker: ([a-zA-Z0-9_-]+), chosen by the researcher \([^)]*\)(?:: (.*))?/s.exec(m.content);
      if (speaker) out.push({ decision: speaker[1]!, ...(speaker[2] ? { reason: speaker[2] } : {}) });
      continue;
    }
    if (!human) continue;
    if (m.from === "user") {
      const decision = /^Decision \([^)]*\): \S+ by ([a-zA-Z0-9_-]+) wins\. Reason: (.*)$/s.exec(m.content);
      const approval = /^(Approved|Rejected) by the researcher:? ?(.*)$/s.exec(m.content);
      if (decision) out.push({ decision: byId.get(m.referencesTo[0] ?? "")?.from ?? decision[1]!, reason: decision[2]! === "none given" ? "" : decision[2]! });
      else if (approval) out.push({ decision: approval[1] === "Approved" ? "approve" : "reject", reason: approval[2]!.replace(/\.$/, "") });
      else out.push({ at: { afterMessage: Math.max(1, m.seq - 1) }, content: m.content, type: m.type, ...(m.to === "all" ? {} : { to: m.to }) });
      continue;
    }
    const cited = m.referencesTo.map((id) => byId.get(id)?.from).filter((r): r is string => r !== undefined);
    out.push({ role: m.from, content: m.content, type: m.type, ...(m.confidence !== null ? { confidence: m.confidence } : {}), ...(cited.length > 0 ? { referencesTo: cited } : {}) });
  }
  return out;
}
