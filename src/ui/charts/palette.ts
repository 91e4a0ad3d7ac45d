/** Okabe–Ito colours: distinguishable with the common colour-vision deficiencies. */
export const PALETTE = [
  '#0072B2',
  '#D55E00',
  '#009E73',
  '#CC79A7',
  '#E69F00',
  '#56B4E9',
  '#000000',
];

/** Y domain for accuracies in %: a point of margin below the data, never above 100. */
export const ACCURACY_DOMAIN: [(min: number) => number, (max: number) => number] = [
  (min) => Math.max(0, Math.floor(min - 1)),
  (max) => Math.min(100, Math.ceil(max + 0.5)),
];

/** Y-axis gutter widths grow with classroom mode's larger tick labels. */
export const axisWidth = (base: number, classroom: boolean) =>
  classroom ? Math.round(base * 1.45) : base;
