// What pages in the wild do before our script loads (issue 5, hostile pages), picked by ?setup=.
(function () {
  var setups = (new URLSearchParams(location.search).get('setup') || '').split(',');

  if (setups.indexOf('analytics') !== -1) {
    // Analytics that wrap fetch and XMLHttpRequest, record every call and read a clone of each response.
    window.__analytics = [];
    var originalFetch = window.fetch;
    window.fetch = function (input, init) {
      window.__analytics.push('fetch ' + ((init && init.method) || 'GET') + ' ' + String(input && input.url ? input.url : input));
      return originalFetch.apply(this, arguments).then(function (response) {
        response.clone().text().then(function (text) {
          window.__analytics.push('read ' + response.status + ' ' + text.length);
        });
        return response;
      });
    };
    var open = XMLHttpRequest.prototype.open;
    var sendXhr = XMLHttpRequest.prototype.send;
    XMLHttpRequest.prototype.open = function (method, url) {
      window.__analytics.push('xhr ' + method + ' ' + url);
      return open.apply(this, arguments);
    };
    XMLHttpRequest.prototype.send = function () {
      this.addEventListener('load', function () { window.__analytics.push('xhr load'); });
      return sendXhr.apply(this, arguments);
    };
  }

  if (setups.indexOf('prototypes') !== -1) {
    // An old library: enumerable methods on the built-in prototypes, visible to every for…in.
    Array.prototype.each = function (fn) { for (var i = 0; i < this.length; i++) fn(this[i], i); };
    Array.prototype.last = function () { return this[this.length - 1]; };
    Array.prototype.remove = function (item) { var i = this.indexOf(item); if (i >= 0) this.splice(i, 1); return this; };
    Object.prototype.extend = function (source) { for (var key in source) this[key] = source[key]; return this; };
    Object.prototype.keys = function () { return Object.keys(this); };
    String.prototype.capitalize = function () { return this.charAt(0).toUpperCase() + this.slice(1); };
    Function.prototype.bindAsEventListener = function () { return this; };
  }

  if (setups.indexOf('no-sanitizer-api') !== -1) {
    // A browser without the HTML Sanitizer API: the widget falls back to DOMPurify.
    delete Element.prototype.setHTML;
    delete ShadowRoot.prototype.setHTML;
    delete Document.parseHTML;
    delete window.Sanitizer;
  }

  if (setups.indexOf('storage-blocked') !== -1) {
    // Cookies blocked: merely reading localStorage or sessionStorage throws, from the page's first line.
    ['localStorage', 'sessionStorage'].forEach(function (name) {
      Object.defineProperty(window, name, {
        configurable: true,
        enumerable: true,
        get: function () { throw new DOMException('The operation is insecure.', 'SecurityError'); },
      });
    });
  }

  if (setups.indexOf('globals') !== -1) {
    // Globals with our dependencies' names, of other versions (or not what they seem).
    window.marked = { parse: function () { throw new Error('page marked 0.3 was called'); }, setOptions: function () { throw new Error('page marked 0.3 was configured'); } };
    window.DOMPurify = { sanitize: function (s) { return s; }, addHook: function () {}, removeHook: function () {}, isSupported: true, version: '0.8.0' };
    window.Lit = { version: '1.0.0' };
    window.lit = { html: function () { throw new Error('page lit was called'); } };
    window.litHtmlVersions = ['1.4.1'];
    window.litElementVersions = ['2.5.1'];
    window.reactiveElementVersions = ['1.0.0'];
  }
})();
