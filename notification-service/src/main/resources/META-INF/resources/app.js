// The shop page: catalog, cart, my orders with live status, the account, and the operator tools.
import { setupAccount } from './account.js';
import { api, apiPage, money } from './api.js';
import { connectLive } from './live.js';
import { setupOperator } from './operator.js';

const PAGE_SIZE = 12;
const state = { page: 0, category: '', products: new Map(), cart: [], orders: new Map() };
const $ = (id) => document.getElementById(id);

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  Object.assign(node, props);
  for (const child of children) node.append(child);
  return node;
}

export function notify(message, kind = 'error') {
  const box = $('notice');
  box.textContent = message;
  box.dataset.kind = kind;
  box.hidden = false;
  clearTimeout(notify.timer);
  // Errors stay until the next message: a shopper may look away; confirmations fade.
  if (kind !== 'error')
    notify.timer = setTimeout(() => {
      box.hidden = true;
    }, 4000);
}

async function guarded(action) {
  try {
    const result = await action();
    // Whatever failed before works again: the old error no longer applies.
    if ($('notice').dataset.kind === 'error') $('notice').hidden = true;
    return result;
  } catch (error) {
    notify(error.message);
    return undefined;
  }
}

async function ensureSession() {
  try {
    await api('GET', '/api/sessions/current');
  } catch (error) {
    if (error.status !== 401) throw error;
    await api('POST', '/api/sessions', { body: {} });
  }
}

// Catalog

async function loadCategories() {
  const categories = (await api('GET', '/api/products/categories')).items;
  for (const category of categories) {
    $('category').append(el('option', { value: category, textContent: category }));
  }
}

async function loadProducts() {
  const query = new URLSearchParams({ page: state.page, size: PAGE_SIZE });
  if (state.category) query.set('category', state.category);
  const page = await api('GET', `/api/products?${query}`);
  const list = $('products');
  list.replaceChildren();
  for (const product of page.items) {
    state.products.set(product.id, product);
    const add = el('button', { type: 'button', textContent: 'Add to cart', className: 'primary' });
    add.dataset.product = product.id;
    add.disabled = product.stock <= 0;
    add.addEventListener('click', () => guarded(() => addToCart(product.id)));
    list.append(
      el(
        'li',
        { className: 'product' },
        el('h3', { textContent: product.name }),
        el('p', { className: 'category', textContent: product.category }),
        el('p', { className: 'price', textContent: money(product.price_cents, product.currency) }),
        add,
      ),
    );
  }
  const pages = Math.max(1, Math.ceil(page.total / PAGE_SIZE));
  $('page-info').textContent = `Page ${state.page + 1} of ${pages}`;
  $('prev').disabled = state.page === 0;
  $('next').disabled = state.page + 1 >= pages;
}

/** Moves to a page (or category) only once it has loaded: a failed load leaves the page as it was. */
async function showPage(page, category) {
  const before = { page: state.page, category: state.category };
  Object.assign(state, { page, category });
  try {
    await loadProducts();
  } catch (error) {
    Object.assign(state, before);
    throw error;
  }
}

// Cart

async function loadCart() {
  const cart = await api('GET', '/api/cart');
  state.cart = cart.items || [];
  await showCart();
}

// A cart may hold products the catalog page never showed (another page, a cart brought along at
// sign-in): those are read in one batch, so each line has its name and the total its prices. Only
// a nicety: if the catalog cannot say, the line keeps its product number and the cart still works;
// a product the catalog no longer has is not asked for again.
const gone = new Set();

async function showCart() {
  renderCart();
  const unknown = state.cart
    .map((i) => i.product_id)
    .filter((id) => !state.products.has(id) && !gone.has(id));
  if (unknown.length === 0) return;
  try {
    const found = await api('GET', `/api/products/batch?ids=${unknown.join(',')}`);
    for (const product of found.items) state.products.set(product.id, product);
    for (const id of found.missing || []) gone.add(id);
  } catch {
    return;
  }
  renderCart();
}

async function addToCart(productId) {
  const items = state.cart.map((i) => ({ ...i }));
  const line = items.find((i) => i.product_id === productId);
  if (line) line.quantity += 1;
  else items.push({ product_id: productId, quantity: 1 });
  await saveCart(items);
  notify('Added to your cart.', 'info');
}

async function saveCart(items) {
  const cart = await api('PUT', '/api/cart', { body: { items } });
  state.cart = cart.items || [];
  await showCart();
}

