// Runs first on the CSP pages, next to record-violations.js: every uncaught error (a second
// copy of the script throwing on customElements.define, say) and every script that failed to
// load is kept in window.__errors for the test to read.
window.__errors = [];
window.addEventListener(
  'error',
  (event) => {
    const target = event.target;
    if (target && target !== window) {
      // A resource that failed to load: only scripts matter here (a broken image is not an error).
      if (target.localName === 'script') window.__errors.push(`failed to load ${target.src}`);
      return;
    }
    window.__errors.push(`${event.message} (${event.filename}:${event.lineno})`);
  },
  true,
);
window.addEventListener('unhandledrejection', (event) => {
  window.__errors.push(`unhandled rejection: ${event.reason}`);
});
