/**
 * The current view as an image. SVG is drawn again from the positions on
 * screen (so it scales), with every text set through the DOM, which escapes
 * it. PNG is the canvases sigma has just drawn, one over the other.
 */
import type { Attributes } from 'graphology-types';
import type Sigma from 'sigma';
import { EDGE_STYLE } from './edgeProgram';
import type { Theme } from './theme';

const SVG = 'http://www.w3.org/2000/svg';
/** Elements this far outside the view still make it into the picture, so lines leaving it are not cut short. */
const MARGIN = 40;

export function exportSvg<N extends Attributes, E extends Attributes>(sigma: Sigma<N, E>, theme: Theme, title: string): string {
  const { width, height } = sigma.getDimensions();
  const graph = sigma.getGraph();
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('xmlns', SVG);
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const titleElement = element('title', {});
  titleElement.textContent = title;
  svg.appendChild(titleElement);
  svg.appendChild(element('rect', { x: 0, y: 0, width, height, fill: theme.background }));

  const onScreen = (p: { x: number; y: number }): boolean => p.x > -MARGIN && p.y > -MARGIN && p.x < width + MARGIN && p.y < height + MARGIN;
  const place = (node: string): { x: number; y: number; r: number } | undefined => {
    const data = sigma.getNodeDisplayData(node);
    if (!data || data.hidden) return undefined;
    const p = sigma.framedGraphToViewport(data);
    return { x: p.x, y: p.y, r: sigma.scaleSize(data.size) };
  };

  const edges = element('g', { 'fill-opacity': 1 });
  graph.forEachEdge((edge, attributes, source, target) => {
    const data = sigma.getEdgeDisplayData(edge);
    if (!data || data.hidden) return;
    const a = place(source);
    const b = place(target);
    if (!a || !b || (!onScreen(a) && !onScreen(b))) return;
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const length = Math.hypot(dx, dy);
    if (length === 0) return;
    const ux = dx / length;
    const uy = dy / length;
    const thickness = sigma.scaleSize(data.size);
    // The same side as on screen: sigma's y axis points up, the SVG's down.
    const side = thickness * EDGE_STYLE.sideOffset;
    const ox = uy * side;
    const oy = -ux * side;
    const tipX = b.x - ux * b.r + ox;
    const tipY = b.y - uy * b.r + oy;
    const headLength = thickness * EDGE_STYLE.arrowLength * 2;
    const headWidth = thickness * EDGE_STYLE.arrowWidth;
    const baseX = tipX - ux * headLength;
    const baseY = tipY - uy * headLength;
    const line = element('line', {
      x1: round(a.x + ox),
      y1: round(a.y + oy),
      x2: round(baseX),
      y2: round(baseY),
      stroke: data.color,
      'stroke-width': round(thickness * 2),
    });
    if (attributes['dashed']) line.setAttribute('stroke-dasharray', `${EDGE_STYLE.dash} ${EDGE_STYLE.gap}`);
    edges.appendChild(line);
    edges.appendChild(
      element('polygon', {
        points: [
          [tipX, tipY],
          [baseX + uy * headWidth, baseY - ux * headWidth],
          [baseX - uy * headWidth, baseY + ux * headWidth],
        ]
          .map(([x, y]) => `${round(x!)},${round(y!)}`)
          .join(' '),
        fill: data.color,
      }),
    );
  });
  svg.appendChild(edges);

  const nodes = element('g', {});
  const labels = element('g', { 'font-family': theme.font, 'font-size': 12, fill: theme.foreground });
  const shown = sigma.getNodeDisplayedLabels();
  graph.forEachNode((node) => {
    const p = place(node);
    const data = sigma.getNodeDisplayData(node);
    if (!p || !data || !onScreen(p)) return;
    nodes.appendChild(element('circle', { cx: round(p.x), cy: round(p.y), r: round(p.r), fill: data.color }));
    if ((shown.has(node) || data.forceLabel) && data.label) {
      const text = element('text', { x: round(p.x + p.r + 3), y: round(p.y + 4) });
      text.textContent = data.label;
      labels.appendChild(text);
    }
  });
  svg.appendChild(nodes);
  svg.appendChild(labels);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(svg)}\n`;
}

/** A PNG of the view, as base64. */
export function exportPng<N extends Attributes, E extends Attributes>(sigma: Sigma<N, E>, theme: Theme): string {
  const { width, height } = sigma.getDimensions();
  const scale = window.devicePixelRatio || 1;
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('No 2D canvas to draw the picture on.');
  context.fillStyle = theme.background;
  context.fillRect(0, 0, canvas.width, canvas.height);
  // Draw now: WebGL canvases keep their pixels only until the frame is shown.
  sigma.refresh();
  const layers = sigma.getCanvases();
  for (const id of ['edges', 'edgeLabels', 'nodes', 'labels', 'hovers', 'hoverNodes']) {
    const layer = layers[id];
    if (layer) context.drawImage(layer, 0, 0, canvas.width, canvas.height);
  }
  return canvas.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
}

function element(name: string, attributes: Record<string, string | number>): SVGElement {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  return node;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
