/** A generator of uniform floats in [0, 1): what every seeded consumer in core/ is handed. */
export type Rng = () => number;
