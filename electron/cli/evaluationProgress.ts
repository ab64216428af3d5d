/**
 * Progress of a task-set evaluation on the terminal: on a TTY one live line — a bar, tasks done of
 * all, the ETA and what the current task is doing — with a line per finished task printed above it;
 * elsewhere (a pipe, a log file, CI) plain lines only, one when a task starts and one when it ends.
 */
import type { EvaluationSummary } from "../../shared/evaluation.js";
import type { TaskResult } from "../../shared/evalResults.js";

/** `m:ss` or `h:mm:ss`. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
}

/** `[█████░░░░░] 3/6` for `done` of `total`, `width` cells wide. */
export function progressBar(done: number, total: number, width = 24): string {
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `[${"█".repeat(filled)}${"░".repeat(width - filled)}] ${done}/${total}`;
}

const mark = (correct: boolean | null): string => (correct === null ? "·" : correct ? "✓" : "✗");

/** One finished task in words: each side's answer, whether it was right, and its tokens. */
export function taskLine(t: TaskResult, durationMs: number | null): string {
  const side = (label: string, a: TaskResult["committee"]) => `${label} ${a.answer === null ? "(no answer)" : JSON.stringify(a.answer.slice(0, 40))} ${mark(a.correct)} ${a.tokens} tok`;
  const parts = [side("committee", t.committee)];
  if (t.baseline) parts.push(side("baseline", t.baseline));
  if (t.comparison) parts.push(`winner ${t.comparison.winner === "a" ? "committee" : t.comparison.winner === "b" ? "baseline" : t.comparison.winner}`);
  return `${t.id}: ${parts.join(" · ")}${durationMs === null ? "" : ` (${(durationMs / 1000).toFixed(1)} s)`}`;
}

export class EvaluationProgress {
  private readonly announced = new Set<string>();
  private liveShown = false;

  constructor(
    private readonly tty: boolean,
    private readonly write: (text: string) => void,
  ) {}

  /** The live line for `s`. */
  static line(s: EvaluationSummary): string {
    const eta = s.etaMs === null ? "ETA …" : `ETA ${formatDuration(s.etaMs)}`;
    const flying = s.inFlight.length > 1 ? s.inFlight : s.current ? [s.current] : [];
    const now = flying.length > 1 ? ` · ${flying.length} in flight: ${flying.map((f) => `${f.taskId} ${f.phase}`).join(", ")}` : flying[0] ? ` · ${flying[0].taskId}: ${flying[0].phase}` : "";
    return `${progressBar(s.done + s.failed, s.total)} · ${eta}${now}`;
  }

  /** Redraws the live line (TTY), or prints a line when a task starts (elsewhere). */
  update(s: EvaluationSummary): void {
    if (this.tty) {
      this.write(`\r\x1b[2K${EvaluationProgress.line(s)}`);
      this.liveShown = true;
      return;
    }
    // With several tasks in flight each is announced once, when it starts.
    for (const f of s.inFlight.length > 0 ? s.inFlight : s.current ? [s.current] : []) {
      if (this.announced.has(f.taskId) || f.phase !== "committee") continue;
      this.announced.add(f.taskId);
      const others = s.inFlight.length > 1 ? `, ${s.inFlight.length} in flight` : "";
      this.write(`task ${s.done + s.failed + this.startedSince(s)}/${s.total}: ${f.taskId}${others}${s.etaMs === null ? "" : ` (ETA ${formatDuration(s.etaMs)})`}\n`);
    }
  }

  /** The position of the task being announced among those in flight (1 for the first). */
  private startedSince(s: EvaluationSummary): number {
    return Math.max(1, s.inFlight.filter((f) => this.announced.has(f.taskId)).length);
  }

  /** A line that stays (a finished task, a failure), printed above the live line on a TTY. */
  print(text: string, s: EvaluationSummary | null): void {
    if (this.tty && this.liveShown) this.write("\r\x1b[2K");
    this.write(`${text}\n`);
    if (this.tty && s) this.write(EvaluationProgress.line(s));
  }

  /** Ends the live line. */
  finish(): void {
    if (this.tty && this.liveShown) this.write("\r\x1b[2K");
    this.liveShown = false;
  }
}
