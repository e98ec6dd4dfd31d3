/// <reference types="vitest/config" />
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

// The UI is always served embedded by the Tauri shell (custom protocol), never
// by a dev server: `vite build` writes ui/dist, which tauri.conf.json embeds.
export default defineConfig({
  // No svelte.config.js: Svelte 5 reads TypeScript itself, nothing to preprocess.
  plugins: [svelte({ configFile: false })],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Every webview Rembug runs in supports module preload natively.
    modulePreload: { polyfill: false },
  },
  test: {
    include: ['src/**/*.test.ts'],
    // Both catalogues, which the window loads one at a time on demand.
    setupFiles: ['src/lib/i18n/testSetup.ts'],
    environment: 'node',
    // Stylesheets as their text, so a test can read the app's own CSS.
    css: true,
  },
});
