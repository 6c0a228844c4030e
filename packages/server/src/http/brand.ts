import type { OpenAPIHono } from '@hono/zod-openapi';
import { BRAND_LOGO_PATH } from '../brand.js';
import { AppError } from '../domain/errors.js';
import type { AppEnv } from './env.js';

/**
 * `GET /brand/logo.png`: the instance's logo (`ROSTER_BRAND_LOGO`, decision 050), public, for the
 * hosted pages and for mail clients (which fetch it from any origin). Pages and mail ask for it
 * with `?v=` of its hash, so a day of caching never shows an old logo for long; 304 on a match.
 */
export function registerBrandRoutes(app: OpenAPIHono<AppEnv>) {
  app.get(BRAND_LOGO_PATH, (c) => {
    const logo = c.var.brand.logo;
    if (!logo) throw new AppError('resource_not_found');
    const headers = {
      'Cache-Control': 'public, max-age=86400',
      ETag: logo.etag,
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'",
      'Cross-Origin-Resource-Policy': 'cross-origin',
    };
    if (c.req.header('if-none-match') === logo.etag) return c.body(null, 304, headers);
    return c.body(new Uint8Array(logo.png), 200, { ...headers, 'Content-Type': 'image/png' });
  });
}
