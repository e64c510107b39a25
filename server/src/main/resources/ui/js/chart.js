// Small SVG charts: stacked bars (events per hour) and lines over time (metrics). The SVG scales
// to its container through its viewBox; labels are text nodes.

import {h, s, SEVERITIES, number} from './dom.js';

// drawn at the width of their box, so that text keeps its size on a phone
const PAD = {left: 54, right: 16, top: 14, bottom: 28};

/** The smallest "round" step (1, 2, 2.5 or 5 times a power of ten) for four intervals up to max. */
function niceMax(max, integer) {
  if (max <= 0) return integer ? 4 : 1;
  const raw = max / 4;
  const magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
  let step = 10 * magnitude;
  for (const m of integer ? [1, 2, 5] : [1, 2, 2.5, 5]) {
    if (m * magnitude >= raw) { step = m * magnitude; break; }
  }
  if (integer) step = Math.max(1, Math.ceil(step));
  return step * 4;
}

function yTicks(W, min, max, y) {
  const out = [];
  for (let i = 0; i <= 4; i++) {
    const v = min + (max - min) * i / 4;
    const py = y(v);
    out.push(s('line', {class: 'grid-line', x1: PAD.left, x2: W - PAD.right, y1: py, y2: py}));
    out.push(s('text', {class: 'tick', x: PAD.left - 6, y: py + 4, 'text-anchor': 'end'}, number(Math.round(v * 100) / 100)));
  }
  return out;
}

function hhmm(date) {
  return String(date.getUTCHours()).padStart(2, '0') + ':' + String(date.getUTCMinutes()).padStart(2, '0');
}

function timeLabel(ms, spanMs) {
  const d = new Date(ms);
  if (spanMs > 2 * 86400000) return (d.getUTCMonth() + 1) + '/' + d.getUTCDate() + ' ' + hhmm(d);
  return hhmm(d);
}

/** The width to draw a chart at: its box's, at least 300 pixels. */
export function widthOf(box) {
  return Math.max(300, Math.floor(box.clientWidth || 900));
}

/** Stacked bars of events per hour and severity (hours as the events-per-hour API lists them), W pixels wide. */
export function hourlyBars(hours, label, W) {
  const height = W < 500 ? 200 : 220;
  const innerW = W - PAD.left - PAD.right;
  const innerH = height - PAD.top - PAD.bottom;
  const max = niceMax(Math.max(0, ...hours.map(x => x.total)), true);
  const y = v => PAD.top + innerH - (v / max) * innerH;
  const slot = innerW / Math.max(1, hours.length);
  const barW = Math.max(2, slot * 0.72);
  const svg = s('svg', {class: 'chart', viewBox: `0 0 ${W} ${height}`, role: 'img', 'aria-label': label, id: 'events-per-hour-chart'});
  svg.append(...yTicks(W, 0, max, y));
  hours.forEach((hour, i) => {
    let base = 0;
    const x = PAD.left + i * slot + (slot - barW) / 2;
    for (const sev of [...SEVERITIES].reverse()) {
      const n = hour.by_severity[sev] || 0;
      if (!n) continue;
      const rect = s('rect', {class: 'bar bar-' + sev, x, width: barW, y: y(base + n), height: y(base) - y(base + n), rx: 1.5},
        s('title', {}, `${hhmm(new Date(hour.hour))} UTC: ${n} ${sev}`));
      svg.append(rect);
      base += n;
    }
    if (i % Math.ceil(hours.length / Math.max(3, Math.floor(W / 110))) === 0) {
      svg.append(s('text', {class: 'tick', x: x + barW / 2, y: height - 8, 'text-anchor': 'middle'}, hhmm(new Date(hour.hour))));
    }
  });
  svg.append(s('line', {class: 'axis', x1: PAD.left, x2: W - PAD.right, y1: y(0), y2: y(0)}));
  return svg;
}

export function severityLegend() {
  return h('div', {class: 'legend', 'aria-hidden': 'true'},
    SEVERITIES.map(sev => h('span', {}, h('span', {class: 'key key-' + sev}), sev)));
}

/**
 * Lines of metric series over [since, until]; thresholds as dashed horizontal lines.
 * series: [{label, points: [{time, value}]}]; thresholds: [{value, label}]; W: the width in pixels.
 */
export function lineChart(series, thresholds, since, until, label, W) {
  const height = W < 500 ? 240 : 300;
  const ticks = W < 500 ? 3 : 6;
  const innerW = W - PAD.left - PAD.right;
  const innerH = height - PAD.top - PAD.bottom;
  const t0 = new Date(since).getTime();
  const t1 = new Date(until).getTime();
  const values = series.flatMap(x => x.points.map(p => p.value)).concat(thresholds.map(t => t.value));
  let min = Math.min(0, ...values);
  let max = niceMax(Math.max(...values, 0) * 1.05, false);
  if (min < 0) min = -niceMax(-min * 1.05, false);
  const x = t => PAD.left + ((t - t0) / Math.max(1, t1 - t0)) * innerW;
  const y = v => PAD.top + innerH - ((v - min) / (max - min)) * innerH;
  const svg = s('svg', {class: 'chart', viewBox: `0 0 ${W} ${height}`, role: 'img', 'aria-label': label, id: 'metric-chart'});
  svg.append(...yTicks(W, min, max, y));
  for (let i = 0; i <= ticks; i++) {
    const t = t0 + (t1 - t0) * i / ticks;
    svg.append(s('text', {class: 'tick', x: x(t), y: height - 8, 'text-anchor': i === 0 ? 'start' : i === ticks ? 'end' : 'middle'},
      timeLabel(t, t1 - t0)));
  }
  svg.append(s('line', {class: 'axis', x1: PAD.left, x2: W - PAD.right, y1: y(min), y2: y(min)}));
  series.forEach((one, i) => {
    if (!one.points.length) return;
    const d = one.points.map((p, j) => (j ? 'L' : 'M') + x(new Date(p.time).getTime()).toFixed(1) + ' ' + y(p.value).toFixed(1)).join(' ');
    svg.append(s('path', {class: 'line s' + (i % 6), d, 'data-points': one.points.length}, s('title', {}, one.label)));
    if (one.points.length === 1) {
      const p = one.points[0];
      svg.append(s('circle', {class: 'line s' + (i % 6), cx: x(new Date(p.time).getTime()), cy: y(p.value), r: 3}));
    }
  });
  for (const t of thresholds) {
    const py = y(t.value);
    svg.append(s('line', {class: 'threshold', x1: PAD.left, x2: W - PAD.right, y1: py, y2: py, 'data-threshold': t.value}));
    svg.append(s('text', {class: 'threshold-label', x: W - PAD.right - 4, y: py - 5, 'text-anchor': 'end'}, t.label));
  }
  return svg;
}
