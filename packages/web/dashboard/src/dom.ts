/**
 * A tiny element builder: enough for a page of panels and tables without a framework.
 */

type Child = Node | string | number | null | undefined | false;

/**
 * Creates an element with attributes (`class`, `data-*`, `title`, ...) and children.
 *
 * @example
 * ```ts
 * h('div', { class: 'card' }, h('span', { class: 'label' }, 'Records'), '1,234');
 * ```
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number | boolean | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

/**
 * Creates an SVG element.
 *
 * @example
 * ```ts
 * svg('path', { d: 'M0 0L10 10', class: 'edge' });
 * ```
 */
export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number | undefined> = {}, ...children: Child[]): SVGElementTagNameMap[K] {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) el.setAttribute(k, String(v));
  append(el, children);
  return el;
}

function append(el: Element, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'object' ? c : String(c));
  }
}

/**
 * Sets an element's text only when it changed (no layout work for the same value every second).
 *
 * @example
 * ```ts
 * setText(cell, '1,234');
 * ```
 */
export function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

/**
 * Replaces an element's children.
 *
 * @example
 * ```ts
 * replaceChildren(tbody, ...rows);
 * ```
 */
export function replaceChildren(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}
