// custom-elements.json comes from the JSDoc of src/thinnest-chat.ts. package.json's
// `customElements` field is written by hand, so the analyzer must not rewrite it.
import { existsSync } from 'node:fs';

export default {
  globs: ['src/**/*.ts'],
  exclude: ['src/**/*.d.ts'],
  litelement: true,
  packagejson: false,
  plugins: [internalState(), publishedPaths()],
};

/**
 * The analyzer names each module by its source (`src/thinnest-chat.ts`), which the package does not
 * publish; the ES build has one file per source module, so each is named by that file instead
 * (`dist/thinnest-chat.js`): tools that open a declaration's module find it in the installed package.
 */
function publishedPaths() {
  // `src/x.ts`, `/src/x.js` (a definition's module) and `./x.js` (a re-export, relative to src/) alike;
  // a module of types only has no .js, so its .d.ts names it (the build writes dist/ before this runs).
  const published = (value) =>
    typeof value === 'string'
      ? value.replace(/^(?:\/?src\/|\.\/)(.+)\.[jt]s$/, (_, name) => (existsSync(`dist/${name}.js`) ? `dist/${name}.js` : `dist/${name}.d.ts`))
      : value;
  const walk = (node) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'path' || key === 'module') node[key] = published(value);
      else walk(value);
    }
  };
  return { name: 'thinnest-chat-published-paths', packageLinkPhase: ({ customElementsManifest }) => walk(customElementsManifest) };
}

/**
 * The element's own state (`static properties` with `state: true`: draft, unread, now) is reactive
 * but has no attribute; the analyzer reads `static properties` as if every entry had one, so a
 * private field's attribute is dropped here, keeping the manifest to the public API.
 */
function internalState() {
  return {
    name: 'thinnest-chat-internal-state',
    packageLinkPhase({ customElementsManifest }) {
      for (const module of customElementsManifest.modules) {
        for (const declaration of module.declarations ?? []) {
          const internal = new Set();
          for (const member of declaration.members ?? []) {
            if (member.privacy === 'private' && member.attribute) {
              internal.add(member.attribute);
              delete member.attribute;
            }
          }
          if (declaration.attributes) declaration.attributes = declaration.attributes.filter((a) => !internal.has(a.name));
        }
      }
    },
  };
}
