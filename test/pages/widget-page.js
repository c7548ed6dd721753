// A page with one <thinnest-chat> configured from the query string, for tests that need a real
// page: a reload, or two tabs (same-origin iframes) sharing real localStorage and storage events.
import '/src/index.ts';

const params = new URLSearchParams(location.search);
const el = document.createElement('thinnest-chat');
el.setAttribute('storage-key', params.get('key') ?? 'pages-default');
el.setAttribute('persist', params.get('persist') ?? 'local');
if (params.get('proxy')) el.setAttribute('proxy-url', params.get('proxy'));
if (params.get('timeout')) el.setAttribute('timeout', params.get('timeout'));
document.body.append(el);
window.__ready = true;
