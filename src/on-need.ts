// Code that loads on first need, once per page: the chat panel (src/panel.ts), and the markdown
// renderer (marked + a sanitizer), most of the widget's weight. A bubble that is never opened
// fetches neither; an empty chat never fetches the renderer.

/** A module loaded once, on first `load()`; a failed load (offline, a blocked file) resolves `undefined` and may be tried again. */
function onNeed<T>(load: () => Promise<T>, failure: string): { get: () => T | undefined; load: () => Promise<T | undefined> } {
  let loaded: T | undefined;
  let loading: Promise<T | undefined> | undefined;
  return {
    get: () => loaded,
    load: () =>
      (loading ??= load().then(
        (module) => (loaded = module),
        (error: unknown) => {
          console.error(`thinnest-chat: ${failure}`, error);
          loading = undefined;
          return undefined;
        },
      )),
  };
}

// ready(): a browser without the HTML Sanitizer API fetches DOMPurify first.
const markdown = onNeed(
  () => import('./markdown.js').then((module) => module.ready().then(() => module)),
  'the markdown renderer could not be loaded; replies are shown as plain text.',
);
const panel = onNeed(() => import('./panel.js'), 'the chat panel could not be loaded.');

/** The renderer, once loaded; until then replies show as plain text. */
export const markdownModule = markdown.get;
/** Loads the renderer once. */
export const loadMarkdown = markdown.load;
/** The panel's code, once loaded. */
export const panelModule = panel.get;
/** Loads the panel's code once. */
export const loadPanel = panel.load;
