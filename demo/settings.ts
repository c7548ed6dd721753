// The playground's model: every public attribute and CSS custom property it controls, the
// presets, the URL-hash form of a look, and the embed snippet that reproduces it. No DOM here,
// so test/node/playground.test.ts checks it against custom-elements.json.

export type AttributeControl =
  | { kind: 'text'; placeholder?: string }
  | { kind: 'textarea'; rows: number; hint?: string }
  | { kind: 'select'; options: string[] }
  | { kind: 'number'; min: number; max: number; step: number }
  | { kind: 'boolean' };

export interface AttributeSetting {
  name: string;
  label: string;
  control: AttributeControl;
  /** The element's default, as the attribute would spell it ('' = unset). */
  initial: string;
}

export type CssControl =
  | { kind: 'color' }
  | { kind: 'length'; min: number; max: number; unit: 'px' }
  | { kind: 'number'; min: number; max: number }
  | { kind: 'text' };

export interface CssSetting {
  name: string;
  label: string;
  control: CssControl;
  /** What the picker shows when the property is unset: the light theme's resolved value. */
  initial: string;
}

/** Attributes in the order the form shows them: every attribute of the element. */
export const ATTRIBUTES: AttributeSetting[] = [
  { name: 'proxy-url', label: 'Proxy URL', control: { kind: 'text', placeholder: '/api/chat' }, initial: '/api/chat' },
  { name: 'chat-title', label: 'Title', control: { kind: 'text', placeholder: 'Chat' }, initial: '' },
  { name: 'placeholder', label: 'Placeholder', control: { kind: 'text', placeholder: 'Type a message…' }, initial: '' },
  { name: 'welcome-message', label: 'Welcome message (markdown)', control: { kind: 'textarea', rows: 3 }, initial: '' },
  { name: 'suggestions', label: 'Suggestions (one per line)', control: { kind: 'textarea', rows: 3 }, initial: '' },
  { name: 'mode', label: 'Mode', control: { kind: 'select', options: ['inline', 'bubble'] }, initial: 'inline' },
  { name: 'open', label: 'Open (bubble, preview only)', control: { kind: 'boolean' }, initial: '' },
  { name: 'teaser', label: 'Teaser (bubble)', control: { kind: 'text', placeholder: 'Questions about pricing? Ask me.' }, initial: '' },
  { name: 'teaser-delay', label: 'Teaser delay (s)', control: { kind: 'number', min: 0, max: 60, step: 1 }, initial: '8' },
  { name: 'position', label: 'Position (bubble)', control: { kind: 'select', options: ['bottom-right', 'bottom-left'] }, initial: 'bottom-right' },
  { name: 'theme', label: 'Theme', control: { kind: 'select', options: ['auto', 'light', 'dark'] }, initial: 'auto' },
  { name: 'persist', label: 'Persist', control: { kind: 'select', options: ['local', 'session', 'none'] }, initial: 'local' },
  { name: 'storage-key', label: 'Storage key', control: { kind: 'text', placeholder: 'derived from proxy-url' }, initial: '' },
  { name: 'timeout', label: 'Timeout (ms)', control: { kind: 'number', min: 1000, max: 120000, step: 1000 }, initial: '60000' },
  { name: 'max-length', label: 'Max length', control: { kind: 'number', min: 10, max: 4000, step: 10 }, initial: '4000' },
  { name: 'credentials', label: 'Credentials', control: { kind: 'select', options: ['same-origin', 'include', 'omit'] }, initial: 'same-origin' },
  { name: 'feedback', label: 'Feedback on replies', control: { kind: 'boolean' }, initial: '' },
  { name: 'feedback-url', label: 'Feedback URL', control: { kind: 'text', placeholder: 'beside proxy-url: /api/feedback' }, initial: '' },
  { name: 'page-context', label: 'Page context', control: { kind: 'boolean' }, initial: '' },
  { name: 'hide-data-controls', label: 'Hide download and delete', control: { kind: 'boolean' }, initial: '' },
  {
    name: 'strings',
    label: 'Strings (JSON, any subset)',
    control: { kind: 'textarea', rows: 3, hint: 'e.g. {"sendButton": "Senden", "placeholder": "Nachricht…"}' },
    initial: '',
  },
];

