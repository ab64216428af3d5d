/**
 * The engine's standalone tools that front ends call beside an engine: reading experiment and
 * task files, parsing sizes and queries, redacting secrets, and the hooks a shell plugs in (its
 * process launcher and key store). Part of the façade: the host, CLI and shell import the engine
 * only through this file, Engine.ts, createEngine.ts and openEngineStore.ts (the layering lint
 * holds them to it), so the engine's folders can move without touching the front ends.
 */
export { ExperimentFileError, loadExperiment, resolveModelPath, type LoadedExperiment } from "./conversation/session/loadExperiment.js";
export { TaskSetError } from "./evaluation/tasks/loadTaskSet.js";
export { describeComparison } from "./conversation/session/compareTranscripts.js";
export { isGeneratedRef } from "./runtime/library/engineResolver.js";
export { defaultModelsDir } from "./runtime/library/libraryResolver.js";
export { scanModelsDir } from "./runtime/library/scanModelsDir.js";
export { loadCatalog } from "./runtime/library/catalog.js";
export { parseSize } from "./runtime/slots/memoryBudget.js";
export { SearchQueryError, parseSearchQuery } from "./data/search/sessionSearch.js";
export { noteSecret, redact } from "./backends/secrets/redact.js";
export { EnvSecretStore, type SecretStore } from "./backends/secrets/SecretStore.js";
export { allocatorEnv, type ChildHandle, type ProcessLauncher } from "./runtime/worker/processLauncher.js";
