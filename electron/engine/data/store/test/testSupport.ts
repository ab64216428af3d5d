/**
 * Helpers shared by the store and export tests: a store in a fresh temp dir, and message drafts with
 * realistic provenance and usage. Not a test file itself, so the runner does not pick it up.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MessageDraft, MessageType, Provenance } from "../../../../../shared/conversation.js";
import { openStore } from "../sessionStore.js";
import type { SessionStore } from "../sessionStore.js";

/** A temp directory removed by `cleanup`. */
export function tempDir(prefix = "conclave-store-"): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A store on a fresh file; `cleanup` closes it and removes the directory. */
export function tempStore(): { store: SessionStore; dir: string; file: string; cleanup: () => void } {
  const { dir, cleanup } = tempDir();
  const file = join(dir, "conclave.db");
  const store = openStore(file);
  return {
    store,
    dir,
    file,
    cleanup: () => {
      store.close();
      cleanup();
    },
  };
}

export const testProvenance: Provenance = {
  modelName: "stories260K",
  fingerprint: "fp1:0123456789abcdef",
  quantization: "F32",
  sampling: { temperature: 0.7, maxTokens: 128, seed: 42 },
  seed: 42,
};

/** A model-produced message draft from `from` to everyone. */
export function modelDraft(
  sessionId: string,
  from: string,
  type: MessageType,
  content: string,
  extra: Partial<MessageDraft> = {},
): MessageDraft {
  return {
    sessionId,
    from,
    to: "all",
    type,
    content,
    confidence: 0.8,
    provenance: testProvenance,
    usage: { promptTokens: 100, completionTokens: 20, ttftMs: 12, tokensPerSec: 50 },
    round: 1,
    ...extra,
  };
}
