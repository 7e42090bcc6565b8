// The operator's tools: the admin token lives in this module's memory only (never storage).
import { api } from './api.js';

const STAT_KEYS = [
  'queued',
  'processing',
  'delayed',
  'dead',
  'processed',
  'failed',
  'retried',
  'snoozed',
];

export function setupOperator({ notify, guarded, onChange }) {
  let token = null;
  const $ = (id) => document.getElementById(id);

  $('token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    token = $('token').value.trim();
    $('token').value = '';
    guarded(async () => {
      await refreshTasks();
      $('operator-tools').hidden = false;
      notify('Operator token accepted.', 'info');
    });
  });

  $('status-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const id = $('status-order').value;
    const status = $('status-value').value;
    guarded(async () => {
      await api('POST', `/api/orders/${encodeURIComponent(id)}/status`, {
        body: { status },
        token,
      });
      notify(`Order #${id} is now ${status}.`, 'info');
      onChange();
    });
  });

  $('refresh-tasks').addEventListener('click', () => guarded(refreshTasks));

  async function refreshTasks() {
    const stats = await api('GET', '/api/tasks/stats', { token });
    const list = $('task-stats');
    list.replaceChildren();
    for (const key of STAT_KEYS) {
      const term = document.createElement('dt');
      term.textContent = key;
      const value = document.createElement('dd');
      value.textContent = stats[key];
      value.dataset.stat = key;
      list.append(term, value);
    }
    await refreshSchedules();
    await refreshQueues();
    const dead = await api('GET', '/api/tasks/dead?limit=20', { token });
    const letters = $('dead-letters');
    letters.replaceChildren();
    for (const letter of dead.items) {
      const item = document.createElement('li');
      const text = document.createElement('span');
      text.textContent = `${letter.type || '?'} · ${letter.reason}: ${letter.error || ''}`;
      const retry = document.createElement('button');
      retry.type = 'button';
      retry.textContent = 'Retry';
      retry.addEventListener('click', () =>
        guarded(async () => {
          await api('POST', `/api/tasks/dead/${letter.id}/retry`, { token });
          await refreshTasks();
        }),
      );
      const drop = document.createElement('button');
      drop.type = 'button';
      drop.textContent = 'Delete';
      drop.addEventListener('click', () =>
        guarded(async () => {
          await api('DELETE', `/api/tasks/dead/${letter.id}`, { token });
          await refreshTasks();
        }),
      );
      item.append(text, retry, drop);
      letters.append(item);
    }
    $('dead-empty').hidden = dead.items.length > 0;
  }

  async function refreshSchedules() {
    const schedules = await api('GET', '/api/tasks/schedules', { token });
    const list = $('schedules');
    list.replaceChildren();
    for (const schedule of schedules) {
      const item = document.createElement('li');
      item.dataset.schedule = schedule.name;
      item.dataset.outcome = schedule.last_outcome || '';
      const text = document.createElement('span');
      const every = schedule.every.replace(/^PT/, '').toLowerCase();
      const next = schedule.next_run_at ? time(schedule.next_run_at) : 'paused';
      const last = schedule.last_outcome
        ? `${schedule.last_outcome} ${time(schedule.last_outcome_at)}`
        : 'not run yet';
      text.textContent = `${schedule.name} · every ${every} · next ${next} · last ${last}`;
      const run = document.createElement('button');
      run.type = 'button';
      run.textContent = 'Run now';
      run.addEventListener('click', () =>
        guarded(async () => {
          await api('POST', `/api/tasks/schedules/${encodeURIComponent(schedule.name)}/run`, {
            token,
          });
          notify(`${schedule.name} queued.`, 'info');
          await refreshTasks();
        }),
      );
      item.append(text, run);
      list.append(item);
    }
  }

  async function refreshQueues() {
    showQueues(await api('GET', '/api/tasks/queues', { token }));
  }

  // The worker's queues and job types, each with a button that pauses or resumes it; a click
  // answers the new view, shown as it is.
  function showQueues(view) {
    const queues = $('queues');
    queues.replaceChildren();
    for (const queue of view.queues) {
      const item = document.createElement('li');
      item.dataset.queue = queue.name;
      item.dataset.paused = String(queue.paused);
      const text = document.createElement('span');
      const state = queue.paused ? ' · paused' : '';
      text.textContent = `${queue.name} · weight ${queue.weight} · ${queue.depth} waiting${state}`;
      item.append(text, toggle('queues', queue.name, queue.paused));
      queues.append(item);
    }
    const types = $('job-types');
    types.replaceChildren();
    for (const type of view.types) {
      const item = document.createElement('li');
      item.dataset.type = type.type;
      item.dataset.paused = String(type.paused);
      item.dataset.limit = type.limit ?? '';
      item.dataset.rate = type.rate ?? '';
      item.dataset.inFlight = type.in_flight;
      item.dataset.held = type.held;
      const text = document.createElement('span');
      const limit = type.limit === null ? '' : ` · limit ${type.limit}`;
      const rate = type.rate === null ? '' : ` · ${type.rate}/s`;
      const state = type.paused ? ' · paused' : '';
      text.textContent = `${type.type}${limit}${rate} · ${type.in_flight} running · ${type.held} held${state}`;
      item.append(text, toggle('types', type.type, type.paused));
      types.append(item);
    }
  }

  function toggle(kind, name, paused) {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = paused ? 'Resume' : 'Pause';
    button.addEventListener('click', () =>
      guarded(async () => {
        const action = paused ? 'resume' : 'pause';
        const view = await api('POST', `/api/tasks/${kind}/${encodeURIComponent(name)}/${action}`, {
          token,
        });
        showQueues(view);
        notify(`${name} ${paused ? 'resumed' : 'paused'}.`, 'info');
      }),
    );
    return button;
  }
}

function time(instant) {
  return new Date(instant).toLocaleTimeString();
}
