/**
 * Which optional data sets this build has built in, as vite.config.ts saw public/data/ when it
 * built the app (scripts/prepare-data.mjs fills it). Outside a vite build (unit tests, the
 * CLI) the answer is yes: those read the files in place.
 */
declare const __FASHION_MNIST_BUILT_IN__: boolean | undefined;

/** Whether public/data/fashion-mnist/ was there at build time (Debian's dataset-fashion-mnist). */
export const FASHION_MNIST_BUILT_IN: boolean =
  typeof __FASHION_MNIST_BUILT_IN__ === 'boolean' ? __FASHION_MNIST_BUILT_IN__ : true;
