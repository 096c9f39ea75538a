/**
 * Colours, from VS Code's theme: the page reads the CSS variables VS Code
 * sets on it (and sets again when the theme changes), and picks relation and
 * domain colours that stand out on that background.
 */

export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

export interface Theme {
  kind: ThemeKind;
  background: string;
  foreground: string;
  muted: string;
  /** For ghosts: targets no pattern has. */
  ghost: string;
  /** Outline of the focused pattern. */
  focus: string;
  /** Links and nodes pushed back while something else is hovered or searched. */
  faded: string;
  font: string;
}

export function readTheme(root: HTMLElement = document.body): Theme {
  const style = getComputedStyle(root);
  const variable = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback;
  const kind = themeKind(root);
  const dark = kind === 'dark' || kind === 'high-contrast';
  const background = variable('--vscode-editor-background', dark ? '#1e1e1e' : '#ffffff');
  const foreground = variable('--vscode-editor-foreground', dark ? '#d4d4d4' : '#1f1f1f');
  return {
    kind,
    background,
    foreground,
    muted: variable('--vscode-descriptionForeground', dark ? '#9d9d9d' : '#6e6e6e'),
    ghost: variable('--vscode-disabledForeground', dark ? '#6b6b6b' : '#a0a0a0'),
    focus: variable('--vscode-focusBorder', '#0078d4'),
    faded: dark ? 'rgba(128,128,128,0.18)' : 'rgba(128,128,128,0.16)',
    font: variable('--vscode-font-family', 'system-ui, sans-serif'),
  };
}

function themeKind(root: HTMLElement): ThemeKind {
  const body = root.ownerDocument.body;
  const attribute = body.getAttribute('data-vscode-theme-kind');
  const classes = body.classList;
  if (attribute === 'vscode-high-contrast-light' || classes.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (attribute === 'vscode-high-contrast' || classes.contains('vscode-high-contrast')) return 'high-contrast';
  if (attribute === 'vscode-dark' || classes.contains('vscode-dark')) return 'dark';
  return 'light';
}

/**
 * Distinct hues for relations, in the order the schema declares them; a
 * relation past the end of the list gets a hue from its name.
 */
const RELATION_HUES = [210, 28, 130, 355, 270, 48, 185, 320, 95, 240];

export function relationColor(relation: string, relations: readonly string[], theme: Theme): string {
  const index = relations.indexOf(relation);
  const hue = index >= 0 && index < RELATION_HUES.length ? RELATION_HUES[index]! : hash(relation) % 360;
  return hsl(hue, 75, theme, 0);
}

/** A domain's colour comes from its name, so it is the same in every view and after every edit. */
export function domainColor(domain: string | undefined, theme: Theme): string {
  if (!domain) return theme.muted;
  return hsl(hash(domain) % 360, 60, theme, 6);
}

function hsl(hue: number, saturation: number, theme: Theme, lift: number): string {
  const lightness = theme.kind === 'dark' || theme.kind === 'high-contrast' ? 62 + lift : 42 - lift;
  return `hsl(${hue}, ${saturation}%, ${lightness}%)`;
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  // Golden-ratio spread, so that similar names do not get similar hues.
  return Math.floor(((h * 0.618033988749895) % 1) * 360 + h) >>> 0;
}

let probe: CanvasRenderingContext2D | null | undefined;

/** Any CSS colour as `#rrggbb` or `rgba(r, g, b, a)`, the forms sigma reads (the theme may use names, `hsl()` or 8-digit hex). */
const normalized = new Map<string, string>();

export function normalizeColor(color: string): string {
  let out = normalized.get(color);
  if (out !== undefined) return out;
  probe ??= document.createElement('canvas').getContext('2d');
  if (!probe) return color;
  probe.fillStyle = '#000000';
  probe.fillStyle = color;
  out = probe.fillStyle;
  normalized.set(color, out);
  return out;
}

/** The colour with an opacity, as sigma reads it. */
export function withAlpha(color: string, alpha: number): string {
  const rgb = normalizeColor(color);
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(rgb);
  if (hex) return `rgba(${parseInt(hex[1]!, 16)},${parseInt(hex[2]!, 16)},${parseInt(hex[3]!, 16)},${alpha})`;
  const rgba = /^rgba?\(\s*(\d+),\s*(\d+),\s*(\d+)(?:,\s*([\d.]+))?\s*\)$/.exec(rgb);
  if (rgba) return `rgba(${rgba[1]},${rgba[2]},${rgba[3]},${alpha * (rgba[4] === undefined ? 1 : Number(rgba[4]))})`;
  return rgb;
}
