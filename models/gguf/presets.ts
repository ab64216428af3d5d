/**
 * Named model shapes for tests and benchmarks. Sizes are chosen so tests stay fast (tiny, stories)
 * while benchmarks can exercise realistic memory and throughput (small-100m and up).
 */
import type { LlamaGgufOptions } from "./llamaGguf.js";

/** Built-in preset names. */
export const PRESET_NAMES = ["tiny", "tiny-chat", "stories260k", "small", "small-100m", "medium-400m", "7b"] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/** The options behind each preset. */
export const PRESETS: Readonly<Record<PresetName, LlamaGgufOptions>> = {
  /** ~160K parameters, ~0.6 MB: loads in milliseconds; raw completion only. */
  tiny: { vocabSize: 512, dim: 64, layers: 2, heads: 4, kvHeads: 2, ff: 172, contextLength: 2048 },
  /** `tiny` with ChatML control tokens and template, so node-llama-cpp picks its ChatML wrapper. */
  "tiny-chat": { vocabSize: 512, dim: 64, layers: 2, heads: 4, kvHeads: 2, ff: 172, contextLength: 2048, chatTemplate: true },
  /** Same shape as the real stories260K model (vocab 512, dim 64, 5 blocks, 8/4 heads, ff 172). */
  stories260k: { vocabSize: 512, dim: 64, layers: 5, heads: 8, kvHeads: 4, ff: 172, contextLength: 2048 },
  /** ~4M parameters, F32 (~16 MB). */
  small: { vocabSize: 2048, dim: 256, layers: 4, heads: 8, kvHeads: 4, ff: 688, contextLength: 2048, chatTemplate: true },
  /** ~125M parameters in F16 (~250 MB): a GPT-2-small-like shape with a 32K vocab. */
  "small-100m": { vocabSize: 32000, dim: 768, layers: 12, heads: 12, kvHeads: 4, ff: 2048, contextLength: 2048, tensorType: "F16", chatTemplate: true },
  /** ~407M parameters in F16 (~815 MB), for memory-pressure benchmarks. */
  "medium-400m": { vocabSize: 32000, dim: 1024, layers: 24, heads: 16, kvHeads: 8, ff: 3584, contextLength: 4096, tensorType: "F16", chatTemplate: true },
  /**
   * The 7B class (Llama 3 / Mistral shape: dim 4096, 32 layers, 32/8 heads, ff 14336, here with a
   * 32K vocab): ~7.2B parameters, ~4.1 GB in Q4_0. For the opt-in `--scale 7b` bench, never a test.
   */
  "7b": { vocabSize: 32000, dim: 4096, layers: 32, heads: 32, kvHeads: 8, ff: 14336, contextLength: 4096, tensorType: "Q4_0", chatTemplate: true },
};

/** Whether `name` is a built-in preset. */
export function isPresetName(name: string): name is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(name);
}
