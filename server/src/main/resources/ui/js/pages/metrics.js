// Metrics: pick a metric and a series, a range and an aggregation; the chart draws the series and,
// as dashed lines, the thresholds of the enabled metric alert rules on that metric.

import {api, query} from '../api.js';
import {h, field, select, errorBox, pageHead, empty, table, number} from '../dom.js';
import {lineChart, widthOf} from '../chart.js';

export const TITLE = 'Metrics';

const RANGES = {'1': ['1h', '30s'], '6': ['6h', '3m'], '24': ['24h', '10m'], '168': ['7d', '1h']};
const MAX_LINES = 6;

function labelText(labels) {
  const entries = Object.entries(labels || {});
  return entries.length ? '{' + entries.map(([k, v]) => `${k}=${v}`).join(', ') + '}' : '(no labels)';
}

export function mount(root, target) {
  const name = h('select', {id: 'metric-name', name: 'name'});
  const series = h('select', {id: 'metric-series', name: 'series'});
  const range = select('metric-range', [['1', 'Last hour'], ['6', 'Last 6 hours'], ['24', 'Last 24 hours'],
    ['168', 'Last 7 days']], target.params.get('hours') || '6');
  const agg = select('metric-agg', [['avg', 'Average'], ['max', 'Maximum'], ['min', 'Minimum'], ['last', 'Last'],
    ['p95', '95th percentile']], 'max');
  const form = h('form', {class: 'filters', 'aria-label': 'Choose a metric'},
    field('Metric', name, 'grow'), field('Series', series, 'grow'), field('Range', range), field('Aggregation', agg));
  const chartBox = h('div', {id: 'metric-chart-box'});
  const legend = h('div', {class: 'legend', id: 'metric-legend'});
  const rulesBox = h('div', {id: 'metric-rules'});
  const problem = h('div');
  root.append(pageHead('Metrics', 'Samples shipped by the agents, with the alert thresholds that watch them'),
    h('section', {class: 'panel'}, form), problem,
    h('section', {class: 'panel', 'aria-labelledby': 'mc-h'}, h('h2', {id: 'mc-h'}, 'Chart'), chartBox, legend),
    h('section', {class: 'panel', 'aria-labelledby': 'mr-h'}, h('h2', {id: 'mr-h'}, 'Alert rules on this metric'), rulesBox));

  let seriesList = [];
  let rules = [];

  async function loadNames() {
    const [names, ruleList] = await Promise.all([api('/metrics/names'), api('/rules')]);
    rules = ruleList.rules.filter(r => r.kind === 'metric' && r.enabled && r.definition && r.definition.metric
      && typeof r.definition.metric === 'object');
    names.names = names.names || [];
    name.replaceChildren(...names.names.map(n => h('option', {value: n, selected: n === target.params.get('name')}, n)));
    if (!names.names.length) {
      chartBox.replaceChildren(empty('No metrics yet: no agent has shipped samples.'));
      return false;
    }
    return true;
  }

  async function loadSeries() {
    const list = await api('/metrics/series' + query({name: name.value}));
    seriesList = list.series || [];
    const wanted = target.params.get('series');
    series.replaceChildren(
      h('option', {value: 'all'}, seriesList.length > MAX_LINES ? `First ${MAX_LINES} series` : 'All series'),
      ...seriesList.map(x => h('option', {value: String(x.id), selected: String(x.id) === wanted}, labelText(x.labels))));
    if (!wanted && seriesList.length === 1) series.value = String(seriesList[0].id);
  }

  async function draw() {
    const [hoursLabel, step] = RANGES[range.value];
    const chosen = seriesList.find(x => String(x.id) === series.value);
    const matchers = {};
    for (const [k, v] of Object.entries(chosen ? chosen.labels : {})) matchers['label.' + k] = v;
    let result;
    try {
      result = await api('/metrics/query' + query({name: name.value, hours: range.value, step, agg: agg.value, ...matchers}));
      problem.replaceChildren();
    } catch (e) {
      problem.replaceChildren(errorBox(e));
      throw e;
    }
    result.series = result.series || [];
    const lines = result.series
      .filter(x => !chosen || x.series.id === chosen.id)
      .slice(0, MAX_LINES)
      .map(x => ({label: name.value + labelText(x.series.labels), points: x.points || []}));
    const onMetric = rules.filter(r => r.definition.metric.name === name.value);
    const thresholds = onMetric.filter(r => typeof r.definition.metric.threshold === 'number')
      .map(r => ({value: r.definition.metric.threshold, label: `${r.id} ${r.definition.metric.op || '>='} ${r.definition.metric.threshold}`}));
    const unit = result.series[0] ? result.series[0].series.unit : '';
    const points = lines.reduce((n, x) => n + x.points.length, 0);
    chartBox.replaceChildren(points
      ? lineChart(lines, thresholds, result.since, result.until,
          `${name.value} ${agg.value} per ${step} over the last ${hoursLabel}: ${points} points`
          + (thresholds.length ? `, threshold ${thresholds.map(t => t.value).join(', ')}` : ''), widthOf(chartBox))
      : empty(`No samples of ${name.value} in the last ${hoursLabel}.`));
    legend.replaceChildren(
      ...lines.map((x, i) => h('span', {}, h('span', {class: 'key key-line s' + i}), x.label, unit ? ` (${unit})` : '')),
      ...thresholds.map(t => h('span', {}, h('span', {class: 'key key-threshold'}), 'alert threshold: ', t.label)));
    rulesBox.replaceChildren(onMetric.length
      ? table('Metric rules', [['Rule'], ['Condition'], ['Window', 'opt'], ['Severity']], onMetric.map(r => h('tr', {},
          h('td', {class: 'mono'}, r.id),
          h('td', {}, `${r.definition.metric.aggregate || 'avg'} ${r.definition.metric.op || '>='} ${number(r.definition.metric.threshold)}`),
          h('td', {class: 'opt'}, r.definition.metric.window || '—'),
          h('td', {}, r.definition.severity || '—'))), {id: 'metric-rules-table'})
      : empty('No metric rule watches this metric.'));
  }

  name.addEventListener('change', () => loadSeries().then(draw).catch(() => {}));
  for (const control of [series, range, agg]) control.addEventListener('change', () => draw().catch(() => {}));
  form.addEventListener('submit', (e) => e.preventDefault());
  (async () => {
    try {
      if (await loadNames()) {
        await loadSeries();
        await draw();
      }
    } catch (e) {
      problem.replaceChildren(errorBox(e));
    }
  })();
  return {refresh: () => (seriesList.length ? draw() : Promise.resolve())};
}