function renderCart() {
  const list = $('cart-items');
  list.replaceChildren();
  let total = 0;
  let currency = '';
  for (const item of state.cart) {
    const product = state.products.get(item.product_id);
    const name = product ? product.name : `Product ${item.product_id}`;
    if (product) {
      total += product.price_cents * item.quantity;
      currency = product.currency;
    }
    const remove = el('button', { type: 'button', textContent: 'Remove', className: 'link' });
    remove.setAttribute('aria-label', `Remove ${name}`);
    remove.addEventListener('click', () =>
      guarded(() => saveCart(state.cart.filter((i) => i.product_id !== item.product_id))),
    );
    list.append(el('li', {}, el('span', { textContent: `${item.quantity} × ${name}` }), remove));
  }
  $('cart-empty').hidden = state.cart.length > 0;
  $('cart-total').textContent = money(total, currency);
  $('place-order').disabled = state.cart.length === 0;
}

async function placeOrder() {
  $('place-order').disabled = true;
  try {
    const order = await api('POST', '/api/orders', { body: {} });
    state.cart = [];
    renderCart();
    upsertOrder(order);
    notify(`Order #${order.id} placed.`, 'info');
  } finally {
    renderCart();
  }
}

// Orders

// Starts the list over (the first load, another session): the newest page of orders.
async function loadOrders() {
  // An older page asked for before this is not added to the list started over.
  state.ordersLoad = (state.ordersLoad || 0) + 1;
  const page = await apiPage('/api/orders');
  const shown = new Map(state.orders);
  state.orders.clear();
  $('order-list').replaceChildren();
  for (const order of page.items.slice().reverse()) upsertOrder(order, shown.get(order.id));
  renderOrdersEmpty();
  offerOlderOrders(page.next);
}

// The newest page again, merged into the list: the older pages opened stay, and so does the next.
async function refreshOrders() {
  const load = state.ordersLoad;
  const page = await apiPage('/api/orders');
  // Started over meanwhile (another session's list): this answer may be the last session's.
  if (load !== state.ordersLoad) return;
  for (const order of page.items.slice().reverse()) upsertOrder(order);
}

// The list shows the newest page of orders; the older ones come a page at a time, below it.
function offerOlderOrders(next) {
  const older = next && next.startsWith('/api/orders?') ? next : null;
  state.olderOrders = older;
  state.olderThan = older ? Number(new URLSearchParams(older.split('?')[1]).get('before')) : 0;
  $('older-orders').hidden = !older;
}

// An order on an older page than those shown: read with its page, if the shopper opens it, not
// pushed on top of the newest.
function onUnopenedPage(id) {
  return Boolean(state.olderOrders) && id < state.olderThan;
}

async function loadOlderOrders() {
  const load = state.ordersLoad;
  // Updates of the page's orders that come before it are applied after it, not lost.
  state.heldUpdates = [];
  $('older-orders').disabled = true;
  try {
    const page = await apiPage(state.olderOrders);
    if (load !== state.ordersLoad) return;
    for (const order of page.items) upsertOrder(order, undefined, 'bottom');
    offerOlderOrders(page.next);
  } finally {
    const held = state.heldUpdates;
    state.heldUpdates = null;
    $('older-orders').disabled = false;
    for (const update of held) applyUpdate(update);
  }
}

// Shows `order`, unless what is shown already went past it: a REST answer may be read after live
// updates that came later (the worker can pay an order before the page reads the answer that
// placed it). An order's history only grows, so the longer one is the newer. A new one goes on top,
// or at the `bottom` when it comes with an older page.
function upsertOrder(answer, shown = state.orders.get(answer.id), where = 'top') {
  const newer = shown && (shown.history || []).length > (answer.history || []).length;
  const order = newer ? shown : answer;
  state.orders.set(order.id, order);
  let item = document.querySelector(`[data-order="${order.id}"]`);
  if (!item) {
    item = el('li', { className: 'order' });
    item.dataset.order = order.id;
    if (where === 'bottom') $('order-list').append(item);
    else $('order-list').prepend(item);
  }
  const history = el('ol', { className: 'timeline' });
  for (const step of order.history || []) {
    const item = step.job
      ? el('li', { className: `job ${step.job.outcome}`, textContent: jobText(step) })
      : el('li', { textContent: stepText(step) });
    history.append(item);
  }
  const status = el('span', { className: 'status', textContent: order.status });
  status.dataset.status = order.status;
  item.replaceChildren(
    el('h3', {}, `Order #${order.id} `, status),
    el('p', {
      textContent: `${(order.items || []).length} item(s) · ${money(order.total_cents, order.currency)}`,
    }),
    history,
  );
  // Nothing has happened to a PENDING order yet: its shopper may still take it back.
  if (order.status === 'PENDING') item.append(cancelButton(order.id));
  renderOrdersEmpty();
}

