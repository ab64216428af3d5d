// Layering by runtime is an allow-list (as VS Code's `code-import-patterns`): each layer names the
// layers it MAY import, and everything else is an error.
//   shared/          shared                          (zod only; no Node built-ins: it runs in the renderer too)
//   models/          models, shared                  (GGUF tooling)
//   electron/engine  engine, shared, models          (plain Node; never `electron`)
//   electron/host    host, façade, shared            (transport only)
//   electron/cli     cli, host, façade, shared
//   electron/shell   shell, host, façade, shared     (the only layer that may import `electron`)
//   renderer/        renderer, shared                (browser; no Node built-ins)
//   bench/, e2e/     what they measure or drive
// "façade" is the engine's front door only (FACADE below): the host, CLI and shell never reach
// into the engine's folders, so those can change behind it. Their tests may (see `isTest`).
import path from "node:path";
import { fileURLToPath } from "node:url";
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";

const ROOT = path.dirname(fileURLToPath(import.meta.url));

const LAYERS = [
  ["engine", "electron/engine/"],
  ["host", "electron/host/"],
  ["cli", "electron/cli/"],
  ["shell", "electron/shell/"],
  ["shared", "shared/"],
  ["models", "models/"],
  ["renderer", "renderer/"],
  ["bench", "bench/"],
  ["e2e", "e2e/"],
];

/** The engine's front door: the only engine files the host, CLI and shell may import. */
const FACADE = new Set(["electron/engine/Engine.ts", "electron/engine/createEngine.ts", "electron/engine/openEngineStore.ts", "electron/engine/engineTools.ts"]);

const ALLOWED = {
  shared: ["shared"],
  models: ["models", "shared"],
  engine: ["engine", "shared", "models"],
  host: ["host", "facade", "shared"],
  cli: ["cli", "host", "facade", "shared"],
  shell: ["shell", "host", "facade", "shared"],
  renderer: ["renderer", "shared"],
  bench: ["bench", "engine", "host", "shared", "models"],
  e2e: ["e2e", "cli", "host", "engine", "shared", "models"],
};

/** Layers where Node built-ins are off limits (they run in the browser). */
const BROWSER = new Set(["shared", "renderer"]);
/** Node built-ins are fine in the renderer's unit tests, which run in Node. */
const NODE_BUILTINS = /^(node:|(fs|path|os|child_process|crypto|http|https|net|worker_threads|url|util|stream|events)(\/|$))/;

function layerOf(file) {
  const rel = path.relative(ROOT, file).split(path.sep).join("/");
  return LAYERS.find(([, prefix]) => rel.startsWith(prefix))?.[0] ?? null;
}

/** The layer an import lands in; a façade file is "façade" to the front ends, and "engine" all the same. */
function targetsOf(file) {
  const layer = layerOf(file);
  const rel = path.relative(ROOT, file).split(path.sep).join("/").replace(/\.js$/, ".ts");
  return layer === "engine" && FACADE.has(rel) ? ["engine", "facade"] : layer ? [layer] : [];
}

const allowedImports = {
  meta: { type: "problem", schema: [], messages: { layer: "{{from}} may import only {{allowed}}; '{{source}}' is in {{to}}.", builtin: "{{from}} runs in the browser: no Node built-in '{{source}}'.", electron: "Only electron/shell may import electron: the engine, host and CLI run in plain Node." } },
  create(context) {
    const file = context.filename;
    const from = layerOf(file);
    if (!from) return {};
    // Tests and their support folders may also use the model fixtures (real and generated GGUFs);
    // the renderer's unit tests run in Node and may check its pure modules against the engine's;
    // the host's, CLI's and shell's tests may look inside the engine (its parts, its test support),
    // which their shipped code reaches only through the façade.
    const rel = path.relative(ROOT, file).split(path.sep).join("/");
    const isTest = /\.test\.tsx?$|\/test\//.test(rel);
    const testExtras = ["models", ...(from === "renderer" || ALLOWED[from].includes("facade") ? ["engine"] : [])];
    const allowed = isTest ? [...ALLOWED[from], ...testExtras] : ALLOWED[from];
    const check = (node, source) => {
      if (typeof source !== "string") return;
      if (source === "electron" || source.startsWith("electron/")) {
        if (from !== "shell") context.report({ node, messageId: "electron" });
        return;
      }
      if (!source.startsWith(".")) {
        if (BROWSER.has(from) && !isTest && NODE_BUILTINS.test(source)) context.report({ node, messageId: "builtin", data: { from, source } });
        return;
      }
      const targets = targetsOf(path.resolve(path.dirname(file), source));
      if (targets.length > 0 && !targets.some((t) => allowed.includes(t))) {
        const to = targets[0] === "engine" && allowed.includes("facade") ? "engine (past its façade)" : targets[0];
        context.report({ node, messageId: "layer", data: { from, to, source, allowed: allowed.join(", ") } });
      }
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === "Literal" && check(node, node.source.value),
    };
  },
};

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "renderer/dist/**", "test-results/**", "playwright-report/**", "bin/**", "t_*.mjs", ".scratch*/**", "bench/_tmp*", ".cache/**", "e2e/artifacts/**", "release/**", "results/**",
    // The code-committee example is deliberately flawed input for the committee to fix (its `any`s included).
    "examples/refactor-component/src/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { layers: { rules: { "allowed-imports": allowedImports } } },
    rules: {
      "layers/allowed-imports": "error",
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["renderer/**/*.ts", "renderer/**/*.tsx"],
    plugins: { "react-hooks": reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
);
