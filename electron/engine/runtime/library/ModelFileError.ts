/**
 * The one error type of the model library: a machine-readable `code` for the engine and UI, and a
 * message in plain words that names the file and the problem.
 */
import type { ModelFileErrorCode, ModelFileProblem } from "../../../../shared/library.js";

/** A model file (or model reference) that cannot be used, and why. */
export class ModelFileError extends Error {
  override readonly name = "ModelFileError";

  constructor(
    readonly code: ModelFileErrorCode,
    /** The file or reference the problem is about. */
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** The serialisable form, for IPC and WebSocket. */
  toProblem(): ModelFileProblem {
    return { code: this.code, path: this.path, message: this.message };
  }
}
