/**
 * Opens a model file for reading only when it is a regular file. A FIFO opened for reading blocks
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

/**
 * Opens `path` read-only and returns the handle and the file's size; throws {@link ModelFileError}
 * `missing-file` when absent, `unreadable` when not a regular file or not permitted.
 */
export async function openRegularFile(path: string): Promise<{ file: FileHandle; size: number }> {
  const name = basename(path);
  let file: FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO without a writer returns at once instead of waiting for one.
    file = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (code === "ENOENT" || code === "ENOTDIR") {
      throw new ModelFileError("missing-file", path, `Model file ${name} does not exist (looked at ${path}).`, { cause: error });
    }
    const why = code === "EACCES" || code === "EPERM" ? "permission denied" : code === "EISDIR" ? "it is a directory" : String(code ?? error);
    throw new ModelFileError("unreadable", path, `Model file ${name} cannot be read: ${why}.`, { cause: error });
  }
  try {
    const stats = await file.stat();
    if (!stats.isFile()) {
      throw new ModelFileError("unreadable", path, `Model file ${name} cannot be read: it is ${kindOf(stats)}, not a regular file.`);
    }
    return { file, size: stats.size };
  } catch (error) {
    await file.close();
    throw error;
  }
}
