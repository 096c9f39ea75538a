/**
 * The graph webview's page. Knows nothing of VS Code, so the browser tests
 * load exactly this page. Nothing read from pattern files goes in here: the
 * data arrives by `postMessage`, and the page shows it with `textContent`.
 */
export interface GraphPageResources {
  /** The webview's `cspSource`: where the extension's own files are served from. */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  /** A fresh random value for every page load. */
  nonce: string;
  /** Extra scripts (the tests' stand-in for `acquireVsCodeApi`), loaded first with the same nonce. */
  preludeUris?: string[];
}

export function graphPage(resources: GraphPageResources): string {
  const { cspSource, nonce } = resources;
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `img-src ${cspSource}`,
    `font-src ${cspSource}`,
  ].join('; ');
  const scripts = [...(resources.preludeUris ?? []), resources.scriptUri].map((src) => `<script nonce="${attribute(nonce)}" src="${attribute(src)}"></script>`).join('\n    ');
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta http-equiv="Content-Security-Policy" content="${attribute(csp)}">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <link rel="stylesheet" href="${attribute(resources.styleUri)}">
    <title>Relationship graph</title>
  </head>
  <body>
    <div id="app"></div>
    ${scripts}
  </body>
</html>
`;
}

function attribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
