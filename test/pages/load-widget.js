// Loads the widget the way ?build= says, after hostile-setup.js has run:
//   script             dist/thinnest-chat.min.js, the script-tag file
//   module             the ES module build from src/
//   copies             another version of the script (served from another path) first, then ours
//   copies-ours-first  ours first, then the other version
//   no-panel           the script-tag file from a path where its panel file fails (503)
(function () {
  var build = new URLSearchParams(location.search).get('build') || 'script';
  var ours = '/dist/thinnest-chat.min.js';
  var other = '/fake-copy/v0.0.9-other/thinnest-chat.min.js';
  function load(src, type) {
    var script = document.createElement('script');
    script.src = src;
    if (type) script.type = type;
    script.async = false; // in insertion order, like two tags in the page
    document.head.appendChild(script);
  }
  if (build === 'module') load('/src/index.ts', 'module');
  else if (build === 'no-panel') load('/fake-copy/v0.0.8-nopanel/thinnest-chat.min.js');
  else if (build === 'copies') { load(other); load(ours); }
  else if (build === 'copies-ours-first') { load(ours); load(other); }
  else load(ours);
})();
