/**
 * The engine's standalone tools that front ends call beside an engine: reading experiment and
 * task files, parsing sizes and queries, redacting secrets, and the hooks a shell plugs in (its
 * process launcher and key store). Part of the façade: the host, CLI and shell import the engine
 * only through this file, Engine.ts, createEngine.ts and openEngineStore.ts (the layering lint
 * holds them to it), so the engine's folders can move without touching the front ends.
 */
export { ExperimentFileError, loadExperiment, resolveModelPath, type LoadedExperiment } from "./session/loadExperiment.js";
export { TaskSetError } from "./eval/tasks/loadTaskSet.js";
export { describeComparison } from "./session/compareTranscripts.js";
export { isGeneratedRef } from "./library/engineResolver.js";
export { defaultModelsDir } from "./library/libraryResolver.js";
export { scanModelsDir } from "./library/scanModelsDir.js";
export { loadCatalog } from "./library/catalog.js";
export { parseSize } from "./slots/memoryBudget.js";
export { SearchQueryError, parseSearchQuery } from "./search/sessionSearch.js";
export { noteSecret, redact } from "./secrets/redact.js";
export { EnvSecretStore, type SecretStore } from "./secrets/SecretStore.js";
export { allocatorEnv, type ChildHandle, type ProcessLauncher } from "./worker/processLauncher.js";
