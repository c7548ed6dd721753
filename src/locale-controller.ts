import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { LOCALE_EVENT, localeStrings } from './locale-registry.js';
import { resolveStrings, type ChatStrings } from './strings.js';

/** Languages (or scripts) written right to left. */
const RTL = /^(?:ar|arc|ckb|dv|fa|he|iw|ps|sd|ug|ur|yi)(?:-|$)|-(?:arab|hebr|thaa|syrc|nkoo|adlm|rohg)(?:-|$)/i;

type Host = ReactiveControllerHost & HTMLElement & { strings?: unknown };

/** The parent element, or the shadow host for the top of a shadow tree. */
function parentAcrossShadow(node: Element): Element | null {
  const root = node.getRootNode();
  return node.parentElement ?? (root instanceof ShadowRoot ? root.host : null);
}
type Direction = 'ltr' | 'rtl';

/**
 * The widget's language and direction, read from the page: the nearest `lang` on the element or
 * above it (across shadow roots), and the nearest `dir`, or else the direction of that language.
 * It re-renders the host when either changes, or when a locale is registered late. Before each
 * render it resolves the host's `strings` (its overrides) over them.
 */
export class LocaleController implements ReactiveController {
  /** The language tag that applies, `''` when the page names none. */
  lang = '';
  /** Every text the widget shows, in its language, as of the last update. */
  strings: ChatStrings = resolveStrings();
  /**
   * `'en'` where the widget's own words are English in a page of another language (no locale is
   * registered for it): they are marked `lang="en"`, so a screen reader speaks them as English, and
   * what is in the page's language (messages, the site's own texts) is marked with that.
   */
  uiLang?: 'en';
  readonly #host: Host;
  #observer?: MutationObserver;
  /** The `dir` this controller put on the host (an RTL `lang` on a page without `dir`), or null. */
  #autoDir: string | null = null;
  #memo?: { locale: unknown; overrides: unknown; strings: ChatStrings };

  constructor(host: Host) {
    this.#host = host;
    host.addController(this);
  }

  hostConnected(): void {
    this.#observer ??= new MutationObserver(this.#refresh);
    const options = { attributes: true, attributeFilter: ['lang', 'dir'], subtree: true };
    const root = this.#host.getRootNode();
    if (root instanceof ShadowRoot) this.#observer.observe(root, options);
    this.#observer.observe(document.documentElement, options);
    globalThis.addEventListener(LOCALE_EVENT, this.#refresh);
  }

  hostDisconnected(): void {
    this.#observer?.disconnect();
    globalThis.removeEventListener(LOCALE_EVENT, this.#refresh);
  }

  readonly #refresh = (): void => this.#host.requestUpdate();

  /**
   * Before each render: reads the language and direction that apply now (putting `dir` on the host where only an
   * RTL `lang` says so) and resolves the strings for them: English, the registered locale of the language over
   * it, the host's `strings` (the site's overrides) over both. The same object until one of them changes.
   */
  hostUpdate(): void {
    this.#readPage();
    const locale = localeStrings(this.lang);
    const overrides = this.#host.strings;
    this.uiLang = this.lang && !locale && !/^en(?:-|$)/i.test(this.lang) ? 'en' : undefined;
    const memo = this.#memo;
    if (memo && memo.locale === locale && memo.overrides === overrides) {
      this.strings = memo.strings;
      return;
    }
    this.strings = resolveStrings(locale, overrides);
    this.#memo = { locale, overrides, strings: this.strings };
  }

  #readPage(): void {
    const host = this.#host;
    // The page set its own dir over ours: from now on it is theirs.
    if (this.#autoDir !== null && host.getAttribute('dir') !== this.#autoDir) this.#autoDir = null;
    let lang: string | undefined;
    let dir: Direction | undefined;
    let inherited: Direction | undefined;
    for (let node: Element | null = host; node; node = parentAcrossShadow(node)) {
      const value = node === host && this.#autoDir !== null ? null : node.getAttribute('dir')?.toLowerCase();
      const explicit = value === 'rtl' || value === 'ltr' ? value : undefined;
      const nodeLang = node.getAttribute('lang');
      inherited ??= explicit;
      dir ??= explicit ?? (nodeLang === null ? undefined : RTL.test(nodeLang) ? 'rtl' : 'ltr');
      lang ??= nodeLang ?? undefined;
      if (lang !== undefined && inherited) break;
    }
    // An RTL language mirrors the widget even where the page set no dir; an explicit dir nearer wins.
    if ((dir ?? 'ltr') !== (inherited ?? 'ltr')) {
      if (host.getAttribute('dir') !== dir) host.setAttribute('dir', dir!);
      this.#autoDir = dir!;
    } else if (this.#autoDir !== null) {
      host.removeAttribute('dir');
      this.#autoDir = null;
    }
    this.lang = (lang ?? '').trim();
  }
}
