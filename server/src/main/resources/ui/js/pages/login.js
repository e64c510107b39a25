// Sign in with an API key (or the admin token): checked once against /whoami, then kept in
// sessionStorage for this tab only.

import {api, setToken, forgetToken, SignedOut} from '../api.js';
import {h, field} from '../dom.js';

export const TITLE = 'Sign in';

export function mount(root, {message, onSignedIn}) {
  const input = h('input', {id: 'token', name: 'token', type: 'password', autocomplete: 'current-password',
    required: true, spellcheck: 'false', 'aria-describedby': 'token-help'});
  const problem = h('p', {class: 'error', id: 'login-error', role: 'alert', hidden: !message}, message || '');
  const button = h('button', {class: 'btn', type: 'submit', id: 'sign-in'}, 'Sign in');
  const form = h('form', {novalidate: true},
    field('API token', input),
    h('p', {class: 'muted', id: 'token-help'},
      'An API key (viewer, operator or admin) or the server\'s admin token. It is kept only in this tab.'),
    problem, button);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const value = input.value.trim();
    if (!value) {
      problem.textContent = 'Enter a token.';
      problem.hidden = false;
      input.focus();
      return;
    }
    button.disabled = true;
    setToken(value);
    try {
      await api('/whoami');
      onSignedIn();
    } catch (err) {
      forgetToken();
      problem.textContent = err instanceof SignedOut
        ? 'That token was refused: it is not an API key or the admin token, or it was revoked.'
        : err.message;
      problem.hidden = false;
      button.disabled = false;
      input.focus();
    }
  });
  root.replaceChildren(h('div', {class: 'login'},
    h('div', {class: 'panel'},
      h('h1', {}, h('img', {src: 'favicon.svg', alt: '', width: 28, height: 28}), 'Sign in to Vigil'),
      h('p', {class: 'muted'}, 'Alerts, events, metrics and agents of your monitoring.'),
      form)));
  input.focus();
}
