import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NextConfig } from 'next';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

// Nothing here is for Roster: the packages ship built JavaScript, so an app needs no config for
// them. This monorepo installs `next` at the repository root, hence the two roots.
const config: NextConfig = {
  outputFileTracingRoot: root,
  turbopack: { root },
  poweredByHeader: false,
};

export default config;
