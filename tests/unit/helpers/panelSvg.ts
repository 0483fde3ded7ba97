/** One panel drawn as the page draws it when the panel stands alone: its wide or its narrow (phone) SVG. */
import { renderFigure, type PanelSpec } from '../../../src/site/figure';

/** The SVG of `p` alone in a figure, in the wide layout (first) or the narrow one (second). */
export function panelSvg(p: PanelSpec, id: string, layout: 'wide' | 'narrow'): string {
  const svgs = renderFigure({ panels: [p] }, id).split('</svg>');
  return svgs[layout === 'wide' ? 0 : 1] + '</svg>';
}
