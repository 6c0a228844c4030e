import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * Domains no organization may claim, from two maintained lists shipped as npm data: common
 * providers (`email-providers`' common.json: gmail.com, outlook.com, …) and disposable ones
 * (`disposable-email-domains`). Loaded once, on first use.
 */
let lists: { common: Set<string>; disposable: Set<string> } | undefined;

function load() {
  lists ??= {
    common: new Set(require('email-providers/common.json') as string[]),
    disposable: new Set(require('disposable-email-domains') as string[]),
  };
  return lists;
}

/**
 * Which list refuses `name` (lowercase), checking it and every parent domain (`eu.mailinator.com`
 * is refused with `mailinator.com`), or null when it may be claimed.
 */
export function refusedProvider(name: string): 'common' | 'disposable' | null {
  const { common, disposable } = load();
  const labels = name.split('.');
  for (let i = 0; i < labels.length - 1; i++) {
    const suffix = labels.slice(i).join('.');
    if (disposable.has(suffix)) return 'disposable';
    if (common.has(suffix)) return 'common';
  }
  return null;
}
