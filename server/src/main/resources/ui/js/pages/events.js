// Events: a filterable table paged by the API's keyset cursor, and one event's detail with its
// attributes as a table of paths (nested objects and arrays indented).

import {api, query} from '../api.js';
import {h, field, select, table, severity, time, empty, errorBox, pageHead, announce, formatTime} from '../dom.js';

export const TITLE = 'Events';
const PAGE_SIZE = 25;

export function mount(root, target) {
  return target.id ? detail(root, target.id) : list(root, target.params);
}

function list(root, params) {
  const q = h('input', {id: 'event-q', name: 'q', type: 'search', placeholder: 'Words in the title', value: params.get('q') || ''});
  const sev = select('event-severity', [['', 'Any'], ['critical', 'Critical'], ['high', 'High or above'],
    ['medium', 'Medium or above'], ['low', 'Low or above']], params.get('severity_min') || '');
  const type = h('input', {id: 'event-type', name: 'type', type: 'text', placeholder: 'docker.* or a type', value: params.get('type') || ''});
  const host = h('input', {id: 'event-host', name: 'host', type: 'text', placeholder: 'Any host', value: params.get('host') || ''});
  const hours = select('event-hours', [['1', 'Last hour'], ['6', 'Last 6 hours'], ['24', 'Last 24 hours'],
    ['168', 'Last 7 days'], ['720', 'Last 30 days']], params.get('hours') || '168');
  const form = h('form', {class: 'filters', role: 'search', 'aria-label': 'Filter events'},
    field('Search', q, 'grow'), field('Severity', sev), field('Type', type), field('Host', host), field('Time', hours),
    h('button', {class: 'btn', type: 'submit', id: 'event-apply'}, 'Apply'));
  const results = h('div', {id: 'event-results'});
  const position = h('span', {class: 'muted', id: 'event-page'});
  const first = h('button', {class: 'btn btn-secondary', type: 'button', id: 'event-first'}, 'First page');
  const next = h('button', {class: 'btn btn-secondary', type: 'button', id: 'event-next'}, 'Next page →');
  root.append(pageHead('Events', 'Everything the agents and the server reported, newest first'),
    h('section', {class: 'panel'}, form),
    h('section', {class: 'panel'}, results, h('div', {class: 'pager'}, position, first, next)));

  let cursors = [null]; // the cursor of each page seen; the last one is the current page's
  let nextCursor = null;
  let shown = null;

  function filters() {
    return {q: q.value.trim(), severity_min: sev.value, type: type.value.trim(), host: host.value.trim(), hours: hours.value};
  }

  async function load(announceNew) {
    const cursor = cursors[cursors.length - 1];
    let page;
    try {
      page = await api('/events' + query({...filters(), limit: PAGE_SIZE, cursor}));
    } catch (e) {
      results.replaceChildren(errorBox(e));
      throw e;
    }
    const ids = page.events.map(e => e.id);
    const fresh = announceNew && shown ? ids.filter(id => !shown.includes(id)) : [];
    if (fresh.length) announce(fresh.length + ' new event' + (fresh.length > 1 ? 's' : ''));
    shown = ids;
    nextCursor = page.next;
    next.disabled = !page.next;
    first.disabled = cursors.length === 1;
    position.textContent = `Page ${cursors.length} · ${page.events.length} event${page.events.length === 1 ? '' : 's'}`;
    results.replaceChildren(page.events.length
      ? table('Events', [['Time'], ['Severity'], ['Event'], ['Host', 'opt'], ['Subject', 'opt']],
          page.events.map(e => h('tr', {'data-event-id': e.id, class: fresh.includes(e.id) ? 'is-new' : null},
            h('td', {class: 'nowrap'}, time(e.time)),
            h('td', {}, severity(e.severity)),
            h('td', {}, h('a', {class: 'title-link', href: '#/events/' + encodeURIComponent(e.id)}, e.title || e.type),
              h('div', {class: 'muted mono'}, e.type)),
            h('td', {class: 'opt'}, e.host || '—'),
            h('td', {class: 'opt'}, e.subject || '—'))), {id: 'events-table'})
      : empty('No events match these filters.'));
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    cursors = [null];
    shown = null;
    const f = filters();
    // the filters go into the address, so that a reload or a shared link shows the same events
    history.replaceState(null, '', '#/events' + query(f));
    load(false).catch(() => {});
  });
  next.addEventListener('click', () => {
    if (!nextCursor) return;
    cursors.push(nextCursor);
    load(false).then(() => results.querySelector('a')?.focus()).catch(() => {});
  });
  first.addEventListener('click', () => { cursors = [null]; load(false).catch(() => {}); });
  load(false).catch(() => {});
  // live: only the first page follows new events; a later page stays as it was read
  return {refresh: () => cursors.length === 1 ? load(true) : Promise.resolve()};
}

