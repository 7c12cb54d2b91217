import { useEffect, useRef } from "react";
import type { ECharts, EChartsOption } from "echarts";
import echartsUrl from "echarts/dist/echarts.min.js?url";

type EChartsModule = typeof import("echarts");
let loading: Promise<EChartsModule> | null = null;

// ECharts runs as a classic script: inside the app's ES-module bundle its
// start-up code throws in WebKitGTK ("Attempted to assign to readonly
// property"), so the published file is loaded as it is, once, on first use.
function loadECharts(): Promise<EChartsModule> {
  loading ??= new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = echartsUrl;
    script.onload = () => resolve((window as unknown as { echarts: EChartsModule }).echarts);
    script.onerror = () => reject(new Error("ECharts could not be loaded"));
    document.head.appendChild(script);
  });
  return loading;
}

/** One ECharts chart; `onClick` receives the clicked item's data. */
export function Chart({ option, height = 260, testId, onClick }: { option: EChartsOption; height?: number; testId?: string; onClick?: (data: unknown) => void }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  const latest = useRef({ option, onClick });
  latest.current = { option, onClick };

  useEffect(() => {
    let disposed = false;
    const resize = () => chart.current?.resize();
    void loadECharts().then((echarts) => {
      if (disposed || !box.current) return;
      const c = echarts.init(box.current, undefined, { renderer: "canvas" });
      chart.current = c;
      c.setOption(withDefaults(latest.current.option), true);
      c.on("click", (params: { data?: unknown }) => latest.current.onClick?.(params.data));
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
  return { textStyle: { fontFamily: "Noto Sans CJK JP, sans-serif" }, animation: false, ...option };
}
