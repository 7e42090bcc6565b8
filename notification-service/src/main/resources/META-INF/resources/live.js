// The live connection to /ws/orders: reconnects by itself with backoff, resumes from the last
// offset it saw (kept in sessionStorage so a reload resumes too) and asks for a re-fetch on reload.

const OFFSET_KEY = 'souq.offset';

export function connectLive({ onUpdate, onReload, onState }) {
  let attempt = 0;
  let socket;
  let stopped = false;

  function open() {
    onState(attempt === 0 ? 'connecting' : 'reconnecting');
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    socket = new WebSocket(`${scheme}://${location.host}/ws/orders`);
    socket.addEventListener('open', () => {
      const since = sessionStorage.getItem(OFFSET_KEY);
      if (since) socket.send(JSON.stringify({ type: 'resume', since }));
      attempt = 0;
      onState('live');
    });
    socket.addEventListener('message', (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
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
    });
    socket.addEventListener('close', (event) => {
      if (stopped) return;
      if (event.code === 1008) {
        // No valid session: the page creates one and reconnects.
        onState('offline');
        onReload();
      }
      attempt += 1;
      onState('reconnecting');
      const delay = Math.min(10000, 250 * 2 ** Math.min(attempt, 6)) * (0.75 + Math.random() / 4);
      setTimeout(open, delay);
    });
  }

  open();
  return {
    /** Remembers the newest offset the page already shows (after a fetch). */
    seen(offset) {
      if (offset) sessionStorage.setItem(OFFSET_KEY, offset);
    },
    close() {
      stopped = true;
      socket.close();
    },
  };
}