function detail(root, id) {
  const body = h('div', {id: 'event-detail'});
  root.append(h('p', {class: 'crumb'}, h('a', {href: '#/events'}, '← All events')), body);
  (async () => {
    let e;
    try {
      e = await api('/events/' + encodeURIComponent(id));
    } catch (err) {
      body.replaceChildren(errorBox(err));
      return;
    }
    const facts = [['Time', formatTime(e.time)], ['Received', formatTime(e.received_at)], ['Type', e.type],
      ['Host', e.host], ['Agent', e.agent], ['Monitor', e.monitor], ['Plugin', e.plugin], ['Subject', e.subject],
      ['Fingerprint', e.fingerprint], ['Trace', e.trace_id], ['Session', e.session_id]]
      .filter(([, v]) => v !== null && v !== undefined && v !== '');
    const rows = attributeRows(e.attributes || {}, '', 0);
    body.replaceChildren(
      h('div', {class: 'page-head'}, h('div', {},
        h('div', {class: 'detail-title'}, severity(e.severity), h('span', {class: 'muted mono'}, e.type)),
        h('h1', {id: 'event-title'}, e.title || e.type))),
      h('section', {class: 'panel'}, h('dl', {class: 'facts'},
        facts.map(([k, v]) => h('div', {}, h('dt', {}, k), h('dd', {class: k === 'Type' || k === 'Fingerprint' ? 'mono' : null}, v))))),
      h('section', {class: 'panel', 'aria-labelledby': 'attr-h'}, h('h2', {id: 'attr-h'}, 'Attributes'),
        rows.length ? table('Attributes', [['Attribute'], ['Value']], rows, {id: 'attributes-table'}) : empty('No attributes.'),
        h('details', {}, h('summary', {}, 'Raw JSON'), h('pre', {class: 'raw'}, JSON.stringify(e.attributes, null, 2)))));
    document.title = (e.title || e.type) + ' · Vigil';
  })();
  return {};
}

/** One row per attribute: objects and arrays get a row of their own and their members indented below. */
function attributeRows(value, path, depth) {
  const rows = [];
  const entries = Array.isArray(value) ? value.map((v, i) => [`[${i}]`, v]) : Object.entries(value);
  for (const [key, v] of entries) {
    const full = path + (Array.isArray(value) ? key : (path ? '.' : '') + key);
    const nested = v !== null && typeof v === 'object';
    rows.push(h('tr', {'data-path': full},
      h('th', {scope: 'row', class: 'attr-path indent-' + Math.min(depth, 4)}, key),
      h('td', {class: 'attr-value'}, nested
        ? h('span', {class: 'attr-type'}, Array.isArray(v) ? `list of ${v.length}` : `object with ${Object.keys(v).length} keys`)
        : [v === null ? 'null' : String(v), ' ', h('span', {class: 'attr-type'}, typeof v === 'string' ? '' : typeof v)])));
    if (nested) rows.push(...attributeRows(v, full, depth + 1));
  }
  return rows;
}
