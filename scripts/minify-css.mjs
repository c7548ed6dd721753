// A build plugin: the CSS inside Lit's css`…` templates is minified (comments and layout
// whitespace dropped) in the built files, so the styles cost a page fewer bytes. Interpolations
// (`${darkTheme}`) are left as they are; the source keeps its readable CSS.

/** Minifies one static stretch of CSS. Spaces that carry meaning (descendant selectors, `a + b`, calc) stay. */
export function minifyCssText(text) {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,>])\s*/g, '$1')
    .replace(/:\s+/g, ':')
    .replace(/;}/g, '}');
}

/** The source with every css`…` template's static text minified. */
export function minifyCssTemplates(code) {
  let out = '';
  let index = 0;
  for (;;) {
    const start = code.indexOf('css`', index);
    if (start < 0) break;
    out += code.slice(index, start + 4);
    let i = start + 4;
    let chunk = '';
    let first = true;
    while (i < code.length && code[i] !== '`') {
      if (code[i] === '\\') throw new Error('minify-css: escapes in css`` are not supported');
      if (code[i] === '$' && code[i + 1] === '{') {
        const close = code.indexOf('}', i);
        const text = minifyCssText(chunk);
        out += (first ? text.trimStart() : text) + code.slice(i, close + 1);
        chunk = '';
        first = false;
        i = close + 1;
      } else {
        chunk += code[i++];
      }
    }
    const text = minifyCssText(chunk).trimEnd();
    out += `${first ? text.trimStart() : text}\``;
    index = i + 1;
  }
  return out + code.slice(index);
}

/** The Vite/Rolldown plugin. */
export function minifyCss() {
  return {
    name: 'thinnest-chat:minify-css',
    transform(code, id) {
      if (!/\/src\/.*\.ts$/.test(id) || !code.includes('css`')) return null;
      return { code: minifyCssTemplates(code), map: null };
    },
  };
}
