import { z } from 'zod';
import type { ListOrder } from '../../domain/lists/filters.js';

/**
 * Clerk's `order_by`: one of `fields`, `+` (or no sign) ascending, `-` descending. Absent: the
 * store's default (newest first). Any other value is refused (`form_param_format_invalid`).
 *
 * @example
 * orderBy(['created_at', 'name']).parse('-name'); // { field: 'name', direction: 'desc' }
 */
export function orderBy<const F extends string>(fields: readonly F[]) {
  return z
    .string()
    .regex(new RegExp(`^[+-]?(${fields.join('|')})$`), `must be [+|-]${fields.join('|')}`)
    .optional()
    .transform((v): ListOrder<F> | undefined =>
      v ? { field: v.replace(/^[+-]/, '') as F, direction: v.startsWith('-') ? 'desc' : 'asc' } : undefined,
    );
}

/** Clerk's `+id` / `-id` lists (at most 100): which to keep and which to leave out (no sign: keep). */
export const signedIds = (maxLength: number) =>
  z
    .array(
      z
        .string()
        .trim()
        .min(1)
        .max(maxLength + 1),
    )
    .max(100)
    .optional()
    .transform((values) => {
      if (!values) return {};
      const keep = values.filter((v) => !v.startsWith('-')).map((v) => v.replace(/^\+/, ''));
      const drop = values.filter((v) => v.startsWith('-')).map((v) => v.slice(1));
      return { ...((keep.length > 0 || drop.length === 0) && { keep }), ...(drop.length > 0 && { drop }) };
    });

/** A millisecond timestamp bound (`created_at_after=1700690400000`). */
export const msBound = z.coerce.number().int().min(0).optional();
