/** Test support: a log sink that redacts every line before it is written. */
import { redact } from "../redact.js";

/** Wraps a line sink (console, a log file) so nothing it writes carries a secret. */
export function redactingLog(sink: (line: string) => void): (line: string) => void {
  return (line) => sink(redact(line));
}
