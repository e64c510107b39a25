// Overview: firing alerts by severity, agents up and silent, events per hour by severity (24 h),
// the noisiest monitors.

import {api} from '../api.js';
import {h, table, severity, time, empty, errorBox, pageHead, number, announce, SEVERITIES} from '../dom.js';
import {hourlyBars, severityLegend, widthOf} from '../chart.js';

export const TITLE = 'Overview';

export function mount(root) {
  const stats = h('div', {class: 'grid', id: 'overview-stats'});
  const chart = h('div', {id: 'overview-chart'});
  const firing = h('div', {id: 'overview-firing'});
  const monitors = h('div', {id: 'overview-monitors'});
  const problem = h('div');
  root.append(
    pageHead('Overview', 'The last 24 hours across every agent'),
    problem,
    stats,
    h('section', {class: 'panel', 'aria-labelledby': 'chart-h'},
      h('h2', {id: 'chart-h'}, 'Events per hour by severity'), chart, severityLegend()),
    h('div', {class: 'cols'},
      h('section', {class: 'panel', 'aria-labelledby': 'firing-h'}, h('h2', {id: 'firing-h'}, 'Firing now'), firing),
      h('section', {class: 'panel', 'aria-labelledby': 'monitors-h'}, h('h2', {id: 'monitors-h'}, 'Top monitors by events'), monitors)));

  let lastFiring = null;

  async function refresh() {
    let summary, hourly;
    try {
      [summary, hourly] = await Promise.all([api('/dashboard?hours=24'), api('/dashboard/events-per-hour?hours=24')]);
      problem.replaceChildren();
    } catch (e) {
      problem.replaceChildren(errorBox(e));
      throw e;
    }
    // empty lists and maps may be left out of the answer
    const fa = Object.assign({firing: 0, acknowledged: 0, by_severity: {}, top: []}, summary.firing_alerts || {});
    fa.top = fa.top || [];
    fa.by_severity = fa.by_severity || {};
    summary.top_monitors = summary.top_monitors || [];
    const ag = summary.agents;
    if (lastFiring !== null && fa.firing > lastFiring) {
      announce((fa.firing - lastFiring) + ' new firing alert' + (fa.firing - lastFiring > 1 ? 's' : ''));
    }
    lastFiring = fa.firing;
    stats.replaceChildren(
      h('section', {class: 'panel stat', 'aria-label': 'Firing alerts', id: 'stat-firing'},
        h('div', {class: 'label'}, 'Firing alerts'),
        h('div', {class: 'value' + (fa.firing ? ' bad' : ' good')}, String(fa.firing)),
        h('div', {class: 'chips'},
          SEVERITIES.filter(sev => sev !== 'info' || fa.by_severity[sev]).map(sev =>
            h('span', {class: 'chip', 'data-severity': sev}, severity(sev), String(fa.by_severity[sev] || 0))),
          h('span', {class: 'chip'}, String(fa.acknowledged), ' acknowledged'))),
      h('section', {class: 'panel stat', 'aria-label': 'Agents', id: 'stat-agents'},
        h('div', {class: 'label'}, 'Agents'),
        h('div', {class: 'value' + (ag.silent ? ' bad' : '')}, `${ag.up} / ${ag.total}`),
        h('div', {class: 'chips'},
          h('span', {class: 'chip'}, h('span', {class: 'badge state-up'}, 'up'), String(ag.up)),
          h('span', {class: 'chip'}, h('span', {class: 'badge state-silent'}, 'silent'), String(ag.silent)),
          ag.never_seen ? h('span', {class: 'chip'}, String(ag.never_seen), ' never seen') : null)),
      h('section', {class: 'panel stat', 'aria-label': 'Events in 24 hours', id: 'stat-events'},
        h('div', {class: 'label'}, 'Events · 24 h'),
        h('div', {class: 'value'}, number(summary.events.total)),
        h('div', {class: 'chips'},
          ['critical', 'high', 'medium'].map(sev =>
            h('span', {class: 'chip'}, severity(sev), number(summary.events.by_severity[sev] || 0))))));

    const total = hourly.hours.reduce((n, x) => n + x.total, 0);
    chart.replaceChildren(hourlyBars(hourly.hours,
      `Events per hour by severity over the last 24 hours: ${total} events`, widthOf(chart)));

    firing.replaceChildren(fa.top.length
      ? table('Firing alerts', [['Severity'], ['Alert'], ['Since', 'opt']], fa.top.map(a => h('tr', {'data-alert-id': a.id},
          h('td', {}, severity(a.severity)),
          h('td', {}, h('a', {class: 'title-link', href: '#/alerts/' + a.id}, a.title),
            h('div', {class: 'muted mono'}, a.rule, a.count > 1 ? ` · ×${a.count}` : '')),
          h('td', {class: 'nowrap opt'}, time(a.first_seen_at)))), {id: 'firing-table'})
      : empty('Nothing is firing.'));

    monitors.replaceChildren(summary.top_monitors.length
      ? table('Top monitors by event count', [['Monitor'], ['Host', 'opt'], ['Highest'], ['Events', 'num']],
          summary.top_monitors.map(m => h('tr', {},
            h('td', {}, h('div', {}, m.monitor || '—'), h('div', {class: 'muted mono'}, m.plugin || '')),
            h('td', {class: 'opt'}, m.host || '—'),
            h('td', {}, severity(m.highest)),
            h('td', {class: 'num'}, number(m.events)))), {id: 'monitors-table'})
      : empty('No events in the last 24 hours.'));
  }

  refresh().catch(() => {});
  return {refresh};
}
