/**
 * `conclave serve`: starts the loopback host over an engine and prints the one line that tells the
 * user (and tests) where to go. The CLI parses flags and creates the engine; this module owns only
 * the host's lifecycle.
 */
import { fileURLToPath } from "node:url";
import { startHost, listeningLine, type RunningHost } from "./server.js";
import type { Engine } from "../engine/Engine.js";

/** The built renderer inside the repo or package: dist/renderer next to dist/electron. */
export const DEFAULT_STATIC_DIR = fileURLToPath(new URL("../../dist/renderer", import.meta.url));

export interface ServeOptions {
  engine: Engine;
  port?: number;
  staticDir?: string;
  /** Where the listening line goes; stdout by default. */
  print?: (line: string) => void;
  /** Install SIGINT/SIGTERM/SIGHUP handlers that close the host and dispose the engine (CLI only). */
  handleSignals?: boolean;
}

/** Starts the host, prints `Conclave listening on http://127.0.0.1:<port>/?token=<token>`. */
export async function serve(options: ServeOptions): Promise<RunningHost> {
  const host = await startHost({
    engine: options.engine,
    staticDir: options.staticDir ?? DEFAULT_STATIC_DIR,
    ...(options.port !== undefined ? { port: options.port } : {}),
  }).catch((error: unknown) => {
    throw listenError(error, options.port);
  });
  (options.print ?? ((line: string) => process.stdout.write(`${line}\n`)))(listeningLine(host));
  if (options.handleSignals) {
    let closing = false;
    const shutdown = (): void => {
      if (closing) return;
      closing = true;
      // Models hold child processes and the DB a WAL: both must be closed, not abandoned.
      void host
        .close()
        .then(() => options.engine.dispose())
        .finally(() => process.exit(0));
    };
    // `on`, not `once`: a second signal (Ctrl-C reaches a launcher and its child alike) must not
    // kill the process halfway through the orderly shutdown.
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, shutdown);
  }
  return host;
}

/** A listen failure in words a user can act on; other errors pass through unchanged. */
export function listenError(error: unknown, port: number | undefined): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "EADDRINUSE") return new Error(`port ${port ?? 0} is already in use on 127.0.0.1: stop what holds it, or choose another with --port N (0 picks a free one)`);
  if (code === "EACCES") return new Error(`port ${port ?? 0} needs privileges this user lacks: choose one above 1023 with --port N`);
  return error;
}
