/**
 * The researcher's composer in the timeline: a message with a type, references (labels such as
 * `m3`, a ballot's `A`, or role names) and a confidence, like any member's. While the session waits
 * for a human seat's turn it sends that turn; otherwise it interjects, to everyone or to chosen roles.
 * Ctrl+Enter (⌘+Enter) sends.
 */
import { useState } from "react";
import { MessageType } from "../../../shared/conversation.js";
import type { HumanWait } from "../../../shared/human.js";
import { useHuman } from "../stores/humanStore";
import { useUi } from "../stores/uiStore";

export function Composer({ sessionId, wait, roles }: { sessionId: string; wait: HumanWait | null; roles: readonly string[] }) {
  const say = useHuman((s) => s.say);
  const turn = wait?.kind === "turn" ? wait : null;
  const [content, setContent] = useState("");
  const [type, setType] = useState("");
  const [refs, setRefs] = useState("");
  const [confidence, setConfidence] = useState("");
  const [to, setTo] = useState("all");
  const [busy, setBusy] = useState(false);
  const types = turn ? turn.types : MessageType.options.filter((t) => t !== "system" && t !== "retrieved");
  const send = async (): Promise<void> => {
    if (!content.trim()) return;
    setBusy(true);
    try {
      const referencesTo = refs.split(/[\s,]+/).filter(Boolean);
      const conf = confidence.trim() === "" ? undefined : Number(confidence) / 100;
      const chosen = type && (types as readonly string[]).includes(type) ? MessageType.parse(type) : undefined;
      await say({
        sessionId,
        content: content.trim(),
        ...(chosen ? { type: chosen } : {}),
        ...(referencesTo.length > 0 ? { referencesTo } : {}),
        ...(conf !== undefined && Number.isFinite(conf) ? { confidence: Math.min(1, Math.max(0, conf)) } : {}),
        ...(!turn && to !== "all" ? { to: [to] } : {}),
        ...(!turn ? { interject: true } : {}),
      });
      setContent("");
      setRefs("");
      setConfidence("");
      setType("");
    } catch (e) {
      useUi.getState().notify("error", e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className={`composer${turn ? " your-turn" : ""}`}
      aria-label="Composer"
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <textarea
        className="input"
        aria-label={turn ? `Your turn as ${turn.role}` : "Interjection"}
        rows={2}
        value={content}
        placeholder={turn ? `${turn.role}'s turn (${turn.types.join(" or ")})` : "Say something to the committee (its next turns see it)"}
        onChange={(e) => setContent(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            void send();
          }
        }}
      />
      <div className="row wrap">
        <label className="field">
          <span>Type</span>
          <select className="input small" aria-label="Message type" value={type} onChange={(e) => setType(e.target.value)}>
            <option value="">{turn ? `default (${turn.types[0]})` : "question"}</option>
            {types.map((t) => (
              <option key={t} value={t}>{t}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>References</span>
          <input className="input small" aria-label="References" value={refs} onChange={(e) => setRefs(e.target.value)} placeholder="m3, A or a role" />
        </label>
        <label className="field">
          <span>Confidence %</span>
          <input className="input small" aria-label="Confidence percent" type="number" min={0} max={100} value={confidence} onChange={(e) => setConfidence(e.target.value)} />
        </label>
        {!turn && (
          <label className="field">
            <span>To</span>
            <select className="input small" aria-label="Addressee" value={to} onChange={(e) => setTo(e.target.value)}>
              <option value="all">everyone</option>
              {roles.map((r) => (
                <option key={r} value={r}>{r}</option>
              ))}
            </select>
          </label>
        )}
        <button type="submit" className="btn small primary" disabled={busy || !content.trim()}>
          {turn ? `Send as ${turn.role}` : "Interject"}
        </button>
      </div>
    </form>
  );
}
