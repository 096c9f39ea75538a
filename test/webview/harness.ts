/**
 * Runs the graph webview's real page (client/src/graphHtml.ts, media/graph.js,
 * media/graph.css) in headless Chromium, served from 127.0.0.1, with a
 * stand-in for the VS Code host (fixtures/vscode-stub.js). Graph data comes
 * from the real core on the real corpus.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { graphPage } from '../../client/src/graphHtml';
import type { FromWebview, ToWebview } from '../../client/src/graphProtocol';

export const REPO = path.resolve(__dirname, '..', '..');
export const ARTIFACTS = path.join(REPO, '.test-artifacts', 'webview');
export const CORPUS =
  process.env['TRELLIS_CORPUS'] ??
  [path.resolve(REPO, '..', 'shared', 'corpus', 'commons-os-patterns'), '/work/shared/corpus/commons-os-patterns'].find((dir) => existsSync(dir)) ??
  path.resolve(REPO, '..', 'shared', 'corpus', 'commons-os-patterns');
const CHROMIUM = process.env['CHROMIUM'] ?? '/usr/bin/chromium';

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html' };

/** Serves the page, media/ and the stub; everything else is a 404. */
export async function serveWebview(): Promise<{ origin: string; close(): Promise<void> }> {
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const origin = `http://${request.headers.host}`;
    if (url.pathname === '/' || url.pathname === '/graph.html') {
      const page = graphPage({
        cspSource: origin,
        scriptUri: `${origin}/media/graph.js`,
        styleUri: `${origin}/media/graph.css`,
        nonce: randomBytes(16).toString('base64url'),
        preludeUris: [`${origin}/harness/vscode-stub.js`],
      });
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
      return;
    }
    const file = url.pathname.startsWith('/media/')
      ? path.join(REPO, 'media', path.basename(url.pathname))
      : url.pathname === '/harness/vscode-stub.js'
        ? path.join(__dirname, 'fixtures', 'vscode-stub.js')
        : undefined;
    if (!file || !existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface Browser {
  context: BrowserContext;
  /** Requests to anywhere but the test server: there must be none. */
  offsite: string[];
  close(): Promise<void>;
}

export async function launchBrowser(origin: string): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: install it (apt-get install chromium) or set CHROMIUM.`);
  const profile = await fs.mkdtemp(path.join(os.tmpdir(), 'trellis-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1100, height: 760 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // WebGL in software, as on a machine without a GPU.
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
    ],
  });
  const offsite: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${origin}/`) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    offsite.push(url);
    return route.abort();
  });
  return {
    context,
    offsite,
    close: async () => {
      await context.close();
      await fs.rm(profile, { recursive: true, force: true });
    },
  };
}

/** The page's hook for the node under the pointer (client/webview/main.ts). */
type PointerHook = { trellisGraph: { pointedNode(): string | undefined } };

/** One page of the webview, with what it posted and what went wrong in it. */
export class WebviewPage {
  readonly errors: string[] = [];
  readonly dialogs: string[] = [];
  private revision = 0;

