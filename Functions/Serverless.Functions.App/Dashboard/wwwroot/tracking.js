// Experiment tracking views over the run store: the searchable runs table (filters, metric columns sorted by the
// API's orderBy, paging by continuation token, selection), runs compared side by side with a metric over time, and
// a run's candidates plotted against each swept hyperparameter.
'use strict';

(() => {
  const { h, link, runLink, projectLink, card, empty, table, time, number, shortHash, chips, badge, get, settle, section, views } = window.Dashboard;
  const { scatter } = window.Charts;

  const runStatuses = ['Running', 'Queued', 'AwaitingApproval', 'Promoted', 'Registered', 'Rejected', 'ApprovalRejected', 'ApprovalTimedOut', 'Failed', 'Terminated'];
  const runTriggers = ['upload', 'manual', 'schedule', 'drift', 'degradation', 'rerun'];
  const filterNames = ['project', 'status', 'trigger', 'tag'];
  const pageSize = 25;

  const unique = values => [...new Set(values)];
  const hashOf = (path, params) => `#/${path}${params.size ? `?${params}` : ''}`;

  // ---- runs table -----------------------------------------------------------------------------------------------
  // The hash carries the search (filters, orderBy, top, continuationToken), so a view can be linked and reloaded.
  views.runs = async function runs(query) {
    const params = new URLSearchParams();
    for (const name of [...filterNames, 'orderBy', 'top', 'continuationToken']) {
      if (query.get(name)) params.set(name, query.get(name));
    }
    if (!params.has('top')) params.set('top', String(pageSize));
    const [list, projects] = await Promise.all([settle(get(`/runs?${params}`)), settle(get('/projects'))]);

    const go = changes => {
      const next = new URLSearchParams(query);
      next.delete('continuationToken');
      next.delete('back');
      for (const [name, value] of Object.entries(changes)) {
        if (value) next.set(name, value); else next.delete(name);
      }
      location.hash = hashOf('runs', next);
    };
    const select = (name, label, options, placeholder) => {
      const element = h('select', { name, 'aria-label': label }, h('option', { value: '' }, placeholder),
        options.map(o => h('option', { value: o, selected: o === (query.get(name) ?? '') }, o)));
      element.addEventListener('change', () => go({ [name]: element.value }));
      return element;
    };
    const tag = h('input', { name: 'tag', 'aria-label': 'tag', placeholder: 'tag key:value', size: 16, value: query.get('tag') ?? '' });
    tag.addEventListener('change', () => go({ tag: tag.value.trim() }));

    const selected = new Set();
    const compare = h('button', { type: 'button', class: 'primary', id: 'compare-selected', disabled: true,
      onclick: () => { location.hash = hashOf('compare', new URLSearchParams({ ids: [...selected].join(',') })); } }, 'Compare selected');
    const onSelect = (id, checked) => {
      if (checked) selected.add(id); else selected.delete(id);
      compare.disabled = selected.size < 2;
      compare.textContent = `Compare selected${selected.size ? ` (${selected.size})` : ''}`;
    };

    return h('div', null,
      h('h1', null, 'Training runs'),
      h('p', { class: 'sub' }, 'From the run store, newest first unless a metric column is sorted. Tick runs to compare them.'),
      card(null,
        h('form', { class: 'inline', id: 'run-filters', onsubmit: e => { e.preventDefault(); go({ tag: tag.value.trim() }); } },
          select('project', 'project', (projects.value?.projects ?? []).map(p => p.name), 'all projects'),
          select('status', 'status', runStatuses, 'any status'),
          select('trigger', 'trigger', runTriggers, 'any trigger'),
          tag,
          filterNames.some(n => query.get(n)) ? link('#/runs', 'clear filters') : null,
          h('span', { class: 'spacer' }),
          compare),
        h('br'),
        section(list, body => [
          searchTable(body.runs ?? [], query.get('orderBy') ?? '', orderBy => go({ orderBy }), onSelect) ?? empty('No runs match.'),
          pager(query, body.continuationToken),
        ])));
  };

  // Continuation tokens only go forward, so the hash keeps the tokens of the pages before this one ('back', each
  // URI-encoded, comma-separated; the first page's is empty) and "previous page" pops the last of them.
  function pager(query, token) {
    const back = query.get('back') === null ? [] : query.get('back').split(',').map(decodeURIComponent);
    const page = (continuation, earlier) => {
      const params = new URLSearchParams(query);
      if (continuation) params.set('continuationToken', continuation); else params.delete('continuationToken');
      if (earlier.length) params.set('back', earlier.map(encodeURIComponent).join(',')); else params.delete('back');
      return hashOf('runs', params);
    };
    const current = query.get('continuationToken') ?? '';
    return h('div', { class: 'actions pager' },
      current ? link(page('', []), '« first page', { id: 'first-page' }) : null,
      back.length ? link(page(back.at(-1), back.slice(0, -1)), '‹ previous page', { id: 'previous-page' }) : null,
      token ? link(page(token, [...back, current]), 'next page »', { id: 'next-page' }) : h('span', { class: 'muted' }, 'last page'));
  }

  // Metric columns come from the listed runs' metrics; a header click asks the API to order by it (desc, then asc).
  function searchTable(list, orderBy, sort, onSelect) {
    const [, sortedMetric, direction] = orderBy.split(':');
    const metrics = unique(list.flatMap(r => Object.keys(r.metrics ?? {}))).sort();
    const header = metric => {
      const current = metric === sortedMetric;
      const nextDirection = current && direction !== 'asc' ? 'asc' : 'desc';
      return h('button', { type: 'button', class: 'sort', 'data-sort': metric, 'aria-sort': current ? (direction === 'asc' ? 'ascending' : 'descending') : null,
        title: `order by ${metric} (${nextDirection})`, onclick: () => sort(`metric:${metric}:${nextDirection}`) },
        metric, current ? (direction === 'asc' ? ' ▲' : ' ▼') : '');
    };
    return table([
      { title: '', value: r => h('input', { type: 'checkbox', 'aria-label': `select ${r.id}`, 'data-select': r.id, onchange: e => onSelect(r.id, e.currentTarget.checked) }) },
      { title: 'Run', value: r => runLink(r.id) },
      { title: 'Project', value: r => r.project ? projectLink(r.project) : '' },
      { title: 'Status', value: r => badge(r.status) },
      { title: 'Trigger', value: r => r.trigger ? h('span', { title: r.reason ?? '' }, r.trigger) : '' },
      { title: 'Dataset', value: r => r.datasetVersion && r.project ? link(`#/projects/${encodeURIComponent(r.project)}/datasets/${r.datasetVersion}`, `v${r.datasetVersion}`) : '' },
      ...metrics.map(m => ({ title: header(m), value: r => h('span', { 'data-metric': m }, number(r.metrics?.[m])), num: true })),
      { title: 'Tags', value: r => chips(Object.entries(r.tags ?? {}).map(([k, v]) => `${k}:${v}`)) },
      { title: 'Started', value: r => time(r.createdAt) },
      { title: 'Model', value: r => r.modelVersion ? `v${r.modelVersion}` : '' },
    ], list, r => ({ 'data-run': r.id }));
  }

  // ---- compare ----------------------------------------------------------------------------------------------------
  views.compare = async function compare(query) {
    const ids = (query.get('ids') ?? '').split(',').filter(Boolean);
    if (ids.length < 2) return card('Compare runs', empty('Select at least two runs in the runs table.'));
    const body = await get(`/runs/compare?ids=${ids.map(encodeURIComponent).join(',')}`);
    const runs = body.runs ?? [];
    const testMetrics = unique(runs.flatMap(r => Object.keys(r.testMetrics ?? {}))).sort();
    const validationMetrics = unique(runs.flatMap(r => Object.keys(r.best?.metrics ?? {}))).sort();
    const parameters = unique(runs.flatMap(r => Object.keys(r.best?.parameters ?? {}))).sort();
    const perRun = (title, value, attrs) => ({ title, value, attrs });
    const rows = [
      perRun('Project', r => r.project ? projectLink(r.project) : ''),
      perRun('Outcome', r => badge(r.status), { 'data-row': 'outcome' }),
      perRun('Started', r => time(r.createdAt)),
      perRun('Dataset version', r => r.datasetVersion && r.project ? link(`#/projects/${encodeURIComponent(r.project)}/datasets/${r.datasetVersion}`, `v${r.datasetVersion}`) : '', { 'data-row': 'dataset' }),
      perRun('Dataset hash', r => shortHash(r.datasetHash)),
      perRun('Spec hash', r => shortHash(r.specHash)),
      perRun('Model version', r => r.modelVersion ? `v${r.modelVersion}` : ''),
      perRun('Rerun of', r => r.rerunOf ? runLink(r.rerunOf) : ''),
      perRun('Best trainer', r => r.best ? `${r.best.trainer} (#${r.best.index})` : ''),
      ...parameters.map(p => perRun(`param ${p}`, r => number(r.best?.parameters?.[p]), { 'data-parameter': p })),
      ...validationMetrics.map(m => perRun(`validation ${m}`, r => number(r.best?.metrics?.[m]), { 'data-validation-metric': m })),
      ...testMetrics.map(m => perRun(`test ${m}`, r => number(r.testMetrics?.[m]), { 'data-test-metric': m })),
      perRun('Tags', r => chips(Object.entries(r.tags ?? {}).map(([k, v]) => `${k}:${v}`))),
    ];
    const side = h('div', { class: 'scroll' }, h('table', { id: 'comparison' },
      h('thead', null, h('tr', null, h('th', null, ''), runs.map(r => h('th', { 'data-run': r.id }, runLink(r.id))))),
      h('tbody', null, rows.map(row => h('tr', row.attrs, h('th', null, row.title), runs.map(r => h('td', { 'data-run': r.id }, row.value(r))))))));
    const differences = table([
      { title: 'Spec field', value: d => h('span', { class: 'mono' }, d.path) },
      ...runs.map((r, i) => ({ title: r.id, value: d => h('span', { class: 'mono' }, d.values?.[i] ?? '—') })),
    ], body.specDifferences ?? [], d => ({ 'data-spec-path': d.path })) ?? empty('The runs used the same spec.');

    return h('div', null,
      h('h1', null, `Compare ${runs.length} runs`),
      h('p', { class: 'sub' }, link('#/runs', '« runs')),
      card('Side by side', side),
      card('Spec differences', differences),
      card('Metric over time', metricOverTime(runs, testMetrics.length ? testMetrics : validationMetrics, testMetrics.length > 0)));
  };

  // One point per run at its start time; a select picks the metric.
  function metricOverTime(runs, metrics, test) {
    if (!metrics.length) return empty('The runs have no metrics yet.');
    const holder = h('div', { id: 'compare-chart' });
    const value = (r, m) => test ? r.testMetrics?.[m] : r.best?.metrics?.[m];
    const draw = metric => holder.replaceChildren(scatter(runs.map(r => ({
      x: new Date(r.createdAt).getTime(), y: value(r, metric), label: `${r.id}: ${number(value(r, metric))}`, attrs: { 'data-run': r.id },
    })), { xLabel: 'run start', yLabel: `${test ? 'test' : 'validation'} ${metric}`, time: true, line: true, width: 560, height: 260 }));
    const choice = h('select', { 'aria-label': 'metric', name: 'metric' }, metrics.map(m => h('option', { value: m }, m)));
    choice.addEventListener('change', () => draw(choice.value));
    draw(metrics[0]);
    return [h('label', null, 'Metric', choice), holder];
  }

  // ---- a run's candidates against each swept hyperparameter ------------------------------------------------------------
  // A hyperparameter is swept when the candidates (of any trainer) tried more than one value of it.
  views.candidateCharts = function candidateCharts(run) {
    const candidates = (run.candidates ?? []).filter(c => !c.error && c.metrics);
    if (candidates.length < 2) return null;
    const metrics = unique(candidates.flatMap(c => Object.keys(c.metrics))).sort();
    const swept = unique(candidates.flatMap(c => Object.keys(c.parameters ?? {})))
      .filter(p => unique(candidates.filter(c => c.parameters?.[p] !== undefined).map(c => JSON.stringify(c.parameters[p]))).length > 1)
      .sort();
    if (!swept.length) return card('Candidates by hyperparameter', empty('No hyperparameter was swept.'));
    const holder = h('div', { class: 'small-multiples', id: 'candidate-charts' });
    const draw = metric => holder.replaceChildren(...swept.map(parameter => {
      const having = candidates.filter(c => c.parameters?.[parameter] !== undefined);
      const numeric = having.every(c => typeof c.parameters[parameter] === 'number');
      const values = having.map(c => c.parameters[parameter]);
      const spread = numeric ? Math.max(...values) / Math.min(...values) : 0;
      return h('figure', { 'data-parameter': parameter, class: 'chart-figure' },
        scatter(having.map(c => ({
          x: numeric ? c.parameters[parameter] : String(c.parameters[parameter]), y: c.metrics[metric],
          label: `#${c.index} ${c.trainer}: ${parameter} ${number(c.parameters[parameter])}, ${metric} ${number(c.metrics[metric])}`,
          attrs: { 'data-candidate-index': c.index },
        })), { xLabel: parameter, yLabel: metric, categories: numeric ? null : unique(values.map(String)), log: numeric && values.every(v => v > 0) && spread >= 50, width: 300, height: 200 }),
        h('figcaption', null, `${parameter} (${having.length} candidates)`));
    }));
    const preferred = run.evaluation?.metric && metrics.includes(run.evaluation.metric) ? run.evaluation.metric : metrics[0];
    const choice = h('select', { 'aria-label': 'candidate metric', name: 'candidate-metric' }, metrics.map(m => h('option', { value: m, selected: m === preferred }, m)));
    choice.addEventListener('change', () => draw(choice.value));
    draw(preferred);
    return card('Candidates by hyperparameter', h('p', { class: 'muted' }, 'Validation metric of each candidate against each hyperparameter the search varied.'),
      h('label', null, 'Metric', choice), holder);
  };

})();
