import { type RefObject, useEffect } from 'react';

/** How far to shift a panel sideways so it stays `margin` px inside the viewport. */
export function shiftIntoViewport(
  rect: { left: number; right: number; width: number },
  viewport: number,
  margin = 8,
): number {
  if (rect.width === 0 || viewport === 0) return 0; // not laid out
  if (rect.right > viewport - margin) return Math.max(margin - rect.left, viewport - margin - rect.right);
  if (rect.left < margin) return margin - rect.left;
  return 0;
}

/**
 * Moves an absolutely placed panel sideways (through `left`) so it never overflows a narrow
 * viewport, whatever side of the page its button sits on.
 */
export function placeInViewport(panel: HTMLElement): void {
  panel.style.left = '';
  panel.style.right = '';
  const shift = shiftIntoViewport(panel.getBoundingClientRect(), document.documentElement.clientWidth || innerWidth);
  if (shift === 0) return;
  // From where its own CSS put it (left:0 or right:0) to `shift` px further along.
  const from = panel.offsetLeft;
  panel.style.right = 'auto';
  panel.style.left = `${from + shift}px`;
}

/** While `open`, places the panel in `ref` again whenever the viewport changes size (a phone turned, a window resized). */
export function usePlacedOnResize(ref: RefObject<HTMLElement | null>, open: boolean): void {
  useEffect(() => {
    if (!open) return;
    const place = () => {
      if (ref.current) placeInViewport(ref.current);
    };
    window.addEventListener('resize', place);
    return () => window.removeEventListener('resize', place);
  }, [ref, open]);
}
