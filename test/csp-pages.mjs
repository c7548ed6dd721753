// Serves the pages under test/csp/ with the strict policy a hostile page would set (SPEC §4).
export const STRICT_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' https:",
  "connect-src 'self'",
  "require-trusted-types-for 'script'",
  'trusted-types lit-html dompurify',
].join('; ');

export function cspPages() {
  return async function cspPagesMiddleware(ctx, next) {
    await next();
    if (ctx.path.startsWith('/test/csp/') && ctx.path.endsWith('.html')) {
      ctx.set('Content-Security-Policy', STRICT_CSP);
    }
  };
}
