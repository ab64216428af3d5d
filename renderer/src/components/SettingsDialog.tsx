/** Settings: the models folder, the memory budget (blank = the engine's default rule) and the backends. */
import { useEffect, useState } from "react";
import type { Settings } from "../../../shared/rpc.js";
import { useSettings } from "../stores/settingsStore";
import { useSlots } from "../stores/slotsStore";
import { useUi } from "../stores/uiStore";
import { useLibrary } from "../stores/libraryStore";
import { BackendForm } from "./BackendForm";
import { Dialog } from "./Dialog";

const SETTINGS_FORM = "settings-general";

export function SettingsDialog({ backend }: { backend?: string | undefined }) {
  const { settings, refresh } = useSettings();
  const notify = useUi((s) => s.notify);
  const close = useUi((s) => s.close);
  useEffect(() => {
    void refresh().catch((e: unknown) => notify("error", String(e)));
  }, [refresh, notify]);
  return (
    <Dialog title="Settings" wide>
      {settings ? <SettingsForm key={settings.modelsDir + String(settings.memoryBudgetBytes)} settings={settings} /> : <p className="muted">Loading…</p>}
      <BackendForm initial={backend} />
      {/* The dialog's own buttons close it, after everything it shows; the backend form saves its own entries. */}
      <footer className="dialog-foot">
        <button type="button" className="btn" onClick={close}>Cancel</button>
        <button type="submit" form={SETTINGS_FORM} className="btn primary" disabled={!settings}>Save</button>
      </footer>
    </Dialog>
  );
}

/** Keyed by the loaded settings, so its fields start from them without syncing state in effects. */
function SettingsForm({ settings }: { settings: Settings }) {
  const save = useSettings((s) => s.save);
  const memory = useSlots((s) => s.memory);
  const close = useUi((s) => s.close);
  const notify = useUi((s) => s.notify);
  const [modelsDir, setModelsDir] = useState(settings.modelsDir);
  const [budgetGb, setBudgetGb] = useState(settings.memoryBudgetBytes ? String(settings.memoryBudgetBytes / 1e9) : "");
  const [unsandboxed, setUnsandboxed] = useState(settings.allowUnsandboxed);

  const submit = async (): Promise<void> => {
    try {
      const gb = Number(budgetGb);
      await save({ modelsDir, memoryBudgetBytes: budgetGb.trim() && gb > 0 ? gb * 1e9 : null, allowUnsandboxed: unsandboxed });
      await Promise.all([useLibrary.getState().refresh(), useSlots.getState().refresh()]);
      notify("ok", "Settings saved");
      close();
    } catch (e) {
      notify("error", e instanceof Error ? e.message : String(e));
    }
  };

  return (
      <form
        className="form"
        id={SETTINGS_FORM}
        aria-label="General settings"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label className="field">
          <span>Models folder</span>
          <input className="input" value={modelsDir} onChange={(e) => setModelsDir(e.target.value)} />
        </label>
        <label className="field">
          <span>Memory budget (GB)</span>
          <input className="input narrow" type="number" min={0.1} step={0.1} value={budgetGb} placeholder="default" onChange={(e) => setBudgetGb(e.target.value)} />
          <span className="muted small">Blank uses the default: {memory?.budgetRule ?? "a safe fraction of RAM"}.</span>
        </label>
        <div className="field">
          <span>Command checks</span>
          <span className="muted small">Sandbox: <code>{settings.sandbox}</code></span>
          <label>
            <input type="checkbox" checked={unsandboxed} onChange={(e) => setUnsandboxed(e.target.checked)} /> Run command checks without a sandbox where none is available
          </label>
          {unsandboxed && (
            <p className="warning small" role="alert">
              Warning: model-written code would then run with your user&apos;s full rights — network, files, everything. Leave this off unless this machine is disposable.
            </p>
          )}
        </div>
        <p className="muted small">Database: <code>{settings.dbPath}</code></p>
      </form>
  );
}
