// What the element checks as soon as it is configured, before any chunk beyond the first is
// loaded: a proxy-url or header that would expose a key is refused at once, not on first send.

/**
 * Why this configuration must not send, for the site owner's console; `null` when it may.
 * Keys belong on a proxy: a URL on the thinnest.ai API or a header carrying an Agent API key
 * would put the key in every visitor's browser.
 */
export function configurationProblem(proxyUrl: string | undefined, headers: Record<string, string> | undefined): string | null {
  if (!proxyUrl) return 'thinnest-chat: set the proxy-url attribute to your proxy (for example /api/chat).';
  let url: URL;
  try {
    url = new URL(proxyUrl, typeof location !== 'undefined' ? location.href : undefined);
  } catch {
    return `thinnest-chat: proxy-url "${proxyUrl}" is not a valid URL.`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `thinnest-chat: proxy-url must be an http(s) URL, not "${url.protocol}".`;
  }
  if (url.hostname.toLowerCase().replace(/\.$/, '') === 'api.thinnest.ai') {
    return "thinnest-chat: proxy-url points at api.thinnest.ai, which would put your Agent API key in every visitor's browser: point it at your proxy.";
  }
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) return `thinnest-chat: "${name}" is not a valid header name.`;
    if (typeof value !== 'string') return `thinnest-chat: header "${name}" must be a string.`;
    if (/agno_/i.test(value)) {
      return `thinnest-chat: header "${name}" looks like an Agent API key (agno_…): keys belong on your proxy, never in the page.`;
    }
  }
  return null;
}

const KEY_PREFIX = 'thinnest-chat:';

/**
 * The storage key of a widget: its `storage-key`, or else its absolute `proxy-url`, so two
 * widgets talking to different proxies never share a session.
 */
export function storageKeyFor(storageKey: string | undefined, proxyUrl: string | undefined): string {
  if (storageKey) return KEY_PREFIX + storageKey;
  let resolved = proxyUrl ?? '';
  try {
    resolved = new URL(resolved, typeof location !== 'undefined' ? location.href : undefined).href;
  } catch {
    // An invalid URL is reported elsewhere; its text still makes a distinct key.
  }
  return KEY_PREFIX + resolved;
}

/** Session ids are opaque tokens; this bounds them to something safe to store and send back. */
export function isSessionId(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(value);
}
