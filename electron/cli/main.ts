/**
 * The `conclave` CLI (launched by bin/conclave.mjs):
 *   conclave run <experiment.json|yaml> [--db FILE] [--out DIR] [--answers FILE] [--missing-model REF] [--memory-budget SIZE] [--eviction refuse|evict-lru]
 *     (an experiment with `tasks` runs as an evaluation: <out>/results.json, --out default ./results/<file name>)
 *   conclave resume <sessionId> [--db FILE] [--out DIR] [--memory-budget SIZE] [--eviction …]
 *   conclave end <sessionId> [--db FILE]
 *   conclave fork <sessionId> --at N [--experiment FILE] [--db FILE] [--out DIR]
 *   conclave replay <sessionId> [--json] [--db FILE] [--out DIR]
 *   conclave export <sessionId|--last> --format openai|sharegpt|alpaca|dpo|dpo-openai|json --out FILE [--db FILE]
 *     [--roles a,b] [--types proposal,revision] [--min-rating 0.5] [--dpo-form messages|string]
 *     (prints the result with its validation report; see data/export/exportSession.ts)
 *   conclave sessions [--json] [--db FILE]
 *   conclave search "<query>" [--db FILE] [--limit N] [--kinds task,message,result] [--json]
 *   conclave leaderboard [--db FILE] [--source human|model|checker|baseline|all] [--json]
 *   conclave rate <messageId> <1-5> [--note TEXT] [--db FILE]
 *   conclave advise <sessionId|seriesId|runId> [--leave-one-out N] [--json] [--db FILE]
 *   conclave models [--json] [--dir DIR]
 *   conclave serve [--port N] [--db FILE] [--models DIR] [--static-dir DIR]
 * The database defaults to `$CONCLAVE_HOME/conclave.db` or `~/.conclave/conclave.db`.
 * Errors print one message (for a malformed experiment: the file, each bad field and why) and exit ≠ 0.
 */
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { ExportFormat, ExportSelection } from "../../shared/conversation.js";
import { AnswersFileError } from "./answersFile.js";
import { ExperimentInputError } from "../../shared/experimentInput.js";
import { ensureRendererBuilt } from "./rendererBuild.js";
import { openEngineStore } from "../engine/openEngineStore.js";
import { ExperimentFileError, TaskSetError, defaultModelsDir, loadCatalog, parseSize, scanModelsDir } from "../engine/engineTools.js";
import { endCommand, resumeCommand, runCommand, type EngineFlags } from "./runCommand.js";
import { forkCommand } from "./forkCommand.js";
import { replayCommand } from "./replayCommand.js";
import { searchCommand } from "./searchCommand.js";
import { leaderboardCommand, LeaderboardUsageError } from "./leaderboardCommand.js";
import { rateCommand, RateUsageError } from "./rateCommand.js";
import { ADVISE_OPTIONS, adviseCommand, adviseTarget, AdviseUsageError } from "./adviseCommand.js";

const USAGE = `usage:
  conclave run <experiment.json|yaml> [--db FILE] [--out DIR] [--answers FILE (JSONL: the researcher's turns and decisions)] [--missing-model REF] [--memory-budget SIZE] [--eviction refuse|evict-lru] [--models DIR] [--allow-unsandboxed]
      (with \`tasks\`: an evaluation against a same-budget baseline; writes <out>/results.json, --out default ./results/<file name>; rerun to continue)
  conclave resume <sessionId> [--db FILE] [--out DIR] [--memory-budget SIZE] [--eviction refuse|evict-lru]
  conclave end <sessionId> [--db FILE]
  conclave fork <sessionId> --at N [--experiment FILE] [--db FILE] [--out DIR] [--memory-budget SIZE]
  conclave replay <sessionId> [--json] [--db FILE] [--out DIR] [--memory-budget SIZE]
  conclave export <sessionId|--last> --format openai|sharegpt|alpaca|dpo|dpo-openai|json --out FILE [--db FILE]
      [--roles a,b] [--types proposal,revision] [--min-rating 0.5 (0..1; 4 stars = 0.75)] [--dpo-form messages|string] [--context-messages N|all (default 32)]
  conclave sessions [--json] [--db FILE]
  conclave search "<query>" [--db FILE] [--limit N] [--kinds task,message,result] [--json]
  conclave leaderboard [--db FILE] [--source human|model|checker|baseline|all] [--json]
  conclave rate <messageId> <1-5> [--note TEXT] [--db FILE]
  conclave advise <sessionId|seriesId|runId> [--leave-one-out N] [--json] [--db FILE] [--memory-budget SIZE]
  conclave models [--json] [--dir DIR]
  conclave serve [--port N] [--db FILE] [--models DIR] [--memory-budget SIZE] [--eviction refuse|evict-lru] [--static-dir DIR]`;

