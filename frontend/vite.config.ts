import { defineConfig } from "vite";

// The API serves dist/index.html at / and dist/assets at /assets; in development the
// dev server proxies GraphQL (HTTP and WebSocket) to the API on :8000.
const api = process.env.NZERO_API ?? "http://127.0.0.1:8000";

export default defineConfig({
  base: "/",
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: "dist",
    assetsDir: "assets",
    target: "es2022",
    sourcemap: false,
  },
  server: {
    port: 5173,
    proxy: { "/graphql": { target: api, ws: true, changeOrigin: false } },
  },
});
