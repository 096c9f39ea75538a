/**
 * Draws a placed graph with sigma (WebGL) and handles the pointer: hover
 * shows a pattern's title, summary and links; a click opens it. New data for
 * the same view is merged into the drawn graph, so the camera (and every node
 * that did not move) stays where the author left it.
 */
import { MultiDirectedGraph } from 'graphology';
import Sigma from 'sigma';
import type { EdgeProgramType } from 'sigma/rendering';
import type { CameraState } from 'sigma/types';
import type { PlacedGraph, PlacedNode } from '../../server/src/core/graphData';
import { RelationEdgeProgram } from './edgeProgram';
import { exportPng, exportSvg } from './exportImage';
import { domainColor, normalizeColor, relationColor, withAlpha, type Theme } from './theme';
import { visibility, type GraphFilter, type Visibility } from './visibility';

interface NodeAttributes {
  x: number;
  y: number;
  size: number;
  label: string;
  color: string;
  /** Index into the current data's nodes. */
  index: number;
  forceLabel: boolean;
  zIndex: number;
}

interface EdgeAttributes {
  size: number;
  color: string;
  dashed: number;
  index: number;
  zIndex: number;
}

export interface GraphViewEvents {
  open(uri: string): void;
  /** The first frame of new data is on screen. */
  rendered(visible: { nodes: number; edges: number }): void;
  cameraMoved(state: CameraState): void;
}

const MAX_TOOLTIP_LINKS = 6;
/**
 * Above this many links, hovering does not fade the rest (that redraws every
 * link), and links are hidden while the camera moves, so panning stays smooth.
 */
const LARGE_GRAPH_EDGES = 5000;

export class GraphView {
  private graph = new MultiDirectedGraph<NodeAttributes, EdgeAttributes>();
  private readonly sigma: Sigma<NodeAttributes, EdgeAttributes>;
  private data: PlacedGraph | undefined;
  private shown: Visibility = { nodes: [], edges: [], visibleNodes: 0, visibleEdges: 0 };
  private matches: Set<string> | undefined;
  private hoveredNode: string | undefined;
  private hoveredNeighbours = new Set<string>();
  /** The node under the pointer (whether or not hovering fades the rest), and whether a render has drawn it since. */
  private pointed: string | undefined;
  private pointedDrawn = true;

  constructor(
    private readonly container: HTMLElement,
    private readonly tooltip: HTMLElement,
    private theme: Theme,
    private filter: GraphFilter,
    private readonly events: GraphViewEvents,
  ) {
    this.sigma = new Sigma<NodeAttributes, EdgeAttributes>(this.graph, container, {
      defaultEdgeType: 'relation',
      edgeProgramClasses: { relation: RelationEdgeProgram as unknown as EdgeProgramType<NodeAttributes, EdgeAttributes> },
      enableEdgeEvents: true,
      zIndex: true,
      labelFont: theme.font,
      labelSize: 12,
      labelColor: { color: normalizeColor(theme.foreground) },
      labelDensity: 0.6,
      labelGridCellSize: 80,
      labelRenderedSizeThreshold: 7,
      minEdgeThickness: 0.6,
      minCameraRatio: 0.02,
      maxCameraRatio: 8,
      // The DOM tooltip says more than a canvas label would; hover only outlines the node.
      defaultDrawNodeHover: (context, data) => this.drawHover(context, data),
      defaultDrawNodeLabel: (context, data, settings) => this.drawLabel(context, data, settings),
      nodeReducer: (node, attributes) => this.reduceNode(node, attributes),
      edgeReducer: (edge, attributes) => this.reduceEdge(edge, attributes),
    });
    this.sigma.on('enterNode', ({ node, event }) => this.hoverNode(node, event));
    this.sigma.on('leaveNode', () => this.hoverNode(undefined));
    this.sigma.on('enterEdge', ({ edge, event }) => this.hoverEdge(edge, event));
    this.sigma.on('leaveEdge', () => this.hideTooltip());
    this.sigma.on('afterRender', () => (this.pointedDrawn = true));
    this.sigma.on('clickNode', ({ node }) => this.open(node));
    // Two quick clicks (on one node, or on two) arrive as a double click: open, and do not zoom.
    this.sigma.on('doubleClickNode', ({ node, preventSigmaDefault }) => {
      preventSigmaDefault();
      this.open(node);
    });
    this.sigma.getCamera().on('updated', (state) => this.events.cameraMoved(state));
    // The container changes size with the panel, and with the page's layout at narrow widths (the
    // legend moves under the graph): sigma only watches the window.
    let size = `${container.clientWidth}x${container.clientHeight}`;
    new ResizeObserver(() => {
      const next = `${container.clientWidth}x${container.clientHeight}`;
      if (next === size) return;
      size = next;
      this.resize();
    }).observe(container);
  }