/** A usage error: printed with the usage text, exit code 2. */
class UsageError extends Error {}

/** `$CONCLAVE_HOME` or `~/.conclave`. */
export function conclaveHome(env = process.env): string {
  return env.CONCLAVE_HOME ?? path.join(os.homedir(), ".conclave");
}

/** The default database file. */
export function defaultDbPath(env = process.env): string {
  return path.join(conclaveHome(env), "conclave.db");
}

function write(text: string): void {
  process.stdout.write(text);
}

async function exportCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      last: { type: "boolean" },
      format: { type: "string" },
      out: { type: "string" },
      db: { type: "string" },
      roles: { type: "string" },
      types: { type: "string" },
      "min-rating": { type: "string" },
      "dpo-form": { type: "string" },
      "context-messages": { type: "string" },
    },
  });
  const format = ExportFormat.safeParse(values.format);
  if (!format.success) throw new UsageError(`--format must be one of ${ExportFormat.options.join(", ")}`);
  if (!values.out) throw new UsageError("--out FILE is required");
  // `.`, `..` and a trailing separator name a folder, not the file the export is written to.
  if (/(^|[\\/])\.{1,2}$|[\\/]$/.test(values.out)) throw new UsageError(`--out must name a file, not '${values.out}'`);
  const list = (v: string | undefined) => (v ? v.split(",").map((x) => x.trim()).filter(Boolean) : undefined);
  const context = values["context-messages"];
  const filters = ExportSelection.pick({ roles: true, types: true, minRating: true, dpoForm: true, contextMessages: true }).safeParse({
    dpoForm: values["dpo-form"],
    contextMessages: context === undefined ? undefined : context === "all" ? null : Number(context),
    roles: list(values.roles),
    types: list(values.types),
    minRating: values["min-rating"] === undefined ? undefined : Number(values["min-rating"]),
  });
  if (!filters.success) {
    throw new UsageError(`bad export filter: ${filters.error.issues.map((i) => `--${String(i.path[0]).replace(/[A-Z]/g, (c) => "-" + c.toLowerCase())}: ${i.message}`).join("; ")}`);
  }
  const store = openEngineStore(values.db ?? defaultDbPath());
  try {
    const id = values.last ? (await store.sessions.list())[0]?.id : positionals[0];
    if (!id) throw new UsageError(values.last ? "the database has no sessions" : "give a session id or --last");
    await store.sessions.get(id);
    const result = await store.export.run({ sessionId: id, format: format.data, ...filters.data }, path.resolve(values.out));
    write(`${JSON.stringify({ sessionId: id, ...result })}\n`);
    return 0;
  } finally {
    store.close();
  }
}

async function sessionsCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: "boolean" }, db: { type: "string" } } });
  const store = openEngineStore(values.db ?? defaultDbPath());
  try {
    const sessions = await store.sessions.list();
    if (values.json) write(`${JSON.stringify(sessions, null, 2)}\n`);
    else if (sessions.length === 0) write("no sessions\n");
    else {
      for (const s of sessions) {
        write(`${s.id}  ${new Date(s.createdAt).toISOString()}  ${s.status.padEnd(9)} ${s.protocolKind.padEnd(10)} ${String(s.messageCount).padStart(5)} msgs  ${s.title}\n`);
      }
    }
    return 0;
  } finally {
    store.close();
  }
}

