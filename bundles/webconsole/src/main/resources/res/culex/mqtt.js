// The MQTT page of the Culex web console: polls data.json, renders the tables, posts actions with the CSRF token.
(function () {
  'use strict';
  var page = document.getElementById('culex-mqtt');
  // absolute, from the origin: a page opened as http://user:password@host/... must not pass its credentials into
  // fetch() (which refuses such URLs); the browser sends the Basic credential it keeps for the console
  var root = window.location.origin + page.getAttribute('data-plugin-root');
  var token = page.getAttribute('data-csrf-token');
  var POLL_MS = 2000;
  var previous = null;
  var latest = null;

  function cell(row, text) {
    var td = document.createElement('td');
    td.textContent = text === null || text === undefined ? '' : String(text);
    row.appendChild(td);
    return td;
  }

  function button(row, label, cls, onClick) {
    var td = document.createElement('td');
    var b = document.createElement('button');
    b.type = 'button';
    b.className = cls;
    b.textContent = label;
    b.addEventListener('click', onClick);
    td.appendChild(b);
    row.appendChild(td);
    return b;
  }

  // Rows whose rendering did not change stay in the page: a poll must not swap a button away under the pointer of
  // an administrator about to click it (the click would land on a detached element and be lost).
  function fill(tableId, rows, render) {
    var tbody = document.querySelector('#' + tableId + ' tbody');
    rows.forEach(function (item, i) {
      var tr = document.createElement('tr');
      render(tr, item);
      var shown = tbody.rows[i];
      if (!shown) {
        tbody.appendChild(tr);
      } else if (shown.outerHTML !== tr.outerHTML) {
        tbody.replaceChild(tr, shown);
      }
    });
    while (tbody.rows.length > rows.length) {
      tbody.deleteRow(rows.length);
    }
  }

  function say(text, isError) {
    var m = document.getElementById('message');
    m.textContent = text;
    m.className = 'statline' + (isError ? ' ui-state-error' : '');
  }

  function post(params) {
    var body = new URLSearchParams(params);
    return fetch(root, {
      method: 'POST', body: body, credentials: 'same-origin',
      headers: { 'X-Culex-Csrf-Token': token }
    }).then(function (r) {
      return r.json().then(function (answer) {
        say(answer.message || answer.error, !r.ok);
        refresh();
      });
    }).catch(function (e) { say('Request failed: ' + e, true); });
  }

  function perSecond(now, before, key) {
    if (!before) { return '–'; }
    var seconds = (now.time - before.time) / 1000;
    return seconds > 0 ? ((now.stats[key] - before.stats[key]) / seconds).toFixed(1) + ' /s' : '–';
  }

  function renderClients() {
    if (!latest) { return; }
    var q = document.getElementById('client-search').value.toLowerCase();
    var shown = latest.clients.filter(function (c) {
      return !q || [c.id, c.username, c.address].some(function (v) { return v && v.toLowerCase().indexOf(q) >= 0; });
    });
    fill('clients', shown, function (tr, c) {
      tr.setAttribute('data-client-id', c.id);
      [c.id, c.username, c.address, c.protocol, c.listener, c.keepalive, c.subscriptions, c.inflight, c.queued].forEach(function (v) { cell(tr, v); });
      button(tr, 'Kick', 'kick', function () { post({ action: 'kick', id: c.id }); });
    });
  }

  function render(d) {
    document.getElementById('status').textContent = d.stats.connected + ' clients connected, ' + d.stats.sessions +
      ' sessions, up ' + d.stats.uptime + ' s';
    document.getElementById('rate-publish-received').textContent = perSecond(d, previous, 'publishReceived');
    document.getElementById('rate-publish-sent').textContent = perSecond(d, previous, 'publishSent');
    document.getElementById('rate-bytes-received').textContent = perSecond(d, previous, 'bytesReceived');
    document.getElementById('rate-bytes-sent').textContent = perSecond(d, previous, 'bytesSent');
    document.getElementById('stat-connected').textContent = d.stats.connected;
    document.getElementById('stat-retained').textContent = d.stats.retained;
    fill('listeners', d.listeners, function (tr, l) {
      [l.source, l.addresses.join(' '), l.port, l.protocol, l.tls ? 'yes' : 'no', l.mountPoint, l.connections].forEach(function (v) { cell(tr, v); });
    });
    renderClients();
    fill('subscriptions', d.subscriptions, function (tr, s) {
      [s.client, s.online ? 'yes' : 'no', s.filter, s.qos].forEach(function (v) { cell(tr, v); });
    });
    fill('retained', d.retained.messages, function (tr, m) {
      tr.setAttribute('data-topic', m.topic);
      [m.topic, m.qos, m.size, m.payload].forEach(function (v) { cell(tr, v); });
      button(tr, 'Delete', 'delete-retained', function () { post({ action: 'delete-retained', topic: m.topic }); });
    });
    fill('bridges', d.bridges, function (tr, b) {
      tr.setAttribute('data-bridge', b.name);
      cell(tr, b.name);
      cell(tr, b.state + (b.lastError ? ' (' + b.lastError + ')' : '')).className = 'bridge-state';
      cell(tr, b.addresses.join(' '));
      cell(tr, b.topics.join('; '));
      cell(tr, b.sent === undefined ? '' : b.sent + ' / ' + b.received + ' / ' + b.queued);
      cell(tr, b.source);
      if (b.editable) {
        var td = button(tr, 'Edit', 'bridge-edit', function () { editBridge(b); }).parentNode;
        var remove = document.createElement('button');
        remove.type = 'button';
        remove.className = 'bridge-remove';
        remove.textContent = 'Remove';
        remove.addEventListener('click', function () { post({ action: 'bridge-remove', name: b.name }); });
        td.appendChild(remove);
      } else {
        cell(tr, 'change it in culex.conf');
      }
    });
    var section = document.getElementById('cluster-section');
    section.hidden = !d.cluster;
    if (d.cluster) {
      document.getElementById('cluster-summary').textContent = 'Cluster ' + d.cluster.name + ': ' + d.cluster.state +
        ', ' + d.cluster.members + ' member(s)' + (d.cluster.missing ? ' (missing: ' + d.cluster.missing + ')' : '') +
        '; messages forwarded / received here: ' + d.cluster.forwarded + ' / ' + d.cluster.received;
      fill('cluster', d.cluster.nodes, function (tr, n) {
        tr.setAttribute('data-member', n.address);
        [n.address, n.clients, n.received, n.sent].forEach(function (v) { cell(tr, v); });
      });
    }
    if (d.features) {
      fill('features', d.features.available, function (tr, name) {
        var installed = d.features.installed.indexOf(name) >= 0;
        tr.setAttribute('data-feature', name);
        cell(tr, name);
        cell(tr, installed ? 'installed' : 'available').className = 'feature-state';
        if (name === 'admin') { cell(tr, 'runs this console'); return; } // the server refuses it too
        button(tr, installed ? 'Uninstall' : 'Install', installed ? 'feature-uninstall' : 'feature-install', function () {
          say((installed ? 'Uninstalling ' : 'Installing ') + name + '…', false);
          post({ action: installed ? 'feature-uninstall' : 'feature-install', name: name });
        });
      });
    }
  }

  function editBridge(b) {
    document.getElementById('bridge-form-title').textContent = 'Edit bridge ' + b.name;
    document.getElementById('bridge-action').value = 'bridge-edit';
    document.getElementById('bridge-name').value = b.name;
    document.getElementById('bridge-name').readOnly = true;
    document.getElementById('bridge-addresses').value = b.addresses.join(' ');
    document.getElementById('bridge-topics').value = b.topics.join('\n');
  }

  function resetBridgeForm() {
    document.getElementById('bridge-form-title').textContent = 'Add a bridge';
    document.getElementById('bridge-action').value = 'bridge-add';
    document.getElementById('bridge-name').readOnly = false;
  }

  function refresh() {
    var filter = document.getElementById('retained-filter').value || '#';
    return fetch(root + '/data.json?retained=' + encodeURIComponent(filter), { credentials: 'same-origin' })
      .then(function (r) { return r.json(); })
      .then(function (d) {
        if (d.error) { say(d.error, true); return; }
        previous = latest;
        latest = d;
        render(d);
      })
      .catch(function (e) { document.getElementById('status').textContent = 'Cannot reach the broker: ' + e; });
  }

  document.getElementById('client-search').addEventListener('input', renderClients);
  document.getElementById('retained-form').addEventListener('submit', function (e) { e.preventDefault(); refresh(); });
  document.getElementById('bridge-form').addEventListener('reset', resetBridgeForm);
  document.getElementById('bridge-form').addEventListener('submit', function (e) {
    e.preventDefault();
    post({
      action: document.getElementById('bridge-action').value,
      name: document.getElementById('bridge-name').value,
      addresses: document.getElementById('bridge-addresses').value,
      topics: document.getElementById('bridge-topics').value
    }).then(function () { document.getElementById('bridge-form').reset(); });
  });
  refresh();
  setInterval(refresh, POLL_MS);
}());
