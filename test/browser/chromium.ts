// Headless Chromium for the browser tests, from the npm registry: @sparticuz/chromium ships the
// binary inside the package (unpacked into the temp dir on first use), so `npm test` needs no
// system browser. LOWRANK_CHROMIUM=/path/to/chromium uses another one instead.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium } from "playwright-core";

/** The flags of a quiet, sandbox-free headless run on a machine with no network beyond loopback. */
const ARGS = [
  "--headless=new", "--no-sandbox", "--no-zygote", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
];

export async function chromiumPath(): Promise<string> {
  const override = process.env.LOWRANK_CHROMIUM;
  if (override) return override;
  const { default: packaged } = await import("@sparticuz/chromium");
  return packaged.executablePath();
}

/** A browser context with a fresh profile; `close()` also removes the profile. */
export async function launch(options: { width: number; height: number }): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const userDataDir = mkdtempSync(join(tmpdir(), "lowrank-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: await chromiumPath(),
    headless: true,
    args: ARGS,
    viewport: { width: options.width, height: options.height },
    deviceScaleFactor: 1,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
