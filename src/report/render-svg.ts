// Turns a Vega-Lite spec into SVG text on the server: vega-lite compiles it, vega renders it with no
// canvas and no DOM ('none' renderer), so the same spec gives the same bytes on every machine.
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { installTextMeasure } from './text-width.js';

/** Look shared by every chart: legible sizes, no interactivity, a white background for dark viewers. */
export const CHART_CONFIG = {
  background: 'white',
  // No ARIA attributes on every mark: they would double the SVG's size (a label per point) for no reader,
  // since the page's tables carry the same figures as text.
  aria: false,
  padding: 8,
  font: 'Helvetica, Arial, sans-serif',
  title: { fontSize: 15, subtitleFontSize: 12, subtitleColor: '#444', anchor: 'start', offset: 10 },
  axis: { labelFontSize: 12, titleFontSize: 13, titleFontWeight: 'normal', gridColor: '#e4e4e4', labelColor: '#222', titleColor: '#222' },
  legend: { labelFontSize: 12, titleFontSize: 12, orient: 'bottom', direction: 'horizontal', labelLimit: 0 },
  header: { labelFontSize: 13, titleFontSize: 13 },
  view: { stroke: '#bbb' },
} as const;

/**
 * Renders one chart. Vega's loader is given nothing to fetch (every spec carries its data inline),
 * and a spec that asks for a URL fails here instead of reaching for the network.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  installTextMeasure();
  const compiled = compile({ ...spec, config: { ...CHART_CONFIG, ...(spec.config ?? {}) } } as TopLevelSpec).spec;
  const loader = vega.loader();
  loader.load = async (uri: string): Promise<string> => {
    throw new Error(`a report chart must carry its data inline, but it asked for ${uri}`);
  };
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', loader });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
