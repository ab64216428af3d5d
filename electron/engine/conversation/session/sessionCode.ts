/**
 * A session's code work: the attachments it was given (stored content-addressed with it, read back
 * from the store on resume, fork and replay, never from disk again), the prompt that shows them,
 * and the command checks run on its messages' artifacts, each recorded with its evidence.
 */
import type { Message } from "../../../../shared/conversation.js";
import type { Experiment } from "../../../../shared/experiment.js";
import type { WorkspaceFile } from "../../../../shared/attachments.js";
import type { CommandCheckOutcome, CommandCheckSpec } from "../../../../shared/commandCheck.js";
import { parseArtifacts, type Artifact } from "./parseArtifacts.js";
import { attachmentView } from "../attachments/attachmentPrompt.js";
import { runCommandCheck } from "../../runtime/sandbox/commandCheck.js";
import type { SessionStore } from "../../data/store/sessionStore.js";

/** The prefix of the message that shows the attachments (a replay matches it). */
export const ATTACHMENTS_HEADING = "Attachments for the task.";

export interface SessionCodeOptions {
  store: SessionStore;
  sessionId: string;
  experiment: Experiment;
  /** A new session's resolved attachments; absent when resuming (then they come from the store). */
  files?: readonly WorkspaceFile[];
  defaultContextSize: number;
  allowUnsandboxed?: boolean;
  /** Where check-only files named `from` resolve. */
  baseDir?: string;
}

export class SessionCode {
  readonly files: readonly WorkspaceFile[];
  constructor(private readonly o: SessionCodeOptions) {
    const store = o.store.attachments;
    if (o.files && o.files.length > 0) store.save(o.sessionId, o.files);
    this.files = o.files ?? store.files(o.sessionId);
  }

  /**
   * The attachments as every role may see them: the committee's smallest conversation budget
   * decides, with half of it left to the conversation itself.
   */
  view(): string | null {
    if (this.files.length === 0) return null;
    const budgets = this.o.experiment.roles.map((r) => r.contextBudget ?? Math.floor(((r.contextSize ?? this.o.defaultContextSize) * 3) / 4));
    const budget = Math.max(64, Math.floor(Math.min(...budgets) / 2));
    return `${ATTACHMENTS_HEADING}\n\n${attachmentView(this.files, this.o.experiment.task, budget).text}`;
  }

  artifactsOf(message: Pick<Message, "content">): Artifact[] {
    return parseArtifacts(message.content, this.files.map((f) => f.path));
  }

  /** Runs `spec` on `message`'s artifacts over the attachments and records the outcome. */
  async check(spec: CommandCheckSpec, message: Message | null): Promise<CommandCheckOutcome> {
    const artifacts = message ? this.artifactsOf(message).map(({ path, content }) => ({ path, content })) : [];
    const outcome = await runCommandCheck({
      spec,
      attachments: this.files,
      artifacts,
      ...(this.o.baseDir ? { baseDir: this.o.baseDir } : {}),
      ...(this.o.allowUnsandboxed ? { allowUnsandboxed: true } : {}),
    });
    this.o.store.attachments.recordCheck(this.o.sessionId, message?.id ?? null, outcome, artifacts);
    return outcome;
  }
}
