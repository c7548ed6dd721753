// Runs first on the CSP pages: every violation the widget causes is kept for the test to read.
window.__violations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__violations.push(`${event.violatedDirective}: ${event.blockedURI} ${event.sample || ''}`);
});
