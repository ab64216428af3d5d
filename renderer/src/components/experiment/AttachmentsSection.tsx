/**
 * "Code: attachments & command check": attach files by the file picker (files or a folder) or by
 * dropping them here; they travel with the experiment as text. Path attachments written in a file
 * (`{ path: "src" }`, globs) are listed and resolved by the host. A picked or dropped file's path
 * (where it lands in the workspace) can be edited, since a dropped file arrives with its name only. The command check runs the
 * committee's result (its fenced files over the attachments) in the sandbox; exit 0 passes.
 */
import { useState, type DragEvent } from "react";
import { attachmentsFrom, mergeAttachments, type PickedFile } from "../../lib/attachmentFiles";
import { useExperimentDraft } from "../../stores/experimentDraftStore";
import { useUi } from "../../stores/uiStore";
import { Section, useDraftValue } from "./fields";

type Attachment = { path: string; content?: string; as?: string };

async function picked(list: FileList | readonly File[]): Promise<PickedFile[]> {
  return Promise.all([...list].map(async (f) => ({ path: f.webkitRelativePath || f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
}

export function AttachmentsSection() {
  const raw = useDraftValue(["attachments"]);
  const check = useDraftValue(["check"]) as { kind?: string; run?: string[] } | undefined;
  const set = useExperimentDraft((s) => s.setAt);
  const notify = useUi((s) => s.notify);
  const [over, setOver] = useState(false);
  const attachments: Attachment[] = Array.isArray(raw) ? (raw as Attachment[]) : [];
  const commandText = check?.kind === "command" ? (check.run ?? []).join(" ") : "";

  const add = async (files: FileList | readonly File[]): Promise<void> => {
    const { attachments: added, refused } = attachmentsFrom(await picked(files));
    if (added.length > 0) set(["attachments"], mergeAttachments(attachments, added));
    for (const r of refused) notify("error", `${r.path}: ${r.reason}`);
  };
  const onDrop = (e: DragEvent<HTMLDivElement>): void => {
    e.preventDefault();
    setOver(false);
    void add([...e.dataTransfer.files]);
  };
  const remove = (i: number): void => {
    const next = attachments.filter((_, j) => j !== i);
    set(["attachments"], next.length > 0 ? next : undefined);
  };
  const setCommand = (text: string): void => {
    const run = text.trim().split(/\s+/).filter(Boolean);
    if (run.length === 0) set(["check"], check?.kind === "command" ? undefined : check);
    else set(["check"], { ...(check?.kind === "command" ? check : {}), kind: "command", run });
  };

  return (
    <Section title="Code: attachments & command check">
      <div
        className={`dropzone${over ? " over" : ""}`}
        data-testid="attachment-dropzone"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <p className="muted small">Drop files here, or pick them. Every role is shown them (within its context budget); fenced blocks in answers become files.</p>
        <label className="btn">
          Attach files…
          <input type="file" multiple hidden aria-label="Attach files" onChange={(e) => e.target.files && void add(e.target.files)} />
        </label>{" "}
        <label className="btn">
          Attach a folder…
          <input type="file" multiple hidden aria-label="Attach a folder" {...{ webkitdirectory: "" }} onChange={(e) => e.target.files && void add(e.target.files)} />
        </label>
      </div>
      {attachments.length > 0 && (
        <ul className="attachment-list" aria-label="Attachments">
          {attachments.map((a, i) => (
            <li key={i}>
              {a.content !== undefined ? (
                <input className="input" aria-label={`Attachment ${i + 1} path`} value={a.path} onChange={(e) => set(["attachments", i, "path"], e.target.value)} />
              ) : (
                <code>{a.path}</code>
              )}{" "}
              <span className="muted small">{a.content !== undefined ? `${new TextEncoder().encode(a.content).length} bytes` : "read by the host from disk"}</span>{" "}
              <button type="button" className="btn small" aria-label={`Remove ${a.path}`} onClick={() => remove(i)}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <label className="field">
        <span>Check command</span>
        <input className="input" aria-label="Check command" placeholder="tsc -p ." value={commandText} onChange={(e) => setCommand(e.target.value)} />
        <span className="muted small">Runs in the sandbox (no network, only the workspace writable) over a fresh copy of the attachments with the result&apos;s files written over them.</span>
      </label>
    </Section>
  );
}
