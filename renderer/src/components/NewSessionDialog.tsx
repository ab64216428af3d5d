/** The new-session form: protocol, roles (each with a model) and the task. */
import { useMemo, useState } from "react";
import { ProtocolKind } from "../../../shared/conversation.js";
import { useLibrary } from "../stores/libraryStore";
import { useSessions } from "../stores/sessionsStore";
import { useUi } from "../stores/uiStore";
import { Dialog } from "./Dialog";

interface RoleRow {
  name: string;
  model: string;
}

export function NewSessionDialog() {
  const library = useLibrary((s) => s.library);
  const models = useMemo(() => library?.models.filter((m) => m.identity) ?? [], [library]);
  const first = models[0]?.ref ?? "";
  const [title, setTitle] = useState("");
  const [task, setTask] = useState("");
  const [kind, setKind] = useState<ProtocolKind>("roundtable");
  const [rounds, setRounds] = useState(2);
  const [maxTokens, setMaxTokens] = useState(48);
  const [stopEarly, setStopEarly] = useState(true);
  const [roles, setRoles] = useState<RoleRow[]>([
    { name: "analyzer", model: first },
    { name: "critic", model: first },
  ]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const close = useUi((s) => s.close);
  const create = useSessions((s) => s.create);

  const submit = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await create({
        ...(title.trim() ? { title: title.trim() } : {}),
        task,
        roles: roles.map((r) => ({ name: r.name, model: r.model, maxTokens })),
        protocol: { kind, rounds, chair: roles[0]?.name, stopWhen: stopEarly ? "consensus" : "rounds" },
      });
      close();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const setRole = (i: number, patch: Partial<RoleRow>): void => setRoles((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  return (
    <Dialog title="New session" wide>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label className="field">
          <span>Title</span>
          <input className="input" value={title} onChange={(e) => setTitle(e.target.value)} placeholder="optional" />
        </label>
        <label className="field">
          <span>Task</span>
          <textarea className="input" rows={3} required value={task} onChange={(e) => setTask(e.target.value)} placeholder="The prompt the committee works on" />
        </label>
        <div className="row">
          <label className="field">
            <span>Protocol</span>
            <select className="input" value={kind} onChange={(e) => setKind(ProtocolKind.parse(e.target.value))}>
              {ProtocolKind.options.map((k) => (
                <option key={k} value={k}>{k}</option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>Rounds</span>
            <input className="input narrow" type="number" min={1} max={50} value={rounds} onChange={(e) => setRounds(Number(e.target.value) || 1)} />
          </label>
          <label className="field checkbox-field">
            <input type="checkbox" checked={stopEarly} onChange={(e) => setStopEarly(e.target.checked)} />
            <span>Stop early on consensus</span>
          </label>
          <label className="field">
            <span>Max tokens / turn</span>
            <input className="input narrow" type="number" min={1} max={4096} value={maxTokens} onChange={(e) => setMaxTokens(Number(e.target.value) || 1)} />
          </label>
        </div>
        <fieldset className="field">
          <legend>Roles</legend>
          {roles.map((r, i) => (
            <div className="row" key={i}>
              <input className="input" aria-label={`Role ${i + 1} name`} value={r.name} onChange={(e) => setRole(i, { name: e.target.value.trim() })} />
              <select className="input grow" aria-label={`Role ${i + 1} model`} value={r.model} onChange={(e) => setRole(i, { model: e.target.value })}>
                {models.map((m) => (
                  <option key={m.ref} value={m.ref}>{m.identity?.name} — {m.ref.split(/[\\/]/).pop()}</option>
                ))}
              </select>
              <button type="button" className="icon-btn" aria-label={`Remove role ${r.name}`} disabled={roles.length <= 1} onClick={() => setRoles((rs) => rs.filter((_, j) => j !== i))}>×</button>
            </div>
          ))}
          <button type="button" className="btn small" disabled={roles.length >= 8} onClick={() => setRoles((rs) => [...rs, { name: `role${rs.length + 1}`, model: first }])}>
            Add role
          </button>
        </fieldset>
        {models.length === 0 && <p className="error-text">The library has no usable model yet: add one in the Model library first.</p>}
        {error && <p className="error-text">{error}</p>}
        <footer className="dialog-foot">
          <button type="button" className="btn" onClick={close}>Cancel</button>
          <button type="submit" className="btn primary" disabled={busy || !task.trim() || models.length === 0}>Start session</button>
        </footer>
      </form>
    </Dialog>
  );
}
