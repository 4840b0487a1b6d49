// Small DOM helpers shared by the panel's views.

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { text?: string; className?: string; id?: string; title?: string } = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (props.text !== undefined) e.textContent = props.text;
  if (props.className) e.className = props.className;
  if (props.id) e.id = props.id;
  if (props.title) e.title = props.title;
  e.append(...children);
  return e;
}

/** A collapsible section (<details>) whose open state the caller remembers. */
export function section(
  id: string,
  title: string,
  open: boolean,
  onToggle: (open: boolean) => void,
): { root: HTMLDetailsElement; body: HTMLDivElement } {
  const root = el('details', { id, className: 'section' });
  root.open = open;
  root.append(el('summary', { text: title }));
  const body = el('div', { className: 'section-body' });
  root.append(body);
  root.addEventListener('toggle', () => onToggle(root.open));
  return { root, body };
}