  private open(node: string): void {
    const data = this.nodeData(node);
    if (data?.kind === 'pattern') this.events.open(data.id);
  }

  get current(): PlacedGraph | undefined {
    return this.data;
  }

  get visible(): Visibility {
    return this.shown;
  }

  /**
   * Shows new data. `camera`: where to look; by default a new view is framed
   * whole and an update of the same view keeps the camera where it is.
   */
  show(data: PlacedGraph, camera?: CameraState): void {
    const sameView = this.data !== undefined && this.data.view === data.view && this.data.center === data.center && this.data.depth === data.depth;
    // Each setting change costs sigma a full pass over the graph: change them only when they change.
    // A large graph hides its links while the camera moves, and its links do not answer the pointer
    // (finding the link under the pointer means drawing every link a second time).
    const large = data.edges.length > LARGE_GRAPH_EDGES;
    if (this.sigma.getSetting('hideEdgesOnMove') !== large) this.sigma.setSettings({ hideEdgesOnMove: large, hideLabelsOnMove: large, enableEdgeEvents: !large });
    // The reducers read these while the graph changes below.
    this.data = data;
    this.shown = visibility(data, this.filter);
    this.hoveredNode = undefined;
    this.hoveredNeighbours = new Set();
    this.pointed = undefined;
    this.hideTooltip();
    if (sameView) {
      if (this.merge(data)) this.sigma.refresh();
    } else {
      // Frame the whole graph, and hold that frame so that later updates do not rescale the view.
      // Camera and frame are set first: handing sigma the graph then draws once, with both.
      this.sigma.setCustomBBox(extent(data));
      this.sigma.getCamera().setState(camera ?? { x: 0.5, y: 0.5, ratio: 1, angle: 0 });
      this.replace(data);
    }
    // Sigma has drawn by now. The frame with the drawing starts at the next animation frame, and the
    // browser starts the one after only once it is on screen (a software GPU can take long to paint it).
    const visible = { nodes: this.shown.visibleNodes, edges: this.shown.visibleEdges };
    requestAnimationFrame(() => requestAnimationFrame(() => this.events.rendered(visible)));
  }

  setFilter(filter: GraphFilter): void {
    this.filter = filter;
    if (!this.data) return;
    this.shown = visibility(this.data, filter);
    this.sigma.refresh();
  }

  /** Highlights the patterns whose title or slug contains `query`; returns how many. */
  setSearch(query: string): number {
    const needle = query.trim().toLowerCase();
    if (!needle || !this.data) {
      this.matches = undefined;
    } else {
      this.matches = new Set();
      this.data.nodes.forEach((node, i) => {
        if (this.shown.nodes[i] && (node.label.toLowerCase().includes(needle) || (node.slug ?? '').includes(needle))) this.matches!.add(node.id);
      });
    }
    this.sigma.refresh();
    return this.matches?.size ?? 0;
  }

  /** Moves the camera to the first search match. */
  focusFirstMatch(): void {
    const first = this.matches?.values().next().value;
    const display = first === undefined ? undefined : this.sigma.getNodeDisplayData(first);
    if (display) void this.sigma.getCamera().animate({ x: display.x, y: display.y, ratio: Math.min(this.sigma.getCamera().ratio, 0.15) }, { duration: 400 });
  }

