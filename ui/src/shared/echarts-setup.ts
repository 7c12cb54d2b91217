// The parts of ECharts the dashboard draws with, registered once. Importing
// from echarts/core keeps the other chart types out of the bundle, and this
// module is loaded on first use so the start-up bundle stays small.
import * as echarts from "echarts/core";
import { BarChart, FunnelChart, GraphChart, LineChart, PieChart } from "echarts/charts";
import { GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";

echarts.use([BarChart, FunnelChart, GraphChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export { echarts };
