/**
 * The benchmark page (bench.html): times the lab's real training step in the app's own engine
 * worker, one fresh worker per case, and prints one JSON line per case. `npm run bench` drives
 * it in headless Chromium; a person can open it too.
 */
import { BACKEND_SETTINGS, MODELS, type BackendSetting, type ModelName } from '../schema/config';
import { createWorkerClient } from '../worker/engine-client';
import type { BenchmarkRequest } from '../worker/protocol';

const out = document.getElementById('results')!;

/**
 * The input each model is timed at, as the PyTorch yardstick (torch_bench.py) times it: the
 * LeNets at MNIST's 28 × 28 × 1, the CNNs for CIFAR at 32 × 32 × 3.
 */
const BENCH_INPUT: Record<ModelName, [number, number, number]> = {
  lenet300: [28, 28, 1],
  lenet5: [28, 28, 1],
  conv4: [32, 32, 3],
  resnet8: [32, 32, 3],
  resnet20: [32, 32, 3],
};

function parseCases(text: string): BenchmarkRequest[] {
  return text
    .split(',')
    .filter(Boolean)
    .map((spec) => {
      // backend:model:batch[:threads[:FLAG=value;FLAG=value]]
      const [backend, model, batch, threads, flags] = spec.split(':');
      if (!BACKEND_SETTINGS.includes(backend as BackendSetting))
        throw new Error(`bad backend in ${spec}`);
      if (!MODELS.includes(model as ModelName)) throw new Error(`bad model in ${spec}`);
      const request: BenchmarkRequest = {
        backend: backend as BackendSetting,
        model: model as ModelName,
        batch: Number(batch),
        input: BENCH_INPUT[model as ModelName],
      };
      if (threads) request.threads = Number(threads);
      if (flags) {
        request.flags = Object.fromEntries(
          flags.split(';').map((pair) => {
            const [name, value] = pair.split('=');
            const parsed = value === 'true' ? true : value === 'false' ? false : Number(value);
            if (!name || (typeof parsed === 'number' && Number.isNaN(parsed)))
              throw new Error(`bad flag in ${spec}`);
            return [name, parsed];
          }),
        );
      }
      return request;
    });
}

function browserVersion(): string {
  const match = navigator.userAgent.match(/(?:HeadlessChrome|Chrome|Chromium)\/([\d.]+)/);
  return match ? `chromium ${match[1]}` : navigator.userAgent;
}

async function main() {
  const params = new URLSearchParams(location.search);
  const cases = parseCases(params.get('cases') ?? 'auto:lenet5:64,auto:lenet300:64');
  const dataUrl = new URL('data/mnist/', document.baseURI).toString();
  for (const request of cases) {
    const client = createWorkerClient(dataUrl);
    try {
      const { backend, throughput } = await client.benchmark({
        ...request,
        blocks: Number(params.get('blocks') ?? 5),
        blockMs: Number(params.get('blockMs') ?? 800),
        profileSteps: Number(params.get('profileSteps') ?? 0),
      });
      out.textContent += `${JSON.stringify({
        backend: backend.backend,
        model: request.model,
        batch: request.batch,
        input: request.input,
        threads: backend.threads ?? 1,
        ...(backend.simdKernels !== undefined ? { simdKernels: backend.simdKernels } : {}),
        ...(backend.kernelThreads !== undefined ? { kernelThreads: backend.kernelThreads } : {}),
        ...(request.flags ? { flags: request.flags } : {}),
        samples_per_s: Math.round(throughput.samplesPerSecond),
        blocks: throughput.blockRates.map(Math.round),
        adapter: backend.adapter ?? null,
        browser: browserVersion(),
        crossOriginIsolated,
      })}\n`;
      if (throughput.kernels) {
        const total = throughput.kernels.reduce((sum, k) => sum + k.ms, 0);
        out.textContent += `${JSON.stringify({
          bench: 'kernel-profile',
          backend: backend.backend,
          model: request.model,
          batch: request.batch,
          threads: backend.threads ?? 1,
          kernel_ms_per_step: Number(total.toFixed(2)),
          step_ms: Number(((1000 * request.batch) / throughput.samplesPerSecond).toFixed(2)),
          top: throughput.kernels.slice(0, 12).map((k) => ({
            kernel: k.kernel,
            shapes: k.inputShapes,
            ms: Number(k.ms.toFixed(3)),
          })),
          // The same time by kernel name, over every shape: where the step goes in kind.
          calls_per_step: Math.round(throughput.kernels.reduce((n, k) => n + k.callsPerStep, 0)),
          by_kernel: Object.entries(
            throughput.kernels.reduce<Record<string, { ms: number; calls: number }>>((sums, k) => {
              const sum = (sums[k.kernel] ??= { ms: 0, calls: 0 });
              sum.ms += k.ms;
              sum.calls += k.callsPerStep;
              return sums;
            }, {}),
          )
            .sort((p, q) => q[1].ms - p[1].ms)
            .slice(0, 16)
            .map(([kernel, { ms, calls }]) => ({
              kernel,
              ms: Number(ms.toFixed(2)),
              calls: Math.round(calls),
            })),
        })}\n`;
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      out.textContent += `${JSON.stringify({ ...request, error: message })}\n`;
    } finally {
      client.dispose();
    }
  }
  document.body.dataset.done = 'true';
}

void main();
