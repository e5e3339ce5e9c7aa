// A few DOM helpers: the pages build plain elements, no framework.

type Child = Node | string | number | null | undefined | false;

/** An element with attributes (`data-*`, `class`, …) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string | undefined> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== undefined) element.setAttribute(name, value);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

/**
 * A shown value. `testid` names it for the browser tests, `raw` keeps the chain's exact integer
 * next to its rounded text, so that tests compare both.
 */
export function value(text: string, testid?: string, raw?: bigint | number | string | null): HTMLSpanElement {
  return h('span', { class: 'value', 'data-testid': testid, 'data-raw': raw === null || raw === undefined ? undefined : String(raw) }, text);
}

/** A two-column list of labelled values. */
export function facts(rows: [string, Child][]): HTMLElement {
  return h('dl', { class: 'facts' }, ...rows.flatMap(([label, content]) => [h('dt', {}, label), h('dd', {}, content)]));
}

/** A table with a header row. */
export function table(headers: string[], rows: Child[][], attrs: Record<string, string> = {}): HTMLTableElement {
  return h('table', attrs,
    h('thead', {}, h('tr', {}, ...headers.map((title) => h('th', {}, title)))),
    h('tbody', {}, ...rows.map((cells) => h('tr', {}, ...cells.map((cell) => h('td', {}, cell))))));
}

/** A titled section. */
export function section(title: string, ...children: Child[]): HTMLElement {
  return h('section', {}, h('h2', {}, title), ...children);
}

/** Replaces an element's children. */
export function fill(element: HTMLElement, ...children: Child[]): void {
  element.replaceChildren(...children.filter((c): c is Node | string | number => c !== null && c !== undefined && c !== false).map((c) => (c instanceof Node ? c : String(c))));
}