async function modelsCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: "boolean" }, dir: { type: "string" } } });
  const dir = values.dir ?? defaultModelsDir();
  const [entries, catalog] = await Promise.all([scanModelsDir(dir).catch(() => []), loadCatalog()]);
  if (values.json) {
    write(`${JSON.stringify({ dir, models: entries, catalog: catalog.models }, null, 2)}\n`);
    return 0;
  }
  write(`models in ${dir}:\n`);
  if (entries.length === 0) write("  (none)\n");
  for (const e of entries) {
    write(
      e.ok
        ? `  ${e.identity.name}  ${e.identity.quantization}  ${(e.identity.sizeBytes / 1e6).toFixed(1)} MB  ${e.path}\n`
        : `  UNUSABLE ${e.path}: ${e.error.message}\n`,
    );
  }
  write("catalog:\n");
  for (const m of catalog.models) write(`  ${m.id.padEnd(28)} ${(m.sizeBytes / 1e9).toFixed(1)} GB  ${m.roles.join(",")}  ${m.uri}\n`);
  return 0;
}

/** Flags every engine command takes. */
const ENGINE_OPTIONS = {
  db: { type: "string" },
  models: { type: "string" },
  "memory-budget": { type: "string" },
  eviction: { type: "string" },
  "allow-unsandboxed": { type: "boolean" },
} as const;

/**
 * The engine flags from parsed values: database, folders, budget and eviction, each checked.
 * Exports go beside the database: a lab pointed at another database with `--db` must not scatter
 * its files into the default home.
 */
export function engineFlags(values: { db?: string | undefined; models?: string | undefined; "memory-budget"?: string | undefined; eviction?: string | undefined; "allow-unsandboxed"?: boolean | undefined }): EngineFlags {
  const flags: EngineFlags = {
    db: values.db ?? defaultDbPath(),
    modelsDir: values.models ?? defaultModelsDir(),
    exportDir: values.db !== undefined ? path.join(path.dirname(path.resolve(values.db)), "exports") : path.join(conclaveHome(), "exports"),
    ...(values["allow-unsandboxed"] ? { allowUnsandboxed: true } : {}),
  };
  if (values["memory-budget"] !== undefined) {
    const bytes = parseSize(values["memory-budget"]);
    if (bytes === null || bytes <= 0) throw new UsageError(`--memory-budget must be a size such as 12GiB, 800MB or a byte count, not "${values["memory-budget"]}"`);
    flags.budgetBytes = bytes;
  }
  if (values.eviction !== undefined) {
    if (values.eviction !== "refuse" && values.eviction !== "evict-lru") throw new UsageError(`--eviction must be refuse or evict-lru, not "${values.eviction}"`);
    flags.eviction = values.eviction;
  }
  return flags;
}

async function serveCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { port: { type: "string" }, dir: { type: "string" }, "static-dir": { type: "string" }, ...ENGINE_OPTIONS } });
  const flags = engineFlags({ ...values, models: values.models ?? values.dir });
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new UsageError(`--port must be a port number, not "${values.port}"`);
  if (!values["static-dir"]) ensureRendererBuilt();
  // Loaded lazily: `run`, `export` and friends must not pay for (or depend on) the host.
  const [{ serve }, { createEngine }] = await Promise.all([import("../host/serve.js"), import("../engine/createEngine.js")]);
  const engine = await createEngine({
    dbPath: flags.db,
    modelsDir: flags.modelsDir,
    exportDir: flags.exportDir,
    ...(flags.budgetBytes ? { budgetBytes: flags.budgetBytes } : {}),
    ...(flags.eviction ? { eviction: flags.eviction } : {}),
    ...(flags.allowUnsandboxed ? { allowUnsandboxed: true } : {}),
  });
  try {
    await serve({ engine, handleSignals: true, ...(port !== undefined ? { port } : {}), ...(values["static-dir"] ? { staticDir: path.resolve(values["static-dir"]) } : {}) });
  } catch (error) {
    // The engine's model processes would keep a host that never listened alive: end them first.
    await engine.dispose();
    throw error;
  }
  return new Promise<number>(() => {}); // runs until a signal ends the process
}

