/**
 * The graph webview: toolbar, legend and filters around a GraphView, and the
 * messages to and from the extension (client/src/graphProtocol.ts). Every
 * text that comes from a pattern file is set with `textContent`.
 */
import type { CameraState } from 'sigma/types';
import type { GraphDepth, PlacedGraph } from '../../server/src/core/graphData';
import { DEFAULT_GRAPH_STATE, EGO_NODE_LIMIT, type FromWebview, type GraphView as ViewKind, type GraphViewState, type ToWebview } from '../src/graphProtocol';
import { GraphView } from './graphView';
import { domainColor, normalizeColor, readTheme, relationColor, type Theme } from './theme';
import { NONE, type GraphFilter } from './visibility';
import './graph.css';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): unknown;
  setState(state: GraphViewState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
let state: GraphViewState = { ...DEFAULT_GRAPH_STATE, ...(isState(vscode.getState()) ? (vscode.getState() as GraphViewState) : {}) };
let theme: Theme = readTheme();
/** The camera to restore once, after a reload. */
let pendingCamera: CameraState | undefined = state.camera;

let revisionShown = 0;
/** When each graph message arrived, to time it to its first frame. */
const renderStarted = new Map<number, number>();

const ui = buildPage(document.getElementById('app')!);
const view = new GraphView(ui.graph, ui.tooltip, theme, filterOf(state), {
  open: (uri) => post({ type: 'open', uri }),
  rendered: (visible) => {
    const started = renderStarted.get(revisionShown);
    post({ type: 'rendered', revision: revisionShown, nodes: visible.nodes, edges: visible.edges, milliseconds: started === undefined ? 0 : performance.now() - started });
  },
  cameraMoved: (camera) => saveCamera(camera),
});

window.addEventListener('message', (event: MessageEvent<ToWebview>) => receive(event.data));
new MutationObserver(() => {
  theme = readTheme();
  view.setTheme(theme);
  renderLegend();
}).observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind', 'style'] });
syncToolbar();
post({ type: 'ready', state: isState(vscode.getState()) ? state : undefined });
(window as unknown as { trellisGraph: unknown }).trellisGraph = {
  // For tests: where a pattern is drawn, and what is on screen.
  nodeOnPage: (id: string) => view.nodeOnPage(id),
  pointedNode: () => view.pointedNode(),
  visible: () => ({ nodes: view.visible.visibleNodes, edges: view.visible.visibleEdges }),
  camera: () => view.cameraState(),
  linkShown: (source: string, target: string, relation: string) => view.linkShown(source, target, relation),
};

function receive(message: ToWebview): void {
  switch (message.type) {
    case 'graph': {
      renderStarted.set(message.revision, performance.now());
      revisionShown = message.revision;
      const restoring = pendingCamera && message.state.view === state.view && message.state.centerUri === state.centerUri ? pendingCamera : undefined;
      pendingCamera = undefined;
      state = { ...state, ...message.state };
      ui.message.hidden = true;
      view.show(message.graph, restoring);
      ui.count.textContent = state.search ? matchesText(view.setSearch(state.search)) : '';
      syncToolbar();
      renderLegend();
      renderStatus(message.graph);
      renderLimitNote(message.graph);
      save();
      break;
    }
    case 'message':
      state = { ...state, ...message.state };
      ui.message.textContent = message.text;
      ui.message.hidden = false;
      ui.limitNote.hidden = true;
      syncToolbar();
      save();
      break;
  }
}

function post(message: FromWebview): void {
  vscode.postMessage(message);
}

function exportView(format: 'svg' | 'png'): void {
  if (format === 'svg') post({ type: 'exported', format, svg: view.exportSvg() });
  else post({ type: 'exported', format, base64: view.exportPng() });
}

function save(): void {
  vscode.setState(state);
}

let cameraSaveQueued = false;
function saveCamera(camera: CameraState): void {
  state.camera = { x: camera.x, y: camera.y, ratio: camera.ratio, angle: camera.angle };
  if (cameraSaveQueued) return;
  cameraSaveQueued = true;
  requestAnimationFrame(() => {
    cameraSaveQueued = false;
    save();
  });
}

function filterOf(s: GraphViewState): GraphFilter {
  return { showInferred: s.showInferred, showOuterLinks: s.showOuterLinks, hiddenRelations: new Set(s.hiddenRelations), hiddenDomains: new Set(s.hiddenDomains), hiddenStatuses: new Set(s.hiddenStatuses) };
}

function applyFilter(): void {
  view.setFilter(filterOf(state));
  ui.count.textContent = state.search ? matchesText(view.setSearch(state.search)) : '';
  renderLegend();
  const current = view.current;
  if (current) renderStatus(current);
  save();
}

function matchesText(count: number): string {
  return count === 1 ? '1 match' : `${count} matches`;
}

interface Page {
  graph: HTMLElement;
  limitNote: HTMLElement;
  tooltip: HTMLElement;
  message: HTMLElement;
  status: HTMLElement;
  count: HTMLElement;
  views: Map<ViewKind, HTMLButtonElement>;
  depth: HTMLSelectElement;
  search: HTMLInputElement;
  inferred: HTMLInputElement;
  panel: HTMLElement;
  relations: HTMLElement;
  domains: HTMLElement;
  statuses: HTMLElement;
}

function buildPage(root: HTMLElement): Page {
  const toolbar = element('header', 'toolbar');
  const views = new Map<ViewKind, HTMLButtonElement>();
  const switcher = element('div', 'segmented');
  switcher.setAttribute('role', 'group');
  switcher.setAttribute('aria-label', 'View');
  for (const [kind, label] of [['ego', 'Pattern'], ['library', 'Library']] as const) {
    const button = button_(label, () => {
      if (state.view === kind) return;
      post({ type: 'view', view: kind, depth: state.depth, showAll: state.showAll });
    });
    button.dataset['view'] = kind;
    views.set(kind, button);
    switcher.appendChild(button);
  }
  const depthLabel = element('label', 'depth');
  depthLabel.append('Depth ');
  const depth = document.createElement('select');
  for (const d of [1, 2, 3]) {
    const option = document.createElement('option');
    option.value = String(d);
    option.textContent = String(d);
    depth.appendChild(option);
  }
  depth.addEventListener('change', () => post({ type: 'view', view: 'ego', depth: Number(depth.value) as GraphDepth, showAll: state.showAll }));
  depthLabel.appendChild(depth);

  const search = document.createElement('input');
  search.type = 'search';
  search.placeholder = 'Search patterns';
  search.setAttribute('aria-label', 'Search patterns');
  const count = element('span', 'count');
  search.addEventListener('input', () => {
    state.search = search.value;
    count.textContent = search.value.trim() ? matchesText(view.setSearch(search.value)) : (view.setSearch(''), '');
    save();
  });
  search.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') view.focusFirstMatch();
  });

  const inferredLabel = element('label', 'toggle');
  const inferred = document.createElement('input');
  inferred.type = 'checkbox';
  inferred.addEventListener('change', () => {
    state.showInferred = inferred.checked;
    applyFilter();
  });
  inferredLabel.append(inferred, ' Inferred links');

  const panelToggle = button_('Filters', () => {
    panel.hidden = !panel.hidden;
    panelToggle.setAttribute('aria-expanded', String(!panel.hidden));
  });
  panelToggle.setAttribute('aria-expanded', 'true');
  const fit = button_('Fit', () => view.resetCamera());
  fit.title = 'Show the whole graph';
  const svg = button_('SVG', () => exportView('svg'));
  svg.title = 'Export the view as SVG';
  const png = button_('PNG', () => exportView('png'));
  png.title = 'Export the view as PNG';
  toolbar.append(switcher, depthLabel, search, count, inferredLabel, panelToggle, fit, svg, png);

  const main = element('main', 'stage');
  const graph = element('div', 'graph');
  graph.id = 'graph';
  const tooltip = element('div', 'tooltip');
  tooltip.hidden = true;
  tooltip.setAttribute('role', 'tooltip');
  const message = element('div', 'message');
  message.hidden = true;
  const panel = element('aside', 'panel');
  panel.setAttribute('aria-label', 'Legend and filters');
  const relations = element('section', 'relations');
  const domains = element('section', 'domains');
  const statuses = element('section', 'statuses');
  panel.append(relations, statuses, domains);
  main.append(graph, panel, tooltip, message);
  const limitNote = element('div', 'limit-note');
  limitNote.setAttribute('role', 'status');
  limitNote.hidden = true;
  const status = element('footer', 'status');
  root.append(toolbar, limitNote, main, status);
  return { graph, limitNote, tooltip, message, status, count, views, depth, search, inferred, panel, relations, domains, statuses };
}

