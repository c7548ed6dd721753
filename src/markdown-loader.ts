// The markdown renderer (marked + a sanitizer) is most of the widget's weight, so it loads on
// first need: a bubble that is never opened never fetches or parses it.
type MarkdownModule = typeof import('./markdown.js');

let loaded: MarkdownModule | undefined;
let loading: Promise<MarkdownModule | undefined> | undefined;

/** The renderer, once loaded; until then replies show as plain text. */
export function markdownModule(): MarkdownModule | undefined {
  return loaded;
}

/** Loads the renderer once; a failed load (offline, blocked chunk) leaves replies as plain text and may be tried again. */
export function loadMarkdown(): Promise<MarkdownModule | undefined> {
  // ready(): a browser without the HTML Sanitizer API fetches DOMPurify first.
  loading ??= import('./markdown.js').then((module) => module.ready().then(() => module)).then(
    (module) => (loaded = module),
    (error: unknown) => {
      console.error('thinnest-chat: the markdown renderer could not be loaded; replies are shown as plain text.', error);
      loading = undefined;
      return undefined;
    },
  );
  return loading;
}
