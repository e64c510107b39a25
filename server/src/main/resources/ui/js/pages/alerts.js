// Alerts: the list with filters, and one alert's detail with its events and activity. Operators
// and admins get acknowledge / resolve / comment; viewers see the same page without them.

import {api, query} from '../api.js';
import {h, field, select, table, severity, badge, time, empty, errorBox, pageHead, announce, formatTime, number} from '../dom.js';

export const TITLE = 'Alerts';

export function mount(root, target, session) {
  return target.id ? detail(root, target.id, session) : list(root);
}

function list(root) {
  const state = select('alert-state', [['open', 'Open (firing or acknowledged)'], ['firing', 'Firing'],
    ['acknowledged', 'Acknowledged'], ['resolved', 'Resolved'], ['', 'All']], 'open');
  const sev = select('alert-severity', [['', 'Any'], ['critical', 'Critical'], ['high', 'High or above'],
    ['medium', 'Medium or above'], ['low', 'Low or above']], '');
  const rule = h('input', {id: 'alert-rule', name: 'rule', type: 'search', placeholder: 'e.g. docker-container-died'});
  const form = h('form', {class: 'filters', role: 'search', 'aria-label': 'Filter alerts'},
    field('State', state), field('Severity', sev), field('Rule', rule, 'grow'),
    h('button', {class: 'btn', type: 'submit'}, 'Apply'));
  const results = h('div', {id: 'alert-results', 'aria-busy': 'true'});
  root.append(pageHead('Alerts', 'Raised by the alert rules from events and metrics'),
    h('section', {class: 'panel'}, form), h('section', {class: 'panel'}, results));

  let known = null;
  async function refresh() {
    let page;
    try {
      page = await api('/alerts' + query({state: state.value, severity_min: sev.value, rule: rule.value.trim(), limit: 100}));
    } catch (e) {
      results.replaceChildren(errorBox(e));
      throw e;
    }
    const fresh = known === null ? [] : page.alerts.filter(a => !known.has(a.id));
    if (fresh.length) {
      announce(fresh.length === 1 ? 'New alert: ' + fresh[0].title : fresh.length + ' new alerts');
    }
    known = new Set(page.alerts.map(a => a.id));
    const freshIds = new Set(fresh.map(a => a.id));
    results.setAttribute('aria-busy', 'false');
    results.replaceChildren(page.alerts.length
      ? table('Alerts', [['Severity'], ['Alert'], ['State'], ['Count', 'num opt'], ['Last seen', 'opt']],
          page.alerts.map(a => h('tr', {'data-alert-id': a.id, class: freshIds.has(a.id) ? 'is-new' : null},
            h('td', {}, severity(a.severity)),
            h('td', {}, h('a', {class: 'title-link', href: '#/alerts/' + a.id}, a.title),
              h('div', {class: 'muted mono'}, a.rule)),
            h('td', {}, badge(a.state)),
            h('td', {class: 'num opt'}, number(a.count)),
            h('td', {class: 'nowrap opt'}, time(a.last_seen_at)))), {id: 'alerts-table'})
      : empty('No alerts match these filters.'));
  }
  form.addEventListener('submit', (e) => { e.preventDefault(); known = null; refresh().catch(() => {}); });
  refresh().catch(() => {});
  return {refresh};
}

