import { describe, expect, it } from "vitest";
import { PageCache, PAGE_SIZE } from "./pages";
import type { CustomerRow } from "./api";

const row = (id: number) => ({ id }) as CustomerRow;

describe("PageCache", () => {
  it("asks only for pages that are neither loaded nor loading", () => {
    const cache = new PageCache(1);
    expect(cache.missing(0, PAGE_SIZE * 2 + 5)).toEqual([0, 1, 2]);
    cache.markPending(1);
    cache.store(
      0,
      Array.from({ length: PAGE_SIZE }, (_, i) => row(i)),
    );
    expect(cache.missing(0, PAGE_SIZE * 2 + 5)).toEqual([2]);
  });

  it("finds a row by its absolute index", () => {
    const cache = new PageCache(1);
    cache.store(
      1,
      Array.from({ length: PAGE_SIZE }, (_, i) => row(1000 + i)),
    );
    expect(cache.row(PAGE_SIZE + 3)?.id).toBe(1003);
    expect(cache.row(3)).toBeUndefined();
  });

  it("lets a failed page be asked for again", () => {
    const cache = new PageCache(1);
    cache.markPending(0);
    expect(cache.missing(0, 10)).toEqual([]);
    cache.fail(0);
    expect(cache.missing(0, 10)).toEqual([0]);
  });
});
