import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NextConfig } from 'next';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

const config: NextConfig = {
  // The Roster packages are workspace packages published as TypeScript source.
  transpilePackages: ['@roster/nextjs', '@roster/react', '@roster/client', '@roster/protocol'],
  // npm workspaces install next at the repository root.
  outputFileTracingRoot: root,
  poweredByHeader: false,
  experimental: {
    // The packages' sources import './x.js' for './x.ts' (TypeScript's NodeNext style). Webpack
    // honours this; Turbopack does not (yet), hence `next build --webpack` in package.json.
    extensionAlias: { '.js': ['.ts', '.tsx', '.js'] },
  },
};

export default config;
