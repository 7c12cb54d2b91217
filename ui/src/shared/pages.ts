// A window cache over the customer list: rows are fetched a page at a time
// as the virtual list scrolls, so 100,000 customers never load at once.
import type { CustomerRow } from "./api";

export const PAGE_SIZE = 200;

export class PageCache {
  private pages = new Map<number, CustomerRow[]>();
  private pending = new Set<number>();

  constructor(readonly generation: number) {}

  row(index: number): CustomerRow | undefined {
    return this.pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
  }

  /** Page numbers that cover rows [first, last] and are neither loaded nor loading. */
  missing(first: number, last: number): number[] {
    const out: number[] = [];
    for (let p = Math.floor(Math.max(0, first) / PAGE_SIZE); p <= Math.floor(Math.max(0, last) / PAGE_SIZE); p++) {
      if (!this.pages.has(p) && !this.pending.has(p)) out.push(p);
    }
    return out;
  }

  markPending(page: number): void {
    this.pending.add(page);
  }

  store(page: number, rows: CustomerRow[]): void {
    this.pending.delete(page);
    this.pages.set(page, rows);
  }

  fail(page: number): void {
    this.pending.delete(page);
  }
}
