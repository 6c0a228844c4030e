export * from './app-invitations.js';
export * from './audit-log.js';
export * from './errors.js';
export * from './role-api.js';
export * from './roles.js';
export * from './schemas.js';
export * from './webhooks.js';
export * from './wire.js';
