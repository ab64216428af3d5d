/** Export the active session: format, filters (roles, types, minimum rating) and file name. */
import { useMemo, useState } from "react";
import { ExportFormat, MessageType } from "../../../shared/conversation.js";
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
  dpo: "Preference pairs (TRL)",
  "dpo-openai": "Preference pairs (OpenAI DPO JSONL)",
  json: "Full session JSON",
};

export function ExportDialog() {
  const session = useActiveSession();
  const roles = useMemo(() => sessionRoles(session).map((r) => r.name), [session]);
  const [format, setFormat] = useState<ExportFormat>("openai");
  const [pickedRoles, setPickedRoles] = useState<string[]>([]);
  const [types, setTypes] = useState<MessageType[]>([]);
  const [minRating, setMinRating] = useState(0);
  const [fileName, setFileName] = useState("");
  const [result, setResult] = useState<ExportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const close = useUi((s) => s.close);
  const ext = format === "json" ? "json" : "jsonl";
  const name = fileName || `${session?.id ?? "session"}-${format}.${ext}`;

  const run = async (): Promise<void> => {
    if (!session) return;
    setError(null);
    try {
      setResult(
        await rpc().call("export.run", {
          sessionId: session.id,
          format,
          fileName: name,
          filters: {
            ...(pickedRoles.length ? { roles: pickedRoles } : {}),
            ...(types.length ? { types } : {}),
            ...(minRating > 0 ? { minRating } : {}),
          },
        }),
      );
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
            <span>Minimum rating: {minRating.toFixed(2)}</span>
            <input type="range" min={0} max={1} step={0.05} value={minRating} onChange={(e) => setMinRating(Number(e.target.value))} />
          </label>
          <label className="field">
            <span>File name</span>
            <input className="input" aria-label="File name" value={name} onChange={(e) => setFileName(e.target.value)} pattern="[\w.\-]{1,128}" />
          </label>
          {error && <p className="error-text">{error}</p>}
          {result && (
            <p className="export-result" role="status">
              Wrote {result.records} records ({formatBytes(result.bytes)}) to <code>{result.path}</code>
              {result.url && (
                <>
                  {" "}· <a href={result.url} download={name}>Download</a>
                </>
              )}
            </p>
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
