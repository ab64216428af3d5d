/**
 * "Model library": local GGUF files (draggable onto slots, or "Assign…" from the keyboard), the
 * recommended catalog with downloads, and the first-run offers when the library is empty.
 */
import { useEffect, useState } from "react";
import type { LibraryModel } from "../../../shared/rpc.js";
import { modelName } from "../../../shared/names.js";
import { addReport } from "../lib/libraryReport";
import { formatBytes, formatParams } from "../lib/format";
import { MODEL_DRAG_TYPE } from "../lib/swap";
import { useLibrary } from "../stores/libraryStore";
import { useEstimates } from "../stores/estimatesStore";
import { estimatePartsText, estimateTotalText } from "../lib/memoryEstimateText";
import { useUi } from "../stores/uiStore";
import { rpc } from "../transport/rpcClient";

export function LibraryPanel() {
  const library = useLibrary((s) => s.library);
  const error = useLibrary((s) => s.error);
  const models = library?.models ?? [];
  const empty = library !== null && models.filter((m) => m.identity).length === 0;

  return (
    <section className="panel" aria-label="Model library" id="panel-library" tabIndex={-1}>
      <header className="panel-head">
        <h2>Model library</h2>
        <span className="muted small" title={library?.modelsDir}>{library?.modelsDir}</span>
      </header>
      {error && <p className="error-text">{error}</p>}
      {empty && <FirstRun />}
      <ul className="model-list" aria-label="Local models">
        {models.map((m) => (
          <ModelRow key={m.ref} model={m} />
        ))}
      </ul>
      <AddPath />
      <Catalog />
    </section>
  );
}

function ModelRow({ model }: { model: LibraryModel }) {
  const open = useUi((s) => s.open);
  const id = model.identity;
  const { label: name, detail } = modelName(id ?? { path: model.ref });
  if (!id) {
    return (
      <li className="model-row broken" title={model.ref} aria-label={`Unusable file ${name}`}>
        <div className="model-main">
          <div className="model-name">{name}</div>
          <div className="error-text small">{model.error}</div>
        </div>
        <RemoveButton model={model} name={name} />
      </li>
    );
  }
  return (
    <li
      className="model-row"
      draggable
      aria-label={`Model ${name}`}
      onDragStart={(e) => {
        e.dataTransfer.setData(MODEL_DRAG_TYPE, JSON.stringify({ ref: model.ref, name }));
        e.dataTransfer.setData("text/plain", model.ref);
        e.dataTransfer.effectAllowed = "copy";
      }}
    >
      <span className="grip" aria-hidden>⋮⋮</span>
      <div className="model-main">
        <div className="model-name">
          {name}
          {detail && <span className="muted small"> · {detail}</span>}
          {model.demo && <span className="badge warn" title="Random weights: output is noise; use it to try the mechanics">demo · random weights</span>}
        </div>
        <div className="muted small">
          {id.architecture} · {formatParams(id.parameterCount)} params · {id.quantization} · {formatBytes(id.sizeBytes)} · ctx {id.trainContextSize}
        </div>
        <EstimateLine modelRef={model.ref} />
      </div>
      <button className="btn small" aria-label={`Assign ${name} to a role`} onClick={() => open({ kind: "assign", modelRef: model.ref, modelName: name })}>
        Assign…
      </button>
      <RemoveButton model={model} name={name} />
    </li>
  );
}

