import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.package.js';

// shims: import.meta.url in the CJS build (the dashboard's asset lookup).
export default defineConfig({ ...packageBuild, shims: true });