// A status change, and why when nobody at the shop decided it: "CANCELLED, not paid in time · 14:05".
const REASONS = { unpaid: 'not paid in time', shopper: 'by you' };

function stepText(step) {
  const why = REASONS[step.reason] ? `, ${REASONS[step.reason]}` : '';
  return `${step.status}${why} · ${new Date(step.at).toLocaleTimeString()}`;
}

// What became of one of the order's jobs: "Payment attempt 2 failed, retrying at 14:05:00".
function jobText(step) {
  const { type, outcome, attempt, next_attempt_at: next } = step.job;
  const what = type === 'process_payment' ? 'Payment' : type.replaceAll('_', ' ');
  const at = new Date(step.at).toLocaleTimeString();
  if (outcome === 'retrying') {
    return `${what} attempt ${attempt} failed, retrying at ${new Date(next).toLocaleTimeString()}`;
  }
  return `${what} failed after ${attempt} attempt${attempt === 1 ? '' : 's'} · ${at}`;
}

function cancelButton(id) {
  const button = el('button', { type: 'button', className: 'cancel', textContent: 'Cancel order' });
  button.addEventListener('click', () =>
    guarded(async () => {
      upsertOrder(await api('POST', `/api/orders/${id}/cancel`, { body: {} }));
      notify(`Order #${id} is cancelled.`, 'info');
    }),
  );
  return button;
}

function renderOrdersEmpty() {
  $('orders-empty').hidden = state.orders.size > 0;
}

function applyUpdate(update) {
  const order = state.orders.get(update.order_id);
  if (!order) {
    if (!onUnopenedPage(update.order_id)) guarded(refreshOrders);
    else if (state.heldUpdates) state.heldUpdates.push(update);
    return;
  }
  const history = order.history || [];
  // Already shown: the step came with the REST answer that made the change (placing, cancelling)
  // or with a read after it, and names its event. Steps from before event ids go by status.
  const known = (step) =>
    step.event_id
      ? step.event_id === update.event_id
      : !update.job && !step.job && step.status === update.status;
  if (history.some(known)) return;
  history.push({
    status: update.status,
    previous_status: update.previous_status,
    at: update.timestamp,
    event_id: update.event_id,
    job: update.job,
    reason: update.reason,
  });
  // A job's fate is no status change: the status shown stays what the last change made it.
  upsertOrder({ ...order, status: update.job ? order.status : update.status, history });
}

function showLive(state, transport) {
  const labels = {
    live: transport === 'sse' ? 'Live (SSE)' : 'Live',
    connecting: 'Connecting…',
    reconnecting: 'Reconnecting…',
    offline: 'Offline',
  };
  $('live').dataset.state = state;
  if (transport) $('live').dataset.transport = transport;
  $('live-text').textContent = labels[state] || state;
}

let live;
let account;

function startLive() {
  live = connectLive({
    onUpdate: applyUpdate,
    // A reload, or the session ended (signed out here or on another device): start over.
    onReload: () =>
      guarded(async () => {
        const wasSignedIn = document.body.dataset.account === 'signed-in';
        await ensureSession();
        await Promise.all([loadCart(), loadOrders(), account.refresh()]);
        if (wasSignedIn && document.body.dataset.account === 'guest') {
          notify('You were signed out. You are shopping as a guest.', 'info');
        }
      }),
    onResync: () => guarded(refreshOrders),
    onState: showLive,
  });
}

// Signed in, up or out: another session, so another cart, other orders and another live stream
// (stopped before the change by leaving the old one).
async function sessionChanged() {
  await ensureSession();
  await Promise.all([loadCart(), loadOrders(), account.refresh()]);
  startLive();
}

async function start() {
  // Controls work from the first paint: handlers first, data after.
  setupOperator({ notify, guarded, onChange: () => guarded(refreshOrders) });
  account = setupAccount({
    notify,
    guarded,
    leaving: () => live.close(),
    onChange: () => guarded(sessionChanged),
    stayed: startLive,
  });
  $('category').addEventListener('change', (event) =>
    guarded(() => showPage(0, event.target.value)),
  );
  $('prev').addEventListener('click', () =>
    guarded(() => showPage(state.page - 1, state.category)),
  );
  $('next').addEventListener('click', () =>
    guarded(() => showPage(state.page + 1, state.category)),
  );
  $('place-order').addEventListener('click', () => guarded(placeOrder));
  $('older-orders').addEventListener('click', () => guarded(loadOlderOrders));

  await guarded(ensureSession);
  await Promise.all([guarded(loadCategories), guarded(loadProducts), guarded(account.refresh)]);
  await guarded(loadCart);
  await guarded(loadOrders);
  startLive();
}

start();
