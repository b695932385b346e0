// Distill's page: sign in, submit messages, follow every job live over the WebSocket, cancel or
// retry, read the stored result. Plain JS, no build step. The access token lives in sessionStorage;
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
  start();
}

function start() {
  $('sign-in-section').hidden = true;
  $('app').hidden = false;
  $('sign-out').hidden = false;
  $('who').textContent = sessionStorage.getItem('distill.user');
  connect();
}

async function connect() {
  if (socket) { socket.onclose = null; socket.close(); }
  const config = await (await fetch('/api/client-config')).json();
  const ticket = await api('/api/auth/ws-ticket', { method: 'POST' });
  if (ticket.status === 401) return signOut();
  socket = new WebSocket(`${config.progressSocketUrl}?ticket=${encodeURIComponent((await ticket.json()).ticket)}`);
  socket.onopen = () => {
    $('connection').textContent = 'live';
    socket.send(JSON.stringify({ type: 'subscribe', all: true }));
  };
  socket.onclose = () => {
    $('connection').textContent = 'reconnecting…';
    setTimeout(connect, 2000); // on reconnect the gateway resends each job's current state
  };
  socket.onmessage = (message) => {
    const data = JSON.parse(message.data);
    if (data.type === 'progress') show(data.event);
  };
}

function show(event) {
  const last = jobs.get(event.jobId);
  if (last && (event.seq <= last.seq || event.progress < last.progress)) return;
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
  row.querySelector('.cancel').hidden = !['pending', 'processing'].includes(event.status);
  row.querySelector('.retry').hidden = event.status !== 'failed';
  if (event.status === 'completed' || event.status === 'failed') showResult(event.jobId);
}

async function command(id, action) {
  const response = await api(`/api/jobs/${id}/${action}`, { method: 'POST' });
  if (!response.ok) $('submit-error').textContent = (await response.json()).reason;
}

async function showResult(id) {
  const response = await api(`/api/jobs/${id}`);
  const job = await response.json();
  $('result').className = '';
  $('result').textContent = JSON.stringify(job.result ?? job.error ?? job, null, 2);
}

function signOut() {
  sessionStorage.clear();
  if (socket) { socket.onclose = null; socket.close(); }
  location.reload();
}

$('submit').onsubmit = async (e) => {
  e.preventDefault();
  $('submit-error').textContent = '';
  const response = await api('/api/jobs', { method: 'POST', body: JSON.stringify({ text: $('text').value }) });
  const body = await response.json();
  if (response.status === 401) return signOut();
  if (response.status !== 202) {
    $('submit-error').textContent = body.reason || `HTTP ${response.status}`;
    return;
  }
  show({ jobId: body.id, status: body.status, stage: 'QUEUED', progress: 0, seq: 0 });
};
$('sign-in').onsubmit = (e) => { e.preventDefault(); signIn(false); };
$('register').onclick = () => signIn(true);
$('sign-out').onclick = signOut;
if (token()) start();
