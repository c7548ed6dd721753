// Part of the conversation's code (conversation.ts): the composer's textbox is the element's own, and grows with
// its text once this is here.

const fieldSizing = typeof CSS !== 'undefined' && CSS.supports('field-sizing', 'content');

/**
 * Grows the composer with its text (up to its max-height) where the browser has no `field-sizing`
 * (Safari before 26.2, older Chrome and Firefox): measured from its content, borders included.
 */
export function fitComposer(input: HTMLTextAreaElement | null): void {
  if (fieldSizing || !input) return;
  input.style.height = 'auto';
  input.style.height = `${input.scrollHeight + input.offsetHeight - input.clientHeight}px`;
}
