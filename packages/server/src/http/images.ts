import type { OpenAPIHono } from '@hono/zod-openapi';
import { organizationJSON, userJSON as userWire } from '@roster/protocol';
import type { Context } from 'hono';
import { z } from 'zod';
import { AppError } from '../domain/errors.js';
import {
  deleteOrganizationLogo,
  deleteUserImage,
  getImage,
  MAX_IMAGE_BYTES,
  setOrganizationLogo,
  setUserImage,
  type UploadedImage,
} from '../domain/images/images.js';
import type { Organization } from '../domain/records.js';
import type { AppEnv } from './env.js';
import { defineRoute, readParams, type SignedIn, signedIn } from './route.js';
import { serializeOrganizations, userJSON } from './serialize.js';

/**
 * Where logos and user images are uploaded (Clerk's paths, multipart `file`) and served
 * (`GET /images/{id}`, public: the id is unguessable and changes with every upload, so an answer
 * is cached for a year). Decoding and resizing are in the domain's ImageNormalizer (sharp).
 */

/** Upload paths get a body limit of 10 MB (plus the multipart envelope) instead of the API's default. */
export const UPLOAD_BODY_BYTES = MAX_IMAGE_BYTES + 64 * 1024;
const UPLOAD_PATH = /^\/(?:v1|fapi\/v1)\/(?:organizations\/[^/]+\/logo|users\/[^/]+\/profile_image|me\/profile_image)$/;

export function isUploadPath(path: string): boolean {
  return UPLOAD_PATH.test(path);
}

const MULTIPART = /^multipart\/form-data\b/i;

/** Reads the multipart `file` field. */
async function readUpload(c: Context<AppEnv>): Promise<UploadedImage> {
  if (!MULTIPART.test(c.req.header('content-type') ?? ''))
    throw new AppError('form_param_missing', { meta: { param_name: 'file' } });
  let form: Record<string, unknown>;
  try {
    form = await c.req.parseBody();
  } catch {
    throw new AppError('malformed_request_body');
  }
  const file = form.file;
  if (!(file instanceof Blob)) throw new AppError('form_param_missing', { meta: { param_name: 'file' } });
  if (file.size > MAX_IMAGE_BYTES) throw new AppError('image_too_large', { meta: { param_name: 'file' } });
  return { bytes: new Uint8Array(await file.arrayBuffer()) };
}

/** The request body of every upload route, for the OpenAPI document. */
const uploadBody = {
  content: {
    'multipart/form-data': {
      schema: {
        type: 'object' as const,
        properties: { file: { type: 'string' as const, format: 'binary' } },
        required: ['file'],
      },
    },
  },
  required: true,
};

const tags = ['Images'];
const orgParams = z.object({ organization_id: z.string().max(128) });
const userParams = z.object({ user_id: z.string().max(64) });

/**
 * An upload route: declared in the OpenAPI document with its multipart body, its path parameters
 * read as defineRoute reads them (a malformed id is `resource_not_found`), and the `file` read
 * before the handler runs. (defineRoute itself takes JSON bodies only.)
 */
function uploadRoute<P extends z.ZodObject, S extends 'secret_key' | 'session'>(
  app: OpenAPIHono<AppEnv>,
  spec: { path: string; method: 'post' | 'put'; params: P; response: z.ZodType; security: S },
  handler: (
    c: Context<AppEnv>,
    input: { params: z.output<P>; file: UploadedImage } & ([S] extends ['session'] ? SignedIn : unknown),
  ) => Promise<unknown>,
) {
  app.openAPIRegistry.registerPath({
    method: spec.method,
    path: spec.path.replace(/:(\w+)/g, '{$1}'),
    summary: 'Upload an image (JPEG, PNG, GIF or WebP, at most 10 MB)',
    tags,
    security: [{ [spec.security === 'session' ? 'session' : 'secretKey']: [] }],
    request: { params: spec.params as never, body: uploadBody },
    responses: {
      200: { description: 'The changed object', content: { 'application/json': { schema: spec.response } } },
      default: {
        description: 'Error',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Errors' } } },
      },
    },
  });
  app.on(spec.method.toUpperCase(), spec.path, async (c) => {
    // Signed out: `session_invalid` before the parameters or the file are read, as defineRoute.
    const caller = spec.security === 'session' ? signedIn(c) : undefined;
    const params = readParams(spec.params, c.req.param());
    const file = await readUpload(c);
    return c.json((await handler(c, { params, file, ...caller } as Parameters<typeof handler>[1])) as object);
  });
}

