// What the element checks as soon as it is configured, before any chunk beyond the first is
// loaded: a proxy-url or header that would expose a key is refused at once, not on first send.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Persist } from './types.js';
import type { ChatStrings } from './strings.js';
import type { ChatConfig } from './chat-controller.js';
import { createChatEvent } from './events.js';

/**
 * Why this configuration must not send, for the site owner's console; `null` when it may.
 * Keys belong on a proxy: a URL on the thinnest.ai API or a header carrying an Agent API key
 * would put the key in every visitor's browser.
 */
export function configurationProblem(proxyUrl: string | undefined, headers: Record<string, string> | undefined): string | null {
  if (!proxyUrl) return 'thinnest-chat: set the proxy-url attribute to your proxy (for example /api/chat).';
  let url: URL;
  try {
    url = new URL(proxyUrl, globalThis.location?.href);
  } catch {
    return `thinnest-chat: proxy-url "${proxyUrl}" is not a valid URL.`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `thinnest-chat: proxy-url must be an http(s) URL, not "${url.protocol}".`;
  }
  // The URL parser has lowercased the host already.
  if (url.hostname.replace(/\.$/, '') === 'api.thinnest.ai') {
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

/** The per-request limit in force: `timeout`, or 60 s when it is not a positive number of milliseconds. */
export const timeoutOf = (timeout: number): number => (timeout > 0 ? timeout : 60_000);

const KEY_PREFIX = 'thinnest-chat:';

/**
 * The storage key of a widget: its `storage-key`, or else its absolute `proxy-url`, so two
 * widgets talking to different proxies never share a session.
 */
export function storageKeyFor(storageKey: string | undefined, proxyUrl: string | undefined): string {
  if (storageKey) return KEY_PREFIX + storageKey;
  let resolved = proxyUrl ?? '';
  try {
    resolved = new URL(resolved, globalThis.location?.href).href;
  } catch {
    // An invalid URL is reported elsewhere; its text still makes a distinct key.
  }
  return KEY_PREFIX + resolved;
}

/** Where a widget's conversation is kept (its draft and its teaser's day beside it): its storage key, and `persist` (`local` unless `session` or `none`). */
export function storedAt(widget: { storageKey?: string; proxyUrl?: string; persist?: string }): { storageKey: string; persist: Persist } {
  const { persist } = widget;
  return { storageKey: storageKeyFor(widget.storageKey, widget.proxyUrl), persist: persist === 'session' || persist === 'none' ? persist : 'local' };
}

/** What a widget's conversation is sent and kept with: its attributes as the conversation's code reads them. */
export function chatConfigOf(
  widget: { proxyUrl?: string; headers?: Record<string, string>; timeout: number; credentials: RequestCredentials; storageKey?: string; persist?: string; pageContext?: boolean },
  strings: ChatStrings,
): ChatConfig {
  const { proxyUrl, headers = {}, timeout, credentials, pageContext } = widget;
  return { proxyUrl, headers, timeoutMs: timeoutOf(timeout), credentials, strings, pageContext, ...storedAt(widget) };
}

type Host = ReactiveControllerHost & HTMLElement & { proxyUrl?: string; headers: Record<string, string> };

/**
 * Reports a configuration that would expose a key as soon as it is set, not only on send: on the
 * console and as a `thinnest-chat-error` (`misconfigured`), once per problem.
 */
export class ConfigurationCheck implements ReactiveController {
  readonly #host: Host;
  #reported: string | null = null;

  constructor(host: Host) {
    this.#host = host;
    host.addController(this);
  }

  hostUpdated(): void {
    const { proxyUrl, headers } = this.#host;
    const problem = proxyUrl ? configurationProblem(proxyUrl, headers) : null;
    if (problem && problem !== this.#reported) {
      console.error(problem);
      this.#host.dispatchEvent(createChatEvent('thinnest-chat-error', { code: 'misconfigured', status: 0, message: problem, retryable: false }));
    }
    this.#reported = problem;
  }
}
