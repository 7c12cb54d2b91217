import { useEffect, useRef } from "react";
import type { ECharts, EChartsOption } from "echarts";

type Setup = typeof import("./echarts-setup");
let loading: Promise<Setup> | null = null;
const loadECharts = () => (loading ??= import("./echarts-setup"));

/** One ECharts chart; `onClick` receives the clicked item's data. */
export function Chart({
  option,
  height = 260,
  testId,
  onClick,
}: {
  option: EChartsOption;
  height?: number;
  testId?: string;
  onClick?: (data: unknown) => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  // The newest props, for the chart that appears once ECharts has loaded and for its clicks.
  const latest = useRef({ option, onClick });
  useEffect(() => {
    latest.current = { option, onClick };
  });

  useEffect(() => {
    let disposed = false;
    const resize = () => chart.current?.resize();
    void loadECharts().then(({ echarts }) => {
      if (disposed || !box.current) return;
      const c = echarts.init(box.current, undefined, { renderer: "canvas" });
      chart.current = c;
      c.setOption(withDefaults(latest.current.option), true);
      c.on("click", (params: { data?: unknown }) => latest.current.onClick?.(params.data));
      // Tests and screen readers can tell a drawn chart from an empty box.
      box.current.dataset.rendered = "true";
      window.addEventListener("resize", resize);
    });
    return () => {
      disposed = true;
      window.removeEventListener("resize", resize);
      chart.current?.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(withDefaults(option), true);
  }, [option]);

  return <div ref={box} style={{ height }} className="chart" data-testid={testId} />;
}

function withDefaults(option: EChartsOption): EChartsOption {
  // One month or one source would otherwise stretch into a bar the width of the chart.
  const series = (Array.isArray(option.series) ? option.series : option.series ? [option.series] : []).map((s) =>
    s.type === "bar" ? { barMaxWidth: 48, ...s } : s,
  );
  return { textStyle: { fontFamily: "Noto Sans CJK JP, sans-serif" }, animation: false, ...option, series };
}
