/**
 * A task's grader for a command check: each answer's artifacts are written over a fresh copy of the
 * task session's attachments (plus the check's own files, hidden from every role) and the command
 * runs in the sandbox; exit 0 is correct. The same answer text is checked once; its evidence is
 * kept for results.json and recorded with the session.
 */
import type { CommandCheckOutcome, CommandCheckSpec } from "../../../shared/commandCheck.js";
import { parseArtifacts } from "../conversation/session/parseArtifacts.js";
import { runCommandCheck } from "../runtime/sandbox/commandCheck.js";
import type { SessionStore } from "../data/store/sessionStore.js";

export interface CommandGrader {
  label(): string;
  readonly modelFree: true;
  grade(answer: string | null): Promise<boolean | null>;
  /** The outcome of a graded answer (null before it was graded, or for no answer). */
  evidence(answer: string | null): CommandCheckOutcome | null;
  close(): Promise<void>;
}

export interface CommandGraderOptions {
  check: CommandCheckSpec;
  store: SessionStore;
  sessionId: string;
  baseDir?: string;
  allowUnsandboxed?: boolean;
}

export function commandGrader(o: CommandGraderOptions): CommandGrader {
  const files = o.store.attachments.files(o.sessionId);
  const paths = files.map((f) => f.path);
  const outcomes = new Map<string, Promise<CommandCheckOutcome>>();
  const settled = new Map<string, CommandCheckOutcome>();
  return {
    label: () => `checker:command ${o.check.run.join(" ")}`,
    modelFree: true,
    grade(answer) {
      if (answer === null) return Promise.resolve(false);
      let pending = outcomes.get(answer);
      if (!pending) {
        const artifacts = parseArtifacts(answer, paths).map(({ path, content }) => ({ path, content }));
        pending = runCommandCheck({ spec: o.check, attachments: files, artifacts, ...(o.baseDir ? { baseDir: o.baseDir } : {}), ...(o.allowUnsandboxed ? { allowUnsandboxed: true } : {}) }).then((outcome) => {
          settled.set(answer, outcome);
          o.store.attachments.recordCheck(o.sessionId, null, outcome, artifacts);
          return outcome;
        });
        outcomes.set(answer, pending);
      }
      return pending.then((r) => r.passed);
    },
    evidence: (answer) => (answer === null ? null : (settled.get(answer) ?? null)),
    close: async () => undefined,
  };
}
