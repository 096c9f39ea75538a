// @ts-check
/**
 * A walk through the real editor, as a person would: open the sample
 * library with Trellis installed from the .vsix, open a pattern, open
 * Problems from the status bar, hover things, show the graph beside the
 * pattern, complete a slug, rename one with F2; a screenshot after each step,
 * kept in .test-artifacts/editor/. Every step waits for what it shows.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { workbenchUrl } from '../../scripts/codeServer.mjs';

const STEP_TIMEOUT_MS = 30_000;

/**
 * @param {import('playwright-core').BrowserContext} browser
 * @param {{ origin: string, port: number }} server
 * @param {string} folder a copy of examples/library
 * @param {string} outDir
 */
export async function walkthrough(browser, server, folder, outDir) {
  const page = await browser.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  const shot = (/** @type {string} */ name) => page.screenshot({ path: path.join(outDir, `${name}.png`) });
  try {
    await page.goto(workbenchUrl({ origin: server.origin, port: server.port, folder }));
    await page.locator('.monaco-workbench').waitFor();

    // The status bar says what the library holds once it is indexed.
    const status = page.locator('.statusbar-item', { hasText: '16 patterns' });
    await status.waitFor();

    // Open a pattern by name, and go to the line of its dangling reference.
    await quickOpen(page, 'compost-commons.md');
    await page.locator('.tab.active', { hasText: 'compost-commons.md' }).waitFor();
    await page.keyboard.press('Control+G');
    await page.keyboard.type('73');
    await page.keyboard.press('Enter');
    const squiggle = page.locator('.view-overlays .squiggly-warning').first();
    await squiggle.waitFor();

    // The status bar item's tooltip: one line per library.
    await status.hover();
    await page.locator('.workbench-hover', { hasText: 'Click to open Problems' }).first().waitFor();
    await shot('status-bar');
    await page.mouse.move(700, 300);

    // A click on the status bar item opens Problems, which lists the library's problems, unopened files included.
    await status.click();
    const problems = page.locator('.markers-panel');
    await problems.locator('.monaco-list-row', { hasText: 'soil-testing-protocol' }).waitFor();
    await problems.locator('.monaco-list-row', { hasText: 'work-party.md' }).waitFor();
    await page.mouse.move(700, 300);
    await shot('problems');

    // The diagnostic on the slug itself, as a hover in the editor.
    const slug = token(page, 'soil-testing-protocol');
    await slug.hover();
    await page.locator('.monaco-hover', { hasText: 'no pattern has that slug' }).first().waitFor();
    await shot('diagnostic-hover');
    await page.keyboard.press('Escape');

    // The relationship graph beside the pattern: its page lives in nested webview frames.
    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget input').fill('>Trellis: Show');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Show' }).first().waitFor();
    await page.keyboard.press('Enter');
    const graph = await frameWith(page, '.status');
    await graph.locator('.status', { hasText: /Compost Commons · \d+ of \d+ nodes/ }).waitFor();
    await page.mouse.move(700, 880);
    await shot('graph');

    // Completing a slug: type over the dangling one, then ask for suggestions.
    // The editor is narrower beside the graph: bring the line back into view first.
    await page.locator('.tab', { hasText: 'compost-commons.md' }).click();
    await page.keyboard.press('Control+G');
    await page.keyboard.type('73');
    await page.keyboard.press('Enter');
    await slug.click();
    await page.keyboard.press('End');
    for (let i = 0; i < 'soil-testing-protocol'.length; i++) await page.keyboard.press('Backspace');
    await page.keyboard.type('wat');
    await page.keyboard.press('Control+Space');
    const suggestions = page.locator('.suggest-widget');
    await suggestions.locator('.monaco-list-row', { hasText: 'watering-rota' }).waitFor();
    await suggestions.locator('.monaco-list-row', { hasText: 'Watering Rota' }).waitFor();
    await shot('completion');
    await page.keyboard.press('Escape');

    // Rename a slug with F2: the file and every reference follow (the editor saves refactorings).
    await quickOpen(page, 'watering-rota.md');
    await page.locator('.tab.active', { hasText: 'watering-rota.md' }).waitFor();
    await token(page, 'watering-rota').click();
    await page.keyboard.press('F2');
    const renameBox = page.locator('.rename-box input');
    await renameBox.waitFor();
    await renameBox.fill('watering-roster');
    await page.keyboard.press('Enter');
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'watering-roster.md' }).waitFor();
    await until(() => /slug: watering-roster\n/.test(readFileSync(path.join(folder, 'harvest-sharing.md'), 'utf8')), 'harvest-sharing.md to be saved with the new slug');
    await shot('rename');
  } catch (error) {
    await shot('walkthrough-failure').catch(() => undefined);
    throw error;
  } finally {
    await page.close();
  }
}

/**
 * Resolves once `condition` holds, checking every 100 ms, for files the editor writes.
 * @param {() => boolean} condition @param {string} what
 */
async function until(condition, what) {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The first frame holding `selector` (webview content sits in iframes within iframes).
 * @param {import('playwright-core').Page} page @param {string} selector
 */
async function frameWith(page, selector) {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  for (;;) {
    for (const frame of page.frames()) {
      if (await frame.locator(selector).count().catch(() => 0)) return frame;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for a frame with ${selector}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The editor token with exactly this text (tokens are the inner spans of a view line).
 * @param {import('playwright-core').Page} page
 * @param {string} text
 */
function token(page, text) {
  return page.locator('.view-line span span').filter({ hasText: new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }).first();
}

/**
 * @param {import('playwright-core').Page} page
 * @param {string} name
 */
async function quickOpen(page, name) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor();
  await page.keyboard.press('Enter');
}

/**
 * Restricted Mode, as a person sees it: the status bar item with its shield
 * and the notice on the config's `schemas`.
 * @param {import('playwright-core').BrowserContext} browser
 * @param {{ origin: string, port: number }} server
 * @param {string} folder an untrusted copy of test/editor/fixtures/recipes
 * @param {string} outDir
 */
export async function restrictedWalkthrough(browser, server, folder, outDir) {
  const page = await browser.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  try {
    await page.goto(workbenchUrl({ origin: server.origin, port: server.port, folder }));
    const status = page.locator('.statusbar-item', { hasText: '3 patterns' });
    await status.locator('.codicon-shield').waitFor();
    await quickOpen(page, 'trellis.config.json');
    await page.locator('.tab.active', { hasText: 'trellis.config.json' }).waitFor();
    // The notice is an Information diagnostic on `schemas`.
    await page.locator('.view-overlays .squiggly-info').first().waitFor();
    await token(page, '"schemas"').hover();
    await page.locator('.monaco-hover', { hasText: 'Restricted Mode' }).first().waitFor();
    await page.screenshot({ path: path.join(outDir, 'restricted-mode.png') });
  } catch (error) {
    await page.screenshot({ path: path.join(outDir, 'restricted-failure.png') }).catch(() => undefined);
    throw error;
  } finally {
    await page.close();
  }
}
