/**
 * Opens a file for reading only when it is a regular file (models, experiments, task files). A FIFO opened for reading blocks
 * until a writer appears, and a read from it or from a character device can block forever; each
 * such call holds one of libuv's few file-I/O threads, so a handful of them would stall every file
 * operation of the process (static files, the library). Opening without blocking and checking the
 * type with `fstat` on the open handle (not a `stat` of the path, which could be swapped between the
 * check and the open) keeps both the open and every later read bounded.
 */
import { constants } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { basename } from "node:path";
import { ModelFileError } from "./ModelFileError.js";

/** What a non-regular file is, in words a user recognises. */
function kindOf(stats: { isDirectory(): boolean; isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }): string {
  if (stats.isDirectory()) return "a directory";
  if (stats.isFIFO()) return "a FIFO (named pipe)";
  if (stats.isCharacterDevice()) return "a character device";
  if (stats.isBlockDevice()) return "a block device";
  if (stats.isSocket()) return "a socket";
  return "not a regular file";
}

/** A file that is absent, not a regular file, or not permitted: `reason` in words, never the content. */
export class UnreadableFileError extends Error {
  override readonly name = "UnreadableFileError";
  constructor(
    readonly path: string,
    readonly missing: boolean,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${path}: ${reason}`, options);
  }
}

/**
 * Opens `path` read-only when it is a regular file and returns the handle and its size; throws
 * {@link UnreadableFileError} otherwise. For any file a user names: models, experiments, task files.
 */
export async function openRegular(path: string): Promise<{ file: FileHandle; size: number }> {
  let file: FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO without a writer returns at once instead of waiting for one.
    file = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (code === "ENOENT" || code === "ENOTDIR") throw new UnreadableFileError(path, true, "no such file", { cause: error });
    const why = code === "EACCES" || code === "EPERM" ? "permission denied" : code === "EISDIR" ? "it is a directory" : String(code ?? error);
    throw new UnreadableFileError(path, false, why, { cause: error });
  }
  try {
    const stats = await file.stat();
    if (!stats.isFile()) throw new UnreadableFileError(path, false, `it is ${kindOf(stats)}, not a regular file`);
    return { file, size: stats.size };
  } catch (error) {
    await file.close();
    throw error;
  }
}

/** The text of the regular file at `path` (UTF-8), refused when larger than `maxBytes`. */
export async function readRegularText(path: string, maxBytes: number): Promise<string> {
  const { file, size } = await openRegular(path);
  try {
    if (size > maxBytes) throw new UnreadableFileError(path, false, `it is ${size} bytes; at most ${maxBytes} are read`);
    return await file.readFile({ encoding: "utf8" });
  } finally {
    await file.close();
  }
}

/**
 * Opens a model file as {@link openRegular} does; throws {@link ModelFileError} `missing-file` when
 * absent, `unreadable` when not a regular file or not permitted.
 */
export async function openRegularFile(path: string): Promise<{ file: FileHandle; size: number }> {
  const name = basename(path);
  try {
    return await openRegular(path);
  } catch (error) {
    if (!(error instanceof UnreadableFileError)) throw error;
    if (error.missing) throw new ModelFileError("missing-file", path, `Model file ${name} does not exist (looked at ${path}).`, { cause: error });
    throw new ModelFileError("unreadable", path, `Model file ${name} cannot be read: ${error.reason}.`, { cause: error });
  }
}