/** Every --thinnest-chat-* property, with the light theme's value as the picker's start. */
export const CSS_PROPERTIES: CssSetting[] = [
  { name: '--thinnest-chat-accent', label: 'Accent', control: { kind: 'color' }, initial: '#2256d6' },
  { name: '--thinnest-chat-accent-text', label: 'Text on accent', control: { kind: 'color' }, initial: '#ffffff' },
  { name: '--thinnest-chat-background', label: 'Background', control: { kind: 'color' }, initial: '#ffffff' },
  { name: '--thinnest-chat-foreground', label: 'Text', control: { kind: 'color' }, initial: '#1b1f24' },
  { name: '--thinnest-chat-muted', label: 'Secondary text', control: { kind: 'color' }, initial: '#5b6470' },
  { name: '--thinnest-chat-border-color', label: 'Dividers', control: { kind: 'color' }, initial: '#d5d9df' },
  { name: '--thinnest-chat-control-border', label: 'Input outline', control: { kind: 'color' }, initial: '#767f8c' },
  { name: '--thinnest-chat-user-bubble', label: 'Visitor bubble', control: { kind: 'color' }, initial: '#2256d6' },
  { name: '--thinnest-chat-user-bubble-text', label: 'Visitor bubble text', control: { kind: 'color' }, initial: '#ffffff' },
  { name: '--thinnest-chat-assistant-bubble', label: 'Assistant bubble', control: { kind: 'color' }, initial: '#f0f2f5' },
  { name: '--thinnest-chat-assistant-bubble-text', label: 'Assistant bubble text', control: { kind: 'color' }, initial: '#1b1f24' },
  { name: '--thinnest-chat-link-color', label: 'Links in replies', control: { kind: 'color' }, initial: '#1b1f24' },
  { name: '--thinnest-chat-error-color', label: 'Error text', control: { kind: 'color' }, initial: '#b42318' },
  { name: '--thinnest-chat-error-background', label: 'Error background', control: { kind: 'color' }, initial: '#fdecea' },
  { name: '--thinnest-chat-code-background', label: 'Code background', control: { kind: 'color' }, initial: '#1f2430' },
  { name: '--thinnest-chat-code-text', label: 'Code text', control: { kind: 'color' }, initial: '#f3f4f6' },
  { name: '--thinnest-chat-focus-ring', label: 'Focus ring', control: { kind: 'color' }, initial: '#2256d6' },
  { name: '--thinnest-chat-radius', label: 'Corner radius', control: { kind: 'length', min: 0, max: 28, unit: 'px' }, initial: '14px' },
  { name: '--thinnest-chat-font-size', label: 'Font size', control: { kind: 'length', min: 12, max: 20, unit: 'px' }, initial: '15px' },
  { name: '--thinnest-chat-width', label: 'Bubble width', control: { kind: 'length', min: 280, max: 560, unit: 'px' }, initial: '380px' },
  { name: '--thinnest-chat-height', label: 'Height', control: { kind: 'length', min: 360, max: 800, unit: 'px' }, initial: '560px' },
  { name: '--thinnest-chat-z-index', label: 'Z-index (bubble)', control: { kind: 'number', min: 0, max: 2147483647 }, initial: '2147483000' },
  { name: '--thinnest-chat-font-family', label: 'Font family', control: { kind: 'text' }, initial: 'system-ui, sans-serif' },
  { name: '--thinnest-chat-shadow', label: 'Shadow (bubble)', control: { kind: 'text' }, initial: '0 12px 40px rgb(0 0 0 / 0.18)' },
  { name: '--thinnest-chat-teaser-background', label: 'Teaser background', control: { kind: 'color' }, initial: '#ffffff' },
  { name: '--thinnest-chat-teaser-text', label: 'Teaser text', control: { kind: 'color' }, initial: '#1b1f24' },
];

/** A look: attribute values and CSS property values that differ from the defaults. */
export interface Look {
  attributes: Record<string, string>;
  css: Record<string, string>;
}

export const DEFAULT_LOOK: Look = {
  attributes: {
    'chat-title': 'Acme support',
    'welcome-message': 'Hi! I am the **demo agent**. Ask me for a list, a table, some code, a link — or the *tour*.',
    suggestions: 'Give me the tour\nShow me a table\nWrite some code',
  },
  css: {},
};

