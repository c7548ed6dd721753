// The playground: controls for every attribute and CSS custom property, presets, the embed
// code, the look kept in the URL hash, and the gallery of states.
import '../src/index.ts';
import type { ThinnestChat } from '../src/index.ts';
import {
  ATTRIBUTES,
  CSS_PROPERTIES,
  DEFAULT_LOOK,
  PRESETS,
  attributeValue,
  decodeLook,
  embedCode,
  encodeLook,
  type Look,
} from './settings.ts';
import { buildGallery } from './gallery.ts';

const SCRIPT_URL = 'https://unpkg.com/thinnest-chat/dist/thinnest-chat.min.js';

const chat = document.querySelector<ThinnestChat>('#chat')!;
const form = document.querySelector<HTMLFormElement>('#controls')!;
const embed = document.querySelector<HTMLElement>('#embed')!;
let look: Look = decodeLook(location.hash) ?? structuredClone(DEFAULT_LOOK);

/** A labelled row; the label names only the control (not its options or hint), the hint describes it. */
function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  const wrapper = document.createElement('div');
  wrapper.className = 'field';
  control.id = `control-${(control as HTMLInputElement).name.replace(/^-+/, '')}`;
  const text = document.createElement('label');
  text.htmlFor = control.id;
  text.textContent = label;
  wrapper.append(text, control);
  if (hint) {
    const small = document.createElement('small');
    small.id = `${control.id}-hint`;
    small.textContent = hint;
    control.setAttribute('aria-describedby', small.id);
    wrapper.append(small);
  }
  return wrapper;
}

function buildControls(): void {
  const attributes = document.querySelector('#attribute-controls')!;
  for (const setting of ATTRIBUTES) {
    const { control } = setting;
    let input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
    if (control.kind === 'select') {
      input = document.createElement('select');
      for (const option of control.options) input.append(new Option(option, option));
    } else if (control.kind === 'textarea') {
      input = document.createElement('textarea');
      input.rows = control.rows;
    } else {
      input = document.createElement('input');
      if (control.kind === 'number') Object.assign(input, { type: 'number', min: String(control.min), max: String(control.max), step: String(control.step) });
      if (control.kind === 'boolean') input.type = 'checkbox';
      if (control.kind === 'text' && control.placeholder) input.placeholder = control.placeholder;
    }
    input.name = setting.name;
    input.dataset.kind = 'attribute';
    attributes.append(field(setting.label, input, control.kind === 'textarea' ? control.hint : undefined));
  }
  const css = document.querySelector('#css-controls')!;
  for (const setting of CSS_PROPERTIES) {
    const input = document.createElement('input');
    const { control } = setting;
    if (control.kind === 'color') input.type = 'color';
    if (control.kind === 'length') Object.assign(input, { type: 'range', min: String(control.min), max: String(control.max), step: '1' });
    if (control.kind === 'number') Object.assign(input, { type: 'number', min: String(control.min), max: String(control.max) });
    input.name = setting.name;
    input.dataset.kind = 'css';
    const output = document.createElement('output');
    output.dataset.for = setting.name;
    const row = field(setting.label, input);
    row.append(output);
    css.append(row);
  }
  const presets = document.querySelector('#presets')!;
  for (const [name, preset] of Object.entries(PRESETS)) {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = name;
    button.addEventListener('click', () => apply(structuredClone(preset)));
    presets.append(button);
  }
}

/** Shows the look in the form, on the widget, in the embed code and in the address bar. */
function apply(next: Look): void {
  look = next;
  for (const setting of ATTRIBUTES) {
    const raw = look.attributes[setting.name] ?? (setting.control.kind === 'boolean' ? '' : setting.initial);
    const input = form.elements.namedItem(setting.name) as HTMLInputElement;
    if (input.type === 'checkbox') input.checked = raw === 'true';
    else input.value = raw;
    const value = attributeValue(setting.name, raw);
    if (value === null) chat.removeAttribute(setting.name);
    else chat.setAttribute(setting.name, value);
  }
  for (const setting of CSS_PROPERTIES) {
    const value = look.css[setting.name];
    const input = form.elements.namedItem(setting.name) as HTMLInputElement;
    const shown = value ?? setting.initial;
    input.value = setting.control.kind === 'length' ? String(parseFloat(shown)) : shown;
    const output = form.querySelector<HTMLOutputElement>(`output[data-for="${setting.name}"]`)!;
    output.textContent = value === undefined ? 'default' : value;
    if (value === undefined) chat.style.removeProperty(setting.name);
    else chat.style.setProperty(setting.name, value);
  }
  document.querySelector<HTMLElement>('#bubble-note')!.hidden = look.attributes.mode !== 'bubble';
  void chat.updateComplete.then(() => {
    showWidgetColours();
    checkContrast();
  });
  embed.textContent = embedCode(look, SCRIPT_URL);
  history.replaceState(null, '', encodeLook(look));
}

/** `[r, g, b]` of a colour as the screen shows it, from whatever CSS computed (`rgb()`, `lch()` …). */
function pixel(color: string): number[] {
  const context = document.createElement('canvas').getContext('2d', { willReadFrequently: true })!;
  context.fillStyle = color;
  context.fillRect(0, 0, 1, 1);
  return Array.from(context.getImageData(0, 0, 1, 1).data.slice(0, 3));
}

const LINK = '--thinnest-chat-link-color';
/** The property a link in a reply takes its colour from: its own, else the bubble's text (`currentColor`). */
const linkColour = (style: CSSStyleDeclaration): string => (style.getPropertyValue(LINK).trim() ? LINK : '--_assistant-bubble-text');

