// The customer list's state: rows fetched a page at a time as the virtual
// list scrolls (a new query or any write starts again from the first page),
// the chosen columns, and adding the current search to a static list.
import { useCallback, useEffect, useRef, useState } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import { call, commands, type CustomerQuery, type Segment } from "../shared/api";
import { PageCache, PAGE_SIZE } from "../shared/pages";
import { useLedger } from "../shared/ledger-context";
import { useAction } from "../shared/use-action";
import { loadColumns, storeColumns, type ColumnKey } from "./list-columns";
import { t } from "../i18n";

export const ROW_HEIGHT = 40;

export type CustomerListState = ReturnType<typeof useCustomerList>;

export function useCustomerList(query: CustomerQuery) {
  const { revision } = useLedger();
  const action = useAction();
  const { run, fail, clear } = action;
  const [columns, setColumns] = useState<ColumnKey[]>(loadColumns);
  const [lists, setLists] = useState<Segment[] | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [total, setTotal] = useState<number | null>(null);
  const [, setTick] = useState(0);
  const cache = useRef(new PageCache(0));
  const scroller = useRef<HTMLDivElement>(null);

  // TanStack Virtual hands back functions the React Compiler cannot memoize;
  // it leaves this hook uncompiled, which is what a virtual list needs.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: total ?? 0,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  });

  const fetchPage = useCallback(
    (generation: number, page: number) => {
      cache.current.markPending(page);
      call(commands.listCustomers({ ...query, offset: page * PAGE_SIZE, limit: PAGE_SIZE })).then(
        (result) => {
          if (cache.current.generation !== generation) return;
          cache.current.store(page, result.rows);
          if (page === 0) clear();
          setTotal(result.total);
          setTick((n) => n + 1);
        },
        (e: unknown) => {
          cache.current.fail(page);
          fail(e);
        },
      );
    },
    [query, clear, fail],
  );

  useEffect(() => {
    const generation = cache.current.generation + 1;
    cache.current = new PageCache(generation);
    fetchPage(generation, 0);
  }, [fetchPage, revision]);

  const items = virtualizer.getVirtualItems();
  useEffect(() => {
    if (items.length === 0) return;
    for (const page of cache.current.missing(items[0].index, items[items.length - 1].index)) fetchPage(cache.current.generation, page);
  });

  useEffect(() => storeColumns(columns), [columns]);

  /** Opens the static lists to add to, or closes them. */
  const toggleLists = () =>
    run(async () => setLists(lists ? null : (await call(commands.listSegments())).filter((s) => s.kind === "static")));

  async function addToList(list: Segment) {
    await run(async () => setNotice(t.list.added(await call(commands.addSearchToList(list.id, query)), list.name)));
    setLists(null);
  }

  /** The row at an index of the whole list, once its page has arrived. */
  const rowAt = (index: number) => cache.current.row(index);

  return { ...action, columns, setColumns, lists, setLists, notice, total, rowAt, scroller, virtualizer, items, toggleLists, addToList };
}
