/** Export the active session: format, filters (roles, types, minimum rating) and file name. */
import { useMemo, useState } from "react";
import { ExportFormat, MessageType } from "../../../shared/conversation.js";
import { sessionTitle, titleSlug } from "../../../shared/names.js";
import type { ExportResult } from "../../../shared/rpc.js";
import { formatBytes } from "../lib/format";
import { sessionRoles } from "../lib/sessionRoles";
import { useActiveSession } from "../stores/sessionsStore";
import { useUi } from "../stores/uiStore";
import { rpc } from "../transport/rpcClient";
import { Dialog } from "./Dialog";

const FORMAT_LABELS: Record<ExportFormat, string> = {
  openai: "OpenAI chat JSONL",
  sharegpt: "ShareGPT (LLaMA-Factory)",
  alpaca: "Alpaca (LLaMA-Factory)",
  dpo: "Preference pairs (TRL)",
  "dpo-openai": "Preference pairs (OpenAI DPO JSONL)",
  json: "Full session JSON",
};

/** The export's validation report: records checked, errors by kind, tokens per example, where provenance went. */
function ValidationSummary({ result }: { result: ExportResult }) {
  const v = result.validation;
  const errors = Object.entries(v.errors);
  return (
    <section className="validation" aria-label="Validation report">
      <p>
        Validation: {v.valid} of {v.examples} records valid
        {errors.length === 0 ? " — no errors." : ":"}
      </p>
      {errors.length > 0 && (
        <ul>
          {errors.map(([kind, n]) => <li key={kind}><code>{kind}</code>: {n}</li>)}
        </ul>
      )}
      {v.tokens && (
        <p className="muted small">
          Tokens per example (estimated, 4 characters a token): mean {Math.round(v.tokens.mean)}, min {v.tokens.min}, max {v.tokens.max}, total {v.tokens.total}.
        </p>
      )}
      <p className="muted small">
        Provenance: {result.sidecar ? <>sidecar <code>{result.sidecar}</code></> : "in each record's metadata"}
        {result.datasetInfo && <> · LLaMA-Factory <code>{result.datasetInfo}</code></>}
      </p>
      {result.notes.map((n) => <p key={n} className="muted small">{n}</p>)}
    </section>
  );
}

/** The rating filter in stars, as the rating control shows them (the store keeps 0..1). */
function minRatingText(minRating: number): string {
  if (minRating === 0) return "any";
  const stars = 1 + minRating * 4;
  return `${Number.isInteger(stars) ? stars : stars.toFixed(1)} stars or more`;
}

function startDownload(url: string, fileName: string): void {
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
}

export function ExportDialog() {
  const session = useActiveSession();
  const roles = useMemo(() => sessionRoles(session).map((r) => r.name), [session]);
  const [format, setFormat] = useState<ExportFormat>("openai");
  const [pickedRoles, setPickedRoles] = useState<string[]>([]);
  const [types, setTypes] = useState<MessageType[]>([]);
  const [minRating, setMinRating] = useState(0);
  const [dpoForm, setDpoForm] = useState<"messages" | "string">("messages");
  // Empty: the whole history; a number: that many earlier messages per example (the engine's default is 32).
  const [contextMessages, setContextMessages] = useState("32");
  const [fileName, setFileName] = useState("");
  const [result, setResult] = useState<ExportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const close = useUi((s) => s.close);
  const ext = format === "json" ? "json" : "jsonl";
  // Named for the session's title, so a folder of exports reads as a list of experiments.
  const name = fileName || `${session ? titleSlug(sessionTitle(session)) : "session"}-${format}.${ext}`;

  const run = async (): Promise<void> => {
    if (!session) return;
    setError(null);
    try {
      const done = await rpc().call("export.run", {
          sessionId: session.id,
          format,
          fileName: name,
          ...(pickedRoles.length ? { roles: pickedRoles } : {}),
          ...(types.length ? { types } : {}),
          ...(minRating > 0 ? { minRating } : {}),
          contextMessages: contextMessages.trim() === "" ? null : Number(contextMessages),
          ...(format === "dpo" ? { dpoForm } : {}),
        });
      setResult(done);
      // In the browser the file is written on the host: fetch it at once, one click in all.
      if (done.url) startDownload(done.url, name);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <Dialog title="Export session" wide>
      {!session ? (
        <p>Select a session first.</p>
      ) : (
        <form
          className="form"
          onSubmit={(e) => {
            e.preventDefault();
            void run();
          }}
        >
          <label className="field">
            <span>Format</span>
            <select className="input" aria-label="Format" value={format} onChange={(e) => setFormat(ExportFormat.parse(e.target.value))}>
              {ExportFormat.options.map((f) => (
                <option key={f} value={f}>{FORMAT_LABELS[f]}</option>
              ))}
            </select>
          </label>
          <fieldset className="field">
            <legend>Roles (none = all)</legend>
            <div className="pick-list">
              {roles.map((r) => (
                <label key={r} className="check">
                  <input type="checkbox" checked={pickedRoles.includes(r)} onChange={(e) => setPickedRoles((p) => (e.target.checked ? [...p, r] : p.filter((x) => x !== r)))} />
                  {r}
                </label>
              ))}
            </div>
          </fieldset>
          <fieldset className="field">
            <legend>Message types (none = all)</legend>
            <div className="pick-list">
              {MessageType.options.map((t) => (
                <label key={t} className="check">
                  <input type="checkbox" checked={types.includes(t)} onChange={(e) => setTypes((p) => (e.target.checked ? [...p, t] : p.filter((x) => x !== t)))} />
                  {t}
                </label>
              ))}
            </div>
          </fieldset>
          <label className="field">
            <span>Minimum rating: {minRatingText(minRating)}</span>
            <input type="range" aria-label="Minimum rating" aria-valuetext={minRatingText(minRating)} min={0} max={1} step={0.125} value={minRating} onChange={(e) => setMinRating(Number(e.target.value))} />
          </label>
          <label className="field">
            <span>Earlier messages per example (empty = whole history)</span>
            <input className="input" aria-label="Earlier messages per example" inputMode="numeric" value={contextMessages} onChange={(e) => setContextMessages(e.target.value)} />
          </label>
          {format === "dpo" && (
            <label className="field">
              <span>TRL pair form</span>
              <select className="input" aria-label="TRL pair form" value={dpoForm} onChange={(e) => setDpoForm(e.target.value === "string" ? "string" : "messages")}>
                <option value="messages">Conversational (message lists)</option>
                <option value="string">Standard (plain strings)</option>
              </select>
            </label>
          )}
          <label className="field">
            <span>File name</span>
            <input className="input" aria-label="File name" value={name} onChange={(e) => setFileName(e.target.value)} pattern="[\w.\-]{1,128}" />
          </label>
          {error && <p className="error-text">{error}</p>}
          {result && (
            <div className="export-result" role="status">
              <p>
                Wrote {result.records} records ({formatBytes(result.bytes)}) to <code>{result.path}</code>
                {result.url && (
                  <>
                    {" "}· downloading; <a href={result.url} download={name}>download again</a>
                  </>
                )}
              </p>
              <ValidationSummary result={result} />
            </div>
          )}
          <footer className="dialog-foot">
            <button type="button" className="btn" onClick={close}>Close</button>
            <button type="submit" className="btn primary">Export</button>
          </footer>
        </form>
      )}
    </Dialog>
  );
}