  setTheme(theme: Theme): void {
    this.theme = theme;
    this.sigma.setSetting('labelColor', { color: normalizeColor(theme.foreground) });
    this.sigma.setSetting('labelFont', theme.font);
    if (this.data) {
      const data = this.data;
      // The hint makes sigma index every item again: hidden ones were never indexed, and a repaint alone would fail on them.
      this.graph.updateEachNodeAttributes((_, attributes) => ({ ...attributes, color: this.nodeColor(data.nodes[attributes.index]!) }), { attributes: ['color', 'zIndex'] });
      this.graph.updateEachEdgeAttributes((_, attributes) => ({ ...attributes, color: this.edgeColor(data, attributes.index) }), { attributes: ['color', 'zIndex'] });
    }
    this.sigma.refresh();
  }

  /** The container changed size (the panel opened or closed). */
  resize(): void {
    this.sigma.resize();
    this.sigma.refresh();
  }

  cameraState(): CameraState {
    return this.sigma.getCamera().getState();
  }

  resetCamera(): void {
    void this.sigma.getCamera().animatedReset({ duration: 300 });
  }

  exportSvg(): string {
    return exportSvg(this.sigma, this.theme, this.title());
  }

  exportPng(): string {
    return exportPng(this.sigma, this.theme);
  }

  /**
   * For tests: the node under the pointer once the view has been drawn since the pointer reached it (hovering
   * redraws the view, and sigma finds the node under a click in what it last drew), else undefined.
   */
  pointedNode(): string | undefined {
    return this.pointedDrawn ? this.pointed : undefined;
  }

  /** Where a node is drawn, in page coordinates (for tests, and for keyboard focus to come). */
  nodeOnPage(id: string): { x: number; y: number } | undefined {
    const display = this.sigma.getNodeDisplayData(id);
    if (!display || display.hidden) return undefined;
    const p = this.sigma.framedGraphToViewport(display);
    const box = this.container.getBoundingClientRect();
    return { x: box.left + p.x, y: box.top + p.y };
  }

  /** Whether a link is drawn (for tests): its key is in the graph and the filters show it. */
  linkShown(source: string, target: string, relation: string, inferred = false): boolean {
    const key = `${source}\u0000${target}\u0000${relation}\u0000${inferred ? 1 : 0}`;
    return this.graph.hasEdge(key) && this.shown.edges[this.graph.getEdgeAttribute(key, 'index')] === true;
  }

  private title(): string {
    const data = this.data;
    if (!data) return 'Relationship graph';
    if (data.view === 'library') return `Library graph: ${data.nodes.length} patterns`;
    const center = data.nodes.find((n) => n.id === data.center);
    return `Relationship graph of ${center?.label ?? 'a pattern'} (depth ${data.depth})`;
  }

  /** A new view: a new graph, handed to sigma whole (one indexing pass instead of one per node and edge). */
  private replace(data: PlacedGraph): void {
    const graph = new MultiDirectedGraph<NodeAttributes, EdgeAttributes>();
    data.nodes.forEach((node, index) => graph.addNode(node.id, this.nodeAttributes(data, node, index)));
    data.edges.forEach((edge, index) => graph.addDirectedEdgeWithKey(edgeKey(data, index), data.nodes[edge.source]!.id, data.nodes[edge.target]!.id, this.edgeAttributes(data, index)));
    this.graph = graph;
    this.sigma.setGraph(graph);
  }