/** Takes a row off the list (the file stays on disk); broken files most of all need it. */
function RemoveButton({ model, name }: { model: LibraryModel; name: string }) {
  const notify = useUi((s) => s.notify);
  const remove = async (): Promise<void> => {
    try {
      await rpc().call("library.remove", { ref: model.ref });
      await useLibrary.getState().refresh();
    } catch (e) {
      notify("error", e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <button className="icon-btn" aria-label={`Remove ${name} from the library`} title="Remove from the library (the file stays on disk)" onClick={() => void remove()}>
      ×
    </button>
  );
}

function FirstRun() {
  const notify = useUi((s) => s.notify);
  const [busy, setBusy] = useState(false);
  const demo = async (): Promise<void> => {
    setBusy(true);
    try {
      const m = await rpc().call("library.createDemoModel", {});
      notify("ok", `Created ${m.identity?.name ?? "demo model"} (random weights)`);
      await useLibrary.getState().refresh();
    } catch (e) {
      notify("error", e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="first-run" role="note" aria-label="Get started">
      <h3>Your library is empty</h3>
      <p>Conclave runs local GGUF models. Pick one way to start:</p>
      <ol>
        <li>Download a recommended model from the catalog below (progress shows here; you can cancel).</li>
        <li>Point Conclave at a GGUF file or a folder of them you already have.</li>
        <li>
          No network? <button className="btn small" disabled={busy} onClick={() => void demo()}>Create a demo model</button>{" "}
          <span className="muted small">— a tiny generated model with <strong>random weights</strong>: it talks nonsense, but every mechanic (slots, swaps, committees, export) works.</span>
        </li>
      </ol>
    </div>
  );
}

function AddPath() {
  const [path, setPath] = useState("");
  const notify = useUi((s) => s.notify);
  const add = async (): Promise<void> => {
    try {
      const added = await rpc().call("library.addPath", { path });
      const report = addReport(added);
      notify(report.tone, report.text);
      setPath("");
      await useLibrary.getState().refresh();
    } catch (e) {
      notify("error", e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <form
      className="row add-path"
      onSubmit={(e) => {
        e.preventDefault();
        if (path.trim()) void add();
      }}
    >
      <input className="input grow" aria-label="GGUF file or folder" placeholder="/path/to/model.gguf or a folder" value={path} onChange={(e) => setPath(e.target.value)} />
      <button className="btn" type="submit" disabled={!path.trim()}>Add</button>
    </form>
  );
}

function Catalog() {
  const library = useLibrary((s) => s.library);
  const notify = useUi((s) => s.notify);
  if (!library || library.catalog.length === 0) return null;
  const downloads = library.downloads;
  const start = async (uri: string): Promise<void> => {
    try {
      const d = await rpc().call("library.download", { uri });
      useLibrary.getState().updateDownload(d);
    } catch (e) {
      notify("error", e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <details className="catalog" open={library.models.length === 0}>
      <summary>Recommended catalog ({library.catalog.length})</summary>
      <ul>
        {library.catalog.map((c) => {
          const d = [...downloads].reverse().find((x) => x.uri === c.uri);
          const active = d && (d.state === "downloading" || d.state === "queued");
          return (
            <li key={c.id} className="catalog-row">
              <div className="model-main">
                <div className="model-name">{c.name}</div>
                <div className="muted small">
                  {formatBytes(c.sizeBytes)} · {c.quantization} · {c.minRamGb} GB+ · {c.roles.join(", ")}
                </div>
                {d && active && (
                  <div className="progress" role="progressbar" aria-label={`Downloading ${c.name}`} aria-valuenow={d.totalBytes ? Math.round((d.receivedBytes / d.totalBytes) * 100) : 0}>
                    <div style={{ width: d.totalBytes ? `${(d.receivedBytes / d.totalBytes) * 100}%` : "5%" }} />
                  </div>
                )}
                {d?.state === "error" && <div className="error-text small">{d.error}</div>}
              </div>
              {active ? (
                <button className="btn small" aria-label={`Cancel the download of ${c.name}`} onClick={() => void rpc().call("library.cancelDownload", { downloadId: d.id })}>Cancel</button>
              ) : d?.state === "done" ? (
                <span className="badge ok">downloaded</span>
              ) : (
                <button className="btn small" aria-label={`Download ${c.name}`} onClick={() => void start(c.uri)}>Download</button>
              )}
            </li>
          );
        })}
      </ul>
    </details>
  );
}

/** A seat of this model on its own: the memory estimate the load dialog and seat card show too. */
function EstimateLine({ modelRef }: { modelRef: string }) {
  const estimate = useEstimates((s) => s.byRef[modelRef]);
  const ensure = useEstimates((s) => s.ensure);
  useEffect(() => ensure(modelRef), [ensure, modelRef]);
  if (!estimate) return <div className="muted small">est …</div>;
  if ("error" in estimate) return <div className="muted small" title={estimate.error}>est unavailable</div>;
  return (
    <div className="muted small" data-testid="library-estimate" title={estimatePartsText(estimate)}>
      est {estimateTotalText(estimate)} a seat ({estimatePartsText(estimate)})
    </div>
  );
}
