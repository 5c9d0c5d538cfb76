/*
 * The ledger's dashboard: polls api/dashboard (balances and RVM's statistics of one moment), fills the tables and
 * draws the plots as inline SVG; posts the transfer form to api/transfers. Plain ES5 and XMLHttpRequest, no
 * library, so that it runs in any browser and in HtmlUnit (the integration test drives this page).
 * ?refresh=MILLIS changes the polling period (1000 by default); rvmDashboard.stop() ends the polling.
 */
(function () {
  'use strict';
  var match = /[?&]refresh=(\d+)/.exec(window.location.search);
  var PERIOD = match ? Math.max(100, parseInt(match[1], 10)) : 1000;
  var KEEP = Math.max(2, Math.round(60000 / PERIOD)); // samples in a minute
  var samples = [];
  var shownNames = null; // the account names the selects offer, one per line
  var stopped = false;

  function $(id) { return document.getElementById(id); }
  function text(id, value) { $(id).textContent = value; }

  function request(method, url, body, done) {
    var xhr = new XMLHttpRequest();
    xhr.open(method, url, true);
    if (body !== null) {
      xhr.setRequestHeader('Content-Type', 'application/x-www-form-urlencoded');
    }
    xhr.onreadystatechange = function () {
      if (xhr.readyState === 4) {
        var json = null;
        try { json = JSON.parse(xhr.responseText); } catch (e) { json = null; }
        done(xhr.status, json, xhr.responseText);
      }
    };
    xhr.send(body);
  }

  /** 1234567 -> "1,234,567". */
  function num(n) {
    var s = String(Math.round(n));
    return s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  }

  function bytes(n) {
    if (n >= 1048576) { return (n / 1048576).toFixed(1) + ' MiB'; }
    if (n >= 1024) { return (n / 1024).toFixed(1) + ' KiB'; }
    return num(n) + ' B';
  }

  function millis(nanos) { return (nanos / 1e6).toFixed(1) + ' ms'; }

  function showBalances(list) {
    var rows = $('balances');
    while (rows.firstChild) { rows.removeChild(rows.firstChild); }
    var total = 0;
    for (var i = 0; i < list.length; i++) {
      var tr = document.createElement('tr');
      var name = document.createElement('td');
      name.textContent = list[i].account;
      var bal = document.createElement('td');
      bal.className = 'n';
      bal.textContent = num(list[i].balance);
      tr.appendChild(name);
      tr.appendChild(bal);
      rows.appendChild(tr);
      total += list[i].balance;
    }
    text('total', num(total));
    var names = [];
    for (var n = 0; n < list.length; n++) { names.push(list[n].account); }
    if (names.join('\n') !== shownNames) { // accounts come and go: rebuild the choices, keeping what is chosen
      var first = shownNames === null;
      var ids = ['from', 'to'];
      for (var k = 0; k < ids.length; k++) {
        var sel = $(ids[k]);
        var chosen = sel.value;
        while (sel.firstChild) { sel.removeChild(sel.firstChild); }
        for (var j = 0; j < names.length; j++) {
          var opt = document.createElement('option');
          opt.value = names[j];
          opt.textContent = names[j];
          opt.selected = names[j] === chosen;
          sel.appendChild(opt);
        }
      }
      if (first && names.length > 1) { $('to').selectedIndex = 1; }
      shownNames = names.join('\n');
    }
  }

  function commits(s) { return s.commitsFlush + s.commitsNoFlush + s.commitsPrepared; }

  function showFigures(s) {
    var c = commits(s);
    text('f-commits', num(c));
    text('f-commits-kinds', num(s.commitsFlush) + ' FLUSH, ' + num(s.commitsNoFlush) + ' NO_FLUSH, '
        + num(s.commitsPrepared) + ' two-phase');
    text('f-aborts', num(s.aborts));
    text('f-prepares', num(s.prepares));
    text('f-prepares-ro', num(s.readOnlyPrepares) + ' voted read-only');
    text('f-indoubt', num(s.inDoubt));
    text('f-indoubt-age', s.inDoubt > 0 ? 'oldest waiting ' + millis(1e6 * s.oldestInDoubtMillis)
        + ' for the transaction manager (recovery pending)' : '');
    text('f-forces', num(s.forces));
    text('f-forces-per', c > 0 ? (s.forces / c).toFixed(2) + ' per commit since start' : '');
    text('f-logged', bytes(s.bytesLogged));
    text('f-saved', bytes(s.bytesSavedIntra + s.bytesSavedInter) + ' saved by merging and coalescing');
    text('f-loguse', (100 * s.logUse).toFixed(1) + ' %');
    text('f-logsize', bytes(s.logUsed) + ' of ' + bytes(s.logCapacity));
    text('f-truncations', num(s.truncations));
    text('f-truncation-time', s.truncations > 0 ? 'last ' + millis(s.lastTruncationNanos) + ', total '
        + millis(s.truncationNanosTotal) : '');
    text('f-locks', num(s.lockWaits) + ' / ' + num(s.lockTimeouts));
    text('f-deadlocks', num(s.deadlocks) + ' deadlocks refused');
  }

  /** Keeps the last minute of samples; the rate plots need two. */
  function record(d) {
    var s = d.stats;
    samples.push({t: d.atMillis, commits: commits(s), forces: s.forces, logUse: 100 * s.logUse,
      truncations: s.truncations});
    if (samples.length > KEEP + 1) { samples.shift(); }
  }

  /** Per-interval series computed from consecutive samples. */
  function series() {
    var rate = [], perCommit = [], logUse = [], truncations = [];
    for (var i = 0; i < samples.length; i++) {
      logUse.push(samples[i].logUse);
      truncations.push(samples[i].truncations);
      if (i > 0) {
        var a = samples[i - 1], b = samples[i];
        var dc = b.commits - a.commits;
        var dt = (b.t - a.t) / 1000;
        rate.push(dt > 0 ? dc / dt : 0);
        perCommit.push(dc > 0 ? (b.forces - a.forces) / dc : 0);
      }
    }
    return {rate: rate, perCommit: perCommit, logUse: logUse, truncations: truncations};
  }

  var SVG = 'http://www.w3.org/2000/svg';
  var W = 300, H = 120, LEFT = 34, TOP = 8, BOTTOM = 16;

  function svgEl(name, attrs) {
    var e = document.createElementNS(SVG, name);
    for (var k in attrs) {
      if (Object.prototype.hasOwnProperty.call(attrs, k)) { e.setAttribute(k, String(attrs[k])); }
    }
    return e;
  }

  /** Draws values (oldest first) as a line over the last minute; the y axis runs from 0 to the largest value. */
  function plot(id, values, digits, minTop) {
    var svg = $(id);
    while (svg.firstChild) { svg.removeChild(svg.firstChild); }
    var max = minTop;
    for (var i = 0; i < values.length; i++) { if (values[i] > max) { max = values[i]; } }
    svg.appendChild(svgEl('line', {'class': 'axis', x1: LEFT, y1: H - BOTTOM, x2: W, y2: H - BOTTOM}));
    svg.appendChild(svgEl('line', {'class': 'axis', x1: LEFT, y1: TOP, x2: LEFT, y2: H - BOTTOM}));
    var top = svgEl('text', {x: 2, y: TOP + 8});
    top.textContent = max.toFixed(digits);
    svg.appendChild(top);
    var zero = svgEl('text', {x: 2, y: H - BOTTOM});
    zero.textContent = '0';
    svg.appendChild(zero);
    var span = svgEl('text', {x: LEFT, y: H - 3});
    span.textContent = '-' + Math.round(KEEP * PERIOD / 1000) + ' s';
    svg.appendChild(span);
    var now = svgEl('text', {x: W - 22, y: H - 3});
    now.textContent = 'now';
    svg.appendChild(now);
    var points = [];
    var step = (W - LEFT) / KEEP;
    var x0 = W - step * (values.length - 1);
    for (var j = 0; j < values.length; j++) {
      var y = H - BOTTOM - (max > 0 ? values[j] / max : 0) * (H - BOTTOM - TOP);
      points.push((x0 + j * step).toFixed(1) + ',' + y.toFixed(1));
    }
    var line = svgEl('polyline', {points: points.join(' ')});
    svg.appendChild(line);
    // For tests and screen readers: how many points, and the latest value.
    var last = values.length > 0 ? values[values.length - 1] : 0;
    svg.setAttribute('data-points', String(values.length));
    svg.setAttribute('data-last', String(last));
    svg.setAttribute('data-max', String(max));
    return last;
  }

  function drawPlots() {
    var s = series();
    text('v-commit-rate', s.rate.length ? plot('p-commit-rate', s.rate, 1, 1).toFixed(1) : '');
    text('v-forces-per-commit', s.perCommit.length ? plot('p-forces-per-commit', s.perCommit, 2, 1).toFixed(2) : '');
    text('v-log-use', plot('p-log-use', s.logUse, 1, 1).toFixed(1));
    text('v-truncations', num(plot('p-truncations', s.truncations, 0, 1)));
  }

  function show(d) {
    showBalances(d.balances);
    showFigures(d.stats);
    record(d);
    drawPlots();
  }

  function tick() {
    request('GET', 'api/dashboard', null, function (status, d) {
      if (status === 200 && d) { show(d); }
      if (!stopped) { window.setTimeout(tick, PERIOD); }
    });
  }

  function field(id) { return encodeURIComponent(id) + '=' + encodeURIComponent($(id).value); }

  $('transfer').addEventListener('submit', function (e) {
    e.preventDefault();
    var body = [field('from'), field('to'), field('amount'), field('memo'), field('via')].join('&');
    var result = $('result');
    result.className = '';
    result.textContent = 'Transferring...';
    request('POST', 'api/transfers', body, function (status, r, raw) {
      if (status === 200 && r) {
        result.textContent = 'Moved ' + num(r.amount) + ' from ' + r.from + ' to ' + r.to + '; ' + r.from
            + ' now has ' + num(r.fromBalance) + '.';
      } else {
        result.className = 'error';
        result.textContent = 'Not done (HTTP ' + status + '): ' + (r && (r.message || r.error) ? (r.message || r.error)
            : raw);
      }
      request('GET', 'api/dashboard', null, function (s2, d) { if (s2 === 200 && d) { show(d); } });
    });
  });

  function accountDone(verb) {
    return function (status, r, raw) {
      var out = $('account-result');
      out.className = status === 200 || status === 201 || status === 204 ? '' : 'error';
      out.textContent = out.className === '' ? verb + ' ' + $('account-name').value + '.'
          : 'Not done (HTTP ' + status + '): ' + (r && (r.message || r.error) ? (r.message || r.error) : raw);
      request('GET', 'api/dashboard', null, function (s2, d) { if (s2 === 200 && d) { show(d); } });
    };
  }

  $('account').addEventListener('submit', function (e) {
    e.preventDefault();
    request('POST', 'api/accounts', 'name=' + encodeURIComponent($('account-name').value), accountDone('Opened'));
  });

  $('close-account').addEventListener('click', function () {
    request('DELETE', 'api/accounts/' + encodeURIComponent($('account-name').value), null, accountDone('Closed'));
  });

  /**
   * The two-server section: shown only when GET api/servers reaches a ledger on another server (the two-server EAR
   * with its outbound connection); lists which server holds which account and offers a transfer to the other one.
   */
  function loadServers() {
    request('GET', 'api/servers', null, function (status, d) {
      if (status !== 200 || !d || !d.servers || d.servers.length < 2 || !d.servers[1].accounts) { return; }
      var here = d.servers[0];
      var there = d.servers[1];
      text('local-node', here.node);
      text('peer-node', there.node);
      var rows = $('server-accounts');
      rows.textContent = '';
      [here, there].forEach(function (server) {
        server.accounts.forEach(function (a) {
          var tr = document.createElement('tr');
          [server.node, a.account, num(a.balance)].forEach(function (v, i) {
            var td = document.createElement('td');
            td.textContent = v;
            if (i === 2) { td.className = 'n'; }
            tr.appendChild(td);
          });
          rows.appendChild(tr);
        });
      });
      fillSelect('peer-from', here.accounts);
      fillSelect('peer-to', there.accounts);
      $('servers').hidden = false;
    });
  }

  function fillSelect(id, accounts) {
    var select = $(id);
    var chosen = select.value;
    select.textContent = '';
    accounts.forEach(function (a) {
      var o = document.createElement('option');
      o.value = a.account;
      o.textContent = a.account;
      select.appendChild(o);
    });
    if (chosen) { select.value = chosen; }
  }

  $('peer-transfer').addEventListener('submit', function (e) {
    e.preventDefault();
    var body = ['from=' + encodeURIComponent($('peer-from').value), 'to=' + encodeURIComponent($('peer-to').value),
      'amount=' + encodeURIComponent($('peer-amount').value), 'via=' + encodeURIComponent($('peer-via').value)]
        .join('&');
    var result = $('peer-result');
    result.className = '';
    result.textContent = 'Transferring...';
    request('POST', 'api/peer-transfers', body, function (status, r, raw) {
      if (status === 200 && r) {
        result.textContent = 'Moved ' + num(r.amount) + ' from ' + r.from + ' to ' + r.to + ' in one transaction.';
      } else {
        result.className = 'error';
        result.textContent = 'Not done (HTTP ' + status + '): ' + (r && (r.message || r.error) ? (r.message || r.error)
            : raw);
      }
      loadServers();
    });
  });

  /** rvmDashboard.stop() ends the refreshing (after the request in flight), e.g. to read a stable page. */
  window.rvmDashboard = {stop: function () { stopped = true; }};
  text('period', PERIOD === 1000 ? 'second' : PERIOD + ' ms');
  tick();
  loadServers();
}());
