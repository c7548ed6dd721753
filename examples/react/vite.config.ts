import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// `npm run proxy` (the mock agent on 127.0.0.1:8787) and `npm run dev`: the widget posts to
// /api/chat on this origin and Vite forwards it with the original Host (changeOrigin: false),
// so the proxy sees a same-origin request, as in production, and needs no ALLOWED_ORIGINS.
export default defineConfig({
  plugins: [react()],
  server: { proxy: { '/api': { target: 'http://127.0.0.1:8787', changeOrigin: false } } },
});
