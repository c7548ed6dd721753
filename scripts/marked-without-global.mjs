// A build plugin, for the script-tag build only: marked's module ends with its global instance, `marked`
// (`new Marked()`, a function carrying `options`, `setOptions`, `use`, `parse`, … as properties), and the
// exports read from it. The widget imports only the `Marked` class (src/markdown.ts) and makes its own
// instance, so nothing reaches that one; but the bundler keeps a statement that writes a property as a
// side effect, and so all of it (about 0.55 KB, 115 bytes brotli on the after-reply path). This cuts that
// ending, and those exports, from marked's file as the bundler reads it; the rest of marked is left as it
// is. The cut is checked against the text of the pinned version (package.json): another version fails
// the build here, to be looked at again, rather than being cut blind.
import { createHash } from 'node:crypto';

/** The start of marked 18.2.1's global instance, and the hash of everything from there to its export list. */
const START = 'var v=new ne;';
const CUT_SHA256 = 'd5f7fe5e597200cb878ca8181fdda64394d32a7f5014d326e3f86236ef8f0acf';
/** marked's exports that are that instance or read from it. */
const FROM_GLOBAL = new Set(['marked', 'options', 'setOptions', 'use', 'walkTokens', 'parse', 'parseInline', 'parser', 'lexer']);

export function markedWithoutGlobal() {
  return {
    name: 'thinnest-chat:marked-without-global',
    transform(code, id) {
      if (!/[\\/]node_modules[\\/]marked[\\/]lib[\\/]marked\.esm\.js$/.test(id)) return null;
      const start = code.indexOf(START);
      const exports = /export\{([^}]*)\};/.exec(code);
      const cut = start < 0 || !exports ? '' : code.slice(start, exports.index);
      if (createHash('sha256').update(cut).digest('hex') !== CUT_SHA256) {
        throw new Error('marked-without-global: marked is not the version whose global instance this cuts (scripts/marked-without-global.mjs)');
      }
      const kept = exports[1].split(',').filter((entry) => !FROM_GLOBAL.has(entry.split(' as ')[1]));
      return { code: `${code.slice(0, start)}export{${kept.join(',')}};${code.slice(exports.index + exports[0].length)}`, map: null };
    },
  };
}
