/**
 * Deliberately defective GGUF files for error-path tests. Never load a `missing-key` file in a test
 * process: with `llama.feed_forward_length` or `llama.attention.head_count` missing, llama.cpp aborts
 * the whole process (exit 134) — which is exactly what a model-process supervision test wants.
 */
import { open, truncate, writeFile } from "node:fs/promises";
import { mulberry32 } from "../../shared/prng.js";
import { writeLlamaGguf, type LlamaGgufOptions } from "./llamaGguf.js";
import { PRESETS } from "./presets.js";

/** The kinds of broken file {@link writeBrokenGguf} can write. */
export const BROKEN_KINDS = ["missing-key", "truncated", "garbage", "unsupported-architecture", "empty", "bad-version", "implausible-value"] as const;
export type BrokenKind = (typeof BROKEN_KINDS)[number];

/** Options for {@link writeBrokenGguf}. */
export interface BrokenGgufOptions {
  /** Model the defect is applied to. Default: the `tiny` preset. */
  base?: LlamaGgufOptions;
  /** `missing-key`: the key to leave out. Default "llama.feed_forward_length" (llama.cpp aborts). */
  missingKey?: string;
  /** `truncated`: bytes cut from the end. Default 1. */
  cutBytes?: number;
  /** `garbage`: file size in bytes. Default 4096. */
  garbageBytes?: number;
  /** `unsupported-architecture`: the architecture name. Default "conclave-unknown-arch". */
  architecture?: string;
  /** `implausible-value`: the header key and the value it claims. Default `llama.block_count` = 4,000,000,000. */
  implausible?: { key: string; value: number };
  /** Seed for `garbage`. Default 7. */
  seed?: number;
}

/** Write a GGUF file with the given defect to `path`. */
export async function writeBrokenGguf(path: string, kind: BrokenKind, options: BrokenGgufOptions = {}): Promise<void> {
  const base = options.base ?? PRESETS.tiny;
  switch (kind) {
    case "missing-key":
      await writeLlamaGguf(path, { ...base, omitKeys: [options.missingKey ?? "llama.feed_forward_length"] });
      return;
    case "truncated": {
      const { bytesWritten } = await writeLlamaGguf(path, base);
      await truncate(path, Math.max(0, bytesWritten - (options.cutBytes ?? 1)));
      return;
    }
    case "unsupported-architecture":
      await writeLlamaGguf(path, { ...base, architecture: options.architecture ?? "conclave-unknown-arch" });
      return;
    case "garbage": {
      const rng = mulberry32(options.seed ?? 7);
      const bytes = Buffer.alloc(options.garbageBytes ?? 4096);
      for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(rng() * 256);
      // Never start with the magic by chance: the file must read as "not GGUF".
      if (bytes.subarray(0, 4).toString("latin1") === "GGUF") bytes[0] = 0;
      await writeFile(path, bytes);
      return;
    }
    case "implausible-value": {
      // A small, otherwise valid file whose header claims what no real model has.
      const { key, value } = options.implausible ?? { key: "llama.block_count", value: 4_000_000_000 };
      await writeLlamaGguf(path, { ...base, overrideKeys: { [key]: value } });
      return;
    }
    case "empty":
      await writeFile(path, Buffer.alloc(0));
      return;
    case "bad-version": {
      await writeLlamaGguf(path, base);
      const file = await open(path, "r+");
      try {
        const version = Buffer.alloc(4);
        version.writeUInt32LE(99);
        await file.write(version, 0, 4, 4);
      } finally {
        await file.close();
      }
      return;
    }
  }
}
