/**
 * "Experiment editor": the whole experiment file in the UI. A form with one section per concern
 * (a new schema field is a field in its section, or a new section here), a JSON/YAML tab that edits
 * everything (so fields the form does not know yet still round-trip), import and export of the same
 * files `conclave run` reads, inline validation with the shared schema, and "Start session" — or,
 * opened from "Fork here", "Fork at #N": the session is forked at that message under this experiment;
 * with a task set, "Run evaluation": a session per task beside a same-budget baseline (Results view).
 */
import { useEffect, useMemo, useState } from "react";
import { checkDraft, exportFileName, finalDraft, formatOf, parseDraft, resolveImportedModels, serializeDraft, type ExperimentFormat } from "../../lib/experimentDraft";
import { useExperimentDraft } from "../../stores/experimentDraftStore";
import { useLibrary } from "../../stores/libraryStore";
import { useSessions } from "../../stores/sessionsStore";
import { useUi, type ForkTarget } from "../../stores/uiStore";
import { Dialog } from "../Dialog";
import { ContextBudgetSection } from "./ContextBudgetSection";
import { IssuesContext } from "./fields";
import { GeneralSection } from "./GeneralSection";
import { ProtocolSection } from "./ProtocolSection";
import { RawEditor } from "./RawEditor";
import { RolesSection } from "./RolesSection";
import { StateSection } from "./StateSection";
import { SwapsSection } from "./SwapsSection";
import { MemoryPlanPreview } from "./MemoryPlanPreview";
import { TasksSection } from "./TasksSection";
import { useEvaluations } from "../../stores/evaluationsStore";
import { BackendsEditorSection } from "./BackendsEditorSection";
import { useBackends } from "../../stores/backendsStore";
import { knownBackends } from "../../lib/backendChoices";
import { PresetSection } from "./PresetSection";
import { issueVisibility } from "../../lib/issueVisibility";
import { LibrarySection } from "./LibrarySection";
import { AttachmentsSection } from "./AttachmentsSection";

type Tab = "form" | "source";

