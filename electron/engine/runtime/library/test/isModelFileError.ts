/** Test support: whether an error is a model-file refusal, optionally of one code. */
import type { ModelFileErrorCode } from "../../../../../shared/library.js";
import { ModelFileError } from "../ModelFileError.js";

/** Whether `error` is a {@link ModelFileError}, optionally with a given code. */
export function isModelFileError(error: unknown, code?: ModelFileErrorCode): error is ModelFileError {
  return error instanceof ModelFileError && (code === undefined || error.code === code);
}
