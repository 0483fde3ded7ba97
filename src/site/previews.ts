/**
 * Hover and focus previews of in-text references (browser side): a citation shows its full
 * reference, a figure reference the figure's first panel (a thumbnail) and caption, a table
 * reference the table's caption, an equation reference the equation. Each link marked `data-preview` (Cite.astro, Ref.astro) previews the
 * element its href points to on the same page, so the preview is what the page already says.
 *
 * One tooltip (role="tooltip") serves all links: it opens on pointer hover and on keyboard focus,
 * is named by the link's aria-describedby while open, stays open while the pointer is over it
 * (so it can be read or selected: WCAG 1.4.13), and closes on Escape, blur or leaving. It is laid
 * out inside the viewport's width, so it never widens a phone's page.
 */
const TIP_ID = 'ref-preview';
/** Grace period (ms) for the pointer to travel from the link to the tooltip before it closes. */
const LEAVE_GRACE = 200;
/** Gap (px) between the link and the tooltip, and the least margin to the viewport's edges. */
const GAP = 6;
const MARGIN = 8;

/** A copy of `el` fit for a preview: no ids, no focus stops, nothing a screen reader reads twice. */
function inert<T extends Element>(el: T): T {
  const c = el.cloneNode(true) as T;
  for (const n of [c, ...c.querySelectorAll('*')]) {
    n.removeAttribute('id');
    n.removeAttribute('tabindex');
    n.removeAttribute('aria-labelledby');
    n.removeAttribute('aria-describedby');
  }
  // Links inside a tooltip cannot be reached: keep their text only.
  for (const a of c.querySelectorAll('a')) a.replaceWith(...a.childNodes);
  return c;
}

/** The preview's content for a target element, or null when there is nothing to show. */
function content(target: Element): Node[] | null {
  if (target.matches('li[id^="ref-"]')) {
    // The reference's own "link" goes where a tooltip cannot be followed: leave it out.
    const li = target.cloneNode(true) as Element;
    li.querySelectorAll('a').forEach((a) => a.remove());
    return [...inert(li).childNodes];
  }
  if (target.matches('figure.fig')) {
    const out: Node[] = [];
    const svg = [...target.querySelectorAll<SVGSVGElement>('.panels svg.fig-panel')].find(
      (s) => s.getBoundingClientRect().width > 0,
    );
    if (svg) {
      const thumb = inert(svg);
      thumb.removeAttribute('role');
      thumb.removeAttribute('data-geom');
      thumb.setAttribute('aria-hidden', 'true');
      thumb.setAttribute('class', 'fig-panel preview-thumb');
      thumb.querySelector('.readout')?.replaceChildren();
      out.push(thumb);
    }
    const cap = target.querySelector('figcaption');
    if (cap) {
      const c = inert(cap);
      c.querySelector('.alt-finding')?.remove();
      const p = document.createElement('p');
      p.className = 'preview-caption';
      p.append(...c.childNodes);
      out.push(p);
    }
    return out.length ? out : null;
  }
  if (target.matches('figure.table-fig')) {
    // A table previews its caption (number, finding, what it shows); the table itself is too big for a tooltip.
    const cap = target.querySelector('figcaption');
    if (!cap) return null;
    const p = document.createElement('p');
    p.className = 'preview-caption';
    p.append(...inert(cap).childNodes);
    return [p];
  }
  const eq = target.matches('.equation') ? target : null;
  if (eq) return [inert(eq)];
  return null;
}

/** Places the tooltip below the link (above when there is no room), inside the viewport's width. */
function place(tip: HTMLElement, link: HTMLElement): void {
  const r = link.getBoundingClientRect();
  const vw = document.documentElement.clientWidth;
  tip.style.maxWidth = `${Math.max(0, vw - 2 * MARGIN)}px`;
  const w = tip.offsetWidth;
  const h = tip.offsetHeight;
  const left = Math.min(Math.max(MARGIN, r.left), vw - w - MARGIN);
  const below = r.bottom + GAP + h <= window.innerHeight || r.top - GAP - h < 0;
  const top = below ? r.bottom + GAP : r.top - GAP - h;
  tip.style.left = `${left + window.scrollX}px`;
  tip.style.top = `${top + window.scrollY}px`;
}

/** Wires every `a[data-preview]` of the page to the one tooltip. */
export function initPreviews(): void {
  if (document.getElementById(TIP_ID)) return;
  const tip = document.createElement('div');
  tip.id = TIP_ID;
  tip.className = 'ref-preview';
  tip.setAttribute('role', 'tooltip');
  tip.hidden = true;
  document.body.append(tip);
  let owner: HTMLElement | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const close = () => {
    clearTimeout(timer);
    owner?.removeAttribute('aria-describedby');
    owner = null;
    tip.hidden = true;
    tip.replaceChildren();
  };
  const open = (link: HTMLElement) => {
    clearTimeout(timer);
    if (owner === link) return;
    const id = decodeURIComponent(link.getAttribute('href')?.replace(/^#/, '') ?? '');
    const target = id ? document.getElementById(id) : null;
    const nodes = target && content(target);
    if (!nodes) return;
    close();
    tip.dataset.kind = target.matches('figure.table-fig')
      ? 'table'
      : target.matches('figure')
        ? 'figure'
        : target.matches('.equation')
          ? 'equation'
          : 'citation';
    tip.replaceChildren(...nodes);
    tip.hidden = false;
    owner = link;
    link.setAttribute('aria-describedby', TIP_ID);
    place(tip, link);
  };
  const leave = () => {
    clearTimeout(timer);
    timer = setTimeout(close, LEAVE_GRACE);
  };

  for (const link of document.querySelectorAll<HTMLElement>('a[data-preview]')) {
    link.addEventListener('pointerenter', () => open(link));
    link.addEventListener('pointerleave', leave);
    link.addEventListener('focus', () => open(link));
    link.addEventListener('blur', close);
  }
  tip.addEventListener('pointerenter', () => clearTimeout(timer));
  tip.addEventListener('pointerleave', leave);
  document.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape' && owner) close();
  });
}
