/** The value of cookie `name` in a `Cookie` header, decoded; `null` when absent. */
export function readCookie(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key !== name) continue;
    try {
      return decodeURIComponent(rest.join('='));
    } catch {
      return null;
    }
  }
  return null;
}

/** A `Cookie` header with cookie `name` set to `value` (any earlier `name` dropped, the others kept). */
export function withCookie(header: string | null, name: string, value: string): string {
  const others = (header ?? '')
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part !== '' && part.split('=')[0] !== name);
  return [...others, `${name}=${encodeURIComponent(value)}`].join('; ');
}
