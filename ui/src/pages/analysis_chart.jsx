// analysis_chart.jsx - ECharts for the analysis results: only the charts and
// components used here (tree-shaken), drawn on a canvas, tooltips as rich
// text (no HTML, so nothing inline for the Content-Security-Policy to
// refuse). A chart is resized with the window and disposed of with its page.
import { useEffect, useRef } from 'preact/hooks';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import {
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([LineChart, BarChart, GridComponent, TooltipComponent, LegendComponent, DataZoomComponent, CanvasRenderer]);

// Paul Tol's colour-blind-safe "muted" palette, as the engine's SVG charts;
// after nine series the lines are dashed.
export const PALETTE = ['#CC6677', '#332288', '#DDCC77', '#117733', '#88CCEE', '#882255', '#44AA99', '#999933', '#AA4499'];

export function seriesColour(i) {
  return PALETTE[i % PALETTE.length];
}

export function seriesDash(i) {
  return i >= PALETTE.length ? 'dashed' : 'solid';
}

const FONT = '"Noto Sans JP", "Hiragino Sans", "Yu Gothic UI", "Meiryo", system-ui, sans-serif';

// Defaults every chart shares; option is merged over them.
function withDefaults(option) {
  return {
    animation: false,
    textStyle: { fontFamily: FONT, color: '#1b1f24' },
    ...option,
    tooltip: { renderMode: 'richText', confine: true, ...(option.tooltip || {}) },
  };
}

// A chart: option (ECharts), label (what it shows, for screen readers; the
// numbers are in the tables beside it), height in pixels (default: the
// stylesheet's), series (the names of its series, kept on the element as
// data-series for whoever reads the page without seeing the canvas).
export function EChart({ option, label, height, id, series }) {
  const ref = useRef(null);
  const chart = useRef(null);
  useEffect(() => {
    const el = ref.current;
    if (height) el.style.height = height + 'px';
    const c = echarts.init(el, null, { renderer: 'canvas', locale: 'EN' });
    chart.current = c;
    const onResize = () => c.resize();
    addEventListener('resize', onResize);
    return () => {
      removeEventListener('resize', onResize);
      c.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    const el = ref.current;
    if (height && el.style.height !== height + 'px') {
      el.style.height = height + 'px';
      if (chart.current) chart.current.resize();
    }
  }, [height]);
  useEffect(() => {
    if (chart.current && option) chart.current.setOption(withDefaults(option), true);
  }, [option]);
  return (
    <div class="chart analysis-chart" ref={ref} id={id} role="img" aria-label={label}
      data-series={series ? series.join('\n') : undefined} />
  );
}
