/** The graph webview's page and manifest entries, checked without a browser. */
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { graphPage } from '../../client/src/graphHtml';

const REPO = path.resolve(__dirname, '..', '..');

describe('the graph webview, without a browser', () => {
  const page = graphPage({
    cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
    scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/graph.js',
    styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/graph.css',
    nonce: 'abc123',
  });

  it('has a CSP of default-src none, scripts by nonce only, styles only from the extension', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(page)?.[1]?.replace(/&#39;|&apos;/g, "'");
    assert.ok(csp, 'a CSP meta tag');
    const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
    assert.deepEqual(directives.get('default-src'), ["'none'"]);
    assert.deepEqual(directives.get('script-src'), ["'nonce-abc123'"]);
    assert.deepEqual(directives.get('style-src'), ['https://file+.vscode-resource.vscode-cdn.net']);
    assert.ok(!csp.includes('unsafe'), 'nothing unsafe');
  });

  it('loads one script, with the nonce, and has no inline script or style', () => {
    const scripts = [...page.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 1);
    assert.match(scripts[0]![1]!, /nonce="abc123"/);
    assert.match(scripts[0]![1]!, /src="https:\/\/file\+\.vscode-resource\.vscode-cdn\.net\/ext\/media\/graph\.js"/);
    assert.equal(scripts[0]![2], '');
    assert.ok(!/<style|\sstyle=|\son[a-z]+=/i.test(page), 'no inline style or handler');
  });

  it('the webview code never turns text into markup', () => {
    const dir = path.join(REPO, 'client', 'webview');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(path.join(dir, file), 'utf8');
      assert.doesNotMatch(text, /\.innerHTML|\.outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function\(/, `${file} builds markup from strings`);
      assert.doesNotMatch(text, /setAttribute\(\s*['"](style|on[a-z]+)['"]/, `${file} sets an inline style or handler attribute`);
    }
  });

  it('package.json contributes the command, the editor-title button and the serializer activation', () => {
    const manifest = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
      activationEvents: string[];
      contributes: { commands: Array<{ command: string; title: string; category?: string }>; menus: Record<string, Array<{ command: string; when?: string }>> };
    };
    const panel = readFileSync(path.join(REPO, 'client', 'src', 'graphPanel.ts'), 'utf8');
    const viewType = /GRAPH_VIEW_TYPE = '([^']+)'/.exec(panel)?.[1];
    assert.equal(viewType, 'trellis.graph');
    assert.ok(manifest.activationEvents.includes(`onWebviewPanel:${viewType}`));
    const command = manifest.contributes.commands.find((c) => c.command === 'trellis.showGraph');
    assert.equal(`${command?.category}: ${command?.title}`, 'Trellis: Show Relationship Graph');
    assert.ok(panel.includes("registerCommand('trellis.showGraph'"));
    assert.deepEqual(manifest.contributes.menus['editor/title']?.find((m) => m.command === 'trellis.showGraph')?.when, 'resourceLangId == markdown');
  });
});
