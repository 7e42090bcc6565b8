// Calls the REST API on this origin and turns every failure into one readable sentence:
// problem+json details, 429 with its Retry-After, a service that is down.

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export async function api(method, path, options = {}) {
  return (await exchange(method, path, options)).data;
}

// A page of a list: its items, and the path of the next page (the Link header's rel="next"), or
// null after the last.
export async function apiPage(path) {
  const { data, response } = await exchange('GET', path);
  const next = /<([^>]*)>\s*;\s*rel="?next"?/.exec(response.headers.get('Link') || '');
  return { items: data || [], next: next ? next[1] : null };
}

async function exchange(method, path, { body, token } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'The shop cannot be reached. Check your connection and try again.');
  }
  if (response.status === 204) return { data: null, response };
  const text = await response.text();
  const data = text ? safeJson(text) : null;
  if (response.ok) return { data, response };
  throw new ApiError(response.status, describe(response, data));
}

function safeJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function describe(response, problem) {
  const detail = problem && (problem.detail || problem.title);
  switch (response.status) {
    case 429: {
      const wait = response.headers.get('Retry-After');
      return `Too many requests from your address. Please wait ${wait || 'a few'} seconds and try again.`;
    }
    case 401:
      return detail || 'Please sign in again.';
    case 502:
    case 503:
    case 504:
      return detail
        ? `A service is unavailable: ${detail}`
        : 'A service is unavailable right now. Please try again in a moment.';
    default:
      return detail || `The request failed (HTTP ${response.status}).`;
  }
}

export function money(cents, currency) {
  return `${(cents / 100).toFixed(2)} ${currency || ''}`.trim();
}
