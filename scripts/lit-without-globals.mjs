// A build plugin, for the script-tag build only: each of Lit's three modules ends by writing to the page's global
// object, for pages that need neither here:
// - a hook for the Shady DOM polyfill (`litHtmlPolyfillSupport`, `reactiveElementPolyfillSupport`,
//   `litElementPolyfillSupport`), for browsers without shadow DOM, where the widget does not run anyway;
// - its version in a list (`litHtmlVersions`, `reactiveElementVersions`, `litElementVersions`), which only Lit's
//   development build reads, to warn of two copies on one page.
// The script-tag file bundles its own Lit, so those writes only added names to the page (106 bytes brotli on each
// path). This cuts them from the modules as the bundler reads them; nothing else of Lit is changed, and
// `litElementHydrateSupport` (Lit's server rendering) stays. Each cut is the exact text of the pinned versions
// (package-lock.json): another version fails the build here, to be looked at again, rather than being cut blind.
// The ES module build (dist/index.js) imports Lit as it is.

/** Per module, its exact texts and what each becomes. */
const CUTS = {
  'lit-html/lit-html.js': [[',B=t.litHtmlPolyfillSupport;B?.(S,k),(t.litHtmlVersions??=[]).push("3.3.3");', ';']],
  '@lit/reactive-element/reactive-element.js': [
    [',p=a.reactiveElementPolyfillSupport,', ','],
    [',p?.({ReactiveElement:y}),(a.reactiveElementVersions??=[]).push("2.1.2");', ';'],
  ],
  'lit-element/lit-element.js': [
    [';const o=s.litElementPolyfillSupport;o?.({LitElement:i});', ';'],
    ['(s.litElementVersions??=[]).push("4.2.2");', ''],
  ],
};

export function litWithoutGlobals() {
  const done = new Set();
  return {
    name: 'thinnest-chat:lit-without-globals',
    transform(code, id) {
      const module = Object.keys(CUTS).find((name) => id.replaceAll('\\', '/').endsWith(`/node_modules/${name}`));
      if (!module) return null;
      for (const [from, to] of CUTS[module]) {
        if (code.split(from).length !== 2) {
          throw new Error(`lit-without-globals: ${module} is not the version whose global writes this cuts (scripts/lit-without-globals.mjs)`);
        }
        code = code.replace(from, to);
      }
      done.add(module);
      return { code, map: null };
    },
    buildEnd(error) {
      const missed = Object.keys(CUTS).filter((module) => !done.has(module));
      if (!error && missed.length) throw new Error(`lit-without-globals: ${missed.join(', ')} not seen: Lit's files have moved (scripts/lit-without-globals.mjs)`);
    },
  };
}