  /**
   * The same view, new data: what stays keeps its place, and the camera and the frame stay.
   * Sigma re-indexes the whole graph for every node or link dropped from it (an edit that
   * changes which nodes are the strongest drops dozens: 60 ms of indexing in the page), so
   * when anything goes, the graph is built anew and handed to sigma once, with the same
   * positions. Otherwise only what changed is touched. False: sigma has already drawn it.
   */
  private merge(data: PlacedGraph): boolean {
    const ids = new Set(data.nodes.map((n) => n.id));
    const keys = new Set(data.edges.map((_, index) => edgeKey(data, index)));
    if (this.graph.someNode((id) => !ids.has(id)) || this.graph.someEdge((key) => !keys.has(key))) {
      this.replace(data);
      return false;
    }
    data.nodes.forEach((node, index) => {
      const attributes = this.nodeAttributes(data, node, index);
      if (!this.graph.hasNode(node.id)) this.graph.addNode(node.id, attributes);
      else if (!sameAttributes(this.graph.getNodeAttributes(node.id), attributes)) this.graph.replaceNodeAttributes(node.id, attributes);
    });
    data.edges.forEach((_, index) => {
      const key = edgeKey(data, index);
      const attributes = this.edgeAttributes(data, index);
      if (!this.graph.hasEdge(key)) this.addEdge(data, index);
      else if (!sameAttributes(this.graph.getEdgeAttributes(key), attributes)) this.graph.replaceEdgeAttributes(key, attributes);
    });
    return true;
  }

  private addEdge(data: PlacedGraph, index: number): void {
    const edge = data.edges[index]!;
    this.graph.addDirectedEdgeWithKey(edgeKey(data, index), data.nodes[edge.source]!.id, data.nodes[edge.target]!.id, this.edgeAttributes(data, index));
  }

  private nodeAttributes(data: PlacedGraph, node: PlacedNode, index: number): NodeAttributes {
    const isCenter = node.id === data.center;
    return {
      x: node.x,
      // Sigma's y axis points up.
      y: -node.y,
      size: nodeSize(data, node, this.degree(data, index)),
      label: node.kind === 'ghost' ? `${node.label} (missing)` : node.label,
      color: this.nodeColor(node),
      index,
      forceLabel: isCenter || (data.view === 'ego' && (node.distance ?? 0) <= 1 && data.nodes.length <= 60),
      zIndex: isCenter ? 3 : node.kind === 'ghost' ? 0 : 1,
    };
  }

  private degreeCache: { data: PlacedGraph; degree: Uint32Array } | undefined;

  private degree(data: PlacedGraph, index: number): number {
    if (this.degreeCache?.data !== data) {
      const degree = new Uint32Array(data.nodes.length);
      for (const edge of data.edges) {
        degree[edge.source]!++;
        degree[edge.target]!++;
      }
      this.degreeCache = { data, degree };
    }
    return this.degreeCache.degree[index]!;
  }

  private edgeAttributes(data: PlacedGraph, index: number): EdgeAttributes {
    const edge = data.edges[index]!;
    const weight = edge.weight ?? 0.4;
    return {
      size: data.view === 'library' ? 0.3 + 0.9 * weight : 0.6 + 2.4 * weight,
      color: this.edgeColor(data, index),
      dashed: edge.inferred ? 1 : 0,
      index,
      zIndex: edge.inferred ? 0 : 1,
    };
  }

  private nodeColor(node: PlacedNode): string {
    return normalizeColor(node.kind === 'ghost' ? this.theme.ghost : domainColor(node.domain, this.theme));
  }

  private edgeColor(data: PlacedGraph, index: number): string {
    const edge = data.edges[index]!;
    // In a large graph, thousands of coloured lines blend into one glare: the background links
    // (inferred links of the library; links away from the centre of an ego graph) are drawn in a
    // quiet grey; the tooltip (and, in smaller graphs, hovering) names their relation.
    const large = data.edges.length > LARGE_GRAPH_EDGES;
    if (data.view === 'library') {
      return edge.inferred && large ? withAlpha(this.theme.muted, 0.08) : withAlpha(relationColor(edge.relation, data.relations, this.theme), edge.inferred ? 0.1 : 0.35);
    }
    const touchesCenter = data.nodes[edge.source]!.distance === 0 || data.nodes[edge.target]!.distance === 0;
    const color = large && !touchesCenter ? this.theme.muted : relationColor(edge.relation, data.relations, this.theme);
    return withAlpha(color, egoEdgeOpacity(data, index));
  }

