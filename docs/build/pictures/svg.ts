/**
 * A few SVG helpers for the docs' pictures: escaping, elements as strings, text width estimates.
 * Pictures are plain strings so that the same inputs always give byte-identical files (the doc
 * tests compare the committed SVGs with freshly generated ones).
 */

/** Escapes text for an SVG text node or attribute. */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

type Attrs = Record<string, string | number | undefined>;

/** One element; numbers are rounded to 0.1 so that layouts print the same on every machine. */
export function el(name: string, attrs: Attrs, ...children: string[]): string {
  const a = Object.entries(attrs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${typeof v === 'number' ? round(v) : esc(v!)}"`)
    .join('');
  return children.length ? `<${name}${a}>${children.join('')}</${name}>` : `<${name}${a}/>`;
}

/** A text element. */
export function text(x: number, y: number, s: string, attrs: Attrs = {}): string {
  return el('text', { x, y, ...attrs }, esc(s));
}

export function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/** Approximate width of `s` in the pictures' sans-serif font at `size` px (no font metrics offline). */
export function textWidth(s: string, size = 12): number {
  let w = 0;
  for (const ch of s) w += /[mwMW@]/.test(ch) ? 0.85 : /[A-Z0-9]/.test(ch) ? 0.66 : /[il.,:;'|!]/.test(ch) ? 0.3 : 0.55;
  return w * size;
}

/** The whole document, with a white background and the shared styles. */
export function svgDocument(width: number, height: number, title: string, body: string): string {
  const style = [
    'text{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;font-size:12px;fill:#1f2328}',
    '.muted{fill:#656d76}',
    '.small{font-size:10px}',
    '.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}',
  ].join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${round(width)}" height="${round(height)}" viewBox="0 0 ${round(width)} ${round(height)}" role="img">` +
    el('title', {}, esc(title)) +
    el('style', {}, style) +
    el('rect', { x: 0, y: 0, width, height, fill: '#ffffff' }) +
    body +
    '</svg>\n'
  );
}

/** A qualitative palette (colour-blind friendly, Okabe-Ito). */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];
