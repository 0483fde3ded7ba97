/**
 * Browser: a link to something inside collapsed lab notes (a report row's "figure" link, a
 * cross-reference) opens the <details> that hold it and scrolls to it, on load and on every hash change;
 * printing opens every lab note, so a printed chapter is whole.
 */
function reveal(): void {
  const id = decodeURIComponent(location.hash.slice(1));
  const target = id ? document.getElementById(id) : null;
  if (!target) return;
  let opened = false;
  for (let d = target.closest('details'); d; d = d.parentElement?.closest('details') ?? null) {
    if (!d.open) {
      d.open = true;
      opened = true;
    }
  }
  if (opened) target.scrollIntoView();
}

reveal();
window.addEventListener('hashchange', reveal);
window.addEventListener('beforeprint', () =>
  document.querySelectorAll<HTMLDetailsElement>('details.lab-notes').forEach((d) => (d.open = true)),
);
