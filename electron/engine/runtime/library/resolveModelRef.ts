/**
 * Turn what a user typed (a path, a bare file name, or an `hf:` / https URI) into a local file path,
 * downloading remote models into the models directory through node-llama-cpp's downloader.
 */
import { access } from "node:fs/promises";
import { basename, isAbsolute, join, resolve } from "node:path";
import { createModelDownloader, type ModelDownloadEndpoints } from "node-llama-cpp";
import { ModelFileError } from "./ModelFileError.js";

/** Download progress of a remote model reference. */
export interface ModelDownloadProgress {
  downloadedBytes: number;
  totalBytes: number;
  /** 0..1, or null while the total is unknown. */
  fraction: number | null;
}

/** Options of {@link resolveModelRef}. */
export interface ResolveModelRefOptions {
  /** Where bare names are looked up and downloads are saved. */
  modelsDir: string;
  onProgress?: (progress: ModelDownloadProgress) => void;
  /** Cancels the lookup or download; the promise rejects with code `aborted`. */
  signal?: AbortSignal;
  /** Limit for resolving a remote URI to a file (manifest lookup), not for the download itself. Default 30 s. */
  resolveTimeoutMs?: number;
  /** Overrides node-llama-cpp's endpoints (e.g. a Hugging Face mirror). */
  endpoints?: ModelDownloadEndpoints;
}

const REMOTE = /^(hf:|huggingface:|hf\.co\/|https?:\/\/)/i;

/** Whether `ref` names a remote model (hf: URI or URL) rather than a local file. */
export function isRemoteModelRef(ref: string): boolean {
  return REMOTE.test(ref.trim());
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(ms < 10_000 ? 1 : 0);
}

function abortedError(ref: string): ModelFileError {
  return new ModelFileError("aborted", ref, `Getting model ${ref} was cancelled.`);
}

/** Reject when `signal` aborts or `ms` pass, whichever comes first; always cleans up its listeners. */
async function raceAbortAndTimeout<T>(work: Promise<T>, ref: string, signal: AbortSignal | undefined, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const stop = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ModelFileError("download-failed", ref,
      `Could not download model ${ref}: the model server did not resolve it within ${seconds(ms)} s.`)), ms);
    onAbort = () => reject(abortedError(ref));
    signal?.addEventListener("abort", onAbort, { once: true });
  });
  // The losing side may still settle later; keep it from becoming an unhandled rejection.
  work.catch(() => undefined);
  try {
    return await Promise.race([work, stop]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener("abort", onAbort);
  }
}

function downloadError(ref: string, error: unknown, signal: AbortSignal | undefined): ModelFileError {
  if (error instanceof ModelFileError) return error;
  if (signal?.aborted) return abortedError(ref);
  const detail = error instanceof Error ? error.message : String(error);
  return new ModelFileError("download-failed", ref, `Could not download model ${ref}: ${detail}`, { cause: error });
}

/** The server a remote reference is fetched from (node-llama-cpp's own endpoint rules for hf: URIs). */
export function remoteServer(ref: string, endpoints?: ModelDownloadEndpoints): string {
  if (/^https?:\/\//i.test(ref)) return `${new URL(ref).origin}/`;
  return endpoints?.huggingFace ?? process.env.HF_ENDPOINT ?? process.env.MODEL_ENDPOINT ?? "https://huggingface.co/";
}

/**
 * Check that the model server answers at all before handing the URI to node-llama-cpp: its
 * downloader retries unreachable hosts for many minutes and cannot be cancelled while it resolves,
 * so an offline machine would otherwise leave a request loop running long after we gave up.
 */
async function preflight(ref: string, options: ResolveModelRefOptions, timeoutMs: number): Promise<void> {
  const server = remoteServer(ref, options.endpoints);
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(server, {
      method: "HEAD",
      redirect: "manual",
      signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout,
    });
    await response.body?.cancel();
  } catch (error) {
    if (options.signal?.aborted) throw abortedError(ref);
    const host = new URL(server).host;
    if (timeout.aborted) {
      throw new ModelFileError("download-failed", ref,
        `Could not download model ${ref}: ${host} did not answer within ${seconds(timeoutMs)} s. Check the network connection.`, { cause: error });
    }
    const code = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new ModelFileError("download-failed", ref,
      `Could not download model ${ref}: cannot reach ${host} (${code}). Check the network connection.`, { cause: error });
  }
}

async function download(ref: string, options: ResolveModelRefOptions): Promise<string> {
  const { signal, onProgress } = options;
  if (signal?.aborted) throw abortedError(ref);
  const timeoutMs = options.resolveTimeoutMs ?? 30_000;
  await preflight(ref, options, timeoutMs);
  let downloader;
  try {
    downloader = await raceAbortAndTimeout(
      createModelDownloader({
        modelUri: ref.trim(),
        dirPath: options.modelsDir,
        showCliProgress: false,
        skipExisting: true,
        deleteTempFileOnCancel: true,
        endpoints: options.endpoints,
        onProgress: onProgress
          ? ({ totalSize, downloadedSize }) =>
              onProgress({ downloadedBytes: downloadedSize, totalBytes: totalSize, fraction: totalSize > 0 ? downloadedSize / totalSize : null })
          : undefined,
      }),
      ref,
      signal,
      timeoutMs,
    );
  } catch (error) {
    throw downloadError(ref, error, signal);
  }
  if (signal?.aborted) throw abortedError(ref);
  let path: string;
  try {
    path = await downloader.download({ signal });
  } catch (error) {
    throw downloadError(ref, error, signal);
  }
  // ipull resolves (rather than rejects) a cancelled download, with the file already deleted.
  if (signal?.aborted) throw abortedError(ref);
  if (!(await exists(path))) {
    throw new ModelFileError("download-failed", ref, `Could not download model ${ref}: the download ended without a file at ${path}.`);
  }
  return path;
}

/**
 * Resolve a model reference to an absolute local path:
 * - an absolute path, or a relative one (containing a separator or starting with "."), from the cwd;
 * - a bare file name (".gguf" optional), looked up in `modelsDir`, then the cwd;
 * - an `hf:` URI or URL, downloaded into `modelsDir` (skipped when already there) with progress.
 * Throws {@link ModelFileError}: `missing-file`, `download-failed` or `aborted`. Local files are not
 * validated here; pass the result to `inspectGguf`.
 */
export async function resolveModelRef(ref: string, options: ResolveModelRefOptions): Promise<string> {
  const trimmed = ref.trim();
  if (trimmed === "") throw new ModelFileError("missing-file", ref, "No model was named: the model reference is empty.");
  if (isRemoteModelRef(trimmed)) return download(trimmed, options);
  if (options.signal?.aborted) throw abortedError(trimmed);

  const isBare = !isAbsolute(trimmed) && !trimmed.includes("/") && !trimmed.includes("\\") && !trimmed.startsWith(".");
  const names = /\.gguf$/i.test(trimmed) ? [trimmed] : [trimmed, `${trimmed}.gguf`];
  const candidates = isBare
    ? [...names.map((n) => join(resolve(options.modelsDir), n)), ...names.map((n) => resolve(n))]
    : [resolve(trimmed)];
  for (const candidate of candidates) if (await exists(candidate)) return candidate;
  const where = isBare ? `in the models folder ${resolve(options.modelsDir)} or the current folder` : `at ${candidates[0]}`;
  throw new ModelFileError("missing-file", trimmed, `Model file ${basename(trimmed)} was not found ${where}.`);
}
