// ECharts, tree-shaken to what the dashboard draws (gauges and line charts on SVG); loaded on first use
// so the sign-in page and the views without charts don't pay for it.
import { GaugeChart, LineChart } from "echarts/charts";
import { GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { SVGRenderer } from "echarts/renderers";

echarts.use([GaugeChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

export { echarts };
