/**
 * The session status machine: one table of allowed changes, one owner per session (the runner's
 * {@link SessionStatusMachine}, or the manager for a session no runner holds), one event per change.
 * `waiting` is a state, not a flag: the session waits for the researcher (shared/human.ts) and
 * leaves it when answered, aborted, failed or interrupted.
 */
import type { SessionInfo, SessionStatus } from "../../../../shared/conversation.js";
import type { SessionStore } from "../../data/store/sessionStore.js";

/** From each status, where a session may go. Finished sessions go nowhere. */
export const SESSION_TRANSITIONS: Readonly<Record<SessionStatus, readonly SessionStatus[]>> = {
  running: ["paused", "waiting", "completed", "aborted", "failed", "interrupted"],
  paused: ["running", "completed", "aborted", "failed", "interrupted"],
  waiting: ["running", "aborted", "failed", "interrupted"],
  interrupted: ["running", "aborted"],
  completed: [],
  aborted: [],
  failed: [],
};

/** Whether a session may move from `from` to `to`. */
export function canMoveSession(from: SessionStatus, to: SessionStatus): boolean {
  return SESSION_TRANSITIONS[from].includes(to);
}

/** Thrown for a change the table does not allow. */
export class SessionTransitionError extends Error {
  constructor(
    readonly sessionId: string,
    readonly from: SessionStatus,
    readonly to: SessionStatus,
  ) {
    super(`session ${sessionId} cannot go from ${from} to ${to}`);
    this.name = "SessionTransitionError";
  }
}

/** Checks one change against the table, writes it to the store and returns the stored session. */
export function moveSession(store: SessionStore, sessionId: string, to: SessionStatus): SessionInfo {
  const current = store.getSession(sessionId);
  if (!current) throw new Error(`no session ${sessionId}`);
  if (!canMoveSession(current.status, to)) throw new SessionTransitionError(sessionId, current.status, to);
  return store.updateSessionStatus(sessionId, to);
}

/**
 * The owner of one running session's status: every change goes through {@link moveTo}, which checks
 * the table and tells the listener once. Asking for the status it already has changes nothing.
 */
export class SessionStatusMachine {
  constructor(
    private readonly store: SessionStore,
    readonly sessionId: string,
    private readonly changed: (session: SessionInfo) => void,
  ) {}

  get status(): SessionStatus {
    const s = this.store.getSession(this.sessionId);
    if (!s) throw new Error(`no session ${this.sessionId}`);
    return s.status;
  }

  moveTo(to: SessionStatus): SessionInfo {
    const current = this.store.getSession(this.sessionId);
    if (!current) throw new Error(`no session ${this.sessionId}`);
    if (current.status === to) return current;
    const session = moveSession(this.store, this.sessionId, to);
    this.changed(session);
    return session;
  }
}