  private nodeData(id: string): PlacedNode | undefined {
    if (!this.data || !this.graph.hasNode(id)) return undefined;
    return this.data.nodes[this.graph.getNodeAttribute(id, 'index')];
  }

  private reduceNode(node: string, attributes: NodeAttributes): Partial<NodeAttributes & { hidden: boolean; highlighted: boolean }> {
    if (!this.shown.nodes[attributes.index]) return { ...attributes, hidden: true };
    if (this.hoveredNode !== undefined) {
      if (node === this.hoveredNode) return { ...attributes, forceLabel: true, highlighted: true, zIndex: 4 };
      if (this.hoveredNeighbours.has(node)) return { ...attributes, forceLabel: true, zIndex: 3 };
      return { ...attributes, color: this.theme.faded, label: '', forceLabel: false, zIndex: 0 };
    }
    if (this.matches) {
      if (this.matches.has(node)) return { ...attributes, highlighted: true, forceLabel: this.matches.size <= 30, zIndex: 4 };
      return { ...attributes, color: this.theme.faded, label: '', forceLabel: false, zIndex: 0 };
    }
    return attributes;
  }

  private reduceEdge(edge: string, attributes: EdgeAttributes): Partial<EdgeAttributes & { hidden: boolean }> {
    if (!this.shown.edges[attributes.index]) return { ...attributes, hidden: true };
    if (this.hoveredNode !== undefined) {
      const [source, target] = this.graph.extremities(edge);
      if (source !== this.hoveredNode && target !== this.hoveredNode) return { ...attributes, color: this.theme.faded, zIndex: 0 };
      const data = this.data?.edges[attributes.index];
      return { ...attributes, color: data ? normalizeColor(relationColor(data.relation, this.data!.relations, this.theme)) : attributes.color, zIndex: 2 };
    }
    if (this.matches) {
      const [source, target] = this.graph.extremities(edge);
      if (!this.matches.has(source) && !this.matches.has(target)) return { ...attributes, color: this.theme.faded, zIndex: 0 };
    }
    return attributes;
  }

  private hoverNode(node: string | undefined, at?: { x: number; y: number }): void {
    const fade = (this.data?.edges.length ?? 0) <= LARGE_GRAPH_EDGES;
    const changed = fade && this.hoveredNode !== (fade ? node : undefined);
    this.hoveredNode = fade ? node : undefined;
    this.pointed = node;
    if (changed) this.pointedDrawn = false;
    this.hoveredNeighbours = new Set();
    if (this.hoveredNode !== undefined && node !== undefined) {
      this.graph.forEachEdge(node, (_, attributes, source, target) => {
        if (this.shown.edges[attributes.index]) this.hoveredNeighbours.add(source === node ? target : source);
      });
    }
    this.container.classList.toggle('pointer', node !== undefined && this.nodeData(node)?.kind === 'pattern');
    if (node === undefined || !at) this.hideTooltip();
    else this.showNodeTooltip(node, at);
    if (changed) this.sigma.refresh({ schedule: true });
  }

  private hoverEdge(edge: string, at: { x: number; y: number }): void {
    if (this.hoveredNode !== undefined || !this.data) return;
    const data = this.data.edges[this.graph.getEdgeAttribute(edge, 'index')];
    if (!data) return;
    const box = this.tooltipBox();
    const source = this.data.nodes[data.source]!;
    const target = this.data.nodes[data.target]!;
    box.appendChild(this.linkLine(source.label, data.relation, target.label, data.inferred));
    const details: string[] = [];
    if (data.weight !== undefined) details.push(`weight ${data.weight}`);
    if (data.inferred) details.push('inferred (machine-written)');
    if (details.length) box.appendChild(text('div', details.join(' · '), 'muted'));
    this.placeTooltip(at);
  }

