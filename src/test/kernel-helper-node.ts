/**
 * A kernel helper thread for Node (worker_threads), as kernel-helper.worker.ts is in the
 * browser: kernel-pool.test.ts starts it with tsx.
 */
import { parentPort } from 'node:worker_threads';
import { instantiateLabKernels } from '../engine/kernels/lab-kernels-instance';
import { serveCalls, type HelperStart } from '../engine/kernels/kernel-pool';

parentPort!.once('message', ({ memory, control }: HelperStart) => {
  const kernels = instantiateLabKernels(memory);
  parentPort!.postMessage('ready');
  serveCalls(new Int32Array(control), kernels);
});
