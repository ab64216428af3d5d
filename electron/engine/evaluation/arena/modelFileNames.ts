/**
 * File names for arena models. Outcomes record a model by fingerprint and internal name (often a
 * family name such as "llama" that many files share); the seats that ran each file recorded its
 * identity, file name included, so the leaderboard can name models by file as every view does.
 */
import type { ArenaModel, Leaderboard } from "../../../../shared/arena.js";
import type { SessionStore } from "../../data/store/sessionStore.js";

/** Fingerprint → the file name its latest seat assignment recorded. */
export function modelFileNames(store: SessionStore): Map<string, string> {
  return store.assignedFileNames();
}

/** The board with each model's file name added where one is known. */
export function withFileNames(board: Leaderboard, files: ReadonlyMap<string, string>): Leaderboard {
  const named = (m: ArenaModel): ArenaModel => {
    const fileName = files.get(m.fingerprint);
    return fileName ? { ...m, fileName } : m;
  };
  return {
    ...board,
    entries: board.entries.map((e) => ({ ...e, model: named(e.model) })),
    separation: board.separation ? { ...board.separation, first: named(board.separation.first), second: named(board.separation.second) } : null,
  };
}
