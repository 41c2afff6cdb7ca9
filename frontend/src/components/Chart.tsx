// A chart drawn by ECharts, which is loaded on first use (see echartsSetup.ts).
import type { EChartsCoreOption, EChartsType } from "echarts/core";
import { useEffect, useRef } from "preact/hooks";

export type ChartOption = EChartsCoreOption;

export function Chart(props: { option: ChartOption; height: number; label: string; class?: string }) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | null>(null);
  const option = useRef(props.option);
  option.current = props.option;

  useEffect(() => {
    let disposed = false;
    let observer: ResizeObserver | null = null;
    void import("./echartsSetup").then(({ echarts }) => {
      if (disposed || !host.current) return;
      const instance = echarts.init(host.current, undefined, { renderer: "svg" });
      chart.current = instance;
      instance.setOption(option.current);
      observer = new ResizeObserver(() => instance.resize());
      observer.observe(host.current);
    });
    return () => {
      disposed = true;
      observer?.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(props.option, { lazyUpdate: true });
  }, [props.option]);

  // The picture is decorative for screen readers: the label (and the surrounding text) says the numbers.
  return <div ref={host} class={`chart ${props.class ?? ""}`} style={{ height: `${props.height}px` }} role="img" aria-label={props.label} />;
}

/** A half-ring gauge, 0–100 %, in the dashboard's colours. */
export function gaugeOption(ratio: number, color: string): ChartOption {
  const value = Math.round(Math.max(0, Math.min(1, ratio)) * 100);
  return {
    animationDuration: 400,
    series: [
      {
        type: "gauge",
        startAngle: 200,
        endAngle: -20,
        min: 0,
        max: 100,
        radius: "100%",
        center: ["50%", "62%"],
        progress: { show: value > 0, width: 12, roundCap: true, itemStyle: { color } },
        axisLine: { lineStyle: { width: 12, color: [[1, "#e6ebf1"]] }, roundCap: true },
        pointer: { show: false },
        axisTick: { show: false },
        splitLine: { show: false },
        axisLabel: { show: false },
        anchor: { show: false },
        title: { show: false },
        detail: {
          valueAnimation: true,
          offsetCenter: [0, "0%"],
          fontSize: 24,
          fontWeight: 650,
          color: "#0f172a",
          formatter: "{value}%",
        },
        data: [{ value }],
      },
    ],
  };
}

export function utilizationColor(ratio: number): string {
  if (ratio >= 0.9) return "#b42318";
  if (ratio >= 0.7) return "#d97706";
  return "#0f766e";
}
