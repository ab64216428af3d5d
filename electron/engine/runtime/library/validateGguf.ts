/**
 * Decide, from the header alone, whether a GGUF file can be handed to a model process. Every defect
 * becomes a {@link ModelFileError} with a specific code: a bad file must never reach llama.cpp,
 * which can abort the whole process on some of them.
 */
import { basename } from "node:path";
import { ModelFileError } from "./ModelFileError.js";
import { checkHeaderLimits } from "./headerLimits.js";
import { openRegularFile } from "./openRegularFile.js";
import { readGgufStructure, type GgufStructure } from "./ggufStructure.js";
import { ggmlTensorBytes, ggmlTypeName, isKnownGgmlType } from "./ggmlTypes.js";
import { LLAMA_FAMILY, LLAMA_FAMILY_REQUIRED_KEYS, REQUIRED_TOKENIZER_KEYS, SUPPORTED_ARCHITECTURES } from "./architectures.js";

/** Where the tensor data of a parsed header must end; null when a tensor's size cannot be computed. */
export function expectedDataEnd(s: GgufStructure): { end: number; tensor: string | null } {
  let end = s.dataOffset;
  let tensor: string | null = null;
  for (const t of s.tensors) {
    // Unknown types still prove the file reaches at least the tensor's start.
    const bytes = ggmlTensorBytes(t.type, t.dims) ?? 0;
    const tEnd = s.dataOffset + t.offset + bytes;
    if (tEnd > end) {
      end = tEnd;
      tensor = t.name;
    }
  }
  return { end, tensor };
}

function checkTensorData(path: string, s: GgufStructure): void {
  const name = basename(path);
  const { end, tensor } = expectedDataEnd(s);
  if (s.sizeBytes < end) {
    const missing = end - s.sizeBytes;
    throw new ModelFileError(
      "truncated",
      path,
      `${name} is truncated: its tensor data should end at byte ${end} (end of tensor "${tensor}") but the file is ` +
        `${s.sizeBytes} bytes, ${missing} byte${missing === 1 ? "" : "s"} short. The download or copy is incomplete.`,
    );
  }
  for (const t of s.tensors) {
    if (!isKnownGgmlType(t.type)) {
      throw new ModelFileError("corrupt", path, `${name} has tensor "${t.name}" of unknown type ${t.type}; the bundled llama.cpp cannot read it.`);
    }
    if (ggmlTensorBytes(t.type, t.dims) === null) {
      throw new ModelFileError("corrupt", path, `${name} has a damaged GGUF header: tensor "${t.name}" of type ${ggmlTypeName(t.type)} has a row length ${t.dims[0]} that is not a whole number of blocks.`);
    }
  }
}

function checkKeys(path: string, s: GgufStructure): string {
  const name = basename(path);
  const archValue = s.keys.get("general.architecture")?.value;
  if (typeof archValue !== "string") {
    throw new ModelFileError("missing-key", path, `${name} lacks the required key "general.architecture", so it cannot say what kind of model it is.`);
  }
  if (!SUPPORTED_ARCHITECTURES.has(archValue)) {
    throw new ModelFileError(
      "unsupported-architecture",
      path,
      `${name} is a "${archValue}" model, an architecture the bundled llama.cpp cannot run` +
        (archValue === "clip" ? " (it is a vision projector file, not a language model)." : "."),
    );
  }
  const required: string[] = [];
  if (LLAMA_FAMILY.has(archValue)) required.push(...LLAMA_FAMILY_REQUIRED_KEYS.map((k) => `${archValue}.${k}`));
  required.push(...REQUIRED_TOKENIZER_KEYS);
  const missing = required.filter((k) => !s.keys.has(k));
  if (missing.length > 0) {
    const list = missing.map((k) => `"${k}"`).join(", ");
    throw new ModelFileError(
      "missing-key",
      path,
      `${name} lacks the required key${missing.length === 1 ? "" : "s"} ${list}; llama.cpp cannot load it. The file was probably written by a broken converter.`,
    );
  }
  return archValue;
}

/**
 * Validate the GGUF file at `path` without loading weights, and return its parsed header.
 * Throws {@link ModelFileError}: `missing-file`, `unreadable` (also for FIFOs, devices and
 * directories), `not-gguf`, `unsupported-version`, `corrupt` (also for header values beyond any real
 * model's), `truncated`, `unsupported-architecture` or `missing-key`. Reads only the header, so it
 * is fast on multi-GB files, and bounds every read by the file size, so no input can hang it.
 */
export async function validateGguf(path: string): Promise<GgufStructure & { architecture: string }> {
  const { file, size } = await openRegularFile(path);
  try {
    const structure = await readGgufStructure(path, file, size);
    checkTensorData(path, structure);
    const architecture = checkKeys(path, structure);
    checkHeaderLimits(path, structure, architecture);
    return { ...structure, architecture };
  } finally {
    await file.close();
  }
}
