// A build plugin: the script-tag file (thinnest-chat.min.js) is the element itself, bundled with Lit,
// and runs as a classic, `defer` or `type="module"` script alike. Rolldown writes it as an ES module
// whose chunks import what they share with it; this plugin, at the last stage of each chunk:
// - wraps the entry in a function (strict: the build puts "use strict" first) that does nothing when
//   the element is already defined (a second tag on the page) and keeps its names off the page;
// - has it resolve its chunks against its own URL, not the page's (`document.currentScript`, or for a
//   module script its tag found by name), so any CDN folder or self-hosted path works, and ask for a
//   chunk that failed to load under a new URL the next time;
// - hands what the chunks share to them through one property of `globalThis`, under a symbol named
//   with the version, in place of the ES exports a classic script cannot have;
// - and has the chunks read it there in place of their import from the entry. What is shared is read
//   once, when a chunk runs: functions, classes and constants, as today; a `let` the entry reassigned
//   later would not be seen by the chunks (ES imports are live, this hand-over is not).
import MagicString from 'magic-string';

/** @param {{ entry: string, version: string }} options */
export function scriptTagFile({ entry, version }) {
  const key = `Symbol.for(${JSON.stringify(`thinnest-chat ${version}`)})`;
  /** `a as b, c` as object entries: `"b": a, "c": c` for the entry's export, `"a": b, "c": c` for a chunk's import. */
  const bindings = (list, side) =>
    list
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => {
        const [local, exported = local] = part.split(/\s+as\s+/);
        return side === 'export' ? `${JSON.stringify(exported)}: ${local}` : `${JSON.stringify(local)}: ${exported}`;
      })
      .join(', ');
  return {
    name: 'thinnest-chat:script-tag-file',
    renderChunk(code, chunk) {
      const s = new MagicString(code);
      if (chunk.fileName === entry) {
        const exports = /export\s*\{([^}]*)\};?\s*$/.exec(code);
        if (!exports) throw new Error(`script-tag-file: no export list at the end of ${entry}`);
        if (/^\s*import\s[^(]/m.test(code)) throw new Error(`script-tag-file: ${entry} has a static import, which a classic script cannot run`);
        if (code.includes('import.meta')) throw new Error(`script-tag-file: ${entry} uses import.meta, which a classic script cannot run`);
        s.overwrite(exports.index, exports.index + exports[0].length, `globalThis[${key}] = { ${bindings(exports[1], 'export')} };\n})();\n`);
        for (const found of code.matchAll(/\bimport\(\s*(["'`])(\.\/[^"'`]+)\1\s*\)/g)) {
          s.overwrite(found.index, found.index + found[0].length, `load(${JSON.stringify(found[2])})`);
        }
        s.prepend(
          '(() => {\n' +
            'if (!globalThis.customElements || customElements.get("thinnest-chat")) return;\n' +
            // A module script has no currentScript: its tag is the last one named for the package, not a locale's.
            'const script = document.currentScript ?? [...document.querySelectorAll(\'script[src*="thinnest-chat"]:not([src*="/locales/"])\')].pop();\n' +
            'const base = script?.src || document.baseURI;\n' +
            // A chunk that failed to load (a CDN hiccup) is asked for again under another URL: Firefox keeps a
            // failed module for the page's life, so the same URL would fail again without a request.
            'const failed = {};\n' +
            'const load = (file) => import(new URL(file, base).href + (failed[file] ? "?retry=" + failed[file] : "")).catch((error) => {\n' +
            '  failed[file] = (failed[file] || 0) + 1;\n' +
            '  throw error;\n' +
            '});\n',
        );
      } else {
        const from = new RegExp(`import\\s*\\{([^}]*)\\}\\s*from\\s*(["'\`])\\./${entry.replace(/\./g, '\\.')}\\2;?`, 'g');
        for (const found of code.matchAll(from)) {
          s.overwrite(found.index, found.index + found[0].length, `const { ${bindings(found[1], 'import')} } = globalThis[${key}];`);
        }
        if (new RegExp(`["'\`]\\./${entry.replace(/\./g, '\\.')}["'\`]`).test(s.toString())) {
          throw new Error(`script-tag-file: ${chunk.fileName} still refers to ${entry}`);
        }
      }
      return { code: s.toString(), map: s.generateMap({ hires: true }) };
    },
  };
}