function syncToolbar(): void {
  for (const [kind, button] of ui.views) button.setAttribute('aria-pressed', String(state.view === kind));
  ui.depth.value = String(state.depth);
  ui.depth.disabled = state.view !== 'ego';
  ui.search.value = state.search;
  ui.inferred.checked = state.showInferred;
}

/** The legend doubles as the filter: one checkbox per relation, status and domain, with its colour and count. */
function renderLegend(): void {
  const data = view.current;
  if (!data) return;
  const visible = view.visible;

  const relationCounts = new Map<string, number>();
  data.edges.forEach((edge, i) => {
    if (visible.edges[i]) relationCounts.set(edge.relation, (relationCounts.get(edge.relation) ?? 0) + 1);
  });
  const used = new Set(data.edges.map((e) => e.relation));
  const relations = data.relations.filter((r) => used.has(r));
  ui.relations.replaceChildren(heading('Relations'));
  for (const relation of relations) {
    ui.relations.appendChild(
      checkRow(relation, relationCounts.get(relation) ?? 0, !state.hiddenRelations.includes(relation), swatchLine(relationColor(relation, data.relations, theme)), (on) => {
        state.hiddenRelations = toggle(state.hiddenRelations, relation, !on);
        applyFilter();
      }),
    );
  }
  const key = element('div', 'key');
  const ghost = element('span', 'dot ghost');
  ghost.style.backgroundColor = normalizeColor(theme.ghost);
  const thin = swatchLine(theme.muted);
  thin.classList.add('thin');
  const line = (...parts: Array<Node | string>): HTMLElement => {
    const row = element('span', 'key-row');
    row.append(...parts);
    return row;
  };
  key.append(
    line(swatchLine(theme.muted, true), ' inferred (machine-written)'),
    line(thin, swatchLine(theme.muted), ' weight: thin weak, thick strong'),
    line(ghost, ' missing pattern (dangling link)'),
  );
  ui.relations.appendChild(key);
  if (data.view === 'ego' && (data.depth ?? 1) >= 2) {
    const outer = checkRow('links among the outer ring', countOuter(data), state.showOuterLinks, undefined, (on) => {
      state.showOuterLinks = on;
      applyFilter();
    });
    outer.title = 'Links between two patterns at the full depth: most of the links, and a haze over the rest';
    ui.relations.appendChild(outer);
  }

  const patterns = data.nodes.filter((n) => n.kind === 'pattern');
  renderFacet(ui.statuses, 'Status', patterns.map((n) => n.status ?? NONE), state.hiddenStatuses, () => undefined, (next) => {
    state.hiddenStatuses = next;
    applyFilter();
  });
  renderFacet(ui.domains, 'Domains', patterns.map((n) => n.domain ?? NONE), state.hiddenDomains, (domain) => domainColor(domain === NONE ? undefined : domain, theme), (next) => {
    state.hiddenDomains = next;
    applyFilter();
  });
}

