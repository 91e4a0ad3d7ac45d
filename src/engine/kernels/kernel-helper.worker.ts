/**
 * A kernel helper thread (kernel-pool.ts): the lab's kernels on tfjs's shared heap, computing
 * the parts of calls the engine's thread hands it until it is stopped.
 */
import { instantiateLabKernels } from './lab-kernels-instance';
import { serveCalls, type HelperStart } from './kernel-pool';

self.addEventListener(
  'message',
  (event: MessageEvent<HelperStart>) => {
    try {
      const kernels = instantiateLabKernels(event.data.memory);
      self.postMessage('ready');
      serveCalls(new Int32Array(event.data.control), kernels);
    } catch (error) {
      self.postMessage(error instanceof Error ? error.message : String(error));
    }
  },
  { once: true },
);
