// `npm start`: the designer playground (index.html, demo/) with the proxy mounted at /api/chat
// in the same process — mock agent, or the real API when THINNEST_API_KEY and
// THINNEST_AGENT_ID are set. `npm run build` uses scripts/build.mjs, not this file.
import { defineConfig } from 'vite';
import { thinnestProxyPlugin } from './server/vite-plugin.ts';

export default defineConfig({
  plugins: [thinnestProxyPlugin()],
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1' },
});
