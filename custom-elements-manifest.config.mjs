// custom-elements.json comes from the JSDoc of src/thinnest-chat.ts. package.json's
// `customElements` field is written by hand, so the analyzer must not rewrite it.
export default {
  globs: ['src/**/*.ts'],
  exclude: ['src/**/*.d.ts'],
  litelement: true,
  packagejson: false,
};
