/**
 * Rehype plugin: every KaTeX display formula (span.katex-display, which scrolls sideways when it is
 * wider than the column, e.g. on a phone) becomes keyboard-scrollable (tabindex="0") and is named
 * for assistive technology, so a scrolling formula is reachable without a mouse.
 */
interface HastNode {
  type: string;
  tagName?: string;
  properties?: Record<string, unknown>;
  children?: HastNode[];
}

const isDisplay = (n: HastNode) => {
  const cls = n.properties?.className;
  return n.type === 'element' && Array.isArray(cls) && cls.includes('katex-display');
};

function visit(node: HastNode): void {
  if (isDisplay(node)) {
    node.properties = { ...node.properties, tabIndex: 0, role: 'group', ariaLabel: 'formula' };
  }
  for (const c of node.children ?? []) visit(c);
}

/** The plugin: run after rehype-katex. */
export default function rehypeScrollableMath() {
  return (tree: HastNode) => visit(tree);
}
