// Silences: the list, and for operators a form to create one and a button to expire one.

import {api, query} from '../api.js';
import {h, field, select, table, badge, time, empty, errorBox, pageHead, announce} from '../dom.js';

export const TITLE = 'Silences';

export function mount(root, target, session) {
  const results = h('div', {id: 'silence-results'});
  const problem = h('div');
  const show = select('silence-state', [['', 'All'], ['active', 'Active'], ['pending', 'Pending'], ['expired', 'Expired']], '');
  show.addEventListener('change', () => refresh().catch(() => {}));
  const parts = [pageHead('Silences', 'Mute notifications of alerts whose labels match, for a while'), problem];
  if (session.canOperate()) parts.push(createForm());
  parts.push(h('section', {class: 'panel', 'aria-labelledby': 'sl-h'},
    h('div', {class: 'page-head'}, h('h2', {id: 'sl-h'}, 'Silences'), field('Show', show)), results));
  root.append(...parts);

  function createForm() {
    const matchers = h('textarea', {id: 'silence-matchers', name: 'matchers', required: true,
      placeholder: 'one per line, e.g.\nalertname=docker-container-died\nhost=web-1', 'aria-describedby': 'matchers-help'});
    const length = select('silence-duration', [['30m', '30 minutes'], ['1h', '1 hour'], ['2h', '2 hours'],
      ['4h', '4 hours'], ['12h', '12 hours'], ['1d', '1 day']], '2h');
    const comment = h('input', {id: 'silence-comment', name: 'comment', type: 'text', placeholder: 'Why'});
    const form = h('form', {class: 'filters', 'aria-label': 'New silence'},
      field('Matchers', matchers, 'grow'), field('For', length), field('Comment', comment, 'grow'),
      h('button', {class: 'btn', type: 'submit', id: 'silence-create'}, 'Create silence'));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      try {
        await api('/silences', {method: 'POST', body: {
          matchers: matchers.value.split('\n').map(x => x.trim()).filter(Boolean),
          duration: length.value, comment: comment.value.trim()}});
        matchers.value = '';
        comment.value = '';
        problem.replaceChildren();
        announce('Silence created');
        await refresh();
      } catch (err) {
        problem.replaceChildren(errorBox(err));
      }
    });
    return h('section', {class: 'panel', 'aria-labelledby': 'ns-h'}, h('h2', {id: 'ns-h'}, 'New silence'), form,
      h('p', {class: 'muted', id: 'matchers-help'}, 'Label matchers, all of which must hold: label=value, label!=value, severity>=high.'));
  }

  async function expire(id) {
    try {
      await api('/silences/' + id, {method: 'DELETE'});
      announce('Silence expired');
    } catch (e) {
      problem.replaceChildren(errorBox(e));
    }
    await refresh().catch(() => {});
  }

  async function refresh() {
    let list;
    try {
      list = await api('/silences' + query({state: show.value}));
      list.silences = list.silences || [];
    } catch (e) {
      results.replaceChildren(errorBox(e));
      throw e;
    }
    const headers = [['State'], ['Matchers'], ['Ends'], ['Comment', 'opt'], ['Created by', 'opt']];
    if (session.canOperate()) headers.push([h('span', {class: 'sr-only'}, 'Actions')]);
    results.replaceChildren(list.silences.length
      ? table('Silences', headers, list.silences.map(x => h('tr', {'data-silence-id': x.id},
          h('td', {}, badge(x.state)),
          h('td', {}, h('div', {class: 'chips'}, x.matchers.map(m => h('code', {class: 'chip'}, m)))),
          h('td', {class: 'nowrap'}, time(x.ends_at)),
          h('td', {class: 'opt'}, x.comment || '—'),
          h('td', {class: 'opt'}, x.created_by),
          session.canOperate() ? h('td', {}, x.state === 'expired' ? null
            : h('button', {class: 'btn btn-danger', type: 'button', onclick: () => expire(x.id),
                'aria-label': 'Expire silence ' + x.matchers.join(', ')}, 'Expire')) : null)), {id: 'silences-table'})
      : empty('No silences.'));
  }
  refresh().catch(() => {});
  return {refresh};
}
