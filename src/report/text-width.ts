// Text widths for laying out the charts. Without a canvas, vega guesses 0.8 em per character, which
// makes every title and label box about 60% too wide (wide gaps, legends pushed away). Vega lets a
// caller supply the measure (vl-convert does the same); this one sums Helvetica's published character
// widths (the Adobe font metrics; Arial and Liberation Sans share them). Pure arithmetic, so the SVG
// stays byte-identical on every machine, and the `canvas` package is never needed.
import * as vega from 'vega';

/** Helvetica advance widths, 1/1000 em, for the characters 32 (space) to 126 (~). */
const HELVETICA_WIDTHS = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // space ! " # $ % & ' ( ) * + , - . /
  556, 556, 556, 556, 556, 556, 556, 556, 556, 556, // 0-9
  278, 278, 584, 584, 584, 556, 1015, // : ; < = > ? @
  667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, // A-Z
  278, 278, 278, 469, 556, 333, // [ \ ] ^ _ `
  556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, // a-z
  334, 260, 334, 584, // { | } ~
];
/** Any other character (µ, ≤, ’, …): the width of a digit. */
const OTHER_WIDTH = 556;
/** Helvetica Bold is about 6% wider on average; rounded up so a bold title never overflows its box. */
const BOLD_FACTOR = 1.08;

export function helveticaWidth(text: string, fontSizePx: number, bold: boolean): number {
  let units = 0;
  for (const character of text) {
    const code = character.codePointAt(0) as number;
    units += code >= 32 && code <= 126 ? (HELVETICA_WIDTHS[code - 32] as number) : OTHER_WIDTH;
  }
  return (units / 1000) * fontSizePx * (bold ? BOLD_FACTOR : 1);
}

interface TextItem {
  readonly text?: unknown;
  readonly fontSize?: number;
  readonly fontWeight?: string | number;
}

let installed = false;

/** Makes vega measure text with helveticaWidth, once per process. */
export function installTextMeasure(): void {
  if (installed) return;
  installed = true;
  const metrics = (vega as unknown as { textMetrics: { width: (item: TextItem, text?: unknown) => number } }).textMetrics;
  metrics.width = (item, text) => {
    const value = text ?? item.text;
    const line = Array.isArray(value) ? value.map(String).reduce((a, b) => (a.length >= b.length ? a : b), '') : value == null ? '' : String(value);
    const weight = item.fontWeight;
    const bold = weight === 'bold' || (typeof weight === 'number' && weight >= 600);
    return helveticaWidth(line, item.fontSize ?? 11, bold);
  };
}
