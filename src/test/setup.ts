// Unit tests run on tfjs's CPU backend: the reference implementation every other backend is
// checked against. Component tests (jsdom) get jest-dom's matchers.
import '@testing-library/jest-dom/vitest';
import * as tf from '@tensorflow/tfjs';

await tf.setBackend('cpu');
