// Layering by runtime (DEVELOPERS.md, house style 1) is enforced here with no-restricted-imports:
//   shared/    imports nothing of ours and no Node built-ins (it runs in the renderer too)
//   engine     (electron/ minus electron/shell) imports shared/ and Node, never `electron`
//   shell      (electron/shell) imports the engine and `electron`
//   renderer/  imports only shared/
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";

const noElectron = { name: "electron", message: "Only electron/shell may import electron: the engine must run in plain Node." };
const nodeBuiltins = ["node:*", "fs", "path", "os", "child_process", "crypto", "http", "net", "worker_threads"];

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "renderer/dist/**", "test-results/**", "playwright-report/**", "bin/**", "t_*.mjs", ".scratch*/**", "bench/_tmp*", ".cache/**", "e2e/artifacts/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["shared/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", {
        paths: [noElectron],
        patterns: [
          { group: ["../electron/*", "../../electron/*", "**/electron/**", "**/renderer/**", "**/models/**"], message: "shared/ imports nothing of ours." },
          { group: nodeBuiltins, message: "shared/ runs in the renderer too: no Node built-ins." },
        ],
      }],
    },
  },
  {
    files: ["electron/**/*.ts", "models/**/*.ts", "bench/**/*.ts"],
    ignores: ["electron/shell/**"],
    rules: {
      "no-restricted-imports": ["error", {
        paths: [noElectron],
        patterns: [
          { group: ["**/renderer/**"], message: "The engine never imports the renderer." },
          { group: ["**/shell/**"], message: "The engine never imports the Electron shell." },
        ],
      }],
    },
  },
  {
    files: ["renderer/**/*.ts", "renderer/**/*.tsx"],
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "no-restricted-imports": ["error", {
        paths: [noElectron],
        patterns: [
          { group: ["**/electron/**", "**/models/**"], message: "renderer/ imports only shared/." },
          { group: nodeBuiltins, message: "renderer/ runs in the browser: no Node built-ins." },
        ],
      }],
    },
  },
  {
    // Unit tests of the renderer's pure modules run in Node (node:test), never in the browser, and
    // may check them against the engine (the CLI's own experiment parser, say).
    files: ["renderer/**/*.test.ts"],
    rules: {
      "no-restricted-imports": ["error", { paths: [noElectron] }],
    },
  },
);
