// Agents: each host with its version, plugins, last heartbeat, spool depth and up / silent.

import {api} from '../api.js';
import {h, table, badge, time, empty, errorBox, pageHead, duration, bytes, number, announce} from '../dom.js';

export const TITLE = 'Agents';

export function mount(root) {
  const results = h('div', {id: 'agent-results'});
  const summary = h('p');
  root.append(pageHead('Agents', 'Every registered agent and what it last reported', summary),
    h('section', {class: 'panel'}, results));
  let silentBefore = null;

  async function refresh() {
    let list;
    try {
      list = await api('/agents');
    } catch (e) {
      results.replaceChildren(errorBox(e));
      throw e;
    }
    const silent = list.agents.filter(a => a.status === 'silent').map(a => a.name);
    if (silentBefore !== null) {
      for (const name of silent) if (!silentBefore.includes(name)) announce('Agent ' + name + ' went silent');
    }
    silentBefore = silent;
    const up = list.agents.filter(a => a.status === 'up').length;
    summary.replaceChildren(h('span', {class: 'muted'},
      `${up} of ${list.agents.length} up · silent after ${duration(list.silence_threshold_seconds)} without contact`));
    results.replaceChildren(list.agents.length
      ? table('Agents', [['Agent'], ['Status'], ['Version', 'opt'], ['Plugins', 'opt'], ['Last heartbeat'],
          ['Spool', 'num opt']],
          list.agents.map(a => h('tr', {'data-agent': a.name},
            h('td', {}, h('div', {class: 'title-link'}, a.name), h('div', {class: 'muted'}, a.host || 'host not reported')),
            h('td', {}, badge(a.status), a.silent_since ? h('div', {class: 'muted'}, 'since ', time(a.silent_since)) : null),
            h('td', {class: 'opt'}, a.version || '—', a.spi_version ? h('div', {class: 'muted'}, 'SPI ' + a.spi_version) : null),
            h('td', {class: 'opt'}, h('div', {class: 'chips'},
              Object.entries(a.plugins || {}).map(([id, v]) => h('span', {class: 'chip mono'}, `${id} ${v}`))),
              a.monitors !== null ? h('div', {class: 'muted'}, number(a.monitors) + ' monitors') : null),
            h('td', {class: 'nowrap', 'data-heartbeat-age': a.heartbeat_age_seconds},
              a.last_heartbeat_at ? time(a.last_heartbeat_at) : h('span', {class: 'muted'}, 'never')),
            h('td', {class: 'num opt'}, a.spool_items === null ? '—' : number(a.spool_items) + ' items',
              h('div', {class: 'muted'}, bytes(a.spool_bytes))))), {id: 'agents-table'})
      : empty('No agents registered. An admin creates one with POST /api/v1/agents.'));
  }
  refresh().catch(() => {});
  return {refresh};
}