  private constructor(readonly page: Page) {
    page.on('pageerror', (error) => this.errors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') this.errors.push(`console: ${message.text()}`);
    });
    page.on('dialog', (dialog) => {
      this.dialogs.push(dialog.message());
      void dialog.dismiss();
    });
  }

  static async open(browser: Browser, origin: string, theme: 'light' | 'dark' | 'high-contrast' = 'light'): Promise<WebviewPage> {
    const page = await browser.context.newPage();
    const webview = new WebviewPage(page);
    await page.goto(`${origin}/graph.html?theme=${theme}`);
    await webview.waitForPosted({ type: 'ready' });
    return webview;
  }

  /** Sends a message as the extension would; returns the revision of a graph message. */
  async send(message: ToWebview | Omit<Extract<ToWebview, { type: 'graph' }>, 'revision'>): Promise<number> {
    const revision = ++this.revision;
    const full = message.type === 'graph' ? { ...message, revision } : message;
    // As text: Playwright moves one string much faster than a large object.
    await this.page.evaluate((json) => window.postMessage(JSON.parse(json), '*'), JSON.stringify(full));
    return revision;
  }

  posted(): Promise<FromWebview[]> {
    return this.page.evaluate(() => (window as unknown as { posted: FromWebview[] }).posted);
  }

  /** Waits until the page has posted a message with these fields (compared with ===), and returns it. */
  async waitForPosted<K extends FromWebview['type']>(fields: { type: K } & Record<string, string | number | boolean>): Promise<Extract<FromWebview, { type: K }>> {
    let handle;
    try {
      handle = await this.page.waitForFunction(
        (wanted) => (window as unknown as { posted?: Array<Record<string, unknown>> }).posted?.find((m) => Object.entries(wanted).every(([k, v]) => m[k] === v)),
        fields,
        { timeout: 90_000, polling: 'raf' },
      );
    } catch (error) {
      // What the page did post instead (and where its camera is) says why: a click read as a drag or a double click, a view not shown.
      const posted = await this.posted().catch(() => []);
      const camera = await this.page.evaluate(() => (window as unknown as { trellisGraph?: { camera(): unknown } }).trellisGraph?.camera()).catch(() => undefined);
      throw new Error(`${(error as Error).message}\nwaited for ${JSON.stringify(fields)}; posted: ${JSON.stringify(posted.map((m) => ({ ...m, ...('graph' in m ? { graph: '…' } : {}) })))}; camera: ${JSON.stringify(camera)}`);
    }
    return (await handle.jsonValue()) as Extract<FromWebview, { type: K }>;
  }

  waitForRendered(revision: number): Promise<Extract<FromWebview, { type: 'rendered' }>> {
    return this.waitForPosted({ type: 'rendered', revision });
  }

  nodeOnPage(id: string): Promise<{ x: number; y: number } | undefined> {
    return this.page.evaluate((node) => (window as unknown as { trellisGraph: { nodeOnPage(id: string): { x: number; y: number } | undefined } }).trellisGraph.nodeOnPage(node), id);
  }

  /**
   * Clicks a node as a person would: the pointer goes to it, and the click comes once the view says the
   * node is under the pointer and has been drawn since (hovering redraws the view, and sigma finds the node
   * under a click in what it last drew: a click in between can find nothing).
   */
  async clickNode(id: string): Promise<void> {
    const at = await this.nodeOnPage(id);
    if (!at) throw new Error(`${id} is not on screen`);
    await this.page.mouse.move(at.x, at.y);
    try {
      await this.page.waitForFunction((node) => (window as unknown as PointerHook).trellisGraph.pointedNode() === node, id, { timeout: 30_000, polling: 'raf' });
    } catch (error) {
      const over = await this.page.evaluate(() => (window as unknown as PointerHook).trellisGraph.pointedNode()).catch(() => undefined);
      throw new Error(`${(error as Error).message}\nthe pointer at ${JSON.stringify(at)} is over ${JSON.stringify(over)}, not ${id}`);
    }
    await this.page.mouse.click(at.x, at.y);
  }

  violations(): Promise<string[]> {
    return this.page.evaluate(() => (window as unknown as { violations: string[] }).violations);
  }

  async screenshot(name: string): Promise<string> {
    await fs.mkdir(ARTIFACTS, { recursive: true });
    const file = path.join(ARTIFACTS, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** How many pixels of a PNG (base64) differ from its top-left corner: a blank picture has none. */
  async inkedPixels(base64: string): Promise<number> {
    return this.page.evaluate(async (data) => {
      const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
      const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
      const canvas = document.createElement('canvas');
      canvas.width = bitmap.width;
      canvas.height = bitmap.height;
      const context = canvas.getContext('2d')!;
      context.drawImage(bitmap, 0, 0);
      const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
      let inked = 0;
      for (let i = 0; i < pixels.length; i += 4) {
        if (Math.abs(pixels[i]! - pixels[0]!) + Math.abs(pixels[i + 1]! - pixels[1]!) + Math.abs(pixels[i + 2]! - pixels[2]!) > 30) inked++;
      }
      return inked;
    }, base64);
  }
}
