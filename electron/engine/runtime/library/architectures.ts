/**
 * Which `general.architecture` values llama.cpp (as bundled with node-llama-cpp 3.22) can run as
 * text models, and which keys each needs. Projector/encoder-only files such as `clip` (mmproj) are
 * left out on purpose: they are GGUF files but not models a slot can load.
 */

/** Text-model architectures llama.cpp supports (its `LLM_ARCH_NAMES`, minus non-LLM entries). */
export const SUPPORTED_ARCHITECTURES: ReadonlySet<string> = new Set([
  "llama", "llama4", "deci", "falcon", "grok", "gpt2", "gptj", "gptneox", "mpt", "baichuan", "starcoder",
  "refact", "bert", "modern-bert", "nomic-bert", "nomic-bert-moe", "neo-bert", "jina-bert-v2", "jina-bert-v3",
  "eurobert", "bloom", "stablelm", "qwen", "qwen2", "qwen2moe", "qwen2vl", "qwen3", "qwen3moe", "qwen3next",
  "qwen3vl", "qwen3vlmoe", "qwen35", "qwen35moe", "phi2", "phi3", "phimoe", "plamo", "plamo2", "plamo3", "codeshell", "orion",
  "internlm2", "minicpm", "minicpm3", "gemma", "gemma2", "gemma3", "gemma3n", "gemma4", "gemma-embedding",
  "starcoder2", "mamba", "mamba2", "jamba", "falcon-h1", "xverse", "command-r", "cohere2", "dbrx", "olmo",
  "olmo2", "olmoe", "openelm", "arctic", "deepseek", "deepseek2", "chatglm", "glm4", "glm4moe", "bitnet", "t5",
  "t5encoder", "jais", "nemotron", "nemotron_h", "nemotron_h_moe", "exaone", "exaone4", "rwkv6", "rwkv6qwen2",
  "rwkv7", "arwkv7", "granite", "granitemoe", "granitehybrid", "chameleon", "plm", "bailingmoe", "bailingmoe2",
  "dots1", "arcee", "afmoe", "ernie4_5", "ernie4_5-moe", "hunyuan-moe", "hunyuan-dense", "smollm3", "gpt-oss",
  "lfm2", "lfm2moe", "dream", "smallthinker", "llada", "llada-moe", "seed_oss", "grovemoe", "apertus",
  "minimax-m2", "cogvlm", "rnd1", "pangu-embedded", "mistral3", "llama-embed",
]);

/**
 * Architectures whose GGUF files always carry the llama-style hyper-parameters. For these a missing
 * key is certain to fail the load (for `llama`, a missing feed_forward_length or head_count even
 * aborts the process), so validation refuses the file before any model process sees it.
 */
export const LLAMA_FAMILY: ReadonlySet<string> = new Set(["llama", "qwen2", "qwen3", "gemma", "gemma2", "gemma3", "phi3", "granite", "smollm3"]);

/** Per-architecture keys (without the `<arch>.` prefix) that llama-family models require. */
export const LLAMA_FAMILY_REQUIRED_KEYS = [
  "context_length",
  "embedding_length",
  "block_count",
  "feed_forward_length",
  "attention.head_count",
  "attention.layer_norm_rms_epsilon",
] as const;

/** Tokenizer keys every text model needs. */
export const REQUIRED_TOKENIZER_KEYS = ["tokenizer.ggml.model", "tokenizer.ggml.tokens"] as const;