/** Runs the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "run": {
        const { values, positionals } = parseArgs({
          args: rest,
          allowPositionals: true,
          options: { out: { type: "string" }, "missing-model": { type: "string" }, answers: { type: "string" }, ...ENGINE_OPTIONS },
        });
        const file = positionals[0];
        if (!file) throw new UsageError("give an experiment file");
        return await runCommand({
          file,
          ...engineFlags(values),
          ...(values.out ? { out: values.out } : {}),
          ...(values["missing-model"] ? { missingModel: values["missing-model"] } : {}),
          ...(values.answers ? { answers: values.answers } : {}),
        });
      }
      case "resume":
      case "end": {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { out: { type: "string" }, ...ENGINE_OPTIONS } });
        const id = positionals[0];
        if (!id) throw new UsageError(`give the id of an interrupted session (conclave sessions lists them)`);
        const flags = engineFlags(values);
        return command === "resume" ? await resumeCommand(id, { ...flags, ...(values.out ? { out: values.out } : {}) }) : await endCommand(id, flags);
      }
      case "fork": {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { at: { type: "string" }, experiment: { type: "string" }, out: { type: "string" }, ...ENGINE_OPTIONS } });
        const at = Number(values.at);
        if (!positionals[0]) throw new UsageError("give the id of the session to fork (conclave sessions lists them)");
        if (!Number.isInteger(at) || at < 1) throw new UsageError(`--at must be a message number (1, 2, …), not "${values.at ?? ""}"`);
        const extra = { ...(values.experiment ? { experimentFile: values.experiment } : {}), ...(values.out ? { out: values.out } : {}) };
        return await forkCommand({ sessionId: positionals[0], atSeq: at, ...engineFlags(values), ...extra });
      }
      case "replay": {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { out: { type: "string" }, json: { type: "boolean" }, ...ENGINE_OPTIONS } });
        if (!positionals[0]) throw new UsageError("give the id of the session to replay (conclave sessions lists them)");
        return await replayCommand(positionals[0], { ...engineFlags(values), ...(values.out ? { out: values.out } : {}), json: values.json ?? false });
      }
      case "export":
        return await exportCommand(rest);
      case "sessions":
        return await sessionsCommand(rest);
      case "search":
        return await searchCommand(rest, defaultDbPath());
      case "leaderboard":
        return await leaderboardCommand(rest, defaultDbPath(), write);
      case "rate":
        return await rateCommand(rest, defaultDbPath(), write);
      case "advise": {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { ...ADVISE_OPTIONS, ...ENGINE_OPTIONS } });
        return await adviseCommand({ ...engineFlags(values), ...adviseTarget(positionals, values) });
      }
      case "models":
        return await modelsCommand(rest);
      case "serve":
        return await serveCommand(rest);
      case undefined:
      case "help":
      case "--help":
      case "-h":
        write(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    // A problem of the experiment, its task file or an answers file is reported, with where, before any model runs.
    if (error instanceof ExperimentFileError || error instanceof TaskSetError || error instanceof ExperimentInputError || error instanceof AnswersFileError) {
      process.stderr.write(`error: ${error.message}\n`);
      return 2;
    }
    if (error instanceof UsageError || error instanceof LeaderboardUsageError || error instanceof RateUsageError || error instanceof AdviseUsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      process.stderr.write(`error: ${(error as Error).message}\n${USAGE}\n`);
      return 2;
    }
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
