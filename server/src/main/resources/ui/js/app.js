// The dashboard's shell: routing by location hash, the signed-in session, and live updates by
// polling the current page every few seconds while the tab is visible.

import {api, token, forgetToken, SignedOut} from './api.js';
import {announce, errorBox} from './dom.js';
import * as login from './pages/login.js';
import * as overview from './pages/overview.js';
import * as alerts from './pages/alerts.js';
import * as silences from './pages/silences.js';
import * as events from './pages/events.js';
import * as metrics from './pages/metrics.js';
import * as agents from './pages/agents.js';
import * as health from './pages/health.js';

const PAGES = {overview, alerts, silences, events, metrics, agents, health};
const POLL_MS = 3000;

/** Who is signed in: {name, role}; operator and admin may act on alerts. */
export const session = {
  name: null,
  role: null,
  canOperate() { return this.role === 'operator' || this.role === 'admin'; },
  reset() { this.name = null; this.role = null; },
};

const main = document.getElementById('main');
const topbar = document.getElementById('topbar');
const statusBar = document.getElementById('status-bar');
const updated = document.getElementById('updated');
let current = null;
let generation = 0;
let polling = false;

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, qs] = raw.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return {page: parts[0] || 'overview', id: parts[1] || null, params: new URLSearchParams(qs || '')};
}

function showLogin(message) {
  dispose();
  topbar.hidden = true;
  statusBar.hidden = true;
  document.title = 'Sign in · Vigil';
  login.mount(main, {message, onSignedIn: () => {
    if (location.hash === '#/overview' || location.hash === '') route(); else location.hash = '#/overview';
  }});
}

function dispose() {
  if (current && current.dispose) current.dispose();
  current = null;
}

async function route() {
  if (location.hash && !location.hash.startsWith('#/')) return; // the skip link, not a page
  const target = parseHash();
  if (target.page === 'login' || !token()) {
    session.reset();
    showLogin();
    return;
  }
  const mine = ++generation;
  if (!session.role) {
    try {
      Object.assign(session, await api('/whoami'));
    } catch (e) {
      if (!(e instanceof SignedOut)) main.replaceChildren(errorBox(e));
      return;
    }
    if (mine !== generation) return;
  }
  document.getElementById('who-name').textContent = session.name;
  document.getElementById('who-role').textContent = session.role;
  topbar.hidden = false;
  statusBar.hidden = false;
  const name = PAGES[target.page] ? target.page : 'overview';
  for (const link of document.querySelectorAll('[data-nav]')) {
    if (link.dataset.nav === name) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  }
  dispose();
  main.replaceChildren();
  document.title = PAGES[name].TITLE + ' · Vigil';
  current = PAGES[name].mount(main, target, session) || {};
  main.dataset.page = name + (target.id ? '-detail' : '');
  pollNav();
}

async function pollNav() {
  try {
    const page = await api('/alerts?state=firing&limit=100');
    const badge = document.getElementById('nav-firing');
    const n = page.alerts.length;
    badge.hidden = n === 0;
    badge.textContent = n >= 100 ? '99+' : String(n);
    badge.setAttribute('aria-label', n + ' firing');
  } catch (e) {
    // the page itself reports errors
  }
}

async function tick() {
  if (document.hidden) {
    statusBar.classList.add('paused');
    updated.textContent = 'Paused while the tab is hidden';
    return;
  }
  if (polling || !current || !token()) return;
  polling = true;
  statusBar.classList.remove('paused');
  try {
    if (current.refresh) await current.refresh();
    await pollNav();
    updated.textContent = 'Live · updated ' + new Date().toLocaleTimeString('en-GB');
  } catch (e) {
    if (!(e instanceof SignedOut)) updated.textContent = 'Update failed: ' + e.message;
  } finally {
    polling = false;
  }
}

document.getElementById('logout').addEventListener('click', () => {
  forgetToken();
  session.reset();
  announce('Signed out');
  location.hash = '#/login';
});

window.addEventListener('vigil:signed-out', () => {
  if (!session.role) return; // the login page itself reports a refused token
  session.reset();
  if (location.hash !== '#/login') history.replaceState(null, '', '#/login');
  showLogin('Your token was refused or has been revoked; sign in again.');
});
window.addEventListener('hashchange', () => { route(); main.focus({preventScroll: true}); });
document.addEventListener('visibilitychange', () => { if (!document.hidden) tick(); });
setInterval(tick, POLL_MS);
route();

