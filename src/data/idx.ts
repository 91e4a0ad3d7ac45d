/**
 * Reader for the IDX format of the original MNIST files (Y. LeCun):
 * bytes 0-1 zero, byte 2 the element type (0x08 = unsigned byte), byte 3 the number of
 * dimensions d, then d big-endian uint32 sizes, then the data in row-major order.
 */

export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

/** Parses an IDX buffer of unsigned bytes; throws a descriptive Error on anything else. */
export function parseIdx(buffer: ArrayBuffer | Uint8Array): IdxArray {
  const bytes = buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer);
  if (bytes.length < 4) throw new Error(`Not an IDX file: only ${bytes.length} bytes`);
  if (bytes[0] !== 0 || bytes[1] !== 0) throw new Error('Not an IDX file: bad magic number');
  const type = bytes[2];
  if (type !== 0x08) {
    throw new Error(`Unsupported IDX element type 0x${type!.toString(16)} (want 0x08, ubyte)`);
  }
  const ndim = bytes[3]!;
  const headerLength = 4 + 4 * ndim;
  if (ndim === 0 || bytes.length < headerLength) throw new Error('Not an IDX file: bad header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < ndim; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const count = dims.reduce((a, b) => a * b, 1);
  if (bytes.length - headerLength !== count) {
    throw new Error(
      `Truncated IDX file: header says ${count} values, found ${bytes.length - headerLength}`,
    );
  }
  return { dims, data: bytes.subarray(headerLength) };
}

/** Builds an IDX buffer (the inverse of parseIdx), for tests and generated data. */
export function encodeIdx(dims: number[], data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  out[2] = 0x08;
  out[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}
