/**
 * A random UUID v4. `crypto.randomUUID()` exists only in secure contexts, and widgets also
 * run on plain-http pages, so fall back to `getRandomValues`, which exists everywhere.
 */
export declare function randomId(): string;
