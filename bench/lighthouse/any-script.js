// A reference for `npm run bench:lighthouse`: a script tag that does next to nothing, to show what
// Lighthouse's simulation charges a page for any script tag at all before its widget does any work.
document.documentElement.dataset.anyScript = 'ran';
