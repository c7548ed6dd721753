/** Inline SVG icons (no external requests, nothing for a CSP to block). Decorative: names come from their buttons. */
export declare const sendIcon: import("lit-html").TemplateResult<2>;
export declare const stopIcon: import("lit-html").TemplateResult<2>;
export declare const newSessionIcon: import("lit-html").TemplateResult<2>;
export declare const closeIcon: import("lit-html").TemplateResult<2>;
export declare const chatIcon: import("lit-html").TemplateResult<2>;
