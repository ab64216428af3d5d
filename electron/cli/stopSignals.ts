/**
 * How a long CLI command stops on SIGINT or SIGTERM: the first signal stops the work resumably
 * (the engine is closed, which leaves a running session `interrupted`, as a host shutdown does),
 * and the process exits within {@link STOP_GRACE_MS} even if something does not stop in time — a
 * session left `running` by a process that ended is marked `interrupted` by the next one. A second
 * signal exits at once.
 */

/** How long the first signal waits for a clean stop before the process exits anyway. */
export const STOP_GRACE_MS = 1500;

/** Exit codes of a process stopped by a signal: 128 + the signal's number. */
export const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;
export type StopSignal = keyof typeof SIGNAL_EXIT;

export interface StopOptions {
  /** Called once, on the first signal: stop the work so that it can be resumed. */
  stop: () => Promise<unknown>;
  /** The line printed on the first signal (what stops, and how to continue it). */
  notice: string;
  err: (text: string) => void;
}

/** A handle on the installed handlers: which signal stopped the work (null while none did), and removal. */
export interface StopHandle {
  readonly signal: StopSignal | null;
  off(): void;
}

/** Installs the SIGINT and SIGTERM handlers of a long command; call `off()` when the command ends. */
export function onStopSignals(options: StopOptions): StopHandle {
  let signal: StopSignal | null = null;
  const handler = (received: StopSignal): void => {
    if (signal !== null) process.exit(SIGNAL_EXIT[received]);
    signal = received;
    options.err(`\n${received === "SIGINT" ? "interrupted" : "terminated"}: ${options.notice} (Ctrl-C again to quit now)\n`);
    setTimeout(() => process.exit(SIGNAL_EXIT[received]), STOP_GRACE_MS).unref();
    void options.stop().catch(() => undefined);
  };
  const onInt = (): void => handler("SIGINT");
  const onTerm = (): void => handler("SIGTERM");
  process.on("SIGINT", onInt);
  process.on("SIGTERM", onTerm);
  return {
    get signal() {
      return signal;
    },
    off() {
      process.off("SIGINT", onInt);
      process.off("SIGTERM", onTerm);
    },
  };
}
