// The widget's code beyond the launcher comes on need, once per page: the conversation (sending,
// storage, what the transcript shows) and the markdown renderer, most of the widget's weight. A
// bubble that is never opened fetches neither; an empty chat never fetches the renderer.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Renderer } from './message-view.js';

/** Code fetched once per page on first `load()`; a failed fetch (offline, a blocked file) gives `undefined` and may be tried again. */
export interface CodeOnNeed<T> {
  /** The code, once loaded by any widget on the page. */
  readonly loaded?: T;
  load(): Promise<T | undefined>;
}

/**
 * Gives the page a turn before what follows: `scheduler.yield()` where there is one, else a new task.
 * The widget's start is cut into tasks this way (its code arriving, and drawing with it), so none of
 * them holds up the host page for long.
 */
export const nextTask = (): Promise<void> =>
  (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler?.yield?.() ?? new Promise((resolve) => setTimeout(resolve));

/**
 * Once the page has loaded (its images too), or after 3 s at most, and then drawn itself: the widget's first
 * render waits for it, so the page's own content (its largest image or heading) is on screen first and the
 * widget's work comes after (`load` fires before the page paints what it loaded). "Drawn" is the browser's first
 * report of where `element` is, once it has reported the page's first contentful paint: it makes both as it puts a
 * frame on screen, which can be a frame or two after the frame was drawn, and reports in a task of its own. A page
 * with an image or frame that never finishes loading does not keep the widget away, nor one not drawing frames (a tab
 * in the background) or with nothing of its own to paint, which waits 100 ms at most.
 *
 * `far` hears, with that report and each after it until it comes near, whether `element` is more than a screen's height
 * from the viewport (on any side), as a browser asks before loading a lazy image. A scrolling box or frame around it
 * cuts what the browser sees: inside one, it comes near as it comes into that box's view.
 */
export const pageLoaded = (element: Element, far: (far: boolean) => void): Promise<void> =>
  new Promise<unknown>((resolve) => {
    if (document.readyState === 'complete') resolve(0);
    addEventListener('load', resolve, { once: true });
    setTimeout(resolve, 3000);
  }).then(
    () =>
      new Promise((resolve) => {
        setTimeout(resolve, 100);
        // The newest report is where it is now.
        const placed = (entries: IntersectionObserverEntry[], observer: IntersectionObserver) => {
          const near = entries.pop()!.isIntersecting;
          if (near) observer.disconnect();
          far(!near);
          resolve();
        };
        // Seen once: the observer stops there (a page reports its first contentful paint once).
        const painted = (paints: PerformanceObserverEntryList, observer: PerformanceObserver) =>
          paints.getEntriesByName('first-contentful-paint')[0] &&
          (observer.disconnect(), new IntersectionObserver(placed, { rootMargin: '100%' }).observe(element));
        new PerformanceObserver(painted).observe({ type: 'paint', buffered: true });
      }),
  );

export function codeOnNeed<T>(fetchCode: () => Promise<T>, failure: string): CodeOnNeed<T> {
  let loading: Promise<T | undefined> | undefined;
  const code: { loaded?: T; load: () => Promise<T | undefined> } = {
    load: () =>
      (loading ??= fetchCode().then(
        // Run in a task of its own, not the one that evaluated the code.
        async (module) => (await nextTask(), (code.loaded = module)),
        (error: unknown) => {
          console.error(`thinnest-chat: ${failure}`, error);
          loading = undefined;
          return undefined;
        },
      )),
  };
  return code;
}

/**
 * One widget's use of a part loaded on need: `idle` → `loading` → `ready` | `failed`. A failed part
 * is idle again when the visitor comes to the widget (points at it, focuses it) or the browser is
 * back online, and the element loads it again on its next need; `load()` itself always tries.
 */
export class LazyPart<T> implements ReactiveController {
  status: 'idle' | 'loading' | 'ready' | 'failed' = 'idle';
  /** While loading: settles when the part is ready or has failed (never rejects). */
  loading?: Promise<void>;
  protected readonly host: ReactiveControllerHost & HTMLElement & { renderRoot: ParentNode };
  readonly #code: CodeOnNeed<T>;
  readonly #onReady: (code: T) => void;
  #disconnect?: AbortController;

  constructor(host: ReactiveControllerHost & HTMLElement & { renderRoot: ParentNode }, code: CodeOnNeed<T>, onReady: (code: T) => void = () => {}) {
    this.host = host;
    this.#code = code;
    this.#onReady = onReady;
    host.addController(this);
  }

  /** The part's code, once this widget has it. */
  get value(): T | undefined {
    return this.status === 'ready' ? this.#code.loaded : undefined;
  }

  /** Loads the part (at once, when another widget already has); resolves when it is ready or has failed. */
  load(): Promise<void> {
    if (this.status === 'ready') return Promise.resolve();
    if (this.#code.loaded) return Promise.resolve(this.#ready(this.#code.loaded));
    this.status = 'loading';
    return (this.loading ??= this.#code.load().then((code) => {
      this.loading = undefined;
      if (code) this.#ready(code);
      else this.status = 'failed';
      this.host.requestUpdate();
    }));
  }

  #ready(code: T): void {
    this.status = 'ready';
    this.#onReady(code);
  }

  hostConnected(): void {
    const options = { signal: (this.#disconnect = new AbortController()).signal };
    for (const [target, type] of [[globalThis, 'online'], [this.host, 'pointerenter'], [this.host, 'focusin']] as const) {
      target.addEventListener?.(type, this.#retry, options);
    }
  }

  hostDisconnected(): void {
    this.#disconnect?.abort();
  }

  readonly #retry = (): void => {
    if (this.status !== 'failed') return;
    this.status = 'idle';
    this.host.requestUpdate();
  };
}

/**
 * The markdown renderer (markdown.ts); ready(): a browser without the HTML Sanitizer API fetches DOMPurify first;
 * then marked compiles its common rules (warmUp), each step in a task of its own (nextTask), so neither they nor its first use are one long task.
 * It is the two functions the widget calls (Renderer), not the module: the module's chunk also holds what DOMPurify's
 * chunk imports, and the bundler would build the module as an object of its own there.
 */
export const rendererCode = codeOnNeed(
  () =>
    import('./markdown.js').then(async (renderer): Promise<Renderer> => {
      await renderer.ready();
      await renderer.warmUp(nextTask);
      return { renderMarkdown: renderer.renderMarkdown, tabStopsWhileScrolling: renderer.tabStopsWhileScrolling };
    }),
  'the markdown renderer could not be loaded; replies are shown as plain text.',
);

/** The rating controls under replies (feedback.ts), for a widget with `feedback` on. */
export const feedbackCode = codeOnNeed(() => import('./feedback.js'), 'the feedback controls could not be loaded.');
