import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { errorBodyJSON } from '@roster/protocol';
import { AppError } from '../domain/errors.js';
import type { AppEnv } from './env.js';

/**
 * Swagger UI's colours that fail WCAG AA's 4.5:1 (axe-core's color-contrast), darkened to 5:1 or
 * more: the version badges (white on #7d8492, 3.75:1; on #89bf04, 2.2:1), the document link
 * (#4990e2, 3.29:1), the method badges (white on #49cc90, 2.03:1; on #61affe, 2.31:1; ...) and the
 * Authorize button (#49cc90 on white), the schemas' "Expand all" (#afaeae on #efefef, 1.92:1).
 */
const DOCS_CSS = `
.swagger-ui .info .title small{background:#55606e}
.swagger-ui .info .title small.version-stamp{background:#3f6212}
.swagger-ui .info a.link .url,.swagger-ui .info .url{color:#1d4ed8}
.swagger-ui .opblock.opblock-post .opblock-summary-method{background:#0b7a4b}
.swagger-ui .opblock.opblock-get .opblock-summary-method{background:#1d63c9}
.swagger-ui .opblock.opblock-put .opblock-summary-method{background:#a85a00}
.swagger-ui .opblock.opblock-delete .opblock-summary-method{background:#c81e1e}
.swagger-ui .opblock.opblock-patch .opblock-summary-method{background:#0f766e}
.swagger-ui .opblock.opblock-head .opblock-summary-method{background:#7e22ce}
.swagger-ui .btn.authorize{border-color:#0b7a4b;color:#0b7a4b}
.swagger-ui .btn.authorize svg{color:#0b7a4b;fill:#0b7a4b}
.swagger-ui .json-schema-2020-12-expand-deep-button{color:#4b5563}
`;

/** `/openapi.json`, generated from the routes' zod schemas, and `/docs`, a page that renders it (Swagger UI, served locally). */
export function registerDocs(app: OpenAPIHono<AppEnv>) {
  // A fresh object over the same shape: `register` needs the `.openapi()` method that
  // @hono/zod-openapi adds to zod, and zod 4 gives it only to schemas built after that import.
  // The protocol's own schemas may predate it (whenever the protocol is imported first).
  app.openAPIRegistry.register('Errors', z.object(errorBodyJSON.shape));
  app.openAPIRegistry.registerComponent('securitySchemes', 'secretKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'The instance secret key (sk_...), for the Backend API under /v1.',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: '__roster_session',
    description: 'The session cookie (or the same token as a Bearer header), for the Frontend API under /fapi/v1.',
  });

  let document: unknown = null;
  app.get('/openapi.json', (c) => {
    document ??= app.getOpenAPI31Document({
      openapi: '3.1.0',
      info: {
        title: 'Roster API',
        version: '0.1.0',
        description:
          "Organizations, memberships and email invitations. The Backend API (/v1, secret key) follows Clerk's Backend API; the Frontend API (/fapi/v1, session cookie) serves browsers.",
      },
    });
    return c.json(document);
  });

  const dist = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const assets: Record<string, { type: string; body: string }> = {
    'swagger-ui.css': { type: 'text/css', body: readFileSync(join(dist, 'swagger-ui.css'), 'utf8') },
    'swagger-ui-bundle.js': { type: 'text/javascript', body: readFileSync(join(dist, 'swagger-ui-bundle.js'), 'utf8') },
    // Deep links off: Swagger UI puts them as <a> inside each operation's summary <button>
    // (axe-core's nested-interactive, serious).
    'init.js': {
      type: 'text/javascript',
      body: "window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#ui', deepLinking: false });",
    },
    'roster.css': { type: 'text/css', body: DOCS_CSS },
  };
  app.get('/docs/assets/:file', (c) => {
    const file = c.req.param('file');
    // Own keys only: `constructor` or `__proto__` must not reach Object.prototype.
    const asset = Object.hasOwn(assets, file) ? assets[file] : undefined;
    // Thrown rather than `c.notFound()`: the path matches this GET route, so the fallback handler would answer 405.
    if (!asset) throw new AppError('resource_not_found', { meta: { path: `/docs/assets/${file.slice(0, 128)}` } });
    return c.body(asset.body, 200, { 'Content-Type': asset.type, 'Cache-Control': 'public, max-age=3600' });
  });
  app.get('/docs', (c) =>
    c.html(
      '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Roster API</title><link rel="stylesheet" href="/docs/assets/swagger-ui.css"><link rel="stylesheet" href="/docs/assets/roster.css"></head><body><div id="ui"></div><script src="/docs/assets/swagger-ui-bundle.js"></script><script src="/docs/assets/init.js"></script></body></html>',
    ),
  );
}
