import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

// `npm run proxy` (the mock agent on 127.0.0.1:8787) and `npm run dev`: the widget posts to
// /api/chat on this origin and Vite forwards it with the original Host (changeOrigin: false),
// so the proxy sees a same-origin request, as in production, and needs no ALLOWED_ORIGINS.
export default defineConfig({
  plugins: [
    // Tell Vue's template compiler that <thinnest-chat> is a custom element, not a Vue component.
    vue({ template: { compilerOptions: { isCustomElement: (tag) => tag === 'thinnest-chat' } } }),
  ],
  server: { proxy: { '/api': { target: 'http://127.0.0.1:8787', changeOrigin: false } } },
});
