// The operators' dashboard: projects, runs, models, lineage, metrics and drift, read from the public JSON API
// with the caller's function key (x-functions-key). Admin keys also approve runs and move aliases.
'use strict';

(() => {
  const meta = name => document.querySelector(`meta[name="${name}"]`)?.content ?? '';
  const apiBase = meta('dashboard-api');
  const isAdmin = meta('dashboard-access') === 'admin';
  const keyName = meta('dashboard-key-name');
  const keyStorage = 'serverless-mlops.functions-key';

  // The key arrives once as ?code= (the page itself needs it); it stays in this tab's session storage only.
  const key = (() => {
    const code = new URLSearchParams(location.search).get('code');
    if (code) {
      sessionStorage.setItem(keyStorage, code);
      return code;
    }
    return sessionStorage.getItem(keyStorage) ?? '';
  })();

  // ---- DOM ----------------------------------------------------------------------------------------------------
  function h(tag, props, ...children) {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(props ?? {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
      else if (name === 'class') element.className = value;
      else element.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      element.append(child instanceof Node ? child : String(child));
    }
    return element;
  }

  const link = (href, text, props) => h('a', { href, ...props }, text);
  const runLink = id => link(`#/runs/${encodeURIComponent(id)}`, id, { class: 'mono' });
  const modelLink = (name, version) => link(`#/models/${encodeURIComponent(name)}`, version ? `${name} v${version}` : name);
  const projectLink = name => link(`#/projects/${encodeURIComponent(name)}`, name);
  const card = (title, ...content) => h('section', { class: 'card' }, title ? h('h2', null, title) : null, ...content);
  const empty = text => h('p', { class: 'muted' }, text);
  const facts = pairs => h('dl', { class: 'facts' }, pairs.filter(p => p && p[1] !== undefined && p[1] !== null && p[1] !== '').map(([k, v]) => [h('dt', null, k), h('dd', null, v)]));

  function table(columns, rows, rowProps) {
    if (!rows.length) return null;
    return h('div', { class: 'scroll' }, h('table', null,
      h('thead', null, h('tr', null, columns.map(c => h('th', { class: c.num ? 'num' : null }, c.title)))),
      h('tbody', null, rows.map(row => h('tr', rowProps ? rowProps(row) : null,
        columns.map(c => h('td', { class: c.num ? 'num' : null }, c.value(row))))))));
  }

  // ---- formatting ---------------------------------------------------------------------------------------------
  const time = iso => {
    if (!iso) return '';
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? String(iso) : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
  };
  const seconds = s => s === null || s === undefined ? '' : s < 1 ? `${Math.round(s * 1000)} ms` : s < 120 ? `${s.toFixed(1)} s` : `${(s / 60).toFixed(1)} min`;
  const between = (from, to) => from && to ? seconds((new Date(to) - new Date(from)) / 1000) : '';
  const number = x => typeof x !== 'number' ? (x ?? '') : Number.isInteger(x) ? String(x) : Math.abs(x) >= 1000 ? x.toFixed(1) : x.toPrecision(4);
  const percent = x => typeof x === 'number' ? `${(x * 100).toFixed(1)} %` : '';
  const shortHash = hash => hash ? h('span', { class: 'mono', title: hash }, hash.slice(0, 12)) : '';
  const chips = names => (names ?? []).map(n => h('span', { class: 'chip' }, n));

  const statusTone = {
    Promoted: 'ok', Completed: 'ok', Succeeded: 'ok', noDrift: 'ok', Healthy: 'ok', NoDrift: 'ok', Ok: 'ok', passed: 'ok',
    Running: 'info', Pending: 'info', Queued: 'info', Registered: 'info',
    AwaitingApproval: 'warn', insufficientData: 'warn', InsufficientData: 'warn', Suspended: 'warn', Skipped: 'warn',
    Failed: 'bad', Rejected: 'bad', drift_detected: 'bad', performance_degraded: 'bad', ApprovalRejected: 'bad', ApprovalTimedOut: 'bad', Terminated: 'bad', drift: 'bad', Drift: 'bad', Degraded: 'bad', failed: 'bad',
  };
  const badge = status => h('span', { class: `badge ${statusTone[status] ?? ''}`, 'data-status': status }, status ?? 'unknown');
  const passBadge = passed => badge(passed ? 'passed' : 'failed');

  // ---- API ----------------------------------------------------------------------------------------------------
  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  async function call(method, path, body) {
    const headers = { 'x-functions-key': key, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const url = apiBase + path;
    let response;
    try {
      response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
    } catch (e) {
      throw new ApiError(0, `${method} ${url}: the API did not answer (${e.message}).`);
    }
    const text = await response.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { json = null; }
    if (!response.ok) {
      const detail = json?.error ?? (text || response.statusText);
      const errors = Array.isArray(json?.errors) ? ` ${json.errors.join('; ')}` : '';
      throw new ApiError(response.status, `${method} ${url} answered ${response.status}: ${detail}${errors}`);
    }
    return json;
  }

  const get = path => call('GET', path);
  const settle = promise => promise.then(value => ({ value }), error => ({ error }));

  function errorBox(error) {
    const status = error instanceof ApiError ? error.status : null;
    const hint = status === 401 ? ' Open the dashboard with ?code=<function key>.' : status === 403 ? ' This key may not see it.' : '';
    return h('div', { class: 'error', 'data-error': status ?? 'script' },
      h('span', { class: 'status' }, status ? `Error ${status}. ` : 'Error. '), error.message ?? String(error), hint);
  }

  // Either the section or the API error that kept it from loading.
  const section = (result, render) => result.error ? errorBox(result.error) : render(result.value);

  const banner = document.getElementById('banner');
  function announce(kind, message) {
    banner.className = kind;
    banner.textContent = message;
    banner.hidden = false;
  }
  const clearBanner = () => { banner.hidden = true; banner.textContent = ''; };

  // Runs an admin action; shows its outcome and redraws the view on success.
  async function act(button, action, success) {
    button.disabled = true;
    clearBanner();
    try {
      const result = await action();
      announce('success', typeof success === 'function' ? success(result) : success);
      await render();
    } catch (e) {
      announce('error', e.message);
      button.disabled = false;
    }
  }

  // ---- views: overview ------------------------------------------------------------------------------------------
  const latestPerProject = runs => {
    const latest = new Map();
    for (const run of runs) {
      const project = run.project ?? run.report?.project;
      if (project && (!latest.has(project) || latest.get(project).createdAt < run.createdAt)) latest.set(project, run);
    }
    return latest;
  };

  async function overview() {
    const [projects, models, runs] = await Promise.all([settle(get('/projects')), settle(get('/models')), settle(get('/runs'))]);
    const modelByName = new Map((models.value?.models ?? []).map(m => [m.name, m]));
    const runList = runs.value?.runs ?? [];
    const latest = latestPerProject(runList);
    // The list leaves the run reports out: read the waiting runs' details for their candidate and version.
    const waiting = await Promise.all(runList.filter(r => r.status === 'AwaitingApproval').slice(0, 20)
      .map(r => get(`/runs/${encodeURIComponent(r.id)}`).catch(error => ({ ...r, detailError: error }))));

    return h('div', null,
      h('h1', null, 'Overview'),
      h('p', { class: 'sub' }, 'Projects with their latest run and production model; runs waiting for a decision.'),
      waiting.length ? h('section', { class: 'card attention', id: 'awaiting' }, h('h2', null, `Waiting for approval (${waiting.length})`), approvalTable(waiting)) : null,
      card('Projects', section(projects, body => table([
        { title: 'Project', value: p => projectLink(p.name) },
        { title: 'Label', value: p => p.spec?.label ?? '' },
        { title: 'Promotion', value: p => p.spec?.promotion ?? '' },
        { title: 'Latest run', value: p => latest.has(p.name) ? [badge(latest.get(p.name).status), ' ', runLink(latest.get(p.name).id)] : h('span', { class: 'muted' }, runs.error ? '?' : 'none yet') },
        { title: 'Started', value: p => time(latest.get(p.name)?.createdAt) },
        { title: 'Production', value: p => productionOf(modelByName.get(p.name)) },
        { title: 'Updated', value: p => time(p.updatedAt) },
      ], body.projects, p => ({ 'data-project': p.name })) ?? empty('No projects yet: upload a project.json or a CSV to the datasets container.'))),
      runs.error ? errorBox(runs.error) : null,
      models.error ? errorBox(models.error) : null);
  }

  const productionOf = model => {
    if (!model) return h('span', { class: 'muted' }, 'no model');
    const version = model.aliases?.production;
    return version ? modelLink(model.name, version) : [h('span', { class: 'muted' }, 'none '), modelLink(model.name)];
  };

  function approvalTable(runs) {
    return table([
      { title: 'Run', value: r => runLink(r.id) },
      { title: 'Project', value: r => projectLink(r.project) },
      { title: 'Started', value: r => time(r.createdAt) },
      { title: 'Candidate', value: r => r.detailError ? errorBox(r.detailError) : challengerSummary(r) },
      { title: 'Version', value: r => r.modelVersion ? modelLink(r.project, r.modelVersion) : '' },
      { title: 'Decision', value: r => decisionControls(r) },
    ], runs, r => ({ 'data-run': r.id }));
  }

  const challengerSummary = run => {
    const evaluation = run?.evaluation ?? run?.report?.evaluation;
    if (!evaluation) return '';
    const value = evaluation.challenger?.[evaluation.metric];
    const champion = evaluation.champion?.[evaluation.metric];
    return `${evaluation.metric} ${number(value)}${champion !== undefined ? ` (production ${number(champion)})` : ''}`;
  };

  function decisionControls(run) {
    if (!isAdmin) return h('span', { class: 'muted' }, 'an admin key decides');
    const reason = h('input', { type: 'text', placeholder: 'reason (optional)', 'aria-label': 'reason', size: 18 });
    const decide = verdict => event => act(event.currentTarget,
      () => call('POST', `/runs/${encodeURIComponent(run.id)}/${verdict}${reason.value ? `?reason=${encodeURIComponent(reason.value)}` : ''}`),
      `Run ${run.id}: ${verdict === 'approve' ? 'approved' : 'rejected'}; the pipeline continues.`);
    return h('div', { class: 'actions' }, reason,
      h('button', { type: 'button', class: 'primary', onclick: decide('approve') }, 'Approve'),
      h('button', { type: 'button', class: 'danger', onclick: decide('reject') }, 'Reject'));
  }

  // ---- views: runs (the searchable runs table and comparison are in tracking.js) ------------------------------
  const runTable = list => table([
    { title: 'Run', value: r => runLink(r.id) },
    { title: 'Project', value: r => r.project ? projectLink(r.project) : '' },
    { title: 'Status', value: r => badge(r.status) },
    { title: 'Trigger', value: r => r.trigger ? h('span', { title: r.reason ?? '' }, r.trigger) : '' },
    { title: 'Requested by', value: r => r.requestedBy ?? '' },
    { title: 'Started', value: r => time(r.createdAt) },
    { title: 'Took', value: r => between(r.createdAt, r.lastUpdatedAt), num: true },
    { title: 'Failure', value: r => r.failureReason ? h('span', { class: 'error-text', title: r.failureReason }, r.failureReason.length > 90 ? `${r.failureReason.slice(0, 90)}…` : r.failureReason) : '' },
  ], list, r => ({ 'data-run': r.id }));

  const inProgress = ['Running', 'Queued', 'Pending', 'AwaitingApproval'];

  async function run(id) {
    const r = await get(`/runs/${encodeURIComponent(id)}`);
    const evaluation = r.evaluation;
    // A run in progress redraws itself every few seconds until it ends.
    return h('div', { 'data-refresh': inProgress.includes(r.status) ? 3000 : null },
      h('h1', null, 'Run ', h('span', { class: 'mono' }, r.id), ' ', badge(r.status)),
      h('p', { class: 'sub' }, r.project ? ['Project ', projectLink(r.project), ' · '] : null, `trigger ${r.trigger ?? 'unknown'} · started ${time(r.createdAt)}`),
      r.failureReason ? h('div', { class: 'error', id: 'failure' }, h('span', { class: 'status' }, 'Failure: '), r.failureReason) : null,
      r.status === 'AwaitingApproval' ? h('section', { class: 'card attention' }, h('h2', null, 'Waiting for approval'), decisionControls(r)) : null,
      h('div', { class: 'grid' },
        card('Summary', facts([
          ['Status', badge(r.status)],
          ['Runtime status', r.runtimeStatus],
          ['Reason', r.reason],
          ['Requested by', r.requestedBy],
          ['Promotion', r.promotion],
          ['Model version', r.modelVersion && r.project ? modelLink(r.project, r.modelVersion) : null],
          ['Last update', time(r.lastUpdatedAt)],
          ['Correlation id', r.correlationId ? h('span', { class: 'mono' }, r.correlationId) : null],
        ])),
        card('Dataset', r.dataset ? facts([
          ['Version', r.project ? link(`#/projects/${encodeURIComponent(r.project)}`, `v${r.dataset.version}`) : `v${r.dataset.version}`],
          ['Source', h('span', { class: 'mono' }, r.dataset.source)],
          ['Content hash', shortHash(r.dataset.contentHash)],
          ['Rows × columns', `${r.dataset.rows} × ${r.dataset.columns}`],
          ['Label / task', `${r.dataset.label ?? '?'} / ${r.dataset.task ?? '?'}`],
          ['Validation', [passBadge(r.dataset.isValid), ` ${r.dataset.errorCount} errors, ${r.dataset.warningCount} warnings`]],
          r.dataset.errors?.length ? ['Errors', h('ul', null, r.dataset.errors.map(e => h('li', null, e)))] : null,
        ]) : empty('Not ingested yet.'))),
      card('Steps', table([
        { title: 'Step', value: s => s.name },
        { title: 'Status', value: s => badge(s.status) },
        { title: 'Started', value: s => time(s.startedAt) },
        { title: 'Ended', value: s => time(s.endedAt) },
        { title: 'Took', value: s => between(s.startedAt, s.endedAt), num: true },
        { title: 'Detail', value: s => s.detail ?? '' },
      ], r.steps ?? [], s => ({ 'data-step': s.name })) ?? empty('No steps yet.')),
      card('Candidates', candidateTable(r.candidates ?? [], evaluation?.candidateIndex) ?? empty('No candidates trained.')),
      views.candidateCharts(r),
      evaluation ? card('Evaluation against production', evaluationView(evaluation)) : null,
      r.validation ? card('Validation report', h('details', null, h('summary', null, 'JSON'), h('pre', null, JSON.stringify(r.validation, null, 2)))) : null);
  }

  function candidateTable(candidates, chosen) {
    const metricNames = [...new Set(candidates.flatMap(c => Object.keys(c.metrics ?? {})))];
    return table([
      { title: '#', value: c => c.index, num: true },
      { title: 'Trainer', value: c => [c.trainer, c.index === chosen ? h('span', { class: 'chip' }, 'chosen') : null] },
      ...metricNames.map(m => ({ title: m, value: c => h('span', { 'data-metric': m }, number(c.metrics?.[m])), num: true })),
      { title: 'ONNX parity', value: c => c.error ? '' : [passBadge(c.parityPassed), c.parityDetail ? h('div', { class: 'muted' }, c.parityDetail) : null] },
      { title: 'Took', value: c => seconds(c.durationSeconds), num: true },
      { title: 'Parameters', value: c => parameterList(c.parameters) },
      { title: 'Error', value: c => c.error ?? '' },
    ], candidates, c => ({ class: c.index === chosen ? 'chosen' : null, 'data-candidate': c.trainer, 'data-candidate-index': c.index }));
  }

  const parameterList = parameters => {
    const entries = Object.entries(parameters ?? {});
    return entries.length ? h('details', null, h('summary', null, `${entries.length} parameters`), facts(entries.map(([k, v]) => [k, number(v)]))) : '';
  };

  function evaluationView(evaluation) {
    const metrics = [...new Set([...Object.keys(evaluation.challenger ?? {}), ...Object.keys(evaluation.champion ?? {})])];
    return [
      facts([
        ['Primary metric', `${evaluation.metric} (${evaluation.higherIsBetter ? 'higher' : 'lower'} is better)`],
        ['Production', evaluation.championVersion ? `v${evaluation.championVersion}` : (evaluation.championSkippedReason ?? 'none')],
        ['Gates', passBadge(evaluation.passed)],
      ]),
      h('h3', null, 'Challenger vs production on the same test split'),
      table([
        { title: 'Metric', value: m => m },
        { title: 'Challenger', value: m => number(evaluation.challenger?.[m]), num: true },
        { title: 'Production', value: m => number(evaluation.champion?.[m]), num: true },
      ], metrics),
      h('h3', null, 'Gates'),
      table([
        { title: 'Gate', value: g => g.gate },
        { title: 'Required', value: g => number(g.required), num: true },
        { title: 'Actual', value: g => number(g.actual), num: true },
        { title: 'Result', value: g => passBadge(g.passed) },
        { title: 'Meaning', value: g => g.description },
      ], evaluation.gates ?? []) ?? empty('No gates.'),
    ];
  }

  // ---- views: projects ----------------------------------------------------------------------------------------------
  async function project(name) {
    const path = encodeURIComponent(name);
    const [spec, datasets, list, model] = await Promise.all([
      settle(get(`/projects/${path}`)), settle(get(`/projects/${path}/datasets`)), settle(get(`/runs?project=${path}`)), settle(get(`/models/${path}`))]);
    return h('div', null,
      h('h1', null, 'Project ', name),
      h('p', { class: 'sub' }, 'Model ', model.error?.status === 404 ? h('span', { class: 'muted' }, 'not registered yet') : productionOf(model.value)),
      model.error && model.error.status !== 404 ? errorBox(model.error) : null,
      card('Dataset versions', section(datasets, body => [table([
        { title: 'Version', value: d => link(`#/projects/${path}/datasets/${d.version}`, `v${d.version}`), num: true },
        { title: 'Source', value: d => h('span', { class: 'mono' }, d.sourcePath) },
        { title: 'Rows', value: d => d.rows, num: true },
        { title: 'Columns', value: d => d.columns, num: true },
        { title: 'Valid', value: d => passBadge(d.isValid) },
        { title: 'Content hash', value: d => shortHash(d.contentHash) },
        { title: 'Added', value: d => time(d.createdAt) },
      ], body.versions ?? [], d => ({ 'data-dataset-version': d.version })) ?? empty('No dataset versions.'), views.datasetDiffForm(name, body.versions ?? [])])),
      card('Runs', section(list, body => runTable(body.runs) ?? empty('No runs yet.'))),
      card('Spec', section(spec, body => h('pre', null, JSON.stringify(body.spec, null, 2)))));
  }

  // ---- views: models -------------------------------------------------------------------------------------------------
  async function models() {
    const body = await get('/models');
    return h('div', null,
      h('h1', null, 'Models'),
      h('p', { class: 'sub' }, 'Registered models with their latest version and aliases.'),
      card(null, table([
        { title: 'Model', value: m => modelLink(m.name) },
        { title: 'Project', value: m => m.project ? projectLink(m.project) : '' },
        { title: 'Latest version', value: m => `v${m.latestVersion}`, num: true },
        { title: 'Aliases', value: m => Object.entries(m.aliases ?? {}).map(([a, v]) => h('span', { class: 'chip' }, `${a} → v${v}`)) },
        { title: 'Created', value: m => time(m.createdAt) },
      ], body.models ?? [], m => ({ 'data-model': m.name })) ?? empty('No models registered yet.')));
  }

  async function model(name) {
    const path = encodeURIComponent(name);
    const [m, monitoring] = await Promise.all([get(`/models/${path}`), settle(get(`/models/${path}/monitoring`))]);
    const versions = [...(m.versions ?? [])].sort((a, b) => b.version - a.version);
    return h('div', null,
      h('h1', null, 'Model ', m.name),
      h('p', { class: 'sub' }, m.project ? ['Project ', projectLink(m.project), ' · '] : null, `latest v${m.latestVersion} · registered ${time(m.createdAt)}`),
      card('Aliases', aliasView(m, versions)),
      card('Versions', versionTable(m.name, versions)),
      section(monitoring, value => monitoringView(value, versions)));
  }

  function aliasView(m, versions) {
    const aliases = Object.entries(m.aliases ?? {}).sort(([a], [b]) => (a === 'production' ? -1 : b === 'production' ? 1 : a.localeCompare(b)));
    const rows = table([
      { title: 'Alias', value: ([alias]) => h('strong', null, alias) },
      { title: 'Version', value: ([, version]) => `v${version}`, num: true },
      { title: '', value: ([alias]) => isAdmin ? h('button', { type: 'button', class: 'danger', 'data-rollback': alias, onclick: e => rollBack(e, m.name, alias) }, 'Roll back') : '' },
    ], aliases, ([alias, version]) => ({ 'data-alias': alias, 'data-version': version })) ?? empty('No aliases: nothing is served by alias yet.');
    return [rows, isAdmin ? promoteForm(m, versions) : h('p', { class: 'muted' }, 'An admin key promotes and rolls back.')];
  }

  function rollBack(event, name, alias) {
    const button = event.currentTarget;
    if (!confirm(`Roll '${alias}' of ${name} back to the version it pointed at before?`)) return;
    act(button, () => call('DELETE', `/models/${encodeURIComponent(name)}/aliases/${encodeURIComponent(alias)}?reason=${encodeURIComponent('rolled back from the dashboard')}`),
      change => `${alias} of ${name} rolled back${change?.toVersion ? ` to v${change.toVersion}` : ' (removed)'}.`);
  }

  function promoteForm(m, versions) {
    const alias = h('input', { name: 'alias', value: 'production', size: 12, required: true, 'aria-label': 'alias' });
    const version = h('select', { name: 'version', 'aria-label': 'version' }, versions.map(v => h('option', { value: v.version }, `v${v.version}`)));
    const reason = h('input', { name: 'reason', placeholder: 'reason', size: 24, 'aria-label': 'reason' });
    const submit = h('button', { type: 'submit', class: 'primary' }, 'Promote');
    const form = h('form', { class: 'inline', id: 'promote' },
      h('label', null, 'Point alias', alias), h('label', null, 'at', version), reason, submit);
    form.addEventListener('submit', event => {
      event.preventDefault();
      const target = Number(version.value);
      if (!confirm(`Point '${alias.value}' of ${m.name} at v${target}?`)) return;
      act(submit, () => call('PUT', `/models/${encodeURIComponent(m.name)}/aliases/${encodeURIComponent(alias.value)}`, { version: target, reason: reason.value || 'promoted from the dashboard' }),
        `${alias.value} of ${m.name} now points at v${target}.`);
    });
    return [h('h3', null, 'Promote'), form];
  }

  function versionTable(name, versions) {
    if (!versions.length) return empty('No versions.');
    const metricNames = [...new Set(versions.flatMap(v => Object.keys(v.metrics ?? {})))];
    const panel = h('div', { id: 'lineage' });
    const rows = table([
      { title: 'Version', value: v => `v${v.version}`, num: true },
      { title: 'Aliases', value: v => chips(v.aliases) },
      ...metricNames.map(metric => ({ title: metric, value: v => h('span', { 'data-metric': metric }, number(v.metrics?.[metric])), num: true })),
      { title: 'Source', value: v => v.source },
      { title: 'Run', value: v => v.runId ? runLink(v.runId) : '' },
      { title: 'Created', value: v => time(v.createdAt) },
      { title: '', value: v => h('button', { type: 'button', onclick: () => showVersion(panel, name, v.version) }, 'Lineage') },
    ], versions, v => ({ 'data-version': v.version }));
    return [rows, panel];
  }

  // Signature, lineage and model card are read when the operator asks for them.
  async function showVersion(panel, name, version) {
    panel.replaceChildren(empty('Loading…'));
    try {
      const v = await get(`/models/${encodeURIComponent(name)}/versions/${version}`);
      panel.replaceChildren(h('h3', null, `Version ${version}: lineage, signature, model card`), versionDetail(v));
    } catch (e) {
      panel.replaceChildren(errorBox(e));
    }
  }

  function versionDetail(v) {
    const lineage = v.lineage ?? {};
    const inputs = v.signature?.inputs ?? v.signature?.features ?? [];
    return h('div', null,
      facts([
        ['Source', lineage.source],
        ['Trigger', lineage.trigger],
        ['Dataset', lineage.datasetVersion ? [`v${lineage.datasetVersion} `, shortHash(lineage.datasetHash)] : null],
        ['Dataset file', lineage.datasetSource ? h('span', { class: 'mono' }, lineage.datasetSource) : null],
        ['Run', lineage.runId ? runLink(lineage.runId) : null],
        ['Trainer', lineage.trainer],
        ['Seed', lineage.seed],
        ['Code version', lineage.codeVersion],
        ['Split sizes', lineage.splitSizes ? Object.entries(lineage.splitSizes).map(([k, n]) => `${k} ${n}`).join(', ') : null],
        ['Upload', lineage.uploadPath ? h('span', { class: 'mono' }, lineage.uploadPath) : null],
        ['ONNX', v.onnx ? h('span', { class: 'mono' }, v.onnx) : null],
      ]),
      lineage.parameters ? [h('h3', null, 'Parameters'), facts(Object.entries(lineage.parameters).map(([k, x]) => [k, number(x)]))] : null,
      Array.isArray(inputs) && inputs.length ? [h('h3', null, 'Signature'), table([
        { title: 'Input', value: i => i.name ?? '' },
        { title: 'Type', value: i => i.type ?? i.kind ?? i.dataType ?? '' },
      ], inputs)] : v.signature ? [h('h3', null, 'Signature'), h('pre', null, JSON.stringify(v.signature, null, 2))] : null,
      v.featureImportance?.length ? [h('h3', null, 'Feature importance (permutation, test split)'), importanceTable(v.featureImportance)] : null,
      v.slices?.length ? [h('h3', null, 'Slices (test split)'), v.slices.map(sliceTable)] : null,
      v.modelCard ? [h('h3', null, 'Model card'), h('pre', null, v.modelCard)] : null);
  }

  // Most important first, as the API sorts them; the bar is relative to the top feature.
  function importanceTable(importance) {
    const top = Math.max(...importance.map(f => f.importance), 0);
    return table([
      { title: 'Rank', value: f => importance.indexOf(f) + 1, num: true },
      { title: 'Feature', value: f => f.feature },
      { title: 'Importance', value: f => number(f.importance), num: true },
      { title: '', value: f => h('meter', { min: 0, max: top > 0 ? top : 1, value: Math.max(0, f.importance), 'aria-label': `${f.feature} importance` }) },
    ], importance, f => ({ 'data-importance': f.feature }));
  }

  function sliceTable(slice) {
    const metrics = [...new Set(slice.values.flatMap(v => Object.keys(v.metrics ?? {})))];
    return [h('h4', null, slice.column), table([
      { title: 'Value', value: v => v.value },
      { title: 'Rows', value: v => v.rows, num: true },
      ...metrics.map(m => ({ title: m, value: v => h('span', { 'data-metric': m }, number(v.metrics?.[m])), num: true })),
    ], slice.values, v => ({ 'data-slice': `${slice.column}=${v.value}` }))];
  }

  function monitoringView(m, versions) {
    const drift = m.drift;
    const monitored = (versions ?? []).find(v => String(v.version) === String(drift?.report?.modelVersion));
    const ranks = new Map((monitored?.featureImportance ?? []).map((f, i) => [f.feature, i + 1]));
    const performance = m.performance;
    return h('div', null,
      h('div', { class: 'grid' },
        Object.assign(card('Drift', drift ? [
          facts([
            ['Status', badge(drift.status)],
            ['Version', drift.report?.modelVersion ? `v${drift.report.modelVersion}` : null],
            ['Computed', time(drift.report?.computedAt)],
            ['Window', drift.report?.window ? `${time(drift.report.window.from)} – ${time(drift.report.window.to)}` : null],
            ['Drifted features', `${drift.report?.driftedFeatures ?? 0} of ${drift.report?.evaluatedFeatures ?? 0} (${percent(drift.report?.driftedShare)}; threshold ${percent(drift.report?.driftShareThreshold)})`],
          ]),
        ] : empty('No drift report yet: one is computed on the monitoring schedule once predictions are logged.')), { id: 'drift' }),
        Object.assign(card('Live performance', performance ? facts([
          ['Status', badge(performance.status)],
          ['Metric', performance.report?.baseline?.metric],
          ['Live', number(performance.report?.live)],
          ['Baseline', number(performance.report?.baseline?.value)],
          ['Change', percent(performance.report?.relativeChange)],
          ['Labelled rows', performance.report?.labelledRows],
          ['Version', performance.report?.modelVersion ? `v${performance.report.modelVersion}` : null],
        ]) : empty(m.performanceSkipped ? `Not measured: ${m.performanceSkipped}` : 'Not measured yet: it needs feedback (ground truth) for logged predictions.')), { id: 'performance' })),
      drift?.report?.features?.length ? card('Drift per feature', featureTable([...drift.report.features, ...(drift.report.prediction ? [{ ...drift.report.prediction, name: `${drift.report.prediction.name} (prediction)` }] : [])], ranks)) : null,
      card('Open alerts', table([
        { title: 'Kind', value: a => badge(a.kind) },
        { title: 'Version', value: a => a.version },
        { title: 'Message', value: a => a.message },
        { title: 'Raised', value: a => time(a.raisedAt) },
      ], m.alerts ?? []) ?? empty('No open alerts.')),
      m.history?.length ? card('Drift history', table([
        { title: 'Computed', value: r => time(r.computedAt) },
        { title: 'Version', value: r => r.version },
        { title: 'Dataset drift', value: r => r.datasetDrift ? badge('drift') : badge('noDrift') },
        { title: 'Prediction drift', value: r => r.predictionDrift ? badge('drift') : badge('noDrift') },
        { title: 'Drifted', value: r => `${r.driftedFeatures} / ${r.evaluatedFeatures}`, num: true },
      ], m.history)) : null);
  }

  const featureTable = (features, ranks) => table([
    { title: 'Feature', value: f => f.name },
    { title: 'Importance rank', value: f => ranks?.has(f.name) ? h('span', { 'data-rank': ranks.get(f.name) }, `${ranks.get(f.name)} of ${ranks.size}`) : '', num: true },
    { title: 'Kind', value: f => f.kind },
    { title: 'Test', value: f => f.test },
    { title: 'Statistic', value: f => number(f.statistic), num: true },
    { title: 'p-value', value: f => number(f.pValue), num: true },
    { title: 'Threshold', value: f => number(f.threshold), num: true },
    { title: 'Verdict', value: f => badge(f.verdict) },
    { title: 'Reference / current', value: f => `${f.referenceSize} / ${f.currentSize}`, num: true },
  ], features, f => ({ 'data-feature': f.name }));

  // ---- shared with the other view files (tracking.js, datasets.js), which fill `views` --------------------------------
  const views = {};
  window.Dashboard = {
    h, link, runLink, projectLink, modelLink, card, empty, facts, table, time, number, percent, shortHash, chips, badge,
    get, settle, section, errorBox, views,
  };

  // ---- routing --------------------------------------------------------------------------------------------------------
  const view = document.getElementById('view');
  let drawing = 0;

  function route() {
    const [path, search] = (location.hash.replace(/^#/, '') || '/').split('?');
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    const query = new URLSearchParams(search ?? '');
    switch (parts[0]) {
      case 'runs': return parts[1] ? { nav: 'runs', draw: () => run(parts[1]) } : { nav: 'runs', draw: () => views.runs(query) };
      case 'compare': return { nav: 'runs', draw: () => views.compare(query) };
      case 'models': return parts[1] ? { nav: 'models', draw: () => model(parts[1]) } : { nav: 'models', draw: models };
      case 'projects':
        if (parts[2] === 'datasets' && parts[4] === 'diff' && parts[5]) return { nav: 'overview', draw: () => views.datasetDiff(parts[1], parts[3], parts[5]) };
        if (parts[2] === 'datasets' && parts[3]) return { nav: 'overview', draw: () => views.dataset(parts[1], parts[3]) };
        return parts[1] ? { nav: 'overview', draw: () => project(parts[1]) } : { nav: 'overview', draw: overview };
      default: return { nav: 'overview', draw: overview };
    }
  }

  // Redraws view number `current` after `ms`, unless another view came since; waits while the operator is typing.
  function scheduleRefresh(current, ms) {
    setTimeout(() => {
      if (current !== drawing) return;
      const focused = view.contains(document.activeElement) && document.activeElement.matches('input, select, textarea');
      if (focused || [...view.querySelectorAll('input')].some(input => input.value)) scheduleRefresh(current, ms);
      else render();
    }, ms);
  }

  async function render() {
    const current = ++drawing;
    const { nav, draw } = route();
    for (const a of document.querySelectorAll('[data-nav]')) a.classList.toggle('active', a.dataset.nav === nav);
    let content;
    try {
      content = await draw();
    } catch (e) {
      content = errorBox(e);
    }
    if (current !== drawing) return;
    view.replaceChildren(content);
    const refresh = Number(content.dataset?.refresh);
    if (refresh > 0) scheduleRefresh(current, refresh);
  }

  function keyForm() {
    const input = h('input', { type: 'password', name: 'key', placeholder: 'function key', size: 40, 'aria-label': 'function key', autocomplete: 'off' });
    const form = h('form', { class: 'inline' }, input, h('button', { type: 'submit', class: 'primary' }, 'Open'));
    form.addEventListener('submit', event => {
      event.preventDefault();
      const url = new URL(location.href);
      url.searchParams.set('code', input.value);
      location.href = url.toString();
    });
    return card('Function key needed', h('p', null, 'The dashboard reads the API with a function key. Enter one, or open the page as /?code=<key>.'), form);
  }

  const scope = meta('dashboard-projects');
  document.getElementById('who').textContent = `${keyName || 'key'} · ${isAdmin ? 'admin' : 'read only'}${scope ? ` · projects ${scope.split(',').join(', ')}` : ''}`;
  document.getElementById('refresh').addEventListener('click', () => { clearBanner(); render(); });
  window.addEventListener('hashchange', () => { clearBanner(); render(); });
  // The view files load after this one (deferred, in order): draw once they all have.
  document.addEventListener('DOMContentLoaded', () => { if (key) render(); else view.replaceChildren(keyForm()); });
})();
