// Distill's minimal page: submit a message, follow every job of the user live over the WebSocket,
// show the stored result. Plain JS, no build step.
const $ = (id) => document.getElementById(id);
const jobs = new Map(); // id -> last event shown (the gateway already drops stale ones; we re-check)
let socket;

const user = () => $('user').value.trim();
const headers = () => ({ 'Content-Type': 'application/json', 'X-Distill-User': user() });

async function connect() {
  if (socket) { socket.onclose = null; socket.close(); }
  const config = await (await fetch('/api/client-config')).json();
  socket = new WebSocket(`${config.progressSocketUrl}?user=${encodeURIComponent(user())}`);
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
    row.innerHTML = '<td class="id"></td><td class="status"></td><td class="stage"></td><td><progress max="100"></progress></td>';
    row.onclick = () => showResult(event.jobId);
    $('jobs').prepend(row);
  }
  row.querySelector('.id').textContent = event.jobId.slice(0, 8);
  const status = row.querySelector('.status');
  status.textContent = event.status + (event.errorCode ? ` (${event.errorCode}: ${event.errorMessage})` : '');
  status.className = `status status-${event.status}`;
  row.querySelector('.stage').textContent = event.stage;
  row.querySelector('progress').value = event.progress;
  if (event.status === 'completed' || event.status === 'failed') showResult(event.jobId);
}

async function showResult(id) {
  const response = await fetch(`/api/jobs/${id}`, { headers: headers() });
  const job = await response.json();
  $('result').className = '';
  $('result').textContent = JSON.stringify(job.result ?? job.error ?? job, null, 2);
}

$('submit').onsubmit = async (e) => {
  e.preventDefault();
  $('submit-error').textContent = '';
  const response = await fetch('/api/jobs', { method: 'POST', headers: headers(), body: JSON.stringify({ text: $('text').value }) });
  const body = await response.json();
  if (response.status !== 202) {
    $('submit-error').textContent = body.reason || `HTTP ${response.status}`;
    return;
  }
  show({ jobId: body.id, status: body.status, stage: 'QUEUED', progress: 0, seq: 0 });
};

$('user').onchange = () => { jobs.clear(); $('jobs').innerHTML = ''; connect(); };
connect();
