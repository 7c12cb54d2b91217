import { RUST_FACTS } from "../bindings";

// The bits of an id that number one PC's own rows, as the ledger declares them.
const range = 2 ** RUST_FACTS.id_device_bits;

/**
 * An id as the office reads it: `123` for the first PC's rows, `3-17` for the
 * 17th row PC 3 made (never the raw 3298534883345), as `daicho` prints and takes it.
 */
export function displayId(id: number): string {
  const device = Math.floor(id / range);
  return device > 0 ? `${device}-${id - device * range}` : String(id);
}
