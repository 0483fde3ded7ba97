/**
 * What the schematic pictures share: the caption rule (at most SCHEMATIC_CAPTION_WORDS words, checked
 * at build time) and arrowheads drawn as polygons (no <marker> ids to keep unique on a page).
 */

/** The longest caption a schematic takes, in words. */
export const SCHEMATIC_CAPTION_WORDS = 50;

/** The caption, or an error naming the picture when it is empty or too long. */
export function schematicCaption(caption: string, picture: string): string {
  const words = caption.trim().split(/\s+/).filter(Boolean).length;
  if (words === 0) throw new Error(`${picture}: the caption is empty`);
  if (words > SCHEMATIC_CAPTION_WORDS)
    throw new Error(`${picture}: the caption has ${words} words, at most ${SCHEMATIC_CAPTION_WORDS} allowed`);
  return caption.trim();
}

/** Points of a small triangle at `tip`, pointing away from `from` (an arrowhead for a line or curve ending there). */
export function arrowhead(from: [number, number], tip: [number, number], size = 7): string {
  const [fx, fy] = from;
  const [tx, ty] = tip;
  const len = Math.hypot(tx - fx, ty - fy) || 1;
  const ux = (tx - fx) / len;
  const uy = (ty - fy) / len;
  const bx = tx - ux * size;
  const by = ty - uy * size;
  const w = size * 0.45;
  const pts = [
    [tx, ty],
    [bx - uy * w, by + ux * w],
    [bx + uy * w, by - ux * w],
  ];
  return pts.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ');
}
