/** What "Add" tells the user about the files it added: usable ones, and unusable ones by name. */
import type { LibraryModel } from "../../../shared/rpc.js";
import { baseName } from "../../../shared/names.js";
import { plural } from "./format";

/** The notice after adding files: `ok` when every file is usable, `error` when none is, `info` between. */
export function addReport(added: LibraryModel[]): { tone: "ok" | "info" | "error"; text: string } {
  const good = added.filter((m) => m.identity !== null);
  const bad = added.filter((m) => m.identity === null);
  const badText = bad.length > 0 ? `${plural(bad.length, "file")} unusable: ${bad.map((m) => `${baseName(m.ref)} (${m.error ?? "unreadable"})`).join("; ")}` : "";
  if (bad.length === 0) return { tone: "ok", text: `Added ${plural(good.length, "model")}` };
  if (good.length === 0) return { tone: "error", text: `Added no usable model: ${badText}` };
  return { tone: "info", text: `Added ${plural(good.length, "model")}; ${badText}` };
}
