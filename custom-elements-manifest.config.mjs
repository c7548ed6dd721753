// custom-elements.json comes from the JSDoc of src/thinnest-chat.ts. package.json's
// `customElements` field is written by hand, so the analyzer must not rewrite it.
export default {
  globs: ['src/**/*.ts'],
  exclude: ['src/**/*.d.ts'],
  litelement: true,
  packagejson: false,
  plugins: [internalState()],
};

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
