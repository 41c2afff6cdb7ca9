// A few line icons for empty states (inline SVG: no icon font, no emoji that a system may lack).
const PATHS: Record<string, string> = {
  inbox: "M4 13h4l2 3h4l2-3h4M5 6h14l1 7v5a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1v-5z",
  wrench: "M14.7 6.3a4 4 0 0 0-5.4 5.4L4 17l3 3 5.3-5.3a4 4 0 0 0 5.4-5.4l-2.5 2.5-2.5-.5-.5-2.5z",
  car: "M5 16h14M6 16v2M18 16v2M4 16v-4l2-5h12l2 5v4M4 12h16M8 14h.01M16 14h.01",
  board: "M4 5h16v14H4zM9 5v14M14 5v14",
  grid: "M4 4h7v7H4zM13 4h7v7h-7zM4 13h7v7H4zM13 13h7v7h-7z",
  chart: "M4 19h16M6 16l4-5 3 3 5-7",
};

export function Icon(props: { name: keyof typeof PATHS | string }) {
  return (
    <svg viewBox="0 0 24 24" width="28" height="28" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">
      <path d={PATHS[props.name] ?? PATHS.inbox} />
    </svg>
  );
}
