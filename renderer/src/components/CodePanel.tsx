/**
 * "Files": beside the timeline for a code session. The attachments the committee saw (a file
 * viewer), the committee's output (the result message's artifacts) with a diff against the
 * attachment it revises or against each member's version of the same file, and every command check
 * with its evidence: exit code, duration, sandbox, the limit that killed it, stdout and stderr.
 */
import { useEffect, useMemo, useState } from "react";
import { describeOutcome } from "../../../shared/commandCheck.js";
import type { CodeFile, SessionCodeReport } from "../../../shared/sessionCode.js";
import { diffStats, lineDiff } from "../lib/fileDiff";
import { useCode } from "../stores/codeStore";
import { useActiveSession } from "../stores/sessionsStore";

type Tab = "attachments" | "artifacts" | "checks";

/** Whether the session has anything for this panel. */
export function hasCode(report: SessionCodeReport | null): boolean {
  return report !== null && (report.attachments.length > 0 || report.messages.length > 0 || report.checks.length > 0);
}

export function CodePanel() {
  const session = useActiveSession();
  const { report, load } = useCode();
  useEffect(() => {
    void load(session?.id ?? null);
  }, [session?.id, session?.messageCount, session?.status, load]);
  const [tab, setTab] = useState<Tab>("artifacts");
  if (!report || !hasCode(report)) return null;
  return (
    <section className="panel code-panel" aria-label="Files">
      <header className="panel-head">
        <h2>Files</h2>
        <div className="tabs small" role="tablist" aria-label="Files view">
          {(["attachments", "artifacts", "checks"] as const).map((t) => (
            <button key={t} role="tab" aria-selected={tab === t} className={tab === t ? "active" : ""} onClick={() => setTab(t)}>
              {t === "attachments" ? `Attachments (${report.attachments.length})` : t === "artifacts" ? `Output (${report.result?.files.length ?? 0})` : `Checks (${report.checks.length})`}
            </button>
          ))}
        </div>
      </header>
      <div className="code-body">
        {tab === "attachments" && <FileViewer files={report.attachments} />}
        {tab === "artifacts" && <ArtifactView report={report} />}
        {tab === "checks" && <ChecksView report={report} />}
      </div>
    </section>
  );
}

function FileViewer({ files }: { files: readonly CodeFile[] }) {
  const [path, setPath] = useState<string | null>(null);
  const file = files.find((f) => f.path === path) ?? files[0];
  if (!file) return <p className="muted small">No attachments.</p>;
  return (
    <div className="file-viewer">
      <ul className="file-list" aria-label="Attached files">
        {files.map((f) => (
          <li key={f.path}>
            <button className={f.path === file.path ? "active" : ""} onClick={() => setPath(f.path)}>
              {f.path}
            </button>
          </li>
        ))}
      </ul>
      <pre className="file-text" aria-label={`Contents of ${file.path}`}>{file.content}</pre>
    </div>
  );
}

function ArtifactView({ report }: { report: SessionCodeReport }) {
  const files = report.result?.files ?? [];
  const [path, setPath] = useState<string | null>(null);
  const [against, setAgainst] = useState<string>("attachment");
  const file = files.find((f) => f.path === path) ?? files[0];
  // Every member's version of this file, for "against each member's proposal".
  const versions = useMemo(() => (file ? report.messages.filter((m) => m.messageId !== report.result?.messageId && m.files.some((f) => f.path === file.path)) : []), [report, file]);
  if (!file) return <p className="muted small">{report.result ? "The result message holds no files." : "No result yet."}</p>;
  const base = against === "attachment" ? (report.attachments.find((a) => a.path === file.path)?.content ?? null) : (versions.find((v) => v.messageId === against)?.files.find((f) => f.path === file.path)?.content ?? null);
  const lines = lineDiff(base, file.content);
  const stats = diffStats(lines);
  return (
    <div className="file-viewer">
      <ul className="file-list" aria-label="Output files">
        {files.map((f) => (
          <li key={f.path}>
            <button className={f.path === file.path ? "active" : ""} onClick={() => setPath(f.path)}>
              {f.path}
            </button>
          </li>
        ))}
      </ul>
      <div className="diff">
        <label className="small">
          Diff against{" "}
          <select className="input narrow" aria-label="Diff against" value={against} onChange={(e) => setAgainst(e.target.value)}>
            <option value="attachment">the attachment</option>
            {versions.map((v) => (
              <option key={v.messageId} value={v.messageId}>
                {v.from}&apos;s version (m{v.seq})
              </option>
            ))}
          </select>{" "}
          <span className="muted">
            +{stats.added} −{stats.removed}
          </span>
        </label>
        <pre className="file-text" aria-label={`Diff of ${file.path}`}>
          {lines.map((l, i) => (
            <div key={i} className={`diff-${l.kind}`}>
              {l.kind === "add" ? "+ " : l.kind === "del" ? "- " : "  "}
              {l.text}
            </div>
          ))}
        </pre>
      </div>
    </div>
  );
}

function ChecksView({ report }: { report: SessionCodeReport }) {
  if (report.checks.length === 0) return <p className="muted small">No command check has run.</p>;
  return (
    <ol className="checks" aria-label="Command checks">
      {report.checks.map((c, i) => {
        const e = c.outcome.run ?? c.outcome.setup.at(-1) ?? null;
        return (
          <li key={i} className={c.outcome.passed ? "check-pass" : "check-fail"}>
            <strong>{describeOutcome(c.outcome)}</strong>
            {e && (
              <p className="small">
                <code>{e.argv.join(" ")}</code> · exit {e.exitCode ?? e.signal} · {e.durationMs} ms · sandbox {e.sandbox} · peak {e.peakMemoryMb} MiB
                {e.killedBy ? ` · killed by the ${e.killedBy} limit` : ""} · files {c.outcome.artifacts.join(", ") || "none"}
              </p>
            )}
            {e?.stdout && <pre className="file-text small" aria-label="stdout">{e.stdout}</pre>}
            {e?.stderr && <pre className="file-text small" aria-label="stderr">{e.stderr}</pre>}
          </li>
        );
      })}
    </ol>
  );
}
