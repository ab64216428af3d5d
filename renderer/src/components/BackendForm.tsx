/**
 * Settings' backend form: add or edit an Ollama or OpenAI-compatible backend. The API key field is
 * write-only: it is sent once to the host's secret store and cleared; the host never sends it back,
 * so editing shows only whether a key is stored (blank keeps it).
 */
import { useEffect, useState } from "react";
import { BackendUpsert, RemoteProvider, type BackendEntry } from "../../../shared/backends.js";
import { useBackends } from "../stores/backendsStore";
import { useUi } from "../stores/uiStore";
import { RoutingPolicyField } from "./RoutingPolicyField";

const BASE_URL_HINT: Record<RemoteProvider, string> = {
  ollama: "http://127.0.0.1:11434",
  openai: "http://127.0.0.1:1234/v1",
};

/** `initial`: the backend to edit first ("" or undefined: a new one). */
export function BackendForm({ initial }: { initial?: string | undefined }) {
  const backends = useBackends((s) => s.backends);
  const refresh = useBackends((s) => s.refresh);
  const [editing, setEditing] = useState(initial ?? "");
  useEffect(() => {
    void refresh();
  }, [refresh]);
  const remote = backends.filter((b) => !b.builtIn && b.session === null);
  const current = remote.find((b) => b.config.name === editing);
  return (
    <section className="backend-form" aria-label="Backend settings">
      <h3>Backends</h3>
      <RoutingPolicyField />
      <label className="field">
        <span>Backend</span>
        <select className="input" value={current ? editing : ""} onChange={(e) => setEditing(e.target.value)}>
          <option value="">New backend…</option>
          {remote.map((b) => (
            <option key={b.config.name} value={b.config.name}>{b.config.name}</option>
          ))}
        </select>
      </label>
      {/* Keyed by the backend, so the fields start from its config without syncing state in effects. */}
      <BackendFields key={current?.config.name ?? ""} entry={current ?? null} onSaved={setEditing} />
    </section>
  );
}

function BackendFields({ entry, onSaved }: { entry: BackendEntry | null; onSaved: (name: string) => void }) {
  const upsert = useBackends((s) => s.upsert);
  const remove = useBackends((s) => s.remove);
  const notify = useUi((s) => s.notify);
  const c = entry?.config;
  const [name, setName] = useState(c?.name ?? "");
  const [provider, setProvider] = useState<RemoteProvider>(c?.provider === "ollama" ? "ollama" : "openai");
  const [baseUrl, setBaseUrl] = useState(c?.baseUrl ?? "");
  const [model, setModel] = useState(c?.model ?? "");
  const [maxTokens, setMaxTokens] = useState(String(c?.maxTokens ?? 512));
  const [weight, setWeight] = useState(String(c?.weight ?? 1));
  const [priceIn, setPriceIn] = useState(String(c?.pricePer1kInput ?? 0));
  const [priceOut, setPriceOut] = useState(String(c?.pricePer1kOutput ?? 0));
  const [apiKey, setApiKey] = useState("");
  const [clearKey, setClearKey] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const save = async (): Promise<void> => {
    // Fields the form does not show (timeouts, retries, fallbacks) keep their saved values.
    const parsed = BackendUpsert.safeParse({
      config: {
        ...c,
        name,
        provider,
        baseUrl: baseUrl.trim(),
        model: model.trim(),
        maxTokens: Number(maxTokens),
        weight: Number(weight),
        pricePer1kInput: Number(priceIn),
        pricePer1kOutput: Number(priceOut),
      },
      ...(apiKey ? { apiKey } : {}),
      ...(clearKey && !apiKey ? { clearApiKey: true } : {}),
    });
    if (!parsed.success) {
      setError(parsed.error.issues.map((i) => `${i.path.slice(1).join(".") || "backend"}: ${i.message}`).join("; "));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const saved = await upsert(parsed.data);
      setApiKey("");
      notify("ok", `Backend ${saved.config.name} saved`);
      onSaved(saved.config.name);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const drop = async (): Promise<void> => {
    if (!entry) return;
    try {
      await remove(entry.config.name);
      notify("ok", `Backend ${entry.config.name} removed`);
      onSaved("");
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <form
      className="form"
      autoComplete="off"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <div className="row">
        <label className="field grow">
          <span>Name</span>
          <input className="input" required value={name} disabled={entry !== null} placeholder="e.g. lmstudio" onChange={(e) => setName(e.target.value.trim())} />
        </label>
        <label className="field">
          <span>Provider</span>
          <select className="input" value={provider} onChange={(e) => setProvider(RemoteProvider.parse(e.target.value))}>
            <option value="openai">openai</option>
            <option value="ollama">ollama</option>
          </select>
        </label>
      </div>
      <label className="field">
        <span>Base URL</span>
        <input className="input" required value={baseUrl} placeholder={BASE_URL_HINT[provider]} onChange={(e) => setBaseUrl(e.target.value)} />
      </label>
      <label className="field">
        <span>Model</span>
        <input className="input" value={model} placeholder="blank: the model the caller names" onChange={(e) => setModel(e.target.value)} />
      </label>
      <div className="row">
        <label className="field">
          <span>Max tokens</span>
          <input className="input narrow" type="number" min={1} max={32768} value={maxTokens} onChange={(e) => setMaxTokens(e.target.value)} />
        </label>
        <label className="field">
          <span>Weight</span>
          <input className="input narrow" type="number" min={0} step="any" value={weight} onChange={(e) => setWeight(e.target.value)} />
        </label>
        <label className="field">
          <span>USD / 1K in</span>
          <input className="input narrow" type="number" min={0} step="any" value={priceIn} onChange={(e) => setPriceIn(e.target.value)} />
        </label>
        <label className="field">
          <span>USD / 1K out</span>
          <input className="input narrow" type="number" min={0} step="any" value={priceOut} onChange={(e) => setPriceOut(e.target.value)} />
        </label>
      </div>
      <label className="field">
        <span>API key</span>
        <input
          className="input"
          type="password"
          autoComplete="new-password"
          value={apiKey}
          placeholder={entry?.hasApiKey ? "stored; leave blank to keep it" : "optional; kept in the OS keychain or the host's keys file"}
          onChange={(e) => setApiKey(e.target.value)}
        />
      </label>
      {entry?.hasApiKey && (
        <label className="check small">
          <input type="checkbox" checked={clearKey} onChange={(e) => setClearKey(e.target.checked)} /> Forget the stored key
        </label>
      )}
      {error && <p className="error-text">{error}</p>}
      <footer className="dialog-foot">
        {entry && (
          <button type="button" className="btn" onClick={() => void drop()}>Remove backend</button>
        )}
        <button type="submit" className="btn primary" disabled={busy}>{entry ? "Save backend" : "Add backend"}</button>
      </footer>
    </form>
  );
}