function countOuter(data: PlacedGraph): number {
  const depth = data.depth ?? 1;
  return data.edges.filter((e) => data.nodes[e.source]!.distance === depth && data.nodes[e.target]!.distance === depth).length;
}

function renderFacet(section: HTMLElement, title: string, values: string[], hidden: string[], color: (value: string) => string | undefined, change: (hidden: string[]) => void): void {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const header = heading(title);
  if (sorted.length > 3) {
    const all = button_('all', () => change([]));
    const none = button_('none', () => change(sorted.map(([v]) => v)));
    all.className = none.className = 'link-button';
    header.append(' ', all, ' ', none);
  }
  section.replaceChildren(header);
  const list = element('div', 'facet');
  for (const [value, count] of sorted) {
    const swatchColor = color(value);
    let swatch: HTMLElement | undefined;
    if (swatchColor) {
      swatch = element('span', 'dot');
      swatch.style.backgroundColor = normalizeColor(swatchColor);
    }
    list.appendChild(checkRow(value, count, !hidden.includes(value), swatch, (on) => change(toggle(hidden, value, !on))));
  }
  section.appendChild(list);
}

function renderStatus(data: PlacedGraph): void {
  const visible = view.visible;
  const parts: string[] = [];
  if (data.view === 'ego') {
    const center = data.nodes.find((n) => n.id === data.center);
    parts.push(center?.label ?? '');
  } else parts.push('Library');
  parts.push(`${visible.visibleNodes} of ${data.nodes.length} nodes`, `${visible.visibleEdges} of ${data.edges.length} links`);
  const ghosts = data.nodes.filter((n) => n.kind === 'ghost').length;
  if (ghosts) parts.push(`${ghosts} missing`);
  if (data.truncated && data.totalNodes !== undefined) parts.push(`the ${data.nodes.length} most strongly linked of ${data.totalNodes}`);
  ui.status.textContent = parts.join(' · ');
  ui.status.title = ui.status.textContent;
}

