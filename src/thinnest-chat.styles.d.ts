/**
 * Every `--thinnest-chat-*` property with its fallback. Internal `--_*` names hold the
 * resolved values, so the light and dark defaults live in one place.
 */
export declare const styles: import("lit").CSSResult;
