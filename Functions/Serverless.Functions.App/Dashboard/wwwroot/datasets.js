// Dataset versions: one version's profile as a histogram per column (top categories as bars) with the runs and model
// versions that used it, and two versions of a project diffed (schema, rows, per-column statistics with deltas).
'use strict';

(() => {
  const { h, link, runLink, modelLink, projectLink, card, empty, facts, table, time, number, percent, shortHash, chips, badge, get, views } = window.Dashboard;
  const { bars } = window.Charts;

  const versionPath = (project, version) => `/projects/${encodeURIComponent(project)}/datasets/${encodeURIComponent(version)}`;

  // ---- one version's profile --------------------------------------------------------------------------------------
  views.dataset = async function dataset(project, version) {
    const body = await get(versionPath(project, version));
    const profile = body.profile ?? { columns: [] };
    const d = body.dataset ?? {};
    return h('div', null,
      h('h1', null, `Dataset ${project} v${body.version}`),
      h('p', { class: 'sub' }, 'Project ', projectLink(project), ` · added ${time(d.createdAt)}`),
      h('div', { class: 'grid' },
        card('Version', facts([
          ['Source', d.sourcePath ? h('span', { class: 'mono' }, d.sourcePath) : null],
          ['Content hash', shortHash(d.contentHash)],
          ['Rows × columns', `${profile.rows ?? d.rows} × ${profile.columns.length}`],
          ['Label', profile.label],
          ['Classes', profile.classCounts ? Object.entries(profile.classCounts).map(([k, n]) => `${k} ${n}`).join(', ') : null],
        ])),
        card('Used by', usedBy(project, body))),
      card('Columns', h('div', { class: 'small-multiples', id: 'histograms' }, profile.columns.map(columnFigure))));
  };

  function usedBy(project, body) {
    const runs = table([
      { title: 'Run', value: r => runLink(r.id) },
      { title: 'Status', value: r => badge(r.status) },
      { title: 'Trigger', value: r => r.trigger ?? '' },
      { title: 'Started', value: r => time(r.createdAt) },
      { title: 'Model', value: r => r.modelVersion ? `v${r.modelVersion}` : '' },
    ], body.runs ?? [], r => ({ 'data-run': r.id }));
    const versions = table([
      { title: 'Model version', value: v => modelLink(v.model ?? project, v.version) },
      { title: 'Run', value: v => v.runId ? runLink(v.runId) : '' },
      { title: 'Aliases', value: v => chips(v.aliases) },
    ], body.modelVersions ?? []);
    return [h('h3', null, 'Runs'), runs ?? empty('No run trained on it.'), h('h3', null, 'Model versions'), versions ?? empty('No model version registered from it.')];
  }

  // A numeric column's histogram (bins between its edges), or its top categories as bars (the rest summed as "other").
  function columnChart(column, options) {
    if (column.histogram?.counts?.length) {
      const edges = column.histogram.edges;
      return bars(column.histogram.counts.map((count, i) => ({ label: `${number(edges[i])} – ${number(edges[i + 1])}`, value: count })),
        { edges, xLabel: column.name, ...options });
    }
    if (column.topCategories?.length) {
      const items = column.topCategories.slice(0, 12).map(c => ({ label: c.value, value: c.count }));
      const rest = (column.otherCategoriesCount ?? 0) + column.topCategories.slice(12).reduce((sum, c) => sum + c.count, 0);
      if (rest > 0) items.push({ label: 'other', value: rest });
      return bars(items, { xLabel: column.name, ...options });
    }
    return empty('No distribution for this column type.');
  }

  function columnFigure(column) {
    return h('figure', { class: 'chart-figure', 'data-column': column.name },
      columnChart(column),
      h('figcaption', null, h('strong', null, column.name), ` ${column.type}`),
      facts([
        ['missing', `${column.missingCount} (${percent(column.missingShare)})`],
        ['distinct', column.distinctCount],
        column.mean !== undefined && column.mean !== null ? ['min / max', `${number(column.min)} / ${number(column.max)}`] : null,
        column.mean !== undefined && column.mean !== null ? ['mean ± std', `${number(column.mean)} ± ${number(column.standardDeviation)}`] : null,
      ]));
  }

  // ---- choosing two versions to diff (on the project page) ----------------------------------------------------------------
  views.datasetDiffForm = function datasetDiffForm(project, versions) {
    if (versions.length < 2) return null;
    const ordered = [...versions].map(v => v.version).sort((a, b) => a - b);
    const choose = (label, selected) => h('select', { 'aria-label': label, name: label }, ordered.map(v => h('option', { value: v, selected: v === selected }, `v${v}`)));
    const from = choose('from version', ordered[ordered.length - 2]);
    const to = choose('to version', ordered[ordered.length - 1]);
    const form = h('form', { class: 'inline', id: 'dataset-diff' }, h('label', null, 'Diff', from), h('label', null, 'against', to), h('button', { type: 'submit' }, 'Diff versions'));
    form.addEventListener('submit', e => {
      e.preventDefault();
      location.hash = `#/projects/${encodeURIComponent(project)}/datasets/${from.value}/diff/${to.value}`;
    });
    return [h('h3', null, 'Compare two versions'), form];
  };

  // ---- two versions diffed ----------------------------------------------------------------------------------------------
  const statistics = [
    ['count', 'rows'],
    ['missingShare', 'missing share'],
    ['distinctCount', 'distinct values'],
    ['min', 'min'],
    ['max', 'max'],
    ['mean', 'mean'],
    ['standardDeviation', 'standard deviation'],
  ];

  views.datasetDiff = async function datasetDiff(project, fromVersion, toVersion) {
    const [a, b] = await Promise.all([get(versionPath(project, fromVersion)), get(versionPath(project, toVersion))]);
    const before = new Map((a.profile?.columns ?? []).map(c => [c.name, c]));
    const after = new Map((b.profile?.columns ?? []).map(c => [c.name, c]));
    const schema = [
      ...[...after.keys()].filter(n => !before.has(n)).map(n => ({ column: n, change: 'added', detail: after.get(n).type })),
      ...[...before.keys()].filter(n => !after.has(n)).map(n => ({ column: n, change: 'removed', detail: before.get(n).type })),
      ...[...after.keys()].filter(n => before.has(n) && before.get(n).type !== after.get(n).type)
        .map(n => ({ column: n, change: 'type changed', detail: `${before.get(n).type} → ${after.get(n).type}` })),
    ];
    const shared = [...after.keys()].filter(n => before.has(n));
    const rowsA = a.profile?.rows ?? a.dataset?.rows;
    const rowsB = b.profile?.rows ?? b.dataset?.rows;

    return h('div', null,
      h('h1', null, `Dataset ${project}: v${a.version} → v${b.version}`),
      h('p', { class: 'sub' }, 'Project ', projectLink(project), ' · ', link(`#/projects/${encodeURIComponent(project)}/datasets/${a.version}`, `v${a.version}`), ' · ',
        link(`#/projects/${encodeURIComponent(project)}/datasets/${b.version}`, `v${b.version}`)),
      h('div', { class: 'grid' },
        card('Rows', h('table', { id: 'diff-rows' }, h('tbody', null,
          h('tr', null, h('th', null, `v${a.version}`), h('th', null, `v${b.version}`), h('th', null, 'change')),
          h('tr', { 'data-row': 'rows' }, h('td', { class: 'num' }, rowsA), h('td', { class: 'num' }, rowsB), h('td', { class: 'num' }, delta(rowsA, rowsB)))))),
        card('Schema', table([
          { title: 'Column', value: s => s.column },
          { title: 'Change', value: s => h('span', { class: `badge ${s.change === 'removed' ? 'bad' : s.change === 'added' ? 'ok' : 'warn'}` }, s.change) },
          { title: 'Type', value: s => s.detail },
        ], schema, s => ({ 'data-schema-column': s.column, 'data-change': s.change })) ?? empty('Same columns with the same types.'))),
      card('Per-column statistics', h('div', { class: 'scroll' }, h('table', { id: 'diff-columns' },
        h('thead', null, h('tr', null, ['Column', 'Statistic', `v${a.version}`, `v${b.version}`, 'Δ'].map((t, i) => h('th', { class: i > 1 ? 'num' : null }, t)))),
        h('tbody', null, shared.flatMap(name => statisticRows(name, before.get(name), after.get(name))))))),
      card('Distributions', h('div', { class: 'small-multiples', id: 'diff-histograms' }, shared.map(name => h('figure', { class: 'chart-figure', 'data-column': name },
        h('div', { class: 'pair' }, columnChart(before.get(name), { width: 220, height: 150, title: `${name} v${a.version}` }), columnChart(after.get(name), { width: 220, height: 150, title: `${name} v${b.version}` })),
        h('figcaption', null, h('strong', null, name), ` v${a.version} | v${b.version}`))))));
  };

  function statisticRows(name, a, b) {
    return statistics.filter(([key]) => typeof a[key] === 'number' || typeof b[key] === 'number').map(([key, title]) => {
      const changed = a[key] !== b[key];
      return h('tr', { 'data-column': name, 'data-statistic': key, 'data-changed': changed ? 'true' : 'false', class: changed ? 'changed' : null },
        h('td', null, name), h('td', null, title),
        h('td', { class: 'num' }, key === 'missingShare' ? percent(a[key]) : number(a[key])),
        h('td', { class: 'num' }, key === 'missingShare' ? percent(b[key]) : number(b[key])),
        h('td', { class: 'num', 'data-delta': key }, key === 'missingShare' ? percentDelta(a[key], b[key]) : delta(a[key], b[key])));
    });
  }

  const delta = (a, b) => typeof a === 'number' && typeof b === 'number' ? (b === a ? '0' : `${b > a ? '+' : ''}${number(b - a)}`) : '';
  const percentDelta = (a, b) => typeof a === 'number' && typeof b === 'number' ? `${b >= a ? '+' : ''}${((b - a) * 100).toFixed(1)} pp` : '';
})();
