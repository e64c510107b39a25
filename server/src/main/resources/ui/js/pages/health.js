// Health: every component's current status with its availability, and the open error groups.
// Operators and admins resolve an error group with a note; viewers see the same page without that.

import {api, query} from '../api.js';
import {h, table, badge, time, empty, errorBox, pageHead, announce, duration, number} from '../dom.js';

export const TITLE = 'Health';

/** Availability changes slowly and costs more than the status: read it at most this often. */
const AVAILABILITY_MS = 30000;
const ERROR_LIMIT = 100;
// the error log's severities, worst first, mapped onto the dashboard's severity colours
const ERROR_SEVERITY = {critical: 'critical', error: 'high', warn: 'medium'};

export function mount(root, target, session) {
  const summary = h('p');
  const components = h('div', {id: 'component-results', 'aria-busy': 'true'});
  const errors = h('div', {id: 'error-results', 'aria-busy': 'true'});
  const problem = h('div');
  const canOperate = session.canOperate();
  const resolvePanel = canOperate ? resolveForm() : null;
  root.append(pageHead('Health', 'Every component\'s status and availability, and the errors still open', summary),
    h('section', {class: 'panel', 'aria-labelledby': 'components-h'},
      h('h2', {id: 'components-h'}, 'Components'), components),
    h('section', {class: 'panel', 'aria-labelledby': 'errors-h'},
      h('h2', {id: 'errors-h'}, 'Open errors'), problem,
      canOperate ? resolvePanel.element
        : h('p', {class: 'notice', id: 'errors-read-only'},
            `Signed in as ${session.name} with role ${session.role}: you can read errors; resolving needs an operator key.`),
      errors));

  let availability = {at: 0, day: new Map(), week: new Map()};
  let statusBefore = null;
  let openBefore = null;
  let open = [];
  let more = false; // the API has further open groups beyond the first page
  // groups resolved in this page: shown as resolved in their row until they reopen
  const resolvedHere = new Map();

  async function readAvailability(names) {
    const stale = Date.now() - availability.at > AVAILABILITY_MS;
    if (!stale && names.every(n => availability.day.has(n))) return;
    const [day, week] = await Promise.all([api('/components/availability?window=24h'),
      api('/components/availability?window=7d')]);
    const byName = list => new Map(list.components.map(c => [c.component, c]));
    availability = {at: Date.now(), day: byName(day), week: byName(week)};
  }

  async function refresh() {
    let status;
    let groups;
    try {
      [status, groups] = await Promise.all([api('/components'),
        api('/errors' + query({status: 'open', limit: ERROR_LIMIT}))]);
      await readAvailability(status.components.map(c => c.component));
    } catch (e) {
      components.replaceChildren(errorBox(e));
      throw e;
    }
    announceChanges(status.components, groups.groups);
    open = groups.groups;
    more = Boolean(groups.next);
    for (const g of open) resolvedHere.delete(g.id); // reopened since
    const counts = {healthy: 0, degraded: 0, down: 0};
    status.components.forEach(c => { counts[c.status] = (counts[c.status] || 0) + 1; });
    summary.replaceChildren(h('span', {class: 'muted', id: 'health-summary'},
      `${plural(status.components.length, 'component')}: ${counts.healthy} healthy, ${counts.degraded} degraded, `
      + `${counts.down} down · ${plural(open.length, 'open error group')}${more ? ' and more' : ''}`));
    components.setAttribute('aria-busy', 'false');
    components.replaceChildren(status.components.length
      ? table('Components', [['Component'], ['Kind', 'opt'], ['Status'], ['Since', 'opt'], ['Last sample'],
          ['24 h', 'num'], ['7 d', 'num opt']],
          status.components.map(componentRow), {id: 'components-table'})
      : empty('No component has reported yet: agents report with their heartbeat, the server every 30 s.'));
    renderErrors();
  }

  function componentRow(c) {
    return h('tr', {'data-component': c.component, 'data-status': c.status},
      h('td', {}, h('div', {class: 'title-link mono'}, c.component), c.agent ? h('div', {class: 'muted'}, 'agent ' + c.agent) : null),
      h('td', {class: 'opt'}, c.kind),
      h('td', {}, badge(c.status), c.reason ? h('div', {class: 'reason'}, c.reason) : null),
      h('td', {class: 'nowrap opt'}, time(c.since)),
      h('td', {class: 'nowrap', 'data-age-seconds': c.age_seconds},
        c.age_seconds === null ? h('span', {class: 'muted'}, 'never')
          : duration(Math.round(c.age_seconds), '', ' ago'), c.silent ? h('div', {class: 'muted'}, 'silent') : null),
      h('td', {class: 'num', 'data-window': '24h'}, percent(availability.day.get(c.component))),
      h('td', {class: 'num opt', 'data-window': '7d'}, percent(availability.week.get(c.component))));
  }

  function renderErrors() {
    const rows = [...open, ...resolvedHere.values()].sort((a, b) => b.last_seen.localeCompare(a.last_seen) || b.id - a.id);
    const headers = [['Severity'], ['Error'], ['Occurrences', 'num'], ['Last seen', 'opt'], ['Reopened', 'num opt'],
      ['Status']];
    if (canOperate) headers.push([h('span', {class: 'sr-only'}, 'Actions')]);
    errors.setAttribute('aria-busy', 'false');
    errors.replaceChildren(rows.length
      ? table('Error groups', headers, rows.map(errorRow), {id: 'errors-table'})
      : empty('No open errors.'));
    if (more) errors.append(h('p', {class: 'muted'}, `The ${ERROR_LIMIT} most recent open groups are shown.`));
  }

  function errorRow(g) {
    const resolved = g.status === 'resolved';
    return h('tr', {'data-error-id': g.id, 'data-status': g.status},
      // the error log's own word (warn, error, critical) in the dashboard's severity colour
      h('td', {}, h('span', {class: 'sev sev-' + (ERROR_SEVERITY[g.severity] || 'info')}, g.severity)),
      h('td', {},
        h('div', {class: 'error-message'}, g.message || g.exception_type || '(no message)'),
        h('div', {class: 'muted mono'}, g.component, ' · ', g.source, g.exception_type ? ' · ' + g.exception_type : '')),
      h('td', {class: 'num'}, number(g.occurrences)),
      h('td', {class: 'nowrap opt'}, time(g.last_seen)),
      h('td', {class: 'num opt'}, number(g.reopen_count)),
      h('td', {}, badge(g.status),
        resolved ? h('div', {class: 'muted'}, 'by ', g.resolved_by, g.resolution_note ? ': ' + g.resolution_note : '') : null),
      canOperate ? h('td', {class: 'nowrap'}, resolved ? null
        : h('button', {class: 'btn btn-secondary', type: 'button', 'data-resolve': g.id, onclick: () => resolvePanel.open(g),
            'aria-label': 'Resolve error ' + (g.message || g.exception_type || g.id)}, 'Resolve')) : null);
  }

  function announceChanges(list, groups) {
    const status = new Map(list.map(c => [c.component, c.status]));
    if (statusBefore !== null) {
      for (const [name, st] of status) {
        if (statusBefore.has(name) && statusBefore.get(name) !== st) announce('Component ' + name + ' is now ' + st);
      }
    }
    statusBefore = status;
    const ids = new Set(groups.map(g => g.id));
    if (openBefore !== null) {
      const fresh = groups.filter(g => !openBefore.has(g.id));
      if (fresh.length) announce(fresh.length === 1 ? 'New open error: ' + (fresh[0].message || fresh[0].exception_type) : fresh.length + ' new open errors');
    }
    openBefore = ids;
  }

  // One form above the table rather than one per row: the table is redrawn by every live update,
  // which would throw away a note being typed into it.
  function resolveForm() {
    const what = h('p', {id: 'resolve-what', class: 'error-message'});
    const note = h('textarea', {id: 'resolve-note', name: 'note', maxlength: 2000,
      placeholder: 'What was wrong and what fixed it (kept with the group)'});
    const confirm = h('button', {class: 'btn', type: 'submit', id: 'resolve-confirm'}, 'Resolve');
    const cancel = h('button', {class: 'btn btn-secondary', type: 'button', id: 'resolve-cancel'}, 'Cancel');
    const form = h('form', {'aria-label': 'Resolve an error group'},
      what, h('div', {class: 'field'}, h('label', {for: 'resolve-note'}, 'Note'), note), h('div', {class: 'actions'}, confirm, cancel));
    const element = h('div', {class: 'resolve-panel', id: 'resolve-panel', hidden: true}, form);
    let group = null;

    function close() {
      group = null;
      note.value = '';
      element.hidden = true;
    }
    cancel.addEventListener('click', close);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (!group) return;
      confirm.disabled = true;
      try {
        const text = note.value.trim();
        const updated = await api('/errors/' + encodeURIComponent(group.id) + '/resolve', {method: 'POST',
          body: text ? {note: text} : {}});
        open = open.filter(g => g.id !== updated.id);
        resolvedHere.set(updated.id, updated);
        problem.replaceChildren();
        announce('Error resolved');
        close();
        renderErrors();
      } catch (err) {
        problem.replaceChildren(errorBox(err));
        await refresh().catch(() => {});
      } finally {
        confirm.disabled = false;
      }
    });
    return {element, open(g) {
      group = g;
      what.textContent = 'Resolve: ' + (g.message || g.exception_type || 'error group ' + g.id);
      element.hidden = false;
      note.focus();
    }};
  }

  refresh().catch(() => {});
  return {refresh};
}

/** The share of the window a component was up (healthy or degraded), or a dash before it counted any. */
function percent(a) {
  if (!a || a.up_pct === null || a.up_pct === undefined) return h('span', {class: 'muted'}, '—');
  return h('span', {title: 'healthy ' + pct(a.healthy_pct)}, pct(a.up_pct));
}

/** Two decimals; a share short of 100 % by less than that says so rather than rounding up to 100.00 %. */
function pct(value) {
  const text = value.toFixed(2);
  return (text === '100.00' && value < 100 ? '>99.99' : text) + ' %';
}

function plural(n, noun) {
  return n + ' ' + noun + (n === 1 ? '' : 's');
}
