// Building the page. Server data is attacker-controlled (event titles, attributes): it only ever
// reaches the DOM as text nodes or attribute values, never as markup.

const SVG_NS = 'http://www.w3.org/2000/svg';

function build(el, attrs, children) {
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2), value);
    } else if (name === 'text') {
      el.textContent = String(value);
    } else {
      el.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** h('td', {class: 'num'}, 'text', otherNode): an HTML element; strings become text nodes. */
export function h(tag, attrs, ...children) {
  return build(document.createElement(tag), attrs, children);
}

/** The same for SVG elements. */
export function s(tag, attrs, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

/** A labelled form control: <div class="field"><label for=id>label</label>control</div>. */
export function field(label, control, extraClass) {
  return h('div', {class: 'field' + (extraClass ? ' ' + extraClass : '')},
    h('label', {for: control.id}, label), control);
}

export function select(id, options, value) {
  const el = h('select', {id, name: id});
  for (const [v, label] of options) {
    el.append(h('option', {value: v, selected: v === value}, label));
  }
  return el;
}

/** A table with a caption (screen readers name it) and headers with scope. */
export function table(caption, headers, rows, opts = {}) {
  const head = h('tr', {}, headers.map(([label, cls]) => h('th', {scope: 'col', class: cls}, label)));
  return h('div', {class: 'table-wrap'},
    h('table', {id: opts.id},
      h('caption', {class: opts.showCaption ? '' : 'sr-only'}, caption),
      h('thead', {}, head),
      h('tbody', {}, rows)));
}

export function severity(sev) {
  return h('span', {class: 'sev sev-' + sev}, sev);
}

export function badge(state, label) {
  return h('span', {class: 'badge state-' + state}, label || state.replace('_', ' '));
}

export function time(iso) {
  if (!iso) return h('span', {class: 'muted'}, '—');
  return h('time', {datetime: iso, title: formatTime(iso)}, ago(iso));
}

export function formatTime(iso) {
  const d = new Date(iso);
  return d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC').replace(/Z$/, ' UTC');
}

/** "just now", "12 s ago", "5 min ago", "3 h ago", "2 d ago" (or "in ..." for the future). */
export function ago(iso) {
  const seconds = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
  return duration(Math.abs(seconds), seconds < 0 ? 'in ' : '', seconds < 0 ? '' : ' ago');
}

export function duration(seconds, prefix = '', suffix = '') {
  if (seconds < 5) return 'just now';
  if (seconds < 60) return prefix + seconds + ' s' + suffix;
  if (seconds < 3600) return prefix + Math.floor(seconds / 60) + ' min' + suffix;
  if (seconds < 86400) return prefix + Math.floor(seconds / 3600) + ' h' + suffix;
  return prefix + Math.floor(seconds / 86400) + ' d' + suffix;
}

export function bytes(n) {
  if (n === null || n === undefined) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return (i === 0 ? n : n.toFixed(1)) + ' ' + units[i];
}

export function number(n) {
  if (n === null || n === undefined) return '—';
  return Math.abs(n) >= 1000 || Number.isInteger(n) ? n.toLocaleString('en-US') : String(Math.round(n * 1000) / 1000);
}

export function empty(text) {
  return h('p', {class: 'empty'}, text);
}

export function errorBox(err) {
  return h('p', {class: 'error', role: 'alert'}, err && err.message ? err.message : String(err));
}

export function pageHead(title, subtitle, ...extra) {
  return h('div', {class: 'page-head'},
    h('div', {}, h('h1', {}, title), subtitle ? h('p', {}, subtitle) : null), ...extra);
}

/** Puts text into the aria-live region: screen readers announce it. */
export function announce(text) {
  const region = document.getElementById('announcer');
  region.textContent = '';
  // a fresh text node after clearing, so that the same message is announced again
  setTimeout(() => { region.textContent = text; }, 50);
}

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];
