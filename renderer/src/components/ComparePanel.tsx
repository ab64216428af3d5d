/**
 * "Compare": one prompt, N models in blind columns with live metrics, then a verdict that reveals
 * them — a column, a tie or "both bad" — recorded as pairwise outcomes for the leaderboard.
 */
import { modelNameText } from "../../../shared/names.js";
import { useMemo, useState } from "react";
import { formatMs, formatRate } from "../lib/format";
import { useCompare } from "../stores/compareStore";
import { useLibrary } from "../stores/libraryStore";

export function ComparePanel() {
  const library = useLibrary((s) => s.library);
  const models = useMemo(() => library?.models.filter((m) => m.identity) ?? [], [library]);
  const { run, busy, error, start, vote } = useCompare();
  const [prompt, setPrompt] = useState("Once upon a time");
  const [picked, setPicked] = useState<string[]>([]);
  const [maxTokens, setMaxTokens] = useState(48);
  const allDone = run?.columns.every((c) => c.status === "done" || c.status === "error") ?? false;

  return (
    <section className="panel compare" aria-label="Compare">
      <header className="panel-head">
        <h2>Compare</h2>
        <span className="muted small">same prompt, blind columns — vote before the models are revealed</span>
      </header>
      <form
        className="compare-form"
        onSubmit={(e) => {
          e.preventDefault();
          void start(prompt, picked, maxTokens);
        }}
      >
        <label className="field grow">
          <span>Prompt</span>
          <textarea className="input" rows={2} aria-label="Compare prompt" value={prompt} onChange={(e) => setPrompt(e.target.value)} />
        </label>
        <fieldset className="field">
          <legend>Models (2–6)</legend>
          <div className="pick-list">
            {models.map((m) => {
              const name = modelNameText(m.identity ?? { path: m.ref });
              return (
                <label key={m.ref} className="check">
                  <input
                    type="checkbox"
                    checked={picked.includes(m.ref)}
                    onChange={(e) => setPicked((p) => (e.target.checked ? [...p, m.ref] : p.filter((x) => x !== m.ref)))}
                  />
                  {name}
                </label>
              );
            })}
          </div>
        </fieldset>
        <label className="field">
          <span>Max tokens</span>
          <input className="input narrow" type="number" min={1} max={2048} value={maxTokens} onChange={(e) => setMaxTokens(Number(e.target.value) || 1)} />
        </label>
        <button className="btn primary" type="submit" disabled={busy || picked.length < 2 || !prompt.trim()}>
          Run compare
        </button>
      </form>
      {error && <p className="error-text">{error}</p>}
      {run && run.winner === null && (
        <div className="verdicts" role="group" aria-label="Other verdicts">
          <span className="muted small">or:</span>
          <button className="btn" disabled={!allDone} onClick={() => void vote("tie")}>Tie</button>
          <button className="btn" disabled={!allDone} onClick={() => void vote("both-bad")}>Both bad</button>
        </div>
      )}
      {run && run.winner !== null && (run.winner === "tie" || run.winner === "both-bad") && (
        <p className="reveal" role="status">Your verdict: {run.winner === "tie" ? "a tie" : "both bad"}. Recorded in the leaderboard.</p>
      )}
      {run && (
        <div className="columns" style={{ gridTemplateColumns: `repeat(${run.columns.length}, minmax(0, 1fr))` }}>
          {run.columns.map((c) => (
            <article key={c.label} className={`column${run.winner === c.label ? " winner" : ""}`} aria-label={`Column ${c.label}`}>
              <header>
                <span className="column-label">Model {c.label}</span>
                <span className={`status status-${c.status === "done" ? "ready" : c.status === "error" ? "error" : "generating"}`}>{c.status}</span>
              </header>
              <div className="column-text">{c.text || <span className="muted">…</span>}</div>
              {c.error && <p className="error-text small">{c.error}</p>}
              <dl className="metrics">
                <div><dt>TTFT</dt><dd>{formatMs(c.result?.ttftMs)}</dd></div>
                <div><dt>gen</dt><dd>{formatRate(c.result?.genTokensPerSec)}</dd></div>
                <div><dt>tokens</dt><dd>{c.result?.completionTokens ?? "—"}</dd></div>
              </dl>
              {run.winner === null ? (
                <button className="btn" disabled={!allDone} onClick={() => void vote(c.label)}>
                  Vote {c.label}
                </button>
              ) : (
                <p className="reveal">
                  {c.model ? <><strong>{modelNameText(c.model)}</strong> <span className="muted small">{c.model.quantization}</span></> : "unknown"}
                  {run.winner === c.label && <span className="badge ok">your pick</span>}
                </p>
              )}
            </article>
          ))}
        </div>
      )}
    </section>
  );
}
