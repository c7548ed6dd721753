import { unsafeCSS, type CSSResult } from 'lit';

/**
 * The tag of the widget's own stylesheets: Lit's `css`, for text written here (a stylesheet may put another one,
 * a shared fragment, in a `${}`; the types take nothing else). Lit's own tag checks each `${}` as the page runs,
 * for stylesheets built from values; ours are not, and the check's code is 0.1 KB of every page's first load.
 */
export const css = (strings: TemplateStringsArray, ...parts: CSSResult[]): CSSResult =>
  unsafeCSS(strings.reduce((text, string, i) => text + parts[i - 1] + string));
