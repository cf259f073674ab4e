import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

// The web app is built into dist/web, which ships in the package: `listing-audit serve` needs no build step.
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "/",
  build: {
    outDir: fileURLToPath(new URL("../dist/web", import.meta.url)),
    emptyOutDir: true,
    // No inline script or data: module preload polyfill, so the CSP can forbid inline script.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
});
