// Small SVG charts drawn by the page itself (no library, no CDN): scatter (optionally joined as a line, numeric,
// time or category x axis) and bars (histograms and category counts). Every label is set as text, never as markup.
'use strict';

window.Charts = (() => {
  const ns = 'http://www.w3.org/2000/svg';
  const margin = { top: 12, right: 14, bottom: 38, left: 56 };

  function s(tag, attrs, ...children) {
    const element = document.createElementNS(ns, tag);
    for (const [name, value] of Object.entries(attrs ?? {})) {
      if (value !== null && value !== undefined) element.setAttribute(name, String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined) continue;
      element.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return element;
  }

  const tick = x => {
    if (!Number.isFinite(x)) return '';
    const a = Math.abs(x);
    return a !== 0 && (a >= 1e5 || a < 1e-3) ? x.toExponential(1) : Number.isInteger(x) ? String(x) : x.toPrecision(3).replace(/\.?0+$/, '');
  };

  // A linear (or log) scale of [min, max] onto [from, to]; a single value sits in the middle.
  function scale(values, from, to, log) {
    const v = log ? values.map(Math.log10) : values;
    let min = Math.min(...v);
    let max = Math.max(...v);
    if (!(max > min)) { min -= 0.5; max += 0.5; }
    const pad = (max - min) * 0.06;
    min -= pad; max += pad;
    const map = x => from + ((log ? Math.log10(x) : x) - min) / (max - min) * (to - from);
    map.ticks = Array.from({ length: 5 }, (_, i) => min + pad + (max - min - 2 * pad) * i / 4).map(t => log ? 10 ** t : t);
    return map;
  }

  function frame(width, height, title) {
    return s('svg', { xmlns: ns, viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', class: 'chart', 'aria-label': title },
      s('title', null, title), s('rect', { x: 0, y: 0, width, height, class: 'chart-bg' }));
  }

  function axes(svg, width, height, xLabel, yLabel) {
    const bottom = height - margin.bottom;
    svg.append(
      s('line', { x1: margin.left, y1: bottom, x2: width - margin.right, y2: bottom, class: 'axis' }),
      s('line', { x1: margin.left, y1: margin.top, x2: margin.left, y2: bottom, class: 'axis' }),
      s('text', { x: (margin.left + width - margin.right) / 2, y: height - 4, class: 'axis-label', 'text-anchor': 'middle' }, xLabel ?? ''),
      s('text', { x: 12, y: (margin.top + bottom) / 2, class: 'axis-label', 'text-anchor': 'middle', transform: `rotate(-90 12 ${(margin.top + bottom) / 2})` }, yLabel ?? ''));
  }

  function yTicks(svg, y, width) {
    for (const t of y.ticks) {
      svg.append(s('line', { x1: margin.left, x2: width - margin.right, y1: y(t), y2: y(t), class: 'grid-line' }),
        s('text', { x: margin.left - 4, y: y(t) + 3, class: 'tick', 'text-anchor': 'end' }, tick(t)));
    }
  }

  /**
   * Points {x, y, label, attrs}; x is a number, a Date (options.time) or a category string (options.categories).
   * options: xLabel, yLabel, line (join in x order), log (log x axis), width, height.
   */
  function scatter(points, options = {}) {
    const width = options.width ?? 320;
    const height = options.height ?? 220;
    const svg = frame(width, height, options.title ?? `${options.yLabel ?? 'y'} by ${options.xLabel ?? 'x'}`);
    axes(svg, width, height, options.xLabel, options.yLabel);
    const shown = points.filter(p => Number.isFinite(p.y) && (options.categories || Number.isFinite(+p.x)));
    if (!shown.length) return svg;
    const right = width - margin.right;
    const bottom = height - margin.bottom;
    const y = scale(shown.map(p => p.y), bottom, margin.top);
    let x;
    if (options.categories) {
      const step = (right - margin.left) / options.categories.length;
      x = c => margin.left + step * (options.categories.indexOf(c) + 0.5);
      options.categories.forEach(c => svg.append(s('text', { x: x(c), y: bottom + 14, class: 'tick', 'text-anchor': 'middle' }, String(c).slice(0, 14))));
    } else {
      const log = options.log && shown.every(p => +p.x > 0);
      x = scale(shown.map(p => +p.x), margin.left, right, log);
      x.ticks.filter((_, i) => i % 2 === 0).forEach(t => svg.append(s('text', { x: x(t), y: bottom + 14, class: 'tick', 'text-anchor': 'middle' },
        options.time ? new Date(t).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' }) : tick(t))));
    }
    yTicks(svg, y, width);
    if (options.line && shown.length > 1) {
      const ordered = [...shown].sort((a, b) => +a.x - +b.x);
      svg.append(s('polyline', { points: ordered.map(p => `${x(options.categories ? p.x : +p.x)},${y(p.y)}`).join(' '), class: 'series' }));
    }
    for (const p of shown) {
      svg.append(s('circle', { cx: x(options.categories ? p.x : +p.x), cy: y(p.y), r: 5, class: 'point', ...p.attrs },
        s('title', null, p.label ?? `${p.x}: ${tick(p.y)}`)));
    }
    return svg;
  }

  /**
   * Bars {label, value, attrs}: a histogram when options.edges (one more than bars) labels the bin edges, else
   * one labelled bar per category. options: xLabel, yLabel, width, height.
   */
  function bars(items, options = {}) {
    const width = options.width ?? 320;
    const height = options.height ?? 200;
    const svg = frame(width, height, options.title ?? options.xLabel ?? 'bars');
    axes(svg, width, height, options.xLabel, options.yLabel ?? 'rows');
    if (!items.length) return svg;
    const right = width - margin.right;
    const bottom = height - margin.bottom;
    const y = scale([0, ...items.map(b => b.value)], bottom, margin.top);
    const zero = y(0);
    const step = (right - margin.left) / items.length;
    const gap = options.edges ? 1 : Math.min(6, step * 0.2);
    yTicks(svg, y, width);
    items.forEach((b, i) => {
      const top = y(b.value);
      svg.append(s('rect', { x: margin.left + i * step + gap / 2, y: Math.min(top, zero), width: Math.max(1, step - gap), height: Math.max(b.value > 0 ? 1 : 0, Math.abs(zero - top)), class: 'bar-mark', ...b.attrs },
        s('title', null, `${b.label}: ${tick(b.value)}`)));
    });
    if (options.edges) {
      const first = options.edges[0];
      const last = options.edges[options.edges.length - 1];
      svg.append(s('text', { x: margin.left, y: bottom + 14, class: 'tick', 'text-anchor': 'start' }, tick(first)),
        s('text', { x: right, y: bottom + 14, class: 'tick', 'text-anchor': 'end' }, tick(last)));
    } else {
      items.forEach((b, i) => svg.append(s('text', { x: margin.left + (i + 0.5) * step, y: bottom + 14, class: 'tick', 'text-anchor': 'middle' }, String(b.label).slice(0, Math.max(3, Math.floor(step / 7))))));
    }
    return svg;
  }

  return { scatter, bars };
})();
