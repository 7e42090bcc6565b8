// The shopper's account: sign up or in (the guest's cart and orders come along), sign out, and
// the sessions of the account on every device, each of which can be ended from here.
import { api } from './api.js';

// leaving(): the session is about to change (the live stream stops, or it would hear its own
// session end as if another device ended it); onChange(): it changed; stayed(): it did not.
export function setupAccount({ notify, guarded, leaving, onChange, stayed }) {
  const $ = (id) => document.getElementById(id);
  let current = null;

  async function change(request) {
    leaving();
    try {
      await request();
    } catch (error) {
      stayed();
      throw error;
    }
    onChange();
  }

  async function enter(path, verb) {
    const email = $('account-email').value.trim();
    const password = $('account-password').value;
    await change(async () => {
      current = await api('POST', path, { body: { email, password } });
    });
    $('account-password').value = '';
    notify(`${verb} as ${current.email}.`, 'info');
  }

  $('sign-in-form').addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(() => enter('/api/accounts/sign-in', 'Signed in'));
  });
  $('sign-up').addEventListener('click', () => {
    if (!$('sign-in-form').reportValidity()) return;
    guarded(() => enter('/api/accounts', 'Account created; signed in'));
  });
  $('sign-out').addEventListener('click', () =>
    guarded(async () => {
      await change(() => api('DELETE', '/api/sessions/current'));
      notify('Signed out.', 'info');
    }),
  );
  $('end-others').addEventListener('click', () =>
    guarded(async () => {
      await api('DELETE', '/api/sessions?others=true');
      notify('Your other sessions are signed out.', 'info');
      await refresh();
    }),
  );

  // Shows the account (or the guest form) and, for an account, its sessions.
  async function refresh() {
    current = await api('GET', '/api/sessions/current');
    const signedIn = Boolean(current.email);
    $('sign-in-form').hidden = signedIn;
    $('signed-in').hidden = !signedIn;
    $('account-name').textContent = current.email || '';
    document.body.dataset.account = signedIn ? 'signed-in' : 'guest';
    if (signedIn) renderSessions(await api('GET', '/api/sessions'));
  }

  function renderSessions(sessions) {
    const list = $('session-list');
    list.replaceChildren();
    for (const session of sessions) {
      const item = document.createElement('li');
      item.dataset.session = session.id;
      const about = document.createElement('span');
      about.textContent = device(session.user_agent);
      const when = document.createElement('small');
      when.textContent = `since ${time(session.created_at)} · last used ${time(session.last_used_at)}`;
      about.append(when);
      item.append(about);
      if (session.current) {
        const mark = document.createElement('span');
        mark.className = 'this';
        mark.textContent = 'This device';
        item.append(mark);
      } else {
        const end = document.createElement('button');
        end.type = 'button';
        end.className = 'link';
        end.textContent = 'Sign out';
        end.setAttribute('aria-label', `Sign out ${device(session.user_agent)}`);
        end.addEventListener('click', () =>
          guarded(async () => {
            await api('DELETE', `/api/sessions/${encodeURIComponent(session.id)}`);
            await refresh();
          }),
        );
        item.append(end);
      }
      list.append(item);
    }
  }

  return { refresh };
}

// A user agent as a person reads it: the browser and the system, else what was sent.
function device(userAgent) {
  if (!userAgent) return 'Unknown device';
  const browser = /(Firefox|Edg|Chrome|Safari)\/[\d.]+/.exec(userAgent)?.[1];
  const system = /(Windows|Android|iPhone|iPad|Mac OS X|Linux)/.exec(userAgent)?.[1];
  const names = { Edg: 'Edge', 'Mac OS X': 'macOS' };
  if (!browser && !system) return userAgent.slice(0, 60);
  return [names[browser] || browser, names[system] || system].filter(Boolean).join(' on ');
}

function time(iso) {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
