/**
 * Whether a URL from a reply may stay: links may be http(s) or mailto, images http(s) only.
 * Parsed the way the browser will parse it, so case, entity and whitespace tricks do not pass.
 */
export declare function isAllowedUrl(value: string, kind: 'link' | 'image', base?: string): boolean;
/** Sanitizes HTML into a fragment that is safe to insert: the only way reply HTML reaches the DOM. */
export declare function sanitize(html: string): DocumentFragment;
/** Options for `renderMarkdown`. */
export interface RenderOptions {
    /** Accessible name and text of each code block's copy button. */
    copyLabel: string;
}
/**
 * Markdown (GFM) to a sanitized fragment, with a copy button after each code block and
 * scrollable wrappers for tables. Call once per message and keep the result.
 */
export declare function renderMarkdown(source: string, options: RenderOptions): DocumentFragment;
