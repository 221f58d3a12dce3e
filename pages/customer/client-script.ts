// The order page's only script, inlined with a CSP nonce: progressive enhancement, no framework. Without it
// the page is complete; with it the order section follows the order live:
//   - an EventSource on `<base>/events` (the server sends an `order` event whenever the projection's version
//     differs from the one the page shows; the browser reconnects by itself when the stream closes, the
//     script a minute after a refusal),
//   - on an event, `<base>/fragment` is fetched and swapped in for `#order-live`, keeping what the customer
//     typed into the refund form and where the focus was,
//   - the `role=status` line is updated from the fragment's data attributes, so screen readers hear it.
// Times stay as the server wrote them: in the reader's language and the merchant's time zone.
// It reads nothing from the URL and writes no HTML of its own: the fragment is server-rendered and escaped.
export const CLIENT_SCRIPT = `
(function () {
  'use strict';
  var root = document.getElementById('order-live');
  if (!root || !window.fetch || !window.EventSource || !document.createElement('template').content) return;
  var base = root.getAttribute('data-base');
  var version = root.getAttribute('data-version');

  function updateStatus(from) {
    var label = document.getElementById('status-label');
    var detail = document.getElementById('status-detail');
    var text = from.getAttribute('data-status-label');
    if (label && text && label.textContent !== text) {
      label.textContent = text;
      label.className = 'badge badge-' + from.getAttribute('data-status-tone');
    }
    var more = from.getAttribute('data-status-detail');
    if (detail && more !== null && detail.textContent !== more) detail.textContent = more;
  }

  function swap(next) {
    var saved = {};
    var fields = root.querySelectorAll('input[name]:not([type=hidden]), textarea[name]');
    for (var i = 0; i < fields.length; i++) saved[fields[i].name] = fields[i].value;
    var active = document.activeElement;
    var focusId = active && root.contains(active) ? active.id : '';
    root.replaceWith(next);
    root = next;
    for (var name in saved) {
      var field = root.querySelector('[name="' + name + '"]');
      if (field && field.type !== 'hidden') field.value = saved[name];
    }
    if (focusId) {
      var again = document.getElementById(focusId);
      if (again) again.focus();
    }
    version = root.getAttribute('data-version');
    updateStatus(root);
  }

  var busy = false;
  var pending = false;
  function refresh() {
    if (busy) { pending = true; return; }
    busy = true;
    fetch(base + '/fragment', { cache: 'no-store', credentials: 'same-origin', referrerPolicy: 'no-referrer', headers: { accept: 'text/html' } })
      .then(function (response) {
        if (!response.ok) throw new Error('fragment ' + response.status);
        return response.text();
      })
      .then(function (text) {
        var template = document.createElement('template');
        template.innerHTML = text;
        var next = template.content.firstElementChild;
        if (next && next.id === 'order-live') swap(next);
      })
      .catch(function () { /* the next event (or reconnect) tries again */ })
      .then(function () {
        busy = false;
        if (pending) { pending = false; refresh(); }
      });
  }

  var source = null;
  var retry = null;
  function connect() {
    if (source) source.close();
    clearTimeout(retry);
    source = new EventSource(base + '/events?v=' + encodeURIComponent(version || ''));
    source.addEventListener('order', function (event) {
      if (event.data !== version) refresh();
    });
    // A refused stream (429: the order is open in too many windows) is not retried by the browser itself.
    source.addEventListener('error', function () {
      if (this.readyState === EventSource.CLOSED) retry = setTimeout(function () { refresh(); connect(); }, 60000);
    });
  }

  connect();
  // Leaving the page closes the stream; coming back from the back/forward cache catches up and reopens it.
  window.addEventListener('pagehide', function () { clearTimeout(retry); if (source) source.close(); });
  window.addEventListener('pageshow', function (event) {
    if (event.persisted) { refresh(); connect(); }
  });
})();
`;
