/**
 * Retries with exponential backoff and jitter, and a per-attempt timeout that aborts the attempt's
 * signal (so a hung HTTP stream is cut, not merely abandoned).
 */

export interface BackoffOptions {
  /** Delay before the first retry. Default 200 ms. */
  baseMs?: number;
  /** Cap on any one delay. Default 5 s. */
  maxMs?: number;
}

/** Delay before retry `attempt` (1-based): base · 2^(attempt-1), capped, with ±25% jitter against thundering herds. */
export function backoffMs(attempt: number, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? 200;
  const max = options.maxMs ?? 5_000;
  const raw = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
  return Math.round(raw * (0.75 + Math.random() * 0.5));
}

/** Resolves after `ms`, or rejects at once when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Error("aborted"));
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new Error("aborted"));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * A signal that aborts when `parent` does or after `timeoutMs`; `timedOut()` tells the two apart,
 * because a caller's abort keeps the partial text while a timeout is a failure to fall back from.
 */
export function attemptSignal(timeoutMs: number, parent?: AbortSignal): { signal: AbortSignal; timedOut: () => boolean; dispose: () => void } {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error(`timed out after ${timeoutMs} ms`));
  }, timeoutMs);
  const onParent = (): void => controller.abort(parent?.reason);
  if (parent?.aborted) onParent();
  else parent?.addEventListener("abort", onParent, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    dispose: () => {
      clearTimeout(timer);
      parent?.removeEventListener("abort", onParent);
    },
  };
}