export const PRESETS: Record<string, Look> = {
  Default: DEFAULT_LOOK,
  'Midnight brand': {
    attributes: { ...DEFAULT_LOOK.attributes, 'chat-title': 'Midnight Co.', theme: 'dark' },
    css: {
      '--thinnest-chat-accent': '#f5a524',
      '--thinnest-chat-accent-text': '#1a1300',
      '--thinnest-chat-background': '#0f1115',
      '--thinnest-chat-foreground': '#f2f2f3',
      '--thinnest-chat-assistant-bubble': '#1d2028',
      '--thinnest-chat-border-color': '#2a2e38',
      '--thinnest-chat-control-border': '#7d8494',
      '--thinnest-chat-radius': '6px',
    },
  },
  'Compact rounded': {
    attributes: { ...DEFAULT_LOOK.attributes, 'chat-title': 'Quick help', theme: 'light' },
    css: {
      '--thinnest-chat-accent': '#0b7a4b',
      '--thinnest-chat-radius': '24px',
      '--thinnest-chat-font-size': '13px',
      '--thinnest-chat-height': '440px',
      '--thinnest-chat-width': '320px',
      '--thinnest-chat-assistant-bubble': '#e8f4ee',
    },
  },
  'Bubble, bottom left': {
    attributes: { ...DEFAULT_LOOK.attributes, mode: 'bubble', position: 'bottom-left', open: 'true' },
    css: {},
  },
};

/** Suggestions are one per line in the form and a JSON array on the element. */
export function attributeValue(name: string, formValue: string): string | null {
  if (name === 'suggestions') {
    const lines = formValue.split('\n').map((line) => line.trim()).filter(Boolean);
    return lines.length ? JSON.stringify(lines) : null;
  }
  // A boolean attribute is there (written bare) or not.
  if (ATTRIBUTES.find((setting) => setting.name === name)?.control.kind === 'boolean') return formValue === 'true' ? '' : null;
  return formValue === '' ? null : formValue;
}

/** The look, as the URL hash that restores it. */
export function encodeLook(look: Look): string {
  return `#look=${encodeURIComponent(JSON.stringify(look))}`;
}

/** The look in a URL hash; `undefined` when the hash holds none or a broken one. */
export function decodeLook(hash: string): Look | undefined {
  const match = /^#look=(.*)$/.exec(hash);
  if (!match) return undefined;
  try {
    const value: unknown = JSON.parse(decodeURIComponent(match[1]));
    if (!value || typeof value !== 'object') return undefined;
    const { attributes, css } = value as Partial<Look>;
    const known = (record: unknown, names: string[]) =>
      Object.fromEntries(
        Object.entries(record && typeof record === 'object' ? record : {}).filter(
          ([name, v]) => names.includes(name) && typeof v === 'string',
        ),
      ) as Record<string, string>;
    return {
      attributes: known(attributes, ATTRIBUTES.map((a) => a.name)),
      css: known(css, CSS_PROPERTIES.map((c) => c.name)),
    };
  } catch {
    return undefined;
  }
}

const escapeAttribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
const escapeCss = (value: string) => value.replace(/[<>{};]/g, '');

/** The rule that gives an inline widget its box before its script has run (README.md, docs/element.md say why). */
export const RESERVE_BOX = "thinnest-chat:not(:defined):not([mode='bubble']) { display: block; height: var(--thinnest-chat-height, 560px); }";

/** The exact snippet a site owner pastes to get this look: script, element and style. */
export function embedCode(look: Look, scriptUrl: string, proxyUrl = '/api/chat'): string {
  const attributes = [`proxy-url="${escapeAttribute(look.attributes['proxy-url'] || proxyUrl)}"`];
  for (const setting of ATTRIBUTES) {
    // `open` is the preview's state: written on a site, every visitor's panel would open on every page.
    if (setting.name === 'proxy-url' || setting.name === 'open') continue;
    const raw = look.attributes[setting.name];
    if (raw === undefined) continue;
    const value = attributeValue(setting.name, raw);
    if (value === null || raw === setting.initial) continue;
    attributes.push(value === '' ? setting.name : `${setting.name}="${escapeAttribute(value)}"`);
  }
  const lines = [`<script src="${escapeAttribute(scriptUrl)}" defer></script>`, ''];
  lines.push(attributes.length > 2 ? `<thinnest-chat\n  ${attributes.join('\n  ')}\n></thinnest-chat>` : `<thinnest-chat ${attributes.join(' ')}></thinnest-chat>`);
  // Every value chosen, one equal to the light theme's default too: in the dark theme (or auto, for a dark-mode
  // visitor) the widget's own value differs, and the snippet must give what the preview shows.
  const css = CSS_PROPERTIES.filter((p) => look.css[p.name]);
  const rules: string[] = [];
  // An inline widget's box before its script has run: the page does not move when it does (no layout shift).
  if (look.attributes.mode !== 'bubble') rules.push(`  ${RESERVE_BOX}`);
  if (css.length) rules.push('  thinnest-chat {', ...css.map((property) => `    ${property.name}: ${escapeCss(look.css[property.name])};`), '  }');
  if (rules.length) lines.push('', '<style>', ...rules, '</style>');
  return lines.join('\n');
}
