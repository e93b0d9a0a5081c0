/** Reading rendered SVGs in tests: marks by layer name, axis and title labels (linkedom's XML parser). */
import { DOMParser } from "linkedom";

export interface SvgDoc {
  /** Items drawn by the Vega-Lite layer `name` (all facet panels). */
  marks(name: string): number;
  /** aria-labels of the axes ("X-axis titled '…' …"). */
  axes(): string[];
  /** The title and subtitle texts. */
  titles(): string[];
  /** aria-labels of the legends. */
  legends(): string[];
  /** Text of every <text> element. */
  texts(): string[];
}

export function readSvg(svg: string): SvgDoc {
  const doc = new DOMParser().parseFromString(svg, "image/svg+xml");
  const all = (sel: string) => Array.from(doc.querySelectorAll(sel)) as Element[];
  return {
    marks: (name) => all(`g.${name}_marks`).reduce((s, g) => s + Array.from(g.children).length, 0),
    axes: () => all('g[aria-roledescription="axis"]').map((g) => g.getAttribute("aria-label") ?? ""),
    titles: () => all('[aria-roledescription="title"], [aria-roledescription="subtitle"]').map((g) => g.getAttribute("aria-label") ?? ""),
    legends: () => all('g[aria-roledescription="legend"]').map((g) => g.getAttribute("aria-label") ?? ""),
    texts: () => all("text").map((t) => t.textContent ?? ""),
  };
}