/** The colour the widget resolves one of its internal `--_*` properties to now, as computed CSS. */
function widgetColour(style: CSSStyleDeclaration, name: string): string {
  const probe = document.createElement('span');
  probe.style.color = style.getPropertyValue(name).trim();
  chat.shadowRoot!.append(probe);
  const value = getComputedStyle(probe).color;
  probe.remove();
  return value;
}

/**
 * A colour picker not yet touched shows what the widget shows now (the dark theme's default in the dark theme, the
 * black or white picked for text on the accent), not the light theme's default.
 */
function showWidgetColours(): void {
  const style = getComputedStyle(chat);
  for (const setting of CSS_PROPERTIES) {
    if (setting.control.kind !== 'color' || look.css[setting.name] !== undefined) continue;
    // --thinnest-chat-border-color is --_border inside, -error-color --_error, -focus-ring --_focus; the rest keep their names.
    const inside = setting.name === LINK ? linkColour(style) : setting.name.replace('--thinnest-chat-', '--_').replace(/-color$/, '').replace(/-ring$/, '');
    const hex = pixel(widgetColour(style, inside)).map((v) => v.toString(16).padStart(2, '0'));
    (form.elements.namedItem(setting.name) as HTMLInputElement).value = `#${hex.join('')}`;
  }
}

/** WCAG relative luminance of a computed colour, in whatever space CSS computed it (`rgb()`, `lch()` …). */
function luminance(color: string): number {
  const [r, g, b] = pixel(color).map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/**
 * Warns when a colour choice leaves text unreadable in the theme the widget shows now. An accent chosen
 * alone gets readable text (black or white) from the widget, so this is about colours set together.
 */
function checkContrast(): void {
  const warning = document.querySelector<HTMLElement>('#contrast-warning')!;
  const style = getComputedStyle(chat);
  const color = (name: string) => widgetColour(style, name);
  // Text needs 4.5:1 on what is behind it; the focus ring 3:1 (WCAG 1.4.11).
  const pairs: Array<[string, string, string, number?]> = [
    ['--_accent-text', '--_accent', 'Text on accent'],
    ['--_user-bubble-text', '--_user-bubble', 'Visitor bubble text'],
    ['--_assistant-bubble-text', '--_assistant-bubble', 'Assistant bubble text'],
    [linkColour(style), '--_assistant-bubble', 'Links in replies'],
    ['--_foreground', '--_background', 'Text'],
    ['--_muted', '--_background', 'Secondary text'],
    ['--_error', '--_error-background', 'Error text'],
    ['--_code-text', '--_code-background', 'Code text'],
    ['--_focus', '--_background', 'Focus ring', 3],
  ];
  const failing = pairs.flatMap(([text, back, label, needed = 4.5]) => {
    const [a, b] = [luminance(color(text)), luminance(color(back))].sort((x, y) => y - x);
    const ratio = (a + 0.05) / (b + 0.05);
    return ratio < needed ? [`${label}: ${ratio.toFixed(1)}:1`] : [];
  });
  const dark = chat.theme === 'dark' || (chat.theme !== 'light' && matchMedia('(prefers-color-scheme: dark)').matches);
  warning.textContent = failing.length
    ? `Below WCAG AA (4.5:1 for text, 3:1 for the focus ring) in the ${dark ? 'dark' : 'light'} theme shown now: ${failing.join('; ')}.`
    : '';
}
matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
  showWidgetColours();
  checkContrast();
});

function onFormInput(event: Event): void {
  const input = event.target as HTMLInputElement;
  if (!input.name) return;
  const next = structuredClone(look);
  if (input.dataset.kind === 'attribute') {
    next.attributes[input.name] = input.type === 'checkbox' ? (input.checked ? 'true' : '') : input.value;
  } else {
    const setting = CSS_PROPERTIES.find((p) => p.name === input.name)!;
    // A field cleared is the widget's default again, in the preview and in the embed code alike.
    if (input.value.trim() === '') delete next.css[input.name];
    else next.css[input.name] = setting.control.kind === 'length' ? `${input.value}px` : input.value;
  }
  apply(next);
}

buildControls();
form.addEventListener('input', onFormInput);
form.addEventListener('change', onFormInput);
document.querySelector('#reset')!.addEventListener('click', () => apply(structuredClone(DEFAULT_LOOK)));
document.querySelector('#new-session')!.addEventListener('click', () => chat.newSession());
document.querySelector('#copy-embed')!.addEventListener('click', async () => {
  const status = document.querySelector('#copy-status')!;
  try {
    await navigator.clipboard.writeText(embed.textContent ?? '');
    status.textContent = 'Copied.';
  } catch {
    getSelection()?.selectAllChildren(embed);
    status.textContent = 'Selected: press Ctrl+C (⌘C) to copy.';
  }
});
chat.addEventListener('thinnest-chat-toggle', (event) => {
  // Keep the form's "open" box in step with the launcher.
  const next = structuredClone(look);
  next.attributes.open = event.detail.open ? 'true' : '';
  if (next.attributes.open !== (look.attributes.open ?? '')) apply(next);
});

const log = document.querySelector<HTMLOListElement>('#events')!;
for (const name of ['send', 'reply', 'error', 'session', 'toggle'] as const) {
  chat.addEventListener(`thinnest-chat-${name}`, (event) => {
    const item = document.createElement('li');
    item.textContent = `${name}: ${JSON.stringify(event.detail)}`;
    log.prepend(item);
    while (log.children.length > 12) log.lastElementChild!.remove();
  });
}

apply(look);
buildGallery(document.querySelector('#gallery-grid')!);