export function ExperimentEditor({ source, fork }: { source?: string; fork?: ForkTarget }) {
  const draft = useExperimentDraft((s) => s.draft);
  const importNotes = useExperimentDraft((s) => s.importNotes);
  const load = useExperimentDraft((s) => s.load);
  const version = useExperimentDraft((s) => s.version);
  const library = useLibrary((s) => s.library);
  const libraryRefs = useMemo(() => library?.models.filter((m) => m.identity).map((m) => m.ref) ?? [], [library]);
  const backendEntries = useBackends((s) => s.backends);
  const refreshBackends = useBackends((s) => s.refresh);
  useEffect(() => void refreshBackends(), [refreshBackends]);
  const known = useMemo(() => knownBackends(backendEntries), [backendEntries]);
  // Backend names are checked against the host's backends as the engine will, once they are known.
  const check = useMemo(() => checkDraft(finalDraft(draft), known.length > 0 ? known : undefined), [draft, known]);
  const touched = useExperimentDraft((s) => s.touched);
  const revealed = useExperimentDraft((s) => s.revealed);
  const reveal = useExperimentDraft((s) => s.reveal);
  // Errors show in red once their field is touched or the draft submitted; a blank form is not wrong.
  const visible = useMemo(() => issueVisibility(check.errors, touched, revealed), [check, touched, revealed]);
  const issues = useMemo(() => ({ errors: visible.shown, warnings: check.warnings }), [visible, check]);
  const [tab, setTab] = useState<Tab>("form");
  const [exportFormat, setExportFormat] = useState<ExperimentFormat>("json");
  const [importError, setImportError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const close = useUi((s) => s.close);
  const notify = useUi((s) => s.notify);
  const create = useSessions((s) => s.create);
  const forkSession = useSessions((s) => s.fork);
  const evaluate = useEvaluations((s) => s.start);
  const setView = useUi((s) => s.setView);
  const evaluation = !fork && check.experiment?.tasks !== undefined;

  const importFile = async (file: File): Promise<void> => {
    const parsed = parseDraft(await file.text(), formatOf(file.name));
    if ("error" in parsed) {
      setImportError(`${file.name}: ${parsed.error}`);
      return;
    }
    setImportError(null);
    const resolved = resolveImportedModels(parsed.draft, libraryRefs);
    load(resolved.draft, [`Imported ${file.name}.`, ...resolved.notes]);
  };

  const exportFile = (): void => {
    const text = serializeDraft(finalDraft(draft), exportFormat);
    const url = URL.createObjectURL(new Blob([text], { type: exportFormat === "yaml" ? "application/yaml" : "application/json" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = exportFileName(draft, exportFormat);
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  const start = async (): Promise<void> => {
    reveal();
    if (!check.experiment) return;
    setBusy(true);
    setError(null);
    try {
      const e = check.experiment;
      if (fork) {
        const forked = await forkSession(fork.sessionId, fork.atSeq, e);
        notify("ok", `Forked at #${fork.atSeq}: ${forked.title}`);
        close();
        return;
      }
      const titled = typeof draft.title === "string" && draft.title.trim() !== "";
      if (evaluation) {
        // A task set runs as an evaluation: a session per task, followed in the Results view.
        const run = await evaluate(titled ? e : { ...e, title: e.task.slice(0, 60) });
        notify("ok", run.done > 0 ? `Continuing ${run.title}: ${run.done} of ${run.total} tasks done` : `Evaluating ${run.title}: ${run.total} tasks`);
        setView("results");
        close();
        return;
      }
      const session = await create(titled ? e : { ...e, title: e.task.slice(0, 60) });
      notify("ok", `Started ${session.title}`);
      close();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title="Experiment editor" wide className="editor-dialog">
      <div className="editor-toolbar">
        <div className="tabs" role="tablist" aria-label="Editor view">
          <button type="button" role="tab" aria-selected={tab === "form"} className={tab === "form" ? "active" : ""} onClick={() => setTab("form")}>
            Form
          </button>
          <button type="button" role="tab" aria-selected={tab === "source"} className={tab === "source" ? "active" : ""} onClick={() => setTab("source")}>
            JSON / YAML
          </button>
        </div>
        <span className="grow" />
        <label className="btn small file-btn">
          Import experiment
          <input
            type="file"
            className="sr-only"
            accept=".json,.yaml,.yml,application/json,application/yaml"
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = "";
              if (file) void importFile(file);
            }}
          />
        </label>
        <select className="input small" aria-label="Export format" value={exportFormat} onChange={(e) => setExportFormat(e.target.value === "yaml" ? "yaml" : "json")}>
          <option value="json">JSON</option>
          <option value="yaml">YAML</option>
        </select>
        <button type="button" className="btn small" onClick={exportFile}>
          Export experiment
        </button>
      </div>
      {source && <p className="muted small">From {source}.</p>}
      {importError && <p className="error-text" role="alert">{importError}</p>}
      {importNotes.length > 0 && (
        <ul className="import-notes small" aria-label="Import notes">
          {importNotes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
      <IssuesContext.Provider value={issues}>
        <div className="editor-body">
          {tab === "form" ? (
            <form
              key={version}
              className="form editor-form"
              aria-label="Experiment form"
              onSubmit={(e) => {
                e.preventDefault();
                void start();
              }}
            >
              <GeneralSection />
              <PresetSection experiment={check.experiment ?? null} />
              <RolesSection />
              <ProtocolSection />
              <SwapsSection />
              <StateSection />
              <ContextBudgetSection />
              <AttachmentsSection />
              <TasksSection />
              <BackendsEditorSection />
              <LibrarySection />
              <MemoryPlanPreview experiment={check.experiment ?? null} />
            </form>
          ) : (
            <RawEditor key={version} />
          )}
        </div>
      </IssuesContext.Provider>
      <Problems errors={visible.shown} pending={visible.pending} warnings={check.warnings} />
      {error && <p className="error-text" role="alert">{error}</p>}
      <footer className="dialog-foot">
        <button type="button" className="btn" onClick={close}>
          Cancel
        </button>
        <button type="button" className="btn primary" disabled={busy || !check.experiment} onClick={() => void start()}>
          {fork ? `Fork at #${fork.atSeq}` : evaluation ? "Run evaluation" : "Start session"}
        </button>
      </footer>
    </Dialog>
  );
}

type Issue = { path: string; message: string };

/** Every problem at once, with its field path: the ones in the other tab or in fields the form does not show too. */
function Problems({ errors, pending, warnings }: { errors: Issue[]; pending: Issue[]; warnings: Issue[] }) {
  if (errors.length === 0 && pending.length > 0) {
    // Nothing is wrong yet, only unfilled: say what is left in neutral words, not in red.
    const fields = [...new Set(pending.map((i) => i.path))];
    return <p className="muted small" role="status">To start, fill in: {fields.join(", ")}.</p>;
  }
  if (errors.length === 0 && warnings.length === 0) return <p className="ok-text small" role="status">The experiment is valid.</p>;
  return (
    <div className="problems" role="region" aria-label="Problems">
      {errors.length > 0 ? (
        <strong className="error-text small">{errors.length === 1 ? "1 problem" : `${errors.length} problems`} to fix before starting:</strong>
      ) : (
        // Warnings do not stop a start: the experiment is valid, and what follows is advice.
        <p className="ok-text small" role="status">
          The experiment is valid. {warnings.length === 1 ? "1 warning" : `${warnings.length} warnings`}:
        </p>
      )}
      <ul>
        {errors.map((i, n) => (
          <li key={`e${n}`} className="error-text small">
            <code>{i.path}</code>: {i.message}
          </li>
        ))}
        {warnings.map((i, n) => (
          <li key={`w${n}`} className="warn-text small">
            <code>{i.path}</code>: {i.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
