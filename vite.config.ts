/**
 * Builds the renderer (renderer/) into dist/renderer, which the loopback host serves and the
 * Electron shell loads from disk. Relative base so file:// loading in Electron works too.
 */
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

export default defineConfig({
  root: "renderer",
  base: "./",
  plugins: [react()],
  build: {
    outDir: "../dist/renderer",
    emptyOutDir: true,
    sourcemap: true,
    target: "es2022",
  },
});