export function registerImageRoutes(app: OpenAPIHono<AppEnv>) {
  const organization = async (c: Context<AppEnv>, org: Organization, audience: 'backend' | 'frontend') =>
    (await serializeOrganizations(c.var.deps.store, [org], audience, c.var.deps.now()))[0]!;

  // Serving
  app.get('/images/:image_id', async (c) => {
    const image = await getImage(c.var.deps, c.req.param('image_id'));
    const etag = `"${image.id}"`;
    const headers = {
      'Cache-Control': 'public, max-age=31536000, immutable',
      ETag: etag,
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'",
      // Shown by apps on other origins (the switcher's avatars) and by mail clients.
      'Cross-Origin-Resource-Policy': 'cross-origin',
    };
    if (c.req.header('if-none-match') === etag) return c.body(null, 304, headers);
    return c.body(image.data as Uint8Array<ArrayBuffer>, 200, { ...headers, 'Content-Type': image.contentType });
  });

  // Backend API (secret key)
  uploadRoute(
    app,
    {
      path: '/v1/organizations/:organization_id/logo',
      method: 'put',
      params: orgParams,
      response: organizationJSON,
      security: 'secret_key',
    },
    async (c, { params, file }) =>
      organization(
        c,
        await setOrganizationLogo(c.var.deps, { kind: 'secret_key' }, params.organization_id, file),
        'backend',
      ),
  );
  defineRoute(
    app,
    {
      method: 'delete',
      path: '/v1/organizations/:organization_id/logo',
      summary: "Delete an organization's logo",
      tags,
      params: orgParams,
      response: organizationJSON,
    },
    async (c, { params }) =>
      organization(
        c,
        await deleteOrganizationLogo(c.var.deps, { kind: 'secret_key' }, params.organization_id),
        'backend',
      ),
  );
  uploadRoute(
    app,
    {
      path: '/v1/users/:user_id/profile_image',
      method: 'post',
      params: userParams,
      response: userWire,
      security: 'secret_key',
    },
    async (c, { params, file }) => userJSON(await setUserImage(c.var.deps, params.user_id, file), 'backend'),
  );
  defineRoute(
    app,
    {
      method: 'delete',
      path: '/v1/users/:user_id/profile_image',
      summary: "Delete a user's profile image",
      tags,
      params: userParams,
      response: userWire,
    },
    async (c, { params }) => userJSON(await deleteUserImage(c.var.deps, params.user_id), 'backend'),
  );

  // Frontend API (session; same-origin checked like every write)
  uploadRoute(
    app,
    {
      path: '/fapi/v1/organizations/:organization_id/logo',
      method: 'post',
      params: orgParams,
      response: organizationJSON,
      security: 'session',
    },
    async (c, { params, file, actor }) =>
      organization(c, await setOrganizationLogo(c.var.deps, actor, params.organization_id, file), 'frontend'),
  );
  defineRoute(
    app,
    {
      method: 'delete',
      path: '/fapi/v1/organizations/:organization_id/logo',
      summary: "Remove an organization's logo",
      tags,
      params: orgParams,
      response: organizationJSON,
      security: 'session',
    },
    async (c, { params, actor }) =>
      organization(c, await deleteOrganizationLogo(c.var.deps, actor, params.organization_id), 'frontend'),
  );
  uploadRoute(
    app,
    {
      path: '/fapi/v1/me/profile_image',
      method: 'post',
      params: z.object({}),
      response: userWire,
      security: 'session',
    },
    async (c, { file, user }) => userJSON(await setUserImage(c.var.deps, user.id, file), 'frontend'),
  );
  defineRoute(
    app,
    {
      method: 'delete',
      path: '/fapi/v1/me/profile_image',
      summary: 'Remove your profile image',
      tags,
      response: userWire,
      security: 'session',
    },
    async (c, { user }) => userJSON(await deleteUserImage(c.var.deps, user.id), 'frontend'),
  );
}
