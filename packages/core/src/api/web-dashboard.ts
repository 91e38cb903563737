/**
 * The `web` option: the dashboard and Prometheus endpoint are served by the optional package
 * `@weir/web`, so that a user of the DataStream API installs no web server. It is loaded when a
 * job with the option starts; without it installed, the start fails with a ConfigError that says
 * what to install.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../errors.js';
import type { JobObserver } from '../runtime/job-observer.js';

/** The part of @weir/web this option uses. */
interface WebModule {
  webDashboard(options: { port: number; host?: string; onListening?: (url: string) => void }): JobObserver;
}

// A variable, so that bundlers and the type checker leave the optional import alone.
const WEB_PACKAGE = '@weir/web';

/**
 * Resolves @weir/web from this package first (a flat node_modules), then from the program's main
 * module and the working directory (a workspace where only the program depends on it).
 */
async function loadWebPackage(): Promise<WebModule> {
  try {
    return (await import(WEB_PACKAGE)) as WebModule;
  } catch (first) {
    for (const base of [process.argv[1], join(process.cwd(), 'package.json')]) {
      if (base === undefined) continue;
      try {
        return (await import(pathToFileURL(createRequire(base).resolve(WEB_PACKAGE)).href)) as WebModule;
      } catch {
        // try the next place
      }
    }
    throw first;
  }
}

/** @internal The dashboard observer for `web: { port, host }`. */
export async function webDashboard(web: { port: number; host?: string }, onListening?: (url: string) => void): Promise<JobObserver> {
  let mod: WebModule;
  try {
    mod = await loadWebPackage();
  } catch (e) {
    throw new ConfigError(
      `The web option (dashboard on port ${web.port}) needs the package @weir/web: install it next to @weir/core (npm install @weir/web), or leave the option out`,
      { cause: e },
    );
  }
  return mod.webDashboard({ ...web, ...(onListening ? { onListening } : {}) });
}