function detail(root, id, session) {
  const head = h('div');
  const facts = h('div');
  const events = h('div');
  const activity = h('div');
  const problem = h('div');
  const canOperate = session.canOperate();
  const comment = h('textarea', {id: 'alert-comment', name: 'comment', maxlength: 1000,
    placeholder: 'What you found or did (kept in the activity)'});
  const ack = h('button', {class: 'btn', type: 'button', id: 'ack-button'}, 'Acknowledge');
  const resolve = h('button', {class: 'btn btn-secondary', type: 'button', id: 'resolve-button'}, 'Resolve');
  const addComment = h('button', {class: 'btn btn-secondary', type: 'button', id: 'comment-button'}, 'Add comment');
  const actions = canOperate
    ? h('section', {class: 'panel', 'aria-labelledby': 'act-h'}, h('h2', {id: 'act-h'}, 'Act on this alert'),
        h('div', {class: 'field'}, h('label', {for: 'alert-comment'}, 'Comment'), comment),
        h('div', {class: 'actions'}, ack, resolve, addComment))
    : h('p', {class: 'notice', id: 'read-only-notice'},
        `Signed in as ${session.name} with role ${session.role}: you can read alerts; acknowledging, resolving `
        + 'and commenting need an operator key.');
  root.append(h('p', {class: 'crumb'}, h('a', {href: '#/alerts'}, '← All alerts')), head, problem,
    h('section', {class: 'panel'}, facts), actions,
    h('div', {class: 'cols'},
      h('section', {class: 'panel', 'aria-labelledby': 'ev-h'}, h('h2', {id: 'ev-h'}, 'Events'), events),
      h('section', {class: 'panel', 'aria-labelledby': 'tl-h'}, h('h2', {id: 'tl-h'}, 'Activity'), activity)));

  let state = null;
  async function refresh() {
    let d;
    try {
      d = await api('/alerts/' + encodeURIComponent(id));
    } catch (e) {
      problem.replaceChildren(errorBox(e));
      throw e;
    }
    problem.replaceChildren();
    const a = d.alert;
    if (state !== null && state !== a.state) announce('Alert is now ' + a.state);
    state = a.state;
    head.replaceChildren(h('div', {class: 'page-head'}, h('div', {},
      h('div', {class: 'detail-title'}, severity(a.severity), h('span', {id: 'alert-state'}, badge(a.state))),
      h('h1', {id: 'alert-title'}, a.title),
      a.message ? h('p', {class: 'message'}, a.message) : null)));
    const rows = [
      ['Rule', h('span', {class: 'mono'}, a.rule)], ['Kind', a.kind], ['Count', number(a.count)],
      ['First seen', time(a.first_seen_at)], ['Last seen', time(a.last_seen_at)],
      a.value !== null ? ['Value', number(a.value)] : null,
      ['Escalation level', String(a.escalation_level)],
      a.acknowledged_at ? ['Acknowledged', [time(a.acknowledged_at), ' by ', a.acknowledged_by]] : null,
      a.resolved_at ? ['Resolved', [time(a.resolved_at), ' by ', a.resolved_by]] : null,
      a.resolution ? ['Resolution', a.resolution] : null,
      ['Labels', h('span', {class: 'chips'}, Object.entries(a.labels || {}).map(([k, v]) => h('span', {class: 'chip mono'}, `${k}=${v}`)))],
    ].filter(Boolean);
    facts.replaceChildren(h('dl', {class: 'facts'}, rows.map(([k, v]) => h('div', {class: k === 'Labels' ? 'wide' : null}, h('dt', {}, k), h('dd', {}, v)))));
    ack.disabled = a.state !== 'firing';
    resolve.disabled = a.state === 'resolved';
    events.replaceChildren(d.events.length
      ? table('Events of this alert', [['Time'], ['Severity'], ['Event']], d.events.map(e => h('tr', {},
          h('td', {class: 'nowrap'}, time(e.time)),
          h('td', {}, severity(e.severity)),
          h('td', {}, h('a', {class: 'title-link', href: '#/events/' + encodeURIComponent(e.id)}, e.title || e.type),
            h('div', {class: 'muted mono'}, e.type, e.host ? ' · ' + e.host : '')))), {id: 'alert-events'})
      : empty('No events are linked to this alert (metric and absence rules have none).'));
    activity.replaceChildren(d.activity.length
      ? h('ol', {class: 'timeline', id: 'alert-activity'}, d.activity.map(x => h('li', {'data-action': x.action},
          h('div', {class: 'when'}, h('time', {datetime: x.at}, formatTime(x.at))),
          h('div', {class: 'what'}, x.action, h('span', {class: 'muted'}, ' · ', x.actor)),
          x.comment ? h('div', {}, x.comment) : null)))
      : empty('No activity yet.'));
  }

  async function act(button, path, body, done) {
    button.disabled = true;
    try {
      await api('/alerts/' + encodeURIComponent(id) + path, {method: 'POST', body});
      comment.value = '';
      announce(done);
    } catch (e) {
      problem.replaceChildren(errorBox(e));
    }
    await refresh().catch(() => {});
    if (path === '/comments') button.disabled = false;
  }
  const text = () => comment.value.trim();
  ack.addEventListener('click', () => act(ack, '/acknowledge', text() ? {comment: text()} : {}, 'Alert acknowledged'));
  resolve.addEventListener('click', () => act(resolve, '/resolve', text() ? {comment: text()} : {}, 'Alert resolved'));
  addComment.addEventListener('click', () => {
    if (!text()) {
      problem.replaceChildren(errorBox('Write a comment first.'));
      comment.focus();
      return;
    }
    act(addComment, '/comments', {comment: text()}, 'Comment added');
  });
  refresh().catch(() => {});
  return {refresh};
}