/**
 * An ego graph cut to its most strongly linked nodes says so where the author
 * looks, with the way to see the rest; one shown whole offers the cut back.
 */
function renderLimitNote(data: PlacedGraph): void {
  const total = data.totalNodes ?? data.nodes.length;
  if (data.view !== 'ego' || total <= EGO_NODE_LIMIT) {
    ui.limitNote.hidden = true;
    return;
  }
  const within = `within depth ${data.depth ?? 1}`;
  const ask = (showAll: boolean): void => post({ type: 'view', view: 'ego', depth: state.depth, showAll });
  if (data.truncated) {
    const more = button_('Show all', () => ask(true));
    more.title = `Draw all ${total} nodes (slower to draw and to follow edits)`;
    ui.limitNote.replaceChildren(text('span', `Showing the ${data.nodes.length} most strongly linked of ${total} nodes ${within}.`, 'what'), ' ', more);
  } else {
    ui.limitNote.replaceChildren(text('span', `Showing all ${total} nodes ${within}.`, 'what'), ' ', button_(`Show the ${EGO_NODE_LIMIT} strongest`, () => ask(false)));
  }
  const what = ui.limitNote.querySelector('.what');
  if (what) (what as HTMLElement).title = 'Strength: the product of the link weights along the strongest path from the centre';
  ui.limitNote.hidden = false;
}

function checkRow(label: string, count: number, checked: boolean, swatch: HTMLElement | undefined, change: (checked: boolean) => void): HTMLElement {
  const row = element('label', 'row');
  const box = document.createElement('input');
  box.type = 'checkbox';
  box.checked = checked;
  box.addEventListener('change', () => change(box.checked));
  row.append(box);
  if (swatch) row.append(swatch);
  const name = text('span', label, 'name');
  // Cut with an ellipsis in a narrow panel: the full name on hover.
  name.title = label;
  row.append(name, text('span', String(count), 'n'));
  return row;
}

function swatchLine(color: string, dashed = false): HTMLElement {
  const swatch = element('span', dashed ? 'swatch dashed' : 'swatch');
  swatch.style.borderColor = normalizeColor(color);
  return swatch;
}

function heading(content: string): HTMLElement {
  return text('h2', content);
}

function toggle(list: string[], value: string, include: boolean): string[] {
  const without = list.filter((v) => v !== value);
  return include ? [...without, value] : without;
}

function button_(label: string, click: () => void): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = label;
  button.addEventListener('click', click);
  return button;
}

function element(tag: string, className: string): HTMLElement {
  const node = document.createElement(tag);
  node.className = className;
  return node;
}

function text(tag: string, content: string, className?: string): HTMLElement {
  const node = document.createElement(tag);
  node.textContent = content;
  if (className) node.className = className;
  return node;
}

function isState(value: unknown): value is GraphViewState {
  return typeof value === 'object' && value !== null && 'view' in value && 'depth' in value;
}
