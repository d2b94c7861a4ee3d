// Headless Chromium for the browser tests: the Debian package (or CHROMIUM_PATH), driven by
// playwright-core, with the background work (updates, sync, network probes) a test never needs off.
import { chromium, type Browser } from 'playwright-core';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}
