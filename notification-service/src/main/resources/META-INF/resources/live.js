// The live connection: a WebSocket to /ws/orders or, where the network refuses WebSockets (a proxy
// that drops the upgrade), Server-Sent Events from /sse/orders. Both carry the same messages. It
// reconnects by itself with backoff, resumes from the last offset it saw (kept in sessionStorage so
// a reload resumes too) and asks for a re-fetch on reload. On SSE it tries WebSocket again now and
// then, and moves back when it opens.

const OFFSET_KEY = 'souq.offset';
const FIRST_PROBE_MS = 10000;
// A proxy may hold an upgrade without ever answering it: after this long it counts as refused.
const OPEN_TIMEOUT_MS = 10000;
const MAX_PROBE_MS = 300000;
// A 1012 on a connection open at least this long is a restart to come back from at once.
const RESTART_SETTLED_MS = 2000;

export function connectLive({ onUpdate, onReload, onResync, onState }) {
  let attempt = 0;
  let transport = 'ws'; // what the next attempt uses
  let connection; // the current attempt: { close() }
  let stopped = false;

  function handle(text) {
    let message;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (message.type === 'order_update') {
      sessionStorage.setItem(OFFSET_KEY, message.offset);
      onUpdate(message);
    } else if (message.type === 'reload') {
      sessionStorage.removeItem(OFFSET_KEY);
      onReload();
    }
  }

  // A connection opened without an offset resumes nothing: what was published before it opened
  // (since the page read its orders, or while a restart kept it away) only a re-read shows.
  function opened(kind, since) {
    attempt = 0;
    onState('live', kind);
    if (!since) onResync();
  }

  // The attempt `mine` is over. One that never opened may have been refused by the network, so
  // the next one tries the other transport; one with no valid session gets a new session first.
  function ended(mine, { wasOpen, sessionEnded, restart }) {
    if (stopped || connection !== mine) return;
    connection = undefined;
    stopProbe(mine);
    if (sessionEnded) {
      onState('offline');
      onReload();
    } else if (!wasOpen) {
      transport = transport === 'ws' ? 'sse' : 'ws';
    }
    attempt += 1;
    onState('reconnecting');
    // 1012: the server is restarting and spreads its closes itself, so come back at once (the
    // balancer sends the page to another replica) and resume from the offset; a 1012 that came
    // right after opening (sent back to the replica that is leaving) backs off as usual.
    const delay = restart
      ? Math.random() * 250
      : Math.min(10000, 250 * 2 ** Math.min(attempt, 6)) * (0.75 + Math.random() / 4);
    setTimeout(open, delay);
  }

  // With `since`, the server resumes as it admits the connection: no live event can overtake the
  // older ones it replays, as it could in the moment before a resume message arrives.
  function webSocketUrl(since) {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const query = since ? `?since=${encodeURIComponent(since)}` : '';
    return `${scheme}://${location.host}/ws/orders${query}`;
  }

  function openWebSocket() {
    const tries = attempt; // attempts in a row before this one
    const since = sessionStorage.getItem(OFFSET_KEY);
    const socket = new WebSocket(webSocketUrl(since));
    const mine = { close: () => socket.close() };
    connection = mine;
    let wasOpen = false;
    let openedAt = 0;
    const timeout = setTimeout(() => socket.close(), OPEN_TIMEOUT_MS);
    socket.addEventListener('open', () => {
      clearTimeout(timeout);
      wasOpen = true;
      openedAt = Date.now();
      opened('ws', since);
    });
    socket.addEventListener('message', (event) => {
      if (connection === mine) handle(event.data);
    });
    socket.addEventListener('close', (event) => {
      clearTimeout(timeout);
      // 1013: turned away as it opened (the instance full, or its sessions slow in a storm). The
      // open counted for nothing, so the back-off goes on growing instead of starting over.
      if (event.code === 1013) attempt = Math.max(attempt, tries);
      const restart = event.code === 1012 && Date.now() - openedAt > RESTART_SETTLED_MS;
      ended(mine, { wasOpen, sessionEnded: event.code === 1008, restart });
    });
  }

  // SSE over fetch rather than EventSource: the page sees the status (401: no session) and sends
  // Last-Event-ID itself on every reconnect, including after the server was away.
  async function openSse() {
    const abort = new AbortController();
    const mine = { close: () => abort.abort() };
    connection = mine;
    let wasOpen = false;
    let sessionEnded = false;
    try {
      const headers = { Accept: 'text/event-stream' };
      const since = sessionStorage.getItem(OFFSET_KEY);
      if (since) headers['Last-Event-ID'] = since;
      const response = await fetch('/sse/orders', {
        headers,
        cache: 'no-store',
        signal: abort.signal,
      });
      sessionEnded = response.status === 401;
      if (!response.ok || !response.body) return;
      wasOpen = true;
      opened('sse', since);
      probe(mine, FIRST_PROBE_MS);
      await readEvents(response.body, (data) => {
        if (connection === mine) handle(data);
      });
    } catch {
      // The network or the server went away, or the page closed the stream: the same as an end.
    } finally {
      // A 401 is an answer from the server, so SSE itself got through.
      ended(mine, { wasOpen: wasOpen || sessionEnded, sessionEnded });
    }
  }

  // While on SSE, opens a WebSocket now and then; if it opens, the page moves back to it. The
  // attempt `mine` keeps its probe's timer and socket, so its end stops them.
  function probe(mine, delay) {
    mine.probeTimer = setTimeout(() => {
      if (stopped || connection !== mine) return;
      const socket = new WebSocket(webSocketUrl());
      mine.probeSocket = socket;
      const timeout = setTimeout(() => socket.close(), OPEN_TIMEOUT_MS);
      socket.addEventListener('open', () => {
        clearTimeout(timeout);
        socket.close();
        if (stopped || connection !== mine) return;
        connection = undefined;
        stopProbe(mine);
        mine.close();
        transport = 'ws';
        open();
      });
      socket.addEventListener('close', () => {
        clearTimeout(timeout);
        if (mine.probeSocket !== socket) return;
        mine.probeSocket = undefined;
        if (!stopped && connection === mine) probe(mine, Math.min(MAX_PROBE_MS, delay * 2));
      });
    }, delay);
  }

  function stopProbe(mine) {
    clearTimeout(mine.probeTimer);
    const socket = mine.probeSocket;
    mine.probeSocket = undefined;
    socket?.close();
  }

  function open() {
    if (stopped) return;
    onState(attempt === 0 ? 'connecting' : 'reconnecting');
    if (transport === 'ws') openWebSocket();
    else openSse();
  }

  open();
  return {
    /** Remembers the newest offset the page already shows (after a fetch). */
    seen(offset) {
      if (offset) sessionStorage.setItem(OFFSET_KEY, offset);
    },
    close() {
      stopped = true;
      if (connection) {
        stopProbe(connection);
        connection.close();
      }
    },
  };
}

// Calls onData with each event's data (its data: lines joined), until the stream ends. Comments
// (heartbeats) and the id: and retry: fields are skipped: the data carries the offset too.
async function readEvents(body, onData) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffered += value;
    let blank;
    while ((blank = /\r?\n\r?\n/.exec(buffered))) {
      const block = buffered.slice(0, blank.index);
      buffered = buffered.slice(blank.index + blank[0].length);
      const data = block
        .split(/\r?\n/)
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(line.startsWith('data: ') ? 6 : 5));
      if (data.length > 0) onData(data.join('\n'));
    }
  }
}