  private showNodeTooltip(node: string, at: { x: number; y: number }): void {
    const data = this.data;
    const pattern = this.nodeData(node);
    if (!data || !pattern) return;
    const box = this.tooltipBox();
    if (pattern.kind === 'ghost') {
      box.appendChild(text('div', pattern.label, 'title'));
      box.appendChild(text('div', 'No pattern has this name: the links to it dangle.', 'muted'));
    } else {
      box.appendChild(text('div', pattern.label, 'title'));
      const facts = [pattern.slug, pattern.domain, pattern.status].filter((f): f is string => !!f);
      if (facts.length) box.appendChild(text('div', facts.join(' · '), 'muted'));
      if (pattern.summary) box.appendChild(text('div', pattern.summary, 'summary'));
    }
    // Its links on screen, those with the centre first.
    const index = this.graph.getNodeAttribute(node, 'index');
    const center = data.view === 'ego' ? data.nodes.findIndex((n) => n.id === data.center) : -1;
    const links = data.edges
      .map((edge, i) => ({ edge, i }))
      .filter(({ edge, i }) => this.shown.edges[i] && (edge.source === index || edge.target === index))
      .sort((a, b) => Number(b.edge.source === center || b.edge.target === center) - Number(a.edge.source === center || a.edge.target === center));
    if (links.length) {
      const list = document.createElement('ul');
      list.className = 'links';
      for (const { edge } of links.slice(0, MAX_TOOLTIP_LINKS)) {
        const item = document.createElement('li');
        item.appendChild(this.linkLine(data.nodes[edge.source]!.label, edge.relation, data.nodes[edge.target]!.label, edge.inferred));
        list.appendChild(item);
      }
      box.appendChild(list);
      if (links.length > MAX_TOOLTIP_LINKS) box.appendChild(text('div', `and ${links.length - MAX_TOOLTIP_LINKS} more links`, 'muted'));
    }
    if (pattern.kind === 'pattern') box.appendChild(text('div', 'Click to open', 'hint'));
    this.placeTooltip(at);
  }

  private linkLine(source: string, relation: string, target: string, inferred: boolean): HTMLElement {
    const line = document.createElement('div');
    line.className = 'link';
    const swatch = document.createElement('span');
    swatch.className = inferred ? 'swatch dashed' : 'swatch';
    swatch.style.borderColor = normalizeColor(relationColor(relation, this.data?.relations ?? [], this.theme));
    line.append(text('span', source, 'end'), ' ', swatch, text('span', ` ${relation} `, 'relation'), '→ ', text('span', target, 'end'));
    return line;
  }

  private tooltipBox(): HTMLElement {
    this.tooltip.replaceChildren();
    return this.tooltip;
  }

  private placeTooltip(at: { x: number; y: number }): void {
    this.tooltip.hidden = false;
    const box = this.container.getBoundingClientRect();
    const width = this.tooltip.offsetWidth;
    const height = this.tooltip.offsetHeight;
    const x = Math.min(at.x + 14, box.width - width - 4);
    const y = at.y + 14 + height > box.height ? Math.max(4, at.y - height - 10) : at.y + 14;
    this.tooltip.style.left = `${Math.max(4, x)}px`;
    this.tooltip.style.top = `${y}px`;
  }

  private hideTooltip(): void {
    this.tooltip.hidden = true;
  }

  /**
   * A node's label, to its right as sigma draws it, but kept inside the view:
   * one that would run past the right edge goes to the node's left, and one
   * too long for either side ends in an ellipsis (hovering shows the whole title).
   */
  private drawLabel(context: CanvasRenderingContext2D, data: { x: number; y: number; size: number; label?: string | null }, settings: { labelSize: number; labelFont: string; labelWeight: string; labelColor: { color?: string } }): void {
    if (!data.label) return;
    const size = settings.labelSize;
    context.fillStyle = settings.labelColor.color ?? normalizeColor(this.theme.foreground);
    context.font = `${settings.labelWeight} ${size}px ${settings.labelFont}`;
    const margin = 2;
    const width = this.container.clientWidth;
    const right = data.x + data.size + 3;
    const leftEnd = data.x - data.size - 3;
    let label = data.label;
    let measured = context.measureText(label).width;
    let x = right;
    if (right + measured > width - margin) {
      if (leftEnd - measured >= margin) x = leftEnd - measured;
      else {
        // Neither side holds it: the wider side gets as much as fits.
        const room = Math.max(width - margin - right, leftEnd - margin);
        label = fitWithEllipsis(context, label, room);
        measured = context.measureText(label).width;
        x = room === width - margin - right ? right : leftEnd - measured;
      }
    }
    if (label) context.fillText(label, x, data.y + size / 3);
  }

