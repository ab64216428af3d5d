/**
 * Identity of a GGUF model file from its header: what the library lists and what slots report.
 * The file is validated first, so a file that inspects cleanly is one a model process may load.
 */
import { basename } from "node:path";
import { GgufFileType, readGgufFileInfo } from "node-llama-cpp";
import type { ModelIdentity } from "../../../../shared/slots.js";
import { ModelFileError } from "./ModelFileError.js";
import { fingerprintFile } from "./fingerprint.js";
import { validateGguf } from "./validateGguf.js";
import { ggmlTensorBytes, ggmlTypeName } from "./ggmlTypes.js";
import type { GgufStructure } from "./ggufStructure.js";

// The big vocab arrays are counted by the bounded header walk; parsing them again would only cost time.
const IGNORED_KEYS = ["tokenizer.ggml.tokens", "tokenizer.ggml.scores", "tokenizer.ggml.token_type", "tokenizer.ggml.merges"];

/** Quantization label from `general.file_type` ("Q4_K_M", "F16", ...). */
export function fileTypeName(fileType: number): string | null {
  const name = (GgufFileType as unknown as Record<number, string | undefined>)[fileType];
  return name ? name.replace(/^(MOSTLY|ALL)_/, "") : null;
}

/** The ggml type holding the most bytes among matrices (fallback when `general.file_type` is absent). */
export function dominantTensorType(s: Pick<GgufStructure, "tensors">): string {
  const bytesByType = new Map<number, number>();
  for (const t of s.tensors) {
    if (t.dims.length < 2) continue;
    bytesByType.set(t.type, (bytesByType.get(t.type) ?? 0) + (ggmlTensorBytes(t.type, t.dims) ?? 0));
  }
  let best: number | null = null;
  for (const [type, bytes] of bytesByType) if (best === null || bytes > (bytesByType.get(best) ?? 0)) best = type;
  return best === null ? "unknown" : ggmlTypeName(best);
}

/**
 * Read the {@link ModelIdentity} of the GGUF file at `path` without loading its weights.
 * Throws {@link ModelFileError} when the file is missing or invalid (see `validateGguf`).
 */
export async function inspectGguf(path: string): Promise<ModelIdentity> {
  const structure = await validateGguf(path);
  let info;
  try {
    info = await readGgufFileInfo(path, { sourceType: "filesystem", logWarnings: false, ignoreKeys: IGNORED_KEYS, spliceSplitFiles: false });
  } catch (error) {
    throw new ModelFileError("corrupt", path, `${basename(path)} has a GGUF header that cannot be parsed: ${(error as Error).message}`, { cause: error });
  }
  const parameterCount = structure.tensors.reduce((sum, t) => sum + t.dims.reduce((a, b) => a * b, 1), 0);
  const fileType = info.metadata.general.file_type;
  const quantization = (typeof fileType === "number" ? fileTypeName(fileType) : null) ?? dominantTensorType(structure);
  const generalName = info.metadata.general.name;
  const fileName = basename(path);
  const contextLength = info.architectureMetadata.context_length;
  const vocabFromArch = structure.keys.get(`${structure.architecture}.vocab_size`)?.value;
  const vocabSize = structure.keys.get("tokenizer.ggml.tokens")?.count ?? (typeof vocabFromArch === "number" ? vocabFromArch : 0);
  return {
    path,
    fileName,
    name: typeof generalName === "string" && generalName.trim() !== "" ? generalName : fileName.replace(/\.gguf$/i, ""),
    sizeBytes: structure.sizeBytes,
    fingerprint: await fingerprintFile(path),
    architecture: structure.architecture,
    parameterCount,
    quantization,
    trainContextSize: typeof contextLength === "number" ? contextLength : 0,
    vocabSize,
    hasChatTemplate: typeof info.metadata.tokenizer.chat_template === "string" && info.metadata.tokenizer.chat_template !== "",
  };
}
