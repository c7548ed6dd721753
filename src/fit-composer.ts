// Fetched only where the browser has no `field-sizing` (Firefox, Safari before 26.2, older Chrome): the
// composer (composer-controller.ts) grows its textbox with its text through this.

/** Grows the composer with its text (up to its max-height): measured from its content, borders included. */
export function fitComposer(input: HTMLTextAreaElement): void {
  input.style.height = 'auto';
  input.style.height = `${input.scrollHeight + input.offsetHeight - input.clientHeight}px`;
}
