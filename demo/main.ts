// The playground: a live widget beside controls that set its attributes and CSS properties.
import '../src/index.ts';

const chat = document.querySelector('thinnest-chat')!;
const form = document.querySelector<HTMLFormElement>('#controls')!;
const log = document.querySelector<HTMLOListElement>('#events')!;

function apply(field: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement): void {
  const { name, value } = field;
  if (name.startsWith('--')) {
    chat.style.setProperty(name, value + (field.dataset.unit ?? ''));
  } else if (name === 'suggestions') {
    chat.suggestions = value.split('\n').map((line) => line.trim()).filter(Boolean);
  } else if (value) {
    chat.setAttribute(name, value);
  } else {
    chat.removeAttribute(name);
  }
}

form.addEventListener('input', (event) => apply(event.target as HTMLInputElement));
form.addEventListener('change', (event) => apply(event.target as HTMLInputElement));
document.querySelector('#new-session')!.addEventListener('click', () => chat.newSession());

for (const name of ['send', 'reply', 'error', 'session', 'toggle'] as const) {
  chat.addEventListener(`thinnest-chat-${name}`, (event) => {
    const item = document.createElement('li');
    item.textContent = `${name}: ${JSON.stringify((event as CustomEvent).detail)}`;
    log.prepend(item);
    while (log.children.length > 20) log.lastElementChild!.remove();
  });
}
