// A build plugin: the CSS inside Lit's css`…` templates is minified (comments and layout
// whitespace dropped) in the built files, so the styles cost a page fewer bytes. Interpolations
// (`${darkTheme}`) are left as they are; the source keeps its readable CSS. In html`…` templates,
// the line breaks and indentation of the source become one space, which HTML renders the same
// (no template of ours has whitespace inside a pre-formatted element).

/** Minifies one static stretch of CSS. Spaces that carry meaning (descendant selectors, `a + b`, calc) stay. */
export function minifyCssText(text) {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,>/])\s*/g, '$1')
    .replace(/:\s+/g, ':')
    .replace(/;}/g, '}')
    // [mode='bubble'] → [mode=bubble]: a value that is an identifier needs no quotes.
    .replace(/\[([\w-]+)=(['"])(-?[a-z_][\w-]*)\2\]/gi, '[$1=$3]')
    // 0.5 → .5, and #ffffff → #fff: the same values, shorter.
    .replace(/(^|[^\w.-])0\.(\d)/g, '$1.$2')
    .replace(/#([\da-f])\1([\da-f])\2([\da-f])\3\b/gi, '#$1$2$3');
}

/** Layout whitespace in html`…`: each run that holds a line break becomes one space. */
export function collapseHtmlText(text) {
  return text.replace(/[ \t]*\n\s*/g, ' ');
}

/** The source with every css`…` template's static text minified (and html`…` templates' line breaks collapsed). */
export function minifyCssTemplates(code) {
  return minifyTemplates(minifyTemplates(code, 'css`', minifyCssText, true), 'html`', collapseHtmlText, false);
}

function minifyTemplates(code, tag, minifyText, trim) {
  let out = '';
  let index = 0;
  for (;;) {
    const start = code.indexOf(tag, index);
    if (start < 0) break;
    out += code.slice(index, start + tag.length);
    let i = start + tag.length;
    let chunk = '';
    let first = true;
    while (i < code.length && code[i] !== '`') {
      if (code[i] === '\\') throw new Error(`minify-css: escapes in ${tag}\` are not supported`);
      if (code[i] === '$' && code[i + 1] === '{') {
        const close = templateExpressionEnd(code, i + 2);
        const text = minifyText(chunk);
        out += (first && trim ? text.trimStart() : text) + minifyTemplates(code.slice(i, close + 1), tag, minifyText, trim);
        chunk = '';
        first = false;
        i = close + 1;
      } else {
        chunk += code[i++];
      }
    }
    const text = trim ? minifyText(chunk).trimEnd() : minifyText(chunk);
    out += `${first && trim ? text.trimStart() : text}\``;
    index = i + 1;
  }
  return out + code.slice(index);
}

/**
 * The index of the `}` closing the `${` expression whose body starts at `from`. Nested braces,
 * strings and templates (an html`…` inside a conditional) are skipped over.
 */
function templateExpressionEnd(code, from) {
  let depth = 0;
  for (let i = from; i < code.length; i++) {
    const c = code[i];
    if (c === '{') depth++;
    else if (c === '}') {
      if (depth === 0) return i;
      depth--;
    } else if (c === "'" || c === '"') {
      for (i++; i < code.length && code[i] !== c; i++) if (code[i] === '\\') i++;
    } else if (c === '`') {
      for (i++; i < code.length && code[i] !== '`'; i++) {
        if (code[i] === '\\') i++;
        else if (code[i] === '$' && code[i + 1] === '{') i = templateExpressionEnd(code, i + 2);
      }
    }
  }
  throw new Error('minify-css: unclosed ${ in a template');
}

/** The Vite/Rolldown plugin. */
export function minifyCss() {
  return {
    name: 'thinnest-chat:minify-css',
    transform(code, id) {
      if (!/\/src\/.*\.ts$/.test(id) || !/(?:css|html)`/.test(code)) return null;
      return { code: minifyCssTemplates(code), map: null };
    },
  };
}
