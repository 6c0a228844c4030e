'use client';
import type { ReactNode } from 'react';
import { type Appearance, classOf } from './appearance.js';

/** Up to two initials: "Grace Hopper" → "GH", "acme" → "A", "ada.lovelace@example.com" → "AL". */
export function initialsOf(name: string): string {
  const words = name.includes('@') ? name.replace(/@.*$/, '').split(/[._-]+/) : name.split(/\s+/);
  const present = words.filter(Boolean);
  const letters = present.length > 1 ? [present[0], present.at(-1)] : [present[0]];
  return letters
    .map((w) => (w ? Array.from(w)[0] : ''))
    .join('')
    .toUpperCase();
}

/**
 * A round picture for a person or an organization: the image when there is one, else its
 * initials on a colour picked from the name. Decorative (`alt=""`): the name is always written next to it.
 */
export function Avatar(props: {
  appearance: Appearance | undefined;
  name: string;
  imageUrl?: string | null;
  hasImage?: boolean;
  size?: number;
  square?: boolean;
}): ReactNode {
  const size = props.size ?? 32;
  const style = { width: size, height: size, fontSize: Math.round(size * 0.4) };
  const className = classOf(props.appearance, 'avatar', props.square ? 'roster-avatar-square' : undefined);
  if (props.hasImage && props.imageUrl) {
    return <img className={className} src={props.imageUrl} alt="" width={size} height={size} style={style} />;
  }
  return (
    <span className={className} aria-hidden="true" data-initials style={{ ...style, background: hueOf(props.name) }}>
      {initialsOf(props.name) || '?'}
    </span>
  );
}

/** A stable, readable background (white text passes 4.5:1 on every one of these). */
function hueOf(name: string): string {
  let h = 0;
  for (const c of name) h = (h * 31 + (c.codePointAt(0) ?? 0)) % 360;
  return `hsl(${h} 55% 28%)`; // dark enough for white initials (≥ 4.5:1) at every hue
}