  private drawHover(context: CanvasRenderingContext2D, data: { x: number; y: number; size: number }): void {
    context.beginPath();
    context.arc(data.x, data.y, data.size + 3, 0, Math.PI * 2);
    context.strokeStyle = normalizeColor(this.theme.focus);
    context.lineWidth = 2;
    context.stroke();
  }
}

/** The graph's bounding box in sigma's coordinates (y up). */
function extent(data: PlacedGraph): { x: [number, number]; y: [number, number] } {
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (const node of data.nodes) {
    minX = Math.min(minX, node.x);
    maxX = Math.max(maxX, node.x);
    minY = Math.min(minY, -node.y);
    maxY = Math.max(maxY, -node.y);
  }
  if (!Number.isFinite(minX)) return { x: [0, 1], y: [0, 1] };
  return { x: [minX, maxX], y: [minY, maxY] };
}

/** The longest start of `label` that, with an ellipsis, fits in `room` pixels ('' when not even one letter does). */
function fitWithEllipsis(context: CanvasRenderingContext2D, label: string, room: number): string {
  let low = 0;
  let high = label.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (context.measureText(`${label.slice(0, mid)}…`).width <= room) low = mid;
    else high = mid - 1;
  }
  return low === 0 ? '' : `${label.slice(0, low).trimEnd()}…`;
}

function sameAttributes(a: object, b: object): boolean {
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(y);
  return keys.length === Object.keys(x).length && keys.every((key) => x[key] === y[key]);
}

/** One key per link drawn: source, target, relation and kind. */
export function edgeKey(data: PlacedGraph, index: number): string {
  const edge = data.edges[index]!;
  return `${data.nodes[edge.source]!.id}\u0000${data.nodes[edge.target]!.id}\u0000${edge.relation}\u0000${edge.inferred ? 1 : 0}`;
}

/**
 * Links of the centre stand out; links further out step back, and links
 * between two patterns on the outer ring (thousands, at depth 2 or 3) are
 * only a haze, so the rings read as a tree around the centre.
 */
function egoEdgeOpacity(data: PlacedGraph, index: number): number {
  const edge = data.edges[index]!;
  const a = data.nodes[edge.source]!.distance ?? 0;
  const b = data.nodes[edge.target]!.distance ?? 0;
  if (a === 0 || b === 0) return 0.9;
  // Thousands of links drawn over each other add up to a solid colour: the more there are, the fainter each.
  const density = Math.min(1, Math.max(0.15, Math.sqrt(600 / data.edges.length)));
  if (a <= 1 && b <= 1) return 0.6 * density;
  if (a !== b) return 0.45 * density;
  return 0.15 * density;
}

function nodeSize(data: PlacedGraph, node: PlacedNode, degree: number): number {
  if (data.view === 'library') return Math.min(10, 1.2 + Math.sqrt(degree) * 0.4);
  const crowded = data.nodes.length > 300;
  switch (node.distance ?? 0) {
    case 0:
      return 14;
    case 1:
      return crowded ? 5 : 8;
    case 2:
      return crowded ? 2.5 : 5;
    default:
      return crowded ? 2 : 4;
  }
}

function text(tag: string, content: string, className?: string): HTMLElement {
  const element = document.createElement(tag);
  element.textContent = content;
  if (className) element.className = className;
  return element;
}
