// Distill's page: sign in, submit messages, follow every job live over the WebSocket, cancel or
// retry, read the stored result and the typed records; admins start runs and watch their counters
// live. Plain JS, no build step; every value from the server is set as text, never as HTML. The access token lives in sessionStorage;
// the WebSocket is opened with a short-lived single-use ticket, never with the token itself.
const $ = (id) => document.getElementById(id);
const jobs = new Map(); // id -> last event shown (the gateway drops stale ones; re-checked here)
let socket;

const token = () => sessionStorage.getItem('distill.token');
const api = (path, options = {}) => fetch(path, {
  ...options,
  headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token()}`, ...(options.headers || {}) },
});

async function signIn(register) {
  $('sign-in-error').textContent = '';
  const body = JSON.stringify({ username: $('username').value, password: $('password').value });
  if (register) {
    const created = await fetch('/api/auth/register', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    if (created.status !== 201 && created.status !== 409) {
      $('sign-in-error').textContent = (await created.json()).reason;
      return;
    }
  }
  const response = await fetch('/api/auth/token', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
  const answer = await response.json();
  if (!response.ok) {
    $('sign-in-error').textContent = answer.reason;
    return;
  }
  sessionStorage.setItem('distill.token', answer.accessToken);
  sessionStorage.setItem('distill.user', $('username').value);
  sessionStorage.setItem('distill.roles', (answer.roles || []).join(','));
  start();
}

function start() {
  $('sign-in-section').hidden = true;
  $('app').hidden = false;
  $('sign-out').hidden = false;
  $('who').textContent = sessionStorage.getItem('distill.user');
  $('runs-section').hidden = !isAdmin();
  if (isAdmin()) loadRuns();
  connect();
}

const isAdmin = () => (sessionStorage.getItem('distill.roles') || '').split(',').includes('admin');

async function connect() {
  if (socket) { socket.onclose = null; socket.close(); }
  const config = await (await fetch('/api/client-config')).json();
  const ticket = await api('/api/auth/ws-ticket', { method: 'POST' });
  if (ticket.status === 401) return signOut();
  socket = new WebSocket(`${config.progressSocketUrl}?ticket=${encodeURIComponent((await ticket.json()).ticket)}`);
  socket.onopen = () => {
    $('connection').textContent = 'live';
    socket.send(JSON.stringify({ type: 'subscribe', all: true }));
    if (isAdmin()) socket.send(JSON.stringify({ type: 'subscribe', runs: true }));
  };
  socket.onclose = () => {
    $('connection').textContent = 'reconnecting…';
    setTimeout(connect, 2000); // on reconnect the gateway resends each job's current state
  };
  socket.onmessage = (message) => {
    const data = JSON.parse(message.data);
    if (data.type === 'progress') show(data.event);
    if (data.type === 'run') showRun(data.run);
  };
}

function show(event) {
  const last = jobs.get(event.jobId);
  if (last && event.seq <= last.seq) return; // the gateway already keeps progress monotonic
  jobs.set(event.jobId, event);
  let row = document.querySelector(`tr[data-id="${event.jobId}"]`);
  if (!row) {
    row = document.createElement('tr');
    row.className = 'job';
    row.dataset.id = event.jobId;
    row.innerHTML = '<td class="id"></td><td class="status"></td><td class="stage"></td>'
      + '<td><progress max="100"></progress></td><td><button class="cancel">Cancel</button><button class="retry">Retry</button></td>';
    row.onclick = () => showResult(event.jobId);
    row.querySelector('.cancel').onclick = (e) => { e.stopPropagation(); command(event.jobId, 'cancel'); };
    row.querySelector('.retry').onclick = (e) => { e.stopPropagation(); command(event.jobId, 'retry'); };
    $('jobs').prepend(row);
  }
  row.querySelector('.id').textContent = event.jobId.slice(0, 8);
  const status = row.querySelector('.status');
  status.textContent = event.status + (event.errorCode ? ` (${event.errorCode}: ${event.errorMessage})` : '');
  status.className = `status status-${event.status}`;
  row.querySelector('.stage').textContent = event.stage;
  row.querySelector('progress').value = event.progress;
  row.dataset.status = event.status;
  row.hidden = !matchesFilter(row);
  row.querySelector('.cancel').hidden = !['pending', 'processing'].includes(event.status);
  row.querySelector('.retry').hidden = event.status !== 'failed';
  if (event.status === 'completed' || event.status === 'failed') {
    showResult(event.jobId);
    if (shownRecords) showRecords(shownRecords);
  }
}

// --- typed records

let shownRecords;
const cellsOf = (row, values) => values.forEach((value) => {
  const cell = document.createElement('td');
  cell.textContent = value === null || value === undefined ? '' : String(value);
  row.append(cell);
});

function recordTable(headings) {
  const table = document.createElement('table');
  const head = document.createElement('tr');
  headings.forEach((heading) => { const th = document.createElement('th'); th.textContent = heading; head.append(th); });
  table.createTHead().append(head);
  return table;
}

function detailsRow(table, columns, lines) {
  const row = table.insertRow();
  row.className = 'details';
  const cell = row.insertCell();
  cell.colSpan = columns;
  const list = document.createElement('ul');
  lines.forEach((line) => { const item = document.createElement('li'); item.textContent = line; list.append(item); });
  cell.append(list);
}

async function showRecords(kind) {
  shownRecords = kind;
  document.querySelectorAll('.records-tab').forEach((tab) => tab.classList.toggle('active', tab.dataset.kind === kind));
  const response = await api(`/api/records/${kind}`);
  if (response.status === 401) return signOut();
  const records = await response.json();
  const view = $('records');
  view.className = '';
  view.replaceChildren();
  if (!records.length) {
    view.className = 'muted';
    view.textContent = 'None yet.';
    return;
  }
  let table;
  if (kind === 'news-events') {
    table = recordTable(['Topic', 'Fingerprint', 'Messages', 'Impact (max)', 'Sentiment (latest)', 'Breaking', 'First seen', 'Last seen']);
    for (const event of records) {
      const row = table.insertRow();
      row.className = 'record';
      cellsOf(row, [event.topic, event.fingerprint, event.messageCount, event.impactScore, event.latestSentiment,
        event.isBreaking ? 'yes' : 'no', event.firstSeenAt, event.lastSeenAt]);
      detailsRow(table, 8, [
        ...event.messages.map((m) => `message ${String(m.jobId).slice(0, 8)}: ${m.action}, ${m.topic ?? ''}, impact ${m.impactScore ?? '–'}, ${m.sentiment ?? ''}`),
        ...event.decisions.map((d) => `decision: ${d.proposed ?? 'none'} → ${d.decided} (${d.reason})`),
      ]);
    }
  } else if (kind === 'broker-reports') {
    table = recordTable(['Broker', 'Company', 'Type', 'Title', 'Published', 'Seen']);
    for (const report of records) {
      const row = table.insertRow();
      row.className = 'record';
      cellsOf(row, [report.broker, report.company, report.reportType, report.title, report.publishedAt, report.seenCount]);
      detailsRow(table, 6, report.points.map((p) => `${p.order}. ${p.text}${p.type ? ` (${p.type})` : ''}`));
    }
  } else {
    table = recordTable(['Number', 'Title', 'Revision', 'Scale', 'Material', 'Author', 'Organisation']);
    for (const drawing of records) {
      const row = table.insertRow();
      row.className = 'record';
      cellsOf(row, [drawing.drawingNumber, drawing.title, drawing.revision, drawing.scale, drawing.material,
        drawing.author, drawing.organisation]);
    }
  }
  view.append(table);
}

// --- runs (admins)

async function loadRuns() {
  const response = await api('/api/runs?limit=20');
  if (!response.ok) return;
  (await response.json()).reverse().forEach(showRun);
}

// a run as the API returns it ({id, …}) or as the gateway streams it ({runId, …})
function showRun(run) {
  const id = run.id || run.runId;
  let row = document.querySelector(`tr.run[data-id="${id}"]`);
  if (!row) {
    row = document.createElement('tr');
    row.className = 'run';
    row.dataset.id = id;
    $('runs').prepend(row);
  }
  row.dataset.status = run.status;
  row.replaceChildren();
  cellsOf(row, [id.slice(0, 8), run.userId ?? 'all users', run.triggerType ?? row.dataset.trigger ?? '', run.status
    + (run.errorCode ? ` (${run.errorCode})` : ''), `${run.processed}/${run.considered}`, run.extracted, run.inserted,
    run.updated, run.pointsInserted]);
  if (run.triggerType) row.dataset.trigger = run.triggerType;
  row.children[3].className = `status run-status-${run.status}`;
}

$('start-run').onsubmit = async (e) => {
  e.preventDefault();
  $('run-error').textContent = '';
  const statuses = [...document.querySelectorAll('.run-status:checked')].map((box) => box.value);
  const response = await api('/api/runs', { method: 'POST', body: JSON.stringify({ userId: $('run-user').value, statuses }) });
  const body = await response.json();
  if (response.status !== 202) {
    $('run-error').textContent = body.reason || `HTTP ${response.status}`;
    return;
  }
  showRun(body);
};
document.querySelectorAll('.records-tab').forEach((tab) => { tab.onclick = () => showRecords(tab.dataset.kind); });

function matchesFilter(row) {
  const wanted = $('status-filter').value;
  return !wanted || row.dataset.status === wanted;
}

async function command(id, action) {
  const response = await api(`/api/jobs/${id}/${action}`, { method: 'POST' });
  if (!response.ok) $('submit-error').textContent = (await response.json()).reason;
}

// The result: each extracted field with its confidence and the source text it came from, highlighted.
async function showResult(id) {
  const response = await api(`/api/jobs/${id}`);
  const job = await response.json();
  const view = $('result');
  view.className = '';
  view.replaceChildren();
  const heading = document.createElement('p');
  heading.textContent = `${job.filename || 'message'} — ${job.status}`
    + (job.error ? ` (${job.error.code}: ${job.error.message})` : '')
    + (job.result ? ` — extractor ${job.result.extractor.name} (${job.result.extractor.kind})` : '');
  view.append(heading);
  if (!job.result) return;
  const table = document.createElement('table');
  table.className = 'fields';
  table.innerHTML = '<thead><tr><th>Field</th><th>Value</th><th>Confidence</th><th>Source</th></tr></thead>';
  const body = document.createElement('tbody');
  for (const [field, value] of Object.entries(job.result.fields)) {
    const row = document.createElement('tr');
    row.dataset.field = field;
    const cells = [field, Array.isArray(value) ? value.join(', ') : String(value),
      job.result.confidence?.[field] !== undefined ? `${Math.round(job.result.confidence[field] * 100)} %` : ''];
    for (const text of cells) {
      const cell = document.createElement('td');
      cell.textContent = text;
      row.append(cell);
    }
    row.children[2].className = 'confidence';
    const source = document.createElement('td');
    source.className = 'evidence';
    for (const evidence of job.result.evidence?.[field] ?? []) {
      const quote = document.createElement('div');
      const mark = document.createElement('mark');
      mark.textContent = evidence.quote;
      quote.append(`p.${evidence.page} …${evidence.before}`, mark, `${evidence.after}…`);
      source.append(quote);
    }
    row.append(source);
    body.append(row);
  }
  table.append(body);
  view.append(table);
  const metadata = document.createElement('pre');
  metadata.textContent = JSON.stringify(job.result.document.metadata, null, 2);
  view.append(metadata);
}

async function upload(files) {
  $('upload-error').textContent = '';
  for (const file of files) {
    const form = new FormData();
    form.append('file', file);
    if ($('project').value) form.append('project', $('project').value);
    const response = await fetch('/api/jobs/upload', { method: 'POST', headers: { Authorization: `Bearer ${token()}` }, body: form });
    const body = await response.json();
    if (response.status === 401) return signOut();
    if (response.status !== 202) {
      $('upload-error').textContent = `${file.name}: ${body.reason || `HTTP ${response.status}`}`;
      continue;
    }
    show({ jobId: body.id, status: body.status, stage: 'QUEUED', progress: 0, seq: 0 });
  }
}

function signOut() {
  sessionStorage.clear();
  if (socket) { socket.onclose = null; socket.close(); }
  location.reload();
}

$('submit').onsubmit = async (e) => {
  e.preventDefault();
  $('submit-error').textContent = '';
  const response = await api('/api/jobs', { method: 'POST', body: JSON.stringify({ text: $('text').value, project: $('project').value || undefined }) });
  const body = await response.json();
  if (response.status === 401) return signOut();
  if (response.status !== 202) {
    $('submit-error').textContent = body.reason || `HTTP ${response.status}`;
    return;
  }
  show({ jobId: body.id, status: body.status, stage: 'QUEUED', progress: 0, seq: 0 });
};
$('status-filter').onchange = () => document.querySelectorAll('tr.job').forEach((row) => { row.hidden = !matchesFilter(row); });
$('files').onchange = (e) => upload([...e.target.files]);
$('drop').ondragover = (e) => { e.preventDefault(); $('drop').classList.add('over'); };
$('drop').ondragleave = () => $('drop').classList.remove('over');
$('drop').ondrop = (e) => { e.preventDefault(); $('drop').classList.remove('over'); upload([...e.dataTransfer.files]); };
$('sign-in').onsubmit = (e) => { e.preventDefault(); signIn(false); };
$('register').onclick = () => signIn(true);
$('sign-out').onclick = signOut;
if (token()) start();
